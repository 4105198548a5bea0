"""The member's digest preferences in the REST API: `GET/PATCH /api/v1/me/digest/`."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from digests.forms import time_zone_choices
from digests.models import Frequency, Weekday
from digests.selectors import digest_preference_for
from digests.services import digest_preference_update
from jobs.selectors import tag_queryset
from llmprep.api import StrictFieldsMixin, StrictIntegerField, StrictPrimaryKeyRelatedField
from questions.selectors import category_queryset


class DigestPreferenceSerializer(StrictFieldsMixin, serializers.Serializer):
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    weekday = serializers.ChoiceField(
        choices=Weekday.choices, required=False, help_text="0 = Monday … 6 = Sunday (weekly)."
    )
    hour = StrictIntegerField(
        min_value=0, max_value=23, required=False, help_text="In your time zone."
    )
    time_zone = serializers.ChoiceField(choices=time_zone_choices(), required=False)
    categories = StrictPrimaryKeyRelatedField(
        many=True,
        queryset=category_queryset(),
        required=False,
        help_text="Question categories to follow (sub-categories included); [] = all.",
    )
    job_tags = StrictPrimaryKeyRelatedField(
        many=True, queryset=tag_queryset(), required=False, help_text="[] = every job."
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


@extend_schema(tags=["me"])
class MeDigestView(generics.GenericAPIView):
    """The signed-in member's digest e-mail preferences."""

    serializer_class = DigestPreferenceSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(summary="Your digest e-mail preferences")
    def get(self, request):
        return Response(self.get_serializer(digest_preference_for(user=request.user)).data)

    @extend_schema(summary="Change your digest e-mail preferences (any part of them)")
    def patch(self, request):
        current = digest_preference_for(user=request.user)
        incoming = self.get_serializer(current, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        digest_preference_update(
            user=request.user,
            frequency=data.get("frequency", current.frequency),
            weekday=data.get("weekday"),
            hour=data.get("hour"),
            time_zone=data.get("time_zone"),
            categories=data.get("categories"),
            job_tags=data.get("job_tags"),
        )
        preference = digest_preference_for(user=request.user)
        return Response(self.get_serializer(preference).data)
