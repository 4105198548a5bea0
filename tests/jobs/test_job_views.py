import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job, RecruiterApplication
from tests.jobs.factories import CompanyFactory, JobFactory, TagFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
S = Job.Status


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


# The list -----------------------------------------------------------------------------------


def test_list_shows_live_jobs_featured_first_then_newest(client, company):
    now = timezone.now()
    old = JobFactory(company=company, published=True, published_at=now - datetime.timedelta(3))
    new = JobFactory(company=company, published=True, published_at=now - datetime.timedelta(1))
    pinned = JobFactory(
        company=company, published=True, is_featured=True, published_at=now - datetime.timedelta(9)
    )

    response = client.get(reverse("jobs:list"), headers=EN)

    assert list(response.context["page"].object_list) == [pinned, new, old]
    assert "Featured by SJTU Joining AI" in response.content.decode()


@pytest.mark.parametrize("status", [s for s in S.values if s != S.PUBLISHED])
def test_list_hides_jobs_that_are_not_published(client, company, status):
    JobFactory(company=company, status=status, title="看不见的职位")

    response = client.get(reverse("jobs:list"))

    assert "看不见的职位" not in response.content.decode()


def test_list_hides_a_published_job_past_its_expiry_before_the_task_runs(client, company):
    JobFactory(
        company=company,
        published=True,
        title="过期职位",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    response = client.get(reverse("jobs:list"))

    assert "过期职位" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "RLHF方向"}, "rlhf"),
        ({"q": "月之暗面"}, "remote"),
        ({"q": "量化交易"}, "intern"),
        ({"location": "北京"}, "remote"),
        ({"remote_policy": "remote"}, "remote"),
        ({"employment_type": "internship"}, "intern"),
        ({"hiring_track": "campus"}, "intern"),
        ({"tag": "Agents"}, "intern"),
        ({"salary": "50000"}, "remote"),
    ],
)
def test_list_filters(client, params, expected):
    agents = TagFactory(name="agents")
    jobs = {
        "rlhf": JobFactory(published=True, title="大模型算法工程师（RLHF方向）", location="上海"),
        "remote": JobFactory(
            published=True,
            title="推理工程师",
            location="北京",
            remote_policy="remote",
            salary_min=40000,
            salary_max=60000,
            company=CompanyFactory(name="月之暗面"),
        ),
        "intern": JobFactory(
            published=True,
            title="Agent 实习生",
            description="懂一点量化交易",
            location="杭州",
            employment_type="internship",
            hiring_track="campus",
            graduation_year=2026,
            tags=[agents],
        ),
    }

    response = client.get(reverse("jobs:list"), params)

    assert list(response.context["page"].object_list) == [jobs[expected]]


def test_list_paginates_and_keeps_the_filters_in_page_links(client, company):
    for _ in range(21):
        JobFactory(company=company, published=True, location="上海")

    first = client.get(reverse("jobs:list"), {"location": "上海"})
    second = client.get(reverse("jobs:list"), {"location": "上海", "page": 2})

    assert len(first.context["page"].object_list) == 20
    assert "page=2" in first.content.decode()
    assert "location=%E4%B8%8A%E6%B5%B7" in first.content.decode()
    assert len(second.context["page"].object_list) == 1


