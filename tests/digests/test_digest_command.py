import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from digests.models import DigestDelivery
from tests.digests.factories import NOW, DigestPreferenceFactory, NewQuestionFactory

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due_member(db):
    NewQuestionFactory(published_at=NOW - dt.timedelta(days=1))
    return DigestPreferenceFactory().user


def test_a_dry_run_prints_what_it_would_send_and_sends_nothing(due_member, mailoutbox):
    output = _run("--frequency", "weekly", "--dry-run", "--now", NOW.isoformat())

    assert f"would send: 2025-W24 {due_member.email}: questions 1, answers 0" in output
    assert "每周摘要" in output
    assert "would send 1, skipped 0" in output
    assert mailoutbox == []
    assert not DigestDelivery.objects.exists()


def test_a_run_sends_in_process_and_prints_it_and_a_rerun_sends_nothing(due_member, mailoutbox):
    first = _run("--frequency", "weekly", "--now", NOW.isoformat())
    second = _run("--frequency", "weekly", "--now", NOW.isoformat())

    assert f"sent: 2025-W24 {due_member.email}" in first
    assert "sent 1, skipped 0" in first
    assert "sent 0, skipped 0" in second
    assert len(mailoutbox) == 1


def test_the_other_frequency_is_left_alone(due_member, mailoutbox):
    output = _run("--frequency", "daily", "--now", NOW.isoformat())

    assert "sent 0" in output
    assert mailoutbox == []


def test_a_bad_now_is_refused():
    with pytest.raises(CommandError):
        _run("--frequency", "weekly", "--now", "next monday")
