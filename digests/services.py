"""Writes for the digests: preferences, unsubscribing, planning the hourly run and sending a batch
exactly once per member and period.

Exactly once, the protocol (healthchecks' conditional-UPDATE pattern, on a ledger):
1. claim: INSERT a DigestDelivery row per member (unique per member, frequency and period; ON
   CONFLICT DO NOTHING), then a conditional UPDATE takes over the rows that may be tried again,
   failed ones under DIGEST_MAX_ATTEMPTS and claimed ones older than DIGEST_CLAIM_TIMEOUT (their
   worker died). Each row then carries the claim token of the batch run that owns it.
2. send each owned digest, then mark its row sent (or failed, keeping the error) with a
   conditional UPDATE on (token, status=claimed), committed at once: a kill after that point
   loses nothing and a rerun does not send it again.
3. move `next_due_at` of every member whose period is settled (sent, skipped, or given up) to
   their next slot. Members still failing stay due, so the task's retries and the next hourly
   run try them again.
The only window for a duplicate is a worker killed between the SMTP server accepting a mail and
the UPDATE that follows it (milliseconds), and only once the claim is stale."""

import contextlib
import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from digests import schedule, selectors
from digests.building import MemberPlan, digests_build, member_plan
from digests.mail import digest_email
from digests.models import DigestDelivery, DigestPreference, Frequency
from llmprep.errors import invalid_from_validation_error

logger = logging.getLogger(__name__)

Status = DigestDelivery.Status


def _slot_for(preference: DigestPreference, *, after: dt.datetime) -> dt.datetime | None:
    return schedule.next_slot(
        frequency=preference.frequency,
        weekday=preference.weekday,
        hour=preference.hour,
        time_zone=preference.time_zone,
        after=after,
    )


# Preferences ---------------------------------------------------------------------------------


@transaction.atomic
def digest_preference_update(
    *,
    user,
    frequency: str,
    weekday: int | None = None,
    hour: int | None = None,
    time_zone: str | None = None,
    categories: list | None = None,
    job_tags: list | None = None,
    now: dt.datetime | None = None,
) -> DigestPreference:
    """Save a member's choices (None keeps the current value or the default). Saving also
    resumes a paused member. The next digest is rescheduled only when the schedule changed, so
    that saving unchanged settings never drops a digest that is due."""
    now = now or timezone.now()
    preference, _created = DigestPreference.objects.select_for_update().get_or_create(user=user)
    before = (preference.frequency, preference.weekday, preference.hour, preference.time_zone)
    preference.frequency = frequency
    if weekday is not None:
        preference.weekday = weekday
    if hour is not None:
        preference.hour = hour
    if time_zone is not None:
        preference.time_zone = time_zone
    try:
        preference.full_clean(exclude=["user"])
    except ValidationError as error:
        raise invalid_from_validation_error(error) from error
    after = (preference.frequency, preference.weekday, preference.hour, preference.time_zone)
    if after != before or preference.next_due_at is None or preference.paused_at is not None:
        preference.next_due_at = _slot_for(preference, after=now)
    preference.paused_at = None
    preference.save()
    if categories is not None:
        preference.categories.set(categories)
    if job_tags is not None:
        preference.job_tags.set(job_tags)
    return preference


