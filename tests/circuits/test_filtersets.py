"""The circuit list's filters, search and sort."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from circuits.checklist import circuit_checklist
from circuits.filtersets import CircuitFilterSet
from circuits.models import Circuit
from circuits.selectors import ONBOARDED, circuit_onboarding_queryset, with_workflow_step
from devtools.demo import seed_demo_estate
from notifications.models import Watch
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory, ProviderOrderFactory


def names(data, user=None):
    request = RequestFactory().get("/circuits/", data)
    request.user = user
    filterset = CircuitFilterSet(request.GET, queryset=with_workflow_step(Circuit.objects.all()), request=request)
    assert filterset.is_valid(), filterset.errors
    return [circuit.name for circuit in filterset.qs]


@pytest.fixture
def estate(db):
    now = timezone.now()
    return {
        "new": CircuitFactory(name="er-new"),
        "provisioning": CircuitFactory(name="er-provisioning", service_provider_provisioning_state="Provisioning"),
        "stuck": CircuitFactory(name="er-stuck", service_provider_provisioning_state="Provisioning", is_stuck=True),
        "stale": CircuitFactory(name="er-stale", provisioned=True, is_stale=True, sku_tier="Premium"),
        "deleted": CircuitFactory(name="er-deleted", created_at=now - timedelta(days=9), deleted_at=now),
    }


def test_search_matches_name_service_key_and_resource_id(estate):
    circuit = estate["new"]
    Circuit.objects.filter(pk=circuit.pk).update(resource_id="/subscriptions/x/resourceGroups/rg-special/er-new")
    assert names({"q": "provision"}) == ["er-provisioning"]
    assert names({"q": str(circuit.service_key)[:13]}) == ["er-new"]
    assert names({"q": "rg-special"}) == ["er-new"]


def test_filter_by_provider_state(estate):
    assert names({"provider_state": "Provisioning"}) == ["er-provisioning", "er-stuck"]


def test_filter_by_provider_and_location(estate):
    circuit = estate["stale"]
    assert names({"service_provider": circuit.service_provider_id}) == ["er-stale"]
    assert names({"peering_location": circuit.peering_location_id}) == ["er-stale"]


def test_filter_by_sku(estate):
    assert names({"sku_tier": "Premium"}) == ["er-stale"]


def test_filter_stuck_and_stale(estate):
    assert names({"stuck": "true"}) == ["er-stuck"]
    assert names({"stale": "true"}) == ["er-stale"]


def test_filter_by_workflow_step(estate):
    assert names({"step": "2"}) == ["er-new"]
    assert names({"step": "3"}) == ["er-provisioning", "er-stuck"]
    assert names({"step": "4"}) == ["er-stale"]


def test_deleted_circuits_are_hidden_unless_asked_for(estate):
    assert "er-deleted" not in names({})
    assert "er-deleted" in names({"deleted": "include"})
    assert names({"deleted": "only"}) == ["er-deleted"]


def test_my_teams_shows_the_circuits_of_the_users_teams(estate):
    mine = TeamFactory(name="Mine")
    CircuitFactory(name="er-mine", team=mine)
    assert names({"team": "mine"}, user=UserFactory(username="mine", role="engineer", team=mine)) == ["er-mine"]


def test_filter_by_one_team(estate):
    team = TeamFactory(name="Cloud")
    CircuitFactory(name="er-cloud", team=team)
    assert names({"team": str(team.pk)}) == ["er-cloud"]


def test_sort_by_step_then_name_keeps_pages_stable(estate):
    ProviderOrderFactory(circuit=estate["new"])
    assert names({"sort": "-step"}) == ["er-stale", "er-provisioning", "er-stuck", "er-new"]


def test_an_unknown_filter_value_is_reported_not_ignored(db):
    filterset = CircuitFilterSet({"provider_state": "Sideways"}, queryset=Circuit.objects.all())
    assert not filterset.is_valid()
    assert "provider_state" in filterset.errors


def test_the_workflow_step_annotation_agrees_with_the_checklist(db):
    """The SQL version of the current step must say what circuits.checklist says, for every stage."""
    seed_demo_estate()
    for circuit in with_workflow_step(circuit_onboarding_queryset()):
        current = circuit_checklist(circuit).current
        assert circuit.workflow_step == (current.number if current else ONBOARDED), circuit.name


def test_an_unknown_sort_is_ignored_not_an_empty_list(estate):
    assert names({"sort": "sideways"}) == ["er-new", "er-provisioning", "er-stale", "er-stuck"]


def test_the_known_parts_of_a_mixed_sort_still_apply(estate):
    ProviderOrderFactory(circuit=estate["new"])
    filterset = CircuitFilterSet({"sort": "sideways,-step"}, queryset=with_workflow_step(Circuit.objects.all()))
    assert (filterset.applied_sort, filterset.ignored_sorts) == ("-step", ["sideways"])
    assert [circuit.name for circuit in filterset.qs] == ["er-stale", "er-provisioning", "er-stuck", "er-new"]


def test_watching_shows_the_circuits_the_user_watches(estate):
    watcher = UserFactory(username="watcher", role="engineer")
    Watch.objects.create(user=watcher, circuit=estate["stale"])
    Watch.objects.create(user=UserFactory(username="someone-else"), circuit=estate["new"])
    assert names({"watching": "true"}, user=watcher) == ["er-stale"]
    assert names({"watching": "false"}, user=watcher) == ["er-new", "er-provisioning", "er-stuck"]
    assert names({"watching": "true"}) == []  # nobody asking watches nothing
