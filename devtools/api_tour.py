"""The API tour whose requests and answers are the schema's examples (devtools.api_examples).

A circuit's life through the API, as docs/API.md's tour tells it, plus the refusals a script
meets. A new operation gets its example from one more step here, in the order of the story
(docs/API.md, "Examples"); then `manage.py api_examples` rewrites api/examples.json.
"""

import random

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from circuits.models import Circuit
from circuits.services import circuit_set_provider_state
from core.actors import SIMULATOR, Actor
from devtools.demo_history import seed_demo_history
from peerings.models import Peering
from validation.services import ticket_open

SUBSCRIPTION = "6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1c7e33"
CIRCUIT = "/api/circuits/{id}/"
WEBHOOK = "/api/webhooks/{id}/"
# The smallest file the evidence check takes for a PDF (validation.evidence sniffs its first bytes).
LOA_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def tour(t):
    team, provider, location = _catalog(t)
    circuit = _create_circuit(t, team, provider, location)
    _watch(t, circuit)
    _order(t, circuit)
    _provider_provisions(t, circuit)
    peering = _peerings(t, circuit)
    _authorizations(t, circuit)
    link = _links(t, circuit)
    _verification(t, circuit)
    _tickets(t, circuit, peering)
    _evidence(t, circuit, peering)
    _records(t, circuit)
    _change_the_circuit(t, circuit, link)
    _delete(t, team, provider, location)
    _webhooks(t, team)


def _catalog(t):
    team = t.get("/api/teams/", "Your teams", expect=200).json()["results"][0]["id"]
    providers = t.get(
        "/api/providers/", "Layer 2 providers", expect=200, query={"layer": "Layer2", "per_page": 2}
    ).json()["results"]
    t.get("/api/locations/", "Peering locations", expect=200, query={"per_page": 3})
    return team, providers[0]["id"], providers[0]["peering_locations"][0]


def _create_body(team, provider, location, **changes):
    return {
        "name": "er-ams-api-01",
        "team": team,
        "subscription_id": SUBSCRIPTION,
        "resource_group": "rg-network",
        "region": "westeurope",
        "service_provider": provider,
        "peering_location": location,
        "bandwidth_mbps": 1000,
        **changes,
    }


def _create_circuit(t, team, provider, location):
    body = _create_body(team, provider, location)
    created = t.post("/api/circuits/", "A circuit created (step 1)", body=body, expect=201).json()
    t.stand_in_service_key(created["service_key"])
    bad = _create_body(team, provider, location, name="-bad name-")
    t.post("/api/circuits/", "A name Azure would refuse", body=bad, expect=400)
    t.post("/api/circuits/", "An approver may not create circuits", by="approver", body=body, expect=403)
    t.post("/api/circuits/", "No token", by="nobody", body=body, expect=401)
    circuit = created["id"]
    t.get("/api/circuits/", "Your teams' circuits", expect=200)
    t.get(CIRCUIT, "A circuit, as its team's engineer sees it", id=circuit, expect=200)
    t.get(CIRCUIT, "Only some fields", id=circuit, query={"fields": "id,name,version"}, expect=200)
    t.get(CIRCUIT, "As an approver sees it: the service key masked", by="approver", id=circuit, expect=200)
    t.get(CIRCUIT, "No such circuit in your teams", id=circuit + 1000, expect=404)
    return circuit


def _watch(t, circuit):
    watch = "/api/circuits/{id}/watch/"
    t.get(watch, "Notified as a member of its team", by="manager", id=circuit, expect=200)
    t.post(watch, "Watched", by="manager", id=circuit, body={"watching": True}, expect=200)


