"""The OpenAPI schema's additions: every operation's problem responses, the examples recorded from
the running API (api/examples.json, attached by a postprocessing hook), and names for the enums that
would otherwise collide (several models have a `status`; SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]
and ["POSTPROCESSING_HOOKS"] point here, so settings import no app)."""

import json
import re
from http import HTTPStatus
from pathlib import Path

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from circuits.checklist import STATUS_LABELS
from circuits.choices import ProviderOrderStatusChoices
from peerings.choices import TicketStatusChoices

from .inputs import FormInput

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
    """Documents the problems each operation can answer, next to its success, and the body of a DELETE."""

    def _get_request_body(self, direction="request"):
        """A DELETE takes the reason the audit log records, declared as its input (api.inputs);
        drf-spectacular documents the bodies of PUT, PATCH and POST only."""
        declared = self.get_request_serializer()
        declared = declared if isinstance(declared, type) else type(declared)
        if self.method != "DELETE" or not issubclass(declared, FormInput):
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"

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


EXAMPLES = Path(__file__).with_name("examples.json")


def recorded_examples() -> dict:
    """api/examples.json: requests and answers recorded from the running API (`manage.py
    api_examples`, devtools), by operation ("POST /api/circuits/"). The API only reads it."""
    return json.loads(EXAMPLES.read_text()) if EXAMPLES.exists() else {}


def example_key(summary: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", summary.lower()).strip("-")


def nullable_as_null_type(result, generator, request, public):
    """Postprocessing hook: OpenAPI 3.1 has no `nullable`; DRF's page schemas (`next`, `previous`)
    still say it, so a null there would not fit. They become `type: [..., "null"]`."""

    def rewrite(node):
        if isinstance(node, dict):
            if node.get("nullable") is True and isinstance(node.get("type"), str):
                node["type"] = [node.pop("type"), "null"]
                del node["nullable"]
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)

    rewrite(result)
    return result


def attach_examples(result, generator, request, public):
    """Postprocessing hook: each operation's recorded examples under its request body and under the
    response of the status they got. A status the operation does not document gets none here (the
    schema tests name it)."""
    recorded = recorded_examples()
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for example in recorded.get(f"{method.upper()} {path}", ()):
                key, shown = example_key(example["summary"]), {"summary": example["summary"]}
                content = operation.get("requestBody", {}).get("content", {}).get("application/json")
                if example["request"] is not None and content is not None:
                    content.setdefault("examples", {})[key] = {**shown, "value": example["request"]}
                response = operation["responses"].get(str(example["status"]), {})
                media = response.get("content", {}).get(example["content_type"])
                if media is not None:
                    media.setdefault("examples", {})[key] = {**shown, "value": example["response"]}
    return result
