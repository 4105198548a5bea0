"""Exactly once: the delivery ledger, retries after a failed send, a worker killed mid-batch."""

import datetime as dt

import pytest
from celery.exceptions import Retry
from django.test import override_settings
from django.utils import timezone

from digests.models import DigestDelivery, DigestPreference
from digests.services import digest_batch_send, digest_preference_update
from digests.tasks import send_digest_batch
from tests.digests.factories import (
    NOW,
    SLOT,
    DigestDeliveryFactory,
    DigestPreferenceFactory,
    NewQuestionFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
Status = DigestDelivery.Status

REFUSING_SMTP = override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=1,  # nothing listens there: a real connection refusal
    EMAIL_TIMEOUT=2,
)


@pytest.fixture
def news(db):
    return NewQuestionFactory(title="MoE 的负载均衡损失是什么？", published_at=NOW - DAY)


def _send(preferences, now=NOW):
    return digest_batch_send(frequency="weekly", user_ids=[p.user_id for p in preferences], now=now)


def test_the_same_period_run_twice_sends_once(news, mailoutbox):
    preferences = [DigestPreferenceFactory() for _ in range(3)]

    first = _send(preferences)
    second = _send(preferences)

    assert len(first.sent) == 3
    assert second.sent == []
    assert len(mailoutbox) == 3
    assert DigestDelivery.objects.filter(status=Status.SENT).count() == 3
    for preference in preferences:
        preference.refresh_from_db()
        assert preference.next_due_at == SLOT + 7 * DAY


def test_a_duplicated_task_sends_nothing_the_second_time(news, mailoutbox):
    preference = DigestPreferenceFactory()
    args = ["weekly", [preference.user_id], NOW.isoformat()]

    send_digest_batch.apply(args=args).get()
    send_digest_batch.apply(args=args).get()

    assert len(mailoutbox) == 1
    assert DigestDelivery.objects.get().attempts == 1


def test_a_member_still_due_from_a_settled_period_is_not_sent_again(news, mailoutbox):
    # Killed after the mail was recorded but before next_due_at moved on: the rerun only
    # moves it on.
    preference = DigestPreferenceFactory()
    DigestDeliveryFactory(user=preference.user, period="2025-W24", status=Status.SENT)

    result = _send([preference])

    assert mailoutbox == []
    assert [o.user_id for o in result.already] == [preference.user_id]
    preference.refresh_from_db()
    assert preference.next_due_at == SLOT + 7 * DAY


def test_changing_the_hour_within_the_week_does_not_send_a_second_weekly_digest(news, mailoutbox):
    preference = DigestPreferenceFactory()
    _send([preference])
    # The member moves the digest to Wednesday of the same ISO week.
    digest_preference_update(
        user=preference.user, frequency="weekly", weekday=2, hour=9, now=NOW + dt.timedelta(hours=1)
    )
    preference.refresh_from_db()
    wednesday = preference.next_due_at

    _send([preference], now=wednesday + dt.timedelta(seconds=5))

    assert len(mailoutbox) == 1
    assert wednesday == SLOT + 2 * DAY


@REFUSING_SMTP
def test_a_failed_send_keeps_the_error_and_the_member_stays_due(news):
    preference = DigestPreferenceFactory()

    result = _send([preference])

    delivery = DigestDelivery.objects.get()
    assert [o.user_id for o in result.failed] == [preference.user_id]
    assert delivery.status == Status.FAILED
    assert delivery.attempts == 1
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error
    preference.refresh_from_db()
    assert preference.next_due_at == SLOT


def test_a_failed_send_is_sent_by_the_retry_once_the_mail_server_answers(news, mailoutbox):
    preference = DigestPreferenceFactory()
    with REFUSING_SMTP:
        _send([preference])

    result = _send([preference])

    delivery = DigestDelivery.objects.get()
    assert [o.user_id for o in result.sent] == [preference.user_id]
    assert len(mailoutbox) == 1
    assert delivery.status == Status.SENT
    assert delivery.attempts == 2
    assert delivery.last_error == ""


