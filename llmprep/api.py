"""The REST API's shared parts: URLs (router, schema, docs), the one error body, pagination,
permission, throttles and strict serializer fields. The error responses in the schema are
declared by llmprep/api_schema.py.

Apps keep their serializers and views in their own `api.py`; `api_urlpatterns()` gathers them.
DRF imports the classes that REST_FRAMEWORK names while its own views module loads, so this
module must not import DRF's views or drf-spectacular's schema generator at the top.
"""

from collections.abc import Mapping

import django_filters
from django.db import models
from django.http import JsonResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

# The largest id the database can hold; larger ones in a URL are simply not found.
MAX_ID = 2**63 - 1
# Text in a query string: any characters but NUL, which the database cannot store or compare.
TEXT_PARAMETER = {"type": "string", "pattern": r"^[^\x00]*$"}

# Errors ---------------------------------------------------------------------------------------


def error_body(code: str, message, fields: dict | None = None) -> dict:
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _flatten_field_errors(detail, prefix="") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": [messages]}, nested names joined with dots."""
    if isinstance(detail, Mapping):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            fields.update(_flatten_field_errors(value, name))
        return fields
    if isinstance(detail, list) and any(isinstance(item, Mapping | list) for item in detail):
        fields = {}
        for index, item in enumerate(detail):
            fields.update(
                _flatten_field_errors(item, f"{prefix}.{index}" if prefix else str(index))
            )
        return fields
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in messages]}


def exception_handler(exc, context):
    """DRF's handler (status, headers such as Retry-After and WWW-Authenticate) with our body."""
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten_field_errors(exc.detail)
        non_field = fields.get(api_settings.NON_FIELD_ERRORS_KEY)
        message = non_field[0] if non_field and len(fields) == 1 else _("The request is invalid.")
        response.data = error_body("invalid", message, fields)
    else:
        detail = getattr(exc, "detail", None)
        if isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else exc.default_code
        else:  # Http404 and PermissionDenied from Django
            code = "not_found" if response.status_code == 404 else "permission_denied"
            detail = response.data.get("detail") if isinstance(response.data, dict) else None
        response.data = error_body(code, detail or _("Error."))
    return response


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    """The site's 404 handler: URLs under /api/ that match nothing answer in the API's shape."""
    if _is_api(request):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        body = error_body("server_error", _("Something went wrong on our side."))
        return JsonResponse(body, status=500)
    return defaults.server_error(request)


# Pagination, permissions, throttles -----------------------------------------------------------


class Pagination(PageNumberPagination):
    """`?page=` (1, 2, …; past the last page is a 404) and `?page_size=` (1–100, default 20;
    anything else is a 400 rather than being quietly replaced)."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            message = _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_ID)
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class FilterBackend(DjangoFilterBackend):
    """The views' FilterSets (shared with the pages). Invalid filters are a 400 with field
    errors, except a well-formed id that names no object (a ModelChoiceFilter): a 404. An empty
    value means "any" only for text; for a choice, number or id it is a 400 (the page's form
    sends empty values for "any"; an API caller leaves the parameter out)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        empty = {
            name: [_("Give a value or leave the parameter out.")]
            for name, declared in filterset.filters.items()
            if request.query_params.get(name) == ""
            and not isinstance(declared, django_filters.CharFilter)
        }
        if empty:
            raise exceptions.ValidationError(empty)
        if not filterset.is_valid():
            errors = filterset.form.errors
            unknown_ids = [
                name
                for name in errors
                if isinstance(filterset.filters.get(name), django_filters.ModelChoiceFilter)
                and request.query_params.get(name, "").isdigit()
            ]
            if unknown_ids and len(unknown_ids) == len(errors):
                message = _("No object with this id: %(fields)s.") % {
                    "fields": ", ".join(unknown_ids)
                }
                raise exceptions.NotFound(message)
            raise exceptions.ValidationError(filterset.errors)
        return filterset.qs


class IsVerifiedOrReadOnly(BasePermission):
    """Anyone may read; writing needs a signed-in member with a verified e-mail address, as
    on the web pages."""

    message = _("Verify your e-mail address before you post or vote.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if not request.user.is_authenticated:
            return False  # DRF answers 401 for anonymous callers
        from accounts.selectors import user_has_verified_email

        return user_has_verified_email(request.user)


class _RatesFromSettings:
    # DRF copies the rates into a class attribute at import; read them per request instead, so
    # that the settings (and tests overriding them) are what count.
    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES


class AnonThrottle(_RatesFromSettings, AnonRateThrottle):
    pass


class UserThrottle(_RatesFromSettings, UserRateThrottle):
    pass


class PostThrottle(_RatesFromSettings, UserRateThrottle):
    """Creating questions and answers."""

    scope = "post"


class VoteThrottle(_RatesFromSettings, UserRateThrottle):
    scope = "vote"


# Strict input ---------------------------------------------------------------------------------


class StrictFieldsMixin:
    """Reject keys the serializer does not accept for writing, instead of ignoring them."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {key: [_("Unknown field.")] for key in unknown}, code="unknown_field"
                )
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """Only a JSON string is text (DRF would also take numbers)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """Only a JSON integer (not "5", not true, not 5.0)."""

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """Only JSON true or false (not "yes", not 1)."""

    def to_internal_value(self, data):
        if type(data) is not bool:
            self.fail("invalid", input=data)
        return data


class StrictModelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A ModelSerializer whose fields take only the JSON types the schema names."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.BooleanField: StrictBooleanField,
    }


class StrictIntegerChoiceField(serializers.ChoiceField):
    """One of a few integers, sent as a JSON number (not "1", not true)."""

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


def parse_id(value) -> int:
    """A URL's id, or 404 (the router only lets digits through; huge ones would overflow)."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise exceptions.NotFound()
    return number


# URLs -----------------------------------------------------------------------------------------


def api_urlpatterns():
    # Imported here, not at the top: DRF's views (which these load) import the pagination,
    # permission and throttle classes defined above, and the schema class, while they load.
    from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
    from rest_framework.routers import SimpleRouter

    from accounts.api import MeView
    from jobs.api import JobViewSet
    from questions.api import AnswerViewSet, CategoryViewSet, QuestionViewSet
    from search.api import SearchView

    @extend_schema(exclude=True)
    class ApiDocsView(SpectacularSwaggerSplitView):
        """Swagger UI from the sidecar's static files (no CDN). Its init script is a separate
        file and our template moves drf-spectacular's inline style to a stylesheet, so the
        page runs under the site's Content-Security-Policy."""

        template_name = "api/swagger_ui.html"

    router = SimpleRouter()
    router.register("categories", CategoryViewSet, basename="category")
    router.register("questions", QuestionViewSet, basename="question")
    router.register("answers", AnswerViewSet, basename="answer")
    router.register("jobs", JobViewSet, basename="job")

    v1 = [
        *router.urls,
        path("me/", MeView.as_view(), name="me"),
        path("search/", SearchView.as_view(), name="search"),
    ]
    return [
        path("api/v1/", include((v1, "api"), namespace="api")),
        path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
        path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    ]