def test_list_htmx_request_gets_only_the_results_partial(client, live_job):
    response = client.get(reverse("jobs:list"), {"q": "工程师"}, headers={"hx-request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="job-results"')
    assert "<html" not in html
    assert live_job.title in html


def test_list_without_htmx_is_a_whole_page_with_a_working_get_form(client):
    html = client.get(reverse("jobs:list")).content.decode()

    assert "<html" in html
    assert 'method="get"' in html
    assert 'id="job-results"' in html


def test_list_query_count_does_not_grow_with_jobs_or_tags(client, django_assert_num_queries):
    def add_jobs(n):
        for _ in range(n):
            JobFactory(published=True, tags=[TagFactory(), TagFactory()])

    add_jobs(2)
    client.get(reverse("jobs:list"))  # warm up anything cached per process
    # count, page of jobs (with company), their tags
    with django_assert_num_queries(3):
        client.get(reverse("jobs:list"))
    add_jobs(8)
    with django_assert_num_queries(3):
        response = client.get(reverse("jobs:list"))
    assert len(response.context["page"].object_list) == 10


# The detail page ----------------------------------------------------------------------------


def test_detail_redirects_to_the_canonical_unicode_slug(client, company):
    job = JobFactory(company=company, published=True, title="大模型算法工程师（RLHF方向）")

    bare = client.get(reverse("jobs:detail", args=[job.pk]))
    wrong = client.get(reverse("jobs:detail_slug", args=[job.pk, "旧标题"]))
    right = client.get(job.get_absolute_url())

    assert bare.status_code == wrong.status_code == 301
    assert bare["Location"] == wrong["Location"] == job.get_absolute_url()
    assert "大模型算法工程师rlhf方向" in right.wsgi_request.path
    assert right.status_code == 200


def test_detail_has_job_posting_json_ld_with_the_required_keys(client, company):
    job = JobFactory(
        company=company,
        published=True,
        tags=[TagFactory(name="LLM")],
        remote_policy="hybrid",
        employment_type="full_time",
    )

    data = _jsonld(client.get(job.get_absolute_url()).content.decode())

    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "JobPosting"
    assert data["title"] == job.title
    assert "<strong>RLHF</strong>" in data["description"]
    assert datetime.datetime.fromisoformat(data["datePosted"]) == job.published_at
    assert datetime.datetime.fromisoformat(data["validThrough"]) == job.expires_at
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"]["name"] == company.name
    assert data["jobLocation"]["address"]["addressLocality"] == "上海"
    assert data["baseSalary"]["currency"] == "CNY"
    assert data["baseSalary"]["value"]["minValue"] == 25000
    assert data["baseSalary"]["value"]["maxValue"] == 40000
    assert data["baseSalary"]["value"]["unitText"] == "MONTH"


def test_remote_job_json_ld_says_telecommute(client, company):
    job = JobFactory(
        company=company, published=True, remote_policy="remote", salary_min=None, salary_max=None
    )

    data = _jsonld(client.get(job.get_absolute_url()).content.decode())

    assert data["jobLocationType"] == "TELECOMMUTE"
    assert "jobLocation" not in data
    assert "baseSalary" not in data


def test_a_title_cannot_break_out_of_the_json_ld_script(client, company):
    job = JobFactory(company=company, published=True, title="</script><script>alert(1)</script>")

    html = client.get(job.get_absolute_url(), follow=True).content.decode()

    assert "<script>alert(1)" not in html
    assert _jsonld(html)["title"] == job.title


def test_detail_of_an_expired_job_says_it_is_closed_and_has_no_apply_link_or_json_ld(
    client, company
):
    job = JobFactory(
        company=company, published=True, expires_at=timezone.now() - datetime.timedelta(hours=1)
    )

    html = client.get(job.get_absolute_url(), headers=EN).content.decode()

    assert "no longer accepting applications" in html
    assert job.apply_url not in html
    assert "application/ld+json" not in html


def test_detail_shows_the_salary_in_the_16_months_form(client, live_job):
    html = client.get(live_job.get_absolute_url()).content.decode()

    assert "25K-40K CNY 每月 · 16薪" in html


def test_detail_query_count_does_not_grow_with_tags(client, company, django_assert_num_queries):
    job = JobFactory(company=company, published=True, tags=[TagFactory()])
    client.get(job.get_absolute_url())
    with django_assert_num_queries(2):  # the job with its company, its tags
        client.get(job.get_absolute_url())
    job.tags.add(*[TagFactory() for _ in range(6)])
    with django_assert_num_queries(2):
        client.get(job.get_absolute_url())


@pytest.mark.parametrize("status", [S.DRAFT, S.PENDING, S.CHANGES_REQUESTED, S.REJECTED])
def test_unpublished_job_is_404_to_everyone_but_its_recruiters_and_moderators(
    client, status, company, member, other_recruiter, recruiter, moderator
):
    job = JobFactory(company=company, status=status)
    url = reverse("jobs:detail", args=[job.pk])

    def status_for(user):
        client.logout()
        if user:
            client.force_login(user)
        return client.get(url, follow=True).status_code

    assert status_for(None) == 404
    assert status_for(member) == 404
    assert status_for(other_recruiter) == 404
    assert status_for(recruiter) == 200
    assert status_for(moderator) == 200


def test_unknown_job_is_404(client):
    assert client.get(reverse("jobs:detail", args=[999999])).status_code == 404


# Recruiter pages ----------------------------------------------------------------------------

RECRUITER_PAGES = [
    ("jobs:mine", []),
    ("jobs:create", []),
]


@pytest.mark.parametrize(("name", "args"), RECRUITER_PAGES)
def test_recruiter_pages_send_anonymous_visitors_to_log_in(client, name, args):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "args"), RECRUITER_PAGES)
def test_recruiter_pages_tell_a_member_how_to_become_a_recruiter(client, member, name, args):
    client.force_login(member)

    response = client.get(reverse(name, args=args), headers=EN)

    assert response.status_code == 403
    assert "Only recruiters can post jobs" in response.content.decode()
    assert reverse("jobs:recruiter_apply") in response.content.decode()


