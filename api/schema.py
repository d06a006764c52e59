"""The OpenAPI schema's additions: every operation's problem responses, and names for the enums that
would otherwise collide (several models have a `status`; SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]
points here, so settings import no app)."""

from http import HTTPStatus

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from circuits.checklist import STATUS_LABELS
from circuits.choices import ProviderOrderStatusChoices
from peerings.choices import TicketStatusChoices

ORDER_STATUSES = ProviderOrderStatusChoices.choices()
TICKET_STATUSES = TicketStatusChoices.choices()
STEP_STATUSES = list(STATUS_LABELS.items())


class ProblemErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="The input field at fault; null for the whole request.")
    detail = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as every error of the API is answered (application/problem+json)."""

    type = serializers.CharField(help_text="about:blank, or urn:onramp:problem:* (docs/API.md)")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemErrorSerializer(many=True, required=False)


WRITES = {"POST", "PATCH", "PUT", "DELETE"}


class ProblemAutoSchema(AutoSchema):
    """Documents the problems each operation can answer, next to its success."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        codes = [401, 403, 429]
        if "{" in path:
            codes.append(404)
        if method in WRITES:
            codes += [400, 409, 412, 422]
            if any(p["name"] == "If-Match" and p.get("required") for p in operation.get("parameters", ())):
                codes.append(428)
        reference = self.resolve_serializer(ProblemSerializer, "response").ref
        for code in sorted(codes):
            operation["responses"].setdefault(
                str(code),
                {
                    "content": {"application/problem+json": {"schema": reference}},
                    "description": HTTPStatus(code).phrase,
                },
            )
        return operation
