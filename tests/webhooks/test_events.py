"""Which changes become webhook events, for whom, in the change's own transaction."""

import json

import pytest
from django.db import transaction

from audit.statemachine import transition
from circuits import services as circuit_services
from core.actors import AZURE, SYSTEM
from outbox.models import OutboxMessage
from peerings import services as peering_services
from tests.accounts.factories import TeamFactory
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory
from tests.peerings.factories import PeeringFactory
from webhooks.models import Delivery, WebhookEvent
from webhooks.services import endpoint_create
from webhooks.tasks import billing_idle_check

from .factories import EndpointFactory

pytestmark = pytest.mark.django_db


def provider_provisions(circuit):
    return circuit_services.circuit_set_provider_state(circuit=circuit, to="Provisioning", actor=AZURE)


def test_a_change_creates_one_delivery_per_listening_endpoint_queued_through_the_outbox(team):
    first, second = EndpointFactory(teams=[team]), EndpointFactory(teams=[team])
    circuit = CircuitFactory(team=team)
    provider_provisions(circuit)
    event = WebhookEvent.objects.get()
    assert event.type == "circuit.provider_state_changed"
    assert {delivery.endpoint for delivery in event.deliveries.all()} == {first, second}
    queued = OutboxMessage.objects.filter(task="webhooks.deliver")
    assert sorted(message.args[0] for message in queued) == sorted(event.deliveries.values_list("pk", flat=True))


def test_the_payload_names_the_circuit_and_the_change_and_never_the_service_key(team):
    EndpointFactory(teams=[team], event_types=["circuit.created", "circuit.provider_state_changed"])
    circuit = CircuitFactory(team=team)
    provider_provisions(circuit)
    payload = json.loads(WebhookEvent.objects.get().body)
    assert payload["type"] == "circuit.provider_state_changed"
    assert payload["data"]["circuit"]["resource_id"] == circuit.azure_resource_id
    assert payload["data"]["change"]["from"] == "NotProvisioned"
    assert payload["data"]["change"]["to"] == "Provisioning"
    assert str(circuit.service_key) not in WebhookEvent.objects.get().body


def test_nothing_is_recorded_when_no_endpoint_listens(team):
    EndpointFactory(teams=[team], event_types=["circuit.deleted"])
    provider_provisions(CircuitFactory(team=team))
    assert not WebhookEvent.objects.exists()


def test_another_teams_endpoint_hears_nothing(team):
    EndpointFactory(teams=[TeamFactory(name="Other")])
    provider_provisions(CircuitFactory(team=team))
    assert not Delivery.objects.exists()


def test_a_disabled_endpoint_hears_nothing(team):
    EndpointFactory(teams=[team], is_active=False)
    provider_provisions(CircuitFactory(team=team))
    assert not Delivery.objects.exists()


def test_a_rolled_back_change_leaves_no_event_and_queues_nothing(team):
    EndpointFactory(teams=[team])
    circuit = CircuitFactory(team=team)
    with pytest.raises(RuntimeError), transaction.atomic():
        provider_provisions(circuit)
        raise RuntimeError("the service failed after the transition")
    assert not WebhookEvent.objects.exists()
    assert not OutboxMessage.objects.filter(task="webhooks.deliver").exists()


def test_bgp_session_going_down_is_its_own_event(team):
    EndpointFactory(teams=[team], event_types=["bgp_session.up", "bgp_session.down"])
    session = PeeringFactory(circuit=CircuitFactory(team=team, provisioned=True)).bgp_sessions.first()
    peering_services.bgp_session_set_state(session=session, to="Established", actor=AZURE)
    peering_services.bgp_session_set_state(session=session, to="Idle", actor=AZURE)
    assert list(WebhookEvent.objects.order_by("pk").values_list("type", flat=True)) == [
        "bgp_session.up",
        "bgp_session.down",
    ]


def test_a_completed_onboarding_step_is_derived_from_the_change(team):
    circuit = CircuitFactory(team=team, service_provider_provisioning_state="Provisioning")
    endpoint_create(name="steps", url="http://127.0.0.1:9/", teams=[team], event_types=["circuit.step_completed"])
    circuit_services.circuit_set_provider_state(circuit=circuit, to="Provisioned", actor=AZURE)
    steps = [json.loads(event.body)["data"]["step"]["number"] for event in WebhookEvent.objects.order_by("pk")]
    assert steps == [3]  # step 3 (Verify provisioning) done: the circuit is at step 4 now


def test_billing_orphaned_follows_deprovisioning(team):
    EndpointFactory(teams=[team], event_types=["billing.orphaned"])
    circuit = CircuitFactory(team=team, provisioned=True)
    circuit_services.circuit_set_provider_state(circuit=circuit, to="Deprovisioning", actor=AZURE)
    assert WebhookEvent.objects.get().type == "billing.orphaned"


def test_billing_idle_is_found_by_the_periodic_check_once_per_circuit(team, settings):
    settings.BILLING_IDLE_AFTER_DAYS = 0
    EndpointFactory(teams=[team], event_types=["billing.idle"])
    CircuitFactory(team=team)
    assert billing_idle_check() == 1
    assert billing_idle_check() == 0
    assert WebhookEvent.objects.get().type == "billing.idle"


def test_circuit_stuck_is_an_event(team):
    EndpointFactory(teams=[team], event_types=["circuit.stuck"])
    circuit = CircuitFactory(team=team)
    with transaction.atomic():
        transition(obj=circuit, field="is_stuck", to=True, actor=SYSTEM, reason="10 business days.")
    assert WebhookEvent.objects.get().type == "circuit.stuck"


def test_a_new_circuit_completes_step_one(team):
    endpoint_create(name="steps", url="http://127.0.0.1:9/", teams=[team], event_types=["circuit.step_completed"])
    provider = ServiceProviderFactory()
    circuit_services.circuit_create(
        actor=SYSTEM,
        name="er-new",
        subscription_id="00000000-0000-0000-0000-000000000001",
        resource_group="rg",
        region="westeurope",
        service_provider=provider,
        peering_location=provider.peering_locations.first(),
        bandwidth_mbps=1000,
        team=team,
    )
    assert [json.loads(event.body)["data"]["step"]["title"] for event in WebhookEvent.objects.all()] == [
        "Create the circuit"
    ]
