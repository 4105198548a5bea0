"""The transactional outbox: mail queued with the decision that causes it, claimed before it is
sent, sent once, kept through broker and mail-server outages."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from outbox.models import OutboxMail
from outbox.services import mail_enqueue, mail_flush, mail_send
from outbox.tasks import send_outbox_mail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSING_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,  # nothing listens there: a real connection refusal
    "EMAIL_TIMEOUT": 2,
}


def _enqueue(user, key="test:1"):
    return mail_enqueue(
        key=key,
        template="recruiter_application_rejected",
        to=user.email,
        language=user.language,
        context={
            "application": type("App", (), {"company_name": "深度求索", "reason": "信息不全"})(),
            "recipient": user,
            "dashboard_url": "https://example.com/jobs/mine/",
            "apply_url": "https://example.com/jobs/recruiters/apply/",
        },
    )


def test_a_mail_is_rendered_in_the_recipients_language_and_sent_after_commit(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = _enqueue(member)
        assert mailoutbox == []  # nothing leaves before the decision commits

    mail.refresh_from_db()
    assert mail.status == OutboxMail.Status.SENT
    assert len(mailoutbox) == 1
    assert "深度求索" in mailoutbox[0].body
    assert mailoutbox[0].extra_headers["Message-ID"] == mail.message_id


def test_the_same_key_is_queued_once(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = _enqueue(member)
        second = _enqueue(member)

    assert first is not None and second is None
    assert OutboxMail.objects.count() == 1


def test_a_rolled_back_decision_sends_nothing(member, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue(member)
        raise RuntimeError("the decision failed")

    assert not OutboxMail.objects.exists()
    assert mailoutbox == []


def test_a_mail_is_sent_once_however_often_its_task_runs(member, mailoutbox):
    mail = _enqueue(member)

    results = [send_outbox_mail.apply(args=[mail.pk]).get() for _ in range(3)]

    assert results == [True, False, False]
    assert len(mailoutbox) == 1


def test_a_live_claim_is_not_taken_over_but_a_stale_one_is(member, mailoutbox, settings):
    mail = _enqueue(member)
    now = timezone.now()
    OutboxMail.objects.filter(pk=mail.pk).update(claimed_at=now, claim_token="other-worker")

    assert mail_send(pk=mail.pk, now=now + dt.timedelta(seconds=10)) is False
    later = now + dt.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT + 1)
    assert mail_send(pk=mail.pk, now=later) is True
    assert len(mailoutbox) == 1


@override_settings(**REFUSING_SMTP)
def test_a_refused_send_releases_the_claim_keeps_the_error_and_retries_with_backoff(member):
    from celery.exceptions import Retry

    mail = _enqueue(member)

    with pytest.raises(Retry, match="Connection refused"):
        send_outbox_mail.apply(args=[mail.pk], throw=True)

    mail.refresh_from_db()
    assert mail.status == OutboxMail.Status.PENDING
    assert mail.claimed_at is None
    assert "Connection refused" in mail.last_error
    assert mail.attempts == 1


def test_after_an_outage_the_flush_sends_what_is_waiting(member, mailoutbox):
    with override_settings(**REFUSING_SMTP), pytest.raises(OSError):
        mail_send(pk=_enqueue(member).pk)
    other = _enqueue(UserFactory(), key="test:2")

    sent = mail_flush(now=timezone.now() + dt.timedelta(minutes=1))

    assert sent == 2
    assert {m.to[0] for m in mailoutbox} == {member.email, other.to}
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {"sent"}


def test_a_mail_that_keeps_failing_is_given_up(member, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    mail = _enqueue(member)
    with override_settings(**REFUSING_SMTP):
        for _ in range(2):
            with pytest.raises(OSError):
                mail_send(pk=mail.pk)

    mail.refresh_from_db()
    assert mail.status == OutboxMail.Status.FAILED
    assert mail_flush(now=timezone.now() + dt.timedelta(minutes=1)) == 0


@pytest.fixture
def unreachable_broker():
    """The project's Celery app publishing to a Redis port where nothing listens (a real
    connection refusal), without retrying the publish."""
    from llmprep.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager, app._pool)
    saved_policy = app.conf.task_publish_retry_policy
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.task_always_eager = False
    app.conf.task_publish_retry_policy = {"max_retries": 0}
    app._pool = None
    yield
    if app._pool is not None:
        app._pool.force_close_all()
    app.conf.broker_url, app.conf.task_always_eager, app._pool = saved
    app.conf.task_publish_retry_policy = saved_policy


def test_with_the_broker_down_the_decision_commits_and_the_mail_waits(
    member, mailoutbox, django_capture_on_commit_callbacks, unreachable_broker
):
    """A broker that refuses the task must not undo or fail the decision."""
    with django_capture_on_commit_callbacks(execute=True):
        mail = _enqueue(member)

    mail.refresh_from_db()
    assert mail.status == OutboxMail.Status.PENDING
    assert mailoutbox == []
    assert mail_flush(now=timezone.now() + dt.timedelta(minutes=1)) == 1
    assert len(mailoutbox) == 1


def test_the_flush_runs_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["flush-outbox"]
    assert entry["task"] == "outbox.tasks.flush_outbox"
    assert entry["schedule"] == 60.0
