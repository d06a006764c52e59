"""Creating a circuit (step 1): who may, the service key to hand over, and refusals next to the field."""

import pytest
from django.urls import reverse
from django.utils import timezone

from circuits.models import Circuit
from tests.accounts.factories import TeamFactory
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory

SUBSCRIPTION = "6f1c1d2e-0000-4000-8000-000000000001"
pytestmark = pytest.mark.django_db


def create_data(provider, team, **overrides):
    return {
        "name": "er-ams-prod-01",
        "team": team.pk,
        "subscription_id": SUBSCRIPTION,
        "resource_group": "rg-network",
        "region": "westeurope",
        "service_provider": provider.pk,
        "peering_location": provider.peering_locations.first().pk,
        "bandwidth_mbps": 1000,
        "sku_tier": "Standard",
        "sku_family": "MeteredData",
        **overrides,
    }


def test_read_only_roles_cannot_create_circuits(client, manager):
    client.force_login(manager)
    assert client.get(reverse("circuits:circuit_create")).status_code == 403


def test_creating_a_circuit_shows_the_service_key_to_hand_over(engineer_client, team):
    provider = ServiceProviderFactory(name="Equinix")
    response = engineer_client.post(reverse("circuits:circuit_create"), create_data(provider, team), follow=True)
    circuit = Circuit.objects.get(name="er-ams-prod-01")
    assert response.redirect_chain[-1][0] == circuit.get_absolute_url()
    assert f"give the service key {circuit.service_key} to Equinix" in response.content.decode()


def test_a_bandwidth_the_provider_does_not_offer_is_refused_next_to_the_field(engineer_client, team, refused_post):
    provider = ServiceProviderFactory(bandwidths_offered=[50, 100])
    response = refused_post(engineer_client, reverse("circuits:circuit_create"), create_data(provider, team))
    assert response.status_code == 200
    assert "offers these bandwidths (Mbps): 50, 100" in " ".join(response.context["form"].errors["bandwidth_mbps"])


def test_a_circuit_name_azure_refuses_is_refused(engineer_client, team, refused_post):
    provider = ServiceProviderFactory()
    response = refused_post(
        engineer_client, reverse("circuits:circuit_create"), create_data(provider, team, name="-bad!")
    )
    assert "name" in response.context["form"].errors


def test_engineers_create_circuits_only_for_their_own_teams(engineer_client, refused_post):
    provider, other = ServiceProviderFactory(), TeamFactory(name="Elsewhere")
    response = refused_post(engineer_client, reverse("circuits:circuit_create"), create_data(provider, other))
    assert "team" in response.context["form"].errors


def test_a_second_circuit_for_the_same_azure_resource_is_refused_naming_the_first(engineer_client, team, refused_post):
    provider = ServiceProviderFactory()
    first = CircuitFactory(name="er-ams-prod-01", subscription_id=SUBSCRIPTION, resource_group="rg-network")
    response = refused_post(
        engineer_client,
        reverse("circuits:circuit_create"),
        create_data(provider, team, name="ER-AMS-PROD-01", resource_group="RG-Network"),
    )
    body = response.content.decode()
    assert f"Circuit er-ams-prod-01 (#{first.pk}) is already this Azure resource" in body
    assert f'<a href="{first.get_absolute_url()}">Open er-ams-prod-01</a>' in body


def test_a_deleted_circuit_does_not_hold_its_azure_resource(engineer_client, team):
    provider = ServiceProviderFactory()
    CircuitFactory(
        name="er-ams-prod-01",
        subscription_id=SUBSCRIPTION,
        resource_group="rg-network",
        created_at=timezone.now() - timezone.timedelta(days=2),
        deleted_at=timezone.now(),
    )
    engineer_client.post(reverse("circuits:circuit_create"), create_data(provider, team))
    assert Circuit.objects.filter(name="er-ams-prod-01", deleted_at=None).count() == 1
