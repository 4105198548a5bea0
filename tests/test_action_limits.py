"""Rate limits belong to actions (llmprep/limits.py, called by the services): the web pages and
the API share one count per member, and both answer 429 with Retry-After and a message in the
reader's language. When the cache is unreachable the limits fail open."""

import pytest
from django.test import override_settings
from django.urls import reverse

from llmprep.errors import RateLimited
from llmprep.limits import limit_action
from questions import services
from questions.models import Answer, Question
from tests.api.conftest import client_for
from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    def set_limits(**rates):
        settings.ACTION_RATE_LIMITS = rates

    return set_limits


@pytest.fixture
def question(db):
    return QuestionFactory(title="什么是 LoRA？")


def test_web_and_api_votes_share_one_limit(client, member, question, limits):
    limits(vote="2/m")
    answer = AnswerFactory(question=question)
    client.force_login(member)
    api = client_for(member)

    vote_url = reverse("questions:answer_vote", args=[answer.pk])
    assert client.post(vote_url, {"value": "1"}).status_code == 302
    withdrawn = api.post(f"/api/v1/answers/{answer.pk}/vote/", {"value": 0}, format="json")
    assert withdrawn.status_code == 200

    over = api.post(f"/api/v1/answers/{answer.pk}/vote/", {"value": 1}, format="json")
    assert over.status_code == 429
    assert int(over["Retry-After"]) > 0
    assert over.json()["error"]["code"] == "throttled"
    web = client.post(vote_url, {"value": "1"}, headers={"HX-Request": "true"})
    assert web.status_code == 429
    assert "太频繁" in web.content.decode()
    answer.refresh_from_db()
    assert answer.score == 0  # the refused votes changed nothing


def test_limits_are_per_member(client, member, other_member, question, limits):
    limits(vote="1/m")
    answer = AnswerFactory(question=question)

    services.vote_cast(user=member, answer_id=answer.pk, value=1)
    with pytest.raises(RateLimited):
        services.vote_cast(user=member, answer_id=answer.pk, value=-1)
    services.vote_cast(user=other_member, answer_id=answer.pk, value=1)

    answer.refresh_from_db()
    assert answer.score == 2


def test_asking_is_limited_on_the_page_with_a_message_in_the_readers_language(
    client, member, limits
):
    limits(question_submit="1/h")
    category = CategoryFactory(name="LoRA篇")
    client.force_login(member)
    data = {"title": "LoRA 的秩 r 应该怎么选？", "category": category.pk, "body": ""}

    assert client.post(reverse("questions:ask"), data).status_code == 302
    refused = client.post(reverse("questions:ask"), data)
    assert refused.status_code == 429
    assert "太频繁" in refused.content.decode()
    english = client.post(reverse("questions:ask"), data, headers={"accept-language": "en"})
    assert "too often" in english.content.decode()
    assert Question.objects.filter(author=member).count() == 1


def test_answering_counts_the_same_on_the_page_and_the_api(client, member, question, limits):
    limits(answer_create="1/h")
    client.force_login(member)
    body = "LoRA 冻结原权重，只训练低秩矩阵 $A$ 和 $B$。"

    page = client.post(reverse("questions:answer_create", args=[question.pk]), {"body": body})
    assert page.status_code == 302
    api = client_for(member).post(
        f"/api/v1/questions/{question.pk}/answers/", {"body": body}, format="json"
    )
    assert api.status_code == 429
    assert Answer.objects.filter(author=member).count() == 1


def test_preview_is_limited_and_size_capped(client, member, limits):
    limits(preview="2/m")
    client.force_login(member)
    url = reverse("questions:answer_preview")
    htmx = {"HX-Request": "true"}

    assert client.post(url, {"body": "$x^2$"}, headers=htmx).status_code == 200
    too_long = client.post(url, {"body": "长" * 30_001}, headers=htmx)
    assert too_long.status_code == 400
    assert "30000" in too_long.content.decode()
    assert client.post(url, {"body": "$y$"}, headers=htmx).status_code == 200
    assert client.post(url, {"body": "$z$"}, headers=htmx).status_code == 429


def test_an_action_not_listed_is_not_limited(member, limits):
    limits()
    for _ in range(50):
        limit_action("vote", user=member)


def test_limits_fail_open_when_the_cache_is_unreachable(member, question, limits):
    """A real Redis client against a port where nothing listens: the vote still counts."""
    limits(vote="1/m")
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    answer = AnswerFactory(question=question)

    with override_settings(CACHES=unreachable):
        services.vote_cast(user=member, answer_id=answer.pk, value=1)
        services.vote_cast(user=member, answer_id=answer.pk, value=-1)

    answer.refresh_from_db()
    assert answer.score == -1
