import datetime

import pytest
from django.utils import timezone

from accounts.selectors import user_is_recruiter
from jobs import services
from jobs.models import Company, Job, JobEvent, RecruiterApplication
from llmprep.errors import InvalidTransition, InvalidValue, NotAllowed
from tests.jobs.factories import CompanyFactory, JobFactory, RecruiterApplicationFactory

pytestmark = pytest.mark.django_db

S = Job.Status

CONTENT = {
    "title": "大模型算法工程师（RLHF方向）",
    "location": "上海",
    "remote_policy": "hybrid",
    "employment_type": "full_time",
    "hiring_track": "experienced",
    "description": "# 职责\n\n负责 RLHF。<script>alert(1)</script>",
    "apply_email": "hr@example.com",
    "salary_min": 25000,
    "salary_max": 40000,
    "salary_months": 16,
}


def _events(job):
    return list(JobEvent.objects.filter(job=job).values_list("from_status", "to_status"))


# Creating and editing ------------------------------------------------------------------------


def test_creating_a_job_makes_a_logged_draft_with_rendered_sanitized_description(
    recruiter, company
):
    job = services.job_create(
        author=recruiter, company=company, content=CONTENT, tags=["LLM", "rlhf", "RLHF", "推理"]
    )

    assert job.status == S.DRAFT
    assert "<h1>" in job.description_html
    assert "<script>" not in job.description_html
    assert sorted(t.slug for t in job.tags.all()) == ["llm", "rlhf", "推理"]
    assert _events(job) == [("", S.DRAFT)]


def test_a_recruiter_cannot_create_a_job_for_another_company(recruiter, other_recruiter):
    with pytest.raises(NotAllowed):
        services.job_create(
            author=recruiter, company=other_recruiter.companies.get(), content=CONTENT
        )


def test_creating_a_job_without_any_apply_route_is_refused(recruiter, company):
    content = {**CONTENT, "apply_email": ""}

    with pytest.raises(InvalidValue):
        services.job_create(author=recruiter, company=company, content=content)
    assert not Job.objects.exists()


def test_editing_a_published_job_substance_sends_it_back_to_review(recruiter, live_job):
    job = services.job_update(
        job=live_job, actor=recruiter, content={"title": "资深推理工程师", "description": "新"}
    )

    assert job.status == S.PENDING
    assert job.title == "资深推理工程师"
    assert job.description_html.strip() == "<p>新</p>"
    assert _events(job)[-1] == (S.PUBLISHED, S.PENDING)


def test_saving_a_published_job_unchanged_keeps_it_live(recruiter, live_job):
    job = services.job_update(
        job=live_job, actor=recruiter, content={"title": live_job.title}, tags=[]
    )

    assert job.status == S.PUBLISHED
    assert not JobEvent.objects.filter(job=job).exists()


def test_changing_the_tags_of_a_published_job_is_substance(recruiter, live_job):
    job = services.job_update(job=live_job, actor=recruiter, content={}, tags=["Agents"])

    assert job.status == S.PENDING
    assert [t.name for t in job.tags.all()] == ["Agents"]


def test_editing_a_rejected_job_keeps_it_rejected_until_resubmitted(recruiter, company):
    job = JobFactory(company=company, status=S.REJECTED)

    job = services.job_update(job=job, actor=recruiter, content={"title": "改好了"})

    assert job.status == S.REJECTED
    assert services.job_submit(job=job, actor=recruiter).status == S.PENDING


@pytest.mark.parametrize("status", [S.EXPIRED, S.FILLED])
def test_closed_jobs_cannot_be_edited(recruiter, company, status):
    job = JobFactory(company=company, status=status)

    with pytest.raises(InvalidTransition):
        services.job_update(job=job, actor=recruiter, content={"title": "改"})
    job.refresh_from_db()
    assert job.title != "改"


def test_an_edit_racing_a_status_change_is_refused_and_writes_nothing(recruiter, live_job):
    Job.objects.filter(pk=live_job.pk).update(status=S.FILLED)  # behind the caller's back

    with pytest.raises(InvalidTransition):
        services.job_update(job=live_job, actor=recruiter, content={"title": "抢先"})
    live_job.refresh_from_db()
    assert (live_job.status, live_job.title) == (S.FILLED, live_job.title)
    assert live_job.title != "抢先"


# Transitions -----------------------------------------------------------------------------


LEGAL = {
    "submit": {S.DRAFT, S.CHANGES_REQUESTED, S.REJECTED},
    "publish": {S.PENDING},
    "request_changes": {S.PENDING},
    "reject": {S.PENDING},
    "mark_filled": {S.PUBLISHED, S.EXPIRED},
    "renew": {S.PUBLISHED, S.EXPIRED},
    "archive": {S.DRAFT, S.PENDING, S.CHANGES_REQUESTED, S.PUBLISHED},
}
RESULT = {
    "submit": S.PENDING,
    "publish": S.PUBLISHED,
    "request_changes": S.CHANGES_REQUESTED,
    "reject": S.REJECTED,
    "mark_filled": S.FILLED,
    "renew": S.PUBLISHED,
    "archive": S.EXPIRED,
}


