"""The question page in a real browser: HTMX votes and preview, and the same without JS."""

import pytest
from playwright.sync_api import expect

from questions.models import Vote
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_violations(page):
    return [e for e in page.console_errors if "Content Security Policy" in e]


def test_voting_updates_the_score_in_place_with_htmx(logged_in_page, live_server, member):
    answer = AnswerFactory(question=QuestionFactory(title="什么是 LoRA？"))
    page = logged_in_page(member)
    page.goto(live_server.url + answer.question.get_absolute_url())
    page.evaluate("window.__no_reload = true")

    page.click(f"#vote-{answer.pk} button[aria-label]:first-of-type >> nth=0")
    # expect() polls from Playwright's side: the page's CSP forbids eval-based waiting.
    expect(page.locator(f"#vote-{answer.pk} .score")).to_have_text("1")

    assert page.evaluate("window.__no_reload") is True  # no full page load happened
    assert Vote.objects.get(answer=answer, user=member).value == 1
    assert _csp_violations(page) == []


def test_voting_works_as_a_plain_form_without_javascript(logged_in_page, live_server, member):
    answer = AnswerFactory(question=QuestionFactory(title="QLoRA 的思路是怎么样的？"))
    page = logged_in_page(member, javascript=False)
    page.goto(live_server.url + answer.question.get_absolute_url())

    page.locator(f"#vote-{answer.pk} form").nth(1).locator("button").click()
    page.wait_for_load_state()

    assert page.locator(f"#vote-{answer.pk} .score").inner_text().strip() == "-1"
    assert Vote.objects.get(answer=answer, user=member).value == -1


def test_live_preview_renders_math_and_code(logged_in_page, live_server, member, tmp_path):
    question = QuestionFactory(title="RMS Norm 的计算公式写一下？")
    page = logged_in_page(member)
    page.goto(live_server.url + question.get_absolute_url())

    page.fill(
        "textarea[name=body]",
        "均方根：$\\sqrt{\\frac{1}{n}\\sum_i a_i^2}$\n\n```python\nx = 1\n```",
    )
    page.dispatch_event("textarea[name=body]", "keyup")
    page.wait_for_selector("#answer-preview msqrt")

    assert page.locator("#answer-preview mfrac").count() == 1
    assert page.locator("#answer-preview .highlight").count() == 1
    assert _csp_violations(page) == []
    # Kept for a human look at the rendering; not an assertion.
    page.screenshot(path=str(tmp_path / "question-preview.png"), full_page=True)
