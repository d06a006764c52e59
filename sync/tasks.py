"""Celery tasks that keep circuits true: thin wrappers around sync.polling's services.

Beat runs `sweep` every ONRAMP_SWEEP_INTERVAL seconds; it fans the circuits due for a check out
to workers in chunks. A failed read is retried with exponential backoff (and jitter) up to
ONRAMP_POLL_MAX_RETRIES times; circuits.services marks the circuit stale when reads keep failing.
"""

import logging
import random

from celery import shared_task
from django.conf import settings

from accounts.models import Team
from billing.services import subscription_names_record
from circuits import services
from core.actors import AZURE
from insights.selectors import learned_stuck_rule

from . import polling
from .importer import ImportRefused, circuit_is_known, circuits_import
from .sources import SourceError, get_source

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> float:
    """Exponential backoff with full jitter: 0..base·2^attempt seconds, capped."""
    ceiling = min(settings.ONRAMP_POLL_RETRY_MAX_DELAY, settings.ONRAMP_POLL_RETRY_BASE_DELAY * 2**attempt)
    return random.uniform(ceiling / 2, ceiling)


def _check(circuit_id: int, attempt: int, source) -> None:
    try:
        polling.circuit_check(circuit_id=circuit_id, source=source)
    except SourceError as error:
        _read_failed(circuit_id, attempt, source, error)


def _read_failed(circuit_id: int, attempt: int, source, error: SourceError) -> None:
    logger.warning("Reading circuit %s failed (attempt %s): %s", circuit_id, attempt + 1, error)
    services.circuit_record_failed_check(circuit_id=circuit_id, error=str(error), actor=source.actor)
    if attempt < settings.ONRAMP_POLL_MAX_RETRIES:
        check_circuit.apply_async((circuit_id, attempt + 1), countdown=retry_delay(attempt))


@shared_task(name="circuits.sweep")
def sweep() -> int:
    """Queue a check of every circuit that is due, in chunks; returns how many were queued."""
    circuit_ids = polling.circuits_due_for_check()
    size = settings.ONRAMP_POLL_CHUNK_SIZE
    # Marked and queued a chunk at a time: workers start on the first chunk while the rest are marked.
    for start in range(0, len(circuit_ids), size):
        chunk = circuit_ids[start : start + size]
        polling.circuits_mark_queued(circuit_ids=chunk)
        check_circuits.delay(chunk)
    return len(circuit_ids)


@shared_task(name="circuits.check_circuits")
def check_circuits(circuit_ids: list[int]) -> None:
    """Check a chunk in bulk; only circuits with something new (or a failed read) are locked and
    changed, in one transaction for the chunk."""
    source = get_source()
    eventful = polling.circuits_check(circuit_ids=circuit_ids, source=source)
    for circuit_id, error in polling.circuits_apply(readings=eventful, source=source):
        _read_failed(circuit_id, 0, source, error)


@shared_task(name="circuits.check_circuit")
def check_circuit(circuit_id: int, attempt: int = 0) -> None:
    _check(circuit_id, attempt, get_source())


@shared_task(name="circuits.azure_sync")
def azure_sync() -> str:
    """Add circuits found in the configured subscriptions (owned by ONRAMP_AZURE_TEAM) and refresh the rest."""
    from .sources.azure import AzureSource  # the Azure SDK is loaded only where Azure is polled

    team = Team.objects.filter(name=settings.ONRAMP_AZURE_TEAM).first()
    source = AzureSource.from_settings()
    try:
        subscription_names_record(names=source.subscription_names())
    except SourceError as error:  # names are only labels: the circuits are still synced
        logger.warning("Subscription names not refreshed: %s", error)
    records, ports = source.list_circuits(), source.list_ports()
    if team is None:
        records = [record for record in records if circuit_is_known(record)]
    counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
    # One circuit at a time: a circuit Onramp cannot apply must not hold back the others.
    for record in records:
        try:
            result = circuits_import(records=[record], ports=ports, actor=AZURE, team=team)
        except ImportRefused as refused:
            logger.warning("Azure sync refused %s", refused.message)
            counts["refused"] += 1
            continue
        for outcome in ("created", "updated", "unchanged"):
            counts[outcome] += getattr(result, outcome)
    summary = f"{counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
    return summary + (f", {counts['refused']} refused" if counts["refused"] else "")


@shared_task(name="circuits.flag_stuck")
def flag_stuck() -> int:
    return services.circuits_flag_stuck(rule=learned_stuck_rule())
