"""A member's first digest and `send_digests --dry-run`, as a new member and an operator meet
them: the imported question bank is not news, a first digest reaches back no further than the
member's joining, and the dry run lists exactly the mails the real run sends."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from digests.models import DigestDelivery, DigestPreference
from digests.services import digest_batch_send
from questions.models import Question
from tests.digests.factories import (
    NOW,
    SLOT,
    DigestDeliveryFactory,
    DigestPreferenceFactory,
    MemberFactory,
    NewQuestionFactory,
)
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _send(preference, now=NOW):
    return digest_batch_send(frequency="weekly", user_ids=[preference.user_id], now=now)


def test_questions_imported_from_the_bank_are_not_new_questions(mailoutbox):
    QuestionFactory(title="导入的题库问题", source=Question.Source.SEED, published_at=NOW - DAY)
    asked = NewQuestionFactory(title="成员新提的问题：MoE 怎么做负载均衡？", published_at=NOW - DAY)
    preference = DigestPreferenceFactory()

    _send(preference)

    (mail,) = mailoutbox
    assert asked.title in mail.body
    assert "导入的题库问题" not in mail.body
    assert "1 个新问题" in mail.subject


def test_a_first_digest_reaches_back_no_further_than_the_members_joining(mailoutbox):
    member = MemberFactory(date_joined=SLOT - 2 * DAY)
    NewQuestionFactory(title="加入之前的问题", published_at=SLOT - 5 * DAY)
    after = NewQuestionFactory(title="加入之后的问题", published_at=SLOT - DAY)
    preference = DigestPreferenceFactory(user=member)

    _send(preference)

    (mail,) = mailoutbox
    assert after.title in mail.body
    assert "加入之前的问题" not in mail.body
    assert DigestDelivery.objects.get().window_start == member.date_joined


def test_a_later_digest_starts_where_the_last_one_ended_even_before_joining_was_recorded(
    mailoutbox,
):
    member = MemberFactory(date_joined=SLOT - 2 * DAY)
    DigestDeliveryFactory(
        user=member, period="2025-W23", window_start=SLOT - 9 * DAY, window_end=SLOT - 3 * DAY
    )
    NewQuestionFactory(
        title="上次摘要之后的问题", published_at=SLOT - 3 * DAY + dt.timedelta(hours=1)
    )
    preference = DigestPreferenceFactory(user=member)

    _send(preference)

    assert "上次摘要之后的问题" in mailoutbox[0].body


def test_a_new_member_after_the_bank_import_gets_no_digest_of_the_whole_bank(mailoutbox):
    # The real bank, imported just now; the member joined a month ago (so the window is a week).
    call_command("import_question_bank", verbosity=0)
    now = timezone.now()
    member = MemberFactory(date_joined=now - 30 * DAY)
    preference = DigestPreferenceFactory(user=member, next_due_at=now - dt.timedelta(seconds=5))

    result = _send(preference, now=now)

    assert Question.objects.published().count() == 164
    assert [o.user_id for o in result.skipped] == [member.pk]  # nothing new: no mail at all
    assert mailoutbox == []


def _run_command(*args):
    out = StringIO()
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def a_mixed_hour(db):
    """Members in every situation the hourly run meets, at SLOT."""
    NewQuestionFactory(title="KV cache 如何节省显存？", published_at=NOW - DAY)
    # Its author joined after the slot (today): their first digest has nothing yet, skipped.
    author = UserFactory()
    AnswerFactory(
        author=author, body="用 **PagedAttention** 分页管理：$O(n)$ 显存。", published_at=NOW - DAY
    )
    due = DigestPreferenceFactory().user
    english = DigestPreferenceFactory(user=MemberFactory(language="en")).user
    # Never saved any preferences: the run gives them the defaults (weekly, Monday 09:00).
    without_preferences = MemberFactory()
    # Nothing new since their last digest: skipped.
    quiet = DigestPreferenceFactory().user
    DigestDeliveryFactory(user=quiet, period="2025-W23", window_end=NOW)
    # This period already sent by an earlier run.
    settled = DigestPreferenceFactory().user
    DigestDeliveryFactory(user=settled, period="2025-W24")
    # Unverified address: no digest.
    UserFactory(verified=False, date_joined=SLOT - 60 * DAY)
    return {
        "sent": {due.email, english.email, without_preferences.email},
        "skipped": {quiet.email, author.email},
        "settled": {settled.email},
    }


def test_a_dry_run_lists_exactly_the_mails_the_real_run_sends(a_mixed_hour, mailoutbox):
    dry = _run_command("--frequency", "weekly", "--dry-run", "--now", NOW.isoformat())
    deliveries_after_dry_run = DigestDelivery.objects.count()
    preferences_after_dry_run = DigestPreference.objects.count()

    real = _run_command("--frequency", "weekly", "--now", NOW.isoformat())

    would_send = dict(re.findall(r"would send: 2025-W24 (\S+): [^«\n]*«([^»]+)»", dry))
    sent = {mail.to[0]: mail.subject for mail in mailoutbox}
    assert would_send == sent
    assert set(sent) == a_mixed_hour["sent"]
    assert set(re.findall(r"would skip: 2025-W24 (\S+):", dry)) == a_mixed_hour["skipped"]
    assert set(re.findall(r"  skipped: 2025-W24 (\S+):", real)) == a_mixed_hour["skipped"]
    assert set(re.findall(r"settled before: 2025-W24 (\S+):", dry)) == a_mixed_hour["settled"]
    assert "would send 3, skipped 2 (nothing new), failed 0, settled before 1" in dry
    assert "sent 3, skipped 2 (nothing new), failed 0, settled before 1" in real
    # The dry run recorded nothing, not even the default preferences it planned with.
    assert deliveries_after_dry_run == 2  # the two made by the fixture
    assert preferences_after_dry_run == 4  # the fixture's; the run's defaults were rolled back


def test_a_dry_run_after_the_real_run_sends_nothing_more(a_mixed_hour, mailoutbox):
    _run_command("--frequency", "weekly", "--now", NOW.isoformat())
    mailoutbox.clear()

    dry = _run_command("--frequency", "weekly", "--dry-run", "--now", NOW.isoformat())

    assert "would send 0" in dry
    assert mailoutbox == []
