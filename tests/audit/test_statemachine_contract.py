"""What transition() promises beyond the happy path, each found unchecked by mutation testing: the
version moves by exactly one (live pages compare it), the reason reaches the audit event, and a
refusal names every way out (or says there is none)."""

import pytest

from audit.statemachine import transition
from circuits.models import Circuit
from core.actors import SIMULATOR
from core.errors import DomainError
from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import PeeringFactory

pytestmark = pytest.mark.django_db

FIELD = "service_provider_provisioning_state"
ALLOWED = {"NotProvisioned": {"Provisioning", "Deprovisioning"}, "Provisioning": {"Provisioned"}}


def _version(circuit):
    return Circuit.objects.values_list("version", flat=True).get(pk=circuit.pk)


def test_a_circuit_transition_moves_its_version_by_exactly_one_and_returns_it():
    circuit = CircuitFactory()
    before = _version(circuit)
    locked, _ = transition(obj=circuit, field=FIELD, to="Provisioning", actor=SIMULATOR)
    assert _version(circuit) == locked.version == before + 1


def test_a_child_transition_moves_its_circuits_version_by_exactly_one():
    peering = PeeringFactory()
    before = _version(peering.circuit)
    transition(obj=peering, field="state", to="Disabled", actor=SIMULATOR)
    assert _version(peering.circuit) == before + 1


def test_the_reason_is_recorded_on_the_event_and_none_given_is_empty():
    circuit = CircuitFactory()
    _, given = transition(obj=circuit, field=FIELD, to="Provisioning", actor=SIMULATOR, reason="Provider started.")
    _, none = transition(obj=circuit, field=FIELD, to="Provisioned", actor=SIMULATOR)
    assert (given.reason, none.reason) == ("Provider started.", "")


def test_a_refusal_lists_every_allowed_next_state_in_order():
    circuit = CircuitFactory()
    with pytest.raises(DomainError) as refusal:
        transition(obj=circuit, field=FIELD, to="Provisioned", actor=SIMULATOR, allowed=ALLOWED)
    assert refusal.value.message == (
        f"{circuit} cannot go from NotProvisioned to Provisioned; "
        "from NotProvisioned it can go to Deprovisioning or Provisioning."
    )


def test_a_state_with_no_way_out_is_refused_saying_so():
    circuit = CircuitFactory(service_provider_provisioning_state="Deprovisioning")
    with pytest.raises(DomainError) as refusal:
        transition(obj=circuit, field=FIELD, to="Provisioned", actor=SIMULATOR, allowed=ALLOWED)
    assert refusal.value.message.endswith("from Deprovisioning it can go to nothing else.")


def test_an_object_without_a_circuit_is_named_in_the_error():
    session = PeeringFactory().bgp_sessions.first()
    with pytest.raises(TypeError, match="for a BgpSession: it has no circuit_id"):
        transition(obj=session, field="state", to="Active", actor=SIMULATOR)
