"""Accounts in the REST API: the token scheme in the schema and the caller's own profile."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.response import Response

from accounts.authentication import ApiTokenAuthentication
from accounts.models import BIO_MAX_LENGTH, DISPLAY_NAME_MAX_LENGTH
from accounts.selectors import user_has_verified_email
from accounts.services import profile_update
from digests.forms import time_zone_choices
from digests.models import Frequency, Weekday
from digests.selectors import digest_preference_for
from digests.services import digest_preference_update
from jobs.models import Tag
from llmprep.api import StrictCharField, StrictFieldsMixin, StrictIntegerField
from questions.models import Category

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


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A JSON array (DRF would also iterate the keys of an object)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id given as a JSON integer (not "5"); `many=True` takes a JSON array of them."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({k: v for k, v in kwargs.items() if k in MANY_RELATION_KWARGS})
        return StrictManyRelatedField(**list_kwargs)

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class DigestPreferenceSerializer(StrictFieldsMixin, serializers.Serializer):
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    weekday = serializers.ChoiceField(
        choices=Weekday.choices, required=False, help_text="0 = Monday … 6 = Sunday (weekly)."
    )
    hour = StrictIntegerField(
        min_value=0, max_value=23, required=False, help_text="In your time zone."
    )
    time_zone = serializers.ChoiceField(choices=time_zone_choices(), required=False)
    categories = StrictPrimaryKeyField(
        many=True,
        queryset=Category.objects.all(),
        required=False,
        help_text="Question categories to follow (sub-categories included); [] = all.",
    )
    job_tags = StrictPrimaryKeyField(
        many=True, queryset=Tag.objects.all(), required=False, help_text="[] = every job."
    )
    next_due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    paused = serializers.SerializerMethodField()

    def get_paused(self, preference) -> bool:
        return preference.paused_at is not None

    def to_representation(self, preference):
        if preference.pk is None:
            # The defaults of a member who never saved preferences: nothing to relate yet.
            return {
                "frequency": preference.frequency,
                "weekday": preference.weekday,
                "hour": preference.hour,
                "time_zone": preference.time_zone,
                "categories": [],
                "job_tags": [],
                "next_due_at": None,
                "paused": False,
            }
        return super().to_representation(preference)


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
    digest = DigestPreferenceSerializer(
        required=False, help_text="Digest e-mail preferences (change any part of them)."
    )

    def get_email_verified(self, user) -> bool:
        return user_has_verified_email(user)

    def get_roles(self, user) -> list[str]:
        return sorted(user.groups.values_list("name", flat=True))

    def get_web_url(self, user) -> str:
        return self.context["request"].build_absolute_uri(user.get_absolute_url())

    def to_representation(self, user):
        # `digest` is the member's preference row, or the defaults when none was saved yet.
        user.digest = digest_preference_for(user=user)
        return super().to_representation(user)


@extend_schema(tags=["me"])
class MeView(generics.GenericAPIView):
    """The signed-in member's own profile."""

    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(summary="Your profile")
    def get(self, request):
        return Response(self.get_serializer(request.user).data)

    @extend_schema(
        summary="Change your profile (display name, bio, e-mail language, digest preferences)"
    )
    def patch(self, request):
        user = request.user
        incoming = self.get_serializer(user, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            profile_update(
                user=user,
                display_name=data.get("display_name", user.display_name),
                bio=data.get("bio", user.bio),
                language=data.get("language", user.language),
            )
            if "digest" in data:
                digest = data["digest"]
                current = digest_preference_for(user=user)
                digest_preference_update(
                    user=user,
                    frequency=digest.get("frequency", current.frequency),
                    weekday=digest.get("weekday"),
                    hour=digest.get("hour"),
                    time_zone=digest.get("time_zone"),
                    categories=digest.get("categories"),
                    job_tags=digest.get("job_tags"),
                )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error
        return Response(self.get_serializer(user).data)
