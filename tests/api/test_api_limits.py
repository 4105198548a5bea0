"""Throttling: anonymous and per-user rates for every API request. Over the limit: 429 with
Retry-After. (Limits on actions such as voting and posting are the services', shared with the
web pages: tests/test_action_limits.py.)"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(**overrides):
        rates = {"anon": "1000/minute", "user": "1000/minute"}
        rates.update(overrides)
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    return set_rates


def _assert_throttled(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "throttled"


def test_anonymous_callers_are_throttled(api, bank, rates):
    rates(anon="2/minute")

    assert api.get("/api/v1/questions/").status_code == 200
    assert api.get("/api/v1/categories/").status_code == 200
    _assert_throttled(api.get("/api/v1/questions/"))


def test_members_are_throttled_per_user(as_member, as_other_member, bank, rates):
    rates(user="2/minute")

    as_member.get("/api/v1/questions/")
    as_member.get("/api/v1/questions/")

    _assert_throttled(as_member.get("/api/v1/me/"))
    assert as_other_member.get("/api/v1/me/").status_code == 200
