"""Provider orders, authorizations, VNet links and peerings of a circuit, through the pages' services."""

import pytest

from audit.models import AuditEvent
from circuits.models import Authorization
from tests.circuits.factories import AuthorizationFactory, ProviderOrderFactory, VNetLinkFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory

from .factories import problem_fields


def test_an_order_is_recorded_and_updated(api, circuit):
    response = api.post(f"/api/circuits/{circuit.pk}/orders/", {"provider_reference": "ORD-1"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "ordered"
    order = response.json()["id"]
    response = api.patch(f"/api/circuits/{circuit.pk}/orders/{order}/", {"status": "completed"}, format="json")
    assert (response.json()["status"], response.json()["provider_reference"]) == ("completed", "ORD-1")


def test_an_order_the_form_refuses_names_the_field(api, circuit):
    body = {"requested_on": "2026-05-02", "promised_on": "2026-05-01"}
    response = api.post(f"/api/circuits/{circuit.pk}/orders/", body, format="json")
    assert (response.status_code, problem_fields(response)) == (400, {"promised_on"})


def test_a_child_write_with_a_stale_if_match_is_refused(api, circuit):
    response = api.post(f"/api/circuits/{circuit.pk}/orders/", {}, format="json", HTTP_IF_MATCH='"999"')
    assert response.status_code == 412
    assert not circuit.provider_orders.exists()


def test_an_authorization_key_is_returned_once_at_creation(api, circuit):
    response = api.post(f"/api/circuits/{circuit.pk}/authorizations/", {"name": "spoke-sub"}, format="json")
    assert response.status_code == 201
    key = response.json()["authorization_key"]
    assert key and "no-store" in response["Cache-Control"]
    authorization = Authorization.objects.get(pk=response.json()["id"])
    assert key not in str(Authorization.objects.filter(pk=authorization.pk).values().get())
    again = api.get(f"/api/circuits/{circuit.pk}/authorizations/{authorization.pk}/").json()
    listed = api.get(f"/api/circuits/{circuit.pk}/authorizations/").content.decode()
    assert "authorization_key" not in again and key not in listed


def test_an_authorization_is_removed(api, circuit):
    authorization = AuthorizationFactory(circuit=circuit)
    response = api.delete(f"/api/circuits/{circuit.pk}/authorizations/{authorization.pk}/")
    assert response.status_code == 204
    assert AuditEvent.objects.filter(field="removed", actor_kind="api").exists()


def test_a_vnet_link_needs_private_peering_as_on_the_page(api, circuit):
    body = {
        "name": "hub",
        "vnet_resource_id": f"/subscriptions/{circuit.subscription_id}/resourceGroups/rg/providers/"
        "Microsoft.Network/virtualNetworks/hub",
        "gateway_name": "ergw",
    }
    assert api.post(f"/api/circuits/{circuit.pk}/links/", body, format="json").status_code == 422
    PeeringFactory(circuit=circuit)
    response = api.post(f"/api/circuits/{circuit.pk}/links/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["connection_status"] == "Connecting"


def test_a_vnet_link_is_removed(api, circuit):
    link = VNetLinkFactory(circuit=circuit)
    assert api.delete(f"/api/circuits/{circuit.pk}/links/{link.pk}/").status_code == 204
    assert not circuit.vnet_links.exists()


def test_a_peering_is_configured_with_its_bgp_sessions_and_no_md5_key(api, circuit):
    body = {
        "peering_type": "AzurePrivatePeering",
        "peer_asn": 65010,
        "vlan_id": 200,
        "primary_peer_address_prefix": "192.168.10.0/30",
        "secondary_peer_address_prefix": "192.168.10.4/30",
        "shared_key": "md5-secret-key",
    }
    response = api.post(f"/api/circuits/{circuit.pk}/peerings/", body, format="json")
    assert response.status_code == 201, response.json()
    peering = response.json()
    assert [session["link"] for session in peering["bgp_sessions"]] == ["primary", "secondary"]
    assert peering["has_shared_key"] is True
    assert "md5-secret-key" not in response.content.decode()


def test_a_duplicate_vlan_is_refused_next_to_the_field(api, circuit):
    PeeringFactory(circuit=circuit, vlan_id=200)
    body = {
        "peering_type": "MicrosoftPeering",
        "peer_asn": 65010,
        "vlan_id": 200,
        "primary_peer_address_prefix": "80.1.1.0/30",
        "secondary_peer_address_prefix": "80.1.1.4/30",
        "advertised_public_prefixes": ["80.1.2.0/24"],
        "routing_registry_name": "RIPENCC",
    }
    response = api.post(f"/api/circuits/{circuit.pk}/peerings/", body, format="json")
    assert "vlan_id" in problem_fields(response)


def test_a_microsoft_peerings_route_filter_is_set(api, circuit):
    peering = PeeringFactory(circuit=circuit, microsoft=True, route_filter="")
    url = f"/api/circuits/{circuit.pk}/peerings/{peering.pk}/"
    response = api.patch(url, {"route_filter": "rf-m365"}, format="json")
    assert response.json()["route_filter"] == "rf-m365"


@pytest.fixture
def microsoft(circuit):
    peering = PeeringFactory(circuit=circuit, microsoft=True, route_filter="", customer_asn=None)
    AdvertisedPrefixFactory(peering=peering, prefix="80.1.2.0/24")
    return peering


def peering_url(peering):
    return f"/api/circuits/{peering.circuit_id}/peerings/{peering.pk}/"


def test_a_microsoft_peerings_prefixes_are_replaced(api, microsoft):
    response = api.patch(peering_url(microsoft), {"advertised_public_prefixes": ["80.1.3.0/24"]}, format="json")
    assert response.status_code == 200, response.json()
    assert [row["prefix"] for row in response.json()["advertised_prefixes"]] == ["80.1.3.0/24"]


def test_a_customer_asn_alone_changes_and_the_prefixes_stay(api, microsoft):
    response = api.patch(peering_url(microsoft), {"customer_asn": 65020}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["customer_asn"] == 65020
    assert [row["prefix"] for row in response.json()["advertised_prefixes"]] == ["80.1.2.0/24"]


def test_a_peering_patch_naming_nothing_it_changes_is_refused(api, microsoft):
    response = api.patch(peering_url(microsoft), {"vlan_id": 301}, format="json")
    assert (response.status_code, problem_fields(response)) == (400, {"peering"})


def test_a_peering_patch_refused_in_part_changes_nothing(api, microsoft):
    body = {"route_filter": "rf-m365", "advertised_public_prefixes": ["10.0.0.0/8"]}
    response = api.patch(peering_url(microsoft), body, format="json")
    assert response.status_code in (400, 422)
    microsoft.refresh_from_db()
    assert (microsoft.route_filter, [p.prefix for p in microsoft.advertised_prefixes.all()]) == ("", ["80.1.2.0/24"])


def test_orders_of_another_circuit_are_not_found_under_this_one(api, circuit, team):
    other = ProviderOrderFactory(circuit__team=team)
    assert api.get(f"/api/circuits/{circuit.pk}/orders/{other.pk}/").status_code == 404
