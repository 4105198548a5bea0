"""A duplicate merged into another question is not a dead link: it redirects, permanently, to
the question it was merged into, for every visitor."""

import pytest

from questions import services
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(moderator):
    target = QuestionFactory(title="LoRA 的原理是什么？")
    duplicate = QuestionFactory(title="LoRA 是怎么工作的？")
    AnswerFactory(question=duplicate)
    services.question_merge(source=duplicate, target=target, moderator=moderator)
    return duplicate, target


@pytest.mark.parametrize("viewer", ["anonymous", "member", "moderator"])
def test_a_merged_question_redirects_permanently_to_its_target(client, merged, viewer, request):
    duplicate, target = merged
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))

    for url in (
        duplicate.get_absolute_url(),
        f"/questions/{duplicate.pk}/",
        f"/questions/{duplicate.pk}/旧标题/",
    ):
        response = client.get(url)

        assert response.status_code == 301, url
        assert response["Location"] == target.get_absolute_url()


def test_a_chain_of_merges_leads_to_the_last_question(client, merged, moderator):
    duplicate, target = merged
    final = QuestionFactory(title="LoRA 原理与实现")
    services.question_merge(source=target, target=final, moderator=moderator)

    response = client.get(duplicate.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == final.get_absolute_url()


def test_an_unknown_or_rejected_question_is_still_a_404(client, moderator):
    rejected = QuestionFactory(status="pending", source="member")
    services.question_reject(question=rejected, moderator=moderator, reason="重复")

    assert client.get(f"/questions/{rejected.pk}/").status_code == 404
    assert client.get("/questions/999999/").status_code == 404
