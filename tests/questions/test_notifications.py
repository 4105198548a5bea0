"""Moderation decisions are mailed to the author through the outbox: queued with the decision,
sent once, in the author's language."""

import pytest
from django.db import transaction

from outbox.models import OutboxMail
from outbox.tasks import send_outbox_mail
from questions import services
from questions.models import ModerationLog, Question
from tests.questions.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def _approve(member, moderator, capture):
    question = QuestionFactory(author=member, status=Question.Status.PENDING)
    with capture(execute=True):
        services.question_approve(question=question, moderator=moderator)
    return question


def test_the_decision_mail_is_sent_once_even_if_the_task_runs_twice(
    member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    _approve(member, moderator, django_capture_on_commit_callbacks)
    mail = OutboxMail.objects.get()

    assert send_outbox_mail.apply(args=[mail.pk]).get() is False  # the first run sent it
    assert len(mailoutbox) == 1
    assert mail.key == f"moderation-log:{ModerationLog.objects.get().pk}"


def test_the_mail_is_in_the_authors_language(
    member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    member.language = "en"
    member.save()

    _approve(member, moderator, django_capture_on_commit_callbacks)

    assert "Your question" in mailoutbox[0].subject


def test_chinese_mail_for_a_chinese_speaking_author(
    member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    _approve(member, moderator, django_capture_on_commit_callbacks)

    assert "你的问题" in mailoutbox[0].subject
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_a_decision_that_rolls_back_mails_nothing(member, moderator, mailoutbox):
    question = QuestionFactory(author=member, status=Question.Status.PENDING)

    with pytest.raises(RuntimeError), transaction.atomic():
        services.question_approve(question=question, moderator=moderator)
        raise RuntimeError("the request failed after the decision")

    assert not OutboxMail.objects.exists()
    question.refresh_from_db()
    assert question.status == Question.Status.PENDING


def test_seed_questions_have_no_author_to_notify(moderator, mailoutbox):
    question = QuestionFactory(author=None)
    other = QuestionFactory()

    services.question_move(question=question, category=other.category, moderator=moderator)

    assert ModerationLog.objects.filter(action="move").exists()
    assert not OutboxMail.objects.exists()


@pytest.mark.live_worker
@pytest.mark.postgres
@pytest.mark.redis
def test_a_real_celery_worker_sends_the_decision_once(live_celery_worker, wait_until):
    from accounts.roles import MODERATORS
    from accounts.services import user_grant_role
    from tests.factories import UserFactory
    from tests.questions.factories import QuestionFactory as Factory

    author = UserFactory()
    moderator = UserFactory()
    user_grant_role(user=moderator, role=MODERATORS)
    question = Factory(author=author, status=Question.Status.PENDING)

    services.question_approve(question=question, moderator=moderator)  # commits; enqueues
    mail = OutboxMail.objects.get()
    sent = wait_until(lambda: OutboxMail.objects.filter(pk=mail.pk, status="sent").exists())
    # A duplicate delivery of the same task must not send again.
    send_outbox_mail.apply_async(args=[mail.pk])
    both_ran = wait_until(lambda: live_celery_worker.output().count("succeeded in") == 2)
    output = live_celery_worker.output()

    assert sent
    assert both_ran
    assert output.count(f"To: {author.email}") == 1
    assert "版主审核了你的问题" in output
