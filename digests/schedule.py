"""When a member's digest is due, and which period it belongs to. Pure functions, no database.

A *slot* is the UTC instant of one scheduled digest: the member's hour (and weekday, for the
weekly digest) in their time zone. The *period* names the slot's day or ISO week in that time
zone; DigestDelivery is unique per (member, frequency, period), so a period is sent at most once
even if the member changes their hour or weekday in between.
"""

import datetime as dt
import zoneinfo

from digests.models import Frequency

INTERVALS = {Frequency.DAILY: dt.timedelta(days=1), Frequency.WEEKLY: dt.timedelta(days=7)}


def next_slot(
    *, frequency: str, weekday: int, hour: int, time_zone: str, after: dt.datetime
) -> dt.datetime | None:
    """The first slot strictly after `after`, in UTC; None when nothing is scheduled."""
    if frequency not in INTERVALS:
        return None
    zone = zoneinfo.ZoneInfo(time_zone)
    local_day = after.astimezone(zone).date()
    for offset in range(9):
        day = local_day + dt.timedelta(days=offset)
        if frequency == Frequency.WEEKLY and day.weekday() != weekday:
            continue
        # A wall-clock hour skipped by a DST change maps to the instant just after the gap.
        slot = dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)
        if slot > after:
            return slot
    raise AssertionError("unreachable: a slot exists within 8 days")  # pragma: no cover


def local_date(slot: dt.datetime, time_zone: str) -> dt.date:
    return slot.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def period_key(*, frequency: str, slot: dt.datetime, time_zone: str) -> str:
    """Daily: the member's local date ("2025-06-09"). Weekly: the ISO week ("2025-W24")."""
    day = local_date(slot, time_zone)
    if frequency == Frequency.DAILY:
        return day.isoformat()
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"
