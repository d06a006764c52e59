"""Audit events, notifications, billing exposure and the catalog."""

from datetime import timedelta

from django.utils import timezone

from audit.services import audit_event_record
from core.actors import SYSTEM
from notifications.models import Notification
from tests.circuits.factories import CircuitFactory

from .factories import client_with_token


def event(circuit, n=0):
    return audit_event_record(obj=circuit, field="note", to_value=str(n), actor=SYSTEM, circuit_id=circuit.pk)


def test_audit_events_are_those_of_the_users_teams_circuits(api, circuit):
    own = event(circuit)
    event(CircuitFactory(team__name="Other team"))
    assert [row["id"] for row in api.get("/api/audit-events/").json()["results"]] == [own.pk]


def test_audit_events_page_by_cursor_newest_first(api, circuit):
    events = [event(circuit, n) for n in range(5)]
    first = api.get("/api/audit-events/", {"per_page": 3}).json()
    second = api.get(first["next"]).json()
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert seen == [item.pk for item in reversed(events)]
    assert second["next"] is None


def test_a_circuits_created_event_masks_the_service_key_as_the_page_does(approver_api, circuit):
    audit_event_record(
        obj=circuit, field="created", to_value=str(circuit.service_key), actor=SYSTEM, circuit_id=circuit.pk
    )
    row = approver_api.get("/api/audit-events/").json()["results"][0]
    assert row["to_value"].startswith("••••-")


def test_notifications_are_the_users_own(api, engineer, approver):
    mine = Notification.objects.create(user=engineer, kind="test", title="yours")
    Notification.objects.create(user=approver, kind="test", title="not yours")
    assert [row["id"] for row in api.get("/api/notifications/").json()["results"]] == [mine.pk]


def test_notifications_are_marked_read(api, engineer):
    mine = Notification.objects.create(user=engineer, kind="test", title="yours")
    assert api.post("/api/notifications/read/", {"notifications": [mine.pk]}, format="json").json() == {"marked": 1}
    assert api.get("/api/notifications/", {"unread": "true"}).json()["count"] == 0


def test_engineers_see_their_teams_circuits_billing(api, team):
    circuit = CircuitFactory(team=team, created_at=timezone.now() - timedelta(days=3))
    CircuitFactory(team__name="Other team")
    rows = api.get("/api/billing/circuits/").json()["results"]
    assert [row["circuit"] for row in rows] == [circuit.pk]


def test_approvers_see_no_billing(approver_api, circuit):
    assert approver_api.get("/api/billing/circuits/").status_code == 403


def test_billing_totals_are_for_managers(api, manager, circuit):
    assert api.get("/api/billing/totals/").status_code == 403
    totals = client_with_token(manager).get("/api/billing/totals/", {"as_of": "2026-11-30"}).json()
    assert (totals["as_of"], totals["currency"]) == ("2026-11-30", "USD")


def test_the_catalog_lists_providers_and_locations(api, circuit):
    providers = {row["name"]: row for row in api.get("/api/providers/", {"per_page": 200}).json()["results"]}
    assert providers[circuit.service_provider.name]["peering_locations"] == [circuit.peering_location.pk]
    locations = api.get("/api/locations/", {"per_page": 200}).json()["results"]
    assert circuit.peering_location.name in {row["name"] for row in locations}


def test_teams_are_the_users_own(api, team):
    from tests.accounts.factories import TeamFactory

    TeamFactory(name="Not mine")
    assert [row["name"] for row in api.get("/api/teams/").json()["results"]] == [team.name]


def test_providers_filter_by_layer(api):
    layers = {
        row["layer"] for row in api.get("/api/providers/", {"layer": "Layer2", "per_page": 200}).json()["results"]
    }
    assert layers == {"Layer2"}
