"""An estate with one of everything a team's pages and API name by id: the security and hostile suites walk it."""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from core.actors import Actor
from tests.accounts.factories import UserFactory
from tests.circuits.factories import AuthorizationFactory, CircuitFactory, ProviderOrderFactory, VNetLinkFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.support.routes import PDF
from tests.webhooks.factories import DeliveryFactory
from validation.services import ticket_open


@dataclass
class Estate:
    superuser: object
    circuit: object
    microsoft_peering: object
    ticket: object
    order: object
    authorization: object
    link: object
    endpoint: object = None  # a webhook endpoint of the team, and one delivery to it
    delivery: object = None

    def kwargs_for(self, namespace, name, parameter):
        """The id each URL parameter names in this estate (pk is the circuit unless the URL is a ticket's or
        a webhook endpoint's)."""
        if parameter == "pk":
            if name == "evidence_download":
                return self.ticket.evidence.get().pk
            if namespace == "webhooks" or (namespace == "api" and name.startswith("webhook-")):
                return self.endpoint.pk
            is_ticket = namespace == "approvals" or (namespace == "api" and name.startswith("ticket-"))
            return self.ticket.pk if is_ticket else self.circuit.pk
        return {
            "order_pk": self.order.pk,
            "authorization_pk": self.authorization.pk,
            "link_pk": self.link.pk,
            "peering_pk": self.microsoft_peering.pk,
            "delivery_pk": self.delivery.pk,
            "table": "categories",
        }[parameter]


def estate_build(team) -> Estate:
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True, team=team)
    circuit = CircuitFactory(team=team, provisioned=True)
    PeeringFactory(circuit=circuit)
    microsoft = PeeringFactory(circuit=circuit, microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    AdvertisedPrefixFactory(peering=microsoft, prefix="80.10.5.0/24", validation_state="ValidationNeeded")
    engineer = UserFactory(username="requester", role="engineer", team=team)
    ticket = ticket_open(
        peering=microsoft,
        prefixes=["80.10.5.0/24"],
        note="LOA attached.",
        actor=Actor.person(engineer),
        evidence_files=[SimpleUploadedFile("loa.pdf", PDF, content_type="application/pdf")],
    )
    return Estate(
        superuser=superuser,
        circuit=circuit,
        microsoft_peering=microsoft,
        ticket=ticket,
        order=ProviderOrderFactory(circuit=circuit),
        authorization=AuthorizationFactory(circuit=circuit),
        link=VNetLinkFactory(circuit=circuit),
        delivery=(delivery := DeliveryFactory(endpoint__teams=[team], event__circuit=circuit)),
        endpoint=delivery.endpoint,
    )
