"""The circuit page's regions from the cache (circuits/views/page_regions.py): a cached page is the page
that would be drawn now, for every state and every viewer, whatever changed since it was drawn."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.http import Http404
from django.utils import timezone

from circuits import services
from circuits.models import Circuit, GlobalReachConnection, PeeringLocation
from circuits.selectors import circuit_page_for, diagnostics_cache_key, user_can_change_circuit
from circuits.views import page_regions
from core import fragments
from core.actors import AZURE
from insights.models import CircuitForecast
from sync.diagnostics import CircuitReading, LinkReading, PeeringReading
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import AuthorizationFactory, CircuitFactory, ProviderOrderFactory
from tests.circuits.pages import HTMX, busy_circuit, detail, one_circuit_per_state
from tests.insights.factories import CircuitForecastFactory
from tests.peerings.factories import PeeringFactory
from tests.support.caches import shared_cache  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]

NOW = datetime(2026, 6, 1, 12, 0, 30, tzinfo=UTC)
# What differs between two draws of the same page: the CSRF token (masked anew each time) and the CSP nonce.
PER_RESPONSE = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+')


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def page(client, circuit, **headers):
    response = client.get(detail(circuit), **headers)
    assert response.status_code in (200, 286)
    return PER_RESPONSE.sub(r"\1…", response.content.decode())


@pytest.fixture
def cold(monkeypatch):
    """Draw the page as with an empty cache (the regions it draws are still stored)."""

    def draw(client, circuit, **headers):
        with monkeypatch.context() as patch:
            patch.setattr(page_regions, "fragments_get", lambda keys, what: {})
            return page(client, circuit, **headers)

    return draw


@pytest.fixture
def nothing_drawn(monkeypatch):
    """From now on, fail if any region is drawn instead of taken from the cache."""

    def refuse(circuit, **kwargs):
        raise AssertionError(f"regions drawn: {circuit.name}")

    return lambda: monkeypatch.setattr(page_regions, "_draw", refuse)


def _with_everything(team):
    """A circuit with authorizations, a Global Reach connection, a forecast and a Step 4 reading."""
    circuit = busy_circuit(team)
    AuthorizationFactory(circuit=circuit, name="spare")
    GlobalReachConnection.objects.create(
        circuit=circuit, name="gr-1", peer_peering_id="/x/er-peer/peerings/AzurePrivatePeering", status="Connected"
    )
    CircuitForecastFactory(circuit=circuit)
    links = (LinkReading("primary", None, "edge did not answer"), LinkReading("secondary", None, "timeout"))
    reading = CircuitReading(read_at=NOW, read_by="eng", check_error="", peerings=(PeeringReading("Azure", links),))
    cache.set(diagnostics_cache_key(circuit.pk), reading)
    return circuit


@pytest.mark.parametrize("role", ["engineer", "manager", "superuser"])
def test_a_warm_page_is_the_html_of_a_cold_one_in_every_state(as_user, role, request, team, cold, nothing_drawn):
    one_circuit_per_state(team)
    _with_everything(team)
    client = as_user(request.getfixturevalue(role))
    circuits = list(Circuit.objects.filter(team=team).order_by("name"))
    drawn = {(c.pk, htmx): cold(client, c, **(HTMX if htmx else {})) for c in circuits for htmx in (False, True)}
    assert "edge did not answer" in "".join(drawn.values())
    nothing_drawn()
    assert {
        (c.pk, htmx): page(client, c, **(HTMX if htmx else {})) for c in circuits for htmx in (False, True)
    } == drawn


def test_each_viewer_is_shown_their_own_buttons_and_service_key(as_user, engineer, manager, team):
    circuit = busy_circuit(team)
    key = str(circuit.service_key)
    # Engineers of the team: the actions, the key in full, "Remove" beside each link and authorization.
    shown = page(as_user(engineer), circuit)
    assert 'id="action-delete"' in shown and key in shown and "btn-danger" in shown and 'id="action-check-now"' in shown
    # A manager after them: none of it, the key masked.
    shown = page(as_user(manager), circuit)
    assert 'id="action-delete"' not in shown and key not in shown and f"••••-{key[-4:]}" in shown
    assert "Remove<span" not in shown and 'id="action-check-now"' not in shown
    # Someone who may change circuits but not remove links or authorizations: the actions without "Remove".
    changer = UserFactory(username="changer", team=team)
    changer.user_permissions.add(*Permission.objects.filter(codename__in=["view_circuit", "change_circuit"]))
    shown = page(as_user(changer), circuit)
    assert 'id="action-delete"' in shown and key in shown and "Remove<span" not in shown
    # And the engineer again, after the others: their own page still.
    assert "Remove<span" in page(as_user(engineer), circuit)


@pytest.mark.parametrize("role", ["engineer", "approver", "manager", "superuser", "changer", "outsider"])
def test_the_page_judges_who_may_change_the_circuit_as_everywhere_else(role, request, team):
    """circuit_page_for reads no team members: it relies on the view scope admitting only them."""
    own, other = CircuitFactory(team=team), CircuitFactory(team=TeamFactory(name="Elsewhere"))
    if role == "changer":  # may change circuits, but is a member of no team
        user = UserFactory(username="changer")
        user.user_permissions.add(*Permission.objects.filter(codename__in=["view_circuit", "change_circuit"]))
    elif role == "outsider":  # an engineer of another team
        user = UserFactory(username="outsider", role="engineer", team=other.team)
    else:
        user = request.getfixturevalue(role)
    for circuit in (own, other):
        try:
            _, can_change = circuit_page_for(user, circuit.pk)
        except Http404:
            continue
        assert can_change == user_can_change_circuit(user, Circuit.objects.get(pk=circuit.pk))


def test_losing_a_permission_shows_in_the_next_page(as_user, engineer, team):
    circuit = busy_circuit(team)
    assert "Remove<span" in page(as_user(engineer), circuit)
    engineer.groups.clear()
    engineer.user_permissions.add(*Permission.objects.filter(codename__in=["view_circuit", "change_circuit"]))
    shown = page(as_user(engineer), circuit)
    assert 'id="action-delete"' in shown and "Remove<span" not in shown


def _authorization_created(circuit, actor):
    services.authorization_create(circuit=circuit, name="for-partner", actor=actor)
    return "for-partner"


def _global_reach_reported(circuit, actor):
    services.global_reach_record(
        circuit=circuit,
        connections=[{"name": "gr-east", "peer_peering_id": "/x/er-east/peerings/AzurePrivatePeering"}],
        actor=AZURE,
    )
    return "er-east"


def _order_contact_changed(circuit, actor):
    order = circuit.provider_orders.get()
    services.provider_order_save(circuit=circuit, order=order, actor=actor, status=order.status, contact_name="Ada")
    return "Ada"


def _link_created(circuit, actor):
    services.vnet_link_create(
        circuit=circuit,
        name="vnet-hub",
        vnet_resource_id=f"/subscriptions/{circuit.subscription_id}/resourceGroups/rg/providers/"
        "Microsoft.Network/virtualNetworks/vnet-hub",
        subscription_id=circuit.subscription_id,
        gateway_name="ergw",
        actor=actor,
    )
    return "vnet-hub"


def _checked(circuit, actor):
    # The sweep's quiet read writes when the circuit was checked and bumps no version.
    Circuit.objects.filter(pk=circuit.pk).update(last_checked_at=timezone.now())
    return "Checked <time"


def _location_renamed(circuit, actor):
    PeeringLocation.objects.filter(pk=circuit.peering_location_id).update(zone="Zone 9")
    return "(Zone 9)"


def _forecast_refreshed(circuit, actor):
    # insights' refresh writes the forecast without a version.
    CircuitForecast.objects.filter(circuit=circuit).update(ready_by=timezone.now() + timedelta(days=400))
    return f"{timezone.now() + timedelta(days=400):%Y-%m-%d}"


WRITES = [
    _authorization_created,
    _global_reach_reported,
    _order_contact_changed,
    _link_created,
    _checked,
    _location_renamed,
    _forecast_refreshed,
]


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__.strip("_") for write in WRITES])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "poll"])
def test_a_change_shows_in_the_next_page_and_poll(engineer_client, engineer_actor, team, cold, write, htmx):
    circuit = PeeringFactory(circuit=CircuitFactory(team=team, provisioned=True), sessions="Established").circuit
    ProviderOrderFactory(circuit=circuit)
    CircuitForecastFactory(circuit=circuit)
    headers = HTMX if htmx else {}
    before = page(engineer_client, circuit, **headers)
    shown = write(Circuit.objects.get(pk=circuit.pk), engineer_actor)
    after = page(engineer_client, circuit, **headers)
    assert shown not in before and shown in after
    assert after == cold(engineer_client, circuit, **headers)


def test_the_poll_fingerprint_follows_the_circuit(engineer_client, engineer_actor, team):
    circuit = CircuitFactory(team=team)
    fingerprint = engineer_client.get(detail(circuit)).context["fingerprint"]
    services.circuit_change_bandwidth(circuit=circuit, bandwidth_mbps=2000, actor=engineer_actor)
    response = engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX)
    assert response.status_code == 200 and response.context["fingerprint"] != fingerprint
    assert "2 Gbps" in response.content.decode()


def test_relative_times_are_redrawn_each_minute(engineer_client, team, frozen):
    circuit = CircuitFactory(team=team, state_changed_at=timezone.now() - timedelta(minutes=59))
    assert "59 minutes" in page(engineer_client, circuit)
    frozen.shift(timedelta(seconds=page_regions.REGION_TIME_BUCKET_SECONDS))
    assert "1 hour" in page(engineer_client, circuit)


def test_regions_drawn_by_other_templates_or_code_are_drawn_again(engineer_client, team, monkeypatch):
    circuit = CircuitFactory(team=team)
    page(engineer_client, circuit)
    drawn, draw = [], page_regions._draw
    monkeypatch.setattr(page_regions, "drawn_by", lambda templates, modules: "the next deploy")
    monkeypatch.setattr(
        page_regions, "_draw", lambda circuit, **kwargs: drawn.append(circuit.pk) or draw(circuit, **kwargs)
    )
    page(engineer_client, circuit)
    assert drawn == [circuit.pk]


def test_another_viewer_of_the_same_kind_reuses_the_regions(as_user, engineer, team, nothing_drawn):
    circuit = busy_circuit(team)
    first = page(as_user(engineer), circuit, **HTMX)
    nothing_drawn()
    colleague = UserFactory(username="colleague", role="engineer", team=team)
    assert page(as_user(colleague), circuit, **HTMX) == first


def test_with_the_cache_down_the_page_is_drawn_from_the_database(engineer_client, team, monkeypatch, caplog):
    circuit = busy_circuit(team)
    # nothing listens on port 1: refused at once (the session stays in the working cache)
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    monkeypatch.setattr(fragments, "cache", down)
    shown = page(engineer_client, circuit)
    assert circuit.name in shown and 'id="action-delete"' in shown and 'id="action-check-now"' in shown
    assert caplog.text.count("circuit page regions: cache unavailable") == 2  # not read, then not stored
