"""insights.refresh: queued by name through the outbox when the audit log records a step change
(one pending refresh per circuit), and by beat for the full rebuild."""

from celery import shared_task

from . import services


@shared_task(name="insights.refresh")
def refresh(circuit_id: int | None = None) -> int:
    return services.insights_refresh(circuit_ids=None if circuit_id is None else [circuit_id])
