"""/questions/ on a phone: the 42-entry category tree waits behind a button, so the search box
and the first question are near the top; on a wide screen the tree is always open beside the
list. No inline script or style is involved (strict CSP)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def bank(transactional_db):
    call_command("import_question_bank", verbosity=0)


def _open(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/questions/")
    page.wait_for_load_state("load")
    return context, page, errors


def _top(locator):
    return locator.bounding_box()["y"]


def test_on_a_phone_the_tree_is_collapsed_and_search_and_first_question_are_near_the_top(
    browser, live_server, bank
):
    context, page, errors = _open(browser, live_server, PHONE)
    try:
        tree_link = page.locator(".category-tree .tree a").first
        expect(tree_link).to_be_hidden()
        search_top = _top(page.locator("#id_q"))
        first_question_top = _top(page.locator("#results .item-list > li a").first)

        page.locator(".category-tree > summary").click()
        expect(tree_link).to_be_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()

    assert search_top < PHONE["height"] / 2  # in the upper half of the first screen
    assert first_question_top < PHONE["height"]  # on the first screen, no scrolling
    assert scroll_width <= PHONE["width"]
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_on_a_wide_screen_the_tree_is_always_open_beside_the_list(browser, live_server, bank):
    context, page, errors = _open(browser, live_server, DESKTOP)
    try:
        tree_link = page.locator(".category-tree .tree a").first
        expect(tree_link).to_be_visible()
        expect(page.locator(".category-tree .tree a")).to_have_count(42)
        tree_box = page.locator(".category-tree").bounding_box()
        list_box = page.locator("#results").bounding_box()
        last_link_visible = page.locator(".category-tree .tree a").last.is_visible()
    finally:
        context.close()

    assert last_link_visible
    assert tree_box["x"] + tree_box["width"] <= list_box["x"]  # beside, not above
    assert [e for e in errors if "Content Security Policy" in e] == []
