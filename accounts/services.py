from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import MEMBERS, MODERATORS, RECRUITERS

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
    user.display_name = display_name.strip()
    user.bio = bio.strip()
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "bio", "language", "updated_at"])
    return user
