import pytest

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_me_shows_the_callers_profile(as_member, member):
    body = as_member.get(ME).json()

    assert body["username"] == member.username
    assert body["display_name"] == member.display_name
    assert body["email"] == member.email
    assert body["email_verified"] is True
    assert body["roles"] == ["Members"]
    assert body["language"] == "zh-hans"
    assert body["web_url"].endswith(member.get_absolute_url())


def test_me_lists_the_recruiter_and_moderator_roles(as_recruiter, as_moderator):
    assert as_recruiter.get(ME).json()["roles"] == ["Members", "Recruiters"]
    assert as_moderator.get(ME).json()["roles"] == ["Members", "Moderators"]


def test_anonymous_has_no_me(api):
    response = api.get(ME)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_member_changes_their_profile(as_member, member):
    response = as_member.patch(
        ME,
        {"display_name": "  李华 ", "bio": "准备大模型面试中。", "language": "en"},
        format="json",
    )

    member.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["display_name"] == "李华"
    assert (member.display_name, member.bio, member.language) == (
        "李华",
        "准备大模型面试中。",
        "en",
    )


def test_a_partial_change_keeps_the_other_fields(as_member, member):
    as_member.patch(ME, {"bio": "只改简介"}, format="json")

    member.refresh_from_db()
    assert member.bio == "只改简介"
    assert member.display_name.startswith("张三")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "hacker"}, "username"),
        ({"email": "x@example.com"}, "email"),
        ({"is_staff": True}, "is_staff"),
        ({"language": "fr"}, "language"),
        ({"language": 1}, "language"),
        ({"display_name": "名" * 51}, "display_name"),
        ({"bio": ["列表"]}, "bio"),
    ],
)
def test_bad_profile_changes_are_400(as_member, member, payload, field):
    response = as_member.patch(ME, payload, format="json")

    member.refresh_from_db()
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not member.is_staff


def test_put_and_delete_are_not_allowed(as_member):
    assert as_member.put(ME, {"bio": "x"}, format="json").status_code == 405
    response = as_member.delete(ME)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
