"""Billing's background work."""

from celery import shared_task

from . import services


@shared_task(name="billing.accruals_complete")
def accruals_complete() -> int:
    """Nightly: refresh every circuit whose stored runs are stale, whatever wrote it without an
    audited change (bulk imports, the bench's seed, a changed idle threshold), and store the new
    day's figures and totals."""
    return services.accruals_complete()


@shared_task(name="billing.accruals_refresh")
def accruals_refresh(*, circuit_id: int) -> int:
    """After an audited change of what a circuit costs: refresh its runs, if still stale."""
    return services.accruals_refresh_stale(circuit_ids=[circuit_id])
