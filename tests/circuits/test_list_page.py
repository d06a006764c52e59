"""The circuit list's page: page size, density, the filter panel, and parameters it cannot honour."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.services import watch_set
from tests.accounts.factories import TeamFactory
from tests.circuits.factories import CircuitFactory
from tests.support.caches import shared_cache  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

LIST = reverse("circuits:circuit_list")
DEMO_SIZE = 48  # the demo's estate


def rows(response):
    return response.content.decode().count('<tr id="circuit-')


@pytest.fixture
def demo_estate():
    CircuitFactory.create_batch(DEMO_SIZE)


def test_the_default_page_size_shows_the_demo_on_two_pages(engineer_client, demo_estate):
    response = engineer_client.get(LIST)
    assert rows(response) == 25
    assert "Page 1 of 2" in response.content.decode()
    assert rows(engineer_client.get(LIST, {"page": 2})) == DEMO_SIZE - 25


@pytest.mark.parametrize("size", [25, 50, 100, 200])
def test_the_page_size_is_chosen_from_the_offered_sizes(engineer_client, demo_estate, size):
    assert rows(engineer_client.get(LIST, {"per_page": size})) == min(size, DEMO_SIZE)


def test_the_chosen_page_size_is_kept_in_the_page_links(engineer_client, demo_estate):
    page = engineer_client.get(LIST, {"per_page": 25, "sort": "-name"}).content.decode()
    assert "?per_page=25&amp;sort=-name&amp;page=2" in page
    assert 'href="?per_page=25&amp;sort=name"' in page  # the sort header


def test_a_page_size_not_offered_falls_back_to_the_default_and_says_so(engineer_client, demo_estate):
    response = engineer_client.get(LIST, {"per_page": "5000"})
    assert rows(response) == 25
    assert "Rows per page “5000” is not offered; showing 25." in response.content.decode()


def test_compact_density_is_a_class_kept_in_the_links(engineer_client, demo_estate):
    page = engineer_client.get(LIST, {"density": "compact"}).content.decode()
    assert 'class="table cards table-compact"' in page
    assert "density=compact&amp;page=2" in page
    assert "table-compact" not in engineer_client.get(LIST).content.decode()


def test_the_filter_panel_is_closed_unless_a_filter_is_set(engineer_client):
    CircuitFactory()
    assert 'class="card filter-panel">' in engineer_client.get(LIST, {"sort": "name"}).content.decode()
    for narrowed in ({"provider_state": "Provisioned"}, {"q": "er-"}, {"provider_state": "Sideways"}):
        assert 'class="card filter-panel" open' in engineer_client.get(LIST, narrowed).content.decode()


def test_an_unknown_sort_is_ignored_and_said_so(engineer_client):
    CircuitFactory(name="er-only")
    response = engineer_client.get(LIST, {"sort": "sideways"})
    assert [circuit.name for circuit in response.context["page"]] == ["er-only"]
    assert "Unknown sort “sideways” ignored." in response.content.decode()
    assert "sideways" not in response.context["headers"][0].url


def test_a_page_past_the_end_says_so_and_shows_the_last_page(engineer_client, demo_estate):
    response = engineer_client.get(LIST, {"page": 9})
    assert response.context["page"].number == 2
    assert "Page 9 is past the end (2 pages); showing page 2." in response.content.decode()


def test_a_page_that_is_not_a_number_says_so(engineer_client, demo_estate):
    response = engineer_client.get(LIST, {"page": "x"})
    assert response.context["page"].number == 1
    assert "“x” is not a page number; showing page 1." in response.content.decode()


@pytest.mark.parametrize("count", [5, 60])
def test_the_list_costs_the_same_queries_at_any_page_size(engineer_client, count, django_assert_num_queries):
    CircuitFactory.create_batch(count)
    # user, permissions, the filter menus (one UNION), the page with its count, the prefetches of
    # the relations these bare circuits have (tests/circuits/test_views_pages.py pins the busy case at 10)
    with django_assert_num_queries(7):
        response = engineer_client.get(LIST, {"per_page": 200, "density": "compact"})
    assert rows(response) == count


def _count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, params)
    counted = sum('COUNT("' in query["sql"] or "COUNT(*)" in query["sql"] for query in queries.captured_queries)
    return response.context["page"].paginator.count, counted


@pytest.mark.usefixtures("shared_cache")
def test_a_lists_count_is_taken_from_the_cache_until_a_circuit_is_written(engineer_client, team, write):
    CircuitFactory.create_batch(3, team=team)
    assert _count_queries(engineer_client, {}) == (3, 1)
    assert _count_queries(engineer_client, {"page": 1, "sort": "-name"}) == (3, 0)  # the same filters

    write(lambda: CircuitFactory(team=team))

    assert _count_queries(engineer_client, {}) == (4, 1)


@pytest.mark.usefixtures("shared_cache")
def test_a_count_under_filters_that_read_other_tables_is_never_cached(engineer_client, engineer, team, write):
    circuit = CircuitFactory(team=team)
    assert _count_queries(engineer_client, {"watching": "true"})[0] == 0

    write(lambda: watch_set(user=engineer, circuit=circuit, watching=True))  # writes no circuit

    assert _count_queries(engineer_client, {"watching": "true"})[0] == 1


@pytest.mark.usefixtures("shared_cache")
def test_a_users_new_team_counts_at_once(engineer_client, engineer, write):
    other = TeamFactory(name="other")
    CircuitFactory(team=other)
    assert _count_queries(engineer_client, {"team": ""})[0] == 0

    write(lambda: other.members.add(engineer))

    assert _count_queries(engineer_client, {"team": ""})[0] == 1
