"""Moderators work the review queues in the Django admin."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from questions.models import Answer, ModerationLog, Question
from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _action(client, model, action, ids, **extra):
    url = reverse(f"admin:questions_{model}_changelist")
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: ids, **extra})


def test_pending_queues_list_only_pending_items(client, moderator):
    QuestionFactory(title="已发布的问题")
    QuestionFactory(title="待审核的新问题", status=Question.Status.PENDING)
    AnswerFactory(body="待审核的回答", status=Answer.Status.PENDING)
    client.force_login(moderator)

    questions = client.get(reverse("admin:questions_pendingquestion_changelist"))
    answers = client.get(reverse("admin:questions_pendinganswer_changelist"))

    assert questions.status_code == 200
    assert "待审核的新问题" in questions.content.decode()
    assert "已发布的问题" not in questions.content.decode()
    assert answers.status_code == 200
    assert answers.context["cl"].result_count == 1


def test_admin_search_finds_chinese_titles(client, moderator):
    QuestionFactory(title="旋转位置编码 RoPE 思路是什么？")
    QuestionFactory(title="QLoRA 的特点是什么？")
    client.force_login(moderator)

    response = client.get(reverse("admin:questions_question_changelist"), {"q": "位置编码"})

    assert response.context["cl"].result_count == 1


def test_bulk_approve_publishes_logs_and_mails(
    client, moderator, member, mailoutbox, django_capture_on_commit_callbacks
):
    pending = [QuestionFactory(author=member, status=Question.Status.PENDING) for _ in range(2)]
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = _action(client, "pendingquestion", "approve", [q.pk for q in pending])

    assert response.status_code == 302
    assert Question.objects.filter(status="published").count() == 2
    assert ModerationLog.objects.filter(action="approve", actor=moderator).count() == 2
    assert len(mailoutbox) == 2


def test_reject_asks_for_a_reason_first_then_applies_it(
    client, moderator, member, mailoutbox, django_capture_on_commit_callbacks
):
    answer = AnswerFactory(author=member, status=Answer.Status.PENDING)
    client.force_login(moderator)

    form_page = _action(client, "pendinganswer", "reject", [answer.pk])
    without_reason = _action(client, "pendinganswer", "reject", [answer.pk], apply="1")
    with django_capture_on_commit_callbacks(execute=True):
        applied = _action(
            client, "pendinganswer", "reject", [answer.pk], apply="1", note="答案与问题无关"
        )

    answer.refresh_from_db()
    assert form_page.status_code == 200 and 'name="note"' in form_page.content.decode()
    assert without_reason.status_code == 200  # the form again, with its error
    assert applied.status_code == 302
    assert answer.status == Answer.Status.REJECTED
    assert ModerationLog.objects.get().reason == "答案与问题无关"
    assert "答案与问题无关" in mailoutbox[0].body


def test_hide_and_endorse_actions(client, moderator):
    keep = AnswerFactory()
    hide = AnswerFactory(question=keep.question)
    client.force_login(moderator)

    _action(client, "answer", "endorse", [keep.pk])
    _action(client, "answer", "hide", [hide.pk], apply="1", note="抄袭")

    keep.refresh_from_db()
    hide.refresh_from_db()
    assert keep.is_endorsed
    assert hide.status == Answer.Status.HIDDEN


def test_move_and_merge_actions(client, moderator):
    question = QuestionFactory()
    duplicate = QuestionFactory()
    AnswerFactory(question=duplicate)
    target_category = CategoryFactory(name="长度外推问题篇")
    client.force_login(moderator)

    _action(client, "question", "move", [question.pk], apply="1", category=target_category.pk)
    _action(client, "question", "merge", [duplicate.pk], apply="1", target=question.pk)

    question.refresh_from_db()
    duplicate.refresh_from_db()
    assert question.category == target_category
    assert duplicate.status == Question.Status.MERGED
    assert question.answers.count() == 1
    assert set(ModerationLog.objects.values_list("action", flat=True)) == {"move", "merge"}


def test_merge_into_an_unknown_question_is_a_form_error(client, moderator):
    duplicate = QuestionFactory()
    client.force_login(moderator)

    response = _action(client, "question", "merge", [duplicate.pk], apply="1", target=999_999)

    duplicate.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["target"]
    assert duplicate.status == Question.Status.PUBLISHED


def test_members_and_recruiters_cannot_use_the_admin(client, member, recruiter):
    for user in (member, recruiter):
        client.force_login(user)
        response = client.get(reverse("admin:questions_pendingquestion_changelist"))
        assert response.status_code == 302


def test_moderation_log_is_read_only(client, moderator):
    client.force_login(moderator)

    response = client.get(reverse("admin:questions_moderationlog_add"))

    assert response.status_code == 403
