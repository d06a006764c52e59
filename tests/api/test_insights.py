"""/api/insights/: the /insights/ page's figures, with its filters, for engineers and managers."""

import pytest
import time_machine

from circuits.models import Circuit
from insights.report import insights_report
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import PeeringLocationFactory, ServiceProviderFactory
from tests.insights.factories import NOW, onboarding_estate

from .factories import client_with_token, problem_fields

URL = "/api/insights/"


@pytest.fixture
def equinix(db):
    return ServiceProviderFactory(name="Equinix", peering_locations=[PeeringLocationFactory(name="Amsterdam")])


@pytest.fixture
def colt(equinix):
    return ServiceProviderFactory(name="Colt", peering_locations=list(equinix.peering_locations.all()))


def report(api, **filters):
    with time_machine.travel(NOW, tick=False):
        return api.get(URL, filters)


def test_the_figures_are_the_pages(api, team, equinix):
    onboarding_estate(team, equinix, NOW, 4)
    response = report(api)
    assert response.status_code == 200, response.json()
    expected = insights_report(Circuit.objects.filter(team=team), now=NOW)
    body = response.json()
    assert body["scorecard"]["rows"][0]["median"] == pytest.approx(expected["scorecard"]["rows"][0]["median"])
    assert [row["quarter"] for row in body["trend"]] == [row["quarter"] for row in expected["trend"]]
    assert [step["number"] for step in body["steps"]] == [2, 3, 4, 5]
    assert body["steps"][0]["providers"][0]["count"] == expected["steps"][0]["providers"][0]["count"]


@pytest.mark.parametrize("role", ["engineer", "manager"])
def test_engineers_and_managers_see_insights(team, role):
    assert report(client_with_token(UserFactory(role=role, team=team))).status_code == 200


def test_approvers_may_not_see_insights(approver_api):
    assert report(approver_api).status_code == 403


def test_only_the_users_teams_circuits_count(api, team, equinix, colt):
    onboarding_estate(TeamFactory(name="Other team"), colt, NOW, 3)
    onboarding_estate(team, equinix, NOW, 2)
    assert [row["provider"] for row in report(api).json()["scorecard"]["rows"]] == ["Equinix"]


def test_the_pages_filters_narrow_the_circuits(api, team, equinix, colt):
    onboarding_estate(team, equinix, NOW, 2)
    onboarding_estate(team, colt, NOW, 2)
    assert [row["provider"] for row in report(api, provider=colt.pk).json()["scorecard"]["rows"]] == ["Colt"]
    assert report(api, period_max="2020-01-01").json()["scorecard"]["rows"] == []


def test_a_bad_filter_value_is_refused_with_its_field(api, team, equinix):
    response = report(api, period_min="not a date", provider=999999)
    assert (response.status_code, problem_fields(response)) == (400, {"period", "provider"})


def test_another_teams_team_is_a_bad_filter_value(api):
    response = report(api, team=TeamFactory(name="Other team").pk)
    assert (response.status_code, problem_fields(response)) == (400, {"team"})
