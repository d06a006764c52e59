"""Stuck detection learns: past the group's p90 of Provisioning, the configured threshold as the floor."""

from datetime import timedelta

import pytest
import time_machine

from circuits import services
from insights.selectors import learned_stuck_rule, stuck_threshold_for
from insights.services import insights_refresh
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory

from .factories import play

pytestmark = pytest.mark.django_db


@pytest.fixture
def learned(equinix, amsterdam, now):
    """Equinix Amsterdam has provisioned eight circuits in 4 to 11 days."""
    for index, days in enumerate((4, 5, 5, 6, 7, 8, 10, 11)):
        play(
            CircuitFactory(service_provider=equinix, peering_location=amsterdam),
            now - timedelta(days=90 - index),
            [1, days, 1, 1],
        )
    with time_machine.travel(now, tick=False):
        insights_refresh()


def _provisioning(provider, since, **kwargs):
    return CircuitFactory(
        service_provider=provider, service_provider_provisioning_state="Provisioning", state_changed_at=since, **kwargs
    )


def test_the_threshold_is_the_group_p90_and_the_reason_names_it(learned, equinix, amsterdam, now):
    circuit = _provisioning(equinix, now - timedelta(days=19), peering_location=amsterdam)
    threshold, reason = stuck_threshold_for(circuit, now=now)
    assert threshold == timedelta(days=11)  # 8 stays: the p90 is the slowest
    assert reason == "Provisioning for 19 days; Equinix Amsterdam (1 to 5 Gbps) usually takes 4–11 days."


def test_a_circuit_past_the_learned_p90_is_flagged_before_the_configured_threshold(learned, equinix, amsterdam, now):
    late = _provisioning(equinix, now - timedelta(days=11, hours=1), peering_location=amsterdam)
    usual = _provisioning(equinix, now - timedelta(days=10), peering_location=amsterdam)
    assert equinix.stuck_after_business_days == 10  # 10 business days: 14 calendar days
    assert services.circuits_flag_stuck(now=now, rule=learned_stuck_rule()) == 1
    late.refresh_from_db()
    usual.refresh_from_db()
    assert (late.is_stuck, usual.is_stuck) == (True, False)
    assert late.audit_events.get(field="is_stuck").reason.startswith("Provisioning for 11 days; Equinix Amsterdam")


def test_too_little_history_falls_back_to_the_configured_business_days(learned, amsterdam, now):
    newcomer = ServiceProviderFactory(name="Newcomer", peering_locations=[amsterdam], stuck_after_business_days=3)
    circuit = _provisioning(newcomer, now - timedelta(days=6), peering_location=amsterdam)
    threshold, reason = stuck_threshold_for(circuit, now=now)
    assert now - circuit.state_changed_at >= threshold
    assert "Newcomer takes up to 3 (configured: too little history to learn from)" in reason