@transaction.atomic
def digest_preferences_create_missing(*, now: dt.datetime, batch_size: int = 2000) -> int:
    """Give every active member without preferences the defaults, scheduled for the first
    default slot from the start of the current hour on (so the hourly run that creates them also
    sends to them if their slot is this hour). Keyset pages, so memory stays flat."""
    default = DigestPreference()
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    next_due_at = _slot_for(default, after=this_hour - dt.timedelta(microseconds=1))
    created, last_pk = 0, 0
    while True:
        page = list(
            selectors.digest_members_without_preferences()
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not page:
            return created
        DigestPreference.objects.bulk_create(
            [DigestPreference(user_id=pk, next_due_at=next_due_at) for pk in page],
            ignore_conflicts=True,
        )
        created += len(page)
        last_pk = page[-1]


@transaction.atomic
def digest_unsubscribe(*, user) -> bool:
    """Stop all digest mail to the member. Returns whether anything changed (a second
    unsubscribe is a no-op)."""
    DigestPreference.objects.get_or_create(
        user=user, defaults={"frequency": Frequency.NEVER, "next_due_at": None}
    )
    changed = (
        DigestPreference.objects.filter(user=user)
        .exclude(frequency=Frequency.NEVER)
        .update(frequency=Frequency.NEVER, next_due_at=None, updated_at=timezone.now())
    )
    return changed == 1


@transaction.atomic
def digest_preference_resume(*, user, now: dt.datetime | None = None) -> bool:
    """A paused member came back (logged in): schedule their digests again."""
    now = now or timezone.now()
    preference = DigestPreference.objects.filter(user=user, paused_at__isnull=False).first()
    if preference is None:
        return False
    resumed = DigestPreference.objects.filter(pk=preference.pk, paused_at__isnull=False).update(
        paused_at=None, next_due_at=_slot_for(preference, after=now), updated_at=timezone.now()
    )
    return resumed == 1


# Planning ------------------------------------------------------------------------------------


def digest_plan(*, now: dt.datetime, frequencies=(Frequency.DAILY, Frequency.WEEKLY)) -> int:
    """The hourly run: enqueue, DIGEST_BATCH_SIZE members at a time, every member whose digest
    is due by `now`. Returns the number of members enqueued. Enqueuing twice is harmless: the
    delivery ledger sends each period once."""
    from digests.tasks import send_digest_batch

    digest_preferences_create_missing(now=now)
    enqueued = 0
    for frequency in frequencies:
        for user_ids in selectors.digest_due_user_id_batches(
            now=now, frequency=frequency, size=settings.DIGEST_BATCH_SIZE
        ):
            send_digest_batch.delay_on_commit(str(frequency), user_ids, now.isoformat())
            enqueued += len(user_ids)
    return enqueued


# Sending a batch -----------------------------------------------------------------------------


@dataclass
class Outcome:
    user_id: int
    email: str
    period: str
    counts: dict = field(default_factory=dict)
    error: str = ""


@dataclass
class BatchResult:
    sent: list[Outcome] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    # Failed this time and will be tried again (task retry, then the next hourly run).
    failed: list[Outcome] = field(default_factory=list)
    # Failed DIGEST_MAX_ATTEMPTS times: this period is given up, the error stays on the row.
    gave_up: list[Outcome] = field(default_factory=list)
    # Settled before this run (sent or skipped by an earlier or duplicated run).
    already: list[Outcome] = field(default_factory=list)
    # Claimed by another run that is still within DIGEST_CLAIM_TIMEOUT.
    busy: list[Outcome] = field(default_factory=list)
    paused: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _deliveries_claim(
    plans: list[MemberPlan], *, frequency: str
) -> tuple[str, dict[int, DigestDelivery]]:
    """Claim the batch's deliveries. Returns the claim token and every member's row (user id →
    row); the rows this run owns carry the token."""
    token = uuid.uuid4().hex
    wall = timezone.now()
    periods = {plan.user.pk: plan.period for plan in plans}
    by_period: dict[str, list[int]] = defaultdict(list)
    for user_id, period in periods.items():
        by_period[period].append(user_id)
    with transaction.atomic():
        DigestDelivery.objects.bulk_create(
            [
                DigestDelivery(
                    user_id=plan.user.pk,
                    frequency=frequency,
                    period=plan.period,
                    status=Status.CLAIMED,
                    claim_token=token,
                    claimed_at=wall,
                    attempts=1,
                    window_start=plan.since,
                    window_end=plan.until,
                )
                for plan in plans
            ],
            ignore_conflicts=True,
        )
        pairs = Q()
        for period, user_ids in by_period.items():
            pairs |= Q(period=period, user_id__in=user_ids)
        retryable = Q(status=Status.FAILED, attempts__lt=settings.DIGEST_MAX_ATTEMPTS) | Q(
            status=Status.CLAIMED,
            claimed_at__lt=wall - dt.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT),
        )
        DigestDelivery.objects.filter(pairs, frequency=frequency).filter(retryable).update(
            status=Status.CLAIMED,
            claim_token=token,
            claimed_at=wall,
            attempts=F("attempts") + 1,
            updated_at=wall,
        )
    rows = selectors.digest_deliveries_for(frequency=frequency, periods=periods)
    return token, {row.user_id: row for row in rows}


