"""Each day's cost in the category the circuit was in that day (billing/history.py)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from billing.selectors import billing_circuits, monthly_accrued
from circuits import services
from core.actors import AZURE
from tests.circuits.factories import CircuitFactory, VNetLinkFactory

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


def at(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_a_circuit_orphaned_today_shows_no_orphaned_cost_in_past_months():
    CircuitFactory(created_at=at(2025, 6, 1), provisioned=True, deprovisioned_at=at(2026, 5, 20))
    months, series = monthly_accrued(as_of=date(2026, 5, 20))
    assert series["orphaned"] == [ZERO] * 11 + [Decimal("14.06")]  # 20 May only: 436/31
    assert series["unused"][-2] == Decimal("436.00")  # all of April, provisioned
    assert months[-1] == date(2026, 5, 1)


def test_the_as_of_day_is_in_the_category_the_tables_show():
    circuit = CircuitFactory(created_at=at(2026, 1, 1), deprovisioned_at=at(2026, 3, 10))
    as_of = date(2026, 3, 31)
    _, series = monthly_accrued(as_of=as_of)
    assert billing_circuits(as_of=as_of).get(pk=circuit.pk).category == "orphaned"
    assert series["orphaned"][-1] == Decimal("309.42")  # 10–31 March: 22 × 436/31
    assert series["idle"][-1] == Decimal("126.58")  # 1–9 March, never provisioned before


def test_provisioning_and_a_connected_link_move_the_days_after_them():
    circuit = CircuitFactory(created_at=at(2026, 1, 1))
    with time_machine.travel(at(2026, 3, 10), tick=False):
        services.circuit_set_provider_state(circuit=circuit, to="Provisioned", actor=AZURE)
    link = VNetLinkFactory(circuit=circuit, connection_status="Connecting")
    with time_machine.travel(at(2026, 4, 5), tick=False):
        services.vnet_link_set_status(link=link, to="Connected", actor=AZURE)
    _, series = monthly_accrued(as_of=date(2026, 4, 30))
    march, april = -2, -1
    assert (series["idle"][march], series["unused"][march]) == (Decimal("126.58"), Decimal("309.42"))
    assert (series["unused"][april], series["in_use"][april]) == (Decimal("58.13"), Decimal("377.87"))
    assert series["waiting"][-4] == Decimal("421.94")  # 1–30 January: still within the idle threshold


def test_a_circuit_deleted_mid_month_is_in_the_chart_until_its_deletion_day_as_in_the_tables():
    circuit = CircuitFactory(created_at=at(2026, 1, 1), deleted_at=at(2026, 3, 15))
    as_of = date(2026, 3, 31)
    _, series = monthly_accrued(as_of=as_of)
    row = billing_circuits(as_of=as_of).get(pk=circuit.pk)
    assert "deleted" not in series
    assert sum(series["idle"][-1:]) == Decimal("210.97")  # 1–15 March: 15 × 436/31, nothing after
    assert sum(sum(amounts) for amounts in series.values()) == row.accrued


def test_a_circuit_without_a_price_adds_nothing_to_the_chart():
    CircuitFactory(created_at=at(2026, 1, 1), sku_tier="Premium")
    assert monthly_accrued(as_of=date(2026, 3, 31))[1] == {}
