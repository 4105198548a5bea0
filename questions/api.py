"""The question bank's REST API: thin views over the same selectors and services as the pages."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from llmprep.api import (
    MAX_ID,
    TEXT_PARAMETER,
    FilterBackend,
    StrictBooleanFilter,
    StrictCharField,
    StrictFieldsMixin,
    StrictIntegerChoiceField,
    StrictPrimaryKeyRelatedField,
    parse_id,
)
from questions import selectors, services
from questions.filters import SORT_CHOICES, TEXT_MAX_LENGTH, QuestionFilter, sort_questions
from questions.models import (
    ANSWER_MAX_LENGTH,
    ANSWER_MIN_LENGTH,
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    Answer,
    Category,
    Question,
)

LENGTHS = {
    "title": f"{TITLE_MIN_LENGTH}–{TITLE_MAX_LENGTH} characters.",
    "details": f"Markdown, at most {BODY_MAX_LENGTH} characters.",
    "answer": f"Markdown ($…$ for math, ``` for code), {ANSWER_MIN_LENGTH}–{ANSWER_MAX_LENGTH} "
    "characters.",
}

# Filters ----------------------------------------------------------------------------------------


class QuestionApiFilter(QuestionFilter):
    """The web list's filters, under the API's conventional names: `search` (the page's `q`)
    and `ordering` (the page's `sort`)."""

    q = None
    sort = None
    unanswered = StrictBooleanFilter(
        label=_("Unanswered only"),
        method="filter_unanswered",
        help_text="true: only questions without a published answer.",
    )
    search = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=TEXT_MAX_LENGTH,
        help_text="Text to search for, ranked by the site search's engine (Chinese, English, "
        "synonyms and typos work; see /api/v1/search/).",
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=SORT_CHOICES,
        method="filter_sort",
        empty_label=None,
        help_text="relevance (default): best match first with `search`, else bank order; bank: "
        "question bank order; newest; answers: most answers first; score: best answer score "
        "first.",
    )

    class Meta(QuestionFilter.Meta):
        fields = ["search", "category", "unanswered", "ordering"]

    @property
    def qs(self):
        queryset = django_filters.FilterSet.qs.fget(self)
        if not self.form.cleaned_data.get("ordering"):
            queryset = sort_questions(
                queryset, "relevance", ranked_ids=getattr(self, "ranked_ids", None)
            )
        return queryset


# Serializers ------------------------------------------------------------------------------------


class WebUrlMixin(serializers.Serializer):
    web_url = serializers.SerializerMethodField(help_text="The object's page on the site.")

    def get_web_url(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class AuthorSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="public_name")


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CategoryNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="category.pk")
    name = serializers.CharField(source="category.name")
    description = serializers.CharField(source="category.description")
    question_count = serializers.IntegerField(
        source="own_count", help_text="Published questions directly in this category."
    )
    total_question_count = serializers.IntegerField(
        source="total", help_text="Published questions here and in all sub-categories."
    )
    children = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/CategoryNode"}})
    def get_children(self, node):
        return CategoryNodeSerializer(node.children, many=True, context=self.context).data


class QuestionSerializer(WebUrlMixin, serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = CategoryRefSerializer()
    status = serializers.ChoiceField(choices=Question.Status.choices)
    source = serializers.ChoiceField(choices=Question.Source.choices)
    answer_count = serializers.IntegerField(help_text="Published answers.")
    published_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class QuestionDetailSerializer(QuestionSerializer):
    body = serializers.CharField(help_text="Markdown.")
    body_html = serializers.CharField(help_text="The details rendered and sanitized.")
    author = AuthorSerializer(allow_null=True, help_text="null for the seed question bank.")


class QuestionCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    """Parsing only: the rules (lengths, the category) are questions.services'."""

    title = StrictCharField(help_text=LENGTHS["title"], trim_whitespace=False)
    category = StrictPrimaryKeyRelatedField(queryset=Category.objects.all())
    body = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text=LENGTHS["details"],
    )


class AnswerSerializer(WebUrlMixin, serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.IntegerField(source="question_id")
    author = AuthorSerializer()
    body = serializers.CharField(help_text="Markdown.")
    body_html = serializers.CharField(help_text="The answer rendered and sanitized.")
    status = serializers.ChoiceField(choices=Answer.Status.choices)
    score = serializers.IntegerField(help_text="The sum of the answer's votes.")
    is_endorsed = serializers.BooleanField(help_text="The question's reference answer.")
    viewer_vote = serializers.IntegerField(
        help_text="The caller's vote on this answer: 1, -1, or 0 for none."
    )
    published_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class AnswerWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    """Parsing only: the lengths are questions.services' rule."""

    body = StrictCharField(help_text=LENGTHS["answer"], trim_whitespace=False)


class VoteSerializer(StrictFieldsMixin, serializers.Serializer):
    value = StrictIntegerChoiceField(
        choices=services.VOTE_VALUES, help_text="1 up, -1 down, 0 withdraws the vote."
    )


class VoteResultSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="The answer's new score.")
    value = serializers.IntegerField(help_text="The caller's vote now: 1, -1 or 0.")


