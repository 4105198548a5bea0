"""Business rules live in the services: each is called here directly with the bad input a form
or serializer used to catch, and refuses it with a field error, writing nothing."""

import datetime

import pytest
from django.utils import timezone

from accounts import services as accounts_services
from jobs import services as jobs_services
from jobs.models import Job, RecruiterApplication
from llmprep.errors import InvalidValue
from questions import services as questions_services
from questions.models import Answer, Question
from tests.jobs.factories import CompanyFactory
from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

JOB = {
    "title": "大模型推理工程师",
    "location": "杭州",
    "description": "负责 vLLM 推理优化。",
    "apply_email": "hr@example.com",
}


def _refused(field, call):
    with pytest.raises(InvalidValue) as refused:
        call()
    assert field in refused.value.fields, refused.value.fields
    return refused.value


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("短", ""),
        ("    \u200b\u0001 ", ""),  # only whitespace and control characters
        ("长" * 201, ""),
    ],
)
def test_question_titles_are_checked_by_the_service(member, title, body):
    category = CategoryFactory()

    _refused(
        "title",
        lambda: questions_services.question_submit(
            author=member, category=category, title=title, body=body
        ),
    )
    assert not Question.objects.exists()


def test_question_details_have_a_maximum(member):
    _refused(
        "body",
        lambda: questions_services.question_submit(
            author=member, category=CategoryFactory(), title="什么是 KV cache？", body="字" * 20_001
        ),
    )


def test_control_characters_are_stripped_from_titles(member):
    question = questions_services.question_submit(
        author=member, category=CategoryFactory(), title="什么是\u0001 RoPE\u200b？\n", body=""
    )

    assert question.title == "什么是 RoPE？"


@pytest.mark.parametrize("body", ["太短", "  \n\t ", "长" * 30_001])
def test_answer_lengths_are_checked_by_the_service(member, body):
    question = QuestionFactory()

    _refused(
        "body",
        lambda: questions_services.answer_create(question=question, author=member, body=body),
    )
    assert not Answer.objects.filter(author=member).exists()


def test_answer_edits_are_checked_by_the_service(member):
    answer = AnswerFactory(author=member, body="原来的回答：LoRA 训练低秩矩阵。")

    _refused(
        "body",
        lambda: questions_services.answer_update(answer=answer, editor=member, body="短"),
    )
    answer.refresh_from_db()
    assert answer.body == "原来的回答：LoRA 训练低秩矩阵。"


def test_a_moderation_reason_is_required_and_bounded(moderator):
    question = QuestionFactory(status=Question.Status.PENDING)

    _refused(
        "reason",
        lambda: questions_services.question_reject(
            question=question, moderator=moderator, reason=" \n "
        ),
    )
    _refused(
        "reason",
        lambda: questions_services.question_reject(
            question=question, moderator=moderator, reason="理" * 1001
        ),
    )


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ([f"标签{i}" for i in range(9)], "8"),
        (["超长" * 16], "30"),
        (["！！！"], "！！！"),
    ],
)
def test_job_tags_are_checked_by_the_service(recruiter, tags, message):
    company = CompanyFactory(recruiters=[recruiter])

    error = _refused(
        "tags",
        lambda: jobs_services.job_create(author=recruiter, company=company, content=JOB, tags=tags),
    )
    assert message in str(error)
    assert not Job.objects.exists()


@pytest.mark.parametrize("days", [0, -3, 91])
def test_a_requested_expiry_must_be_in_the_next_ninety_days(recruiter, days):
    company = CompanyFactory(recruiters=[recruiter])
    content = {**JOB, "requested_expires_on": timezone.localdate() + datetime.timedelta(days)}

    _refused(
        "requested_expires_on",
        lambda: jobs_services.job_create(author=recruiter, company=company, content=content),
    )


def test_model_rules_come_back_as_field_errors(recruiter):
    company = CompanyFactory(recruiters=[recruiter])
    content = {**JOB, "apply_email": "", "apply_url": "javascript:alert(1)"}

    _refused(
        "apply_url",
        lambda: jobs_services.job_create(author=recruiter, company=company, content=content),
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"company_name": "  ！？。 "}, "company_name"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"work_email": "不是邮箱"}, "work_email"),
    ],
)
def test_recruiter_applications_are_checked_by_the_service(member, fields, field):
    application = {
        "company_name": "月之暗面",
        "website": "https://www.moonshot.cn",
        "work_email": "hr@moonshot.cn",
        **fields,
    }

    _refused(
        field,
        lambda: jobs_services.recruiter_application_submit(applicant=member, **application),
    )
    assert not RecruiterApplication.objects.exists()


def test_profile_rules_are_checked_by_the_service(member):
    _refused(
        "display_name",
        lambda: accounts_services.profile_update(
            user=member, display_name="名" * 51, bio="", language="zh-hans"
        ),
    )


def test_an_api_token_needs_a_name(member):
    _refused("name", lambda: accounts_services.api_token_create(user=member, name=" \u0001 "))
