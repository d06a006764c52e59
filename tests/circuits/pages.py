"""What the circuit page tests share: the URLs, htmx headers and circuits with one of everything."""

from django.urls import reverse

from tests.circuits.factories import AuthorizationFactory, CircuitFactory, ProviderOrderFactory, VNetLinkFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
LIST = reverse("circuits:circuit_list")


def detail(circuit):
    return reverse("circuits:circuit_detail", args=[circuit.pk])


def history(circuit):
    """The circuit page's billing panel and timeline, which htmx loads after the page."""
    return reverse("circuits:circuit_history", args=[circuit.pk])


def onboarded_circuit(**kwargs):
    """A circuit whose five steps are done: Provisioned, private peering up, one VNet connected."""
    peering = PeeringFactory(sessions="Established", **kwargs)
    VNetLinkFactory(circuit=peering.circuit, connection_status="Connected")
    return peering.circuit


def busy_circuit(team):
    """A circuit with one of everything the pages show, to make any per-row query visible."""
    circuit = CircuitFactory(team=team, provisioned=True)
    ProviderOrderFactory(circuit=circuit)
    PeeringFactory(circuit=circuit)
    AdvertisedPrefixFactory(peering=PeeringFactory(circuit=circuit, microsoft=True, vlan_id=3000))
    VNetLinkFactory(circuit=circuit, authorization=AuthorizationFactory(circuit=circuit))
    return circuit
