"""Configuring a peering from the dashboard (step 4)."""

import pytest
from django.urls import reverse

from peerings.models import Peering
from tests.accounts.factories import TeamFactory
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory
from tests.peerings.factories import PeeringFactory

PRIVATE = {
    "peering_type": "AzurePrivatePeering",
    "peer_asn": 65010,
    "vlan_id": 100,
    "primary_peer_address_prefix": "192.168.100.128/30",
    "secondary_peer_address_prefix": "192.168.100.132/30",
}


MICROSOFT = {
    **PRIVATE,
    "peering_type": "MicrosoftPeering",
    "primary_peer_address_prefix": "80.1.1.0/30",
    "secondary_peer_address_prefix": "80.1.1.4/30",
    "peer_asn": 8076,
    "routing_registry_name": "RIPENCC",
}


def configure_url(circuit):
    return reverse("circuits:peering_create", args=[circuit.pk])


@pytest.fixture
def layer2_circuit(team):
    return CircuitFactory(team=team, provisioned=True)


@pytest.fixture
def post_refused(refused_post):
    return lambda client, circuit, data: refused_post(client, configure_url(circuit), data)


def test_configuring_private_peering_creates_both_bgp_sessions(engineer_client, layer2_circuit):
    response = engineer_client.post(configure_url(layer2_circuit), PRIVATE, follow=True)
    peering = Peering.objects.get(circuit=layer2_circuit)
    assert peering.bgp_sessions.count() == 2
    assert "BGP not established on the primary and secondary link" in response.content.decode()


def test_the_md5_key_is_never_rendered_back(engineer_client, layer2_circuit, post_refused):
    response = post_refused(
        engineer_client, layer2_circuit, {**PRIVATE, "vlan_id": 5000, "shared_key": "md5-typed-key"}
    )
    assert "vlan_id" in response.context["form"].errors
    assert "md5-typed-key" not in response.content.decode()


def test_the_md5_key_is_stored_only_as_a_digest(engineer_client, layer2_circuit):
    engineer_client.post(configure_url(layer2_circuit), {**PRIVATE, "shared_key": "md5-typed-key"})
    peering = Peering.objects.get()
    assert peering.has_shared_key
    assert "md5-typed-key" not in peering.shared_key_digest
    assert "md5-typed-key" not in engineer_client.get(layer2_circuit.get_absolute_url()).content.decode()


def test_a_duplicate_vlan_is_refused_next_to_the_vlan_field(engineer_client, layer2_circuit, post_refused):
    PeeringFactory(circuit=layer2_circuit, peering_type="MicrosoftPeering", vlan_id=100)
    response = post_refused(engineer_client, layer2_circuit, PRIVATE)
    assert response.context["form"].errors["vlan_id"]


def test_an_azure_reserved_asn_is_refused_next_to_the_asn_field(engineer_client, layer2_circuit, post_refused):
    response = post_refused(engineer_client, layer2_circuit, {**PRIVATE, "peer_asn": 65515})
    assert "reserved by Azure" in " ".join(response.context["form"].errors["peer_asn"])


def test_overlapping_subnets_are_refused(engineer_client, layer2_circuit, post_refused):
    response = post_refused(
        engineer_client, layer2_circuit, {**PRIVATE, "secondary_peer_address_prefix": "192.168.100.128/30"}
    )
    assert response.context["form"].errors["secondary_peer_address_prefix"]


def test_microsoft_peering_needs_public_prefixes(engineer_client, layer2_circuit, post_refused):
    data = {**MICROSOFT, "advertised_public_prefixes": "10.0.0.0/24"}
    response = post_refused(engineer_client, layer2_circuit, data)
    assert "public addresses" in " ".join(response.context["form"].errors["advertised_public_prefixes"])


def test_a_too_long_md5_key_is_refused_saying_so_and_never_cut_by_the_browser(
    engineer_client, layer2_circuit, post_refused
):
    assert "maxlength" not in engineer_client.get(configure_url(layer2_circuit)).content.decode()
    response = post_refused(engineer_client, layer2_circuit, {**PRIVATE, "shared_key": "k" * 40})
    error = " ".join(response.context["form"].errors["shared_key"])
    assert "at most 25 characters; this one has 40" in error
    assert "k" * 40 not in response.content.decode()


