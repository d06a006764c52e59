"""Hostile input to every circuit form: create, order, authorization, VNet link, upgrade, deprovision,
delete and the removals. No 500, nothing reflected raw, a refused form changes nothing."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.circuits.factories import (
    AuthorizationFactory,
    CircuitFactory,
    ProviderOrderFactory,
    ServiceProviderFactory,
    VNetLinkFactory,
)
from tests.peerings.factories import PeeringFactory
from tests.support.hostile import hostile, hostile_form, hostile_number, hostile_text

SUBSCRIPTION = "6f1c1d2e-0000-4000-8000-000000000001"
VNET_ID = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-hub"
UUIDS = st.one_of(st.uuids().map(str), hostile_text(), st.just(SUBSCRIPTION.upper() + "x"))
DATES = st.one_of(st.dates().map(str), st.sampled_from(["0000-00-00", "2026-02-30", "9999-12-31", "-1-01-01"]))


@pytest.fixture
def circuit(team):
    """Provisioned, with private peering, an order, an authorization and a link: every form applies."""
    circuit = PeeringFactory(circuit=CircuitFactory(team=team, subscription_id=SUBSCRIPTION, provisioned=True)).circuit
    ProviderOrderFactory(circuit=circuit)
    AuthorizationFactory(circuit=circuit)
    VNetLinkFactory(circuit=circuit)
    return circuit


def action_url(name, circuit, *args):
    return reverse(f"circuits:{name}", args=[circuit.pk, *args])


@hostile
@given(data=st.data())
def test_circuit_create_survives_hostile_input(engineer_client, team, hostile_request, data):
    provider = ServiceProviderFactory(name="Equinix")
    valid = {
        "name": "er-ams-prod-01",
        "team": str(team.pk),
        "subscription_id": SUBSCRIPTION,
        "resource_group": "rg-network",
        "region": "westeurope",
        "service_provider": str(provider.pk),
        "peering_location": str(provider.peering_locations.first().pk),
        "bandwidth_mbps": "1000",
        "sku_tier": "Standard",
        "sku_family": "MeteredData",
    }
    numbers = hostile_number()
    form = data.draw(
        hostile_form(
            valid,
            {
                "subscription_id": UUIDS,
                "team": numbers,
                "service_provider": numbers,
                "peering_location": numbers,
                "bandwidth_mbps": numbers,
            },
        )
    )
    hostile_request(engineer_client, "post", reverse("circuits:circuit_create"), form)


@hostile
@given(data=st.data())
def test_provider_order_survives_hostile_input(engineer_client, circuit, hostile_request, data):
    valid = {
        "status": "ordered",
        "provider_reference": "ORD-1",
        "contact_name": "Pat",
        "contact_email": "pat@example.com",
        "requested_on": "2026-01-05",
        "promised_on": "2026-01-20",
        "completed_on": "",
        "notes": "",
    }
    dates = st.one_of(DATES, hostile_text())
    form = data.draw(hostile_form(valid, {"requested_on": dates, "promised_on": dates, "completed_on": dates}))
    order = circuit.provider_orders.get()
    url = data.draw(
        st.sampled_from([action_url("order_create", circuit), action_url("order_update", circuit, order.pk)])
    )
    hostile_request(engineer_client, "post", url, form, shown_on=circuit.get_absolute_url())


@hostile
@given(name=hostile_text())
def test_authorization_create_survives_hostile_input(engineer_client, circuit, hostile_request, name):
    hostile_request(
        engineer_client, "post", action_url("authorization_create", circuit), {"name": name}, accepted=(200,)
    )


@hostile
@given(data=st.data())
def test_vnet_link_survives_hostile_input(engineer_client, circuit, hostile_request, data):
    valid = {
        "name": "link-2",
        "vnet_resource_id": VNET_ID.replace("vnet-hub", "vnet-spoke"),
        "gateway_name": "ergw",
        "authorization_key": "",
        "address_space": "10.20.0.0/16",
    }
    resource_ids = st.one_of(
        hostile_text(),
        hostile_text().map(lambda name: VNET_ID.replace("vnet-hub", name)),
        st.uuids().map(lambda sub: VNET_ID.replace(SUBSCRIPTION, str(sub))),
        st.just(VNET_ID.replace(SUBSCRIPTION, "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz")),
    )
    form = data.draw(hostile_form(valid, {"vnet_resource_id": resource_ids}))
    hostile_request(
        engineer_client, "post", action_url("vnet_link_create", circuit), form, shown_on=circuit.get_absolute_url()
    )


@hostile
@given(data=st.data())
def test_upgrade_survives_hostile_input(engineer_client, circuit, hostile_request, data):
    valid = {"sku_tier": "Standard", "sku_family": "MeteredData", "bandwidth_mbps": "2000", "reason": "growth"}
    form = data.draw(hostile_form(valid, {"bandwidth_mbps": hostile_number()}))
    hostile_request(engineer_client, "post", action_url("circuit_upgrade", circuit), form)


@hostile
@given(data=st.data(), reason=hostile_text(max_size=400))
def test_reason_forms_survive_hostile_input(engineer_client, circuit, hostile_request, data, reason):
    """Deprovision, delete and the removals take only a reason."""
    url = data.draw(
        st.sampled_from(
            [
                action_url("circuit_deprovision", circuit),
                action_url("circuit_delete", circuit),
                action_url("authorization_delete", circuit, circuit.authorizations.first().pk),
                action_url("vnet_link_delete", circuit, circuit.vnet_links.first().pk),
            ]
        )
    )
    hostile_request(engineer_client, "post", url, {"reason": reason}, shown_on=circuit.get_absolute_url())
