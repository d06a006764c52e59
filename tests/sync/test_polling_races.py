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


def _check_one(circuit, reading):
    polling.circuit_check(circuit_id=circuit.pk, source=NoSecondRead(), reading=reading)


def _check_in_a_chunk(circuit, reading):
    assert polling.circuits_apply(readings=[(circuit.pk, reading)], source=NoSecondRead()) == []


@pytest.mark.parametrize("check_with", [_check_one, _check_in_a_chunk])
def test_a_stale_reading_never_changes_a_circuit_a_person_deleted_meanwhile(postgresql, check_with):
    circuit = CircuitFactory(circuit_provisioning_state="Disabled")
    person = UserFactory(username="alice", role="engineer", team=circuit.team)
    stale = Reading(circuit.version, Observation(circuit_provisioning_state="Enabled"))
    poller_has_read, person_done, errors = threading.Event(), threading.Event(), []
    apply_observation = polling.circuit_apply_observation

    def apply_after_the_person_had_a_chance(**kwargs):
        poller_has_read.set()
        person_done.wait(PERSON_WINDOW_SECONDS)  # with the lock the person waits for us: we go on alone
        return apply_observation(**kwargs)

    def check():
        check_with(circuit, stale)

    def delete():
        poller_has_read.wait(10)
        services.circuit_delete(circuit=circuit, actor=Actor.person(person), reason="unused")
        person_done.set()

    with mock.patch.object(polling, "circuit_apply_observation", side_effect=apply_after_the_person_had_a_chance):
        threads = [_in_thread(check, errors), _in_thread(delete, errors)]
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    fields = list(AuditEvent.objects.filter(circuit_id=circuit.pk).order_by("pk").values_list("field", flat=True))
    assert fields[-1] == "deleted", f"the stale reading was recorded after the deletion: {fields}"
    assert fields.count("circuit_provisioning_state") == 1
    assert Circuit.objects.get(pk=circuit.pk).is_deleted


def test_a_chunk_being_changed_leaves_its_providers_rows_unlocked(postgresql):
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")
    reading = Reading(circuit.version, Observation(provider_state="Provisioned"))
    chunk_holds_its_locks, provider_tried, errors = threading.Event(), threading.Event(), []
    apply_observation = polling.circuit_apply_observation

    def apply_once_the_provider_was_tried(**kwargs):
        chunk_holds_its_locks.set()
        provider_tried.wait(10)
        return apply_observation(**kwargs)

    def check_chunk():
        polling.circuits_apply(readings=[(circuit.pk, reading)], source=NoSecondRead())

    def lock_provider():  # another worker's chunk of circuits of the same provider
        chunk_holds_its_locks.wait(10)
        try:
            with transaction.atomic():
                ServiceProvider.objects.select_for_update(nowait=True).get(pk=circuit.service_provider_id)
        finally:
            provider_tried.set()

    with mock.patch.object(polling, "circuit_apply_observation", side_effect=apply_once_the_provider_was_tried):
        threads = [_in_thread(check_chunk, errors), _in_thread(lock_provider, errors)]
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert AuditEvent.objects.filter(circuit_id=circuit.pk, field="service_provider_provisioning_state").count() == 1
