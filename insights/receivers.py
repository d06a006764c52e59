"""Keeping the stays current: every audit event that can change a circuit's step or provider state
queues an insights.refresh of that circuit, in the transaction that recorded it (the outbox)."""

import threading
from contextlib import contextmanager

from django.dispatch import receiver

from audit.services import events_recorded
from outbox.services import enqueue_for_circuit

from .durations import changes_steps
from .tasks import refresh

_bulk = threading.local()


@contextmanager
def refreshes_deferred():
    """For bulk writers (the demo's seed): no refresh per circuit while inside; the caller runs one
    full insights_refresh() afterwards, cheaper than hundreds of queued tasks."""
    _bulk.active = True
    try:
        yield
    finally:
        _bulk.active = False


@receiver(events_recorded, dispatch_uid="insights_refresh_on_audit_events")
def queue_refresh(sender, events, **kwargs):
    if getattr(_bulk, "active", False):
        return
    # Coalesced: a circuit with a refresh still pending (same transaction, or a broker that is down)
    # needs no second one, and a sweep's chunk queues one for all its circuits; the task re-reads
    # the whole history of the circuit anyway.
    for circuit_id in sorted({e.circuit_id for e in events if e.circuit_id and changes_steps(e.field, e.to_value)}):
        enqueue_for_circuit(refresh.name, circuit_id=circuit_id)
