"""A circuit's provider lifecycle, its deprovision request and its deletion: every allowed change writes
one audit event, every refused one writes nothing (the `refused` fixture checks)."""

import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from circuits import services
from circuits.models import Circuit
from core.actors import AZURE, IMPORTER, SIMULATOR, Actor
from core.errors import DomainError
from tests.circuits.factories import (
    AuthorizationFactory,
    CircuitFactory,
    VNetLinkFactory,
    deleted_circuit,
)
from tests.peerings.factories import PeeringFactory
from tests.support.audit import assert_event
from tests.support.domain_tables import PROVIDER_STATES

pytestmark = pytest.mark.django_db


# docs/DOMAIN.md's provider lifecycle, written out independently of the services' table.
PROVIDER_LIFECYCLE = {
    ("NotProvisioned", "Provisioning"),  # the provider starts (also: re-order after deprovisioning)
    ("Provisioning", "Provisioned"),
    ("Provisioning", "NotProvisioned"),  # the provider gives up on the order
    ("Provisioned", "Deprovisioning"),
    ("Deprovisioning", "NotProvisioned"),
    ("Deprovisioning", "DeProvisioned"),  # newer SDKs
    ("DeProvisioned", "NotProvisioned"),
    ("DeProvisioned", "Provisioning"),  # re-order
}
STATE_PAIRS = [pair for pair in itertools.product(PROVIDER_STATES, repeat=2) if pair[0] != pair[1]]


@pytest.fixture(params=["person", "simulator"])
def enforced_actor(request, engineer):
    """People and the simulator are held to the lifecycle."""
    return Actor.person(engineer) if request.param == "person" else SIMULATOR


# Provider state ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("from_state", "to_state"), sorted(PROVIDER_LIFECYCLE))
def test_provider_state_moves_along_the_lifecycle_with_one_audit_event(audited, enforced_actor, from_state, to_state):
    circuit = CircuitFactory(service_provider_provisioning_state=from_state)

    updated, event = audited(
        services.circuit_set_provider_state, circuit=circuit, to=to_state, actor=enforced_actor, reason="noc"
    )

    assert updated.service_provider_provisioning_state == to_state
    assert updated.version == circuit.version + 1
    assert_event(
        event,
        circuit=circuit,
        field="service_provider_provisioning_state",
        from_value=from_state,
        to_value=to_state,
        actor=enforced_actor,
    )
    assert event.reason == "noc"


@pytest.mark.parametrize(("from_state", "to_state"), sorted(set(STATE_PAIRS) - PROVIDER_LIFECYCLE))
def test_provider_state_refuses_moves_outside_the_lifecycle(refused, enforced_actor, from_state, to_state):
    circuit = CircuitFactory(service_provider_provisioning_state=from_state)

    error = refused(services.circuit_set_provider_state, circuit=circuit, to=to_state, actor=enforced_actor)

    assert error.field == "service_provider_provisioning_state"


@pytest.mark.parametrize("observer", [AZURE, IMPORTER], ids=["azure", "import"])
@pytest.mark.parametrize(("from_state", "to_state"), [("NotProvisioned", "Provisioned"), ("Provisioned", "Weird")])
def test_provider_state_reported_by_azure_or_an_import_is_recorded_not_refused(audited, observer, from_state, to_state):
    circuit = CircuitFactory(service_provider_provisioning_state=from_state)

    updated, event = audited(services.circuit_set_provider_state, circuit=circuit, to=to_state, actor=observer)

    assert updated.service_provider_provisioning_state == to_state
    assert (event.actor_kind, event.actor_user) == (observer.kind, None)


def test_provider_state_reapplied_is_a_no_op_without_audit_event(audited):
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")

    updated, _ = audited(
        services.circuit_set_provider_state, circuit=circuit, to="Provisioning", actor=SIMULATOR, events=0
    )

    assert updated.version == circuit.version


@pytest.mark.parametrize("to_state", ["NotProvisioned", "DeProvisioned"])
def test_provider_finishing_deprovisioning_stamps_deprovisioned_at(to_state):
    circuit = CircuitFactory(
        service_provider_provisioning_state="Deprovisioning", deprovision_requested_at=timezone.now()
    )

    updated = services.circuit_set_provider_state(circuit=circuit, to=to_state, actor=SIMULATOR)

    assert updated.deprovisioned_at is not None
    assert updated.deprovision_requested_at is None


def test_azure_reporting_deprovisioned_straight_from_provisioned_stamps_deprovisioned_at():
    circuit = CircuitFactory(provisioned=True)

    updated = services.circuit_set_provider_state(circuit=circuit, to="DeProvisioned", actor=AZURE)

    assert updated.deprovisioned_at is not None