def test_dashboard_lists_only_the_companys_jobs_with_reasons(client, recruiter, company):
    mine = JobFactory(
        company=company, status=S.REJECTED, rejection_reason="incomplete", review_note="请补充职责"
    )
    theirs = JobFactory(title="别家的职位")
    client.force_login(recruiter)

    html = client.get(reverse("jobs:mine"), headers=EN).content.decode()

    assert mine.title in html
    assert "请补充职责" in html
    assert "Incomplete or unclear" in html
    assert theirs.title not in html


def test_recruiter_creates_a_draft_through_the_form(client, recruiter, company):
    client.force_login(recruiter)

    response = client.post(
        reverse("jobs:create"),
        {
            "company": company.pk,
            "title": "大模型算法工程师（RLHF方向）",
            "location": "上海",
            "country": "CN",
            "remote_policy": "onsite",
            "employment_type": "full_time",
            "hiring_track": "experienced",
            "salary_currency": "CNY",
            "salary_period": "month",
            "description": "负责 RLHF",
            "apply_url": "https://jobs.example.com/1",
            "tags": "LLM，RLHF、推理",
        },
    )

    job = Job.objects.get()
    assert response.status_code == 302
    assert job.status == S.DRAFT
    assert job.created_by == recruiter
    assert sorted(t.name for t in job.tags.all()) == ["LLM", "RLHF", "推理"]


def test_editing_someone_elses_job_is_404(client, other_recruiter, draft):
    client.force_login(other_recruiter)

    assert client.get(reverse("jobs:edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("jobs:submit", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_editing_a_live_job_through_the_form_sends_it_to_review(client, recruiter, live_job):
    client.force_login(recruiter)
    url = reverse("jobs:edit", args=[live_job.pk])
    form = client.get(url).context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data["title"] = "资深推理工程师"

    response = client.post(url, data)

    live_job.refresh_from_db()
    assert response.status_code == 302
    assert (live_job.title, live_job.status) == ("资深推理工程师", S.PENDING)


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("jobs:submit", S.DRAFT, S.PENDING),
        ("jobs:renew", S.PUBLISHED, S.PUBLISHED),
        ("jobs:archive", S.PUBLISHED, S.EXPIRED),
        ("jobs:mark_filled", S.PUBLISHED, S.FILLED),
    ],
)
def test_recruiter_actions_are_post_only_and_change_the_status(
    client, recruiter, company, action, start, end
):
    job = JobFactory(company=company, published=start == S.PUBLISHED, status=start)
    client.force_login(recruiter)

    get = client.get(reverse(action, args=[job.pk]))
    post = client.post(reverse(action, args=[job.pk]))

    job.refresh_from_db()
    assert get.status_code == 405
    assert post.status_code == 302
    assert job.status == end


def test_an_illegal_recruiter_action_is_a_message_not_an_error(client, recruiter, draft):
    client.force_login(recruiter)

    response = client.post(reverse("jobs:mark_filled", args=[draft.pk]), follow=True, headers=EN)

    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert "not possible" in response.content.decode()


def test_recruiter_actions_need_the_csrf_token(recruiter, draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(recruiter)

    response = client.post(reverse("jobs:submit", args=[draft.pk]))

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


# Applying to be a recruiter --------------------------------------------------------------


def test_member_applies_to_become_a_recruiter(client, member):
    client.force_login(member)

    response = client.post(
        reverse("jobs:recruiter_apply"),
        {
            "company_name": "阶跃星辰",
            "website": "https://stepfun.example.com",
            "work_email": "hr@stepfun.example.com",
            "note": "招聘多模态算法",
        },
        follow=True,
    )

    application = RecruiterApplication.objects.get()
    assert application.applicant == member
    assert application.status == RecruiterApplication.Status.PENDING
    assert "阶跃星辰" in response.content.decode()


def test_applying_needs_a_login(client):
    response = client.get(reverse("jobs:recruiter_apply"))

    assert response.status_code == 302


def test_a_recruiter_visiting_apply_is_sent_to_the_dashboard(client, recruiter):
    client.force_login(recruiter)

    response = client.get(reverse("jobs:recruiter_apply"))

    assert response["Location"] == reverse("jobs:mine")
