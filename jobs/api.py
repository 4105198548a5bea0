"""The job board's REST API: the public board, and recruiters' own postings (create, edit,
submit, renew, archive, mark filled), over the same selectors, services, FilterSet and form
rules as the pages."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.selectors import user_is_recruiter
from jobs import selectors, services
from jobs.filters import JobFilter
from jobs.models import Company, Job
from llmprep.api import (
    TEXT_PARAMETER,
    FilterBackend,
    StrictCharField,
    StrictModelSerializer,
    StrictPrimaryKeyRelatedField,
    parse_id,
)
from llmprep.api_schema import ErrorSerializer

# Filters ----------------------------------------------------------------------------------------

MAX_SALARY = 2_147_483_647


class JobApiFilter(JobFilter):
    """The board's filters; the text search is `search` (the page's `q`), as for questions."""

    q = None
    search = django_filters.CharFilter(method="filter_text", label=_("Search"))
    # The salary column holds at most this; the page's filter takes up to 1e50.
    salary = django_filters.NumberFilter(
        method="filter_salary", label=_("Salary at least"), min_value=0, max_value=MAX_SALARY
    )

    class Meta(JobFilter.Meta):
        fields = ["search", "location", "remote_policy", "employment_type", "hiring_track", "tag"]


# Serializers ------------------------------------------------------------------------------------


class CompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    website = serializers.CharField()


class JobSerializer(serializers.ModelSerializer):
    """A posting as the board shows it. A closed posting (expired or filled) keeps its page but
    has no apply route, as on the site."""

    company = CompanySerializer()
    # Optional fields are "" when unset (declared here so the schema says so).
    seniority = serializers.ChoiceField(choices=Job.Seniority.choices, allow_blank=True)
    apply_url = serializers.CharField(help_text="A http(s) link, or empty.")
    apply_email = serializers.CharField(help_text="An e-mail address, or empty.")
    tags = serializers.SerializerMethodField()
    is_live = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField(help_text="The posting's page on the site.")

    class Meta:
        model = Job
        fields = [
            "id",
            "company",
            *services.CONTENT_FIELDS,
            "description_html",
            "tags",
            "status",
            "is_featured",
            "is_live",
            "published_at",
            "expires_at",
            "web_url",
        ]
        read_only_fields = fields

    def get_tags(self, job) -> list[str]:
        return [tag.name for tag in job.tags.all()]

    def get_is_live(self, job) -> bool:
        return job.is_live()

    def get_web_url(self, job) -> str:
        return self.context["request"].build_absolute_uri(job.get_absolute_url())

    def to_representation(self, job):
        data = super().to_representation(job)
        if job.is_closed:
            data["apply_url"] = data["apply_email"] = ""
        return data


class OwnJobSerializer(JobSerializer):
    """A posting as its company's recruiters see it: with the review outcome and what can be
    done with it next."""

    rejection_reason = serializers.ChoiceField(
        choices=Job.RejectionReason.choices, allow_blank=True
    )
    can_edit = serializers.BooleanField()
    can_submit = serializers.BooleanField()
    can_renew = serializers.BooleanField()
    can_archive = serializers.BooleanField()
    can_mark_filled = serializers.BooleanField()

    class Meta(JobSerializer.Meta):
        fields = [
            *JobSerializer.Meta.fields,
            "requested_expires_on",
            "rejection_reason",
            "review_note",
            "renewed_count",
            "can_edit",
            "can_submit",
            "can_renew",
            "can_archive",
            "can_mark_filled",
        ]
        read_only_fields = fields

    def to_representation(self, job):
        return serializers.ModelSerializer.to_representation(self, job)


class JobUpdateSerializer(StrictModelSerializer):
    """What a recruiter writes; a posting stays with its company."""

    tags = serializers.ListField(
        child=StrictCharField(),
        required=False,
        help_text='Tag names, for example ["LLM", "RLHF", "推理"]: at most 8, each at most 30 '
        "characters (jobs.services checks).",
    )

    class Meta:
        model = Job
        fields = [*services.EDITABLE_FIELDS, "tags"]


class JobCreateSerializer(JobUpdateSerializer):
    """A new posting: also which of the recruiter's companies it is for (may be left out when
    they have just one)."""

    company = StrictPrimaryKeyRelatedField(queryset=Company.objects.none(), required=False)

    class Meta(JobUpdateSerializer.Meta):
        fields = ["company", *JobUpdateSerializer.Meta.fields]

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if companies is not None:
            self.fields["company"].queryset = companies


# Views ------------------------------------------------------------------------------------------


class RecruitersWrite(BasePermission):
    """Anyone reads the board; a recruiter's own postings, and every write, are for
    recruiters (and, through the services, only for their own company's postings)."""

    message = _("Only recruiters can do this. Apply to become one on the job board.")

    def has_permission(self, request, view):
        if view.action in ("list", "retrieve"):
            return True
        return user_is_recruiter(request.user)


CONFLICT = {409: ErrorSerializer}


def _lifecycle_action(name, service, summary, description):
    """`POST jobs/{id}/<name>/`: one of a recruiter's lifecycle services on their posting."""

    def lifecycle(self, request, pk=None):
        job = selectors.get_job_for_recruiter(request.user, parse_id(pk))
        job = service(job=job, actor=request.user)
        return Response(OwnJobSerializer(job, context=self.get_serializer_context()).data)

    lifecycle.__name__ = lifecycle.__qualname__ = name  # the router maps methods by name
    routed = action(detail=True, methods=["post"])(lifecycle)
    return extend_schema(
        summary=summary,
        description=description + " Someone else's posting is a 404; a posting whose status "
        "does not allow it is a 409.",
        request=None,
        responses={200: OwnJobSerializer, **CONFLICT},
    )(routed)


@extend_schema_view(
    list=extend_schema(
        summary="Live postings: featured first, then newest",
        parameters=[
            OpenApiParameter(
                "salary",
                {"type": "number", "minimum": 0, "maximum": MAX_SALARY},
                description="At least this much at the top of the posting's range, in its own "
                "currency and period.",
            ),
            OpenApiParameter(
                "search",
                TEXT_PARAMETER,
                description="Text in the title, the company name or the description (Chinese "
                "works).",
            ),
            OpenApiParameter("location", TEXT_PARAMETER, description="Part of the city name."),
            OpenApiParameter("tag", TEXT_PARAMETER, description="A tag name, e.g. RLHF."),
        ],
    ),
    retrieve=extend_schema(
        summary="A posting",
        description="Published, expired and filled postings are public (closed ones have no "
        "apply route); drafts and postings in review only for their company's recruiters and "
        "for moderators.",
    ),
    create=extend_schema(
        summary="Write a new posting (a draft)",
        description="Recruiters only. Submit it for review with `POST jobs/{id}/submit/`.",
        request=JobCreateSerializer,
        responses={201: OwnJobSerializer},
    ),
    update=extend_schema(
        summary="Edit your posting",
        description="Every editable field. Changing a published posting's substance sends it "
        "back to review. Closed postings cannot be edited (409).",
        request=JobUpdateSerializer,
        responses={200: OwnJobSerializer, **CONFLICT},
    ),
    partial_update=extend_schema(
        summary="Edit some fields of your posting",
        description="As PUT, with only the fields given.",
        request=JobUpdateSerializer,
        responses={200: OwnJobSerializer, **CONFLICT},
    ),
)
class JobViewSet(viewsets.GenericViewSet):
    serializer_class = JobSerializer
    permission_classes = [*viewsets.GenericViewSet.permission_classes, RecruitersWrite]
    filter_backends = [FilterBackend]
    filterset_class = JobApiFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.job_list_live()

    def _own(self, job, status_code=status.HTTP_200_OK):
        data = OwnJobSerializer(job, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        job = selectors.get_job_for_viewer(request.user, parse_id(pk))
        if selectors.user_can_manage_job(request.user, job):
            return self._own(job)
        return Response(self.get_serializer(job).data)

    def create(self, request):
        companies = selectors.recruiter_companies(request.user)
        incoming = JobCreateSerializer(data=request.data, companies=companies)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        company = data.pop("company", None)
        if company is None:
            mine = list(companies[:2])
            if len(mine) != 1:
                raise exceptions.ValidationError(
                    {"company": [_("Say which of your companies this posting is for.")]}
                )
            company = mine[0]
        tags = data.pop("tags", [])
        job = services.job_create(author=request.user, company=company, content=data, tags=tags)
        return self._own(job, status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        job = selectors.get_job_for_recruiter(request.user, parse_id(pk))
        incoming = JobUpdateSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        tags = data.pop("tags", None)
        job = services.job_update(job=job, actor=request.user, content=data, tags=tags)
        return self._own(job)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(
        summary="Your company's postings, in every status",
        description="Recruiters only; most recently changed first.",
        responses=OwnJobSerializer(many=True),
        auth=[{"tokenAuth": []}, {"cookieAuth": []}],
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def mine(self, request):
        page = self.paginate_queryset(selectors.recruiter_job_list(request.user))
        context = self.get_serializer_context()
        return self.get_paginated_response(OwnJobSerializer(page, many=True, context=context).data)

    submit = _lifecycle_action(
        "submit",
        services.job_submit,
        "Submit your posting for review",
        "From draft, changes requested or rejected to pending.",
    )
    archive = _lifecycle_action(
        "archive", services.job_archive, "Withdraw your posting", "It closes now (as expired)."
    )
    renew = _lifecycle_action(
        "renew",
        services.job_renew,
        "Renew your posting",
        "Once, for the default period, while published or expired.",
    )
    filled = _lifecycle_action(
        "filled",
        services.job_mark_filled,
        "Mark your posting filled",
        "While published or expired.",
    )
