import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import MEMBERS, MODERATORS, RECRUITERS
from accounts.selectors import user_is_moderator, user_is_recruiter
from accounts.services import user_grant_role, user_revoke_role

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {MEMBERS, RECRUITERS, MODERATORS}


def test_granting_moderator_makes_the_user_staff_and_lets_them_into_the_admin(client, member):
    user_grant_role(user=member, role=MODERATORS)
    member.refresh_from_db()
    client.force_login(member)

    response = client.get(reverse("admin:index"))

    assert member.is_staff
    assert user_is_moderator(member)
    assert response.status_code == 200


def test_revoking_moderator_removes_staff(member):
    user_grant_role(user=member, role=MODERATORS)
    user_revoke_role(user=member, role=MODERATORS)
    member.refresh_from_db()

    assert not member.is_staff
    assert not member.groups.filter(name=MODERATORS).exists()


def test_member_is_not_let_into_the_admin(client, member):
    client.force_login(member)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_recruiter_role_is_a_group_membership(recruiter, member):
    assert user_is_recruiter(recruiter)
    assert not user_is_recruiter(member)


def test_unknown_role_is_refused(member):
    with pytest.raises(ValueError):
        user_grant_role(user=member, role="Emperors")


def test_moderators_group_holds_the_permissions_the_roles_module_lists():
    from accounts.roles import ROLE_PERMISSIONS

    group = Group.objects.get(name=MODERATORS)
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}

    assert set(ROLE_PERMISSIONS[MODERATORS]) <= held
