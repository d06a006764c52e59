from unittest import mock

import pytest

from audit.models import AuditEvent
from circuits.models import Circuit
from sync import tasks
from sync.sources.base import Observation
from tests.circuits.factories import CircuitFactory
from tests.sync.sources import StaticSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    source = StaticSource(Observation(provider_state="Provisioned"))
    with mock.patch("sync.tasks.get_source", return_value=source):
        yield source


def test_a_sweep_fans_due_circuits_out_in_chunks(settings):
    settings.ONRAMP_POLL_CHUNK_SIZE = 2
    circuits = CircuitFactory.create_batch(5)
    with mock.patch.object(tasks.check_circuits, "delay") as delay:
        assert tasks.sweep() == 5
    ids = [c.pk for c in circuits]
    assert [call.args[0] for call in delay.call_args_list] == [ids[0:2], ids[2:4], ids[4:]]


def test_a_sweep_checks_every_due_circuit_once(source):
    circuits = CircuitFactory.create_batch(3, service_provider_provisioning_state="Provisioning")
    tasks.sweep()
    assert AuditEvent.objects.filter(field="service_provider_provisioning_state").count() == 3
    assert all(c.service_provider_provisioning_state == "Provisioned" for c in Circuit.objects.all())
    assert tasks.sweep() == 0  # just checked: nothing is due
    assert len(circuits) == source.reads


def test_rerunning_a_sweep_changes_nothing(source, settings):
    settings.ONRAMP_POLL_INTERVAL = settings.ONRAMP_POLL_MOTION_INTERVAL = 0
    CircuitFactory(service_provider_provisioning_state="Provisioning")
    tasks.sweep()
    tasks.sweep()
    assert AuditEvent.objects.filter(field="service_provider_provisioning_state").count() == 1


def test_a_failed_read_is_retried_and_then_succeeds(source):
    source.failures = 2
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")
    tasks.check_circuits([circuit.pk])
    circuit.refresh_from_db()
    assert (circuit.service_provider_provisioning_state, circuit.check_failures, circuit.is_stale) == (
        "Provisioned",
        0,
        False,
    )
    assert source.reads == 3


def test_a_source_that_keeps_failing_stops_after_the_retries_and_marks_the_circuit_stale(source, settings):
    settings.ONRAMP_POLL_MAX_RETRIES, settings.ONRAMP_STALE_AFTER_FAILURES = 3, 3
    source.failures = 100
    circuit = CircuitFactory()
    tasks.check_circuit(circuit.pk)
    circuit.refresh_from_db()
    assert source.reads == 4  # the first read and three retries
    assert (circuit.check_failures, circuit.is_stale) == (4, True)
    assert circuit.last_check_error == "read 4 failed"


def test_retries_back_off_exponentially_up_to_a_cap(settings):
    settings.ONRAMP_POLL_RETRY_BASE_DELAY, settings.ONRAMP_POLL_RETRY_MAX_DELAY = 5, 60
    with mock.patch("sync.tasks.random.uniform", side_effect=lambda low, high: high):
        assert [tasks.retry_delay(attempt) for attempt in range(5)] == [5, 10, 20, 40, 60]


def test_retries_are_scheduled_with_the_backoff_delay(source):
    source.failures = 1
    circuit = CircuitFactory()
    with (
        mock.patch.object(tasks.check_circuit, "apply_async") as apply_async,
        mock.patch("sync.tasks.retry_delay", return_value=7.5),
    ):
        tasks.check_circuits([circuit.pk])
    apply_async.assert_called_once_with((circuit.pk, 1), countdown=7.5)


def test_the_beat_schedule_sweeps_flags_stuck_circuits_and_beats(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"circuits.sweep", "circuits.flag_stuck", "health.heartbeat"} <= tasks_scheduled


def test_the_flag_stuck_task_keeps_its_name_and_calls_the_circuits_service():
    assert tasks.flag_stuck.name == "circuits.flag_stuck"
    with mock.patch("circuits.services.circuits_flag_stuck", return_value=2) as flag:
        assert tasks.flag_stuck() == 2
    (rule,) = flag.call_args.kwargs.values()  # insights' learned rule (tests/insights/test_stuck.py)
    assert flag.call_args.kwargs.keys() == {"rule"} and callable(rule)
