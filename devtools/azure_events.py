"""The simulator's Azure Event Grid: what Azure would publish when a simulated provider changes a circuit.

A simulated change happens when a circuit's planned step comes due (sync.sources.simulator);
Azure would then publish Microsoft.Resources.ResourceWriteSuccess for the circuit, in the Event
Grid schema. `manage.py emit_azure_events` posts those to /hooks/azure/ as they come due, so the
demo and the latency measure (docs/PERFORMANCE.md) exercise the same path as production.
"""

import uuid
from datetime import datetime

from django.utils import timezone

from circuits.models import Circuit


def write_success_event(circuit: Circuit, *, at: datetime | None = None) -> dict:
    """One event in the Event Grid schema, as Azure's published sample for subscription events."""
    resource = circuit.azure_resource_id
    return {
        "id": str(uuid.uuid4()),
        "topic": f"/subscriptions/{circuit.subscription_id}",
        "subject": resource,
        "eventType": "Microsoft.Resources.ResourceWriteSuccess",
        "eventTime": (at or timezone.now()).isoformat(),
        "data": {
            "resourceProvider": "Microsoft.Network",
            "resourceUri": resource,
            "operationName": "Microsoft.Network/expressRouteCircuits/write",
            "status": "Succeeded",
            "subscriptionId": str(circuit.subscription_id),
        },
        "dataVersion": "2",
        "metadataVersion": "1",
    }


def due_changes(*, after: datetime, until: datetime) -> list[Circuit]:
    """Circuits whose simulated provider step came due in (after, until]: the changes Azure would publish."""
    return list(
        Circuit.objects.filter(
            deleted_at__isnull=True, simulator_step_due_at__gt=after, simulator_step_due_at__lte=until
        ).order_by("simulator_step_due_at")
    )
