"""Every error of the API as RFC 9457 problem details (`application/problem+json`).

{"type": ..., "title": ..., "status": ..., "detail": ..., "errors": [{"field": ..., "detail": ..., "code": ...}]}

`type` is `about:blank` for plain HTTP errors (its title is the status phrase) and an
`urn:onramp:problem:*` name for Onramp's own (docs/API.md lists them).
"""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import DomainError, DomainErrors

PROBLEM_JSON = "application/problem+json"
# DomainError codes that are not "your input breaks a rule" (422).
DOMAIN_STATUS = {
    "conflict": status.HTTP_409_CONFLICT,
    "invalid_transition": status.HTTP_409_CONFLICT,
    "forbidden": status.HTTP_403_FORBIDDEN,
}
TYPES = {
    status.HTTP_400_BAD_REQUEST: "urn:onramp:problem:invalid-input",
    status.HTTP_409_CONFLICT: "urn:onramp:problem:conflict",
    status.HTTP_412_PRECONDITION_FAILED: "urn:onramp:problem:stale-version",
    status.HTTP_422_UNPROCESSABLE_ENTITY: "urn:onramp:problem:refused",
    status.HTTP_428_PRECONDITION_REQUIRED: "urn:onramp:problem:version-required",
}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The circuit changed since you read it: GET it again and retry with its new ETag."
    default_code = "stale_version"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send If-Match with the circuit's ETag (from a GET), so a change made meanwhile is not overwritten."
    )
    default_code = "version_required"


def problem_body(status_code: int, detail: str, *, errors=None) -> dict:
    body = {
        "type": TYPES.get(status_code, "about:blank"),
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem(status_code: int, detail: str, *, errors=None, headers=None) -> Response:
    body = problem_body(status_code, detail, errors=errors)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_JSON)


def _field_errors(detail, prefix=""):
    """DRF's nested error detail as a flat list of {field, detail, code}; field is None for the whole body."""
    if isinstance(detail, dict):
        return [error for name, inner in detail.items() for error in _field_errors(inner, _join(prefix, name))]
    if isinstance(detail, list):
        return [error for inner in detail for error in _field_errors(inner, prefix)]
    return [{"field": prefix or None, "detail": str(detail), "code": getattr(detail, "code", "invalid")}]


def _join(prefix, name):
    if name in ("non_field_errors", "__all__"):
        return prefix
    return f"{prefix}.{name}" if prefix else str(name)


def domain_problem(error: DomainError) -> Response:
    refusals = error.errors if isinstance(error, DomainErrors) else [error]
    errors = [{"field": refusal.field, "detail": refusal.message, "code": refusal.code} for refusal in refusals]
    return problem(DOMAIN_STATUS.get(error.code, status.HTTP_422_UNPROCESSABLE_ENTITY), error.message, errors=errors)


def problem_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return domain_problem(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such object, or not one of your teams'.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a server error, answered by handler500 and logged
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        detail = "The request has errors: see `errors`, one per field."
    else:
        errors, detail = None, str(exc.detail)
    headers = {name: value for name, value in response.items() if name in ("WWW-Authenticate", "Allow", "Retry-After")}
    return problem(response.status_code, detail, errors=errors, headers=headers)
