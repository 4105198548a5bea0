import gettext
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_by_default(client):
    response = client.get("/")

    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "注册" in html


def test_browser_asking_for_english_gets_english(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html


def test_language_switch_sets_the_language_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/healthz"})
    page = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/healthz"
    assert '<html lang="en">' in page.content.decode()


def test_language_switch_refuses_an_offsite_next_url(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(LOCALE / "django.po"))
    with (LOCALE / "django.mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)

    translated = [e for e in po if e.translated() and not e.obsolete]
    assert len(translated) > 20
    for entry in translated:
        if entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert mo.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(LOCALE / "django.po"))

    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
