"""Mail to recruiters and applicants about the job board's decisions.

Each mail is queued in the outbox inside the transaction of the decision that causes it, under
a key naming that decision and the recipient, so it is claimed before it is sent and sent at
most once, even when a task is delivered twice; a broker or mail-server outage only delays it."""

from django.conf import settings
from django.urls import reverse

from jobs.models import Job, RecruiterApplication
from outbox.services import mail_enqueue


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def job_recruiters_notify(*, job: Job, template: str, key: str) -> int:
    """Queue `template` for every active recruiter of the posting's company, in their own
    language. Returns how many mails were queued (0 for a key already queued)."""
    context = {
        "job": job,
        "job_url": _absolute(job.get_absolute_url()),
        "dashboard_url": _absolute(reverse("jobs:mine")),
    }
    queued = 0
    for user in job.company.recruiters.filter(is_active=True).order_by("pk"):
        mail = mail_enqueue(
            key=f"{key}:{template}:user:{user.pk}",
            template=template,
            to=user.email,
            language=user.language,
            context={**context, "recipient": user},
        )
        queued += mail is not None
    return queued


def applicant_notify(*, application: RecruiterApplication, template: str) -> bool:
    """Queue the decision on a recruiter application for its applicant."""
    user = application.applicant
    mail = mail_enqueue(
        key=f"recruiter-application:{application.pk}:{template}",
        template=template,
        to=user.email,
        language=user.language,
        context={
            "application": application,
            "recipient": user,
            "dashboard_url": _absolute(reverse("jobs:mine")),
            "apply_url": _absolute(reverse("jobs:recruiter_apply")),
        },
    )
    return mail is not None
