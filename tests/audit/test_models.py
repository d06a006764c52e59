"""The audit log is append-only: events are written once and never changed or removed."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from audit.models import AuditEvent
from circuits import services
from core.actors import SIMULATOR
from tests.circuits.factories import CircuitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    circuit = CircuitFactory()
    return services.circuit_set_provider_state(circuit=circuit, to="Provisioning", actor=SIMULATOR).audit_events.get()


def test_event_records_object_field_from_to_actor_and_reason(event):
    assert (event.object_repr, event.field, event.from_value, event.to_value) == (
        event.circuit.name,
        "service_provider_provisioning_state",
        "NotProvisioned",
        "Provisioning",
    )
    assert (event.actor_kind, event.actor_display, event.object_id) == ("simulator", "simulator", event.circuit_id)
    assert str(event) == f"{event.circuit.name}.service_provider_provisioning_state: NotProvisioned → Provisioning"


def test_event_cannot_be_saved_again(event):
    event.to_value = "Provisioned"

    with pytest.raises(TypeError, match="append-only"):
        event.save()


def test_event_cannot_be_deleted(event):
    with pytest.raises(TypeError, match="append-only"):
        event.delete()


@pytest.mark.parametrize(
    "change",
    [
        lambda events: events.update(to_value="Provisioned"),
        lambda events: events.delete(),
        lambda events: AuditEvent.objects.bulk_update(list(events), ["to_value"]),
    ],
    ids=["update", "delete", "bulk_update"],
)
def test_events_cannot_be_changed_in_bulk(event, change):
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        change(AuditEvent.objects.filter(pk=event.pk))

    assert AuditEvent.objects.get(pk=event.pk).to_value == "Provisioning"


def test_events_cannot_be_changed_through_their_circuit(event):
    with pytest.raises(TypeError, match="append-only"):
        event.circuit.audit_events.update(reason="rewritten")


def test_circuit_with_events_cannot_be_removed_from_the_database(event):
    with pytest.raises(ProtectedError):
        event.circuit.delete()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s", "DELETE FROM audit_auditevent WHERE id = %s"],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_events_behind_the_orm(event, statement):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).reason == event.reason


def test_the_database_still_takes_new_events(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (created_at, circuit_id, object_type_id, object_id, object_repr, field,"
            " from_value, to_value, actor_kind, reason) SELECT now(), circuit_id, object_type_id, object_id,"
            " object_repr, field, to_value, from_value, actor_kind, reason FROM audit_auditevent WHERE id = %s",
            [event.pk],
        )
    assert AuditEvent.objects.filter(circuit=event.circuit).count() == 2
