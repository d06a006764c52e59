from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from billing.selectors import (
    billing_circuits,
    circuit_billing,
    monthly_accrued,
    summary_by,
    summary_by_category,
    wasting_circuits,
)
from tests.billing.factories import PortPriceFactory
from tests.circuits.factories import CircuitFactory, PeeringLocationFactory, VNetLinkFactory
from tests.peerings.factories import PeeringFactory

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=UTC)


def figures(circuit, as_of):
    return billing_circuits(as_of=as_of).get(pk=circuit.pk)


# Proration: the seeded list price of Standard MeteredData 1 Gbps in Zone 1 is 436.00 a month.


def test_a_whole_calendar_month_costs_exactly_the_monthly_fee():
    circuit = CircuitFactory(created_at=at(2026, 3, 1, 0))
    assert figures(circuit, date(2026, 3, 31)).accrued == Decimal("436.00")


def test_each_day_costs_the_fee_divided_by_the_days_of_its_own_month():
    circuit = CircuitFactory(created_at=at(2026, 3, 20))
    # 12 March days at 436/31 + 10 April days at 436/30 = 314.1075…
    assert figures(circuit, date(2026, 4, 10)).accrued == Decimal("314.11")


def test_the_creation_day_and_the_as_of_day_are_billed_in_full():
    circuit = CircuitFactory(created_at=at(2026, 4, 30, 23))
    assert figures(circuit, date(2026, 4, 30)).accrued == Decimal("14.53")  # 436/30


def test_february_of_a_leap_year_has_29_billed_days():
    circuit = CircuitFactory(created_at=at(2028, 2, 15))
    # 15 days at 436/29 + 5 March days at 436/31 = 295.8398…
    assert figures(circuit, date(2028, 3, 5)).accrued == Decimal("295.84")
    assert figures(circuit, date(2028, 2, 29)).accrued == Decimal("225.52")


def test_leap_february_still_costs_exactly_one_monthly_fee():
    circuit = CircuitFactory(created_at=at(2028, 2, 1, 0))
    assert figures(circuit, date(2028, 2, 29)).accrued == Decimal("436.00")


def test_february_of_a_common_year_has_28_billed_days():
    circuit = CircuitFactory(created_at=at(2027, 2, 15))
    assert figures(circuit, date(2027, 2, 28)).accrued == Decimal("218.00")  # 14 × 436/28


def test_a_price_change_applies_from_its_valid_from_date():
    PortPriceFactory(monthly_fee=Decimal("500.00"), valid_from=date(2026, 6, 16))
    circuit = CircuitFactory(created_at=at(2026, 6, 1))
    # 15 days at 436/30 + 15 days at 500/30
    assert figures(circuit, date(2026, 6, 30)).accrued == Decimal("468.00")
    assert figures(circuit, date(2026, 6, 30)).monthly_fee == Decimal("500.00")
    assert figures(circuit, date(2026, 6, 15)).monthly_fee == Decimal("436.00")


def test_the_first_price_of_a_sku_also_covers_the_days_before_it_was_captured():
    circuit = CircuitFactory(created_at=at(2025, 12, 1))
    assert figures(circuit, date(2025, 12, 31)).accrued == Decimal("436.00")


def test_a_deleted_circuit_stops_accruing_after_its_deletion_day():
    circuit = CircuitFactory(created_at=at(2026, 3, 1), deleted_at=at(2026, 3, 10))
    row = figures(circuit, date(2026, 5, 1))
    assert row.accrued == Decimal("140.65")  # 10 × 436/31
    assert row.category == "deleted"


def test_a_circuit_deleted_after_the_as_of_date_is_still_billed_on_it():
    circuit = CircuitFactory(created_at=at(2026, 3, 1), deleted_at=at(2026, 5, 10))
    row = figures(circuit, date(2026, 3, 31))
    assert (row.accrued, row.category) == (Decimal("436.00"), "idle")


def test_a_circuit_created_after_the_as_of_date_is_not_counted():
    circuit = CircuitFactory(created_at=at(2026, 3, 2))
    assert not billing_circuits(as_of=date(2026, 3, 1)).filter(pk=circuit.pk).exists()


# Categories (idle after 30 days by default).


