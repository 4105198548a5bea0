"""Reads of the question bank, with their joins applied, so that pages run a fixed number of
queries whatever the size of the bank."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.selectors import user_is_moderator
from questions.models import Answer, Category, Question, StudyProgress, Vote


@dataclass
class CategoryNode:
    category: Category
    own_count: int = 0
    children: list["CategoryNode"] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.own_count + sum(child.total for child in self.children)

    @property
    def pk(self) -> int:
        return self.category.pk


@dataclass
class CategoryTree:
    roots: list[CategoryNode]
    by_id: dict[int, CategoryNode]
    parents: dict[int, int | None]

    def ancestors(self, category_id: int) -> list[Category]:
        """The category's path from the root, itself included."""
        path = []
        current = category_id
        while current is not None and current in self.by_id:
            path.append(self.by_id[current].category)
            current = self.parents[current]
        return list(reversed(path))

    def descendant_ids(self, category_id: int) -> list[int]:
        ids, stack = [], [self.by_id[category_id]]
        while stack:
            node = stack.pop()
            ids.append(node.pk)
            stack.extend(node.children)
        return ids

    def path(self, category_id: int, separator: str = " › ") -> str:
        """ "Part › Section › Sub-section": unambiguous where a name repeats ("对比篇")."""
        return separator.join(category.name for category in self.ancestors(category_id))


def category_tree(*, with_counts: bool = True) -> CategoryTree:
    """All categories, with their published-question counts unless told otherwise: one query,
    two with the counts."""
    categories = list(Category.objects.order_by("position", "pk"))
    counts = {}
    if with_counts:
        counts = dict(
            Question.objects.published()
            .values_list("category_id")
            .annotate(n=Count("pk"))
            .values_list("category_id", "n")
        )
    by_id = {c.pk: CategoryNode(category=c, own_count=counts.get(c.pk, 0)) for c in categories}
    roots = []
    for c in categories:
        node = by_id[c.pk]
        if c.parent_id is None:
            roots.append(node)
        else:
            by_id[c.parent_id].children.append(node)
    return CategoryTree(roots=roots, by_id=by_id, parents={c.pk: c.parent_id for c in categories})


def question_list_base() -> QuerySet[Question]:
    """Published questions with what a list row shows; filter with questions.filters."""
    return Question.objects.published().select_related("category").defer("body", "body_html")


def recent_answers(*, limit: int) -> list[Answer]:
    return list(
        Answer.objects.published()
        .filter(question__status=Question.Status.PUBLISHED)
        .select_related("question", "author")
        .defer("body", "body_html")
        .order_by("-published_at", "-pk")[:limit]
    )


def member_answers(user, *, limit: int) -> tuple[list[Answer], dict]:
    """A member's best published answers and their totals (count, summed score)."""
    published = Answer.objects.published().filter(
        author=user, question__status=Question.Status.PUBLISHED
    )
    totals = published.aggregate(count=Count("pk"), score=Sum("score"))
    totals["score"] = totals["score"] or 0
    best = list(
        published.select_related("question")
        .defer("body", "body_html")
        .order_by("-score", "-published_at")[:limit]
    )
    return best, totals


def questions_awaiting_review_by(user) -> QuerySet[Question]:
    return Question.objects.filter(author=user, status=Question.Status.PENDING).select_related(
        "category"
    )


def get_question_for_user(user, pk: int) -> Question:
    """The question if the viewer may see it, else 404."""
    return get_object_or_404(
        Question.objects.visible_to(user).select_related("category", "author"), pk=pk
    )


MAX_MERGE_HOPS = 10


def question_merged_into(user, pk: int) -> Question | None:
    """Where a merged question now lives: the question it was merged into (following chains of
    merges), if the viewer may see it; None if `pk` is not a merged question."""
    current = Question.objects.filter(pk=pk, status=Question.Status.MERGED).first()
    for _hop in range(MAX_MERGE_HOPS):
        if current is None or current.merged_into_id is None:
            return None
        target = Question.objects.filter(pk=current.merged_into_id).first()
        if target is None or target.status != Question.Status.MERGED:
            visible = Question.objects.visible_to(user).filter(pk=current.merged_into_id)
            return visible.first()
        current = target
    return None


