import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from jobs import tasks
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


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=1,  # nothing listens there: a real connection refusal
    EMAIL_TIMEOUT=2,
)
def test_a_failed_job_mail_is_retried_with_backoff(live_job, recruiter):
    from celery.exceptions import Retry

    with pytest.raises(Retry, match="Connection refused"):
        tasks.send_job_email_to.apply(
            kwargs={"template": "job_published", "job_id": live_job.pk, "user_id": recruiter.pk},
            throw=True,
        )


def test_each_recruiter_gets_their_own_mail_task(live_job, recruiter, mailoutbox):
    from tests.factories import UserFactory

    colleague = UserFactory()
    live_job.company.recruiters.add(colleague)

    sent = tasks.send_job_email.apply(
        kwargs={"template": "job_published", "job_id": live_job.pk}
    ).get()

    assert sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([recruiter.email, colleague.email])
