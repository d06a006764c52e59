"""Optimistic concurrency on circuits: the ETag is the circuit's `version`, which every change to the
circuit or anything on its page bumps; a write naming a stale version is refused (412), never applied."""

from contextlib import contextmanager

from django.db import transaction

from audit.statemachine import lock

from .problems import PreconditionFailed, PreconditionRequired


def etag(circuit) -> str:
    return f'"{circuit.version}"'


def _given_versions(header: str) -> set[str]:
    """The versions an If-Match names; a tag sent without its quotes is read as meant."""
    return {f'"{part.strip().removeprefix("W/").strip(chr(34))}"' for part in header.split(",") if part.strip()}


@contextmanager
def circuit_if_match(request, circuit, *, required: bool):
    """Run the block in one transaction with the circuit locked, only if If-Match names its current
    version (or is `*`). Without If-Match: 428 when `required`, else the write goes ahead."""
    header = request.headers.get("If-Match", "")
    if not header and required:
        raise PreconditionRequired()
    with transaction.atomic():
        current = lock(circuit)
        if header and header.strip() != "*" and etag(current) not in _given_versions(header):
            raise PreconditionFailed()
        yield current