# Views ------------------------------------------------------------------------------------------


class CategoryViewSet(viewsets.GenericViewSet):
    serializer_class = CategoryNodeSerializer
    queryset = Category.objects.none()

    @extend_schema(
        summary="The category tree, with question counts (top-level categories "
        "paginated, each with its sub-categories)"
    )
    def list(self, request):
        roots = selectors.category_tree().roots
        page = self.paginate_queryset(roots)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Published questions, filtered and sorted",
        parameters=[
            OpenApiParameter(
                "category",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                description="A category id; its sub-categories are included. An unknown id "
                "is a 404.",
            ),
            OpenApiParameter(
                "search",
                {**TEXT_PARAMETER, "maxLength": TEXT_MAX_LENGTH},
                description="Text to search for: the best matches (up to 1,000), best first "
                "unless `ordering` says otherwise. Any of the words may match; Chinese, English, "
                "synonyms (低秩适配 = LoRA) and typos work.",
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="A question",
        description="Pending questions are visible only to their author and to moderators.",
    ),
    create=extend_schema(
        summary="Submit a question",
        description="It waits for review (status `pending`) unless the author is a moderator. "
        "Needs a verified e-mail address.",
        request=QuestionCreateSerializer,
        responses={201: QuestionDetailSerializer},
    ),
)
class QuestionViewSet(viewsets.GenericViewSet):
    serializer_class = QuestionSerializer
    filter_backends = [FilterBackend]
    filterset_class = QuestionApiFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.question_list_base()

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        question = selectors.get_question_for_user(request.user, parse_id(pk))
        context = self.get_serializer_context()
        return Response(QuestionDetailSerializer(question, context=context).data)

    def create(self, request):
        incoming = QuestionCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        question = services.question_submit(author=request.user, **incoming.validated_data)
        context = self.get_serializer_context()
        data = QuestionDetailSerializer(question, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="A question's answers",
        description="Published answers in page order (reference answer, score, age), plus the "
        "caller's own answers awaiting review; moderators also see pending and hidden ones.",
        responses=AnswerSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Answer a question",
        description="New members' first answers wait for review (status `pending`). Needs a "
        "verified e-mail address.",
        request=AnswerWriteSerializer,
        responses={201: AnswerSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def answers(self, request, pk=None):
        if request.method == "POST":
            return self._answer_create(request, parse_id(pk))
        question = selectors.get_question_for_user(request.user, parse_id(pk))
        answers = selectors.answers_for_question_page(question=question, viewer=request.user)
        for answer in answers:
            answer.question = question  # for web_url, without a query per answer
        page = self.paginate_queryset(answers)
        context = self.get_serializer_context()
        return self.get_paginated_response(AnswerSerializer(page, many=True, context=context).data)

    def _answer_create(self, request, pk):
        question = selectors.get_answerable_question(request.user, pk)
        incoming = AnswerWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        answer = services.answer_create(
            question=question, author=request.user, body=incoming.validated_data["body"]
        )
        answer.viewer_vote = 0
        context = self.get_serializer_context()
        data = AnswerSerializer(answer, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary="An answer, with its score and the caller's vote"),
    partial_update=extend_schema(
        summary="Edit your answer",
        description="Only the author; the previous text is kept as a revision. Anyone else "
        "gets 404.",
        request=AnswerWriteSerializer,
        responses=AnswerSerializer,
    ),
    update=extend_schema(
        summary="Edit your answer",
        description="Same as PATCH: the body is the only field.",
        request=AnswerWriteSerializer,
        responses=AnswerSerializer,
    ),
)
class AnswerViewSet(viewsets.GenericViewSet):
    serializer_class = AnswerSerializer
    queryset = Answer.objects.none()
    lookup_value_regex = r"[0-9]+"

    def retrieve(self, request, pk=None):
        answer = selectors.get_answer_for_user(request.user, parse_id(pk))
        answer.viewer_vote = selectors.viewer_vote_on(request.user, answer)
        return Response(self.get_serializer(answer).data)

    def update(self, request, pk=None, partial=False):
        answer = selectors.get_own_answer(request.user, parse_id(pk))
        incoming = AnswerWriteSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        if "body" in incoming.validated_data:
            answer = services.answer_update(
                answer=answer, editor=request.user, body=incoming.validated_data["body"]
            )
        answer.author = request.user
        answer.viewer_vote = 0  # nobody votes on their own answer
        return Response(self.get_serializer(answer).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(
        summary="Vote on an answer",
        description="1 up, -1 down, 0 withdraws. Only published answers (others are 404); "
        "voting on your own answer is refused with 403. Needs a verified e-mail address.",
        request=VoteSerializer,
        responses=VoteResultSerializer,
    )
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        answer = selectors.get_votable_answer(request.user, parse_id(pk))
        incoming = VoteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        result = services.vote_cast(
            user=request.user, answer_id=answer.pk, value=incoming.validated_data["value"]
        )
        return Response(VoteResultSerializer(result).data)
