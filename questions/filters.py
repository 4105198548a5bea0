"""The question list's filters, shared by the HTML list and the API."""

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Max, Q, Value, When
from django.utils.translation import gettext_lazy as _

from llmprep import indexing
from questions.models import Answer, Category, Question
from questions.selectors import category_tree

SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("bank", _("Question bank order")),
    ("newest", _("Newest")),
    ("answers", _("Most answers")),
    ("score", _("Best answer score")),
]
TEXT_MAX_LENGTH = 100
PATH_SEPARATOR = " › "


class CategoryPathField(django_filters.fields.ModelChoiceField):
    """Categories labelled by their path below the top-level part ("LLMs Tokenizer 篇 › 对比篇"),
    so that sub-groups with the same name ("对比篇") can be told apart. The parents come from
    the same query (select_related), in bank order."""

    def label_from_instance(self, obj):
        path, node = [], obj
        while node is not None:
            path.append(node.name)
            node = node.parent
        # A top-level part is named alone; below it, the part's name would only add noise.
        return PATH_SEPARATOR.join(reversed(path if len(path) == 1 else path[:-1]))


class CategoryPathFilter(django_filters.ModelChoiceFilter):
    field_class = CategoryPathField


# How many ranked matches the text filter keeps (the search engine's best first).
RANKED_LIMIT = 1000


class QuestionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text", max_length=TEXT_MAX_LENGTH
    )
    category = CategoryPathFilter(
        label=_("Category"),
        queryset=Category.objects.select_related("parent__parent__parent"),
        method="filter_category",
    )
    # A checkbox: ticked sends `unanswered=true`, unticked sends nothing (all questions).
    unanswered = django_filters.BooleanFilter(
        label=_("Unanswered only"),
        method="filter_unanswered",
        widget=forms.CheckboxInput(attrs={"value": "true"}),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Question
        fields = ["q", "category", "unanswered", "sort"]

    def filter_text(self, queryset, name, value):
        # The site's search engine (llmprep.indexing → search), ranked; `relevance` keeps its
        # order. Without one, every word must appear in the title or the details.
        ranked = indexing.ranked_ids("question", value, RANKED_LIMIT)
        if ranked is not None:
            self.ranked_ids = ranked
            return queryset.filter(pk__in=ranked)
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(body__icontains=word))
        return queryset

    def filter_category(self, queryset, name, value):
        # A category includes its sub-categories.
        return queryset.filter(category_id__in=category_tree().descendant_ids(value.pk))

    def filter_unanswered(self, queryset, name, value):
        return queryset.filter(answer_count=0) if value else queryset

    def filter_sort(self, queryset, name, value):
        return sort_questions(queryset, value, ranked_ids=getattr(self, "ranked_ids", None))

    @property
    def qs(self):
        queryset = super().qs
        # Sorting applies even when `sort` is absent from the query string.
        if not self.form.cleaned_data.get("sort"):
            queryset = sort_questions(
                queryset, "relevance", ranked_ids=getattr(self, "ranked_ids", None)
            )
        return queryset


def sort_questions(queryset, sort: str, *, ranked_ids: list[int] | None = None):
    if sort == "relevance":
        if ranked_ids is None:  # no text to rank by: the bank's order
            return sort_questions(queryset, "bank")
        rank = Case(
            *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked_ids)],
            output_field=IntegerField(),
        )
        return queryset.order_by(rank, "pk")
    if sort == "newest":
        return queryset.order_by("-published_at", "-pk")
    if sort == "answers":
        return queryset.order_by("-answer_count", "-published_at", "-pk")
    if sort == "score":
        return queryset.annotate(
            best_score=Max("answers__score", filter=Q(answers__status=Answer.Status.PUBLISHED))
        ).order_by(F("best_score").desc(nulls_last=True), "-answer_count", "-pk")
    return queryset.order_by("category__position", "category_id", "position", "pk")
