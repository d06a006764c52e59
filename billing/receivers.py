"""Keeping the stored accrual runs true: billing sits above circuits, so it listens rather than
being called. A circuit's cost changes only with an audited change of these fields (the state
machine records each one); a price row's with its own save or delete."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from audit.services import events_recorded
from outbox.services import enqueue_for_circuit

from . import services
from .models import PortPrice

REFRESH = "billing.accruals_refresh"
COST_FIELDS = frozenset(
    {
        "created",
        "deleted",
        "deprovision_requested",
        "service_provider_provisioning_state",
        "circuit_provisioning_state",
        "state",  # a BGP session's or a peering's
        "connection_status",
        "sku_tier",
        "sku_family",
        "bandwidth_mbps",
        "peering_location",
    }
)


@receiver(events_recorded, dispatch_uid="billing.accruals_follow_audit_events")
def accruals_follow_audit_events(sender, events, **kwargs):
    """Mark the circuits' runs pending and queue their refresh with their changes (one INSERT for a
    sweep chunk's events). Queued through the outbox, not run on commit, so the sweep that recorded
    the change never waits for billing; the page refreshes what is still pending before it reads.
    What this misses (writes without an audited change), the nightly task completes: the circuit's
    version is what decides."""
    circuit_ids = sorted({event.circuit_id for event in events if event.circuit_id and event.field in COST_FIELDS})
    if not circuit_ids:
        return
    services.accruals_mark_pending(circuit_ids=circuit_ids)
    # Coalesced (one pending per circuit; one per chunk in a sweep): it re-reads the whole history.
    for circuit_id in circuit_ids:
        enqueue_for_circuit(REFRESH, circuit_id=circuit_id)


@receiver(post_save, sender=PortPrice, dispatch_uid="billing.accruals_follow_price_saves")
@receiver(post_delete, sender=PortPrice, dispatch_uid="billing.accruals_follow_price_deletes")
def accruals_follow_prices(sender, instance, **kwargs):
    services.accruals_invalidate_prices(price=instance)


@receiver(pre_delete, sender="circuits.Circuit", dispatch_uid="billing.totals_forget_removed_circuits")
def totals_forget_removed_circuits(sender, instance, **kwargs):
    services.accruals_forget(circuit_ids=[instance.pk])
