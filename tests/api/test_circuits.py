"""Circuits through the API: the list page's filters, the checklist, writes through the services."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from circuits.models import Circuit
from tests.accounts.factories import TeamFactory
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory
from tests.insights.factories import CircuitForecastFactory
from tests.support.caches import shared_cache  # noqa: F401 (fixture)

from .factories import client_with_token, problem_fields


def create_body(owner, **overrides):
    provider = ServiceProviderFactory()
    return {
        "name": "er-api-01",
        "team": owner.pk,
        "subscription_id": str(uuid.uuid4()),
        "resource_group": "rg-network",
        "region": "westeurope",
        "service_provider": provider.pk,
        "peering_location": provider.peering_locations.first().pk,
        "bandwidth_mbps": 1000,
        **overrides,
    }


def test_the_list_shows_only_the_users_teams_circuits(api, circuit):
    CircuitFactory(team__name="Other team")
    response = api.get("/api/circuits/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [circuit.pk]


def test_the_list_filters_and_sorts_as_the_list_page_does(api, team):
    CircuitFactory(team=team, name="er-b", provisioned=True)
    CircuitFactory(team=team, name="er-a")
    CircuitFactory(team=team, name="er-c", provisioned=True)
    response = api.get("/api/circuits/", {"provider_state": "Provisioned", "sort": "-name"})
    assert [row["name"] for row in response.json()["results"]] == ["er-c", "er-b"]


def test_an_invalid_filter_value_is_a_problem_naming_the_filter(api, circuit):
    response = api.get("/api/circuits/", {"provider_state": "Sideways"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert problem_fields(response) == {"provider_state"}


def test_a_circuit_carries_its_five_step_checklist(api, circuit):
    checklist = api.get(f"/api/circuits/{circuit.pk}/").json()["checklist"]
    assert [step["number"] for step in checklist["steps"]] == [1, 2, 3, 4, 5]
    assert set(checklist["steps"][0]) == {"number", "title", "status", "reason", "next_action", "who"}
    assert checklist["current_step"] == next(step["number"] for step in checklist["steps"] if step["status"] != "done")


def test_fields_narrows_the_representation(api, circuit):
    assert api.get(f"/api/circuits/{circuit.pk}/", {"fields": "id,version"}).json() == {
        "id": circuit.pk,
        "version": circuit.version,
    }


def test_a_circuit_created_through_the_api_is_audited_with_source_api(api, engineer, team):
    response = api.post("/api/circuits/", create_body(team), format="json")
    assert response.status_code == 201, response.json()
    circuit = Circuit.objects.get(pk=response.json()["id"])
    assert response["Location"] == f"/api/circuits/{circuit.pk}/"
    event = AuditEvent.objects.get(circuit=circuit, field="created")
    assert (event.actor_kind, event.actor_user) == ("api", engineer)
    assert response.json()["service_key"] == str(circuit.service_key)  # its team's engineer hands it over


def test_input_the_create_form_refuses_is_a_problem_with_the_forms_words(api, team):
    response = api.post("/api/circuits/", create_body(team, name="-bad name-"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert (body["type"], body["status"]) == ("urn:onramp:problem:invalid-input", 400)
    assert problem_fields(response) == {"name"}
    assert "letters, digits" in body["errors"][0]["detail"]
    assert not Circuit.objects.exists()


def test_engineers_create_circuits_only_for_their_own_teams(api, team):
    response = api.post("/api/circuits/", create_body(team, team=TeamFactory(name="Not mine").pk), format="json")
    assert (response.status_code, problem_fields(response)) == (400, {"team"})


def test_a_rule_refusal_maps_to_its_field(api, team, circuit):
    body = create_body(team, name=circuit.name, subscription_id=str(circuit.subscription_id))
    response = api.post("/api/circuits/", body, format="json")
    assert response.status_code == 409  # the same Azure resource: a conflict, not bad input
    assert problem_fields(response) == {"name"}


def test_a_circuit_answers_its_version_as_etag(api, circuit):
    assert api.get(f"/api/circuits/{circuit.pk}/")["ETag"] == f'"{circuit.version}"'


def test_a_write_without_if_match_is_refused_428(api, circuit):
    response = api.patch(f"/api/circuits/{circuit.pk}/", {"bandwidth_mbps": 2000}, format="json")
    assert response.status_code == 428
    circuit.refresh_from_db()
    assert circuit.bandwidth_mbps == 1000


def test_a_stale_if_match_is_refused_412_and_overwrites_nothing(api, circuit):
    stale = api.get(f"/api/circuits/{circuit.pk}/")["ETag"]
    Circuit.objects.filter(pk=circuit.pk).update(version=circuit.version + 1)  # someone else changed it
    response = api.patch(f"/api/circuits/{circuit.pk}/", {"bandwidth_mbps": 2000}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert response.json()["type"] == "urn:onramp:problem:stale-version"
    circuit.refresh_from_db()
    assert circuit.bandwidth_mbps == 1000


def test_an_upgrade_with_the_current_etag_goes_through_the_services(api, circuit):
    etag = api.get(f"/api/circuits/{circuit.pk}/")["ETag"]
    response = api.patch(f"/api/circuits/{circuit.pk}/", {"bandwidth_mbps": 2000}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["bandwidth_mbps"] == 2000
    assert response["ETag"] != etag
    assert AuditEvent.objects.filter(circuit=circuit, field="bandwidth_mbps", actor_kind="api").exists()


def test_a_bandwidth_decrease_is_refused_as_the_page_refuses_it(api, circuit):
    etag = api.get(f"/api/circuits/{circuit.pk}/")["ETag"]
    response = api.patch(f"/api/circuits/{circuit.pk}/", {"bandwidth_mbps": 500}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 422
    assert problem_fields(response) == {"bandwidth_mbps"}


def test_deleting_keeps_the_circuit_readable_with_deleted_at(api, team):
    circuit = CircuitFactory(team=team)
    etag = api.get(f"/api/circuits/{circuit.pk}/")["ETag"]
    response = api.delete(f"/api/circuits/{circuit.pk}/", {"reason": "Never used."}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["deleted_at"]


def test_deleting_a_provisioned_circuit_is_a_conflict(api, circuit):
    etag = api.get(f"/api/circuits/{circuit.pk}/")["ETag"]
    response = api.delete(f"/api/circuits/{circuit.pk}/", format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 409
    circuit.refresh_from_db()
    assert circuit.deleted_at is None


def test_deprovisioning_is_requested_through_the_service(api, circuit):
    etag = api.get(f"/api/circuits/{circuit.pk}/")["ETag"]
    response = api.post(f"/api/circuits/{circuit.pk}/deprovision/", {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["deprovision_requested_at"]


@pytest.mark.parametrize("role", ["approver", "manager"])
def test_read_only_roles_get_403_on_writes(role, request, circuit):
    api = client_with_token(request.getfixturevalue(role))
    response = api.patch(f"/api/circuits/{circuit.pk}/", {"bandwidth_mbps": 2000}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_service_keys_are_masked_for_everyone_but_the_teams_engineers(approver_api, circuit):
    assert approver_api.get(f"/api/circuits/{circuit.pk}/").json()["service_key"].startswith("••••-")


@pytest.mark.parametrize("if_match", ["*", "{version}", '"{version}"', 'W/"{version}"'])
def test_if_match_names_the_current_version_in_any_usual_spelling(api, circuit, if_match):
    header = if_match.format(version=circuit.version)
    response = api.patch(f"/api/circuits/{circuit.pk}/", {"bandwidth_mbps": 2000}, format="json", HTTP_IF_MATCH=header)
    assert response.status_code == 200, response.json()


def test_a_circuit_carries_its_forecast_or_none(api, circuit):
    assert api.get(f"/api/circuits/{circuit.pk}/").json()["forecast"] is None
    CircuitForecastFactory(circuit=circuit, is_late=True)
    forecast = api.get(f"/api/circuits/{circuit.pk}/").json()["forecast"]
    assert forecast["is_late"] is True
    assert set(forecast) >= {"ready_by", "ready_low", "ready_high", "step_p90_days", "group_label"}


@pytest.mark.usefixtures("shared_cache")
def test_the_lists_count_comes_from_the_list_pages_cache_and_a_page_past_the_end_is_not_found(api, team):
    CircuitFactory.create_batch(3, team=team)
    with CaptureQueriesContext(connection) as first_queries:
        first = api.get("/api/circuits/", {"per_page": 2})
    assert (first.json()["count"], len(first.json()["results"])) == (3, 2)
    assert not any(query["sql"].startswith("SELECT COUNT(") for query in first_queries)  # counted in the page's query
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/circuits/", {"per_page": 2}).json()["count"] == 3
    assert not any("COUNT(" in query["sql"] for query in queries)  # from the cache
    assert api.get("/api/circuits/", {"per_page": 2, "page": 3}).status_code == 404
