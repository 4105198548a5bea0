"""The job board's filters, shared by the HTML list and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from jobs.models import Job, tag_slug


class JobFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("RLHF, 推理, agent…")}),
    )
    location = django_filters.CharFilter(
        field_name="location", lookup_expr="icontains", label=_("City / location")
    )
    remote_policy = django_filters.ChoiceFilter(
        choices=Job.RemotePolicy.choices, label=_("Remote policy"), empty_label=_("Any")
    )
    employment_type = django_filters.ChoiceFilter(
        choices=Job.EmploymentType.choices, label=_("Employment type"), empty_label=_("Any")
    )
    hiring_track = django_filters.ChoiceFilter(
        choices=Job.HiringTrack.choices, label=_("Hiring track"), empty_label=_("Any")
    )
    tag = django_filters.CharFilter(method="filter_tag", label=_("Tag"))
    salary = django_filters.NumberFilter(
        method="filter_salary",
        label=_("Salary at least"),
        min_value=0,
        help_text=_("In the posting's own currency and period"),
    )

    class Meta:
        model = Job
        fields = ["q", "location", "remote_policy", "employment_type", "hiring_track", "tag"]

    def filter_text(self, queryset, name, value):
        # icontains, not full-text search: it needs no tokenizer to match Chinese.
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(company__name__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_tag(self, queryset, name, value):
        slug = tag_slug(value)
        if not slug:
            return queryset
        return queryset.filter(tags__slug=slug)

    def filter_salary(self, queryset, name, value):
        # A posting qualifies if the top of its range reaches the wanted amount.
        return queryset.annotate(_salary_top=Coalesce("salary_max", "salary_min")).filter(
            _salary_top__gte=value
        )
