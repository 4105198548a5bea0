"""The job board API per role: anonymous, member, recruiter of the company, recruiter of
another company, moderator."""

import datetime

import pytest
from django.utils import timezone

from jobs.models import Job, JobEvent
from jobs.services import job_publish
from tests.jobs.factories import CompanyFactory, JobFactory, TagFactory

pytestmark = pytest.mark.django_db

JOBS = "/api/v1/jobs/"
MINE = "/api/v1/jobs/mine/"


def _job(pk):
    return f"/api/v1/jobs/{pk}/"


@pytest.fixture
def company(recruiter):
    return CompanyFactory(name="深度求索", recruiters=[recruiter])


@pytest.fixture
def board(company, recruiter):
    rlhf = TagFactory(name="RLHF")
    live = JobFactory(
        company=company,
        created_by=recruiter,
        published=True,
        title="大模型算法工程师（RLHF）",
        location="上海",
        remote_policy="hybrid",
        tags=[rlhf],
    )
    intern = JobFactory(
        company=company,
        created_by=recruiter,
        published=True,
        title="推理加速实习生",
        location="北京",
        employment_type="internship",
        hiring_track="internship",
        salary_min=300,
        salary_max=500,
        salary_period="day",
        salary_months=None,
    )
    draft = JobFactory(company=company, created_by=recruiter, title="多模态研究员（草稿）")
    expired = JobFactory(
        company=company,
        created_by=recruiter,
        title="已过期的职位",
        status=Job.Status.EXPIRED,
        published_at=timezone.now() - datetime.timedelta(days=40),
        expires_at=timezone.now() - datetime.timedelta(days=10),
    )
    return {"live": live, "intern": intern, "draft": draft, "expired": expired}


NEW_JOB = {
    "title": "大模型预训练工程师",
    "location": "杭州",
    "description": "负责 **预训练** 数据与训练框架。",
    "apply_url": "https://jobs.example.com/pretrain",
    "salary_min": 30000,
    "salary_max": 50000,
    "salary_months": 15,
    "tags": ["预训练", "LLM", "llm"],
}


# The public board -------------------------------------------------------------------------------


def test_the_board_lists_live_postings_only(api, board):
    response = api.get(JOBS)

    titles = [j["title"] for j in response.json()["results"]]
    assert response.status_code == 200
    assert sorted(titles) == sorted(["大模型算法工程师（RLHF）", "推理加速实习生"])
    live = next(j for j in response.json()["results"] if j["id"] == board["live"].pk)
    assert live["company"]["name"] == "深度求索"
    assert live["tags"] == ["RLHF"]
    assert live["is_live"] is True
    assert "<strong>RLHF</strong>" in live["description_html"]
    assert "review_note" not in live


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"search": "推理"}, ["推理加速实习生"]),
        ({"search": "深度求索"}, ["大模型算法工程师（RLHF）", "推理加速实习生"]),
        ({"location": "上海"}, ["大模型算法工程师（RLHF）"]),
        ({"remote_policy": "hybrid"}, ["大模型算法工程师（RLHF）"]),
        ({"employment_type": "internship"}, ["推理加速实习生"]),
        ({"hiring_track": "internship"}, ["推理加速实习生"]),
        ({"tag": "rlhf"}, ["大模型算法工程师（RLHF）"]),
        ({"salary": "35000"}, ["大模型算法工程师（RLHF）"]),
    ],
)
def test_the_boards_filters(api, board, params, titles):
    response = api.get(JOBS, params)

    assert sorted(j["title"] for j in response.json()["results"]) == sorted(titles)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"remote_policy": "moon"}, "remote_policy"),
        ({"salary": "-1"}, "salary"),
        ({"salary": "很多"}, "salary"),
    ],
)
def test_bad_board_filters_are_400(api, board, params, field):
    response = api.get(JOBS, params)

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_closed_posting_is_public_without_an_apply_route(api, board):
    body = api.get(_job(board["expired"].pk)).json()

    assert body["status"] == "expired"
    assert body["is_live"] is False
    assert body["apply_url"] == body["apply_email"] == ""


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("api", 404),
        ("as_member", 404),
        ("as_other_recruiter", 404),
        ("as_recruiter", 200),
        ("as_moderator", 200),
    ],
)
def test_a_draft_is_visible_to_its_companys_recruiters_and_moderators_only(
    request, board, who, status
):
    client = request.getfixturevalue(who)

    response = client.get(_job(board["draft"].pk))

    assert response.status_code == status


def test_the_companys_recruiter_sees_the_review_outcome(as_recruiter, board):
    body = as_recruiter.get(_job(board["draft"].pk)).json()

    assert body["status"] == "draft"
    assert body["can_submit"] is True
    assert body["review_note"] == ""


# A recruiter's own postings --------------------------------------------------------------------


def test_a_recruiter_writes_a_draft_for_their_company(as_recruiter, recruiter, company):
    response = as_recruiter.post(JOBS, NEW_JOB, format="json")

    body = response.json()
    job = Job.objects.get(pk=body["id"])
    assert response.status_code == 201, body
    assert body["status"] == "draft"
    assert body["company"]["id"] == company.pk
    assert sorted(body["tags"]) == ["LLM", "预训练"]  # "llm" is the same tag
    assert job.created_by == recruiter
    assert "<strong>预训练</strong>" in job.description_html