def test_a_never_provisioned_circuit_waits_for_29_days():
    circuit = CircuitFactory(created_at=at(2026, 3, 1))
    row = figures(circuit, date(2026, 3, 30))
    assert (row.category, row.waste) == ("waiting", None)


def test_a_never_provisioned_circuit_is_idle_from_its_30th_day_and_wastes_from_then():
    circuit = CircuitFactory(created_at=at(2026, 3, 1), service_provider_provisioning_state="Provisioning")
    row = figures(circuit, date(2026, 3, 31))
    assert row.category == "idle"
    assert row.waste == Decimal("14.06")  # 1 day at 436/31
    assert row.waste_from.date() == date(2026, 3, 31)


def test_the_idle_threshold_is_configurable(settings):
    settings.BILLING_IDLE_AFTER_DAYS = 10
    circuit = CircuitFactory(created_at=at(2026, 3, 1))
    assert figures(circuit, date(2026, 3, 11)).category == "idle"
    assert billing_circuits(as_of=date(2026, 3, 11), idle_days=11).get(pk=circuit.pk).category == "waiting"


def test_a_deprovisioned_undeleted_circuit_is_orphaned_and_wastes_from_its_deprovisioning_day():
    circuit = CircuitFactory(created_at=at(2026, 1, 1), deprovisioned_at=at(2026, 5, 10))
    row = figures(circuit, date(2026, 5, 20))
    assert row.category == "orphaned"
    assert row.waste == Decimal("154.71")  # 11 × 436/31


def test_before_its_deprovisioning_day_a_circuit_is_not_orphaned():
    circuit = CircuitFactory(created_at=at(2026, 1, 1), deprovisioned_at=at(2026, 5, 10))
    assert figures(circuit, date(2026, 5, 9)).category == "idle"


def test_a_circuit_being_deprovisioned_is_orphaned_from_the_request():
    circuit = CircuitFactory(
        created_at=at(2026, 1, 1),
        service_provider_provisioning_state="Deprovisioning",
        deprovision_requested_at=at(2026, 4, 29),
    )
    row = figures(circuit, date(2026, 4, 30))
    assert (row.category, row.waste) == ("orphaned", Decimal("29.07"))  # 2 × 436/30


def test_a_provisioned_circuit_with_an_established_bgp_session_is_in_use():
    circuit = CircuitFactory(created_at=at(2026, 1, 1), provisioned=True)
    peering = PeeringFactory(circuit=circuit, sessions="Established")
    assert figures(peering.circuit, date(2026, 5, 1)).category == "in_use"


def test_a_provisioned_circuit_with_a_connected_vnet_link_is_in_use():
    link = VNetLinkFactory(circuit__created_at=at(2026, 1, 1), connection_status="Connected")
    assert figures(link.circuit, date(2026, 5, 1)).category == "in_use"


def test_a_provisioned_circuit_with_nothing_working_is_unused_not_waste():
    peering = PeeringFactory(circuit=CircuitFactory(created_at=at(2026, 1, 1), provisioned=True), sessions="Active")
    VNetLinkFactory(circuit=peering.circuit, connection_status="NotConnected")
    row = figures(peering.circuit, date(2026, 5, 1))
    assert (row.category, row.waste) == ("unused", None)


def test_an_established_session_on_a_disabled_peering_does_not_count_as_working():
    circuit = CircuitFactory(created_at=at(2026, 1, 1), provisioned=True)
    PeeringFactory(circuit=circuit, state="Disabled", sessions="Established")
    assert figures(circuit, date(2026, 5, 1)).category == "unused"


# Unknown prices.


def test_a_circuit_without_a_price_is_price_unknown_never_zero():
    circuit = CircuitFactory(created_at=at(2026, 1, 1), sku_tier="Premium")
    row = figures(circuit, date(2026, 3, 1))
    assert (row.monthly_fee, row.accrued, row.waste) == (None, None, None)


def test_price_unknown_circuits_are_counted_apart_in_the_totals():
    CircuitFactory(created_at=at(2026, 3, 1, 0))
    CircuitFactory(created_at=at(2026, 3, 1, 0), peering_location=PeeringLocationFactory(name="Tokyo", zone="Zone 2"))
    (idle,) = summary_by_category(as_of=date(2026, 3, 31))
    assert (idle["category"], idle["circuits"], idle["price_unknown"]) == ("idle", 2, 1)
    assert idle["accrued"] == Decimal("436.00")
    assert idle["monthly_burn"] == Decimal("436.00")