def _order(t, circuit):
    orders = "/api/circuits/{id}/orders/"
    body = {"provider_reference": "ORD-4711", "contact_email": "noc@provider.example"}
    order = t.post(orders, "The order placed with the provider (step 2)", id=circuit, body=body, expect=201)
    stale = {"If-Match": '"1"'}
    again = {"provider_reference": "ORD-4712"}
    t.post(orders, "A stale If-Match", id=circuit, body=again, headers=stale, expect=412)
    t.get(orders, "The circuit's orders", id=circuit, expect=200)
    one = orders + "{order_pk}/"
    t.get(one, "One order", id=circuit, order_pk=order.json()["id"], expect=200)
    completed = {"status": "completed"}
    t.patch(one, "The provider confirms", id=circuit, order_pk=order.json()["id"], body=completed, expect=200)


def _provider_provisions(t, circuit):
    """The provider's work, which no API call does: the simulated provider, days later."""
    for state in ("Provisioning", "Provisioned"):
        t.wait(days=2)
        circuit_set_provider_state(circuit=Circuit.objects.get(pk=circuit), to=state, actor=SIMULATOR)


def _peerings(t, circuit):
    peerings = "/api/circuits/{id}/peerings/"
    private = {
        "peering_type": "AzurePrivatePeering",
        "peer_asn": 65010,
        "vlan_id": 200,
        "primary_peer_address_prefix": "192.168.10.0/30",
        "secondary_peer_address_prefix": "192.168.10.4/30",
        "shared_key": "md5-secret-key",
    }
    t.post(peerings, "Private peering (step 4): the MD5 key never shown back", id=circuit, body=private, expect=201)
    t.post(peerings, "Refused: already configured, its VLAN in use", id=circuit, body=private, expect=422)
    microsoft = {
        "peering_type": "MicrosoftPeering",
        "peer_asn": 65010,
        "vlan_id": 300,
        "primary_peer_address_prefix": "80.1.1.0/30",
        "secondary_peer_address_prefix": "80.1.1.4/30",
        "advertised_public_prefixes": ["80.10.5.0/24"],
        "routing_registry_name": "RIPENCC",
    }
    peering = t.post(
        peerings, "Microsoft peering: its prefixes need validation", id=circuit, body=microsoft, expect=201
    ).json()["id"]
    t.get(peerings, "The circuit's peerings", id=circuit, expect=200)
    one = peerings + "{peering_pk}/"
    t.get(one, "One peering", id=circuit, peering_pk=peering, expect=200)
    body = {"route_filter": "rf-m365"}
    t.patch(one, "A route filter", id=circuit, peering_pk=peering, body=body, expect=200)
    return peering


def _authorizations(t, circuit):
    authorizations = "/api/circuits/{id}/authorizations/"
    body = {"name": "spoke-subscription"}
    created = t.post(authorizations, "The key, in this answer only", id=circuit, body=body, expect=201).json()
    t.stand_in(created["authorization_key"], "0" * 31 + "1")
    t.get(authorizations, "The circuit's authorizations: no key", id=circuit, expect=200)
    one = authorizations + "{authorization_pk}/"
    t.get(one, "One authorization", id=circuit, authorization_pk=created["id"], expect=200)
    reason = {"reason": "The spoke subscription was retired."}
    t.delete(one, "Removed", id=circuit, authorization_pk=created["id"], body=reason, expect=204)


def _links(t, circuit):
    links = "/api/circuits/{id}/links/"
    body = {
        "name": "hub",
        "vnet_resource_id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-network/providers/"
        "Microsoft.Network/virtualNetworks/hub",
        "gateway_name": "ergw-hub",
    }
    link = t.post(links, "A VNet linked (step 5)", id=circuit, body=body, expect=201).json()["id"]
    t.get(links, "The circuit's VNet links", id=circuit, expect=200)
    t.get(links + "{link_pk}/", "One VNet link", id=circuit, link_pk=link, expect=200)
    return link


def _verification(t, circuit):
    diagnostics = "/api/circuits/{id}/diagnostics/"
    t.get(diagnostics, "No reading yet", id=circuit, expect=200)
    t.post("/api/circuits/{id}/check/", "Checked now: ARP and BGP per link", id=circuit, body=None, expect=200)
    t.get(diagnostics, "The last reading, whoever took it", by="approver", id=circuit, expect=200)


