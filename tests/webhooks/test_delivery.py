"""Sending deliveries: signed per Standard Webhooks, retried with backoff, given up after a day."""

from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from audit.models import AuditEvent
from core.actors import Actor
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from webhooks import services, transport
from webhooks.models import Delivery

from .factories import SECRET, DeliveryFactory, EndpointFactory

pytestmark = pytest.mark.django_db


def delivery_to(receiver, **endpoint):
    return DeliveryFactory(endpoint=EndpointFactory(url=receiver.url, **endpoint))


def test_a_delivery_is_signed_so_the_standardwebhooks_package_verifies_it(receiver):
    delivery = delivery_to(receiver)
    attempt = services.delivery_send(delivery_id=delivery.pk)
    assert attempt.succeeded and attempt.status_code == 204
    assert receiver.rejected == 0
    assert receiver.headers[0]["webhook-id"] == delivery.event.message_id
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 1


def test_a_delivered_delivery_is_not_sent_again(receiver):
    delivery = delivery_to(receiver)
    services.delivery_send(delivery_id=delivery.pk)
    assert services.delivery_send(delivery_id=delivery.pk) is None
    assert sum(receiver.received.values()) == 1


def test_during_a_rotation_both_secrets_sign(receiver):
    endpoint = EndpointFactory(url=receiver.url)
    new_secret = services.endpoint_rotate_secret(endpoint=endpoint)
    delivery = DeliveryFactory(endpoint=endpoint)
    services.delivery_send(delivery_id=delivery.pk)
    headers, body = receiver.headers[0], delivery.event.body
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new_secret).verify(body, headers)  # the receiver that switched already
    Webhook(SECRET).verify(body, headers)  # and the one that has not yet


def test_after_the_overlap_only_the_new_secret_signs(receiver):
    endpoint = EndpointFactory(url=receiver.url)
    services.endpoint_rotate_secret(endpoint=endpoint, overlap=timedelta(0))
    services.delivery_send(delivery_id=DeliveryFactory(endpoint=endpoint).pk)
    assert receiver.rejected == 1  # the receiver still holding the old secret refuses it


def test_a_failed_delivery_is_retried_later_with_backoff_and_jitter(receiver):
    receiver.answer = 500
    delivery = delivery_to(receiver)
    now = timezone.now()
    attempt = services.delivery_send(delivery_id=delivery.pk, now=now)
    assert not attempt.succeeded and attempt.status_code == 500
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert now + timedelta(seconds=5) <= delivery.next_attempt_at <= now + timedelta(seconds=10)
    assert services.delivery_send(delivery_id=delivery.pk, now=now) is None  # not due yet


def test_backoff_grows_exponentially_up_to_the_cap(settings):
    settings.ONRAMP_WEBHOOK_RETRY_BASE_DELAY, settings.ONRAMP_WEBHOOK_RETRY_MAX_DELAY = 10, 3600
    assert 20 <= services.retry_delay(3) <= 40  # third try: up to 10·2²
    assert 1800 <= services.retry_delay(30) <= 3600


def test_after_a_day_of_failures_the_endpoint_is_disabled_and_its_owners_notified(receiver, team):
    receiver.answer = 503
    owner = UserFactory(role="engineer", team=team)
    delivery = delivery_to(receiver, teams=[team])
    later = timezone.now() + timedelta(days=1, seconds=1)
    services.delivery_send(delivery_id=delivery.pk, now=later)
    delivery.refresh_from_db()
    delivery.endpoint.refresh_from_db()
    assert delivery.status == "failed"
    assert not delivery.endpoint.is_active
    assert Notification.objects.get(user=owner).kind == "webhook_disabled"


def test_enabling_again_sends_what_was_pending(receiver):
    delivery = delivery_to(receiver, is_active=False)
    services.endpoint_enable(endpoint=delivery.endpoint)
    assert services.delivery_send(delivery_id=delivery.pk).succeeded


def test_redeliver_sends_again_with_the_same_webhook_id(receiver):
    delivery = delivery_to(receiver)
    services.delivery_send(delivery_id=delivery.pk)
    services.delivery_redeliver(delivery=delivery)
    services.delivery_send(delivery_id=delivery.pk)
    assert receiver.received[delivery.event.message_id] == 2
    assert len(receiver.processed) == 1  # the receiver's idempotency drops the second


def test_the_sweep_queues_due_retries_and_lost_sends_only(receiver):
    now = timezone.now()
    due = DeliveryFactory(next_attempt_at=now, queued_at=now - timedelta(hours=1))
    DeliveryFactory(next_attempt_at=now + timedelta(minutes=5))  # backing off
    DeliveryFactory(next_attempt_at=now, queued_at=now)  # queued just now
    assert services.deliveries_queue_due(now=now) == 1
    assert Delivery.objects.get(pk=due.pk).queued_at == now


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data", "http://[::1]/"]
)
def test_addresses_inside_the_network_are_refused(settings, url):
    settings.ONRAMP_WEBHOOK_ALLOW_PRIVATE = []
    with pytest.raises(transport.RefusedDestination):
        transport.destination_check(url)


def test_a_refused_address_is_a_failed_attempt_not_a_request(settings, receiver):
    settings.ONRAMP_WEBHOOK_ALLOW_PRIVATE = []
    delivery = delivery_to(receiver)
    attempt = services.delivery_send(delivery_id=delivery.pk)
    assert not attempt.succeeded and "inside the network" in attempt.error
    assert not receiver.received


def test_redirects_are_not_followed(monkeypatch):
    class Redirect:
        status_code, text = 302, ""

    sent = []
    monkeypatch.setattr(transport.requests.Session, "post", lambda self, url, **kw: sent.append(kw) or Redirect())
    outcome = transport.send(
        url="http://127.0.0.1/", secrets=[SECRET], message_id="msg_1", timestamp=timezone.now(), body="{}"
    )
    assert sent[0]["allow_redirects"] is False
    assert not outcome.succeeded and outcome.status_code == 302


def test_a_secret_that_cannot_be_decrypted_is_a_failed_attempt_saying_what_to_do(receiver, settings):
    delivery = delivery_to(receiver)
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    attempt = services.delivery_send(delivery_id=delivery.pk)
    assert not attempt.succeeded and "rotate" in attempt.error


def test_disabling_and_enabling_an_endpoint_are_audited_with_who_and_why(engineer):
    endpoint = EndpointFactory()
    services.endpoint_disable(endpoint=endpoint, reason="Failing for a day.")
    services.endpoint_enable(endpoint=endpoint, actor=Actor.person(engineer))
    events = AuditEvent.objects.filter(object_id=endpoint.pk, field="is_active").order_by("pk")
    assert [(e.from_value, e.to_value, e.actor_kind, e.reason) for e in events] == [
        ("True", "False", "system", "Failing for a day."),
        ("False", "True", "user", ""),
    ]
