"""An estate with one of everything, and every page of the product, for the header and secret checks."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.actors import Actor
from tests.accounts.factories import UserFactory
from tests.circuits.factories import AuthorizationFactory, CircuitFactory, ProviderOrderFactory, VNetLinkFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.support.routes import PDF, product_routes
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
            return self.ticket.pk if namespace == "approvals" else self.circuit.pk
        return {
            "order_pk": self.order.pk,
            "authorization_pk": self.authorization.pk,
            "link_pk": self.link.pk,
            "peering_pk": self.microsoft_peering.pk,
            "delivery_pk": self.delivery.pk,
            "table": "categories",
        }[parameter]


@pytest.fixture
def estate(db, team, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
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


@pytest.fixture
def every_page(estate):
    """The URL of every page of the product, the log-in page included."""
    urls = [reverse("login")]
    for namespace, name, parameters in product_routes():
        kwargs = {parameter: estate.kwargs_for(namespace, name, parameter) for parameter in parameters}
        urls.append(reverse(f"{namespace}:{name}", kwargs=kwargs))
    return urls


@pytest.fixture
def superuser_client(client, estate):
    client.force_login(estate.superuser)
    return client
