"""Reads for pages and for the stuck sweep; everything here reads precomputed stays and statistics."""

import hashlib
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from circuits.models import Circuit
from circuits.selectors import circuits_in_scope
from circuits.stuck import business_days_between
from core.stamps import stamped_get, stamped_set, stamps_take

from .choices import GroupLevelChoices, StayKindChoices
from .report import insights_report
from .stamps import report_stamps
from .statistics import StatisticsIndex

STUCK_STATE = ProviderState.PROVISIONING
# The stuck rule learns from the circuit's group or its provider; the estate-wide figure would judge
# one provider by the others, so below that the configured threshold applies.
STUCK_LEVELS = (GroupLevelChoices.GROUP, GroupLevelChoices.PROVIDER)


INSIGHTS_REFUSED = "Insights are for engineers and managers."


def insights_allowed(user) -> bool:
    """Engineers (they chase circuits) and managers (they choose providers); not approvers."""
    return user.has_perm("circuits.change_circuit") or user.has_perm("circuits.view_billing")


def insights_circuits(user):
    """The circuits /insights/ (and its API) summarise before filters: every circuit `user` may view."""
    return Circuit.objects.filter(pk__in=circuits_in_scope(user))


# How long a cached report may be shown: the days of circuits still onboarding grow with time and
# no write says so; the page shows when its figures were computed.
REPORT_SECONDS = 300


def insights_report_for(user, filterset) -> dict:
    """insights_report of the circuits `filterset` keeps (every circuit in its queryset, `user`'s
    scope, when it is unbound or invalid), from the cache until insights.refresh rewrites the stays
    of a team in the scope (insights.stamps), for at most REPORT_SECONDS.

    Keyed by the scope (the user's teams: a report never reaches another scope) and the filters'
    cleaned values. A miss costs one query (plus the teams'), a hit none but the teams'."""
    filtered = filterset.is_bound and filterset.is_valid()
    stamp_keys = _report_stamps(user)
    cleaned = filterset.form.cleaned_data if filtered else {}
    filters = sorted((name, str(getattr(value, "pk", value))) for name, value in cleaned.items() if value is not None)
    key = "insights:report:" + hashlib.blake2b(repr((stamp_keys, filters)).encode(), digest_size=12).hexdigest()
    report = stamped_get(key, stamp_keys)
    if report is None:
        stamps = stamps_take(stamp_keys)  # before reading: a refresh racing with the read forgets them
        report = insights_report(filterset.qs if filtered else filterset.queryset, now=timezone.now())
        stamped_set(key, report, stamps, timeout=REPORT_SECONDS)
    return report


def _report_stamps(user) -> tuple:
    """The stamps of what insights_circuits(user) sums, which also name that scope: a superuser's
    is the estate, anyone else's their teams (none without circuits.view_circuit)."""
    if user.is_superuser:
        return report_stamps(team_ids=(), estate=True)
    viewer = user.has_perm("circuits.view_circuit")
    return report_stamps(team_ids=user.teams.values_list("pk", flat=True) if viewer else (), estate=False)


def _business_day_after(start: date, count: int) -> date:
    """The date `count` weekdays after `start`."""
    day, left = start, count
    while left > 0:
        day += timedelta(days=1)
        left -= day.weekday() < 5
    return day


def stuck_thresholds_for(circuits, *, now: datetime) -> dict[int, tuple[timedelta, str]]:
    """{circuit id: (threshold, reason)} for circuits in Provisioning: how long each may stay there
    before it is stuck, and the sentence that says why, as of `now`.

    Learned: the p90 of Provisioning for the circuit's group (provider × location × bandwidth
    class), else for its provider ("Provisioning for 19 days; Equinix Amsterdam (1 to 5 Gbps)
    usually takes 4–11 days."). With too little history, the provider's configured
    stuck_after_business_days is the floor, counted in whole business days as before. Needs
    circuits with service_provider and peering_location loaded; one query."""
    circuits = list(circuits)
    if not circuits:
        return {}
    index = StatisticsIndex()
    return {circuit.pk: _stuck_threshold(index, circuit, now=now) for circuit in circuits}


def _stuck_threshold(index, circuit, *, now: datetime) -> tuple[timedelta, str]:
    since = circuit.state_changed_at
    figure = index.figure(StayKindChoices.STATE, STUCK_STATE, circuit, levels=STUCK_LEVELS)
    if figure is not None:
        reason = f"{STUCK_STATE} for {(now - since).days} days; {figure.usually}."
        return timedelta(days=figure.statistic.p90_days), reason
    configured = circuit.service_provider.stuck_after_business_days
    due = datetime.combine(_business_day_after(since.date(), configured), time.min, tzinfo=since.tzinfo)
    reason = (
        f"{business_days_between(since.date(), now.date())} business days in {STUCK_STATE}; "
        f"{circuit.service_provider} takes up to {configured} (configured: too little history to learn from)."
    )
    return due - since, reason


def learned_stuck_rule():
    """The rule `circuits.services.circuits_flag_stuck` asks (sync's stuck sweep and the demo pass it):
    a circuit is stuck once its time in Provisioning reaches its learned threshold; the reason names it.
    The statistics are read once, for every circuit the sweep asks about."""
    index = StatisticsIndex()

    def rule(circuit, *, now: datetime) -> str | None:
        threshold, reason = _stuck_threshold(index, circuit, now=now)
        return reason if now - circuit.state_changed_at >= threshold else None

    return rule


def stuck_threshold_for(circuit, *, now: datetime) -> tuple[timedelta, str]:
    return stuck_thresholds_for([circuit], now=now)[circuit.pk]
