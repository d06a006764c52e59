"""Azure Event Grid events on /hooks/azure/: handshakes, authentication, a check queued per circuit."""

import json
import uuid

import pytest
from django.urls import reverse

from outbox.models import OutboxMessage
from tests.circuits.factories import CircuitFactory
from webhooks.models import InboundTally

pytestmark = pytest.mark.django_db
KEY = {"HTTP_X_ONRAMP_EVENT_KEY": "test-eventgrid-key"}


def url(**query):
    return reverse("azure_events") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def event_grid(resource, event_type="Microsoft.Resources.ResourceWriteSuccess"):
    """The published Event Grid schema sample for a subscription's resource events."""
    return {
        "subject": resource,
        "eventType": event_type,
        "eventTime": "2026-12-02T09:00:00.6117357Z",
        "id": str(uuid.uuid4()),
        "data": {
            "resourceProvider": "Microsoft.Network",
            "resourceUri": resource,
            "operationName": "Microsoft.Network/expressRouteCircuits/write",
            "status": "Succeeded",
        },
        "dataVersion": "2",
        "metadataVersion": "1",
        "topic": resource.split("/resourceGroups/")[0],
    }


def cloud_event(resource, event_type="Microsoft.Resources.ResourceWriteSuccess"):
    return {
        "specversion": "1.0",
        "type": event_type,
        "source": resource.split("/resourceGroups/")[0],
        "subject": resource,
        "id": str(uuid.uuid4()),
        "time": "2026-12-02T09:00:00Z",
        "data": {"resourceUri": resource, "status": "Succeeded"},
    }


def post(client, body, **headers):
    return client.post(url(), json.dumps(body), content_type="application/json", **{**KEY, **headers})


def checks_queued():
    return [message.args[0] for message in OutboxMessage.objects.filter(task="circuits.check_circuit")]


def tallies():
    return dict(InboundTally.objects.values_list("outcome", "count"))


def test_event_grid_subscription_validation_is_answered_with_its_code(client):
    validation = {
        "id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
        "topic": "/subscriptions/00000000-0000-0000-0000-000000000000",
        "subject": "",
        "data": {"validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6"},
        "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
        "eventTime": "2026-12-02T09:00:00Z",
        "metadataVersion": "1",
        "dataVersion": "1",
    }
    response = post(client, [validation], HTTP_AEG_EVENT_TYPE="SubscriptionValidation")
    assert response.json() == {"validationResponse": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}


def test_cloudevents_abuse_protection_handshake_allows_the_origin(client):
    response = client.options(url(code="test-eventgrid-key"), HTTP_WEBHOOK_REQUEST_ORIGIN="eventgrid.azure.net")
    assert response.status_code == 200
    assert response["WebHook-Allowed-Origin"] == "eventgrid.azure.net"


@pytest.mark.parametrize("key", [None, "wrong"])
def test_events_without_the_shared_key_are_refused(client, key):
    headers = {"HTTP_X_ONRAMP_EVENT_KEY": key} if key else {}
    response = client.post(url(), "[]", content_type="application/json", **headers)
    assert response.status_code == 401


def test_the_key_may_come_in_the_query_string(client):
    assert client.post(url(code="test-eventgrid-key"), "[]", content_type="application/json").status_code == 200


def test_a_write_event_queues_a_check_of_its_circuit(client):
    circuit = CircuitFactory()
    post(client, [event_grid(circuit.azure_resource_id)])
    assert checks_queued() == [circuit.pk]


@pytest.mark.parametrize("schema", [event_grid, cloud_event])
def test_both_schemas_and_child_resources_and_any_case_match_the_circuit(client, schema):
    circuit = CircuitFactory()
    peering = circuit.azure_resource_id.upper() + "/peerings/AzurePrivatePeering"
    post(client, schema(peering, "Microsoft.Resources.ResourceDeleteSuccess"))
    assert checks_queued() == [circuit.pk]


def test_a_flood_for_one_circuit_queues_one_check(client):
    circuit = CircuitFactory()
    for _ in range(3):
        post(client, [event_grid(circuit.azure_resource_id)] * 5)
    assert checks_queued() == [circuit.pk]
    assert tallies() == {"matched": 1, "coalesced": 14}


def test_unknown_resources_are_ignored_and_counted(client):
    resource = (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
        "/providers/Microsoft.Network/expressRouteCircuits/nope"
    )
    web_app = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/a"
    response = post(client, [event_grid(resource), event_grid(web_app)])
    assert response.status_code == 200
    assert checks_queued() == []
    assert tallies() == {"unknown": 2}


def test_bad_json_is_a_400(client):
    assert client.post(url(), "{not json", content_type="application/json", **KEY).status_code == 400
