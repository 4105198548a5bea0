"""The API's default permission. A module of its own, without views or serializers, because
DRF imports it while it sets itself up."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.selectors import user_has_verified_email


class IsVerifiedOrReadOnly(BasePermission):
    """Anyone may read; writing needs a signed-in member with a verified e-mail address, as
    on the web pages."""

    message = _("Verify your e-mail address before you post or vote.")
    # Read by the schema generator: reading needs no credentials.
    allows_anonymous_reads = True

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if not request.user.is_authenticated:
            return False  # DRF answers 401 for anonymous callers
        return user_has_verified_email(request.user)
