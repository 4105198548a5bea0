import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import API_TOKEN_NAME_MAX_LENGTH, ApiToken, User
from accounts.roles import MEMBERS, MODERATORS, RECRUITERS
from llmprep.errors import InvalidValue, invalid_from_validation_error
from llmprep.text import multiline, single_line

ROLES = (MEMBERS, RECRUITERS, MODERATORS)


@transaction.atomic
def user_grant_role(*, user: User, role: str) -> None:
    """Put a user in a role's group. Moderators also become staff so the admin lets them in."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if role == MODERATORS and not user.is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True


@transaction.atomic
def user_revoke_role(*, user: User, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user.groups.remove(*Group.objects.filter(name=role))
    if role == MODERATORS and user.is_staff and not user.is_superuser:
        User.objects.filter(pk=user.pk).update(is_staff=False)
        user.is_staff = False


@transaction.atomic
def profile_update(*, user: User, display_name: str, bio: str, language: str) -> User:
    user.display_name = single_line(display_name or "")
    user.bio = multiline(bio or "")
    user.language = language
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise invalid_from_validation_error(error) from error
    user.save(update_fields=["display_name", "bio", "language", "updated_at"])
    return user


# Personal API tokens -----------------------------------------------------------------------------

API_TOKEN_PREFIX = "llmp_"
# Record a token's use at most this often, so that an API client does not write on every call.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


def api_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is never stored and cannot be shown
    again."""
    name = single_line(name or "")
    if not name:
        raise InvalidValue(_("Give the token a name."), field="name")
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:API_TOKEN_NAME_MAX_LENGTH],
        prefix=raw[: len(API_TOKEN_PREFIX) + 6],
        key_hash=api_token_hash(raw),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False if it was not theirs or already revoked."""
    revoked = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return revoked == 1


def api_token_touch(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def user_mark_email_verified(*, user: User) -> None:
    """Record the user's address as verified and primary, e.g. for an administrator created on
    the command line, who has no verification mail to click. Idempotent."""
    from allauth.account.models import EmailAddress

    if not user.email:
        return
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )
