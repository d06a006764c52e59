"""Celery tasks for webhooks: thin wrappers around webhooks.services.

`webhooks.deliver` is queued by name through the outbox when a delivery is created; beat's
`webhooks.sweep` re-queues retries once their backoff has passed and sends that look lost, so the
database, not the broker, is what remembers a delivery.
"""

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from circuits.models import Circuit

from . import services
from .choices import EventTypeChoices
from .events import circuit_data


@shared_task(name="webhooks.deliver")
def deliver(delivery_id: int) -> None:
    services.delivery_send(delivery_id=delivery_id)


@shared_task(name="webhooks.sweep")
def sweep() -> int:
    return services.deliveries_queue_due()


@shared_task(name="webhooks.billing_idle_check")
def billing_idle_check() -> int:
    """Record billing.idle for circuits that became idle (never provisioned, older than the billing
    threshold) since the last check; once per circuit (dedupe key). Returns how many were recorded."""
    since = timezone.now() - timezone.timedelta(days=settings.BILLING_IDLE_AFTER_DAYS)
    idle = Circuit.objects.filter(
        Q(service_provider_provisioning_state__in=(ProviderState.NOT_PROVISIONED, ProviderState.PROVISIONING)),
        deleted_at__isnull=True,
        deprovisioned_at__isnull=True,
        created_at__lte=since,
    ).select_related("team")
    recorded = 0
    for circuit in idle.exclude(webhook_events__type=EventTypeChoices.BILLING_IDLE):
        listening = [
            endpoint
            for endpoint in services.endpoints_listening(team_id=circuit.team_id)
            if EventTypeChoices.BILLING_IDLE in endpoint.event_types
        ]
        data = {
            "circuit": circuit_data(circuit),
            "category": "idle",
            "idle_after_days": settings.BILLING_IDLE_AFTER_DAYS,
        }
        event = services.event_record(
            type=EventTypeChoices.BILLING_IDLE,
            data=data,
            endpoints=listening,
            circuit_id=circuit.pk,
            dedupe_key=f"idle:{circuit.pk}",
        )
        recorded += event is not None
    return recorded
