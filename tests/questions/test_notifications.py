import pytest
from django.test import override_settings

from questions import services
from questions.models import ModerationLog, Question
from questions.notifications import moderation_decision_send
from questions.tasks import notify_moderation_decision
from tests.questions.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def _approved_log(member, moderator):
    question = QuestionFactory(author=member, status=Question.Status.PENDING)
    services.question_approve(question=question, moderator=moderator)  # no on-commit run here
    return ModerationLog.objects.get()


def test_the_decision_mail_is_sent_once_even_if_the_task_runs_twice(member, moderator, mailoutbox):
    log = _approved_log(member, moderator)

    first = notify_moderation_decision.apply(args=[log.pk]).get()
    second = notify_moderation_decision.apply(args=[log.pk]).get()

    assert (first, second) == (True, False)
    assert len(mailoutbox) == 1


def test_the_mail_is_in_the_authors_language(member, moderator, mailoutbox):
    member.language = "en"
    member.save()
    log = _approved_log(member, moderator)

    moderation_decision_send(log_id=log.pk)

    assert "Your question" in mailoutbox[0].subject


def test_chinese_mail_for_a_chinese_speaking_author(member, moderator, mailoutbox):
    log = _approved_log(member, moderator)

    moderation_decision_send(log_id=log.pk)

    assert "你的问题" in mailoutbox[0].subject
    assert mailoutbox[0].alternatives[0][1] == "text/html"


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=1,  # nothing listens there: a real connection refusal
    EMAIL_TIMEOUT=2,
)
def test_a_failed_send_releases_the_claim_so_a_retry_can_send(member, moderator):
    log = _approved_log(member, moderator)

    with pytest.raises(OSError):
        moderation_decision_send(log_id=log.pk)

    log.refresh_from_db()
    assert log.notified_at is None


def test_seed_questions_have_no_author_to_notify(moderator, mailoutbox):
    question = QuestionFactory(author=None)
    services.question_move(question=question, category=question.category, moderator=moderator)
    log = ModerationLog.objects.create(actor=moderator, action="move", question=question)

    assert moderation_decision_send(log_id=log.pk) is False
    assert mailoutbox == []


@pytest.mark.live_worker
@pytest.mark.postgres
@pytest.mark.redis
def test_a_real_celery_worker_sends_the_decision_once(live_celery_worker, wait_until):
    from tests.factories import UserFactory
    from tests.questions.factories import QuestionFactory as Factory

    author = UserFactory()
    moderator = UserFactory(is_staff=True)
    question = Factory(author=author, status=Question.Status.PENDING)

    services.question_approve(question=question, moderator=moderator)  # commits; enqueues
    log = ModerationLog.objects.get(question=question)
    notified = wait_until(
        lambda: ModerationLog.objects.filter(pk=log.pk, notified_at__isnull=False).exists()
    )
    # A duplicate delivery of the same task must not send again.
    notify_moderation_decision.apply_async(args=[log.pk])
    both_ran = wait_until(lambda: live_celery_worker.output().count("succeeded in") == 2)
    output = live_celery_worker.output()

    assert notified
    assert both_ran
    assert output.count(f"To: {author.email}") == 1
    assert "版主审核了你的问题" in output
