import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _url(company):
    return reverse("jobs:company_edit", args=[company.pk])


def test_recruiter_edits_their_company_profile(client, recruiter, company):
    client.force_login(recruiter)

    response = client.post(
        _url(company),
        {"website": "https://deepseek.example.com", "description": "专注大模型预训练与推理。"},
    )

    company.refresh_from_db()
    assert response.status_code == 302
    assert company.description == "专注大模型预训练与推理。"
    assert company.website == "https://deepseek.example.com"


def test_a_non_http_website_is_a_form_error(client, recruiter, company):
    client.force_login(recruiter)
    before = company.website

    response = client.post(_url(company), {"website": "javascript:alert(1)", "description": ""})

    company.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].errors["website"]
    assert company.website == before


def test_another_companys_recruiter_gets_404(client, other_recruiter, company):
    client.force_login(other_recruiter)

    assert client.get(_url(company)).status_code == 404
    assert client.post(_url(company), {"website": "", "description": "x"}).status_code == 404


def test_a_member_is_told_how_to_become_a_recruiter(client, member, company):
    client.force_login(member)

    response = client.get(_url(company))

    assert response.status_code == 403
    assert reverse("jobs:recruiter_apply") in response.content.decode()


def test_anonymous_is_sent_to_log_in(client, company):
    response = client.get(_url(company))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