def _run(action, job, recruiter, moderator):
    calls = {
        "submit": lambda: services.job_submit(job=job, actor=recruiter),
        "publish": lambda: services.job_publish(job=job, moderator=moderator),
        "request_changes": lambda: services.job_request_changes(
            job=job, moderator=moderator, note="请补充薪资"
        ),
        "reject": lambda: services.job_reject(
            job=job, moderator=moderator, reason="not_ai", note="与AI无关"
        ),
        "mark_filled": lambda: services.job_mark_filled(job=job, actor=recruiter),
        "renew": lambda: services.job_renew(job=job, actor=recruiter),
        "archive": lambda: services.job_archive(job=job, actor=recruiter),
    }
    return calls[action]()


def _job_in(status, company):
    now = timezone.now()
    ever_published = status in (S.PUBLISHED, S.EXPIRED, S.FILLED)
    return JobFactory(
        company=company,
        status=status,
        published_at=now - datetime.timedelta(days=40) if ever_published else None,
        expires_at=now + datetime.timedelta(days=3) if ever_published else None,
    )


@pytest.mark.parametrize(
    ("action", "status"),
    [(action, status) for action, allowed in LEGAL.items() for status in sorted(allowed)],
)
def test_every_legal_transition_changes_the_status_and_is_logged(
    action, status, recruiter, company, moderator, django_capture_on_commit_callbacks
):
    job = _job_in(status, company)

    with django_capture_on_commit_callbacks(execute=True):
        job = _run(action, job, recruiter, moderator)

    assert job.status == RESULT[action]
    event = JobEvent.objects.filter(job=job).last()
    assert (event.from_status, event.to_status) == (status, RESULT[action])
    assert event.actor in (recruiter, moderator)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (action, status)
        for action, allowed in LEGAL.items()
        for status in sorted(set(S.values) - allowed)
    ],
)
def test_every_illegal_transition_is_refused_and_changes_nothing(
    action, status, recruiter, company, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    job = _job_in(status, company)
    before = Job.objects.filter(pk=job.pk).values().get()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        _run(action, job, recruiter, moderator)

    assert Job.objects.filter(pk=job.pk).values().get() == before
    assert not JobEvent.objects.filter(job=job).exists()
    assert mailoutbox == []


def test_publishing_sets_published_at_and_a_thirty_day_expiry(pending, moderator):
    now = timezone.now()

    job = services.job_publish(job=pending, moderator=moderator, now=now)

    assert job.published_at == now
    assert job.expires_at == now + datetime.timedelta(days=30)


def test_a_requested_expiry_is_honoured_but_capped_at_ninety_days(pending, moderator):
    now = timezone.now()
    Job.objects.filter(pk=pending.pk).update(
        requested_expires_on=(now + datetime.timedelta(days=200)).date()
    )
    pending.refresh_from_db()

    job = services.job_publish(job=pending, moderator=moderator, now=now)

    assert job.expires_at == now + datetime.timedelta(days=90)


def test_a_shorter_requested_expiry_ends_at_the_end_of_that_day(pending, moderator):
    now = timezone.now()
    wanted = timezone.localdate(now) + datetime.timedelta(days=10)
    Job.objects.filter(pk=pending.pk).update(requested_expires_on=wanted)
    pending.refresh_from_db()

    job = services.job_publish(job=pending, moderator=moderator, now=now)

    local_expiry = timezone.localtime(job.expires_at)
    assert local_expiry.date() == wanted + datetime.timedelta(days=1)
    assert (local_expiry.hour, local_expiry.minute) == (0, 0)


def test_publishing_needs_a_moderator(pending, recruiter):
    with pytest.raises(NotAllowed):
        services.job_publish(job=pending, moderator=recruiter)
    pending.refresh_from_db()
    assert pending.status == S.PENDING


def test_only_the_companys_recruiters_may_submit(draft, other_recruiter):
    with pytest.raises(NotAllowed):
        services.job_submit(job=draft, actor=other_recruiter)


def test_two_moderators_approving_at_once_publish_once(pending, moderator):
    stale_copy = Job.objects.get(pk=pending.pk)
    services.job_publish(job=pending, moderator=moderator)

    with pytest.raises(InvalidTransition):
        services.job_publish(job=stale_copy, moderator=moderator)
    assert JobEvent.objects.filter(job=pending, to_status=S.PUBLISHED).count() == 1


def test_rejecting_stores_the_reason_and_emails_the_recruiter_after_commit(
    pending, moderator, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.job_reject(job=pending, moderator=moderator, reason="spam", note="广告")
    assert mailoutbox == []  # nothing leaves before the transaction commits

    for callback in callbacks:
        callback()

    assert (job.rejection_reason, job.review_note) == ("spam", "广告")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [recruiter.email]
    assert "广告" in mailoutbox[0].body


def test_rejecting_with_an_unknown_reason_is_refused(pending, moderator):
    with pytest.raises(InvalidValue):
        services.job_reject(job=pending, moderator=moderator, reason="ugly")
    pending.refresh_from_db()
    assert pending.status == S.PENDING


def test_requesting_changes_needs_a_note(pending, moderator):
    with pytest.raises(InvalidValue):
        services.job_request_changes(job=pending, moderator=moderator, note="  ")


def test_renewing_extends_by_thirty_days_once(live_job, recruiter):
    now = timezone.now()
    old_expiry = live_job.expires_at

    job = services.job_renew(job=live_job, actor=recruiter, now=now)

    assert job.expires_at == old_expiry + datetime.timedelta(days=30)
    assert job.renewed_count == 1
    with pytest.raises(InvalidTransition):
        services.job_renew(job=job, actor=recruiter, now=now)


def test_renewing_an_expired_job_brings_it_back_for_thirty_days(recruiter, company):
    now = timezone.now()
    job = JobFactory(
        company=company, status=S.EXPIRED, published_at=now, expires_at=now - datetime.timedelta(1)
    )

    job = services.job_renew(job=job, actor=recruiter, now=now)

    assert job.status == S.PUBLISHED
    assert job.expires_at == now + datetime.timedelta(days=30)
    assert Job.objects.live(now=now).filter(pk=job.pk).exists()


def test_archiving_a_live_job_takes_it_off_the_board_now(live_job, recruiter):
    job = services.job_archive(job=live_job, actor=recruiter)

    assert job.status == S.EXPIRED
    assert not Job.objects.live().filter(pk=job.pk).exists()


def test_pinning_a_job_as_featured(live_job, moderator):
    services.job_set_featured(job=live_job, moderator=moderator, featured=True)

    live_job.refresh_from_db()
    assert live_job.is_featured


# Live ------------------------------------------------------------------------------------


def test_a_published_job_past_its_expiry_is_not_live_before_the_task_runs(company):
    job = JobFactory(company=company, published=True)
    later = job.expires_at + datetime.timedelta(seconds=1)

    assert Job.objects.live().filter(pk=job.pk).exists()
    assert not Job.objects.live(now=later).filter(pk=job.pk).exists()
    assert not job.is_live(now=later)


# Recruiter applications ----------------------------------------------------------------------


def test_submitting_a_second_pending_application_is_refused(member):
    services.recruiter_application_submit(
        applicant=member, company_name="智谱", website="https://zhipu.example", work_email="a@b.cn"
    )

    with pytest.raises(InvalidTransition):
        services.recruiter_application_submit(
            applicant=member,
            company_name="智谱",
            website="https://zhipu.example",
            work_email="a@b.cn",
        )
    assert RecruiterApplication.objects.count() == 1


def test_approving_an_application_makes_a_recruiter_of_a_new_company_and_emails_them(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    application = RecruiterApplicationFactory(company_name="阶跃星辰")

    with django_capture_on_commit_callbacks(execute=True):
        services.recruiter_application_approve(application=application, moderator=moderator)

    application.refresh_from_db()
    company = Company.objects.get(name="阶跃星辰")
    assert application.status == RecruiterApplication.Status.APPROVED
    assert application.reviewed_by == moderator
    assert application.company == company
    assert list(company.recruiters.all()) == [application.applicant]
    assert user_is_recruiter(application.applicant)
    assert [m.to for m in mailoutbox] == [[application.applicant.email]]


def test_approving_an_application_for_a_known_company_joins_it(moderator):
    existing = CompanyFactory(name="MiniMax")
    application = RecruiterApplicationFactory(company_name="minimax")

    services.recruiter_application_approve(application=application, moderator=moderator)

    assert Company.objects.count() == 1
    assert application.applicant in existing.recruiters.all()


def test_an_application_is_reviewed_only_once(moderator):
    application = RecruiterApplicationFactory()
    services.recruiter_application_reject(application=application, moderator=moderator, reason="x")

    with pytest.raises(InvalidTransition):
        services.recruiter_application_approve(application=application, moderator=moderator)
    assert not user_is_recruiter(application.applicant)


def test_rejecting_an_application_emails_the_reason(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    application = RecruiterApplicationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.recruiter_application_reject(
            application=application, moderator=moderator, reason="无法核实公司邮箱"
        )

    assert "无法核实公司邮箱" in mailoutbox[0].body
