import pytest

from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_home_lists_topics_with_counts_and_recent_answers(client):
    part = CategoryFactory(name="第二部分：大模型一般知识点")
    peft = CategoryFactory(name="大模型（LLMs）参数高效微调(PEFT) 面", parent=part)
    question = QuestionFactory(category=peft, title="什么是 LoRA？")
    AnswerFactory(question=question)

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert [node.category for node in response.context["sections"]] == [peft]
    assert "什么是 LoRA？" in html
    assert "浏览 1 个问题" in html


def test_home_shows_live_jobs_only(client):
    from tests.jobs.factories import JobFactory

    live = JobFactory(title="大模型算法工程师（RLHF方向）", published=True)
    JobFactory(title="草稿职位", status="draft")

    html = client.get("/").content.decode()

    assert live.title in html
    assert "草稿职位" not in html
