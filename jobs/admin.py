"""The moderators' side of the job board. Postings and applications are read-only here: every
change goes through an action, and every action through a service."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jobs import services
from jobs.forms import ReasonForm
from jobs.models import Company, Job, JobEvent, PendingJob, RecruiterApplication, Tag


def _reason_page(modeladmin, request, queryset, *, action, title, form):
    return TemplateResponse(
        request,
        "jobs/admin/reason_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "opts": modeladmin.model._meta,
            "queryset": queryset,
            "action": action,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _apply(modeladmin, request, queryset, call) -> None:
    """Run `call(obj)` for each selected object and say how many it worked for; the ones in
    the wrong state are skipped, not failed, so one stale row does not block a batch."""
    done = skipped = 0
    for obj in queryset:
        try:
            call(obj)
        except services.InvalidTransition:
            skipped += 1
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d item updated.", "%(count)d items updated.", done) % {"count": done},
            messages.SUCCESS,
        )
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d item skipped: it was not in a state that allows this.",
                "%(count)d items skipped: they were not in a state that allows this.",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )


class JobEventInline(admin.TabularInline):
    model = JobEvent
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "company",
        "location",
        "hiring_track",
        "status",
        "is_featured",
        "published_at",
        "expires_at",
    ]
    list_filter = ["status", "is_featured", "hiring_track", "employment_type", "remote_policy"]
    search_fields = ["title", "company__name", "location", "description"]
    list_select_related = ["company"]
    date_hierarchy = "created_at"
    inlines = [JobEventInline]
    actions = ["publish", "request_changes", "reject", "feature", "unfeature"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["tags"]

    def has_add_permission(self, request):
        return False

    @admin.action(
        description=_("Approve and publish the selected postings"), permissions=["change"]
    )
    def publish(self, request, queryset):
        _apply(
            self,
            request,
            queryset,
            lambda job: services.job_publish(job=job, moderator=request.user),
        )

    @admin.action(
        description=_("Request changes to the selected postings…"), permissions=["change"]
    )
    def request_changes(self, request, queryset):
        form = ReasonForm(
            request.POST if "apply" in request.POST else None, with_reason=False, note_required=True
        )
        if form.is_valid():
            note = form.cleaned_data["note"]
            _apply(
                self,
                request,
                queryset,
                lambda job: services.job_request_changes(
                    job=job, moderator=request.user, note=note
                ),
            )
            return None
        return _reason_page(
            self, request, queryset, action="request_changes", title=_("Request changes"), form=form
        )

    @admin.action(description=_("Reject the selected postings…"), permissions=["change"])
    def reject(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason, note = form.cleaned_data["reason"], form.cleaned_data["note"]
            _apply(
                self,
                request,
                queryset,
                lambda job: services.job_reject(
                    job=job, moderator=request.user, reason=reason, note=note
                ),
            )
            return None
        return _reason_page(
            self, request, queryset, action="reject", title=_("Reject postings"), form=form
        )

    @admin.action(description=_("Pin as featured"), permissions=["change"])
    def feature(self, request, queryset):
        _apply(
            self,
            request,
            queryset,
            lambda job: services.job_set_featured(job=job, moderator=request.user, featured=True),
        )

    @admin.action(description=_("Unpin"), permissions=["change"])
    def unfeature(self, request, queryset):
        _apply(
            self,
            request,
            queryset,
            lambda job: services.job_set_featured(job=job, moderator=request.user, featured=False),
        )


@admin.register(PendingJob)
class PendingJobAdmin(JobAdmin):
    """The review queue: oldest first, so nobody waits longest."""

    list_filter = ["hiring_track", "employment_type", "remote_policy", "created_at"]
    ordering = ["created_at", "pk"]
    date_hierarchy = None

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Job.Status.PENDING)


@admin.register(RecruiterApplication)
class RecruiterApplicationAdmin(admin.ModelAdmin):
    list_display = ["company_name", "applicant", "work_email", "website", "status", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["company_name", "work_email", "applicant__username", "applicant__email"]
    list_select_related = ["applicant"]
    actions = ["approve", "reject"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Approve: make the applicants recruiters"), permissions=["change"])
    def approve(self, request, queryset):
        _apply(
            self,
            request,
            queryset,
            lambda app: services.recruiter_application_approve(
                application=app, moderator=request.user
            ),
        )

    @admin.action(description=_("Reject the selected applications…"), permissions=["change"])
    def reject(self, request, queryset):
        form = ReasonForm(
            request.POST if "apply" in request.POST else None, with_reason=False, note_required=True
        )
        if form.is_valid():
            note = form.cleaned_data["note"]
            _apply(
                self,
                request,
                queryset,
                lambda app: services.recruiter_application_reject(
                    application=app, moderator=request.user, reason=note
                ),
            )
            return None
        return _reason_page(
            self, request, queryset, action="reject", title=_("Reject applications"), form=form
        )


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "created_at"]
    search_fields = ["name", "website"]
    autocomplete_fields = ["recruiters"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]

    def has_add_permission(self, request):
        # Tags are created, normalized, as recruiters use them.
        return False
