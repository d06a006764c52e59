"""Stays read from the audit log by window functions: entered → left, per step and per provider state."""

from datetime import timedelta

import pytest

from insights.durations import state_stays, step_stays
from peerings.models import BgpSession
from tests.circuits.factories import CircuitFactory

from .factories import STATE, event, play

pytestmark = pytest.mark.django_db


def _steps(circuit):
    return [(s["name"], s["entered_at"], s["left_at"], s["finished"]) for s in step_stays([circuit.pk])]


def test_each_step_is_a_stay_from_entering_to_leaving(equinix, now):
    start = now - timedelta(days=30)
    circuit = play(CircuitFactory(service_provider=equinix), start, [2, 5, 1, 3])
    day = timedelta(days=1)
    assert _steps(circuit) == [
        ("2", start, start + 2 * day, True),
        ("3", start + 2 * day, start + 7 * day, True),
        ("4", start + 7 * day, start + 8 * day, True),
        ("5", start + 8 * day, start + 11 * day, True),
        ("6", start + 11 * day, None, False),
    ]


def test_a_circuit_still_in_a_step_has_an_open_stay(equinix, now):
    circuit = play(CircuitFactory(service_provider=equinix), now - timedelta(days=10), [2])
    assert _steps(circuit)[-1][0] == "3"
    assert _steps(circuit)[-1][2:] == (None, False)


def test_a_deleted_circuit_s_last_stay_ends_unfinished(equinix, now):
    circuit = play(CircuitFactory(service_provider=equinix), now - timedelta(days=10), [2], deleted_after=6)
    name, _, left_at, finished = _steps(circuit)[-1]
    assert (name, left_at, finished) == ("3", now - timedelta(days=4), False)


def test_a_step_entered_twice_counts_twice(equinix, now):
    start = now - timedelta(days=20)
    circuit = play(CircuitFactory(service_provider=equinix), start, [1, 3])  # Provisioning, Provisioned
    event(circuit, start + timedelta(days=6), type(circuit), STATE, "Deprovisioning")
    event(circuit, start + timedelta(days=7), type(circuit), STATE, "NotProvisioned")
    event(circuit, start + timedelta(days=9), type(circuit), STATE, "Provisioning")
    names = [(name, finished) for name, _, _, finished in _steps(circuit)]
    # Step 4 was left backwards (deprovisioned): not finished, censored where it ended.
    assert names == [("2", True), ("3", True), ("4", False), ("3", False), ("2", True), ("3", False)]


def test_events_in_the_same_step_make_one_stay(equinix, now):
    start = now - timedelta(days=20)
    circuit = play(CircuitFactory(service_provider=equinix), start, [1, 1, 1])
    # A second BGP session coming up does not start step 5 again.
    event(circuit, start + timedelta(days=4), BgpSession, "state", "Established")
    assert [name for name, *_ in _steps(circuit)] == ["2", "3", "4", "5"]
    assert _steps(circuit)[-1][1] == start + timedelta(days=3)


def test_onboarding_ends_the_steps_until_deletion(equinix, now):
    start = now - timedelta(days=40)
    circuit = play(CircuitFactory(service_provider=equinix), start, [1, 1, 1, 1], deleted_after=30)
    event(circuit, start + timedelta(days=20), type(circuit), STATE, "Deprovisioning")
    assert [name for name, *_ in _steps(circuit)] == ["2", "3", "4", "5", "6"]
    assert _steps(circuit)[-1][2] == start + timedelta(days=30)


def test_each_provider_state_is_a_stay_and_re_entry_counts_twice(equinix, now):
    start = now - timedelta(days=20)
    circuit = play(CircuitFactory(service_provider=equinix), start, [1, 3])
    event(circuit, start + timedelta(days=6), type(circuit), STATE, "Deprovisioning")
    event(circuit, start + timedelta(days=7), type(circuit), STATE, "NotProvisioned")
    stays = [(s["name"], s["left_at"] is None, s["finished"]) for s in state_stays([circuit.pk])]
    assert stays == [
        ("NotProvisioned", False, True),
        ("Provisioning", False, True),
        ("Provisioned", False, True),
        ("Deprovisioning", False, True),
        ("NotProvisioned", True, False),
    ]
