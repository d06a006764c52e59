"""What the circuit page tests share: the URLs, htmx headers and circuits with one of everything."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from circuits.models import Circuit
from tests.circuits.factories import (
    AuthorizationFactory,
    CircuitFactory,
    ProviderOrderFactory,
    VNetLinkFactory,
    deleted_circuit,
)
from tests.insights.factories import CircuitForecastFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory, PrefixValidationTicketFactory

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


def one_circuit_per_state(team):
    """One circuit in each state the list's rows and the circuit page can show, named in list order."""
    ago = timedelta(days=3)
    CircuitFactory(team=team, name="a-no-order")
    ProviderOrderFactory(circuit=CircuitFactory(team=team, name="b-draft-order"), status="draft")
    ProviderOrderFactory(
        circuit=CircuitFactory(team=team, name="c-ordered"), service_key_handed_over_at=timezone.now() - ago
    )
    CircuitFactory(team=team, name="d-deprovisioned", deprovisioned_at=timezone.now() - ago)
    provisioning = {"service_provider_provisioning_state": "Provisioning", "state_changed_at": timezone.now() - ago}
    CircuitFactory(team=team, name="e-provisioning", **provisioning)
    CircuitFactory(team=team, name="f-stuck", is_stuck=True, **provisioning)
    CircuitFactory(team=team, name="g-disabled", provisioned=True, circuit_provisioning_state="Disabled")
    CircuitFactory(team=team, name="h-stale", provisioned=True, is_stale=True)
    PeeringFactory(circuit__team=team, circuit__name="i-bgp-down")
    AdvertisedPrefixFactory(
        peering__circuit__team=team,
        peering__circuit__name="j-needs-validation",
        peering__advertised_public_prefixes_state="ValidationNeeded",
        validation_state="ValidationNeeded",
    )
    ticket = PrefixValidationTicketFactory(peering__circuit__team=team, peering__circuit__name="k-ticket")
    ticket.prefixes.set([AdvertisedPrefixFactory(peering=ticket.peering, validation_state="ValidationNeeded")])
    PeeringFactory(
        circuit__team=team,
        circuit__name="l-no-route-filter",
        microsoft=True,
        advertised_public_prefixes_state="Configured",
        sessions="Established",
        route_filter="",
    )
    PeeringFactory(circuit__team=team, circuit__name="m-no-link", sessions="Established")
    for name, status in (("n-link-connecting", "Connecting"), ("o-link-not-connected", "NotConnected")):
        VNetLinkFactory(
            circuit=PeeringFactory(circuit__team=team, circuit__name=name, sessions="Established").circuit,
            connection_status=status,
        )
    onboarded_circuit(circuit__team=team, circuit__name="p-onboarded")
    deleted = deleted_circuit()
    Circuit.objects.filter(pk=deleted.pk).update(name="q-deleted", team=team)
    CircuitForecastFactory(circuit=CircuitFactory(team=team, name="r-late", **provisioning), is_late=True)
    CircuitForecastFactory(circuit=CircuitFactory(team=team, name="s-on-time", **provisioning))
