"""Apply → approve → post → submit → approve → visible → expire, through the pages and the
admin the way people use them, with the beat task doing the expiring."""

import datetime
import json
import re

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone

from jobs import tasks
from jobs.models import Job, RecruiterApplication

pytestmark = pytest.mark.django_db


def test_the_whole_life_of_a_job(
    client, member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    # A member applies to become a recruiter.
    client.force_login(member)
    client.post(
        reverse("jobs:recruiter_apply"),
        {
            "company_name": "深度求索",
            "website": "https://deepseek.example.com",
            "work_email": "hr@deepseek.example.com",
            "note": "招聘大模型算法工程师",
        },
    )
    application = RecruiterApplication.objects.get(applicant=member)

    # A moderator approves the application in the admin; the member is emailed.
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:jobs_recruiterapplication_changelist"),
            {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [application.pk]},
        )
    assert mailoutbox[-1].to == [member.email]

    # The new recruiter posts a job and submits it.
    client.force_login(member)
    company = member.companies.get()
    client.post(
        reverse("jobs:create"),
        {
            "company": company.pk,
            "title": "大模型算法工程师（RLHF方向）",
            "location": "上海",
            "country": "CN",
            "remote_policy": "hybrid",
            "employment_type": "full_time",
            "hiring_track": "experienced",
            "salary_min": 25000,
            "salary_max": 40000,
            "salary_currency": "CNY",
            "salary_period": "month",
            "salary_months": 16,
            "description": "负责 **RLHF** 训练",
            "apply_email": "jobs@deepseek.example.com",
            "tags": "LLM, RLHF",
        },
    )
    job = Job.objects.get()
    assert client.get(reverse("jobs:list")).context["page"].paginator.count == 0
    client.post(reverse("jobs:submit", args=[job.pk]))

    # A moderator approves it from the review queue; the recruiter is emailed.
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:jobs_pendingjob_changelist"),
            {"action": "publish", helpers.ACTION_CHECKBOX_NAME: [job.pk]},
        )
    job.refresh_from_db()
    assert job.status == Job.Status.PUBLISHED
    assert mailoutbox[-1].to == [member.email]

    # Everyone sees it: the list, the feed, the detail page's JSON-LD.
    client.logout()
    assert list(client.get(reverse("jobs:list")).context["page"].object_list) == [job]
    assert job.get_absolute_url() in client.get(reverse("jobs:feed")).content.decode()
    html = client.get(job.get_absolute_url()).content.decode()
    ld = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["title"] == "大模型算法工程师（RLHF方向）"
    assert ld["hiringOrganization"]["name"] == "深度求索"

    # Time passes; the daily task expires it.
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    assert tasks.expire_jobs() == 1

    assert client.get(reverse("jobs:list")).context["page"].paginator.count == 0
    assert job.get_absolute_url() not in client.get(reverse("jobs:feed")).content.decode()
    closed = client.get(job.get_absolute_url(), headers={"accept-language": "en"})
    assert closed.status_code == 200
    assert "no longer accepting applications" in closed.content.decode()
    assert list(job.events.values_list("to_status", flat=True)) == [
        "draft",
        "pending",
        "published",
        "expired",
    ]
