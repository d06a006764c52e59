"""Pages that moved answer at their old addresses with a permanent redirect that keeps a POST a POST."""

import pytest
from django.urls import reverse

from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import PeeringFactory


@pytest.fixture
def microsoft_peering(team):
    return PeeringFactory(circuit=CircuitFactory(team=team, provisioned=True), microsoft=True)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/peerings/circuit/{c}/add/?type=MicrosoftPeering", "/circuits/{c}/peerings/add/?type=MicrosoftPeering"),
        ("/peerings/circuit/{c}/{p}/route-filter/", "/circuits/{c}/peerings/{p}/route-filter/"),
        ("/peerings/circuit/{c}/{p}/prefixes/", "/circuits/{c}/peerings/{p}/prefixes/"),
        ("/notifications/watch/{c}/", "/circuits/{c}/watch/"),
    ],
)
def test_the_old_addresses_redirect_permanently_to_the_circuit_actions(engineer_client, microsoft_peering, old, new):
    ids = {"c": microsoft_peering.circuit_id, "p": microsoft_peering.pk}
    response = engineer_client.get(old.format(**ids))
    assert response.status_code == 308
    assert response["Location"] == new.format(**ids)


def test_watching_through_the_old_address_still_watches(engineer_client, engineer, team):
    circuit = CircuitFactory(team=team)
    response = engineer_client.post(f"/notifications/watch/{circuit.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == circuit.get_absolute_url()
    assert circuit.watches.filter(user=engineer).exists()


def test_the_peering_actions_are_circuit_urls():
    assert reverse("circuits:peering_create", args=[7]) == "/circuits/7/peerings/add/"
    assert reverse("circuits:circuit_watch", args=[7]) == "/circuits/7/watch/"
