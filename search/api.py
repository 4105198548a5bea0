"""The search API: /api/v1/search/?q=&type=questions|jobs&category= with the same engine,
ranking and highlighting as the /search/ page."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView

from llmprep.api import MAX_ID
from search import selectors

TYPES = selectors.TYPES
MAX_RESULTS = 200


class SearchResultSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["question", "job"], source="document.kind")
    id = serializers.IntegerField(source="document.object_id")
    title = serializers.CharField(source="document.title")
    title_html = serializers.CharField(help_text="The title, escaped, matched words in <mark>.")
    snippet_html = serializers.CharField(
        help_text="Where the details, an answer or a description matched: a passage, escaped, "
        "matched words in <mark>; empty otherwise."
    )
    context = serializers.CharField(
        source="document.context", help_text="The category path, or company · city."
    )
    answer_count = serializers.SerializerMethodField(help_text="Questions: published answers.")
    web_url = serializers.SerializerMethodField(help_text="The page on the site.")

    def get_answer_count(self, result) -> int | None:
        return result.document.extra.get("answer_count")

    def get_web_url(self, result) -> str:
        request = self.context.get("request")
        url = result.document.url
        return request.build_absolute_uri(url) if request else url


class _Results:
    """The ranked results as a sliceable sequence, so the API's usual pagination pages them:
    only the page asked for is fetched and highlighted."""

    def __init__(self, *, text, kind, category_ids):
        self.text, self.kind, self.category_ids = text, kind, category_ids
        self._count = None

    def count(self) -> int:
        if self._count is None:
            page = selectors.search(
                text=self.text, kind=self.kind, category_ids=self.category_ids, limit=0
            )
            self._count = min(page.total, MAX_RESULTS)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice):
        start, stop = window.start or 0, min(window.stop or MAX_RESULTS, MAX_RESULTS)
        if stop <= start:
            return []
        page = selectors.search(
            text=self.text,
            kind=self.kind,
            category_ids=self.category_ids,
            limit=stop - start,
            offset=start,
        )
        return selectors.with_highlights(page.results, page.plan)


@extend_schema(
    summary="Search questions or live jobs",
    description="Ranked as on the /search/ page: the more of the query's words (or their "
    "synonyms, in Chinese or English) a result contains, the higher; title matches count more "
    "than category, details and answers; typos in Latin words are corrected. An empty query "
    "finds nothing. Queries are cut at 200 characters. At most 200 results are paged through.",
    parameters=[
        OpenApiParameter(
            "q", {"type": "string"}, description="What to search for (Chinese and English)."
        ),
        OpenApiParameter(
            "type",
            {"type": "string", "enum": list(TYPES), "default": "questions"},
            description="What to search: questions (default) or jobs (live postings).",
        ),
        OpenApiParameter(
            "category",
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            description="Questions only: a category id; its sub-categories are included.",
        ),
    ],
    responses=SearchResultSerializer(many=True),
)
class SearchView(GenericAPIView):
    serializer_class = SearchResultSerializer

    def get(self, request):
        params = request.query_params
        kind = TYPES.get(params.get("type", "questions"))
        if kind is None:
            raise exceptions.ValidationError({"type": ["Use questions or jobs."]})
        category_ids = None
        if params.get("category") is not None:
            raw = params["category"]
            if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
                raise exceptions.ValidationError({"category": ["A category id."]})
            from questions.selectors import category_descendant_ids

            category_ids = category_descendant_ids(int(raw))
        results = _Results(
            text=selectors.clean_query(params.get("q", "")),
            kind=kind,
            category_ids=category_ids,
        )
        page = self.paginate_queryset(results)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
