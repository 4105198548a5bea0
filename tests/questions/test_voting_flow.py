"""Voting as a new member meets it: one's own answers offer no vote, a visitor who is not logged
in comes back to the answer after logging in, and a refused vote says why."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from questions.models import Vote
from tests.factories import PASSWORD
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _vote_url(answer):
    return reverse("questions:answer_vote", args=[answer.pk])


def _vote_buttons(html, answer):
    start = html.index(f'id="vote-{answer.pk}"')
    widget = html[start : html.index("</div>", start)]
    return widget.count("<button"), widget.count(" disabled")


def test_ones_own_answer_shows_the_score_with_disabled_vote_buttons(client, member):
    question = QuestionFactory(title="LoRA 的秩怎么选？")
    mine = AnswerFactory(question=question, author=member, body="秩 r 一般取 8 到 64 之间。")
    theirs = AnswerFactory(question=question, body="看任务难度，先试 r=8。")
    client.force_login(member)

    html = client.get(question.get_absolute_url()).content.decode()

    assert _vote_buttons(html, mine) == (2, 2)
    assert "你不能给自己的回答投票" in html  # the disabled buttons say why
    assert _vote_buttons(html, theirs) == (2, 0)


def test_a_refused_htmx_vote_renders_the_widget_with_the_message(client, member):
    answer = AnswerFactory(author=member)
    client.force_login(member)

    response = client.post(_vote_url(answer), {"value": "1"}, headers=HX)

    html = response.content.decode()
    assert response.status_code == 403
    assert html.lstrip().startswith(f'<div class="vote" id="vote-{answer.pk}">')
    assert 'role="alert"' in html
    assert "你不能给自己的回答投票" in html


def test_a_bad_htmx_vote_renders_the_widget_with_the_message(client, member):
    answer = AnswerFactory()
    client.force_login(member)

    response = client.post(_vote_url(answer), {"value": "5"}, headers=HX)

    assert response.status_code == 400
    assert f'id="vote-{answer.pk}"' in response.content.decode()
    assert not Vote.objects.exists()


def test_the_page_tells_htmx_to_swap_the_refusal_partials(client):
    html = client.get("/").content.decode()

    assert '"responseHandling"' in html
    assert '"^4(00|03|09|22|29)$", "swap": true' in html
    assert "<script>" not in html  # configured by a meta tag: the CSP allows no inline script


def test_voting_logged_out_sends_to_log_in_and_back_to_the_answer(client, member):
    answer = AnswerFactory(question=QuestionFactory(title="什么是 QLoRA？"))

    response = client.post(_vote_url(answer), {"value": "1"})

    location = urlsplit(response["Location"])
    assert response.status_code == 302
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == [answer.get_absolute_url()]
    # Logging in from there lands on the answer on its question page, not on the vote URL.
    login = client.post(response["Location"], {"login": member.email, "password": PASSWORD})
    assert login.status_code == 302
    assert login["Location"] == answer.get_absolute_url()
    assert client.get(login["Location"]).status_code == 200
    assert not Vote.objects.exists()


def test_voting_logged_out_with_htmx_redirects_the_whole_page_to_log_in(client):
    answer = AnswerFactory()

    response = client.post(_vote_url(answer), {"value": "1"}, headers=HX)

    assert response.status_code == 200
    target = urlsplit(response["HX-Redirect"])
    assert target.path == reverse("account_login")
    assert parse_qs(target.query)["next"] == [answer.get_absolute_url()]


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_get_on_the_vote_url_redirects_to_the_answer(client, member, logged_in):
    answer = AnswerFactory()
    if logged_in:
        client.force_login(member)

    response = client.get(_vote_url(answer))

    assert response.status_code == 302
    assert response["Location"] == answer.get_absolute_url()


def test_a_get_on_the_vote_url_of_an_invisible_answer_is_404(client):
    answer = AnswerFactory(status="pending")

    assert client.get(_vote_url(answer)).status_code == 404
    assert client.post(_vote_url(answer), {"value": "1"}).status_code == 404
