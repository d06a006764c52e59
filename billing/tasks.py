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
def accruals_refresh(*, circuit_id: int | None = None, circuit_ids: list[int] = ()) -> int:
    """After an audited change of what a circuit costs (or of a sweep chunk's circuits): refresh
    their runs, those still stale."""
    return services.accruals_refresh_stale(circuit_ids=[circuit_id] if circuit_id is not None else list(circuit_ids))
