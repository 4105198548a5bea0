import datetime

import pytest
from django.utils import timezone

from jobs import services, tasks
from jobs.models import Job, JobEvent
from jobs.services import job_renew, job_send_expiry_reminders
from tests.jobs.factories import JobFactory

pytestmark = pytest.mark.django_db


def _job(company, *, expires_in):
    now = timezone.now()
    return JobFactory(
        company=company,
        published=True,
        published_at=now - datetime.timedelta(days=20),
        expires_at=now + expires_in,
    )


def test_expiry_task_closes_only_postings_past_their_expiry_and_logs_it(company):
    due = _job(company, expires_in=-datetime.timedelta(minutes=1))
    live = _job(company, expires_in=datetime.timedelta(days=1))

    assert tasks.expire_jobs() == 1
    assert tasks.expire_jobs() == 0

    due.refresh_from_db()
    live.refresh_from_db()
    assert due.status == Job.Status.EXPIRED
    assert live.status == Job.Status.PUBLISHED
    assert list(JobEvent.objects.values_list("job", "from_status", "to_status")) == [
        (due.pk, "published", "expired")
    ]


def test_reminders_go_seven_days_ahead_exactly_once(
    company, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    soon = _job(company, expires_in=datetime.timedelta(days=6))
    later = _job(company, expires_in=datetime.timedelta(days=8))

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_job_expiry_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.send_job_expiry_reminders()

    assert (first, second) == (1, 0)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [recruiter.email]
    assert soon.title in mailoutbox[0].subject
    later.refresh_from_db()
    assert later.reminder_sent_at is None


def test_renewal_rearms_the_reminder(
    company, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    job = _job(company, expires_in=datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_job_expiry_reminders()
    job.refresh_from_db()
    job_renew(job=job, actor=recruiter)

    later = timezone.now() + datetime.timedelta(days=26)
    with django_capture_on_commit_callbacks(execute=True):
        job_send_expiry_reminders(now=later)

    assert len(mailoutbox) == 2


def test_beat_schedule_runs_both_job_tasks_daily(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"jobs.tasks.expire_jobs", "jobs.tasks.send_job_expiry_reminders"} <= tasks_scheduled


def test_each_recruiter_gets_their_own_mail_once_even_if_the_task_runs_twice(
    pending, moderator, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    """A posting's decision queues one outbox mail per recruiter, claimed before it is sent: a
    redelivered task sends nothing more."""
    from outbox.models import OutboxMail
    from outbox.tasks import send_outbox_mail
    from tests.factories import UserFactory

    colleague = UserFactory(language="en")
    pending.company.recruiters.add(colleague)

    with django_capture_on_commit_callbacks(execute=True):
        services.job_publish(job=pending, moderator=moderator)
    for mail in OutboxMail.objects.all():
        assert send_outbox_mail.apply(args=[mail.pk]).get() is False  # already sent

    assert sorted(m.to[0] for m in mailoutbox) == sorted([recruiter.email, colleague.email])
    english = next(m for m in mailoutbox if m.to == [colleague.email])
    assert "is live" in english.subject  # in the colleague's own language
    assert OutboxMail.objects.filter(status="sent").count() == 2
