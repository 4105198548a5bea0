"""The REST API's shared parts: the one error body (and the mapping of service refusals to
it), pagination, the filter backend, throttles and strict serializer and filter fields. The
error responses in the schema are declared by llmprep/api_schema.py; the URLs (router, schema,
docs) are composed in llmprep/api_urls.py.

A leaf: imports no app. DRF imports the classes that REST_FRAMEWORK names while its own views
module loads, so this module must not import DRF's views at the top.
"""

from collections.abc import Mapping

import django_filters
from django import forms
from django.db import models
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from llmprep.errors import DomainError, RateLimited

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
    """DRF's handler (status, headers such as Retry-After and WWW-Authenticate) with our body;
    a service's refusal (DomainError) keeps its own status, code and fields."""
    from rest_framework.response import Response
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DomainError):
        headers = {}
        if isinstance(exc, RateLimited) and exc.retry_after:
            headers["Retry-After"] = str(exc.retry_after)
        return Response({"error": exc.as_dict()}, status=exc.status, headers=headers)
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


# Strict input ---------------------------------------------------------------------------------


class StrictBooleanFormField(forms.NullBooleanField):
    """A query parameter that is true/false (or 1/0); anything else is an error rather than
    "no filter"."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "True", "1"):
            return True
        if value in ("false", "False", "0"):
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanFormField


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


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A JSON array (DRF would also iterate the keys of an object)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id given as a JSON integer (not "5"); `many=True` takes a JSON array of them."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({k: v for k, v in kwargs.items() if k in MANY_RELATION_KWARGS})
        return StrictManyRelatedField(**list_kwargs)

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
