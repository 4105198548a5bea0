"""Reads for the digests. Every batch read is one query whatever the batch size: the members of a
batch with their preferences, followed categories and last digest, then each kind of content once
for the whole batch (digests.sections filters it per member in Python)."""

import datetime as dt
from collections.abc import Iterator

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from accounts.models import User
from digests.models import DigestDelivery, DigestPreference, Frequency
from jobs.models import Job, Tag
from questions.models import Answer, Category, Question, StudyProgress


def digest_preference_for(*, user: User) -> DigestPreference:
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
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.only("pk")),
            Prefetch("job_tags", queryset=Tag.objects.only("pk")),
        )
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


def digest_category_parents() -> dict[int, int | None]:
    """Every category's parent, to expand followed categories to their sub-categories."""
    return dict(Category.objects.values_list("pk", "parent_id"))


def digest_new_questions(*, since: dt.datetime, until: dt.datetime) -> list[Question]:
    """Questions published in [since, until), newest first, with their category: 1 query.
    Questions imported from the seed bank are not news: only members' questions count."""
    return list(
        Question.objects.published()
        .filter(published_at__gte=since, published_at__lt=until)
        .exclude(source=Question.Source.SEED)
        .select_related("category")
        .only("pk", "title", "published_at", "category_id", "category__name")
        .order_by("-published_at", "-pk")
    )


def digest_new_answers(*, since: dt.datetime, until: dt.datetime) -> list[Answer]:
    """Answers published in [since, until) to published questions, best first: 1 query."""
    return list(
        Answer.objects.published()
        .filter(
            published_at__gte=since,
            published_at__lt=until,
            question__status=Question.Status.PUBLISHED,
        )
        .select_related("question", "author")
        .only(
            "pk",
            "score",
            "body_html",
            "published_at",
            "question__title",
            "question__category",
            "author__username",
            "author__display_name",
        )
        .order_by("-score", "-published_at", "-pk")
    )


def digest_new_jobs(*, since: dt.datetime, until: dt.datetime) -> list[Job]:
    """Jobs published in [since, until) and still open at `until`, newest first, with their
    company and tag ids: 2 queries."""
    return list(
        Job.objects.live(now=until)
        .filter(published_at__gte=since, published_at__lt=until)
        .select_related("company")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("pk")))
        .only("pk", "title", "location", "published_at", "company__name")
        .order_by("-published_at", "-pk")
    )


def digest_due_reviews(*, user_ids: list[int], until: dt.datetime) -> list[StudyProgress]:
    """The batch members' questions whose review date has come by `until`, the longest-waiting
    first, with question and category: 1 query."""
    return list(
        StudyProgress.objects.filter(
            user_id__in=user_ids,
            review_due_at__lte=until,
            question__status=Question.Status.PUBLISHED,
        )
        .select_related("question__category")
        .only(
            "pk",
            "user_id",
            "status",
            "review_due_at",
            "question__title",
            "question__category__name",
        )
        .order_by("review_due_at", "pk")
    )


def digest_members_without_preferences() -> QuerySet[User]:
    return User.objects.filter(is_active=True, digest_preference__isnull=True)


def digest_unsubscribe_member(*, user_id: int) -> User | None:
    return User.objects.filter(pk=user_id).first()


FREQUENCIES_SENT = (Frequency.DAILY, Frequency.WEEKLY)
