import datetime as dt

from digests.models import Frequency
from digests.schedule import next_slot, period_key

UTC = dt.UTC


def test_the_default_weekly_slot_is_monday_nine_in_shanghai():
    sunday_noon = dt.datetime(2025, 6, 8, 4, 0, tzinfo=UTC)

    slot = next_slot(
        frequency=Frequency.WEEKLY, weekday=0, hour=9, time_zone="Asia/Shanghai", after=sunday_noon
    )

    assert slot == dt.datetime(2025, 6, 9, 1, 0, tzinfo=UTC)


def test_the_next_slot_is_strictly_after_the_given_time():
    slot = dt.datetime(2025, 6, 9, 1, 0, tzinfo=UTC)

    following = next_slot(
        frequency=Frequency.WEEKLY, weekday=0, hour=9, time_zone="Asia/Shanghai", after=slot
    )

    assert following == slot + dt.timedelta(days=7)


def test_daily_slots_follow_the_members_time_zone_across_daylight_saving():
    before_dst = dt.datetime(2025, 3, 7, 15, 0, tzinfo=UTC)

    saturday = next_slot(
        frequency=Frequency.DAILY, weekday=0, hour=7, time_zone="America/New_York", after=before_dst
    )
    sunday = next_slot(
        frequency=Frequency.DAILY, weekday=0, hour=7, time_zone="America/New_York", after=saturday
    )

    assert saturday == dt.datetime(2025, 3, 8, 12, 0, tzinfo=UTC)  # 07:00 EST
    assert sunday == dt.datetime(2025, 3, 9, 11, 0, tzinfo=UTC)  # 07:00 EDT


def test_an_hour_skipped_by_daylight_saving_still_gives_a_slot():
    slot = next_slot(
        frequency=Frequency.DAILY,
        weekday=0,
        hour=2,
        time_zone="Europe/Berlin",
        after=dt.datetime(2025, 3, 29, 12, 0, tzinfo=UTC),
    )

    assert slot == dt.datetime(2025, 3, 30, 1, 0, tzinfo=UTC)  # 03:00 CEST, right after the gap


def test_never_has_no_slot():
    assert (
        next_slot(
            frequency=Frequency.NEVER,
            weekday=0,
            hour=9,
            time_zone="Asia/Shanghai",
            after=dt.datetime(2025, 1, 1, tzinfo=UTC),
        )
        is None
    )


def test_the_daily_period_is_the_members_local_date():
    late_evening_utc = dt.datetime(2025, 6, 8, 23, 0, tzinfo=UTC)

    assert (
        period_key(frequency=Frequency.DAILY, slot=late_evening_utc, time_zone="Asia/Shanghai")
        == "2025-06-09"
    )
    assert (
        period_key(frequency=Frequency.DAILY, slot=late_evening_utc, time_zone="Europe/London")
        == "2025-06-09"
    )
    assert (
        period_key(frequency=Frequency.DAILY, slot=late_evening_utc, time_zone="America/Chicago")
        == "2025-06-08"
    )


def test_the_weekly_period_is_the_iso_week_also_across_the_new_year():
    assert (
        period_key(
            frequency=Frequency.WEEKLY,
            slot=dt.datetime(2025, 6, 9, 1, 0, tzinfo=UTC),
            time_zone="Asia/Shanghai",
        )
        == "2025-W24"
    )
    assert (
        period_key(
            frequency=Frequency.WEEKLY,
            slot=dt.datetime(2024, 12, 30, 1, 0, tzinfo=UTC),
            time_zone="Asia/Shanghai",
        )
        == "2025-W01"
    )
