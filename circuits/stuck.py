"""When is a circuit stuck in Provisioning? The rule, apart from the service that flags it.

`circuits.services.circuits_flag_stuck` asks one function per circuit for the reason it is stuck
(None: not stuck). The default below is the provider's business-day threshold; a caller with a
better estimate (learned from history, in an app above circuits) passes its own function instead.
"""

from collections.abc import Callable
from datetime import date, datetime

StuckRule = Callable[..., str | None]


def business_days_between(start: date, end: date) -> int:
    """Weekdays (Monday to Friday) after `start`, up to and including `end`."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    return weeks * 5 + sum(1 for offset in range(1, rest + 1) if (start.weekday() + offset) % 7 < 5)


def stuck_past_provider_threshold(circuit, *, now: datetime) -> str | None:
    """Stuck once its business days in Provisioning reach its provider's `stuck_after_business_days`."""
    days = business_days_between(circuit.state_changed_at.date(), now.date())
    threshold = circuit.service_provider.stuck_after_business_days
    if days < threshold:
        return None
    return f"{days} business days in Provisioning; {circuit.service_provider} takes up to {threshold}."
