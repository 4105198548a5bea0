"""Reads for the digests. Every batch read is one query whatever the batch size: the members of a
batch with their preferences, followed categories and last digest, then each kind of content once
for the whole batch (digests.sections filters it per member in Python).

The content itself is read through the content apps' selectors (questions.selectors,
jobs.selectors): digests never query another app's models."""

import datetime as dt
from collections.abc import Iterator

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from digests.models import DigestDelivery, DigestPreference, Frequency
from jobs import selectors as jobs_selectors
from questions import selectors as questions_selectors


def _related_pks(name: str) -> Prefetch:
    """Prefetch a preference's followed categories or tags, their ids only."""
    model = DigestPreference._meta.get_field(name).related_model
    return Prefetch(name, queryset=model.objects.only("pk"))


def digest_preference_for(*, user) -> DigestPreference:
    """The member's preferences, or an unsaved one holding the defaults (nothing is written)."""
    preference = (
        DigestPreference.objects.filter(user=user)
        .prefetch_related("categories", "job_tags")
        .first()
    )
    return preference or DigestPreference(user=user)


def _due(*, now: dt.datetime, frequency: str) -> QuerySet[DigestPreference]:
    verified = EmailAddress.objects.filter(user_id=OuterRef("user_id"), verified=True)
    return DigestPreference.objects.filter(
        frequency=frequency,
        next_due_at__lte=now,
        paused_at__isnull=True,
        user__is_active=True,
    ).filter(Exists(verified))


def digest_due_user_id_batches(
    *, now: dt.datetime, frequency: str, size: int
) -> Iterator[list[int]]:
    """The ids of the members whose digest is due by `now`, `size` at a time (keyset pages, so
    memory stays flat however many members there are)."""
    last_pk = 0
    while True:
        page = list(
            _due(now=now, frequency=frequency)
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "user_id")[:size]
        )
        if not page:
            return
        last_pk = page[-1][0]
        yield [user_id for _pk, user_id in page]


def digest_batch_members(
    *, user_ids: list[int], frequency: str, now: dt.datetime
) -> QuerySet[DigestPreference]:
    """The batch's members still due (a preference may have changed since planning), with the
    user, followed categories and job tags, and the end of the window their last digest covered:
    3 queries."""
    last_window_end = (
        DigestDelivery.objects.filter(
            user_id=OuterRef("user_id"),
            status__in=[DigestDelivery.Status.SENT, DigestDelivery.Status.SKIPPED],
        )
        .order_by("-window_end")
        .values("window_end")[:1]
    )
    return (
        _due(now=now, frequency=frequency)
        .filter(user_id__in=user_ids)
        .select_related("user")
        .prefetch_related(_related_pks("categories"), _related_pks("job_tags"))
        .annotate(last_window_end=Subquery(last_window_end))
        .order_by("pk")
    )


def digest_deliveries_for(*, frequency: str, periods: dict[int, str]) -> list[DigestDelivery]:
    """The delivery rows of these members (user id → period) for those periods: 1 query."""
    by_period: dict[str, list[int]] = {}
    for user_id, period in periods.items():
        by_period.setdefault(period, []).append(user_id)
    if not by_period:
        return []
    return [
        delivery
        for delivery in DigestDelivery.objects.filter(
            frequency=frequency, user_id__in=list(periods), period__in=list(by_period)
        )
        if periods.get(delivery.user_id) == delivery.period
    ]


def digest_category_tree():
    """The category tree (no counts), to expand followed categories: 1 query."""
    return questions_selectors.category_tree(with_counts=False)


def digest_new_questions(*, since: dt.datetime, until: dt.datetime):
    return questions_selectors.questions_published_between(since=since, until=until)


def digest_new_answers(*, since: dt.datetime, until: dt.datetime):
    return questions_selectors.answers_published_between(since=since, until=until)


def digest_new_jobs(*, since: dt.datetime, until: dt.datetime):
    return jobs_selectors.jobs_published_between(since=since, until=until)


def digest_due_reviews(*, user_ids: list[int], until: dt.datetime):
    return questions_selectors.reviews_due_for_members(user_ids=user_ids, until=until)


def digest_members_without_preferences() -> QuerySet:
    return get_user_model().objects.filter(is_active=True, digest_preference__isnull=True)


def digest_unsubscribe_member(*, user_id: int):
    return get_user_model().objects.filter(pk=user_id).first()


FREQUENCIES_SENT = (Frequency.DAILY, Frequency.WEEKLY)