def _tickets(t, circuit, peering):
    body = {"peering": peering, "prefixes": ["80.10.5.0/24"], "note": "LOA from RIPE attached."}
    ticket = t.post("/api/tickets/", "Manual validation asked for", body=body, expect=201).json()["id"]
    t.get("/api/tickets/", "Tickets of your teams", by="approver", expect=200, query={"status": "open"})
    t.get("/api/tickets/{id}/", "One ticket", by="approver", id=ticket, expect=200)
    approve = "/api/tickets/{id}/approve/"
    reason = {"reason": "LOA matches the RIPE route object."}
    t.post(approve, "Not by the engineer who opened it", id=ticket, body=reason, expect=403)
    t.post(approve, "Approved: the prefixes become Configured", by="approver", id=ticket, body=reason, expect=200)
    t.post(approve, "Already decided", by="approver", id=ticket, body=reason, expect=409)
    for summary, prefix in (("rejected", "80.10.6.0/24"), ("withdrawn", "80.10.7.0/24")):
        _more_prefixes(t, circuit, peering, prefix, summary)
        body = {"peering": peering, "prefixes": [prefix], "note": "New prefix."}
        ticket = t.post("/api/tickets/", f"Another, to be {summary}", body=body, expect=201).json()["id"]
        if summary == "rejected":
            t.post("/api/tickets/{id}/reject/", "A reason is required", by="approver", id=ticket, body={}, expect=400)
            reason = {"reason": "No route object for this prefix."}
            t.post("/api/tickets/{id}/reject/", "Rejected", by="approver", id=ticket, body=reason, expect=200)
        else:
            t.post("/api/tickets/{id}/withdraw/", "Withdrawn", id=ticket, body={}, expect=200)


def _evidence(t, circuit, peering):
    """A ticket opened on its page with the LOA attached: a multipart upload, which JSON examples cannot show."""
    prefix = "80.10.8.0/24"
    _more_prefixes(t, circuit, peering, prefix, "sent with its LOA")
    engineer = Actor.person(get_user_model().objects.get(username="engineer"))
    loa = SimpleUploadedFile("loa-ripe.pdf", LOA_PDF, content_type="application/pdf")
    ticket_open(
        peering=Peering.objects.get(pk=peering),
        prefixes=[prefix],
        note="LOA attached.",
        actor=engineer,
        evidence_files=[loa],
    )
    queue = t.get("/api/approvals/", "Open tickets with the validator's findings", by="approver", expect=200).json()
    evidence = queue["results"][0]["evidence"][0]["id"]
    t.get("/api/evidence/{id}/", "The LOA, as uploaded (a PDF)", by="approver", id=evidence, expect=200)


def _more_prefixes(t, circuit, peering, prefix, summary):
    body = {"advertised_public_prefixes": ["80.10.5.0/24", prefix]}
    path = "/api/circuits/{id}/peerings/{peering_pk}/"
    t.patch(path, f"A prefix added (then {summary})", id=circuit, peering_pk=peering, body=body, expect=200)


def _records(t, circuit):
    t.get(
        "/api/audit-events/", "A circuit's history, newest first", expect=200, query={"circuit": circuit, "per_page": 3}
    )
    t.get("/api/notifications/", "Your notifications", expect=200, query={"per_page": 3})
    t.post("/api/notifications/read/", "All marked read", body={}, expect=200)
    t.get("/api/billing/circuits/", "Billing exposure per circuit", by="manager", expect=200)
    t.get("/api/billing/totals/", "The estate's totals", by="manager", expect=200)
    _history()
    t.get("/api/insights/", "Provider scorecard, time per step, trend", by="manager", expect=200)


def _history():
    """Months of the team's earlier circuits, played through the services as the demo seeds them
    (devtools.demo_history), so that the insights have onboarded circuits to measure."""
    engineer = get_user_model().objects.get(username="engineer")
    team = engineer.teams.get()
    teams = {"Network Engineering": team, "Cloud Platform": team}
    engineers = dict.fromkeys(teams, engineer)
    seed_demo_history(teams=teams, engineers=engineers, now=timezone.now(), rng=random.Random(15))


