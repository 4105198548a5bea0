"""The content kinds of a digest. Each source loads its content once per batch (one query, for the
union of the batch's windows) and then picks, in Python, what concerns one member: their window and
the categories (or job tags) they follow. A new kind of content is a new source in SOURCES plus its
two templates `digests/email/_<key>.html|.txt`; the digest builder, the mail and the counts in the
subject pick it up from there."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from digests import selectors
from llmprep.markdown import excerpt

EXCERPT_CHARS = 140


@dataclass(frozen=True)
class MemberScope:
    """What one member's digest covers: items published in [since, until) in the categories and
    job tags they follow (None means every one), and their own study items due by `until`."""

    since: dt.datetime
    until: dt.datetime
    category_ids: frozenset[int] | None = None
    job_tag_ids: frozenset[int] | None = None
    user_id: int | None = None


@dataclass
class Section:
    source: "SectionSource"
    items: list = field(default_factory=list)
    total: int = 0
    # Rendered fragments shared by the batch: members with the same items in the same language
    # get the same markup, rendered once (see the digest_section template tag).
    fragments: dict = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def title(self) -> str:
        return self.source.title

    @property
    def more(self) -> int:
        """Items counted but not listed."""
        return self.total - len(self.items)

    @property
    def summary(self) -> str:
        # Evaluated while the mail renders, i.e. in the member's language.
        return self.source.summary(self.total)


class SectionSource:
    key: ClassVar[str]
    title: ClassVar[Any]

    @property
    def limit(self) -> int:
        return settings.DIGEST_ITEMS_PER_SECTION

    def load(self, *, since: dt.datetime, until: dt.datetime, user_ids: list[int]) -> dict:
        """The batch's content: everything any member of the batch may get. One query. The dict
        is shared by the batch's sections (it also holds their rendered fragments)."""
        raise NotImplementedError

    def select(self, shared: Any, *, scope: MemberScope) -> Section:
        raise NotImplementedError

    def section(self, shared, items: list) -> Section:
        fragments = shared.setdefault("fragments", {}) if isinstance(shared, dict) else {}
        return Section(
            source=self, items=items[: self.limit], total=len(items), fragments=fragments
        )

    def summary(self, count: int) -> str:
        raise NotImplementedError


def _in_scope(published_at, category_id, scope: MemberScope) -> bool:
    return scope.since <= published_at < scope.until and (
        scope.category_ids is None or category_id in scope.category_ids
    )


class NewQuestions(SectionSource):
    key = "questions"
    title = _("New questions")

    def load(self, *, since, until, user_ids):
        questions = selectors.digest_new_questions(since=since, until=until)
        for question in questions:  # once per batch, not once per member
            question.digest_url = f"{settings.SITE_URL}{question.get_absolute_url()}"
        return {"items": questions}

    def select(self, shared, *, scope):
        # Newest first, as loaded.
        matching = [q for q in shared["items"] if _in_scope(q.published_at, q.category_id, scope)]
        return self.section(shared, matching)

    def summary(self, count):
        return ngettext("%(count)d new question", "%(count)d new questions", count) % {
            "count": count
        }


class TopAnswers(SectionSource):
    key = "answers"
    title = _("Best new answers")

    def load(self, *, since, until, user_ids):
        answers = selectors.digest_new_answers(since=since, until=until)
        for answer in answers:  # once per batch, not once per member
            answer.digest_url = f"{settings.SITE_URL}{answer.get_absolute_url()}"
            # From the rendered text: no Markdown syntax, formulas whole (as TeX, shown as code)
            # or left out, cut at a word boundary.
            answer.digest_excerpt = excerpt(answer.body_html, limit=EXCERPT_CHARS)
        return {"items": answers}

    def select(self, shared, *, scope):
        # Highest score first, as loaded.
        matching = [
            a for a in shared["items"] if _in_scope(a.published_at, a.question.category_id, scope)
        ]
        return self.section(shared, matching)

    def summary(self, count):
        return ngettext("%(count)d new answer", "%(count)d new answers", count) % {"count": count}


class NewJobs(SectionSource):
    key = "jobs"
    title = _("New jobs")

    def load(self, *, since, until, user_ids):
        jobs = selectors.digest_new_jobs(since=since, until=until)
        for job in jobs:  # once per batch, not once per member
            job.digest_url = f"{settings.SITE_URL}{job.get_absolute_url()}"
            job.digest_tag_ids = frozenset(tag.pk for tag in job.tags.all())  # prefetched
        return {"items": jobs}

    def select(self, shared, *, scope):
        # Newest first, as loaded. Following some tags means jobs with at least one of them.
        matching = [
            job
            for job in shared["items"]
            if scope.since <= job.published_at < scope.until
            and (scope.job_tag_ids is None or job.digest_tag_ids & scope.job_tag_ids)
        ]
        return self.section(shared, matching)

    def summary(self, count):
        return ngettext("%(count)d new job", "%(count)d new jobs", count) % {"count": count}


class DueReviews(SectionSource):
    """The member's own questions due for review (see questions.services.progress_set): not
    bounded by `since`, since a question stays due until the member marks it again."""

    key = "reviews"
    title = _("Due for review")

    def load(self, *, since, until, user_ids):
        rows = selectors.digest_due_reviews(user_ids=user_ids, until=until)
        for row in rows:  # once per batch, not once per member
            row.digest_url = f"{settings.SITE_URL}{row.question.get_absolute_url()}"
        return {"items": rows}

    def select(self, shared, *, scope):
        mine = [row for row in shared["items"] if row.user_id == scope.user_id]
        return self.section(shared, mine)

    def summary(self, count):
        return ngettext(
            "%(count)d question due for review", "%(count)d questions due for review", count
        ) % {"count": count}


# In the order the digest shows them.
SOURCES: list[SectionSource] = [NewQuestions(), TopAnswers(), NewJobs(), DueReviews()]