def test_every_error_of_a_peering_submit_is_shown_next_to_its_field(engineer_client, layer2_circuit, post_refused):
    PeeringFactory(circuit=layer2_circuit, peering_type="MicrosoftPeering", vlan_id=100)
    data = {
        **MICROSOFT,
        "peering_type": "AzurePrivatePeering",
        "peer_asn": 65515,
        "primary_peer_address_prefix": "192.168.100.128/29",
        "secondary_peer_address_prefix": "not-a-subnet",
    }
    errors = post_refused(engineer_client, layer2_circuit, data).context["form"].errors
    assert set(errors) == {"peer_asn", "vlan_id", "primary_peer_address_prefix", "secondary_peer_address_prefix"}


def test_a_shape_error_does_not_hide_the_rule_errors_of_other_fields(engineer_client, layer2_circuit, post_refused):
    data = {**MICROSOFT, "vlan_id": "ten", "peer_asn": 12076, "advertised_public_prefixes": "10.0.0.0/24"}
    errors = post_refused(engineer_client, layer2_circuit, data).context["form"].errors
    assert set(errors) == {"vlan_id", "peer_asn", "advertised_public_prefixes"}


def test_the_private_prefix_error_names_every_bad_prefix(engineer_client, layer2_circuit, post_refused):
    data = {**MICROSOFT, "advertised_public_prefixes": "10.0.0.0/24\n80.1.16.0/22\n192.168.0.0/24"}
    errors = post_refused(engineer_client, layer2_circuit, data).context["form"].errors
    error = " ".join(errors["advertised_public_prefixes"])
    assert "10.0.0.0/24" in error and "192.168.0.0/24" in error


def test_microsoft_peering_with_prefixes_one_per_line(engineer_client, layer2_circuit):
    data = {**MICROSOFT, "advertised_public_prefixes": "80.1.16.0/22\n80.1.20.0/24"}
    engineer_client.post(configure_url(layer2_circuit), data)
    assert Peering.objects.get().advertised_prefixes.count() == 2


def test_routing_before_provisioned_is_refused(engineer_client, team, post_refused):
    circuit = CircuitFactory(team=team)
    response = post_refused(engineer_client, circuit, PRIVATE)
    assert "Provisioned" in " ".join(response.context["form"].non_field_errors())


def test_a_layer3_provider_configures_routing_itself(engineer_client, team, post_refused):
    circuit = CircuitFactory(team=team, provisioned=True, service_provider=ServiceProviderFactory(layer="Layer3"))
    page = engineer_client.get(configure_url(circuit)).content.decode()
    assert "is a Layer 3 provider: it configures the peerings" in page
    assert '<form method="post" class="card' not in page
    post_refused(engineer_client, circuit, PRIVATE)


def test_other_teams_circuits_answer_404(engineer_client):
    circuit = CircuitFactory(team=TeamFactory(name="Elsewhere"), provisioned=True)
    assert engineer_client.post(configure_url(circuit), PRIVATE).status_code == 404
    assert not Peering.objects.exists()


@pytest.mark.parametrize("role", ["approver", "manager"])
def test_read_only_roles_get_403(client, request, role, layer2_circuit):
    client.force_login(request.getfixturevalue(role))
    assert client.post(configure_url(layer2_circuit), PRIVATE).status_code == 403


def test_the_circuit_page_offers_peering_only_where_the_engineer_configures_it(engineer_client, team, layer2_circuit):
    layer3 = CircuitFactory(team=team, provisioned=True, service_provider=ServiceProviderFactory(layer="Layer3"))
    assert configure_url(layer2_circuit) in engineer_client.get(layer2_circuit.get_absolute_url()).content.decode()
    assert configure_url(layer3) not in engineer_client.get(layer3.get_absolute_url()).content.decode()
