"""Transitions queue insights.refresh of their circuit through the outbox, one pending per circuit."""

import pytest
from django.db import transaction

from circuits import services
from core.actors import SIMULATOR
from outbox.models import OutboxMessage
from tests.circuits.factories import CircuitFactory

pytestmark = pytest.mark.django_db


def _refreshes():
    return list(OutboxMessage.objects.filter(task="insights.refresh").values_list("kwargs", flat=True))


def test_a_step_change_queues_a_refresh_of_its_circuit():
    circuit = CircuitFactory()
    services.circuit_set_provider_state(circuit=circuit, to="Provisioning", actor=SIMULATOR)
    assert _refreshes() == [{"circuit_id": circuit.pk}]


def test_changes_in_one_transaction_queue_one_refresh():
    circuit = CircuitFactory()
    with transaction.atomic():
        services.circuit_set_provider_state(circuit=circuit, to="Provisioning", actor=SIMULATOR)
        services.circuit_set_provider_state(circuit=circuit, to="Provisioned", actor=SIMULATOR)
    assert _refreshes() == [{"circuit_id": circuit.pk}]


def test_changes_that_move_no_step_queue_nothing():
    circuit = CircuitFactory()
    services.circuit_set_status(circuit=circuit, field="provisioning_state", to="Updating", actor=SIMULATOR)
    assert _refreshes() == []
