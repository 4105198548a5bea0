"""Throttling: anonymous and per-user rates for everything, stricter scopes for votes and for
creating questions and answers. Over the limit: 429 with Retry-After."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(**overrides):
        rates = {"anon": "1000/minute", "user": "1000/minute", "post": "1000/hour"}
        rates["vote"] = "1000/minute"
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


def test_votes_have_a_stricter_scope(as_member, bank, rates):
    rates(vote="2/minute")
    url = f"/api/v1/answers/{bank['by_other'].pk}/vote/"

    assert as_member.post(url, {"value": 1}, format="json").status_code == 200
    assert as_member.post(url, {"value": 0}, format="json").status_code == 200
    _assert_throttled(as_member.post(url, {"value": 1}, format="json"))
    assert as_member.get("/api/v1/questions/").status_code == 200  # reading goes on


def test_creating_content_has_a_stricter_scope(as_member, bank, rates):
    rates(post="2/hour")
    question = {"title": "什么是 MoE？", "category": bank["lora"].pk}
    answer = {"body": "混合专家模型：每个 token 只激活部分专家。"}

    assert as_member.post("/api/v1/questions/", question, format="json").status_code == 201
    answers_url = f"/api/v1/questions/{bank['rope_q'].pk}/answers/"
    assert as_member.post(answers_url, answer, format="json").status_code == 201
    _assert_throttled(as_member.post("/api/v1/questions/", question, format="json"))
    _assert_throttled(as_member.post(answers_url, answer, format="json"))
    vote_url = f"/api/v1/answers/{bank['by_other'].pk}/vote/"
    assert as_member.post(vote_url, {"value": 1}, format="json").status_code == 200


def test_job_postings_count_against_the_creation_scope(recruiter, rates):
    from tests.api.conftest import client_for
    from tests.jobs.factories import CompanyFactory

    CompanyFactory(recruiters=[recruiter])
    rates(post="1/hour")
    client = client_for(recruiter)
    posting = {
        "title": "大模型推理工程师",
        "location": "深圳",
        "description": "负责推理加速。",
        "apply_email": "hr@example.com",
    }

    assert client.post("/api/v1/jobs/", posting, format="json").status_code == 201
    _assert_throttled(client.post("/api/v1/jobs/", posting, format="json"))
