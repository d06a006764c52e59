"""transition(): the one mechanism every state change goes through."""

import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_batch, events_recorded
from audit.statemachine import lock, rows_forget, rows_held, transition
from circuits.models import Circuit
from core.actors import SIMULATOR
from core.errors import DomainError, full_clean_or_refuse
from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import PeeringFactory

pytestmark = pytest.mark.django_db

ALLOWED = {"NotProvisioned": {"Provisioning"}, "Provisioning": {"Provisioned", "NotProvisioned"}}


def test_refusal_says_where_the_object_can_go_instead():
    circuit = CircuitFactory()

    with pytest.raises(DomainError, match="from NotProvisioned it can go to Provisioning") as refusal:
        transition(
            obj=circuit, field="service_provider_provisioning_state", to="Provisioned", actor=SIMULATOR, allowed=ALLOWED
        )

    assert (refusal.value.field, refusal.value.code) == ("service_provider_provisioning_state", "invalid_transition")


def test_object_without_a_circuit_needs_one_named_before_anything_is_written():
    session = PeeringFactory().bgp_sessions.first()

    with pytest.raises(TypeError, match="circuit_id"), transaction.atomic():
        transition(obj=session, field="state", to="Active", actor=SIMULATOR)

    session.refresh_from_db()
    assert session.state == "Idle"
    assert not AuditEvent.objects.exists()


def test_child_object_event_lands_on_its_circuit_and_bumps_its_version():
    peering = PeeringFactory()
    version = peering.circuit.version

    _, event = transition(obj=peering, field="state", to="Disabled", actor=SIMULATOR)

    assert event.circuit_id == peering.circuit_id
    assert Circuit.objects.get(pk=peering.circuit_id).version == version + 1


def test_full_clean_or_refuse_names_the_field():
    circuit = CircuitFactory()
    circuit.name = "x" * 81

    with pytest.raises(DomainError) as refusal:
        full_clean_or_refuse(circuit)

    assert refusal.value.field == "name"


def test_a_batch_hands_its_events_to_receivers_once_without_those_rolled_back():
    circuit = CircuitFactory()
    received = []

    def receiver(sender, events, **kwargs):
        received.append([event.field for event in events])

    events_recorded.connect(receiver)
    try:
        with transaction.atomic(), audit_batch():
            transition(obj=circuit, field="provisioning_state", to="Updating", actor=SIMULATOR)
            with pytest.raises(DomainError), transaction.atomic():
                transition(obj=circuit, field="circuit_provisioning_state", to="Disabled", actor=SIMULATOR)
                raise DomainError("refused after its event was written")
            assert received == []  # nothing before the batch ends
        transition(obj=circuit, field="provisioning_state", to="Succeeded", actor=SIMULATOR)
    finally:
        events_recorded.disconnect(receiver)

    assert received == [["provisioning_state"], ["provisioning_state"]]


def test_lock_hands_back_the_held_instance_of_a_row_and_reads_any_other():
    held, other = CircuitFactory.create_batch(2)
    with transaction.atomic():
        with rows_held([held]):
            assert lock(Circuit(pk=held.pk)) is held
            assert lock(other) is not other
            rows_forget()
            assert lock(held) is not held
        assert lock(held) is not held
