"""The hourly planner and the beat schedule."""

import datetime as dt

import pytest
from django.conf import settings

from digests.models import DigestDelivery
from digests.services import digest_plan
from tests.digests.factories import NOW, SLOT, DigestPreferenceFactory, NewQuestionFactory

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def test_one_beat_entry_plans_the_digests_every_hour_on_the_hour():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].startswith("digests.")
    ]

    assert len(entries) == 1
    assert entries[0]["task"] == "digests.tasks.plan_digests"
    schedule = entries[0]["schedule"]
    assert schedule.minute == {0}
    assert schedule.hour == set(range(24))


def test_the_planner_sends_to_the_members_due_at_this_hour_only(
    mailoutbox, django_capture_on_commit_callbacks
):
    NewQuestionFactory(published_at=NOW - dt.timedelta(days=1))
    due_weekly = DigestPreferenceFactory()
    due_daily = DigestPreferenceFactory(frequency="daily")
    next_hour = DigestPreferenceFactory(next_due_at=SLOT + HOUR)
    paused = DigestPreferenceFactory(paused_at=NOW)
    never = DigestPreferenceFactory(frequency="never", next_due_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        enqueued = digest_plan(now=NOW)

    assert enqueued == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [due_weekly.user.email, due_daily.user.email]
    )
    for quiet in (next_hour, paused, never):
        assert not DigestDelivery.objects.filter(user=quiet.user).exists()


def test_the_planner_run_twice_in_the_same_hour_sends_once(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.DIGEST_BATCH_SIZE = 2
    NewQuestionFactory(published_at=NOW - dt.timedelta(days=1))
    for _ in range(5):
        DigestPreferenceFactory()

    with django_capture_on_commit_callbacks(execute=True):
        first = digest_plan(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        second = digest_plan(now=NOW + dt.timedelta(minutes=5))

    assert (first, second) == (5, 0)
    assert len(mailoutbox) == 5
