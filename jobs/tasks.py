"""Celery tasks of the job board. They take ids, call one service or send one templated mail,
and are safe to run twice (the periodic ones claim their rows by conditional UPDATE)."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from llmprep.emails import send_email


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send_to(users, template: str, context: dict) -> None:
    # One message per recipient, so each is written in that member's own language.
    for user in users:
        if user.email:
            send_email(
                template,
                to=[user.email],
                context={**context, "recipient": user},
                language=user.language,
            )


@shared_task
def send_job_email(*, template: str, job_id: int) -> None:
    """Tell the recruiters of a posting's company what happened to it."""
    from jobs.models import Job

    job = Job.objects.select_related("company").filter(pk=job_id).first()
    if job is None:
        return
    context = {
        "job": job,
        "job_url": _absolute(job.get_absolute_url()),
        "dashboard_url": _absolute(reverse("jobs:mine")),
    }
    _send_to(job.company.recruiters.filter(is_active=True), template, context)


@shared_task
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
    _send_to([application.applicant], template, context)


@shared_task
def expire_jobs() -> int:
    from jobs.services import job_expire_due

    return job_expire_due()


@shared_task
def send_job_expiry_reminders() -> int:
    from jobs.services import job_send_expiry_reminders

    return job_send_expiry_reminders()
