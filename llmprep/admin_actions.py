"""Helpers for moderation actions in the admin, shared by the apps: an intermediate page that
asks for a reason (or other input) before an action runs, a loop that applies a service to each
selected object and reports what it did and what it had to skip, and the `moderate` action
permission.

Services refuse with llmprep.errors.DomainError; its message is shown to the moderator in their
own language (the messages are lazy translations)."""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from llmprep.errors import DomainError

REASON_MAX_LENGTH = 1_000


class ReasonForm(forms.Form):
    """The intermediate page of a decision that needs a reason: a note for the author, and
    optionally one of a few standard reasons before it."""

    reason = forms.ChoiceField(label=_("Reason"))
    note = forms.CharField(
        label=_("Reason (sent to the author)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, choices=None, note_required=True, note_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is None:
            del self.fields["reason"]
        else:
            self.fields["reason"].choices = choices
        self.fields["note"].required = note_required
        if note_label is not None:
            self.fields["note"].label = note_label


class ModerationAdminMixin:
    """Gives a ModelAdmin the `moderate` action permission: actions declared with
    `permissions=["moderate"]` are offered only to users holding `moderate_permission`
    ("app_label.codename"). Viewing a queue is not enough to decide on it."""

    moderate_permission: str = ""

    def has_moderate_permission(self, request) -> bool:
        return bool(self.moderate_permission) and request.user.has_perm(self.moderate_permission)


def form_page(modeladmin, request, queryset, *, form, title):
    """The page that collects a form for an admin action; it posts back to the same action
    with `apply` set. Show it when `form` is unbound or invalid."""
    return TemplateResponse(
        request,
        "admin/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "opts": modeladmin.model._meta,
            "queryset": queryset,
            "action": request.POST.get("action", ""),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


def bound_if_applied(form_class, request, **kwargs):
    """The action's form, bound only once the intermediate page was submitted."""
    return form_class(request.POST if "apply" in request.POST else None, **kwargs)


def apply_to_each(modeladmin, request, queryset, call, *, refused=(DomainError,)) -> None:
    """Run `call(obj)` for each selected object. Objects whose service refuses the change
    (one of `refused`) are skipped with the reason, so one stale row does not block a batch."""
    done = 0
    for obj in queryset:
        try:
            call(obj)
        except refused as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d item updated.", "%(count)d items updated.", done) % {"count": done},
            messages.SUCCESS,
        )


def apply_with_form(modeladmin, request, queryset, *, form, title, call, refused=(DomainError,)):
    """An action that needs input first: show `form` until it is valid, then run
    `call(obj, cleaned_data)` for each selected object."""
    if not form.is_valid():
        return form_page(modeladmin, request, queryset, form=form, title=title)
    apply_to_each(
        modeladmin, request, queryset, lambda obj: call(obj, form.cleaned_data), refused=refused
    )
    return None
