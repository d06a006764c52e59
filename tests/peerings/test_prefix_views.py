"""Changing a Microsoft peering's advertised prefixes from the dashboard."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory


def prefixes_url(peering):
    return reverse("circuits:peering_prefixes", args=[peering.circuit_id, peering.pk])


@pytest.fixture
def microsoft_peering(team):
    peering = PeeringFactory(microsoft=True, circuit=CircuitFactory(team=team, provisioned=True))
    AdvertisedPrefixFactory(peering=peering, prefix="80.9.16.0/22")
    return peering


def test_changing_prefixes_replaces_them_and_audits_the_change(engineer_client, microsoft_peering):
    response = engineer_client.post(
        prefixes_url(microsoft_peering),
        {"advertised_public_prefixes": "80.9.16.0/22\n80.9.20.0/24", "routing_registry_name": "RIPENCC"},
    )
    assert response.status_code == 302
    assert sorted(microsoft_peering.advertised_prefixes.values_list("prefix", flat=True)) == [
        "80.9.16.0/22",
        "80.9.20.0/24",
    ]
    assert AuditEvent.objects.filter(field="advertised_public_prefixes", actor_kind="user").count() == 1


def test_the_form_starts_from_the_current_prefixes(engineer_client, microsoft_peering):
    response = engineer_client.get(prefixes_url(microsoft_peering))
    assert "80.9.16.0/22" in response.content.decode()


def test_private_prefixes_are_refused_next_to_the_field(engineer_client, microsoft_peering, refused_post):
    response = refused_post(
        engineer_client,
        prefixes_url(microsoft_peering),
        {"advertised_public_prefixes": "10.0.0.0/24", "routing_registry_name": "RIPENCC"},
    )
    assert "advertised_public_prefixes" in response.context["form"].errors


def test_a_layer3_providers_prefixes_are_the_providers_to_change(engineer_client, team, refused_post):
    circuit = CircuitFactory(team=team, provisioned=True, service_provider=ServiceProviderFactory(layer="Layer3"))
    peering = PeeringFactory(microsoft=True, circuit=circuit)
    response = refused_post(
        engineer_client,
        prefixes_url(peering),
        {"advertised_public_prefixes": "80.9.16.0/22", "routing_registry_name": "RIPENCC"},
    )
    assert "Layer 3 provider" in response.content.decode()


def test_private_peering_has_no_prefixes_page(engineer_client, team):
    peering = PeeringFactory(circuit=CircuitFactory(team=team, provisioned=True))
    assert engineer_client.get(prefixes_url(peering)).status_code == 404


def test_the_circuit_page_links_to_the_prefixes_form(engineer_client, microsoft_peering):
    response = engineer_client.get(microsoft_peering.circuit.get_absolute_url())
    assert prefixes_url(microsoft_peering) in response.content.decode()


def test_attaching_a_route_filter_from_the_circuit_page(engineer_client, microsoft_peering):
    url = reverse("circuits:peering_route_filter", args=[microsoft_peering.circuit_id, microsoft_peering.pk])
    assert url in engineer_client.get(microsoft_peering.circuit.get_absolute_url()).content.decode()

    engineer_client.post(url, {"route_filter": "rf-microsoft-365"})

    microsoft_peering.refresh_from_db()
    assert microsoft_peering.route_filter == "rf-microsoft-365"