def test_a_recruiter_with_two_companies_must_say_which(as_recruiter, recruiter, company):
    second = CompanyFactory(name="智谱", recruiters=[recruiter])

    without = as_recruiter.post(JOBS, NEW_JOB, format="json")
    with_company = as_recruiter.post(JOBS, {**NEW_JOB, "company": second.pk}, format="json")

    assert without.status_code == 400
    assert "company" in without.json()["error"]["fields"]
    assert with_company.json()["company"]["name"] == "智谱"


def test_a_recruiter_cannot_post_for_another_company(as_recruiter, company, other_recruiter):
    theirs = other_recruiter.companies.get()

    response = as_recruiter.post(JOBS, {**NEW_JOB, "company": theirs.pk}, format="json")

    assert response.status_code == 400
    assert "company" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("who", "status"), [("api", 401), ("as_member", 403), ("as_moderator", 403)]
)
def test_only_recruiters_post_jobs(request, company, who, status):
    client = request.getfixturevalue(who)

    response = client.post(JOBS, NEW_JOB, format="json")

    assert response.status_code == status
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"apply_url": "javascript:alert(1)"}, "apply_url"),
        ({"apply_url": "", "apply_email": ""}, "apply_url"),
        ({"salary_min": 60000}, "salary_max"),
        ({"salary_min": "30000"}, "salary_min"),
        ({"visa_sponsorship": "yes"}, "visa_sponsorship"),
        ({"hiring_track": "campus"}, "graduation_year"),
        ({"remote_policy": "moon"}, "remote_policy"),
        ({"tags": "LLM, RLHF"}, "tags"),
        ({"tags": [f"标签{n}" for n in range(9)]}, "tags"),
        ({"requested_expires_on": "2000-01-01"}, "requested_expires_on"),
        ({"status": "published"}, "status"),
        ({"is_featured": True}, "is_featured"),
    ],
)
def test_bad_postings_are_400_with_field_errors(as_recruiter, company, change, field):
    response = as_recruiter.post(JOBS, {**NEW_JOB, **change}, format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]


def test_mine_lists_the_companys_postings_in_every_status(as_recruiter, board, other_recruiter):
    JobFactory(company=other_recruiter.companies.get(), title="别家的职位")

    titles = {j["title"] for j in as_recruiter.get(MINE).json()["results"]}

    assert titles == {j.title for j in board.values()}


@pytest.mark.parametrize(("who", "status"), [("api", 401), ("as_member", 403)])
def test_mine_is_for_recruiters(request, who, status):
    assert request.getfixturevalue(who).get(MINE).status_code == status


def test_the_lifecycle_draft_submit_publish_renew_archive(as_recruiter, board, moderator):
    draft = board["draft"]

    submitted = as_recruiter.post(f"{_job(draft.pk)}submit/")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "pending"
    again = as_recruiter.post(f"{_job(draft.pk)}submit/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"

    job_publish(job=Job.objects.get(pk=draft.pk), moderator=moderator)
    renewed = as_recruiter.post(f"{_job(draft.pk)}renew/")
    assert renewed.json()["renewed_count"] == 1
    assert as_recruiter.post(f"{_job(draft.pk)}renew/").status_code == 409

    archived = as_recruiter.post(f"{_job(draft.pk)}archive/")
    assert archived.json()["status"] == "expired"
    assert archived.json()["can_edit"] is False
    transitions = list(
        JobEvent.objects.filter(job=draft).order_by("pk").values_list("to_status", flat=True)
    )
    assert transitions == ["pending", "published", "published", "expired"]


def test_marking_a_live_posting_filled(as_recruiter, board):
    response = as_recruiter.post(f"{_job(board['live'].pk)}filled/")

    assert response.json()["status"] == "filled"


def test_editing_a_published_posting_sends_it_back_to_review(as_recruiter, board):
    response = as_recruiter.patch(
        _job(board["live"].pk), {"title": "大模型算法专家（RLHF）"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    assert response.json()["title"] == "大模型算法专家（RLHF）"


def test_put_replaces_the_tags_too(as_recruiter, board):
    draft = board["draft"]
    payload = {**NEW_JOB, "tags": ["Agent"]}

    response = as_recruiter.put(_job(draft.pk), payload, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["tags"] == ["Agent"]


def test_a_closed_posting_cannot_be_edited(as_recruiter, board):
    response = as_recruiter.patch(_job(board["expired"].pk), {"title": "复活"}, format="json")

    assert response.status_code == 409


def test_a_posting_cannot_change_company(as_recruiter, board, other_recruiter):
    theirs = other_recruiter.companies.get()

    response = as_recruiter.patch(_job(board["draft"].pk), {"company": theirs.pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["company"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("as_other_recruiter", 404),  # someone else's posting does not exist for them
        ("as_moderator", 403),  # moderators review in the admin; they do not edit postings
        ("as_member", 403),
    ],
)
def test_nobody_else_edits_a_posting(request, board, who, status):
    client = request.getfixturevalue(who)

    patched = client.patch(_job(board["draft"].pk), {"title": "改别人的"}, format="json")

    assert patched.status_code == status
    assert Job.objects.get(pk=board["draft"].pk).title == "多模态研究员（草稿）"


def test_another_recruiters_lifecycle_actions_are_404(as_other_recruiter, board):
    for verb in ("submit", "archive", "renew", "filled"):
        assert as_other_recruiter.post(f"{_job(board['live'].pk)}{verb}/").status_code == 404
    assert as_other_recruiter.patch(_job(board["live"].pk), {"title": "x"}).status_code == 404
