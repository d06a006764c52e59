"""Hostile requests to /api/: every write of the URLconf, and every list's filters, as each role with a
token. Never a 5xx; a 4xx is an RFC 9457 problem and leaves the database as it was."""

import json

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLResolver, get_resolver, reverse
from django.utils.http import urlencode
from hypothesis import given, settings
from hypothesis import strategies as st

from api.concurrency import etag
from api.problems import PROBLEM_JSON
from circuits.models import PeeringLocation
from tests.api.factories import client_with_token
from tests.support.estate import estate_build
from tests.support.hostile import hostile, hostile_form, hostile_number, hostile_text
from tests.support.snapshots import domain_snapshot

WRITE_METHODS = ("post", "patch", "delete")
WATCHED_APPS = ("circuits", "peerings", "audit", "webhooks", "notifications", "outbox")
ROLES = ("engineer", "approver", "superuser")
# Ids the URL converter takes but no table holds: past int4, past int8, far past both.
IDS_PAST_THE_DATABASE = (0, 2**31, 2**63, 10**30)
LONE_SURROGATES = ("\ud800", "a\udfffb", "\udbff\udc00\ud800")
HUGE_NUMBERS = (2**31, 2**63, -(2**63) - 1, 10**100, 1e308, -1e308, 0.5)
JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(HUGE_NUMBERS),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(LONE_SURROGATES),
    hostile_text(max_size=40),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)
# Bodies no parser should choke on: depth past the recursion limit, numbers past int()'s digit limit,
# NaN and Infinity (not JSON), NUL bytes, invalid UTF-8, and nothing at all.
RAW_BODIES = (
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
    b'{"bandwidth_mbps": ' + b"9" * 5000 + b"}",
    b'{"peering": ' + b"1" * 5000 + b"}",
    b'{"peer_asn": NaN, "vlan_id": Infinity}',
    b'{"name": "a\\u0000b"}',
    b'{"name": "\\ud800"}',
    b"\xff\xfe\x00{",
    b"",
    b"null",
    b"[]",
    b'"text"',
    b"42",
    b"{,}",
)
CONTENT_TYPES = (
    "application/json",
    "text/plain",
    "application/xml",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "application/x-www-form-urlencoded",
    "application/json; charset=utf-16",
    "application/json; charset=nope",
)


# Every filter, page and sort parameter of the lists (unknown ones are ignored, and that is tested too).
FILTER_NAMES = (
    "q",
    "provider_state",
    "service_provider",
    "peering_location",
    "step",
    "stuck",
    "team",
    "subscription",
    "deleted",
    "sort",
    "watching",
    "page",
    "per_page",
    "cursor",
    "fields",
    "status",
    "circuit",
    "peering",
    "field",
    "actor_kind",
    "object_type",
    "object_id",
    "since",
    "unread",
    "kind",
    "as_of",
    "layer",
    "provider",
    "location",
    "period_min",
    "period_max",
)


