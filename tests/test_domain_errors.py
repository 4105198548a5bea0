"""One error vocabulary (llmprep.errors.DomainError), mapped to HTTP once for the API and once
for pages and admin actions, in the reader's language."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from llmprep.errors import InvalidTransition, InvalidValue, NotAllowed, RateLimited
from tests.api.conftest import client_for
from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_each_kind_of_refusal_has_its_status_and_code():
    assert (InvalidValue().status, InvalidValue().code) == (400, "invalid")
    assert (NotAllowed().status, NotAllowed().code) == (403, "permission_denied")
    assert (InvalidTransition().status, InvalidTransition().code) == (409, "conflict")
    assert (RateLimited().status, RateLimited().code) == (429, "throttled")


def test_the_api_answers_a_refusal_with_its_field_in_the_one_error_shape(member):
    category = CategoryFactory()
    api = client_for(member)

    response = api.post(
        "/api/v1/questions/", {"title": "短", "category": category.pk}, format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["title"] == [error["message"]]
    assert "至少" in error["message"]


def test_the_api_speaks_the_callers_language(member):
    api = client_for(member)
    question = QuestionFactory()

    response = api.post(
        f"/api/v1/questions/{question.pk}/answers/",
        {"body": "太短"},
        format="json",
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["body"] == [
        "An answer must be at least 10 characters long."
    ]


def test_a_state_conflict_is_409_in_the_api(as_recruiter_with_draft):
    api, job = as_recruiter_with_draft
    assert api.post(f"/api/v1/jobs/{job.pk}/submit/").status_code == 200

    again = api.post(f"/api/v1/jobs/{job.pk}/submit/", headers={"accept-language": "en"})

    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "conflict",
        "message": "That is not possible for this posting now.",
    }


@pytest.fixture
def as_recruiter_with_draft(recruiter):
    from tests.jobs.factories import CompanyFactory, JobFactory

    company = CompanyFactory(recruiters=[recruiter])
    return client_for(recruiter), JobFactory(company=company, created_by=recruiter)


def test_a_form_shows_the_services_refusal_beside_its_field(client, member):
    client.force_login(member)
    category = CategoryFactory()

    response = client.post(
        reverse("questions:ask"), {"title": "  短 ", "category": category.pk, "body": ""}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["title"] == ["问题至少需要 5 个字符。"]


def test_a_plain_post_refused_elsewhere_goes_back_with_the_message(client, member):
    """No JavaScript: the refusal is shown on the page the member came from."""
    answer = AnswerFactory(author=member)
    client.force_login(member)
    page = answer.question.get_absolute_url()

    response = client.post(
        reverse("questions:answer_vote", args=[answer.pk]),
        {"value": "1"},
        headers={"referer": f"http://testserver{page}"},
        follow=True,
    )

    assert response.redirect_chain[-1][0].startswith(page)
    assert "不能给自己的回答投票" in response.content.decode()


def test_a_refusal_no_view_handles_is_mapped_once_for_pages(client, member, settings):
    """RateLimited from the vote service, without JavaScript: DomainErrorMiddleware sends the
    member back with the message; with HTMX it answers 429 with the message partial."""
    settings.ACTION_RATE_LIMITS = {"vote": "1/m"}
    answer = AnswerFactory()
    client.force_login(member)
    url = reverse("questions:answer_vote", args=[answer.pk])
    page = f"http://testserver{answer.question.get_absolute_url()}"
    client.post(url, {"value": "1"}, headers={"referer": page})

    plain = client.post(url, {"value": "-1"}, headers={"referer": page})
    htmx = client.post(url, {"value": "-1"}, headers={"HX-Request": "true"})

    assert plain.status_code == 302 and plain["Location"] == page
    assert int(plain["Retry-After"]) > 0
    followed = client.get(answer.question.get_absolute_url())
    assert "操作太频繁" in followed.content.decode()
    assert htmx.status_code == 429
    assert 'role="alert"' in htmx.content.decode()


def test_an_admin_action_reports_the_refusal_in_the_moderators_language(client, moderator):
    published = QuestionFactory()
    client.force_login(moderator)

    response = client.post(
        reverse("admin:questions_question_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [published.pk]},
        headers={"accept-language": "en"},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert any("no longer in a state that allows this action" in m for m in messages), messages
