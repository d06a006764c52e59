"""Exactly once from the receiver's side, with a real worker SIGKILLed mid-delivery and Redis restarted
(losing every message it held): deliveries live in the database, the outbox and the sweep publish them
again, and the receiver drops repeats by webhook-id."""

import pytest
from celery import current_app
from django.conf import settings

from circuits import services as circuit_services
from core.actors import AZURE
from outbox.services import _drop_broker_connection as drop_broker_connection
from tests.accounts.factories import TeamFactory
from tests.circuits.factories import CircuitFactory
from tests.support.processes import database_url, wait_for
from tests.support.webhook_receiver import Receiver
from webhooks.models import Delivery, WebhookEvent

from .factories import SECRET, EndpointFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
EVENTS = 30
WEBHOOK_ENV = {
    "ONRAMP_WEBHOOK_ALLOW_PRIVATE": "127.0.0.1/32",
    "ONRAMP_WEBHOOK_SWEEP_INTERVAL": "0.5",
    "ONRAMP_WEBHOOK_REQUEUE_AFTER": "3",
    "ONRAMP_WEBHOOK_RETRY_BASE_DELAY": "0.2",
    "ONRAMP_WEBHOOK_RETRY_MAX_DELAY": "1",
    "ONRAMP_SWEEP_INTERVAL": "3600",  # no simulator moves: the only events are the test's
    "ONRAMP_SECRET_KEY": settings.SECRET_KEY,  # the endpoint secrets are encrypted under a key derived from it
}


@pytest.fixture
def receiver():
    started = Receiver(SECRET).start()
    started.delay = 0.3
    yield started
    started.stop()


@pytest.fixture
def broker_down(redis_server):
    """This process publishes for real (not eagerly) to the test's own Redis, which is down."""
    saved = current_app.conf.task_always_eager, current_app.conf.broker_url
    current_app.conf.task_always_eager, current_app.conf.broker_url = False, redis_server.url
    drop_broker_connection()  # a connection an earlier test left cached in this thread goes to its broker
    redis_server.kill()
    yield redis_server
    current_app.conf.task_always_eager, current_app.conf.broker_url = saved
    drop_broker_connection()


def test_no_delivery_is_lost_or_processed_twice_across_a_worker_sigkill_and_a_redis_restart(
    broker_down,
    start_workers,
    receiver,
):
    team = TeamFactory(name="Network Engineering")
    EndpointFactory(url=receiver.url, teams=[team])
    for circuit in CircuitFactory.create_batch(EVENTS, team=team):
        circuit_services.circuit_set_provider_state(circuit=circuit, to="Provisioning", actor=AZURE)
    assert Delivery.objects.filter(status="pending").count() == EVENTS  # recorded though Redis is down

    broker_down.start()
    workers = start_workers(broker_url=broker_down.url, database_url=database_url(), **WEBHOOK_ENV)
    wait_for(lambda: len(receiver.processed) >= 3, timeout=30, what="the first deliveries", logs_of=workers)
    workers.kill(workers.processes[0])  # SIGKILL, mid-request: the receiver answers in 0.3 s
    broker_down.kill()  # and Redis loses whatever it held
    broker_down.start()
    workers.start()

    wait_for(
        lambda: not Delivery.objects.exclude(status="delivered").exists(),
        timeout=90,
        what="every delivery delivered",
        logs_of=workers,
    )
    sent = set(WebhookEvent.objects.values_list("message_id", flat=True))
    processed = [payload["data"]["circuit"]["id"] for payload in receiver.processed]
    assert set(receiver.received) == sent  # nothing lost
    assert len(processed) == len(set(processed)) == EVENTS  # nothing processed twice
    assert receiver.rejected == 0  # every request verified
