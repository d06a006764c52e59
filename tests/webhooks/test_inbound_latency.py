"""How long a change in the source takes to reach the database when Azure's event announces it: the
figure behind docs/PERFORMANCE.md's "Inbound events". Printed, never asserted on (speed is a
measure, not a test); the test asserts that the event, not the sweep, brought the change."""

import time
from datetime import timedelta
from statistics import median

import pytest
from celery import current_app
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from circuits.models import Circuit
from devtools.azure_events import due_changes, write_success_event
from notifications.models import Heartbeat
from outbox.services import _drop_broker_connection as drop_broker_connection
from tests.circuits.factories import CircuitFactory
from tests.support.processes import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROUNDS = 5


@pytest.fixture
def publishing(broker):
    saved = current_app.conf.task_always_eager, current_app.conf.broker_url
    current_app.conf.task_always_eager, current_app.conf.broker_url = False, broker
    drop_broker_connection()  # a connection an earlier test left cached in this thread goes to its broker
    yield broker
    current_app.conf.task_always_eager, current_app.conf.broker_url = saved
    drop_broker_connection()


def test_an_event_brings_a_source_change_in_without_waiting_for_the_sweep(publishing, workers, client, capsys):
    workers.env.update(ONRAMP_SWEEP_INTERVAL="3600", ONRAMP_SECRET_KEY=settings.SECRET_KEY)
    workers.start()
    beating = Heartbeat.objects.filter(name="worker")
    wait_for(beating.exists, timeout=60, what="the worker's first heartbeat", logs_of=workers)  # up, not booting
    lags = []
    for _ in range(ROUNDS):
        due = timezone.now() + timedelta(seconds=1)
        circuit = CircuitFactory(
            service_provider_provisioning_state="Provisioning",
            simulator_step="provisioned",
            simulator_step_due_at=due,
            last_checked_at=timezone.now(),
        )
        while timezone.now() < due:
            time.sleep(0.02)
        events = [write_success_event(c) for c in due_changes(after=due - timedelta(seconds=1), until=timezone.now())]
        key = {"HTTP_X_ONRAMP_EVENT_KEY": settings.ONRAMP_EVENTGRID_SECRET}
        response = client.post(reverse("azure_events"), events, content_type="application/json", **key)
        assert response.json()["matched"] == 1
        applied = Circuit.objects.filter(pk=circuit.pk, service_provider_provisioning_state="Provisioned")
        wait_for(applied.exists, timeout=20, what="the event's check", logs_of=workers)
        lags.append((applied.get().last_checked_at - due).total_seconds())
    live_poll = settings.ONRAMP_LIVE_POLL_SECONDS
    with capsys.disabled():
        print(
            f"\nrounds {[round(lag, 2) for lag in lags]}\n"
            f"source change → database: median {median(lags):.2f} s, max {max(lags):.2f} s over {ROUNDS}; "
            f"→ open browser: + up to {live_poll} s (live poll) = max {max(lags) + live_poll:.2f} s"
        )
