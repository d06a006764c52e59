"""transition(): the one mechanism every state change goes through."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import audit_batch, audit_refusable, events_recorded
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


@pytest.fixture
def received():
    """What receivers of events_recorded got: per sending, each event's (pk, field)."""
    received = []

    def receiver(sender, events, **kwargs):
        received.append([(event.pk, event.field) for event in events])

    events_recorded.connect(receiver)
    yield received
    events_recorded.disconnect(receiver)


def _refused_after_its_event(circuit):
    transition(obj=circuit, field="circuit_provisioning_state", to="Disabled", actor=SIMULATOR)
    raise DomainError("refused after its event was recorded")


def test_a_batch_hands_its_events_to_receivers_once_without_those_rolled_back(received):
    circuit = CircuitFactory()
    with transaction.atomic(), audit_batch():
        transition(obj=circuit, field="provisioning_state", to="Updating", actor=SIMULATOR)
        with pytest.raises(DomainError), transaction.atomic():
            _refused_after_its_event(circuit)
        assert received == []  # nothing before the batch ends
    transition(obj=circuit, field="provisioning_state", to="Succeeded", actor=SIMULATOR)

    assert [[field for _, field in events] for events in received] == [["provisioning_state"], ["provisioning_state"]]


def test_a_deferred_batch_writes_its_events_at_its_end_by_one_insert_in_order(received):
    circuit = CircuitFactory()
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), audit_batch(deferred=True):
        for to in ("Updating", "Succeeded"):
            transition(obj=circuit, field="provisioning_state", to=to, actor=SIMULATOR, locked=True)
        with pytest.raises(DomainError), audit_refusable(), transaction.atomic():
            _refused_after_its_event(Circuit.objects.get(pk=circuit.pk))
        assert not AuditEvent.objects.exists()

    assert sum(query["sql"].startswith('INSERT INTO "audit_auditevent"') for query in queries) == 1
    ((first, updating), (second, succeeded)) = received[0]
    assert (updating, succeeded, first < second) == ("provisioning_state", "provisioning_state", True)
    assert list(AuditEvent.objects.order_by("pk").values_list("to_value", flat=True)) == ["Updating", "Succeeded"]


def test_lock_hands_back_the_held_instance_of_a_row_and_reads_any_other():
    held, other = CircuitFactory.create_batch(2)
    with transaction.atomic():
        with rows_held([held]):
            assert lock(Circuit(pk=held.pk)) is held
            assert lock(other) is not other
            rows_forget()
            assert lock(held) is not held
        assert lock(held) is not held