@REFUSING_SMTP
def test_the_task_retries_a_failed_send_with_backoff_then_gives_up_keeping_the_error(news):
    preference = DigestPreferenceFactory()
    args = ["weekly", [preference.user_id], NOW.isoformat()]
    countdowns = []

    # Eager mode hands the retry back instead of waiting: run each retry as the worker would.
    for retries in range(send_digest_batch.max_retries):
        with pytest.raises(Retry) as retry:
            send_digest_batch.apply(args=args, retries=retries)
        countdowns.append(retry.value.when)
    final = send_digest_batch.apply(args=args, retries=send_digest_batch.max_retries).get()

    assert countdowns == [60, 120, 240, 480]
    assert [o["user_id"] for o in final["gave_up"]] == [preference.user_id]
    delivery = DigestDelivery.objects.get()
    assert delivery.status == Status.FAILED
    assert delivery.attempts == 5
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error
    preference.refresh_from_db()
    # Given up for this period: the member moves on to the next one.
    assert preference.next_due_at == SLOT + 7 * DAY


def test_a_stale_claim_left_by_a_killed_worker_is_sent_exactly_once(news, mailoutbox):
    killed_mid_send, already_sent, still_working = (DigestPreferenceFactory() for _ in range(3))
    long_ago = timezone.now() - dt.timedelta(hours=1)
    DigestDeliveryFactory(
        user=killed_mid_send.user, status=Status.CLAIMED, claimed_at=long_ago, sent_at=None
    )
    DigestDeliveryFactory(user=already_sent.user, status=Status.SENT, claimed_at=long_ago)
    DigestDeliveryFactory(
        user=still_working.user, status=Status.CLAIMED, claimed_at=timezone.now(), sent_at=None
    )

    rerun = _send([killed_mid_send, already_sent, still_working])
    again = _send([killed_mid_send, already_sent, still_working])

    assert [m.to for m in mailoutbox] == [[killed_mid_send.user.email]]
    assert [o.user_id for o in rerun.sent] == [killed_mid_send.user_id]
    assert [o.user_id for o in rerun.busy] == [still_working.user_id]
    assert again.sent == []
    reclaimed = DigestDelivery.objects.get(user=killed_mid_send.user)
    assert (reclaimed.status, reclaimed.attempts) == (Status.SENT, 2)
    # The live claim is left to its worker, and the member stays due until it settles.
    still_working.refresh_from_db()
    assert still_working.next_due_at == SLOT


def test_an_inactive_member_is_told_in_a_last_digest_and_then_paused(mailoutbox):
    preference = DigestPreferenceFactory(user__last_login=NOW - 200 * DAY)

    _send([preference])  # nothing new, but the notice goes out
    preference.refresh_from_db()
    NewQuestionFactory(published_at=NOW + DAY)
    later = _send([preference], now=NOW + 7 * DAY)

    assert len(mailoutbox) == 1
    assert "180" in mailoutbox[0].body
    assert preference.paused_at is not None
    assert preference.next_due_at is None
    assert later.sent == []


def test_logging_in_again_resumes_a_paused_member(client):
    preference = DigestPreferenceFactory(paused_at=NOW, next_due_at=None)
    user = preference.user

    client.force_login(user)  # sends user_logged_in, as a real log-in does

    preference.refresh_from_db()
    assert preference.paused_at is None
    assert preference.next_due_at is not None


def test_members_without_a_verified_address_or_active_account_get_nothing(news, mailoutbox):
    unverified = DigestPreferenceFactory(user__verified=False)
    deactivated = DigestPreferenceFactory(user__is_active=False)

    _send([unverified, deactivated])

    assert mailoutbox == []
    assert not DigestDelivery.objects.exists()


def test_a_preference_saved_with_the_same_schedule_keeps_the_due_digest():
    preference = DigestPreferenceFactory()

    digest_preference_update(user=preference.user, frequency="weekly", now=NOW)

    assert DigestPreference.objects.get().next_due_at == SLOT
