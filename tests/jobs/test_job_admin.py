import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from accounts.selectors import user_is_recruiter
from jobs.models import Job, RecruiterApplication
from tests.jobs.factories import JobFactory, RecruiterApplicationFactory

pytestmark = pytest.mark.django_db


def _action(client, url, action, objects, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [o.pk for o in objects], **extra}
    return client.post(url, data)


def test_moderator_sees_only_pending_jobs_in_the_review_queue(client, moderator, company):
    pending = JobFactory(company=company, status="pending", title="待审职位")
    JobFactory(company=company, status="draft", title="草稿职位")
    client.force_login(moderator)

    html = client.get(reverse("admin:jobs_pendingjob_changelist"), {"q": "职位"}).content.decode()

    assert pending.title in html
    assert "草稿职位" not in html


def test_moderator_bulk_approves_pending_jobs(
    client, moderator, company, django_capture_on_commit_callbacks
):
    jobs = [JobFactory(company=company, status="pending") for _ in range(2)]
    draft = JobFactory(company=company)
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = _action(
            client, reverse("admin:jobs_pendingjob_changelist"), "publish", [*jobs, draft]
        )

    assert response.status_code == 302
    assert set(Job.objects.live().values_list("pk", flat=True)) == {j.pk for j in jobs}


def test_reject_action_asks_for_a_reason_then_rejects_and_emails(
    client, moderator, company, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    job = JobFactory(company=company, status="pending")
    client.force_login(moderator)
    url = reverse("admin:jobs_job_changelist")

    form_page = _action(client, url, "reject", [job])
    with django_capture_on_commit_callbacks(execute=True):
        done = _action(client, url, "reject", [job], apply="1", reason="not_ai", note="不是AI岗位")

    job.refresh_from_db()
    assert form_page.status_code == 200
    assert 'name="reason"' in form_page.content.decode()
    assert done.status_code == 302
    assert (job.status, job.rejection_reason, job.review_note) == (
        "rejected",
        "not_ai",
        "不是AI岗位",
    )
    assert [m.to for m in mailoutbox] == [[recruiter.email]]


def test_request_changes_action_needs_a_note(client, moderator, company):
    job = JobFactory(company=company, status="pending")
    client.force_login(moderator)
    url = reverse("admin:jobs_job_changelist")

    empty = _action(client, url, "request_changes", [job], apply="1", note="")
    job.refresh_from_db()
    assert empty.status_code == 200 and job.status == "pending"

    _action(client, url, "request_changes", [job], apply="1", note="请写明薪资")
    job.refresh_from_db()
    assert (job.status, job.review_note) == ("changes_requested", "请写明薪资")


def test_pin_as_featured_action(client, moderator, live_job):
    client.force_login(moderator)

    _action(client, reverse("admin:jobs_job_changelist"), "feature", [live_job])

    live_job.refresh_from_db()
    assert live_job.is_featured


def test_moderator_approves_a_recruiter_application(client, moderator):
    application = RecruiterApplicationFactory()
    client.force_login(moderator)

    _action(client, reverse("admin:jobs_recruiterapplication_changelist"), "approve", [application])

    application.refresh_from_db()
    assert application.status == RecruiterApplication.Status.APPROVED
    assert user_is_recruiter(application.applicant)


def test_a_recruiter_cannot_use_the_admin(client, recruiter):
    client.force_login(recruiter)

    response = client.get(reverse("admin:jobs_job_changelist"))

    assert response.status_code == 302
