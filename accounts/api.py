"""Accounts in the REST API: the token scheme in the schema and the caller's own profile."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.authentication import ApiTokenAuthentication
from accounts.models import BIO_MAX_LENGTH, DISPLAY_NAME_MAX_LENGTH
from accounts.selectors import user_has_verified_email
from accounts.services import profile_update
from llmprep.api import StrictCharField, StrictFieldsMixin

# Authentication -------------------------------------------------------------------------------


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer"
        )
        scheme["description"] = "A personal API token, created on the site at /settings/tokens/."
        return scheme


# The caller's profile -----------------------------------------------------------------------


class MeSerializer(StrictFieldsMixin, serializers.Serializer):
    username = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    email_verified = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    display_name = StrictCharField(
        max_length=DISPLAY_NAME_MAX_LENGTH, allow_blank=True, required=False
    )
    bio = StrictCharField(max_length=BIO_MAX_LENGTH, allow_blank=True, required=False)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language of the e-mail the site sends you.",
    )
    date_joined = serializers.DateTimeField(read_only=True)
    web_url = serializers.SerializerMethodField(help_text="Your public profile page.")

    def get_email_verified(self, user) -> bool:
        return user_has_verified_email(user)

    def get_roles(self, user) -> list[str]:
        return sorted(user.groups.values_list("name", flat=True))

    def get_web_url(self, user) -> str:
        return self.context["request"].build_absolute_uri(user.get_absolute_url())


@extend_schema(tags=["me"])
class MeView(generics.GenericAPIView):
    """The signed-in member's own profile."""

    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(summary="Your profile")
    def get(self, request):
        return Response(self.get_serializer(request.user).data)

    @extend_schema(summary="Change your profile (display name, bio, e-mail language)")
    def patch(self, request):
        user = request.user
        incoming = self.get_serializer(user, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        profile_update(
            user=user,
            display_name=data.get("display_name", user.display_name),
            bio=data.get("bio", user.bio),
            language=data.get("language", user.language),
        )
        return Response(self.get_serializer(user).data)
