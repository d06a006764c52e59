"""Keeping the stays current: every audit event that can change a circuit's step or provider state
queues an insights.refresh of that circuit, in the transaction that recorded it (the outbox)."""

import threading
from contextlib import contextmanager

from django.db.models.signals import post_save
from django.dispatch import receiver

from audit.models import AuditEvent
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


@receiver(post_save, sender=AuditEvent, dispatch_uid="insights_refresh_on_audit_event")
def queue_refresh(sender, instance, created, **kwargs):
    if not created or instance.circuit_id is None or getattr(_bulk, "active", False):
        return
    if not changes_steps(instance.field, instance.to_value):
        return
    # Coalesced: a circuit with a refresh still pending (same transaction, or a broker that is down)
    # needs no second one, and a sweep's chunk queues one for all its circuits; the task re-reads
    # the whole history of the circuit anyway.
    enqueue_for_circuit(refresh.name, circuit_id=instance.circuit_id)
