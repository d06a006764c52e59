"""The webhook pages: engineers manage their teams' endpoints; the secret is shown once."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.accounts.factories import TeamFactory
from webhooks.models import Endpoint

from .factories import SECRET, DeliveryFactory, EndpointFactory

pytestmark = pytest.mark.django_db


def create(client, team, **overrides):
    data = {
        "name": "chatops",
        "url": "http://127.0.0.1:9/hook",
        "teams": [team.pk],
        "event_types": ["circuit.created", "bgp_session.down"],
        **overrides,
    }
    return client.post(reverse("webhooks:endpoint_create"), data)


def test_an_engineer_creates_an_endpoint_and_sees_its_secret_once(engineer_client, team):
    response = create(engineer_client, team)
    endpoint = Endpoint.objects.get()
    secret = response.context["secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    assert secret not in endpoint.secret_encrypted  # stored encrypted
    assert secret not in engineer_client.get(endpoint.get_absolute_url()).content.decode()


def test_a_private_url_is_refused_next_to_the_field(engineer_client, team, settings):
    settings.ONRAMP_WEBHOOK_ALLOW_PRIVATE = []
    response = create(engineer_client, team, url="http://169.254.169.254/")
    assert "inside the network" in response.context["form"].errors["url"][0]
    assert not Endpoint.objects.exists()


def test_an_engineer_cannot_send_another_teams_events_to_their_endpoint(engineer_client):
    response = create(engineer_client, TeamFactory(name="Other"))
    assert "teams" in response.context["form"].errors
    assert not Endpoint.objects.exists()


def test_an_endpoint_covering_another_team_is_not_visible(engineer_client, team):
    endpoint = EndpointFactory(teams=[team, TeamFactory(name="Other")])
    assert engineer_client.get(endpoint.get_absolute_url()).status_code == 404
    assert endpoint.name not in engineer_client.get(reverse("webhooks:endpoint_list")).content.decode()


def test_approvers_and_managers_are_refused(client, approver):
    client.force_login(approver)
    assert client.get(reverse("webhooks:endpoint_list")).status_code == 403


def test_rotating_shows_the_new_secret_once(engineer_client, team):
    endpoint = EndpointFactory(teams=[team])
    response = engineer_client.post(reverse("webhooks:endpoint_rotate", args=[endpoint.pk]))
    assert response.context["secret"] != SECRET and response.context["rotated"]


def test_the_log_shows_deliveries_and_redeliver_queues_again(engineer_client, team):
    delivery = DeliveryFactory(endpoint=EndpointFactory(teams=[team]))
    response = engineer_client.get(delivery.endpoint.get_absolute_url())
    assert delivery.event.message_id in response.content.decode()
    redeliver = engineer_client.post(reverse("webhooks:delivery_redeliver", args=[delivery.pk]))
    assert redeliver.status_code == 302


def test_the_log_costs_the_same_queries_for_one_or_many_deliveries(engineer_client, team, django_assert_num_queries):
    endpoint = EndpointFactory(teams=[team])
    DeliveryFactory(endpoint=endpoint)
    engineer_client.get(endpoint.get_absolute_url())  # warm the session cache
    with django_assert_num_queries(6) as one:
        engineer_client.get(endpoint.get_absolute_url(), headers={"HX-Request": "true"})
    DeliveryFactory.create_batch(5, endpoint=endpoint)
    with django_assert_num_queries(len(one.captured_queries)):
        engineer_client.get(endpoint.get_absolute_url(), headers={"HX-Request": "true"})


def test_creating_editing_and_rotating_are_audited_with_who(engineer_client, team):
    create(engineer_client, team)
    endpoint = Endpoint.objects.get()
    edit = {"name": "chatops-2", "url": endpoint.url, "teams": [team.pk], "event_types": endpoint.event_types}
    engineer_client.post(reverse("webhooks:endpoint_edit", args=[endpoint.pk]), edit)
    engineer_client.post(reverse("webhooks:endpoint_rotate", args=[endpoint.pk]))
    events = AuditEvent.objects.filter(object_id=endpoint.pk).order_by("pk")
    assert [(e.field, e.from_value, e.to_value, e.actor_user.username) for e in events] == [
        ("created", "", "http://127.0.0.1:9/…", "eng"),
        ("name", "chatops", "chatops-2", "eng"),
        ("secret", "", "rotated", "eng"),
    ]


def test_a_disabled_endpoint_is_not_pinged(engineer_client, team):
    endpoint = EndpointFactory(teams=[team], is_active=False)
    response = engineer_client.post(reverse("webhooks:endpoint_ping", args=[endpoint.pk]), follow=True)
    assert "enable it first" in response.content.decode()
    assert not endpoint.deliveries.exists()


def test_the_audit_trail_keeps_where_a_url_points_not_the_token_it_may_carry(engineer_client, team):
    endpoint = EndpointFactory(teams=[team], url="https://user:pw@127.0.0.1/services/T0/B0/token-1")
    edit = {"name": endpoint.name, "url": "https://127.0.0.1/services/T0/B0/token-2", "teams": [team.pk]}
    edit["event_types"] = endpoint.event_types
    engineer_client.post(reverse("webhooks:endpoint_edit", args=[endpoint.pk]), edit)
    event = AuditEvent.objects.get(object_id=endpoint.pk, field="url")
    assert (event.from_value, event.to_value) == ("https://127.0.0.1/…", "https://127.0.0.1/…")
