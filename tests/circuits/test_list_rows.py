"""The circuit list's rows from the cache (circuits/views/list_rows.py): a cached row is the row the
list would draw now, whatever changed since it was drawn."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from accounts.models import Team
from circuits import services
from circuits.checklist import TITLES
from circuits.models import PeeringLocation, ServiceProvider
from circuits.views import list_rows
from core import fragments
from core.actors import AZURE, SYSTEM
from insights.models import CircuitForecast
from peerings import services as peering_services
from sync import polling
from sync.sources.base import Observation
from tests.accounts.factories import UserFactory
from tests.circuits.factories import CircuitFactory, ProviderOrderFactory, VNetLinkFactory, deleted_circuit
from tests.circuits.pages import LIST, busy_circuit, onboarded_circuit, one_circuit_per_state
from tests.insights.factories import CircuitForecastFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory, PrefixValidationTicketFactory
from tests.support.caches import shared_cache  # noqa: F401 (fixture)
from tests.sync.sources import StaticSource
from validation import services as validation_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]

NOW = datetime(2026, 6, 1, 12, 0, 30, tzinfo=UTC)
EVERY_ROW = {"deleted": "include", "per_page": 50}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cold(monkeypatch):
    """Draw the list as with an empty cache (the rows it draws are still stored)."""

    def draw(client, **params):
        with monkeypatch.context() as patch:
            patch.setattr(list_rows, "fragments_get", lambda keys, what: {})
            return table(client, **params)

    return draw


@pytest.fixture
def nothing_drawn(monkeypatch):
    """From now on, fail if any row is drawn instead of taken from the cache."""

    def refuse(circuits):
        raise AssertionError(f"rows drawn: {[circuit.name for circuit in circuits]}")

    return lambda: monkeypatch.setattr(list_rows, "_render", refuse)


def table(client, **params):
    """The list's table body (the page around it carries a fresh CSRF token each time)."""
    response = client.get(LIST, {**EVERY_ROW, **params})
    assert response.status_code == 200
    return re.search(r"<tbody>.*</tbody>", response.content.decode(), re.S).group(0)


def row(client, circuit):
    return re.search(rf'<tr id="circuit-{circuit.pk}".*?</tr>', table(client), re.S).group(0)


def test_a_warm_list_is_the_html_of_a_cold_one_for_every_row_state(engineer_client, team, cold, nothing_drawn):
    one_circuit_per_state(team)
    drawn = cold(engineer_client)
    for shown in ("Not started", "In progress", "Waiting", "Blocked", "Onboarded", "Deleted", "Stuck", "Stale", "Late"):
        assert shown in drawn
    for number, title in enumerate(TITLES[1:], start=2):
        assert f"<strong>{number}. {title}</strong>" in drawn
    assert drawn.count('<tr id="circuit-') == 19
    nothing_drawn()
    assert table(engineer_client) == drawn


def test_a_warm_list_polls_as_slowly_as_a_cold_one_once_every_row_is_settled(
    engineer_client, team, settings, nothing_drawn
):
    settings.ONRAMP_LIVE_POLL_ONBOARDED_SECONDS = 60
    onboarded_circuit(circuit__team=team)
    deleted_circuit()
    assert engineer_client.get(LIST, EVERY_ROW).context["poll_seconds"] == 60
    nothing_drawn()
    assert engineer_client.get(LIST, EVERY_ROW).context["poll_seconds"] == 60


def test_a_warm_list_reads_only_the_page_beside_the_user(engineer_client, team, django_assert_num_queries):
    for _ in range(3):
        busy_circuit(team)
    table(engineer_client)
    # the user, permissions and the page with its count: no prefetch, no filter menus (list_filters)
    with django_assert_num_queries(3):
        table(engineer_client)


def _ordered(team, actor):
    circuit = CircuitFactory(team=team)
    return circuit, lambda: services.provider_order_save(circuit=circuit, actor=actor, status="ordered")


def _order_updated(team, actor):
    order = ProviderOrderFactory(circuit=CircuitFactory(team=team), status="draft")
    return order.circuit, lambda: services.provider_order_save(
        circuit=order.circuit, order=order, actor=actor, status="ordered"
    )


def _provisioning(team, actor):
    circuit = CircuitFactory(team=team)
    return circuit, lambda: services.circuit_set_provider_state(circuit=circuit, to="Provisioning", actor=actor)


def _disabled(team, actor):
    circuit = CircuitFactory(team=team, provisioned=True)
    return circuit, lambda: services.circuit_set_status(
        circuit=circuit, field="circuit_provisioning_state", to="Disabled", actor=AZURE
    )


def _deprovision_requested(team, actor):
    circuit = CircuitFactory(team=team, provisioned=True)
    return circuit, lambda: services.circuit_request_deprovision(circuit=circuit, actor=actor)


