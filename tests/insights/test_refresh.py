"""insights_refresh: stays, group statistics with their fallbacks, and forecasts, from the audit log."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights.choices import GroupLevelChoices
from insights.models import CircuitForecast, Stay, StepStatistic
from insights.services import insights_refresh
from insights.tasks import refresh
from tests.circuits.factories import CircuitFactory, PeeringLocationFactory, ServiceProviderFactory

from .factories import play

pytestmark = pytest.mark.django_db


@pytest.fixture
def frankfurt(db):
    return PeeringLocationFactory(name="Frankfurt")


@pytest.fixture
def history(equinix, amsterdam, frankfurt, now):
    """Six onboarded Equinix Amsterdam circuits (provisioning 4-9 days), one Equinix Frankfurt."""
    equinix.peering_locations.add(frankfurt)
    for index in range(6):
        circuit = CircuitFactory(service_provider=equinix, peering_location=amsterdam)
        play(circuit, now - timedelta(days=60 - index), [1, 4 + index, 1, 1])
    play(CircuitFactory(service_provider=equinix, peering_location=frankfurt), now - timedelta(days=50), [1, 30, 1, 1])


def _refresh(now, **kwargs):
    with time_machine.travel(now, tick=False):
        return insights_refresh(**kwargs)


def test_a_full_refresh_writes_stays_and_statistics_per_group_provider_and_all(history, equinix, amsterdam, now):
    _refresh(now)
    assert Stay.objects.filter(kind="step", name="6").count() == 7
    group = StepStatistic.objects.get(
        kind="step", name="3", level=GroupLevelChoices.GROUP, service_provider=equinix, peering_location=amsterdam
    )
    assert (group.count, group.finished, group.fastest_days, group.slowest_days) == (6, 6, 4, 9)
    assert group.median_days == 6
    provider = StepStatistic.objects.get(kind="step", name="3", level=GroupLevelChoices.PROVIDER)
    assert (provider.count, provider.slowest_days) == (7, 30)
    assert StepStatistic.objects.get(kind="state", name="Provisioning", level=GroupLevelChoices.ALL).count == 7


def test_a_forecast_uses_the_narrowest_group_with_enough_history(history, equinix, amsterdam, frankfurt, now):
    _refresh(now)
    in_amsterdam = play(CircuitFactory(service_provider=equinix, peering_location=amsterdam), now, [1])
    in_frankfurt = play(CircuitFactory(service_provider=equinix, peering_location=frankfurt), now, [1])
    elsewhere = ServiceProviderFactory(name="Megaport", peering_locations=[amsterdam])
    other_provider = play(CircuitFactory(service_provider=elsewhere, peering_location=amsterdam), now, [1])
    _refresh(now + timedelta(days=1), circuit_ids=[in_amsterdam.pk, in_frankfurt.pk, other_provider.pk])
    levels = {f.circuit_id: (f.level, f.group_label) for f in CircuitForecast.objects.all()}
    assert levels[in_amsterdam.pk] == (GroupLevelChoices.GROUP, "Equinix Amsterdam (1 to 5 Gbps)")
    assert levels[in_frankfurt.pk] == (GroupLevelChoices.PROVIDER, "Equinix (all locations)")
    assert levels[other_provider.pk] == (GroupLevelChoices.ALL, "All providers")


def test_onboarded_and_deleted_circuits_get_no_forecast(history, equinix, now):
    waiting = play(CircuitFactory(service_provider=equinix), now - timedelta(days=3), [1])
    gone = play(CircuitFactory(service_provider=equinix), now - timedelta(days=3), [1], deleted_after=2)
    _refresh(now)
    assert list(CircuitForecast.objects.values_list("circuit_id", flat=True)) == [waiting.pk]
    forecast = waiting.forecast
    assert now < forecast.ready_low <= forecast.ready_by <= forecast.ready_high
    assert (forecast.step, forecast.is_late) == (3, False)
    assert gone.pk not in set(CircuitForecast.objects.values_list("circuit_id", flat=True))


def test_a_circuit_refresh_keeps_the_others_and_the_statistics(history, equinix, now):
    _refresh(now)
    statistics, stays = StepStatistic.objects.count(), Stay.objects.count()
    circuit = play(CircuitFactory(service_provider=equinix), now - timedelta(days=2), [1])
    _refresh(now, circuit_ids=[circuit.pk])
    assert StepStatistic.objects.count() == statistics
    assert Stay.objects.count() == stays + 4  # its steps 2 and 3, NotProvisioned and Provisioning


def test_the_refresh_task_rebuilds_one_circuit_a_sweep_chunks_circuits_or_all():
    with mock.patch("insights.services.insights_refresh", return_value=0) as rebuild:
        refresh(circuit_id=1)
        refresh(circuit_ids=[1, 2])
        refresh()
    assert [call.kwargs for call in rebuild.call_args_list] == [
        {"circuit_ids": [1]},
        {"circuit_ids": [1, 2]},
        {"circuit_ids": None},
    ]


def _statistics_read(now, circuit):
    with CaptureQueriesContext(connection) as captured:
        _refresh(now, circuit_ids=[circuit.pk])
    return any('FROM "insights_stepstatistic"' in q["sql"] and "COUNT(" not in q["sql"] for q in captured)


def test_a_circuits_refresh_reads_the_statistics_again_only_once_a_full_refresh_rewrote_them(history, now):
    _refresh(now)
    circuit = CircuitFactory()
    _statistics_read(now, circuit)  # this process reads the rewritten statistics once …
    assert not _statistics_read(now, circuit)
    _refresh(now)  # … and again after they were rewritten
    assert _statistics_read(now, circuit)
