"""The OpenAPI schema's shared parts: the Error body and the error responses every operation
declares, and the hook that makes request bodies strict and path ids integers."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from llmprep.api import MAX_ID


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable: `invalid`, `not_found`, …")
    message = serializers.CharField(help_text="Human-readable, in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field name → its errors; only on `invalid` (400) responses.",
    )


class ErrorSerializer(serializers.Serializer):
    """Every error response has this body."""

    error = ErrorDetailSerializer()


class ApiAutoSchema(AutoSchema):
    """Declares the error responses every operation can give, all with the Error body, and
    that reading needs no credentials."""

    def get_auth(self):
        auths = super().get_auth()
        readable = any(
            getattr(p, "allows_anonymous_reads", False) for p in self.view.get_permissions()
        )
        if readable and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        descriptions = {
            "400": "Invalid input: malformed JSON, unknown fields, wrong types or values.",
            "401": "Missing or invalid credentials for an operation that needs them.",
            "403": "Not allowed (e-mail not verified, CSRF check failed, own answer, …).",
            "404": "No such object, or not visible to the caller; also a page out of range.",
            "415": "The body is not JSON.",
            "429": "Too many requests; retry after `Retry-After` seconds.",
        }
        for code in codes:
            if code in responses:
                continue
            response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            response["description"] = descriptions[code]
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait.",
                    }
                }
            responses[code] = response
        return responses


def strict_requests_and_integer_ids(result, generator, request, public):
    """Request bodies are strict (StrictFieldsMixin), and the `{id}` in paths is a positive
    integer (the router's pattern lets only digits through): say so in the schema."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "id":
                    parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    return result
