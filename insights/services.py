"""Rebuilding the precomputed figures (stays and their fold, statistics, forecasts) from the audit log."""

from django.db import transaction
from django.utils import timezone

from circuits.models import Circuit

from .choices import StayKindChoices
from .durations import STEPS, state_stays, step_stays
from .forecasts import circuit_forecast
from .models import CircuitForecast, Onboarding, Stay, StepStatistic
from .onboarding import onboarding_rows
from .stamps import stays_rewritten
from .statistics import StatisticsIndex, statistics_rows


@transaction.atomic
def insights_refresh(*, circuit_ids=None, now=None) -> int:
    """Rebuild the stays (with their fold, Onboarding) and forecasts of these circuits (all when None;
    then the group statistics too), and make their teams' cached /insights/ reports stale.

    A refresh of some circuits keeps the group statistics as they are: they move slowly, and
    recomputing them on every transition would read the whole history each time. The periodic full
    refresh (beat, ONRAMP_INSIGHTS_REFRESH_INTERVAL) renews them. Returns how many forecasts were written.
    """
    now = now or timezone.now()
    ids = None if circuit_ids is None else sorted(set(circuit_ids))
    circuits = Circuit.objects.all() if ids is None else Circuit.objects.filter(pk__in=ids)
    stays_rewritten(circuits.order_by().values_list("team_id", flat=True).distinct())
    for model in (Stay, Onboarding):
        (model.objects.all() if ids is None else model.objects.filter(circuit_id__in=ids)).delete()
    stays = step_stays(ids) + state_stays(ids)
    Stay.objects.bulk_create([Stay(**stay) for stay in stays], batch_size=2000)
    Onboarding.objects.bulk_create([Onboarding(**row) for row in onboarding_rows(stays)], batch_size=2000)
    if ids is None:
        StepStatistic.objects.all().delete()
        StepStatistic.objects.bulk_create(statistics_rows(now=now), batch_size=2000)
    return _forecasts_rebuild(ids, now=now)


def _forecasts_rebuild(ids, *, now) -> int:
    forecasts = CircuitForecast.objects.all() if ids is None else CircuitForecast.objects.filter(circuit_id__in=ids)
    forecasts.delete()
    index = StatisticsIndex() if ids is None else StatisticsIndex.current()
    open_steps = Stay.objects.filter(
        kind=StayKindChoices.STEP,
        name__in=[str(step) for step in STEPS],
        left_at__isnull=True,
        circuit__deleted_at__isnull=True,
    )
    if ids is not None:
        open_steps = open_steps.filter(circuit_id__in=ids)
    circuits = {
        circuit.pk: circuit
        for circuit in Circuit.objects.filter(pk__in=open_steps.values("circuit_id")).select_related(
            "service_provider", "peering_location"
        )
    }
    made = []
    for circuit_id, step, entered_at in open_steps.values_list("circuit_id", "name", "entered_at"):
        forecast = circuit_forecast(circuits[circuit_id], step=int(step), entered_at=entered_at, index=index, now=now)
        if forecast is not None:
            made.append(forecast)
    CircuitForecast.objects.bulk_create(made, batch_size=2000)
    return len(made)
