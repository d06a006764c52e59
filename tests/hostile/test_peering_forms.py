"""Hostile input to the peering form (step 4): malformed subnets, prefixes and ASNs, huge numbers, MD5 keys."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import PeeringFactory
from tests.support.hostile import ASNS, CIDRS, hostile, hostile_form, hostile_number, hostile_text

SUBNETS = st.one_of(st.sampled_from(CIDRS), hostile_text())
PREFIX_LISTS = st.lists(st.one_of(st.sampled_from(CIDRS), hostile_text(max_size=30)), max_size=8).map("\n".join)
ASN_VALUES = st.one_of(st.sampled_from(ASNS), hostile_number())
PRIVATE = {
    "peering_type": "AzurePrivatePeering",
    "peer_asn": "65010",
    "vlan_id": "100",
    "primary_peer_address_prefix": "192.168.100.128/30",
    "secondary_peer_address_prefix": "192.168.100.132/30",
    "ipv6_primary_peer_address_prefix": "",
    "ipv6_secondary_peer_address_prefix": "",
    "shared_key": "",
}
MICROSOFT = {
    **PRIVATE,
    "peering_type": "MicrosoftPeering",
    "peer_asn": "64500",
    "primary_peer_address_prefix": "80.1.1.0/30",
    "secondary_peer_address_prefix": "80.1.1.4/30",
    "advertised_public_prefixes": "80.10.5.0/24",
    "customer_asn": "",
    "routing_registry_name": "RIPENCC",
}
FIELD_STRATEGIES = {
    "peer_asn": ASN_VALUES,
    "customer_asn": ASN_VALUES,
    "vlan_id": hostile_number(),
    "primary_peer_address_prefix": SUBNETS,
    "secondary_peer_address_prefix": SUBNETS,
    "ipv6_primary_peer_address_prefix": SUBNETS,
    "ipv6_secondary_peer_address_prefix": SUBNETS,
    "advertised_public_prefixes": PREFIX_LISTS,
    "shared_key": hostile_text(max_size=40),
}


@pytest.fixture
def circuit(team):
    return CircuitFactory(team=team, provisioned=True)


@hostile
@given(data=st.data())
def test_peering_configure_survives_hostile_input(engineer_client, circuit, hostile_request, data):
    form = data.draw(st.sampled_from([PRIVATE, MICROSOFT]).flatmap(lambda v: hostile_form(v, FIELD_STRATEGIES)))
    url = reverse("circuits:peering_create", kwargs={"pk": circuit.pk})
    hostile_request(engineer_client, "post", url, form, shown_on=circuit.get_absolute_url())


@hostile
@given(peering_type=hostile_text())
def test_peering_type_in_the_query_string_never_crashes(engineer_client, circuit, hostile_request, peering_type):
    url = reverse("circuits:peering_create", kwargs={"pk": circuit.pk})
    hostile_request(engineer_client, "get", url, {"type": peering_type}, accepted=(200,))


@pytest.fixture
def microsoft_peering(circuit):
    return PeeringFactory(circuit=circuit, microsoft=True)


def peering_url(name, peering):
    return reverse(f"circuits:{name}", kwargs={"pk": peering.circuit_id, "peering_pk": peering.pk})


@hostile
@given(data=st.data())
def test_peering_prefixes_change_survives_hostile_input(engineer_client, microsoft_peering, hostile_request, data):
    valid = {"advertised_public_prefixes": "80.10.5.0/24", "customer_asn": "", "routing_registry_name": "RIPENCC"}
    form = data.draw(hostile_form(valid, FIELD_STRATEGIES))
    url = peering_url("peering_prefixes", microsoft_peering)
    hostile_request(engineer_client, "post", url, form, shown_on=microsoft_peering.circuit.get_absolute_url())


@hostile
@given(route_filter=hostile_text(max_size=600))
def test_route_filter_survives_hostile_input(engineer_client, microsoft_peering, hostile_request, route_filter):
    url = peering_url("peering_route_filter", microsoft_peering)
    form = {"route_filter": route_filter}
    hostile_request(engineer_client, "post", url, form, shown_on=microsoft_peering.circuit.get_absolute_url())
