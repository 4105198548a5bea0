"""Building a batch's digests in memory: which period and window each member's digest covers,
and what it contains. Reads go through digests.selectors and the section sources; the number of
queries does not depend on the number of members (see test_query_counts)."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from digests import schedule, selectors
from digests.models import DigestPreference
from digests.sections import SOURCES, MemberScope, Section


@dataclass
class MemberPlan:
    """One member's digest for the slot that is due: its period and content window."""

    preference: DigestPreference
    frequency: str
    slot: dt.datetime
    period: str
    since: dt.datetime
    until: dt.datetime
    # The member has not logged in for DIGEST_INACTIVE_AFTER_DAYS: this is their last digest.
    pausing: bool

    @property
    def user(self):
        return self.preference.user


def member_is_inactive(user, *, now: dt.datetime) -> bool:
    last_seen = user.last_login or user.date_joined
    return last_seen < now - dt.timedelta(days=settings.DIGEST_INACTIVE_AFTER_DAYS)


def member_plan(preference: DigestPreference, *, now: dt.datetime) -> MemberPlan:
    """`preference` comes from selectors.digest_batch_members (due, with `last_window_end`).
    The window starts where the member's last digest ended; a first digest's starts the period's
    length before the slot, but not before the member joined (what was there when they came is
    not news to them). Never more than DIGEST_MAX_LOOKBACK_DAYS back; it ends now."""
    frequency = preference.frequency
    slot = preference.next_due_at
    since = getattr(preference, "last_window_end", None) or max(
        slot - schedule.INTERVALS[frequency], preference.user.date_joined
    )
    since = max(since, slot - dt.timedelta(days=settings.DIGEST_MAX_LOOKBACK_DAYS))
    return MemberPlan(
        preference=preference,
        frequency=frequency,
        slot=slot,
        period=schedule.period_key(frequency=frequency, slot=slot, time_zone=preference.time_zone),
        since=min(since, now),
        until=now,
        pausing=member_is_inactive(preference.user, now=now),
    )


@dataclass
class MemberDigest:
    plan: MemberPlan
    since: dt.datetime
    until: dt.datetime
    sections: list[Section] = field(default_factory=list)

    @property
    def user(self):
        return self.plan.user

    @property
    def frequency(self) -> str:
        return self.plan.frequency

    @property
    def period(self) -> str:
        return self.plan.period

    @property
    def pausing(self) -> bool:
        return self.plan.pausing

    @property
    def local_date(self) -> dt.date:
        return schedule.local_date(self.plan.slot, self.plan.preference.time_zone)

    @property
    def since_date(self) -> dt.date:
        return schedule.local_date(self.since, self.plan.preference.time_zone)

    @property
    def nonempty_sections(self) -> list[Section]:
        return [section for section in self.sections if section.total]

    @property
    def counts(self) -> dict[str, int]:
        return {section.key: section.total for section in self.sections}

    @property
    def should_send(self) -> bool:
        """Nothing new, nothing sent; except the last digest of a member being paused, which
        tells them so."""
        return bool(self.nonempty_sections) or self.pausing


def _followed_categories(preference: DigestPreference, tree) -> frozenset[int] | None:
    chosen = [category.pk for category in preference.categories.all()]  # prefetched
    if not chosen:
        return None  # following every category
    return frozenset(pk for chosen_pk in chosen for pk in tree.descendant_ids(chosen_pk))


def digests_build(
    plans: list[MemberPlan], *, windows: dict[int, tuple[dt.datetime, dt.datetime]] | None = None
) -> list[MemberDigest]:
    """The digests of a batch: one query for the category tree plus one or two per section
    source, whatever the number of members. `windows` (user id → (since, until)) overrides the
    planned windows, e.g. with those recorded on a reclaimed delivery."""
    if not plans:
        return []
    windows = windows or {}
    spans = [windows.get(plan.user.pk, (plan.since, plan.until)) for plan in plans]
    since, until = min(s for s, _u in spans), max(u for _s, u in spans)
    tree = selectors.digest_category_tree()
    user_ids = [plan.user.pk for plan in plans]
    shared = {
        source.key: source.load(since=since, until=until, user_ids=user_ids) for source in SOURCES
    }
    digests = []
    for plan, (member_since, member_until) in zip(plans, spans, strict=True):
        job_tag_ids = frozenset(tag.pk for tag in plan.preference.job_tags.all())  # prefetched
        scope = MemberScope(
            since=member_since,
            until=member_until,
            category_ids=_followed_categories(plan.preference, tree),
            job_tag_ids=job_tag_ids or None,
            user_id=plan.user.pk,
        )
        sections = [source.select(shared[source.key], scope=scope) for source in SOURCES]
        digests.append(
            MemberDigest(plan=plan, since=member_since, until=member_until, sections=sections)
        )
    return digests
