"""The digest mail: headers, language, subject."""

import datetime as dt
import email
import re
from email.header import decode_header, make_header

import pytest

from digests.services import digest_batch_send
from tests.digests.factories import NOW, DigestPreferenceFactory, NewQuestionFactory
from tests.questions.factories import AnswerFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def news(db):
    question = NewQuestionFactory(title="KV cache 如何节省显存？", published_at=NOW - DAY)
    NewQuestionFactory(title="FlashAttention 为什么更快？", published_at=NOW - DAY)
    AnswerFactory(question=question, published_at=NOW - DAY)
    return question


def _send_to(preference):
    digest_batch_send(frequency=preference.frequency, user_ids=[preference.user_id], now=NOW)


def test_the_mail_has_the_list_and_auto_submitted_headers(news, mailoutbox, settings):
    settings.SITE_URL = "https://llmprep.example.org"
    settings.DIGEST_UNSUBSCRIBE_EMAIL = "unsubscribe@llmprep.example.org"
    _send_to(DigestPreferenceFactory())

    headers = mailoutbox[0].extra_headers
    assert re.fullmatch(
        r"<https://llmprep\.example\.org/digests/unsubscribe/[^/]+/>, "
        r"<mailto:unsubscribe@llmprep\.example\.org\?subject=unsubscribe>",
        headers["List-Unsubscribe"],
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Id"] == "LLM Interview Prepare digests <digests.llmprep.example.org>"
    assert headers["Auto-Submitted"] == "auto-generated"


def test_the_mail_has_a_text_and_an_html_part(news, mailoutbox):
    _send_to(DigestPreferenceFactory())

    message = mailoutbox[0]
    assert news.title in message.body
    assert message.alternatives[0][1] == "text/html"
    assert news.title in message.alternatives[0][0]


def test_a_chinese_subject_has_the_date_and_counts_and_survives_mime_encoding(news, mailoutbox):
    _send_to(DigestPreferenceFactory(user__language="zh-hans"))

    message = mailoutbox[0]
    expected = "每周摘要 · 2025年6月9日 · 2 个新问题 · 1 个新回答"
    assert message.subject == expected
    parsed = email.message_from_bytes(message.message().as_bytes())
    assert str(make_header(decode_header(parsed["Subject"]))) == expected
    assert "你好" in message.body


def test_an_english_speaking_member_gets_the_mail_in_english(news, mailoutbox):
    _send_to(DigestPreferenceFactory(user__language="en", frequency="daily"))

    message = mailoutbox[0]
    assert message.subject == "Daily digest · June 9, 2025 · 2 new questions · 1 new answer"
    assert "Unsubscribe" in message.body
    assert "New questions" in message.alternatives[0][0]


def test_the_last_digest_before_pausing_says_so(mailoutbox):
    preference = DigestPreferenceFactory(user__last_login=NOW - 181 * DAY, user__language="en")

    _send_to(preference)

    assert "Digests paused" in mailoutbox[0].subject
    assert "You have not visited for 180 days" in mailoutbox[0].body
