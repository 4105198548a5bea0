"""The moderators' side of the job board. Postings and applications are read-only here: every
change goes through an action, and every action through a service."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobs import services
from jobs.models import Company, Job, JobEvent, PendingJob, RecruiterApplication, Tag
from llmprep.admin_actions import (
    ModerationAdminMixin,
    ReasonForm,
    apply_to_each,
    apply_with_form,
    bound_if_applied,
)

NOTE_TO_RECRUITER = _("Note to the recruiter")


class JobEventInline(admin.TabularInline):
    model = JobEvent
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ModerationAdminMixin, admin.ModelAdmin):
    moderate_permission = services.MODERATE_JOB
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
        description=_("Approve and publish the selected postings"), permissions=["moderate"]
    )
    def publish(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda job: services.job_publish(job=job, moderator=request.user),
        )

    @admin.action(
        description=_("Request changes to the selected postings…"), permissions=["moderate"]
    )
    def request_changes(self, request, queryset):
        return apply_with_form(
            self,
            request,
            queryset,
            form=bound_if_applied(ReasonForm, request, note_label=NOTE_TO_RECRUITER),
            title=_("Request changes"),
            call=lambda job, data: services.job_request_changes(
                job=job, moderator=request.user, note=data["note"]
            ),
        )

    @admin.action(description=_("Reject the selected postings…"), permissions=["moderate"])
    def reject(self, request, queryset):
        form = bound_if_applied(
            ReasonForm,
            request,
            choices=Job.RejectionReason.choices,
            note_required=False,
            note_label=NOTE_TO_RECRUITER,
        )
        return apply_with_form(
            self,
            request,
            queryset,
            form=form,
            title=_("Reject postings"),
            call=lambda job, data: services.job_reject(
                job=job, moderator=request.user, reason=data["reason"], note=data["note"]
            ),
        )

    @admin.action(description=_("Pin as featured"), permissions=["moderate"])
    def feature(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda job: services.job_set_featured(job=job, moderator=request.user, featured=True),
        )

    @admin.action(description=_("Unpin"), permissions=["moderate"])
    def unfeature(self, request, queryset):
        apply_to_each(
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
class RecruiterApplicationAdmin(ModerationAdminMixin, admin.ModelAdmin):
    moderate_permission = services.MODERATE_JOB
    list_display = ["company_name", "applicant", "work_email", "website", "status", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["company_name", "work_email", "applicant__username", "applicant__email"]
    list_select_related = ["applicant"]
    actions = ["approve", "reject"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(
        description=_("Approve: make the applicants recruiters"), permissions=["moderate"]
    )
    def approve(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda app: services.recruiter_application_approve(
                application=app, moderator=request.user
            ),
        )

    @admin.action(description=_("Reject the selected applications…"), permissions=["moderate"])
    def reject(self, request, queryset):
        return apply_with_form(
            self,
            request,
            queryset,
            form=bound_if_applied(
                ReasonForm, request, note_label=_("Reason (sent to the applicant)")
            ),
            title=_("Reject applications"),
            call=lambda app, data: services.recruiter_application_reject(
                application=app, moderator=request.user, reason=data["note"]
            ),
        )


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "created_at"]
    search_fields = ["name", "website"]
    autocomplete_fields = ["recruiters"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # Its postings carry the company's name in their search index entries.
            from jobs.selectors import job_ids_of_company
            from llmprep.indexing import contents_changed

            contents_changed("job", job_ids_of_company(obj.pk))


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            from jobs.selectors import job_ids_with_tag
            from llmprep.indexing import contents_changed

            contents_changed("job", job_ids_with_tag(obj.pk))

    def has_add_permission(self, request):
        # Tags are created, normalized, as recruiters use them.
        return False
