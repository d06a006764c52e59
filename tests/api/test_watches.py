"""Watching a circuit through the API: as on its page, viewing it is enough."""

from notifications.models import Watch
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory

from .factories import client_with_token


def watch_url(circuit):
    return f"/api/circuits/{circuit.pk}/watch/"


def test_a_team_member_is_notified_without_watching(api, circuit):
    assert api.get(watch_url(circuit)).json() == {"circuit": circuit.pk, "watching": False, "notified": True}


def test_a_viewer_outside_the_team_watches_and_unwatches(circuit):
    superuser = UserFactory(is_superuser=True, team=TeamFactory(name="Elsewhere"))
    api = client_with_token(superuser)
    assert api.get(watch_url(circuit)).json()["notified"] is False
    response = api.post(watch_url(circuit), {"watching": True}, format="json")
    assert (response.status_code, response.json()["watching"], response.json()["notified"]) == (200, True, True)
    assert Watch.objects.filter(user=superuser, circuit=circuit).exists()
    response = api.post(watch_url(circuit), {"watching": False}, format="json")
    assert response.json()["watching"] is False
    assert not Watch.objects.exists()


def test_watching_needs_only_view_access(team, circuit):
    api = client_with_token(UserFactory(role="approver", team=team))
    assert api.post(watch_url(circuit), {"watching": True}, format="json").status_code == 200


def test_watching_without_a_yes_or_no_is_refused(api, circuit):
    response = api.post(watch_url(circuit), {}, format="json")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "watching")
    assert not Watch.objects.exists()


def test_another_teams_circuit_cannot_be_watched(api):
    elsewhere = CircuitFactory(team=TeamFactory(name="Elsewhere"))
    assert api.post(watch_url(elsewhere), {"watching": True}, format="json").status_code == 404
    assert not Watch.objects.exists()


def test_the_circuit_list_filters_the_circuits_i_watch(team, circuit):
    superuser = UserFactory(is_superuser=True, team=TeamFactory(name="Elsewhere"))
    api = client_with_token(superuser)
    CircuitFactory(team=team)
    api.post(watch_url(circuit), {"watching": True}, format="json")
    watched = api.get("/api/circuits/", {"watching": "true"}).json()["results"]
    assert [row["id"] for row in watched] == [circuit.pk]
    refused = api.get("/api/circuits/", {"watching": "sometimes"})
    assert (refused.status_code, refused["Content-Type"]) == (400, "application/problem+json")
