from datetime import timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from circuits.models import Circuit
from core import bulk
from tests.circuits.factories import CircuitFactory

pytestmark = pytest.mark.django_db

FIELDS = ("last_checked_at", "simulator_step_due_at", "simulator_step", "check_failures", "last_check_error")


def _written(circuits):
    return list(Circuit.objects.filter(pk__in=[c.pk for c in circuits]).order_by("pk").values_list(*FIELDS))


def _changed(circuits, now):
    for index, circuit in enumerate(circuits):
        circuit.last_checked_at = now - timedelta(minutes=index)
        circuit.simulator_step_due_at = None if index % 2 else now + timedelta(hours=index)
        circuit.simulator_step = f"step {index}'; --"
        circuit.check_failures = index
        circuit.last_check_error = "" if index % 2 else "timed out"
    return circuits


def test_values_update_writes_what_djangos_bulk_update_writes():
    now = timezone.now()
    ours, django_s = CircuitFactory.create_batch(4), CircuitFactory.create_batch(4)
    assert bulk.values_update(Circuit.objects.all(), _changed(ours, now), FIELDS) == 4
    QuerySet.bulk_update(Circuit.objects.all(), _changed(django_s, now), FIELDS)  # Django's own, CASE per field
    assert _written(ours) == _written(django_s)
    assert _written(ours)[1][1] is None


def test_values_update_splits_what_exceeds_the_parameter_limit(monkeypatch):
    monkeypatch.setattr(bulk, "MAX_PARAMETERS", 12)  # two rows of six parameters per statement
    circuits = _changed(CircuitFactory.create_batch(5), timezone.now())
    assert bulk.values_update(Circuit.objects.all(), circuits, FIELDS) == 5
    assert [row[3] for row in _written(circuits)] == [0, 1, 2, 3, 4]


def test_circuit_bulk_update_is_one_statement(django_assert_num_queries):
    circuits = _changed(CircuitFactory.create_batch(3), timezone.now())
    with django_assert_num_queries(1):
        Circuit.objects.bulk_update(circuits, FIELDS)
    assert [row[3] for row in _written(circuits)] == [0, 1, 2]