def get_answerable_question(user, pk: int) -> Question:
    return get_object_or_404(Question.objects.published(), pk=pk)


def category_queryset() -> QuerySet[Category]:
    """Categories in bank order, for other apps' choice fields."""
    return Category.objects.order_by("position", "pk")


def get_votable_answer(user, pk: int) -> Answer:
    """A published answer to a published question, or 404."""
    return get_object_or_404(
        Answer.objects.published()
        .filter(question__status=Question.Status.PUBLISHED)
        .select_related("question"),
        pk=pk,
    )


def get_answer_for_user(user, pk: int) -> Answer:
    return get_object_or_404(
        Answer.objects.visible_to(user).select_related("question", "author"), pk=pk
    )


def get_own_answer(user, pk: int) -> Answer:
    return get_object_or_404(
        Answer.objects.exclude(status=Answer.Status.REJECTED).select_related("question"),
        pk=pk,
        author=user,
    )


def answers_for_question_page(*, question: Question, viewer) -> list[Answer]:
    """Answers in page order, each with `viewer_vote` (1, -1 or 0): two queries at most."""
    answers = list(
        Answer.objects.visible_to(viewer)
        .filter(question=question)
        .select_related("author")
        .in_page_order()
    )
    votes = {}
    if viewer.is_authenticated and answers:
        votes = dict(
            Vote.objects.filter(user=viewer, answer__in=[a.pk for a in answers]).values_list(
                "answer_id", "value"
            )
        )
    for answer in answers:
        answer.viewer_vote = votes.get(answer.pk, 0)
    return answers


def viewer_can_moderate(user) -> bool:
    return user_is_moderator(user)


def progress_for(user, question_ids) -> dict[int, str]:
    if not user.is_authenticated:
        return {}
    return dict(
        StudyProgress.objects.filter(user=user, question_id__in=list(question_ids)).values_list(
            "question_id", "status"
        )
    )


def progress_due_for_review(user, *, now) -> QuerySet[StudyProgress]:
    """The member's questions whose review date has come, the longest-waiting first."""
    return (
        StudyProgress.objects.filter(
            user=user, review_due_at__lte=now, question__status=Question.Status.PUBLISHED
        )
        .select_related("question__category")
        .order_by("review_due_at", "pk")
    )


def progress_summary(user) -> dict[str, int]:
    rows = StudyProgress.objects.filter(user=user).values_list("status").annotate(n=Count("pk"))
    return dict(rows)


def viewer_vote_on(user, answer: Answer) -> int:
    """The viewer's vote on one answer: 1, -1 or 0."""
    if not user.is_authenticated:
        return 0
    value = Vote.objects.filter(user=user, answer=answer).values_list("value", flat=True).first()
    return value or 0


# For the digests: each kind of content once per batch, whatever the number of members.


def questions_published_between(*, since, until) -> list[Question]:
    """Member questions published in [since, until), newest first, with their category: 1
    query. The imported bank is not news: seed questions are left out."""
    return list(
        Question.objects.published()
        .filter(published_at__gte=since, published_at__lt=until)
        .exclude(source=Question.Source.SEED)
        .select_related("category")
        .only("pk", "title", "published_at", "category_id", "category__name")
        .order_by("-published_at", "-pk")
    )


def answers_published_between(*, since, until) -> list[Answer]:
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
            "body",
            "body_html",
            "published_at",
            "question__title",
            "question__category",
            "author__username",
            "author__display_name",
        )
        .order_by("-score", "-published_at", "-pk")
    )


