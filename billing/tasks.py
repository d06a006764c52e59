"""Billing's background work."""

from celery import shared_task

from . import services


@shared_task(name="billing.accruals_complete")
def accruals_complete() -> int:
    """Nightly: refresh every circuit whose stored runs are stale, whatever wrote it without an
    audited change (bulk imports, the bench's seed, a changed idle threshold)."""
    return services.accruals_refresh_stale()
