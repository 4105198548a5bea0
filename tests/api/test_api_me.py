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


def test_me_shows_the_default_digest_preferences(as_member):
    digest = as_member.get(ME).json()["digest"]

    assert digest == {
        "frequency": "weekly",
        "weekday": 0,
        "hour": 9,
        "time_zone": "Asia/Shanghai",
        "categories": [],
        "job_tags": [],
        "next_due_at": None,
        "paused": False,
    }


def test_a_member_changes_digest_preferences(as_member, member):
    from digests.models import DigestPreference
    from tests.questions.factories import CategoryFactory

    peft = CategoryFactory(name="大模型（LLMs）参数高效微调(PEFT) 面")

    response = as_member.patch(
        ME,
        {"digest": {"frequency": "daily", "hour": 21, "categories": [peft.pk]}},
        format="json",
    )

    preference = DigestPreference.objects.get(user=member)
    body = response.json()["digest"]
    assert response.status_code == 200
    assert (preference.frequency, preference.hour) == ("daily", 21)
    assert list(preference.categories.all()) == [peft]
    assert body["categories"] == [peft.pk]
    assert body["next_due_at"] is not None
    assert member.display_name == response.json()["display_name"]  # the profile is untouched


@pytest.mark.parametrize(
    ("digest", "field"),
    [
        ({"frequency": "hourly"}, "digest.frequency"),
        ({"hour": 24}, "digest.hour"),
        ({"hour": "9"}, "digest.hour"),
        ({"time_zone": "Mars/Olympus"}, "digest.time_zone"),
        ({"categories": [999_999]}, "digest.categories"),
        ({"categories": ["1"]}, "digest.categories"),
        ({"job_tags": {}}, "digest.job_tags"),
        ({"spam": True}, "digest.spam"),
    ],
)
def test_bad_digest_preferences_are_400(as_member, member, digest, field):
    from digests.models import DigestPreference

    response = as_member.patch(ME, {"digest": digest}, format="json")

    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.json()["error"]["fields"])
    assert not DigestPreference.objects.filter(user=member).exists()
