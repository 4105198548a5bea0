"""The one vocabulary for refused actions.

Services raise a subclass of DomainError when a business rule refuses a write: a bad value, a
transition the object's state does not allow, an action the user may not take, or a rate limit.
Each carries a stable `code` (for API clients and tests), a translated `message` (lazy, so it is
rendered in the language of whoever reads it: the member's page, the API caller, a moderator in
the admin) and an optional `field` when one input is to blame.

They are mapped to HTTP in exactly two places: `llmprep.api.exception_handler` for the API and
`llmprep.middleware.DomainErrorMiddleware` for pages and admin actions (see also
`llmprep.admin_actions.apply_to_each`). Views that show a form catch DomainError themselves only
to put a field error next to its field (`add_to_form`).

Plain library code: imports no app.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A write refused by a business rule. Nothing was changed."""

    code = "invalid"
    status = 400
    default_message = _("This request is not valid.")

    def __init__(
        self,
        message=None,
        *,
        code: str | None = None,
        field: str | None = None,
        fields: dict | None = None,
    ):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.field = field
        # {field: [messages]} when several inputs are to blame (from a model's full_clean()).
        self.fields = fields or ({field: [self.message]} if field else {})
        super().__init__(str(self.message))

    def __str__(self) -> str:
        # Rendered in the active language at the moment it is shown, not when it was raised.
        return str(self.message)

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": str(self.message)}
        if self.fields:
            body["fields"] = {
                name: [str(message) for message in messages]
                for name, messages in self.fields.items()
            }
        return body


class InvalidValue(DomainError):
    """An input breaks a rule (too short, too many tags, a date in the past …)."""

    code = "invalid"
    status = 400


class NotAllowed(DomainError):
    """The user may not do this (not the author, not a recruiter of this company …)."""

    code = "permission_denied"
    status = 403
    default_message = _("You are not allowed to do this.")


class InvalidTransition(DomainError):
    """The object is not (or no longer) in a state that allows this change; typically another
    request changed it first."""

    code = "conflict"
    status = 409
    default_message = _("This item is no longer in a state that allows this action.")


class RateLimited(DomainError):
    """Too many of one action in a short time."""

    code = "throttled"
    status = 429
    default_message = _("You are doing this too often. Please wait a little and try again.")

    def __init__(self, message=None, *, retry_after: int | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


def invalid_from_validation_error(error) -> InvalidValue:
    """A model's full_clean() ValidationError as the domain's InvalidValue, field by field."""
    if hasattr(error, "error_dict"):
        fields = {
            ("non_field_errors" if name == "__all__" else name): list(messages)
            for name, messages in error.message_dict.items()
        }
        first_name, first_messages = next(iter(fields.items()))
        return InvalidValue(
            first_messages[0],
            field=None if first_name == "non_field_errors" else first_name,
            fields=fields,
        )
    return InvalidValue(error.messages[0] if error.messages else None)


def add_to_form(form, error: DomainError) -> None:
    """Show a service's refusal on the form that submitted it: beside its fields when the
    form has them, else at the top."""
    known = getattr(form, "fields", {})
    placed = False
    for name, messages in (error.fields or {}).items():
        if name in known:
            for message in messages:
                form.add_error(name, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(error.message))
