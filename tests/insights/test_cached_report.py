"""/insights/ answers from a report cached per scope and filters until a refresh rewrites the stays of a
team in the scope (insights.stamps); a cache that fails is no cache."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from circuits.models import Circuit
from insights.filtersets import InsightsFilterSet
from insights.selectors import insights_circuits, insights_report_for
from insights.services import insights_refresh
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.factories import client_with_token
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory
from tests.support.caches import shared_cache  # noqa: F401 (fixture)

from .factories import onboarding_estate, play

pytestmark = pytest.mark.django_db
URL = reverse("insights:page")

# test_views.QUERIES less the report's one query: the user, their permissions, the chosen team, the
# user's teams (the report's scope), the provider, location and team menus.
CACHED_QUERIES = 7


@pytest.fixture
def refreshed(django_capture_on_commit_callbacks):
    """insights_refresh as the task runs it: committed, so the stamps it forgets are forgotten."""

    def refresh(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            insights_refresh(**kwargs)

    return refresh


def circuits_counted(client, **filters):
    context = client.get(URL, filters).context
    return sum(row["circuits"] for row in context["scorecard"]["rows"]), context["as_of"]


@pytest.fixture
def colt(equinix):
    return ServiceProviderFactory(name="Colt", peering_locations=list(equinix.peering_locations.all()))


@pytest.mark.usefixtures("shared_cache")
def test_a_refresh_makes_the_next_page_show_new_figures(engineer_client, team, equinix, now, refreshed):
    onboarding_estate(team, equinix, now, 3)
    counted, as_of = circuits_counted(engineer_client)
    circuit = play(CircuitFactory(team=team, service_provider=equinix), now - timedelta(days=5), [1])
    assert circuits_counted(engineer_client) == (counted, as_of)  # the stays are not rewritten yet
    refreshed(circuit_ids=[circuit.pk])
    assert circuits_counted(engineer_client)[0] == counted + 1


@pytest.mark.usefixtures("shared_cache")
def test_the_page_says_when_its_figures_were_computed(engineer_client, team, equinix, now):
    onboarding_estate(team, equinix, now, 2)
    response = engineer_client.get(URL)
    assert f"Figures as of {response.context['as_of']:%H:%M}" in response.text


@pytest.mark.usefixtures("shared_cache")
def test_a_refresh_in_another_team_leaves_this_team_s_report_cached(
    engineer_client, team, equinix, colt, now, refreshed, django_capture_on_commit_callbacks
):
    other = TeamFactory(name="Other team")
    with django_capture_on_commit_callbacks(execute=True):  # the estates' own refreshes forget their stamps now
        onboarding_estate(team, equinix, now, 2)
        onboarding_estate(other, colt, now, 2)
    before = circuits_counted(engineer_client)
    refreshed(circuit_ids=list(Circuit.objects.filter(team=other).values_list("pk", flat=True)))
    assert circuits_counted(engineer_client) == before
    refreshed()  # the full rebuild renews every team's
    assert circuits_counted(engineer_client)[1] != before[1]


@pytest.mark.usefixtures("shared_cache")
def test_a_user_never_gets_another_scope_s_cached_report(client, engineer, team, equinix, colt, now):
    onboarding_estate(team, equinix, now, 2)
    other = TeamFactory(name="Other team")
    onboarding_estate(other, colt, now, 3)
    client.force_login(engineer)
    assert [row["provider"] for row in client.get(URL).context["scorecard"]["rows"]] == ["Equinix"]
    client.force_login(UserFactory(role="engineer", team=other))
    assert [row["provider"] for row in client.get(URL).context["scorecard"]["rows"]] == ["Colt"]
    client.force_login(UserFactory(is_superuser=True))
    assert [row["provider"] for row in client.get(URL).context["scorecard"]["rows"]] == ["Colt", "Equinix"]


@pytest.mark.usefixtures("shared_cache")
def test_each_filter_has_its_own_report(engineer_client, team, equinix, colt, now):
    onboarding_estate(team, equinix, now, 2)
    onboarding_estate(team, colt, now, 3)
    assert circuits_counted(engineer_client)[0] == 5
    assert circuits_counted(engineer_client, provider=colt.pk)[0] == 3
    assert circuits_counted(engineer_client, provider=equinix.pk)[0] == 2


@pytest.mark.usefixtures("shared_cache")
def test_a_cached_report_costs_no_query(engineer_client, team, equinix, now, django_assert_num_queries):
    onboarding_estate(team, equinix, now, 3)
    with django_assert_num_queries(CACHED_QUERIES + 1):
        engineer_client.get(URL, {"team": team.pk})
    with django_assert_num_queries(CACHED_QUERIES):
        engineer_client.get(URL, {"team": team.pk})


@pytest.mark.usefixtures("shared_cache")
def test_the_api_and_the_page_share_the_cached_report(engineer_client, engineer, team, equinix, now):
    onboarding_estate(team, equinix, now, 2)
    as_of = circuits_counted(engineer_client)[1]
    body = client_with_token(engineer).get("/api/insights/").json()
    assert datetime.fromisoformat(body["as_of"]) == as_of


def test_with_the_cache_unreachable_the_report_is_computed(engineer, settings, team, equinix, now):
    # Sessions and the API's throttle need the cache before the view runs: the report is asked directly.
    onboarding_estate(team, equinix, now, 2)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    filterset = InsightsFilterSet(None, queryset=insights_circuits(engineer))
    assert insights_report_for(engineer, filterset)["scorecard"]["rows"][0]["circuits"] == 2
