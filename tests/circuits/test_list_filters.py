"""The circuit list's filter panel from the cache (circuits/views/list_filters.py): drawn once per
query string, and again once the catalog its menus name changes."""

import re

import pytest
from django.core.cache.backends.redis import RedisCache

from accounts.models import Team
from circuits.models import ServiceProvider
from circuits.views import list_filters
from core import stamps
from tests.circuits.factories import CircuitFactory, PeeringLocationFactory
from tests.circuits.pages import LIST
from tests.support.caches import shared_cache  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


def panel(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return re.search(r'<details class="card filter-panel".*?</details>', response.content.decode(), re.S).group(0)


@pytest.fixture
def nothing_drawn(monkeypatch):
    def refuse(self, request, context):
        assert self.found is not None, "the panel was drawn again"
        return self.found

    return lambda: monkeypatch.setattr(list_filters.FilterPanel, "html", refuse)


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "er-", "stuck": "true"}, {"service_provider": "999999", "subscription": "zz", "sort": "bogus"}],
    ids=["none", "filtered", "refused"],
)
def test_a_warm_panel_is_the_html_of_a_cold_one(engineer_client, team, nothing_drawn, params):
    CircuitFactory(team=team)
    drawn = panel(engineer_client, **params)
    nothing_drawn()
    assert panel(engineer_client, **params) == drawn


def test_each_query_string_has_its_own_panel(engineer_client, team):
    assert 'value="alpha"' in panel(engineer_client, q="alpha")
    assert 'value="beta"' in panel(engineer_client, q="beta")
    assert "Clear" not in panel(engineer_client)


def test_a_warm_panel_reads_no_menus(engineer_client, team, django_assert_num_queries):
    CircuitFactory(team=team)
    panel(engineer_client)
    with django_assert_num_queries(3):  # the user, permissions, the page: no UNION of the catalog
        panel(engineer_client)


def _provider_renamed(circuit):
    provider = circuit.service_provider
    provider.name = "Renamed"
    provider.save()


def _location_added(circuit):
    PeeringLocationFactory(name="Renamed")


def _team_renamed(circuit):
    team = Team.objects.get(pk=circuit.team_id)
    team.name = "Renamed"
    team.save()


CATALOG_CHANGES = [_provider_renamed, _location_added, _team_renamed]


@pytest.mark.parametrize("change", CATALOG_CHANGES, ids=[change.__name__.strip("_") for change in CATALOG_CHANGES])
def test_a_catalog_change_shows_in_the_next_panel(engineer_client, team, write, change):
    circuit = CircuitFactory(team=team)
    assert "Renamed" not in panel(engineer_client)
    write(lambda: change(circuit))
    assert "Renamed" in panel(engineer_client)


def test_a_removed_provider_leaves_the_next_panel(engineer_client, team, write):
    CircuitFactory(team=team)
    gone = ServiceProvider.objects.create(name="Gone", layer="Layer2")
    assert "Gone" in panel(engineer_client)
    write(gone.delete)
    assert "Gone" not in panel(engineer_client)


def test_with_the_cache_down_the_panel_is_drawn_from_the_database(engineer_client, team, monkeypatch, caplog):
    PeeringLocationFactory(name="Somewhere")
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    monkeypatch.setattr(stamps, "cache", down)
    assert "Somewhere" in panel(engineer_client)
    assert "stamps: cache unavailable" in caplog.text
