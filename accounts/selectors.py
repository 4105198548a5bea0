from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import ApiToken, User
from accounts.roles import MODERATORS, RECRUITERS


def get_user_for_profile(username: str) -> User:
    return get_object_or_404(User.objects.filter(is_active=True), username=username)


def user_has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    # The groups are prefetched once per request object and reused by every check.
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return role in cached


def user_is_moderator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user_has_role(user, MODERATORS))


def user_is_recruiter(user) -> bool:
    return user_has_role(user, RECRUITERS)


def user_has_verified_email(user) -> bool:
    if not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def api_tokens_for(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")


def get_active_api_token(raw: str) -> ApiToken | None:
    """The live token with this secret, with its user, or None."""
    from accounts.services import api_token_hash

    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=api_token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
