"""Every list endpoint costs a fixed number of queries, whatever the number of rows (1 or 10)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.services import audit_event_record
from circuits.models import Circuit
from core.actors import SYSTEM
from notifications.models import Notification, Watch
from peerings.models import TicketEvidence
from tests.circuits.factories import (
    AuthorizationFactory,
    CircuitFactory,
    ProviderOrderFactory,
    ServiceProviderFactory,
    VNetLinkFactory,
)
from tests.insights.factories import onboarding_estate
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory, PrefixValidationTicketFactory
from tests.support.routes import PDF
from tests.webhooks.factories import DeliveryFactory, EndpointFactory
from webhooks.models import DeliveryAttempt

from .factories import client_with_token


def circuits(team, n, host):
    for _ in range(n):
        circuit = CircuitFactory(team=team, provisioned=True)
        PeeringFactory(circuit=circuit)
        ProviderOrderFactory(circuit=circuit)
    return "/api/circuits/"


def watched_circuits(team, n, host):
    """The list's circuits, all watched by the token's engineer: the filter is a join, not a query per row."""
    circuits(team, n, host)
    watcher = get_user_model().objects.get(username="eng")
    watches = [Watch(user=watcher, circuit=circuit) for circuit in Circuit.objects.filter(team=team)]
    Watch.objects.bulk_create(watches, ignore_conflicts=True)
    return "/api/circuits/?watching=true"


def orders(team, n, host):
    ProviderOrderFactory.create_batch(n, circuit=host)
    return f"/api/circuits/{host.pk}/orders/"


def authorizations(team, n, host):
    AuthorizationFactory.create_batch(n, circuit=host)
    return f"/api/circuits/{host.pk}/authorizations/"


def links(team, n, host):
    VNetLinkFactory.create_batch(n, circuit=host)
    return f"/api/circuits/{host.pk}/links/"


def peerings(team, n, host):
    """A circuit has one peering of each type: the rows that grow are its prefixes."""
    peering = host.peerings.filter(peering_type="MicrosoftPeering").first()
    peering = peering or PeeringFactory(circuit=host, microsoft=True, vlan_id=300)
    AdvertisedPrefixFactory.create_batch(n, peering=peering)
    return f"/api/circuits/{host.pk}/peerings/"


def tickets(team, n, host):
    for _ in range(n):
        ticket = PrefixValidationTicketFactory(peering__circuit__team=team)
        ticket.prefixes.add(AdvertisedPrefixFactory(peering=ticket.peering))
    return "/api/tickets/"


def audit_events(team, n, host):
    for number in range(n):
        circuit = CircuitFactory(team=team)
        audit_event_record(obj=circuit, field="created", to_value=str(number), actor=SYSTEM, circuit_id=circuit.pk)
    return "/api/audit-events/"


def notifications(team, n, host):
    user = team.members.get(username="eng")
    Notification.objects.bulk_create(Notification(user=user, kind="k", title=f"t{i}") for i in range(n))
    return "/api/notifications/"


def billing(team, n, host):
    CircuitFactory.create_batch(n, team=team)
    return "/api/billing/circuits/"


def webhooks(team, n, host):
    EndpointFactory.create_batch(n, teams=[team])
    return "/api/webhooks/"


def deliveries(team, n, host):
    endpoint = team.webhook_endpoints.first() or EndpointFactory(teams=[team])
    for delivery in DeliveryFactory.create_batch(n, endpoint=endpoint):
        DeliveryAttempt.objects.create(delivery=delivery, succeeded=True, status_code=204, latency_ms=12)
    return f"/api/webhooks/{endpoint.pk}/deliveries/"


# The token (1) and its user's permissions (1, where a role is checked), the page's count (1, not for
# the cursor-paginated audit log and delivery log, nor circuits, counted inside the page's own query as
# the list page counts them: core.pagination), the rows, their prefetches; circuits also read the
# user's teams once, to show service keys in full or masked. Webhooks read the user's role twice (the
# view's 403 and the webhooks selector's own check), deliveries their endpoint (and its teams) first.
QUERIES = {
    "circuits": 10,
    "watched_circuits": 10,
    "orders": 5,
    "authorizations": 5,
    "links": 5,
    "peerings": 7,
    "tickets": 6,
    "audit_events": 4,
    "notifications": 3,
    "billing": 4,
    "webhooks": 6,
    "deliveries": 7,
}
ENDPOINTS = [
    circuits,
    watched_circuits,
    orders,
    authorizations,
    links,
    peerings,
    tickets,
    audit_events,
    notifications,
    billing,
    webhooks,
    deliveries,
]


def count_queries(api, url):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response


@pytest.mark.parametrize("make", ENDPOINTS, ids=[make.__name__ for make in ENDPOINTS])
def test_a_list_costs_the_same_queries_for_1_and_10_rows(api, team, make, engineer):
    host = CircuitFactory(team=team, provisioned=True)
    PeeringFactory(circuit=host, vlan_id=4000)  # links need private peering
    url = make(team, 1, host)
    api.get(url)  # warm: the token's "last used" write and content types are read once per process
    few, _ = count_queries(api, url)
    make(team, 9, host)
    many, _ = count_queries(api, url)
    assert (few, many) == (QUERIES[make.__name__],) * 2, url


def approvals(team, n, host):
    tickets(team, n, host)
    return "/api/approvals/"


def insights(team, n, host):
    provider = ServiceProviderFactory(peering_locations=[host.peering_location])
    onboarding_estate(team, provider, timezone.now(), n)
    return "/api/insights/"


# The token and the permissions (2), then approvals: the page's count and the tickets with their prefixes
# and evidence (4); insights: the user's teams (the cached report's scope) and the report's one query,
# whatever the number of circuits.
FOR_ROLE = {"approvals": ("approver", 6), "insights": ("engineer", 4)}


@pytest.mark.parametrize("make", [approvals, insights], ids=lambda make: make.__name__)
def test_a_report_costs_the_same_queries_for_1_and_10_rows(team, make, request):
    role, expected = FOR_ROLE[make.__name__]
    api = client_with_token(request.getfixturevalue(role))
    host = CircuitFactory(team=team, provisioned=True)
    url = make(team, 1, host)
    api.get(url)
    few, _ = count_queries(api, url)
    make(team, 9, host)
    many, _ = count_queries(api, url)
    assert (few, many) == (expected, expected), url


# The token, the permissions, the circuit through the scope (with its team), then whether you watch it and
# whether you are notified, or nothing more (the reading is in the cache).
ONE_CIRCUIT = {"watch": 5, "diagnostics": 3}


@pytest.mark.parametrize("resource", ONE_CIRCUIT)
def test_a_circuits_watch_and_diagnostics_cost_fixed_queries(api, team, resource):
    url = f"/api/circuits/{CircuitFactory(team=team).pk}/{resource}/"
    api.get(url)
    assert count_queries(api, url)[0] == ONE_CIRCUIT[resource]


def test_an_evidence_download_costs_fixed_queries(api, team, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    ticket = PrefixValidationTicketFactory(peering__circuit__team=team)
    evidence = TicketEvidence.objects.create(
        ticket=ticket,
        file=SimpleUploadedFile("loa.pdf", PDF),
        original_name="loa.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    url = f"/api/evidence/{evidence.pk}/"
    api.get(url)
    assert count_queries(api, url)[0] == 3  # the token, the permissions, the evidence through the scope
