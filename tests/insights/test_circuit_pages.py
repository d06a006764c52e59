"""The forecast where engineers look: the circuit page, the list (column, sort, Late filter), the CSV."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.circuits.factories import CircuitFactory

from .factories import CircuitForecastFactory

pytestmark = pytest.mark.django_db
LIST = reverse("circuits:circuit_list")


def _at(day):
    return datetime(2026, 7, day, tzinfo=UTC)


def test_the_circuit_page_shows_when_it_will_be_ready_and_whose_history_says_so(engineer_client, team):
    forecast = CircuitForecastFactory(circuit=CircuitFactory(team=team), ready_by=_at(20), is_late=True)
    text = engineer_client.get(forecast.circuit.get_absolute_url()).text
    assert "Ready by <strong>2026-07-20</strong>" in text
    assert "80% between 2026-07-17 and 2026-07-25" in text
    assert "Equinix Amsterdam (1 to 5 Gbps)" in text and "Late" in text


def test_a_circuit_without_a_forecast_shows_none(engineer_client, team):
    circuit = CircuitFactory(team=team)
    assert "Ready by" not in engineer_client.get(circuit.get_absolute_url()).text


def test_the_list_sorts_by_ready_by_and_filters_late_circuits(engineer_client, team):
    later = CircuitForecastFactory(circuit=CircuitFactory(team=team, name="er-later"), ready_by=_at(25))
    sooner = CircuitForecastFactory(circuit=CircuitFactory(team=team, name="er-sooner"), ready_by=_at(5), is_late=True)
    text = engineer_client.get(LIST, {"sort": "ready"}).text
    assert text.index(sooner.circuit.name) < text.index(later.circuit.name)
    late_only = engineer_client.get(LIST, {"late": "true"}).text
    assert sooner.circuit.name in late_only and later.circuit.name not in late_only


def test_the_csv_export_carries_the_forecast(engineer_client, team):
    CircuitForecastFactory(circuit=CircuitFactory(team=team), ready_by=_at(20), is_late=True)
    response = engineer_client.get(reverse("circuits:circuit_export"))
    header, row = b"".join(response.streaming_content).decode().splitlines()[:2]
    columns = dict(zip(header.split(","), row.split(","), strict=True))
    assert columns["readyBy"].startswith("2026-07-20") and columns["late"] == "True"
