"""Every URL that names an object by id answers 404 (or 403/405) to every role of ANOTHER team, and a
POST from them changes nothing. The URL list comes from the URLconf, so a new URL is covered (or
fails, until its parameters are registered below) without anyone remembering to add it here."""

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from tests.accounts.factories import TeamFactory, UserFactory
from tests.peerings.factories import AdvertisedPrefixFactory
from tests.support.routes import PDF

# What each URL parameter names, as an attribute of the estate (the other team's objects).
OBJECT_FOR_PARAMETER = {
    "order_pk": "order",
    "authorization_pk": "authorization",
    "link_pk": "link",
    "peering_pk": "microsoft_peering",
    "delivery_pk": "delivery",
}
# `pk` means a different object per URL: by full route name first, then by namespace.
OBJECT_FOR_PK = {
    "circuits": "circuit",
    "peerings": "circuit",
    "notifications": "circuit",
    "sync": "circuit",
    "webhooks": "endpoint",
    "approvals": "ticket",
    "approvals:evidence_download": "evidence",
    "api": "circuit",  # /api/circuits/<pk>/...: the circuit, as on the pages
    "api:ticket-detail": "ticket",
    "api:ticket-approve": "ticket",
    "api:ticket-reject": "ticket",
    "api:ticket-withdraw": "ticket",
    "api:evidence-download": "evidence",
    **{
        f"api:webhook-{name}": "endpoint"
        for name in ("detail", "enable", "disable", "rotate", "ping", "deliveries", "redeliver")
    },
}
# Parameters that name no team's object: such routes are out of this test's scope, for the reason given.
NOT_TEAM_OBJECTS = {
    "table": "billing tables are estate-wide reports for managers, named by slug",
    "uidb64": "Django's password reset link, signed for the user it was mailed to",
    "token": "Django's password reset link, signed for the user it was mailed to",
    "token_pk": "a person's own API token, looked up among the requester's tokens only (tests/api/test_tokens.py)",
}
# Django's admin is for superusers only (and read-only, core.admin); it is not a team's page.
EXCLUDED_NAMESPACES = {"admin"}
ATTACKER_ROLES = ("engineer", "approver", "manager", None, "every role")
REFUSED = {403, 404, 405}
# A moved page's old address redirects whoever asks, to its new address: that carries no data, and the
# new address is walked too.
MOVED = {301, 308}
WATCHED_APPS = ("circuits", "peerings", "audit", "notifications", "outbox", "accounts", "api", "webhooks")


def id_routes(patterns=None, namespace=""):
    """(route name, its parameters) of every URL pattern with parameters, nested includes included."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from id_routes(entry.url_patterns, inner)
        elif entry.pattern.regex.groupindex:
            yield f"{namespace}{entry.name}", sorted(entry.pattern.regex.groupindex)


def object_for(route, parameter):
    if parameter == "pk":
        namespace = route.split(":")[0]
        name = OBJECT_FOR_PK.get(route) or OBJECT_FOR_PK.get(namespace)
    else:
        name = OBJECT_FOR_PARAMETER.get(parameter)
    assert name, f"{route}: register what its parameter {parameter!r} names in {__name__}"
    return name


def other_team_urls(estate):
    """The URL of every id route, pointed at the other team's objects."""
    objects = {
        "circuit": estate.circuit,
        "ticket": estate.ticket,
        "evidence": estate.ticket.evidence.get(),
        "endpoint": estate.endpoint,
        **{name: getattr(estate, name) for name in OBJECT_FOR_PARAMETER.values()},
    }
    urls = []
    for route, parameters in id_routes():
        if any(parameter in NOT_TEAM_OBJECTS for parameter in parameters):
            continue
        kwargs = {parameter: objects[object_for(route, parameter)].pk for parameter in parameters}
        urls.append(reverse(route, kwargs=kwargs))
    return urls


def attack_payload(estate):
    """A POST body that every action would accept from the owning team: nothing is refused for bad input."""
    return {
        "reason": "probing another team",
        "watching": "1",
        "name": "er-probe",
        "route_filter": "rf-probe",
        "note": "Not my peering.",
        "prefixes": [estate.unticketed_prefix.prefix],
        "evidence": SimpleUploadedFile("loa.pdf", PDF, content_type="application/pdf"),
    }


def snapshot():
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in WATCHED_APPS
        for model in django_apps.get_app_config(label).get_models()
    }


@pytest.fixture
def other_team_estate(estate):
    """The estate (team `team`) plus a prefix with no ticket yet, so opening one would be accepted."""
    estate.unticketed_prefix = AdvertisedPrefixFactory(
        peering=estate.microsoft_peering, prefix="80.10.6.0/24", validation_state="ValidationNeeded"
    )
    return estate


def attacker(role):
    """A user of team A holding `role` (None: no role; "every role": all three)."""
    roles = ("engineer", "approver", "manager") if role == "every role" else (role,) if role else ()
    username = f"team-a-{role or 'no-role'}".replace(" ", "-")
    user = UserFactory(username=username, role=roles[0] if roles else None, team=TeamFactory(name="Team A"))
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def test_every_url_parameter_is_registered():
    for route, parameters in id_routes():
        for parameter in parameters:
            assert parameter in NOT_TEAM_OBJECTS or object_for(route, parameter)


def test_the_walk_covers_the_id_urls_of_every_product_app(other_team_estate):
    urls = other_team_urls(other_team_estate)
    for prefix in ("/circuits/", "/peerings/", "/approvals/", "/notifications/", "/api/", "/api/webhooks/"):
        assert any(url.startswith(prefix) for url in urls), prefix


def test_every_id_url_reaches_a_real_object_for_its_owner(client, other_team_estate):
    """The control: the same URLs do not 404 for the owning team's superuser, so a 404 below is the scope."""
    client.force_login(other_team_estate.superuser)
    for url in other_team_urls(other_team_estate):
        assert client.get(url).status_code != 404, url


@pytest.mark.parametrize("role", ATTACKER_ROLES)
def test_another_teams_objects_answer_404_to_every_role(client, other_team_estate, role):
    client.force_login(attacker(role))
    before = snapshot()
    leaks = []
    urls = other_team_urls(other_team_estate)
    for url in urls:
        for method, send in (("GET", client.get), ("POST", client.post)):
            response = send(url, attack_payload(other_team_estate)) if method == "POST" else send(url)
            if response.status_code in MOVED and response["Location"] in urls:
                continue
            if response.status_code not in REFUSED:
                leaks.append(f"{method} {url} → {response.status_code}")
    assert leaks == []
    assert snapshot() == before
