"""/insights/: engineers and managers of their teams' circuits, constant queries, CSV, filters."""

import pytest
from django.urls import reverse

from tests.accounts.factories import TeamFactory
from tests.circuits.factories import ServiceProviderFactory

from .factories import onboarding_estate

pytestmark = pytest.mark.django_db
URL = reverse("insights:page")


@pytest.mark.parametrize("role", ["engineer", "manager"])
def test_engineers_and_managers_see_the_page(client, request, role, team, equinix, now):
    onboarding_estate(team, equinix, now, 3)
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Provider scorecard" in response.text and "Equinix" in response.text
    assert "<svg" in response.text and "Time in each step" in response.text


def test_approvers_may_not_see_it(client, approver):
    client.force_login(approver)
    assert client.get(URL).status_code == 403


def test_only_the_user_s_teams_circuits_count(engineer_client, team, equinix, now):
    elsewhere = ServiceProviderFactory(name="Colt", peering_locations=list(equinix.peering_locations.all()))
    onboarding_estate(TeamFactory(name="Other team"), elsewhere, now, 3)
    onboarding_estate(team, equinix, now, 2)
    scorecard = engineer_client.get(URL).text.split("Provider scorecard")[1]
    assert "Equinix" in scorecard and "Colt" not in scorecard


def test_the_query_count_does_not_grow_with_the_estate(engineer_client, team, equinix, now, django_assert_num_queries):
    onboarding_estate(team, equinix, now, 3)
    with django_assert_num_queries(QUERIES):
        engineer_client.get(URL, {"team": team.pk})
    onboarding_estate(
        team, ServiceProviderFactory(name="Colt", peering_locations=list(equinix.peering_locations.all())), now, 12
    )
    with django_assert_num_queries(QUERIES):
        engineer_client.get(URL, {"team": team.pk})


# The user, their permissions, the chosen team, the user's teams (the report's scope), the report's one
# query, the provider, location and team menus (the session comes from the cache).
QUERIES = 8


@pytest.mark.parametrize("table", ["scorecard", "steps", "trend"])
def test_each_table_downloads_as_csv(engineer_client, team, equinix, now, table):
    onboarding_estate(team, equinix, now, 4)
    response = engineer_client.get(reverse(f"insights:export_{table}"))
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) > 1 and "Equinix" in "".join(lines[1:]) or table == "trend"


def test_a_bad_filter_value_is_said_next_to_its_field(engineer_client, team, equinix, now):
    onboarding_estate(team, equinix, now, 2)
    response = engineer_client.get(URL, {"period_min": "not a date", "provider": "999999"})
    assert response.status_code == 200
    assert "Showing every circuit instead" in response.text


def test_filters_narrow_the_circuits(engineer_client, team, equinix, now):
    colt = ServiceProviderFactory(name="Colt", peering_locations=list(equinix.peering_locations.all()))
    onboarding_estate(team, equinix, now, 2)
    onboarding_estate(team, colt, now, 2)
    text = engineer_client.get(URL, {"provider": colt.pk}).text
    assert "Colt" in text.split("Provider scorecard")[1] and "Equinix</td>" not in text
