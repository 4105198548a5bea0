"""A vote the server refuses says why, in place: htmx 2 swaps the 403 partial (configured by
the htmx-config meta tag, no inline script) instead of dropping it silently."""

import pytest
from playwright.sync_api import expect

from questions.models import Vote
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session_cookie(client, user, live_server):
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def test_a_refused_vote_shows_the_message_in_the_widget(
    browser, live_server, client, member, logged_in_page
):
    author = UserFactory(display_name="王五")
    answer = AnswerFactory(question=QuestionFactory(title="什么是 LoRA？"), author=author)
    # The page is open as one member; in another tab they log in as the answer's author.
    page = logged_in_page(member)
    page.goto(live_server.url + answer.question.get_absolute_url())
    page.context.add_cookies([_session_cookie(client, author, live_server)])

    page.locator(f"#vote-{answer.pk} button[aria-label]").first.click()

    alert = page.locator(f"#vote-{answer.pk} [role=alert]")
    expect(alert).to_have_text("你不能给自己的回答投票。")
    expect(page.locator(f"#vote-{answer.pk} .score")).to_have_text("0")
    assert not Vote.objects.exists()
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_ones_own_answer_has_disabled_vote_buttons(logged_in_page, live_server, member):
    answer = AnswerFactory(
        question=QuestionFactory(title="QLoRA 的思路是怎么样的？"), author=member
    )
    page = logged_in_page(member)
    page.goto(live_server.url + answer.question.get_absolute_url())

    buttons = page.locator(f"#vote-{answer.pk} button")
    expect(buttons).to_have_count(2)
    expect(buttons.nth(0)).to_be_disabled()
    expect(buttons.nth(1)).to_be_disabled()
