"""A stale bulk reading racing a person's action on the same circuit, on two real PostgreSQL
connections: circuit_check's own row lock (not only transition()'s) keeps them in order.

circuits_check reads a chunk without locks; circuit_check (or circuits_apply, for a chunk's
circuits at once) then locks the circuit and applies the reading only if the circuit is still at
the version read. Were that first lock missing, a person
could delete the circuit between circuit_check's read and its writes, and the stale reading would
still be recorded on the deleted circuit (transition() locks each write, but checks no deletion)."""

import threading
from unittest import mock

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from circuits import services
from circuits.models import Circuit, ServiceProvider
from core.actors import POLLER, Actor
from sync import polling
from sync.polling import Reading
from sync.sources.base import Observation
from tests.accounts.factories import UserFactory
from tests.circuits.factories import CircuitFactory

pytestmark = pytest.mark.django_db(transaction=True)

# How long the poller, having read the circuit, gives the person to act before it writes.
PERSON_WINDOW_SECONDS = 1.5


class NoSecondRead:
    """The reading is still current, so the source must not be asked again."""

    actor = POLLER

    def observe(self, circuit, *, now):
        raise AssertionError("the stale reading was current: circuit_check must not read the source again")


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what is under test: PostgreSQL only")


def _in_thread(action, errors):
    def run():
        try:
            action()
        except Exception as error:  # reported to the test, which fails with it
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _race(check, other, *, wait=10):
    """Run `check` (which applies a reading) and `other` on two connections: `other` starts once
    the check holds its locks and has its reading, and the check goes on once `other` is done, or
    after `wait` seconds (when `other` waits for the check's locks). Returns the errors of both."""
    check_has_read, other_done, errors = threading.Event(), threading.Event(), []
    apply_observation = polling.circuit_apply_observation

    def apply_after_the_other(**kwargs):
        check_has_read.set()
        other_done.wait(wait)
        return apply_observation(**kwargs)

    def other_once_the_check_has_read():
        check_has_read.wait(10)
        try:
            other()
        finally:
            other_done.set()

    with mock.patch.object(polling, "circuit_apply_observation", side_effect=apply_after_the_other):
        threads = [_in_thread(check, errors), _in_thread(other_once_the_check_has_read, errors)]
        for thread in threads:
            thread.join(timeout=30)
    return errors


def _check_one(circuit, reading):
    polling.circuit_check(circuit_id=circuit.pk, source=NoSecondRead(), reading=reading)


def _check_in_a_chunk(circuit, reading):
    assert polling.circuits_apply(readings=[(circuit.pk, reading)], source=NoSecondRead()) == []


@pytest.mark.parametrize("check_with", [_check_one, _check_in_a_chunk])
def test_a_stale_reading_never_changes_a_circuit_a_person_deleted_meanwhile(postgresql, check_with):
    circuit = CircuitFactory(circuit_provisioning_state="Disabled")
    person = UserFactory(username="alice", role="engineer", team=circuit.team)
    stale = Reading(circuit.version, Observation(circuit_provisioning_state="Enabled"))

    def delete():
        services.circuit_delete(circuit=circuit, actor=Actor.person(person), reason="unused")

    # With the lock the person waits for the check, which goes on alone after the window.
    errors = _race(lambda: check_with(circuit, stale), delete, wait=PERSON_WINDOW_SECONDS)

    assert errors == []
    fields = list(AuditEvent.objects.filter(circuit_id=circuit.pk).order_by("pk").values_list("field", flat=True))
    assert fields[-1] == "deleted", f"the stale reading was recorded after the deletion: {fields}"
    assert fields.count("circuit_provisioning_state") == 1
    assert Circuit.objects.get(pk=circuit.pk).is_deleted


def test_a_chunk_being_changed_leaves_its_providers_rows_unlocked(postgresql):
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")
    reading = Reading(circuit.version, Observation(provider_state="Provisioned"))

    def lock_provider():  # as another worker's chunk of circuits of the same provider would
        with transaction.atomic():
            ServiceProvider.objects.select_for_update(nowait=True).get(pk=circuit.service_provider_id)

    errors = _race(lambda: _check_in_a_chunk(circuit, reading), lock_provider)

    assert errors == []
    assert AuditEvent.objects.filter(circuit_id=circuit.pk, field="service_provider_provisioning_state").count() == 1
