from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import MODERATORS, RECRUITERS
from accounts.services import user_grant_role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "display_name", "is_staff", "date_joined"]
    search_fields = ["username", "email", "display_name"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Profile"), {"fields": ("display_name", "bio")}),
    )
    actions = ["make_moderator", "make_recruiter"]

    @admin.action(description=_("Make the selected users moderators"), permissions=["change"])
    def make_moderator(self, request, queryset):
        for user in queryset:
            user_grant_role(user=user, role=MODERATORS)
        self.message_user(request, _("Moderator role granted."), messages.SUCCESS)

    @admin.action(description=_("Make the selected users recruiters"), permissions=["change"])
    def make_recruiter(self, request, queryset):
        for user in queryset:
            user_grant_role(user=user, role=RECRUITERS)
        self.message_user(request, _("Recruiter role granted."), messages.SUCCESS)
