"""insights.refresh: queued by name through the outbox when the audit log records a step change
(one pending refresh per circuit, or one for a sweep chunk's circuits), and by beat for the full
rebuild (no ids)."""

from celery import shared_task

from . import services


@shared_task(name="insights.refresh")
def refresh(circuit_id: int | None = None, circuit_ids: list[int] | None = None) -> int:
    if circuit_id is not None:
        circuit_ids = [circuit_id]
    return services.insights_refresh(circuit_ids=circuit_ids)