def _delivery_mark(delivery: DigestDelivery, *, token: str, **changes) -> bool:
    """Settle a claimed row; the row count tells whether the claim was still ours."""
    updated = DigestDelivery.objects.filter(
        pk=delivery.pk, claim_token=token, status=Status.CLAIMED
    ).update(updated_at=timezone.now(), **changes)
    if updated != 1:
        logger.warning("digest delivery %s: claim lost before it was settled", delivery.pk)
    return updated == 1


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _preferences_settle(
    plans: list[MemberPlan], *, settled: set[int], now: dt.datetime
) -> list[int]:
    """Move the settled members to their next slot, or pause those who stopped visiting.
    Conditional on still being due, so a preference saved meanwhile is left alone. Returns the
    paused members' ids."""
    next_due: dict[dt.datetime, list[int]] = defaultdict(list)
    paused = []
    for plan in plans:
        if plan.user.pk not in settled:
            continue
        if plan.pausing:
            paused.append(plan.preference.pk)
        else:
            next_due[_slot_for(plan.preference, after=now)].append(plan.preference.pk)
    if next_due:
        DigestPreference.objects.filter(
            pk__in=[pk for pks in next_due.values() for pk in pks], next_due_at__lte=now
        ).update(
            next_due_at=Case(
                *[When(pk__in=pks, then=Value(slot)) for slot, pks in next_due.items()],
                output_field=DateTimeField(),
            ),
            updated_at=timezone.now(),
        )
    if paused:
        DigestPreference.objects.filter(pk__in=paused, paused_at__isnull=True).update(
            paused_at=timezone.now(), next_due_at=None, updated_at=timezone.now()
        )
    paused_pks = set(paused)
    return [plan.user.pk for plan in plans if plan.preference.pk in paused_pks]


def digest_batch_send(
    *, frequency: str, user_ids: list[int], now: dt.datetime, connection=None
) -> BatchResult:
    """Send the due digests of these members for the slot due by `now`, exactly once each.
    `connection`: the mail connection to send with (default: settings.EMAIL_BACKEND's).

    Deliberately not one transaction: every settled delivery is committed on its own, right
    after its mail left (see the module docstring). Queries: a constant number to load, claim and
    build, plus one UPDATE per mail sent."""
    result = BatchResult()
    preferences = list(
        selectors.digest_batch_members(user_ids=user_ids, frequency=frequency, now=now)
    )
    if not preferences:
        return result
    plans = [member_plan(preference, now=now) for preference in preferences]
    token, rows = _deliveries_claim(plans, frequency=frequency)

    owned, settled = [], set()
    for plan in plans:
        row = rows.get(plan.user.pk)
        outcome = Outcome(user_id=plan.user.pk, email=plan.user.email, period=plan.period)
        if row is None:  # pragma: no cover - the INSERT above guarantees a row
            continue
        if row.claim_token == token and row.status == Status.CLAIMED:
            owned.append(plan)
        elif row.status in (Status.SENT, Status.SKIPPED):
            result.already.append(outcome)
            settled.add(plan.user.pk)
        elif row.status == Status.FAILED:
            outcome.error = row.last_error
            result.gave_up.append(outcome)
            settled.add(plan.user.pk)
        else:
            result.busy.append(outcome)

    windows = {
        plan.user.pk: (rows[plan.user.pk].window_start, rows[plan.user.pk].window_end)
        for plan in owned
    }
    digests = digests_build(owned, windows=windows)
    skipped_pks = []
    connection = connection or get_connection()
    with contextlib.suppress(Exception):
        connection.open()  # one SMTP session per batch; a failure shows on each send below
    try:
        for digest in digests:
            row = rows[digest.user.pk]
            outcome = Outcome(
                user_id=digest.user.pk,
                email=digest.user.email,
                period=digest.period,
                counts=digest.counts,
            )
            if not digest.should_send:
                skipped_pks.append(row.pk)
                result.skipped.append(outcome)
                settled.add(digest.user.pk)
                continue
            message = digest_email(digest)
            message.connection = connection
            try:
                message.send()
            except Exception as exc:
                outcome.error = _error_text(exc)
                _delivery_mark(row, token=token, status=Status.FAILED, last_error=outcome.error)
                if row.attempts >= settings.DIGEST_MAX_ATTEMPTS:
                    result.gave_up.append(outcome)
                    settled.add(digest.user.pk)
                    logger.error(
                        "digest to user %s for %s failed %s times, giving up: %s",
                        digest.user.pk,
                        digest.period,
                        row.attempts,
                        outcome.error,
                    )
                else:
                    result.failed.append(outcome)
                    logger.warning("digest to user %s failed: %s", digest.user.pk, outcome.error)
                with contextlib.suppress(Exception):
                    connection.close()  # the next send opens a fresh session
                continue
            _delivery_mark(
                row,
                token=token,
                status=Status.SENT,
                sent_at=timezone.now(),
                subject=message.subject[:255],
                counts=digest.counts,
                last_error="",
            )
            result.sent.append(outcome)
            settled.add(digest.user.pk)
    finally:
        with contextlib.suppress(Exception):
            connection.close()

    if skipped_pks:
        DigestDelivery.objects.filter(
            pk__in=skipped_pks, claim_token=token, status=Status.CLAIMED
        ).update(status=Status.SKIPPED, updated_at=timezone.now())
    result.paused = _preferences_settle(plans, settled=settled, now=now)
    return result