def reviews_due_for_members(*, user_ids: list[int], until) -> list[StudyProgress]:
    """These members' questions whose review date has come by `until`, the longest-waiting
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


# Search -------------------------------------------------------------------------------------
# What the search app indexes and shows; it reads the bank only through these.


@dataclass
class SearchAnswer:
    id: int
    body: str
    is_endorsed: bool


@dataclass
class SearchQuestion:
    id: int
    title: str
    body: str
    url: str
    category_id: int
    category_path: list[str]
    answers: list[SearchAnswer]  # published ones, reference answer first
    order: tuple[int, int, int, int]  # the bank's order: category position, category, position


def category_paths() -> dict[int, list[str]]:
    """Every category's path of names from the root: one query."""
    rows = {
        pk: (parent, name)
        for pk, parent, name in Category.objects.order_by().values_list("pk", "parent_id", "name")
    }
    paths: dict[int, list[str]] = {}
    for pk in rows:
        path, current = [], pk
        while current is not None and current in rows and len(path) < 20:
            parent, name = rows[current]
            path.append(name)
            current = parent
        paths[pk] = list(reversed(path))
    return paths


def category_descendant_ids(category_id: int) -> list[int]:
    """The category and all its sub-categories: one query."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    ids, stack = [], [category_id]
    while stack:
        current = stack.pop()
        ids.append(current)
        stack.extend(children.get(current, []))
    return ids


def category_choices() -> list[tuple[int, str]]:
    """Categories in tree order, indented by depth, for a filter's choices: one query."""
    categories = list(
        Category.objects.order_by("position", "pk").values_list("pk", "parent_id", "name")
    )
    children: dict[int | None, list[tuple[int, str]]] = {}
    for pk, parent, name in categories:
        children.setdefault(parent, []).append((pk, name))
    choices, stack = [], [(pk, name, 0) for pk, name in reversed(children.get(None, []))]
    while stack:
        pk, name, depth = stack.pop()
        choices.append((pk, "\u3000" * depth + name))
        stack.extend((c, n, depth + 1) for c, n in reversed(children.get(pk, [])))
    return choices


def questions_for_search(ids) -> list[SearchQuestion]:
    """The published questions among `ids`, with what the search index holds: title, details,
    category path and their published answers (reference answer first). Three queries, and
    no model instances (this runs inside every answer's save)."""
    rows = list(
        Question.objects.published()
        .filter(pk__in=list(ids))
        .order_by()
        .values_list("pk", "title", "body", "category_id", "position", "category__position")
    )
    if not rows:
        return []
    paths = category_paths()
    answers: dict[int, list[SearchAnswer]] = {}
    published = (
        Answer.objects.published()
        .filter(question_id__in=[row[0] for row in rows])
        .order_by("-is_endorsed", "-score", "created_at", "pk")
        .values_list("question_id", "pk", "body", "is_endorsed")
    )
    for question_id, pk, body, endorsed in published:
        answers.setdefault(question_id, []).append(SearchAnswer(pk, body, endorsed))
    return [
        SearchQuestion(
            id=pk,
            title=title,
            body=body,
            url=Question(pk=pk, title=title).get_absolute_url(),
            category_id=category_id,
            category_path=paths.get(category_id, []),
            answers=answers.get(pk, []),
            order=(category_position, category_id, position, pk),
        )
        for pk, title, body, category_id, position, category_position in rows
    ]


def published_question_ids() -> QuerySet:
    return Question.objects.published().order_by("pk").values_list("pk", flat=True)


def question_ids_in_categories(category_ids) -> list[int]:
    return list(
        Question.objects.filter(category_id__in=list(category_ids)).values_list("pk", flat=True)
    )


def texts_for_search_snippets(question_ids) -> dict[int, list[str]]:
    """Per published question: its details, then its published answers' Markdown, reference
    answer first (search result snippets). Two queries."""
    texts: dict[int, list[str]] = {
        pk: [body] if body else []
        for pk, body in Question.objects.published()
        .filter(pk__in=list(question_ids))
        .values_list("pk", "body")
    }
    rows = (
        Answer.objects.published()
        .filter(question_id__in=list(texts))
        .order_by("-is_endorsed", "-score", "created_at", "pk")
        .values_list("question_id", "body")
    )
    for question_id, body in rows:
        texts[question_id].append(body)
    return texts