def _deleted(team, actor):
    circuit = CircuitFactory(team=team)
    return circuit, lambda: services.circuit_delete(circuit=circuit, actor=actor)


def _bandwidth(team, actor):
    circuit = CircuitFactory(team=team)
    return circuit, lambda: services.circuit_change_bandwidth(circuit=circuit, bandwidth_mbps=2000, actor=actor)


def _sku(team, actor):
    circuit = CircuitFactory(team=team)
    return circuit, lambda: services.circuit_change_sku(
        circuit=circuit, sku_tier="Premium", sku_family="MeteredData", actor=actor
    )


def _stuck(team, actor):
    circuit = CircuitFactory(team=team, service_provider_provisioning_state="Provisioning")
    return circuit, lambda: services.circuit_flag_stuck(circuit=circuit, reason="Overdue.")


def _stale(team, actor):
    circuit = CircuitFactory(team=team, check_failures=5)
    return circuit, lambda: services.circuit_record_failed_check(circuit_id=circuit.pk, error="timeout", actor=SYSTEM)


def _stale_cleared(team, actor):
    circuit = CircuitFactory(team=team, is_stale=True)
    return circuit, lambda: services.circuit_clear_stale(circuit=circuit, actor=SYSTEM)


def _swept(team, actor):
    circuit = CircuitFactory(team=team)
    source = StaticSource(Observation(provider_state="Provisioning"))
    return circuit, lambda: polling.circuit_check(circuit_id=circuit.pk, source=source)


def _peering_configured(team, actor):
    circuit = CircuitFactory(team=team, provisioned=True)
    return circuit, lambda: peering_services.peering_configure(
        circuit=circuit,
        actor=actor,
        peering_type="AzurePrivatePeering",
        peer_asn=65010,
        primary_peer_address_prefix="192.168.100.128/30",
        secondary_peer_address_prefix="192.168.100.132/30",
        vlan_id=200,
    )


def _bgp_up(team, actor):
    session = PeeringFactory(circuit__team=team).bgp_sessions.get(link="primary")
    return session.peering.circuit, lambda: peering_services.bgp_session_set_state(
        session=session, to="Established", actor=AZURE
    )


def _route_filter(team, actor):
    peering = PeeringFactory(
        circuit__team=team,
        microsoft=True,
        sessions="Established",
        route_filter="",
        advertised_public_prefixes_state="Configured",
    )
    return peering.circuit, lambda: peering_services.peering_set_route_filter(
        peering=peering, route_filter="rf-365", actor=actor
    )


def _needs_validation(team, actor):
    prefix = AdvertisedPrefixFactory(peering__circuit__team=team)
    return prefix.peering.circuit, lambda: peering_services.prefix_set_validation_state(
        prefix=prefix, to="ValidationNeeded", actor=AZURE
    )


def _prefixes_changed(team, actor):
    peering = AdvertisedPrefixFactory(
        peering__circuit__team=team,
        peering__advertised_public_prefixes_state="ValidationNeeded",
        validation_state="ValidationNeeded",
    ).peering
    return peering.circuit, lambda: peering_services.peering_update_prefixes(
        peering=peering,
        actor=actor,
        advertised_public_prefixes=[*peering.advertised_prefixes.values_list("prefix", flat=True), "80.99.0.0/24"],
        routing_registry_name="RADB",
    )


def _ticket_opened(team, actor):
    prefix = AdvertisedPrefixFactory(
        peering__circuit__team=team,
        peering__advertised_public_prefixes_state="ValidationNeeded",
        validation_state="ValidationNeeded",
    )
    return prefix.peering.circuit, lambda: validation_services.ticket_open(
        peering=prefix.peering, prefixes=[prefix.prefix], note="LOA attached.", actor=actor
    )


def _ticket_withdrawn(team, actor):
    ticket = PrefixValidationTicketFactory(
        peering__circuit__team=team,
        peering__advertised_public_prefixes_state="ValidationNeeded",
        requested_by=actor.user,
    )
    ticket.prefixes.set([AdvertisedPrefixFactory(peering=ticket.peering, validation_state="ValidationNeeded")])
    return ticket.peering.circuit, lambda: validation_services.ticket_withdraw(ticket=ticket, actor=actor)


def _link_created(team, actor):
    circuit = PeeringFactory(circuit__team=team, sessions="Established").circuit
    return circuit, lambda: services.vnet_link_create(
        circuit=circuit,
        name="vnet-hub",
        vnet_resource_id=f"/subscriptions/{circuit.subscription_id}/resourceGroups/rg/providers/"
        "Microsoft.Network/virtualNetworks/vnet-hub",
        subscription_id=circuit.subscription_id,
        gateway_name="ergw",
        actor=actor,
    )


def _link_connected(team, actor):
    link = VNetLinkFactory(circuit=PeeringFactory(circuit__team=team, sessions="Established").circuit)
    return link.circuit, lambda: services.vnet_link_set_status(link=link, to="Connected", actor=AZURE)