def test_a_price_in_another_currency_is_not_used():
    PortPriceFactory(sku_tier="Premium", currency="EUR", monthly_fee=Decimal("400.00"))
    circuit = CircuitFactory(created_at=at(2026, 1, 1), sku_tier="Premium")
    assert figures(circuit, date(2026, 3, 1)).monthly_fee is None


# Summaries.


def test_saving_if_deleted_today_is_a_year_of_the_monthly_fee_of_wasting_circuits():
    CircuitFactory(created_at=at(2026, 1, 1))
    (idle,) = summary_by_category(as_of=date(2026, 3, 31))
    assert idle["saving_per_year"] == Decimal("5232.00")


def test_summary_by_team_adds_up_each_teams_circuits():
    first = CircuitFactory(created_at=at(2026, 3, 1, 0))
    CircuitFactory(created_at=at(2026, 3, 1, 0), team=first.team)
    CircuitFactory(created_at=at(2026, 3, 1, 0), deleted_at=at(2026, 3, 2))
    rows = summary_by("team__name", as_of=date(2026, 3, 31))
    assert [(row["team__name"], row["circuits"], row["accrued"]) for row in rows] == [
        (first.team.name, 2, Decimal("872.00"))
    ]


def test_monthly_accrued_splits_cost_by_calendar_month_and_category():
    CircuitFactory(created_at=at(2026, 3, 20))
    months, series = monthly_accrued(as_of=date(2026, 4, 10))
    assert months[-2:] == [date(2026, 3, 1), date(2026, 4, 1)]
    assert series["waiting"][-2:] == [Decimal("168.77"), Decimal("145.33")]
    assert len(months) == len(series["waiting"]) == 12


def test_monthly_accrued_includes_deleted_circuits_while_they_were_billed():
    CircuitFactory(created_at=at(2026, 3, 1, 0), deleted_at=at(2026, 3, 31))
    _, series = monthly_accrued(as_of=date(2026, 4, 10))
    # Waiting for 30 days, idle on the 31st (its deletion day): the category of each day, never "deleted".
    assert "deleted" not in series
    assert (series["waiting"][-2:], series["idle"][-2:]) == (
        [Decimal("421.94"), Decimal("0.00")],
        [Decimal("14.06"), Decimal("0.00")],
    )


def test_wasting_circuits_are_ordered_by_money_wasted():
    older = CircuitFactory(created_at=at(2026, 1, 1))
    newer = CircuitFactory(created_at=at(2026, 2, 1))
    CircuitFactory(created_at=at(2026, 1, 1), sku_tier="Premium")
    CircuitFactory(created_at=at(2026, 3, 20))
    names = [c.name for c in wasting_circuits(as_of=date(2026, 3, 31))]
    assert names[:2] == [older.name, newer.name] and len(names) == 3


def test_circuit_billing_defaults_to_today():
    circuit = CircuitFactory(created_at=at(2026, 3, 1))
    with time_machine.travel(at(2026, 3, 31), tick=False):
        billing = circuit_billing(circuit)
    assert (billing.category, billing.accrued, billing.days_wasted) == ("idle", Decimal("436.00"), 1)
    assert billing.saving_per_year == Decimal("5232.00")


def test_an_express_route_direct_circuit_is_billed_by_direct_prices_only():
    direct = CircuitFactory(created_at=at(2026, 3, 1), express_route_direct=True, bandwidth_mbps=1000)
    assert figures(direct, date(2026, 3, 31)).monthly_fee is None  # the provider circuit's price is not its price
    PortPriceFactory(express_route_direct=True, monthly_fee=Decimal("5000.00"), valid_from=date(2026, 1, 1))
    assert figures(direct, date(2026, 3, 31)).monthly_fee == Decimal("5000.00")
    provider = CircuitFactory(created_at=at(2026, 3, 1), bandwidth_mbps=1000)
    assert figures(provider, date(2026, 3, 31)).monthly_fee == Decimal("436.00")