def _change_the_circuit(t, circuit, link):
    upgrade = {"bandwidth_mbps": 2000, "reason": "More traffic"}
    t.patch(CIRCUIT, "Without If-Match", id=circuit, body=upgrade, expect=428)
    t.patch(CIRCUIT, "A stale If-Match", id=circuit, body=upgrade, headers={"If-Match": '"1"'}, expect=412)
    etag = {"If-Match": t.get(CIRCUIT, "Its ETag", id=circuit, query={"fields": "version"}, expect=200)["ETag"]}
    down = {"bandwidth_mbps": 500}
    t.patch(CIRCUIT, "Bandwidth cannot go down", id=circuit, body=down, headers=etag, expect=422)
    t.patch(CIRCUIT, "Upgraded", id=circuit, body=upgrade, headers=etag, expect=200)
    etag = {"If-Match": "*"}
    t.delete(CIRCUIT, "Still provisioned", id=circuit, headers=etag, body={}, expect=409)
    reason = {"reason": "The workload moved."}
    t.delete("/api/circuits/{id}/links/{link_pk}/", "Unlinked", id=circuit, link_pk=link, body=reason, expect=204)
    path = CIRCUIT + "deprovision/"
    t.post(path, "Deprovisioning asked of the provider", id=circuit, body=reason, headers=etag, expect=200)


def _delete(t, team, provider, location):
    body = _create_body(team, provider, location, name="er-ams-api-02", bandwidth_mbps=500)
    created = t.post("/api/circuits/", "Another circuit", body=body, expect=201).json()
    t.stand_in_service_key(created["service_key"])
    reason = {"reason": "Never used."}
    t.delete(
        CIRCUIT,
        "Deleted: readable with deleted_at",
        id=created["id"],
        body=reason,
        headers={"If-Match": "*"},
        expect=200,
    )


def _webhooks(t, team):
    body = {
        "name": "noc-bot",
        "url": "https://hooks.example.com/onramp",
        "teams": [team],
        "event_types": ["circuit.provider_state_changed", "ticket.decided"],
    }
    created = t.post("/api/webhooks/", "The signing secret, in this answer only", body=body, expect=201).json()
    t.stand_in(created["secret"], "whsec_" + "A" * 32)
    endpoint = created["id"]
    t.get("/api/webhooks/", "Your teams' endpoints: no secret", expect=200)
    t.get(WEBHOOK, "One endpoint", id=endpoint, expect=200)
    events = {"event_types": ["circuit.provider_state_changed", "ticket.decided", "circuit.stuck"]}
    t.patch(WEBHOOK, "One more event", id=endpoint, body=events, expect=200)
    rotated = t.post(
        WEBHOOK + "rotate-secret/", "A new secret; the old one signs a while longer", id=endpoint, body=None, expect=200
    )
    t.stand_in(rotated.json()["secret"], "whsec_" + "B" * 32)
    ping = t.post(WEBHOOK + "ping/", "A test event, delivered", id=endpoint, body=None, expect=202).json()
    t.stand_in(ping["message_id"], "msg_" + "0" * 31 + "1")
    deliveries = WEBHOOK + "deliveries/"
    t.get(deliveries, "The delivery log, newest first", id=endpoint, expect=200)
    redeliver = deliveries + "{delivery_pk}/redeliver/"
    t.post(redeliver, "Sent again, same webhook-id", id=endpoint, delivery_pk=ping["id"], body=None, expect=202)
    disable = WEBHOOK + "disable/"
    reason = {"reason": "The receiver is being moved."}
    t.post(disable, "Disabled: deliveries wait", id=endpoint, body=reason, expect=200)
    t.post(WEBHOOK + "ping/", "Not while disabled", id=endpoint, body=None, expect=409)
    t.post(WEBHOOK + "enable/", "Enabled: what waited goes out", id=endpoint, body=None, expect=200)
    t.get(WEBHOOK, "Not by an approver", by="approver", id=endpoint, expect=403)
