from django.contrib import admin

from digests.models import DigestDelivery, DigestPreference


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "weekday", "hour", "time_zone", "next_due_at", "paused_at"]
    list_filter = ["frequency", "weekday", "paused_at"]
    search_fields = ["user__username", "user__email", "user__display_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["categories", "job_tags"]
    readonly_fields = ["next_due_at", "paused_at", "created_at", "updated_at"]
    list_select_related = ["user"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    """The ledger is written only by the sending services; here it is read-only."""

    list_display = ["user", "frequency", "period", "status", "attempts", "claimed_at", "sent_at"]
    list_filter = ["status", "frequency"]
    search_fields = ["user__username", "user__email", "period"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
