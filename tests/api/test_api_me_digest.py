"""The member's digest preferences in the API: GET/PATCH /api/v1/me/digest/ (digests/api.py)."""

import pytest

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
ME_DIGEST = "/api/v1/me/digest/"


def test_anonymous_callers_are_told_to_authenticate(api):
    response = api.get(ME_DIGEST)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_me_digest_shows_the_default_preferences(as_member):
    digest = as_member.get(ME_DIGEST).json()

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
        ME_DIGEST, {"frequency": "daily", "hour": 21, "categories": [peft.pk]}, format="json"
    )

    preference = DigestPreference.objects.get(user=member)
    body = response.json()
    assert response.status_code == 200
    assert (preference.frequency, preference.hour) == ("daily", 21)
    assert list(preference.categories.all()) == [peft]
    assert body["categories"] == [peft.pk]
    assert body["next_due_at"] is not None
    assert as_member.get(ME).json()["display_name"] == member.display_name  # profile untouched


@pytest.mark.parametrize(
    ("digest", "field"),
    [
        ({"frequency": "hourly"}, "frequency"),
        ({"hour": 24}, "hour"),
        ({"hour": "9"}, "hour"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"categories": [999_999]}, "categories"),
        ({"categories": ["1"]}, "categories"),
        ({"job_tags": {}}, "job_tags"),
        ({"spam": True}, "spam"),
    ],
)
def test_bad_digest_preferences_are_400(as_member, member, digest, field):
    from digests.models import DigestPreference

    response = as_member.patch(ME_DIGEST, digest, format="json")

    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.json()["error"]["fields"])
    assert not DigestPreference.objects.filter(user=member).exists()
