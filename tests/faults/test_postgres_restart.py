"""PostgreSQL goes away under the running app and worker: requests meanwhile get a clean 503 page,
and both recover by themselves once it is back (no restart), losing and doubling no transition.

By default the database is taken away through a proxy (the shared server stays up);
ONRAMP_FAULT_TESTS_RESTART_POSTGRES=1 stops and starts the real local cluster instead.
"""

import time
from collections import Counter

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from circuits import services
from circuits.models import Circuit
from core.actors import Actor
from notifications.models import Heartbeat
from outbox.models import OutboxMessage
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory
from tests.support.processes import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.alone, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = 2


def _order(circuits, engineer):
    # Through the service, as a person orders: the circuit's version moves, so the simulator plans again.
    for circuit in circuits:
        services.provider_order_save(
            circuit=circuit, actor=Actor.person(engineer), provider_reference=f"ORD-{circuit.pk}", status="ordered"
        )


def _provider_steps():
    events = AuditEvent.objects.filter(field="service_provider_provisioning_state")
    return Counter((e.circuit_id, e.from_value, e.to_value) for e in events)


def test_after_a_database_outage_the_app_and_the_worker_recover_and_requests_meanwhile_get_a_clean_503(
    postgres_outage, redis_server, start_web, start_workers
):
    team = TeamFactory(name="Network Engineering")
    engineer = UserFactory(username="eng", role="engineer", team=team)
    provider = ServiceProviderFactory(simulated_jitter=0.5, simulated_slow_rate=0, simulated_failure_rate=0)
    before = CircuitFactory.create_batch(3, team=team, service_provider=provider)
    victim = CircuitFactory(team=team, service_provider=provider)
    web = start_web(broker_url=redis_server.url, database_url=postgres_outage.database_url)
    workers = start_workers(broker_url=redis_server.url, database_url=postgres_outage.database_url)
    browser = web.session(engineer)
    assert web.get(browser, "/circuits/").status_code == 200  # gunicorn now holds a database connection
    wait_for(lambda: Heartbeat.objects.count() == 2, timeout=30, what="beat and the worker", logs_of=workers)
    _order(before, engineer)  # the worker is moving these when the database goes away

    postgres_outage.begin()
    outage_began = timezone.now()
    for path in ("/circuits/", f"/circuits/{victim.pk}/", "/notifications/"):
        response = web.get(browser, path)
        assert (response.status_code, response.headers["Retry-After"]) == (503, "10"), web.logs()
        assert "The database is unavailable for a moment" in response.text
        assert "Traceback" not in response.text and "psycopg" not in response.text
    refused = web.post(browser, f"/circuits/{victim.pk}/delete/", {"reason": "during the outage"})
    assert refused.status_code == 503
    health = web.get(web.session(), "/healthz")
    assert (health.status_code, health.json()["status"]) == (503, "error")
    time.sleep(OUTAGE_SECONDS)  # sweeps and checks fail meanwhile
    postgres_outage.end()

    assert web.get(browser, "/circuits/").status_code == 200, web.logs()  # the very next request works
    assert web.get(browser, f"/circuits/{victim.pk}/").status_code == 200
    assert Circuit.objects.get(pk=victim.pk).deleted_at is None  # the refused delete saved nothing
    assert web.logs(tail=None).count("Booting worker") == 1, "gunicorn's worker was restarted"
    _order([victim], engineer)  # new work after the outage
    queued_meanwhile = OutboxMessage.objects.create(task="circuits.flag_stuck")  # for beat's relay
    wait_for(
        lambda: Circuit.objects.filter(service_provider_provisioning_state="Provisioned").count() == 4,
        timeout=60,
        what="every circuit Provisioned",
        logs_of=workers,
    )
    wait_for(
        lambda: Heartbeat.objects.filter(at__gt=outage_began).count() == 2,
        timeout=30,
        what="beat and the worker beating again",
        logs_of=workers,
    )
    queued_meanwhile.refresh_from_db()
    assert queued_meanwhile.sent_at is not None, "beat's outbox relay did not survive the outage"
    steps = [("NotProvisioned", "Provisioning"), ("Provisioning", "Provisioned")]
    assert _provider_steps() == Counter({(c.pk, a, b): 1 for c in [*before, victim] for a, b in steps})
    assert all(process.poll() is None for process in workers.processes), "the worker died"
