"""What goes into a digest: content selection and the empty digest."""

import datetime as dt

import pytest

from digests.models import DigestDelivery, DigestPreference
from digests.services import digest_batch_send
from questions.models import Answer, Question
from tests.digests.factories import (
    NOW,
    SLOT,
    DigestDeliveryFactory,
    DigestPreferenceFactory,
    NewQuestionFactory,
)
from tests.jobs.factories import JobFactory, TagFactory
from tests.questions.factories import AnswerFactory, CategoryFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _send(*preferences):
    return digest_batch_send(frequency="weekly", user_ids=[p.user_id for p in preferences], now=NOW)


def test_new_questions_in_followed_categories_and_their_subcategories_are_listed(mailoutbox):
    peft = CategoryFactory(name="参数高效微调")
    lora = CategoryFactory(name="LoRA篇", parent=peft)
    rag = CategoryFactory(name="RAG")
    in_parent = NewQuestionFactory(category=peft, title="什么是PEFT？", published_at=NOW - DAY)
    in_child = NewQuestionFactory(category=lora, title="LoRA 的秩怎么选？", published_at=NOW - DAY)
    elsewhere = NewQuestionFactory(
        category=rag, title="RAG 的召回怎么评估？", published_at=NOW - DAY
    )
    preference = DigestPreferenceFactory(categories=[peft])

    _send(preference)

    body = mailoutbox[0].body
    assert in_parent.title in body
    assert in_child.title in body
    assert elsewhere.title not in body


def test_following_no_category_means_following_every_category(mailoutbox):
    questions = [NewQuestionFactory(published_at=NOW - DAY) for _ in range(3)]
    preference = DigestPreferenceFactory()

    _send(preference)

    assert all(q.title in mailoutbox[0].body for q in questions)


def test_unpublished_and_older_questions_are_left_out(mailoutbox):
    new = NewQuestionFactory(title="新的已发布问题", published_at=NOW - DAY)
    pending = NewQuestionFactory(
        title="待审核的问题", status=Question.Status.PENDING, published_at=NOW - DAY
    )
    old = NewQuestionFactory(title="上个月的问题", published_at=NOW - 30 * DAY)
    future = NewQuestionFactory(title="发送之后才发布的问题", published_at=NOW + DAY)
    preference = DigestPreferenceFactory()

    _send(preference)

    body = mailoutbox[0].body
    assert new.title in body
    for left_out in (pending, old, future):
        assert left_out.title not in body


def test_the_best_new_answers_come_first_and_hidden_ones_are_left_out(mailoutbox):
    question = NewQuestionFactory(published_at=NOW - 30 * DAY)
    low = AnswerFactory(question=question, body="一般般的回答内容", published_at=NOW - DAY)
    high = AnswerFactory(question=question, body="得分最高的回答内容", published_at=NOW - DAY)
    hidden = AnswerFactory(
        question=question,
        body="被隐藏的回答内容",
        status=Answer.Status.HIDDEN,
        published_at=NOW - DAY,
    )
    Answer.objects.filter(pk=low.pk).update(score=1)
    Answer.objects.filter(pk=high.pk).update(score=9)
    preference = DigestPreferenceFactory()

    _send(preference)

    body = mailoutbox[0].body
    assert body.index("得分最高的回答内容") < body.index("一般般的回答内容")
    assert hidden.body not in body


def test_the_content_starts_where_the_last_sent_digest_ended(mailoutbox):
    preference = DigestPreferenceFactory()
    DigestDeliveryFactory(
        user=preference.user,
        period="2025-W23",
        window_start=NOW - 14 * DAY,
        window_end=NOW - 2 * DAY,
    )
    NewQuestionFactory(title="上次摘要已经包含的问题", published_at=NOW - 3 * DAY)
    NewQuestionFactory(title="上次摘要之后的新问题", published_at=NOW - DAY)

    _send(preference)

    assert "上次摘要之后的新问题" in mailoutbox[0].body
    assert "上次摘要已经包含的问题" not in mailoutbox[0].body


def test_a_first_digest_covers_the_period_before_its_slot(mailoutbox):
    NewQuestionFactory(title="六天前的问题", published_at=SLOT - 6 * DAY)
    NewQuestionFactory(title="八天前的问题", published_at=SLOT - 8 * DAY)
    preference = DigestPreferenceFactory()

    _send(preference)

    assert "六天前的问题" in mailoutbox[0].body
    assert "八天前的问题" not in mailoutbox[0].body