def api_routes(patterns=None, namespace=""):
    """(route name, its parameters, the HTTP methods it answers) of every /api/ URL in the URLconf."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from api_routes(entry.url_patterns, inner)
        elif namespace == "api:" and hasattr(entry.callback, "actions"):
            yield entry.name, sorted(entry.pattern.regex.groupindex), sorted(entry.callback.actions)


WRITES = [(name, method) for name, _, methods in api_routes() for method in methods if method in WRITE_METHODS]
LISTS = [name for name, parameters, methods in api_routes() if "get" in methods and not parameters]


@pytest.fixture
def estate(db, team, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return estate_build(team)


@pytest.fixture
def clients(estate, engineer, approver):
    users = {"engineer": engineer, "approver": approver, "superuser": estate.superuser}
    return {role: client_with_token(user) for role, user in users.items()}


@pytest.fixture
def api_request(db):
    """Send one request: never a 5xx, a 4xx is problem+json and changed nothing; whatever a 2xx saved
    is rolled back, so every example starts from the same estate."""

    def send(client, method, url, **kwargs):
        with transaction.atomic():
            before = domain_snapshot(WATCHED_APPS)
            response = getattr(client, method)(url, **kwargs)
            assert response.status_code < 500, response.content[:500]
            if 400 <= response.status_code < 500:
                assert response["Content-Type"] == PROBLEM_JSON, (response.status_code, response.content[:300])
                assert domain_snapshot(WATCHED_APPS) == before, f"{method} {url} was refused but changed the database"
            transaction.set_rollback(True)
        cache.clear()  # the per-token throttle budget
        return response

    return send


def valid_body(estate):
    """One value every write accepts for each field it reads: hostile bodies replace some of them."""
    location = PeeringLocation.objects.filter(service_providers=estate.circuit.service_provider).first()
    return {
        "name": "er-hostile-01",
        "team": estate.circuit.team_id,
        "subscription_id": "6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1c7e33",
        "resource_group": "rg-network",
        "region": "westeurope",
        "service_provider": estate.circuit.service_provider_id,
        "peering_location": location.pk if location else estate.circuit.peering_location_id,
        "bandwidth_mbps": 2000,
        "reason": "hostile",
        "watching": True,
        "provider_reference": "ORD-1",
        "contact_email": "noc@provider.example",
        "vnet_resource_id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/virtualNetworks/z",
        "gateway_name": "gw",
        "address_space": ["10.1.0.0/16"],
        "peering_type": "AzurePrivatePeering",
        "peer_asn": 65010,
        "vlan_id": 300,
        "primary_peer_address_prefix": "10.0.0.0/30",
        "secondary_peer_address_prefix": "10.0.0.4/30",
        "advertised_public_prefixes": ["80.10.5.0/24"],
        "route_filter": "rf-1",
        "peering": estate.microsoft_peering.pk,
        "prefixes": ["80.10.5.0/24"],
        "note": "LOA attached.",
        "notifications": [1],
        "url": "https://hooks.example.com/onramp",
        "teams": [estate.circuit.team_id],
        "event_types": ["circuit.created"],
    }


def hostile_body(estate):
    """A body and its content type: JSON (valid fields with hostile ones mixed in, or any JSON at all),
    a multipart form of hostile fields (a repeated field as a list), or raw bytes under any type."""
    valid = valid_body(estate)
    json_body = st.one_of(hostile_form(valid, dict.fromkeys(valid, JSON_VALUES)), JSON_VALUES).map(
        lambda body: (json.dumps(body).encode(), "application/json")
    )
    form_values = st.one_of(hostile_text(), st.lists(hostile_text(max_size=20), max_size=3))
    form_body = hostile_form({name: str(value) for name, value in valid.items()}, dict.fromkeys(valid, form_values))
    multipart = form_body.map(lambda form: (encode_multipart(BOUNDARY, form), MULTIPART_CONTENT))
    raw = st.tuples(st.sampled_from(RAW_BODIES), st.sampled_from(CONTENT_TYPES))
    return st.one_of(json_body, multipart, raw)


def url_for(estate, name, parameters, id_past_the_database):
    kwargs = {parameter: estate.kwargs_for("api", name, parameter) for parameter in parameters}
    if id_past_the_database is not None and parameters:
        kwargs[parameters[-1]] = id_past_the_database
    return reverse(f"api:{name}", kwargs=kwargs)


@pytest.mark.parametrize(("name", "method"), WRITES)
@settings(hostile, max_examples=8)  # about 40 writes: a few bodies each keep the file near a minute
@given(data=st.data())
def test_api_writes_survive_hostile_bodies(clients, estate, api_request, name, method, data):
    parameters = next(parameters for route, parameters, _ in api_routes() if route == name)
    body, content_type = data.draw(hostile_body(estate))
    id_past_the_database = data.draw(st.one_of(st.none(), st.sampled_from(IDS_PAST_THE_DATABASE)))
    if_match = data.draw(st.sampled_from([etag(estate.circuit), "*", None, '"1e999"', "\x00"]))
    client = clients[data.draw(st.sampled_from(ROLES))]
    headers = {"If-Match": if_match} if if_match else {}
    url = url_for(estate, name, parameters, id_past_the_database)
    api_request(client, method, url, data=body, content_type=content_type, headers=headers)


def test_every_api_write_is_walked():
    assert {"circuit-list", "ticket-approve", "webhook-detail", "notification-read"} <= {name for name, _ in WRITES}


@pytest.mark.parametrize("name", LISTS)
@settings(hostile, max_examples=6)
@given(data=st.data())
def test_api_lists_survive_hostile_filters(clients, estate, api_request, name, data):
    query = data.draw(
        st.dictionaries(
            st.sampled_from(FILTER_NAMES), st.one_of(hostile_number(), hostile_text(max_size=40)), max_size=4
        )
    )
    client = clients[data.draw(st.sampled_from(ROLES))]
    api_request(client, "get", f"{reverse(f'api:{name}')}?{urlencode(query)}")


# Regressions: each crashed (a 500) before its fix.


def test_a_body_nested_deeper_than_the_parser_recurses_is_a_400(clients, estate):
    url = reverse("api:circuit-list")
    response = clients["engineer"].post(url, data=b"[" * 100_000 + b"]" * 100_000, content_type="application/json")
    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM_JSON)


@pytest.mark.parametrize("body", [b"null", b"[1, 2]", b"42", b'"80.10.5.0/24"'])
def test_a_new_ticket_whose_body_is_no_object_is_a_400(clients, estate, body):
    response = clients["engineer"].post(reverse("api:ticket-list"), data=body, content_type="application/json")
    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM_JSON)


@pytest.mark.parametrize("peering", ["1" * 5000, 10**30, True, "٣"])
def test_a_new_tickets_peering_id_that_is_no_id_is_a_400_or_404(clients, estate, peering):
    body = {"peering": peering, "prefixes": ["80.10.5.0/24"], "note": "LOA attached."}
    response = clients["engineer"].post(reverse("api:ticket-list"), data=body, format="json")
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == PROBLEM_JSON


@pytest.mark.parametrize("body", [b"null", b"[{}]", b"42"])
def test_a_peering_change_whose_body_is_no_object_is_a_400(clients, estate, body):
    url = reverse("api:peering-detail", kwargs={"pk": estate.circuit.pk, "peering_pk": estate.microsoft_peering.pk})
    response = clients["engineer"].patch(url, data=body, content_type="application/json")
    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM_JSON)


@pytest.mark.parametrize("path", ["", "nope/", f"circuits/{'9' * 5000}/", "circuits/1/nope/"])
def test_an_api_path_no_route_takes_is_a_problem_404(clients, path):
    response = clients["engineer"].get(f"/api/{path}")
    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM_JSON)


def test_an_api_path_missing_its_slash_is_still_redirected(clients):
    assert clients["engineer"].get("/api/circuits")["Location"] == "/api/circuits/"
