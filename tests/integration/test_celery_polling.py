"""Beat, a real worker and the simulator on Redis: circuits get provisioned, each step recorded once.
(A worker killed mid-task: tests/integration/test_worker_killed.py.)"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from circuits.models import Circuit
from notifications.models import Heartbeat
from tests.circuits.factories import CircuitFactory, ProviderOrderFactory, ServiceProviderFactory
from tests.support.processes import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PROVIDER_STEPS = [("NotProvisioned", "Provisioning"), ("Provisioning", "Provisioned")]


def _ordered_circuits(count, **provider):
    provider = ServiceProviderFactory(simulated_jitter=0.5, simulated_slow_rate=0, simulated_failure_rate=0, **provider)
    circuits = CircuitFactory.create_batch(count, service_provider=provider)
    for circuit in circuits:
        ProviderOrderFactory(circuit=circuit, service_key_handed_over_at=timezone.now() - timedelta(minutes=1))
    return circuits


def _provisioned():
    return Circuit.objects.filter(service_provider_provisioning_state="Provisioned").count()


def _provider_steps():
    events = AuditEvent.objects.filter(field="service_provider_provisioning_state")
    return Counter((e.circuit_id, e.from_value, e.to_value, e.actor_kind) for e in events)


def test_beat_and_the_simulator_move_ordered_circuits_to_provisioned(workers):
    circuits = _ordered_circuits(4)
    workers.start()
    wait_for(lambda: _provisioned() == 4, timeout=60, what="4 circuits Provisioned", logs_of=workers)
    steps = _provider_steps()
    assert steps == Counter({(c.pk, a, b, "simulator"): 1 for c in circuits for a, b in PROVIDER_STEPS})
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {"beat", "worker"}