@pytest.mark.parametrize("deprovisioned_state", ["NotProvisioned", "DeProvisioned"])
def test_reorder_after_deprovisioning_clears_deprovisioned_at(audited, deprovisioned_state):
    circuit = CircuitFactory(service_provider_provisioning_state=deprovisioned_state, deprovisioned_at=timezone.now())

    updated, event = audited(services.circuit_set_provider_state, circuit=circuit, to="Provisioning", actor=SIMULATOR)

    assert updated.deprovisioned_at is None
    assert (event.from_value, event.to_value) == (deprovisioned_state, "Provisioning")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(["person", "simulator", "azure"]), st.sampled_from(PROVIDER_STATES)), max_size=8
    )
)
@example(moves=[("azure", "Provisioned"), ("azure", "DeProvisioned"), ("azure", "Provisioned")])
def test_any_sequence_of_provider_reports_keeps_state_audit_and_deprovisioned_date_consistent(engineer, moves):
    actors = {"person": Actor.person(engineer), "simulator": SIMULATOR, "azure": AZURE}
    circuit = CircuitFactory()
    for actor_name, to_state in moves:
        before = Circuit.objects.get(pk=circuit.pk)
        events_before = circuit.audit_events.count()
        observed = actor_name == "azure"
        moving = (before.service_provider_provisioning_state, to_state)
        try:
            after = services.circuit_set_provider_state(circuit=circuit, to=to_state, actor=actors[actor_name])
        except DomainError:
            assert not observed and moving not in PROVIDER_LIFECYCLE
            assert Circuit.objects.get(pk=circuit.pk).version == before.version
            assert circuit.audit_events.count() == events_before
            continue
        assert observed or moving in PROVIDER_LIFECYCLE or moving[0] == moving[1]
        assert circuit.audit_events.count() == events_before + (moving[0] != moving[1])
        state = after.service_provider_provisioning_state
        if state in ("Provisioning", "Provisioned"):
            assert after.deprovisioned_at is None
        if state == "DeProvisioned" or (state == "NotProvisioned" and moving[0] in ("Provisioned", "Deprovisioning")):
            assert after.deprovisioned_at is not None


def test_provider_state_of_a_deleted_circuit_is_refused(refused):
    circuit = deleted_circuit()

    refused(services.circuit_set_provider_state, circuit=circuit, to="Provisioning", actor=SIMULATOR)


@pytest.mark.parametrize(
    ("field", "to_value"), [("circuit_provisioning_state", "Disabled"), ("provisioning_state", "Failed")]
)
def test_microsoft_status_and_arm_state_are_recorded_as_observed(audited, field, to_value):
    circuit = CircuitFactory(provisioned=True)

    updated, event = audited(services.circuit_set_status, circuit=circuit, field=field, to=to_value, actor=AZURE)

    assert getattr(updated, field) == to_value
    assert (event.field, event.to_value, event.circuit_id) == (field, to_value, circuit.pk)


# Deprovision request ----------------------------------------------------------------------------


def test_deprovision_request_on_a_provisioned_circuit_is_recorded(audited, engineer_actor):
    circuit = CircuitFactory(provisioned=True)

    updated, event = audited(services.circuit_request_deprovision, circuit=circuit, actor=engineer_actor)

    assert updated.deprovision_requested_at is not None
    assert_event(
        event, circuit=circuit, field="deprovision_requested", from_value="", to_value="yes", actor=engineer_actor
    )


@pytest.mark.parametrize("state", [s for s in PROVIDER_STATES if s != "Provisioned"])
def test_deprovision_request_needs_a_provisioned_circuit(refused, engineer_actor, state):
    circuit = CircuitFactory(service_provider_provisioning_state=state)

    refused(services.circuit_request_deprovision, circuit=circuit, actor=engineer_actor, match="Only a Provisioned")


def test_deprovision_request_is_refused_twice(refused, engineer_actor):
    circuit = CircuitFactory(provisioned=True, deprovision_requested_at=timezone.now())

    refused(services.circuit_request_deprovision, circuit=circuit, actor=engineer_actor, match="already requested")


def test_deprovision_request_is_refused_while_vnet_links_exist(refused, engineer_actor):
    link = VNetLinkFactory()

    refused(services.circuit_request_deprovision, circuit=link.circuit, actor=engineer_actor, match="VNet links")


# Delete -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["NotProvisioned", "Deprovisioning", "DeProvisioned"])
def test_delete_keeps_the_row_and_records_who_deleted(audited, engineer_actor, state):
    circuit = CircuitFactory(service_provider_provisioning_state=state)

    deleted, event = audited(services.circuit_delete, circuit=circuit, actor=engineer_actor)

    assert Circuit.objects.get(pk=circuit.pk).deleted_at == deleted.deleted_at
    assert_event(
        event,
        circuit=circuit,
        field="deleted",
        from_value="",
        to_value=deleted.deleted_at.isoformat(),
        actor=engineer_actor,
    )


@pytest.mark.parametrize("state", ["Provisioning", "Provisioned"])
def test_delete_is_refused_until_the_provider_deprovisions(refused, engineer_actor, state):
    circuit = CircuitFactory(service_provider_provisioning_state=state)

    error = refused(services.circuit_delete, circuit=circuit, actor=engineer_actor, match="deprovision first")

    assert "bills until the circuit is deleted" in error.message
    assert error.code == "conflict"


def test_delete_is_refused_while_vnet_links_exist(refused, engineer_actor):
    link = VNetLinkFactory(circuit=CircuitFactory())

    refused(services.circuit_delete, circuit=link.circuit, actor=engineer_actor, match="VNet links")


def test_delete_is_refused_while_authorizations_exist(refused, engineer_actor):
    authorization = AuthorizationFactory()

    refused(services.circuit_delete, circuit=authorization.circuit, actor=engineer_actor, match="authorizations")


def test_delete_is_refused_while_a_route_filter_is_attached(refused, engineer_actor):
    peering = PeeringFactory(microsoft=True, circuit=CircuitFactory())

    refused(services.circuit_delete, circuit=peering.circuit, actor=engineer_actor, match="route filter")


def test_delete_is_refused_while_global_reach_is_enabled(refused, engineer_actor):
    circuit = CircuitFactory(global_reach_enabled=True)

    refused(services.circuit_delete, circuit=circuit, actor=engineer_actor, match="Global Reach")


def test_delete_is_refused_twice(refused, engineer_actor):
    circuit = deleted_circuit()

    refused(services.circuit_delete, circuit=circuit, actor=engineer_actor, match="was deleted")
