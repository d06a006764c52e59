"""Issue 11 item 10: a service key orders connectivity on the circuit, so only the engineers of its
team (who hand it to the provider) and superusers see it in full; every other role sees it masked."""

import pytest
from django.urls import reverse

from circuits import services
from core.actors import Actor
from tests.circuits.factories import ServiceProviderFactory


@pytest.fixture
def circuit(engineer, team):
    provider = ServiceProviderFactory()
    return services.circuit_create(
        actor=Actor.person(engineer),
        name="er-keyed",
        team=team,
        subscription_id="6f1c1f2e-0000-4000-8000-000000000001",
        resource_group="rg-network",
        region="westeurope",
        service_provider=provider,
        peering_location=provider.peering_locations.first(),
        bandwidth_mbps=1000,
        sku_tier="Standard",
        sku_family="MeteredData",
    )


def masked(circuit):
    return f"••••-{str(circuit.service_key)[-4:]}"


def page(client, user, circuit):
    """The circuit page as a browser shows it: with its history (billing, timeline) loaded by htmx."""
    client.force_login(user)
    shown = client.get(reverse("circuits:circuit_detail", args=[circuit.pk])).content.decode()
    history = client.get(reverse("circuits:circuit_history", args=[circuit.pk]), HTTP_HX_REQUEST="true")
    assert history.status_code == 200
    return shown + history.content.decode()


def export(client, user):
    client.force_login(user)
    return b"".join(client.get(reverse("circuits:circuit_export")).streaming_content).decode()


def test_the_teams_engineers_see_the_service_key_in_full(client, engineer, circuit):
    assert str(circuit.service_key) in page(client, engineer, circuit)
    assert str(circuit.service_key) in export(client, engineer)


@pytest.mark.parametrize("role", ["approver", "manager"])
def test_other_roles_see_the_service_key_masked_in_pages_and_exports(client, circuit, role, request):
    user = request.getfixturevalue(role)
    shown = page(client, user, circuit)
    assert str(circuit.service_key) not in shown  # the attributes, step 2's hand-over box and the timeline
    assert masked(circuit) in shown
    exported = export(client, user)
    assert str(circuit.service_key) not in exported
    assert masked(circuit) in exported


@pytest.mark.parametrize("role", ["approver", "manager"])
def test_other_roles_cannot_find_a_circuit_by_its_service_key(client, circuit, role, request):
    """Searching would let a reader recover a masked key a few characters at a time."""
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("circuits:circuit_list"), {"q": str(circuit.service_key)[:8]})
    assert circuit.name not in response.content.decode()


def test_engineers_find_their_circuits_by_service_key(client, engineer, circuit):
    client.force_login(engineer)
    response = client.get(reverse("circuits:circuit_list"), {"q": str(circuit.service_key)[:8]})
    assert circuit.name in response.content.decode()