def _link_removed(team, actor):
    link = VNetLinkFactory(circuit=PeeringFactory(circuit__team=team, sessions="Established").circuit)
    return link.circuit, lambda: services.vnet_link_delete(link=link, actor=actor)


WRITES = [
    _ordered,
    _order_updated,
    _provisioning,
    _disabled,
    _deprovision_requested,
    _deleted,
    _bandwidth,
    _sku,
    _stuck,
    _stale,
    _stale_cleared,
    _swept,
    _peering_configured,
    _bgp_up,
    _route_filter,
    _needs_validation,
    _prefixes_changed,
    _ticket_opened,
    _ticket_withdrawn,
    _link_created,
    _link_connected,
    _link_removed,
]


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__.strip("_") for write in WRITES])
def test_a_write_through_a_service_shows_in_the_next_list(engineer_client, team, engineer_actor, cold, write):
    circuit, change = write(team, engineer_actor)
    before = row(engineer_client, circuit)
    change()
    after = row(engineer_client, circuit)
    assert after != before
    assert after in cold(engineer_client)


@pytest.mark.parametrize(
    "rename",
    [
        lambda circuit: ServiceProvider.objects.filter(pk=circuit.service_provider_id).update(name="Renamed"),
        lambda circuit: PeeringLocation.objects.filter(pk=circuit.peering_location_id).update(name="Renamed"),
        lambda circuit: Team.objects.filter(pk=circuit.team_id).update(name="Renamed"),
    ],
    ids=["provider", "location", "team"],
)
def test_a_catalog_rename_shows_in_the_next_list(engineer_client, team, rename):
    circuit = CircuitFactory(team=team)
    assert "Renamed" not in row(engineer_client, circuit)
    rename(circuit)
    assert "Renamed" in row(engineer_client, circuit)


def test_a_provider_changing_layer_shows_in_the_next_list(engineer_client, team):
    circuit = CircuitFactory(team=team, provisioned=True)
    assert "(Layer 3) configures the peerings" not in row(engineer_client, circuit)
    ServiceProvider.objects.filter(pk=circuit.service_provider_id).update(layer="Layer3")
    assert "(Layer 3) configures the peerings" in row(engineer_client, circuit)


def test_a_refreshed_forecast_shows_in_the_next_list(engineer_client, team):
    forecast = CircuitForecastFactory(circuit=CircuitFactory(team=team))
    assert "Late" not in row(engineer_client, forecast.circuit)
    CircuitForecast.objects.filter(pk=forecast.pk).update(is_late=True)  # as insights' refresh writes: no version
    assert "Late" in row(engineer_client, forecast.circuit)
    CircuitForecast.objects.filter(pk=forecast.pk).update(ready_by=forecast.ready_by + timedelta(days=40))
    assert f"{forecast.ready_by + timedelta(days=40):%Y-%m-%d}" in row(engineer_client, forecast.circuit)
    CircuitForecast.objects.all().delete()
    assert "Late" not in row(engineer_client, forecast.circuit)


def test_relative_times_are_redrawn_each_minute(engineer_client, team, frozen):
    circuit = CircuitFactory(team=team, state_changed_at=timezone.now() - timedelta(minutes=59))
    assert "59 minutes" in row(engineer_client, circuit)
    frozen.shift(timedelta(seconds=list_rows.ROW_TIME_BUCKET_SECONDS))
    assert "1 hour" in row(engineer_client, circuit)


def test_a_row_drawn_by_other_templates_or_code_is_drawn_again(engineer_client, team, monkeypatch):
    circuit = CircuitFactory(team=team)
    row(engineer_client, circuit)
    drawn, render = [], list_rows._render
    monkeypatch.setattr(list_rows, "_drawn_by", lambda: "the next deploy")
    monkeypatch.setattr(list_rows, "_render", lambda circuits: drawn.extend(circuits) or render(circuits))
    row(engineer_client, circuit)
    assert [c.pk for c in drawn] == [circuit.pk]


def test_another_users_list_reuses_the_rows_they_both_see(as_user, engineer, team, nothing_drawn):
    circuit = CircuitFactory(team=team)
    first = row(as_user(engineer), circuit)
    nothing_drawn()
    colleague = UserFactory(username="colleague", role="manager", team=team)
    assert row(as_user(colleague), circuit) == first


def test_with_the_cache_down_the_list_is_drawn_from_the_database(engineer_client, team, monkeypatch, caplog):
    circuit = CircuitFactory(team=team)
    # nothing listens on port 1: refused at once (the session stays in the working cache)
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    monkeypatch.setattr(fragments, "cache", down)
    assert circuit.name in row(engineer_client, circuit)
    assert caplog.text.count("list rows: cache unavailable") == 2  # the rows not read, then not stored
