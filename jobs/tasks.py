"""Celery tasks of the job board: the periodic expiry and reminder runs. Both claim their rows
by conditional UPDATE, so they are safe to run twice; their mail goes through the outbox."""

from celery import shared_task


@shared_task
def expire_jobs() -> int:
    from jobs.services import job_expire_due

    return job_expire_due()


@shared_task
def send_job_expiry_reminders() -> int:
    from jobs.services import job_send_expiry_reminders

    return job_send_expiry_reminders()
