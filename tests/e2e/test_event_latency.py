"""A change in the source reaches an open browser through Azure's event: the simulator's provider
finishes, the simulator posts the Event Grid event, a real Celery worker checks the circuit, and the
page shows it by its own live poll. The sweep is off, so only the event can bring the change. How
long it takes is `manage.py bench --sections latency`'s figure (docs/PERFORMANCE.md), not asserted."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from circuits.models import Circuit
from devtools.azure_events import due_changes
from devtools.bench.latency import event_posted, provider_state_badge
from tests.accounts.factories import UserFactory
from tests.circuits.factories import CircuitFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("role_groups"),
]
WAIT_MS = 60_000  # a worker's start on the shared machine included


def test_a_provider_change_announced_by_its_event_reaches_the_open_page(
    page, live_server, log_in, catalog, fast_live_polls, publishing, workers
):
    workers.env.update(ONRAMP_SWEEP_INTERVAL="3600", ONRAMP_SECRET_KEY=settings.SECRET_KEY)
    workers.start(beat=False)
    circuit = CircuitFactory(
        name="er-evented",
        service_provider=catalog,
        service_provider_provisioning_state="Provisioning",
        simulator_step="provisioned",
        simulator_step_due_at=timezone.now() + timedelta(days=1),
        last_checked_at=timezone.now(),
    )
    UserFactory(username="nina", role="engineer", team=circuit.team)
    log_in("nina")
    page.goto(f"{live_server.url}{circuit.get_absolute_url()}")
    expect(provider_state_badge(page)).to_have_text("Provisioning")

    before = timezone.now()
    Circuit.objects.filter(pk=circuit.pk).update(simulator_step_due_at=before)
    [changed] = due_changes(after=before - timedelta(seconds=1), until=timezone.now())
    assert event_posted(live_server.url, settings.ONRAMP_EVENTGRID_SECRET, changed)["matched"] == 1

    expect(provider_state_badge(page)).to_have_text("Provisioned", timeout=WAIT_MS)
