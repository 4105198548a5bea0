import datetime

import pytest
from django.utils import timezone

from jobs.forms import JobForm, RecruiterApplicationForm, parse_tags
from jobs.models import Company

pytestmark = pytest.mark.django_db


def _data(company, **overrides):
    data = {
        "company": company.pk,
        "title": "大模型算法工程师（RLHF方向）",
        "location": "上海",
        "country": "CN",
        "remote_policy": "hybrid",
        "employment_type": "full_time",
        "hiring_track": "experienced",
        "salary_min": "25000",
        "salary_max": "40000",
        "salary_currency": "CNY",
        "salary_period": "month",
        "salary_months": "16",
        "description": "## 职责\n负责 RLHF 与推理优化。",
        "apply_url": "https://jobs.example.com/rlhf",
        "apply_email": "",
        "tags": "LLM, RLHF",
    }
    data.update(overrides)
    return data


def _form(company, **overrides):
    return JobForm(_data(company, **overrides), companies=Company.objects.all())


def test_a_complete_chinese_posting_is_valid(company):
    form = _form(company)

    assert form.is_valid(), form.errors


def test_minimum_salary_above_maximum_is_an_error(company):
    form = _form(company, salary_min="50000", salary_max="40000")

    assert not form.is_valid()
    assert "salary_max" in form.errors


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example.com/job", "data:text/html,hi"]
)
def test_an_apply_url_that_is_not_http_is_an_error(company, url):
    form = _form(company, apply_url=url)

    assert not form.is_valid()
    assert "apply_url" in form.errors


def test_neither_apply_url_nor_email_is_an_error(company):
    form = _form(company, apply_url="", apply_email="")

    assert not form.is_valid()
    assert "apply_url" in form.errors


def test_an_apply_email_alone_is_enough(company):
    form = _form(company, apply_url="", apply_email="hr@example.com")

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "算" * 121), ("location", "上海" * 41), ("description", "字" * 20_001)],
)
def test_over_long_fields_are_errors(company, field, value):
    form = _form(company, **{field: value})

    assert not form.is_valid()
    assert field in form.errors


def test_campus_hiring_needs_a_graduation_year(company):
    form = _form(company, hiring_track="campus", graduation_year="")

    assert not form.is_valid()
    assert "graduation_year" in form.errors


def test_the_form_parses_dates_and_tags_and_leaves_their_rules_to_the_service(company):
    # The expiry date and tag rules are jobs.services' (tests/jobs/test_job_rules.py).
    too_late = timezone.localdate() + datetime.timedelta(days=400)
    form = _form(company, requested_expires_on=too_late.isoformat(), tags="超长" * 16)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["tags"] == ["超长" * 16]


def test_a_recruiter_can_only_pick_their_own_company(company, other_recruiter):
    other = other_recruiter.companies.get()

    form = JobForm(_data(other), companies=Company.objects.filter(pk=company.pk))

    assert "company" in form.errors


def test_tags_split_on_chinese_and_western_separators_and_deduplicate():
    assert parse_tags("LLM，RLHF、推理; rlhf ,, Agents") == ["LLM", "RLHF", "推理", "Agents"]


def test_recruiter_application_needs_an_http_website_and_an_email():
    form = RecruiterApplicationForm(
        {"company_name": "智谱", "website": "javascript:x", "work_email": "不是邮箱"}
    )

    assert not form.is_valid()
    assert {"website", "work_email"} <= set(form.errors)
