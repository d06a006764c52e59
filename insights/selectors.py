"""Reads for pages and for the stuck sweep; everything here reads precomputed stays and statistics."""

from datetime import datetime, timedelta

from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState

from .choices import GroupLevelChoices, StayKindChoices
from .statistics import StatisticsIndex

STUCK_STATE = ProviderState.PROVISIONING
# The stuck rule learns from the circuit's group or its provider; the estate-wide figure would judge
# one provider by the others, so below that the configured threshold applies.
STUCK_LEVELS = (GroupLevelChoices.GROUP, GroupLevelChoices.PROVIDER)


def business_days_later(start: datetime, count: int) -> datetime:
    """The moment `count` weekdays after `start` (the configured threshold, as a point in time)."""
    moment, left = start, count
    while left > 0:
        moment += timedelta(days=1)
        left -= moment.weekday() < 5
    return moment


def stuck_thresholds_for(circuits, *, index: StatisticsIndex | None = None) -> dict:
    """{circuit id: (threshold, why)} for circuits in Provisioning: how long they may stay there
    before they are stuck, and the usual range in words for the reason.

    Learned: the p90 of Provisioning for the circuit's group (provider × location × bandwidth
    class), else for its provider. With too little history: the provider's configured
    stuck_after_business_days. Needs circuits with service_provider and peering_location loaded."""
    circuits = list(circuits)
    if not circuits:
        return {}
    index = StatisticsIndex() if index is None else index
    thresholds = {}
    for circuit in circuits:
        figure = index.figure(StayKindChoices.STATE, STUCK_STATE, circuit, levels=STUCK_LEVELS)
        if figure is not None:
            thresholds[circuit.pk] = (timedelta(days=figure.statistic.p90_days), figure.usually)
        else:
            configured = circuit.service_provider.stuck_after_business_days
            later = business_days_later(circuit.state_changed_at, configured)
            why = f"{circuit.service_provider} takes up to {configured} business days (configured: too little history)"
            thresholds[circuit.pk] = (later - circuit.state_changed_at, why)
    return thresholds


def stuck_threshold_for(circuit) -> tuple[timedelta, str]:
    return stuck_thresholds_for([circuit])[circuit.pk]


def stuck_reason(*, elapsed: timedelta, usually: str) -> str:
    """ "Provisioning for 19 days; Equinix Amsterdam usually takes 4–11 days"."""
    return f"{STUCK_STATE} for {elapsed.days} days; {usually}."
