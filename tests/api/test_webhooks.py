"""/api/webhooks/: what the webhook pages do, with the same scope, form, services and audit events."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from outbox.models import OutboxMessage
from tests.accounts.factories import TeamFactory, UserFactory
from tests.webhooks.factories import SECRET, DeliveryFactory, EndpointFactory, WebhookEventFactory
from webhooks.models import DeliveryAttempt, Endpoint
from webhooks.services import endpoint_signing_secrets

from .factories import client_with_token, problem_fields

pytestmark = pytest.mark.django_db


def rule(team, **overrides):
    return {
        "name": "chatops",
        "url": "http://127.0.0.1:9/hook",
        "teams": [team.pk],
        "event_types": ["circuit.created", "bgp_session.down"],
        **overrides,
    }


def audit_trail(endpoint, field):
    return [
        (event.from_value, event.to_value, event.actor_kind, event.actor_user.username, event.reason)
        for event in AuditEvent.objects.filter(object_id=endpoint.pk, field=field).order_by("pk")
    ]


def test_an_engineer_creates_an_endpoint_and_reads_its_secret_once(api, team, engineer):
    response = api.post("/api/webhooks/", rule(team), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    secret = body["secret"]
    assert secret.startswith("whsec_") and "no-store" in response["Cache-Control"]
    endpoint = Endpoint.objects.get(pk=body["id"])
    assert (endpoint.created_by, endpoint.event_types) == (engineer, ["bgp_session.down", "circuit.created"])
    for url in ("/api/webhooks/", f"/api/webhooks/{endpoint.pk}/"):
        shown = api.get(url)
        assert secret not in shown.content.decode() and b'"secret"' not in shown.content
    assert audit_trail(endpoint, "created") == [("", "http://127.0.0.1:9/…", "api", "eng", "")]


def test_bad_input_is_refused_with_the_pages_words_next_to_each_field(api, team):
    response = api.post("/api/webhooks/", rule(team, name="", url="not a url", event_types=[]), format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert problem_fields(response) == {"name", "url", "event_types"}
    assert not Endpoint.objects.exists()


def test_a_url_inside_the_network_is_refused_next_to_the_url(api, team, settings):
    settings.ONRAMP_WEBHOOK_ALLOW_PRIVATE = []
    response = api.post("/api/webhooks/", rule(team, url="http://169.254.169.254/latest"), format="json")
    assert response.status_code == 422
    assert problem_fields(response) == {"url"} and "inside the network" in response.json()["detail"]
    assert not Endpoint.objects.exists()


def test_an_engineer_cannot_send_another_teams_events_to_their_endpoint(api):
    response = api.post("/api/webhooks/", rule(TeamFactory(name="Other")), format="json")
    assert response.status_code == 400 and problem_fields(response) == {"teams"}
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("role", ["approver", "manager"])
def test_approvers_and_managers_are_refused_before_any_lookup(role, request, team):
    client = client_with_token(request.getfixturevalue(role))
    endpoint = EndpointFactory(teams=[team])
    assert client.get("/api/webhooks/").status_code == 403
    assert client.post("/api/webhooks/", rule(team), format="json").status_code == 403
    assert client.post(f"/api/webhooks/{endpoint.pk}/disable/").status_code == 403
    assert Endpoint.objects.get().is_active


def test_an_endpoint_hearing_about_another_team_is_not_reached(api, team):
    endpoint = EndpointFactory(teams=[team, TeamFactory(name="Other")])
    delivery = DeliveryFactory(endpoint=endpoint)
    for url in (f"/api/webhooks/{endpoint.pk}/", f"/api/webhooks/{endpoint.pk}/deliveries/"):
        assert api.get(url).status_code == 404
    assert api.post(f"/api/webhooks/{endpoint.pk}/rotate-secret/").status_code == 404
    assert api.post(f"/api/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/redeliver/").status_code == 404
    assert api.get("/api/webhooks/").json()["results"] == []


def test_superusers_see_and_choose_every_team(team):
    root = client_with_token(UserFactory(username="root", is_superuser=True, team=TeamFactory(name="Admins")))
    EndpointFactory(teams=[team])
    assert root.get("/api/webhooks/").json()["count"] == 1
    assert root.post("/api/webhooks/", rule(team), format="json").status_code == 201


def test_a_patch_changes_the_fields_given_and_audits_each(api, team):
    endpoint = EndpointFactory(teams=[team], name="chatops", event_types=["circuit.created"])
    response = api.patch(f"/api/webhooks/{endpoint.pk}/", {"event_types": ["circuit.stuck"]}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["teams"]) == ("chatops", [team.pk])
    assert Endpoint.objects.get().event_types == ["circuit.stuck"]
    assert audit_trail(endpoint, "event_types") == [("circuit.created", "circuit.stuck", "api", "eng", "")]
    assert not AuditEvent.objects.filter(object_id=endpoint.pk, field__in=["name", "url", "teams"]).exists()


def test_disabling_and_enabling_are_audited_with_source_api_and_the_reason(api, team):
    endpoint = EndpointFactory(teams=[team])
    response = api.post(f"/api/webhooks/{endpoint.pk}/disable/", {"reason": "Receiver moving."}, format="json")
    assert response.status_code == 200 and response.json()["disabled_reason"] == "Receiver moving."
    assert api.post(f"/api/webhooks/{endpoint.pk}/enable/").json()["is_active"] is True
    assert audit_trail(endpoint, "is_active") == [
        ("True", "False", "api", "eng", "Receiver moving."),
        ("False", "True", "api", "eng", ""),
    ]


def test_a_person_disabling_tells_the_owners_who_did_it(api, team, engineer):
    endpoint = EndpointFactory(teams=[team])
    api.post(f"/api/webhooks/{endpoint.pk}/disable/", {"reason": "Receiver moving."}, format="json")
    assert engineer.notifications.get(kind="webhook_disabled").body == (
        "Receiver moving. eng disabled it; pending deliveries are sent when it is enabled again."
    )


def test_rotating_returns_the_new_secret_once_and_both_sign_during_the_overlap(api, team):
    endpoint = EndpointFactory(teams=[team])
    response = api.post(f"/api/webhooks/{endpoint.pk}/rotate-secret/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = response.json()["secret"]
    assert secret != SECRET and response.json()["previous_secret_until"]
    assert endpoint_signing_secrets(Endpoint.objects.get()) == [secret, SECRET]
    assert secret not in api.get(f"/api/webhooks/{endpoint.pk}/").content.decode()
    [(_, rotated, kind, _, reason)] = audit_trail(endpoint, "secret")
    assert (rotated, kind) == ("rotated", "api") and secret not in reason


def test_ping_queues_a_test_event_to_that_endpoint_only(api, team):
    endpoint, other = EndpointFactory(teams=[team]), EndpointFactory(teams=[team])
    response = api.post(f"/api/webhooks/{endpoint.pk}/ping/")
    assert response.status_code == 202
    assert (response.json()["event_type"], response.json()["status"]) == ("webhook.ping", "pending")
    assert OutboxMessage.objects.filter(task="webhooks.deliver", args=[response.json()["id"]]).exists()
    assert not other.deliveries.exists()


def test_a_disabled_endpoint_is_not_pinged(api, team):
    endpoint = EndpointFactory(teams=[team], is_active=False)
    response = api.post(f"/api/webhooks/{endpoint.pk}/ping/")
    assert response.status_code == 409 and "enable it first" in response.json()["detail"]
    assert not endpoint.deliveries.exists()


def test_the_delivery_log_is_newest_first_by_cursor_with_status_latency_and_excerpt(api, team):
    endpoint = EndpointFactory(teams=[team])
    deliveries = [DeliveryFactory(endpoint=endpoint) for _ in range(3)]
    DeliveryAttempt.objects.create(
        delivery=deliveries[0], succeeded=False, status_code=503, latency_ms=41, response_excerpt="busy"
    )
    DeliveryFactory(endpoint=EndpointFactory(teams=[team]))  # another endpoint's
    first = api.get(f"/api/webhooks/{endpoint.pk}/deliveries/", {"per_page": 2}).json()
    second = api.get(first["next"]).json()
    rows = first["results"] + second["results"]
    assert [row["id"] for row in rows] == [delivery.pk for delivery in reversed(deliveries)]
    assert rows[-1]["tries"] == [
        {
            "at": rows[-1]["tries"][0]["at"],
            "succeeded": False,
            "status_code": 503,
            "latency_ms": 41,
            "response_excerpt": "busy",
            "error": "",
        }
    ]
    assert rows[-1]["message_id"] == deliveries[0].event.message_id


def test_the_delivery_log_filters_by_status_and_refuses_an_unknown_one(api, team):
    endpoint = EndpointFactory(teams=[team])
    failed = DeliveryFactory(endpoint=endpoint, status="failed")
    DeliveryFactory(endpoint=endpoint)
    url = f"/api/webhooks/{endpoint.pk}/deliveries/"
    assert [row["id"] for row in api.get(url, {"status": "failed"}).json()["results"]] == [failed.pk]
    assert api.get(url, {"status": "lost"}).status_code == 400


def test_redeliver_sends_again_with_the_same_webhook_id_and_a_fresh_day(api, team):
    long_ago = timezone.now() - timedelta(days=2)
    delivery = DeliveryFactory(endpoint=EndpointFactory(teams=[team]), status="failed", retry_from=long_ago)
    response = api.post(f"/api/webhooks/{delivery.endpoint.pk}/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["message_id"]) == ("pending", delivery.event.message_id)
    delivery.refresh_from_db()
    assert delivery.retry_from > long_ago
    assert OutboxMessage.objects.filter(task="webhooks.deliver", args=[delivery.pk]).exists()


def test_a_delivery_is_reached_only_through_its_own_endpoint(api, team):
    endpoint = EndpointFactory(teams=[team])
    delivery = DeliveryFactory(endpoint=EndpointFactory(teams=[team]), event=WebhookEventFactory())
    response = api.post(f"/api/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 404