def test_nothing_new_sends_nothing_and_records_the_period_as_skipped(mailoutbox):
    rag = CategoryFactory()
    NewQuestionFactory(published_at=NOW - DAY)  # in a category the member does not follow
    preference = DigestPreferenceFactory(categories=[rag])

    result = _send(preference)

    assert mailoutbox == []
    assert [o.user_id for o in result.skipped] == [preference.user_id]
    delivery = DigestDelivery.objects.get(user=preference.user)
    assert delivery.status == DigestDelivery.Status.SKIPPED
    preference.refresh_from_db()
    assert preference.next_due_at == SLOT + 7 * DAY


def test_each_item_links_to_the_site_with_an_absolute_url(mailoutbox, settings):
    settings.SITE_URL = "https://llmprep.example.org"
    question = NewQuestionFactory(published_at=NOW - DAY)
    answer = AnswerFactory(question=question, published_at=NOW - DAY)
    preference = DigestPreferenceFactory()

    _send(preference)

    html = mailoutbox[0].alternatives[0][0]
    question_url = f"https://llmprep.example.org{question.get_absolute_url()}"
    assert question_url in mailoutbox[0].body
    assert f'href="{question_url}"' in html
    assert f"https://llmprep.example.org{answer.get_absolute_url()}" in mailoutbox[0].body


def test_a_member_who_chose_never_gets_nothing(mailoutbox):
    NewQuestionFactory(published_at=NOW - DAY)
    preference = DigestPreferenceFactory(frequency="never")

    _send(preference)

    assert mailoutbox == []
    assert not DigestPreference.objects.filter(next_due_at__gt=SLOT).exists()


def _job(title, *, tags=(), **overrides):
    fields = {
        "status": "published",
        "published_at": NOW - DAY,
        "expires_at": NOW + 20 * DAY,
        **overrides,
    }
    return JobFactory(title=title, tags=list(tags), **fields)


def test_new_live_jobs_with_a_followed_tag_are_listed(mailoutbox):
    rlhf, rag = TagFactory(name="RLHF"), TagFactory(name="RAG")
    _job("RLHF 算法工程师", tags=[rlhf])
    _job("RLHF 与 RAG 工程师", tags=[rag, rlhf])
    _job("RAG 工程师", tags=[rag])
    _job("没有标签的职位")
    preference = DigestPreferenceFactory(job_tags=[rlhf])

    _send(preference)

    body = mailoutbox[0].body
    assert "RLHF 算法工程师" in body
    assert "RLHF 与 RAG 工程师" in body
    assert "- RAG 工程师 ·" not in body
    assert "没有标签的职位" not in body
    assert "2 个新职位" in mailoutbox[0].subject


def test_following_no_tag_means_every_new_live_job(mailoutbox):
    _job("带标签的职位", tags=[TagFactory(name="LLM")])
    _job("没有标签的职位")
    _job("已过期的职位", expires_at=NOW - DAY)
    _job("待审核的职位", status="pending", published_at=None, expires_at=None)
    _job("上个月发布的职位", published_at=NOW - 30 * DAY)
    preference = DigestPreferenceFactory()

    _send(preference)

    body = mailoutbox[0].body
    assert "带标签的职位" in body
    assert "没有标签的职位" in body
    for left_out in ("已过期的职位", "待审核的职位", "上个月发布的职位"):
        assert left_out not in body


def test_a_job_links_to_its_page(mailoutbox, settings):
    settings.SITE_URL = "https://llmprep.example.org"
    job = _job("多模态算法工程师")

    _send(DigestPreferenceFactory())

    assert f"https://llmprep.example.org{job.get_absolute_url()}" in mailoutbox[0].body


def test_a_members_own_questions_due_for_review_are_listed_and_nobody_elses(mailoutbox):
    from questions.models import StudyProgress

    rag = CategoryFactory()
    mine = DigestPreferenceFactory(categories=[rag])  # follows nothing new
    other = DigestPreferenceFactory(categories=[rag])
    due = NewQuestionFactory(title="旋转位置编码 RoPE 有什么优点？", published_at=NOW - 30 * DAY)
    later = NewQuestionFactory(title="ALiBi 的偏置矩阵是什么？", published_at=NOW - 30 * DAY)
    StudyProgress.objects.create(
        user=mine.user, question=due, status="review", review_due_at=NOW - DAY
    )
    StudyProgress.objects.create(
        user=mine.user, question=later, status="mastered", review_due_at=NOW + 9 * DAY
    )
    StudyProgress.objects.create(
        user=other.user, question=later, status="review", review_due_at=NOW + 9 * DAY
    )

    _send(mine, other)

    assert [m.to for m in mailoutbox] == [[mine.user.email]]  # due reviews alone are worth a mail
    body = mailoutbox[0].body
    assert due.title in body
    assert later.title not in body
    assert "1 个问题到期复习" in mailoutbox[0].subject
