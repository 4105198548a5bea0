"""Celery tasks of the job board. They take ids, call one service or send one templated mail,
and are safe to run twice (the periodic ones claim their rows by conditional UPDATE)."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from llmprep.emails import send_email


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# A mail server that is down or refuses a connection raises OSError (smtplib's errors included):
# such a send is retried with backoff. Each task mails one recipient, so a retry never re-sends
# to the others.
RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": 8,
    "acks_late": True,
}


def _send_to(user, template: str, context: dict) -> None:
    # Written in the recipient's own language.
    if user.email:
        send_email(
            template,
            to=[user.email],
            context={**context, "recipient": user},
            language=user.language,
        )


@shared_task
def send_job_email(*, template: str, job_id: int) -> int:
    """Tell the recruiters of a posting's company what happened to it: one task each."""
    from jobs.models import Job

    job = Job.objects.select_related("company").filter(pk=job_id).first()
    if job is None:
        return 0
    recipients = list(job.company.recruiters.filter(is_active=True).values_list("pk", flat=True))
    for user_id in recipients:
        send_job_email_to.delay(template=template, job_id=job_id, user_id=user_id)
    return len(recipients)


@shared_task(**RETRY)
def send_job_email_to(*, template: str, job_id: int, user_id: int) -> None:
    from accounts.models import User
    from jobs.models import Job

    job = Job.objects.select_related("company").filter(pk=job_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if job is None or user is None:
        return
    context = {
        "job": job,
        "job_url": _absolute(job.get_absolute_url()),
        "dashboard_url": _absolute(reverse("jobs:mine")),
    }
    _send_to(user, template, context)


@shared_task(**RETRY)
def send_application_email(*, template: str, application_id: int) -> None:
    from jobs.models import RecruiterApplication

    application = (
        RecruiterApplication.objects.select_related("applicant", "company")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return
    context = {
        "application": application,
        "dashboard_url": _absolute(reverse("jobs:mine")),
        "apply_url": _absolute(reverse("jobs:recruiter_apply")),
    }
    _send_to(application.applicant, template, context)


@shared_task
def expire_jobs() -> int:
    from jobs.services import job_expire_due

    return job_expire_due()


@shared_task
def send_job_expiry_reminders() -> int:
    from jobs.services import job_send_expiry_reminders

    return job_send_expiry_reminders()
