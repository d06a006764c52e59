"""Two engineers acting on one circuit at the same moment, on real PostgreSQL connections: one wins,
the other is told why nothing happened (the ticket case: tests/validation/test_concurrency.py)."""

import threading
import time
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from audit.models import AuditEvent
from circuits import services
from circuits.models import Circuit
from core.actors import Actor
from core.errors import DomainError
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def engineers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what is under test: PostgreSQL only")
    team = TeamFactory(name="Network Engineering")
    return team, [UserFactory(username=name, role="engineer", team=team) for name in ("alice", "bob")]


def _at_once(*actions):
    """Run the actions in threads released together, each on its own database connection.

    The audit write is slowed so the first to take the circuit's row lock holds it while the other
    waits for it: the race is decided by the lock, not by luck.
    """
    start = threading.Barrier(len(actions))
    record = services.audit_event_record
    results = [None] * len(actions)

    def slow_record(**kwargs):
        event = record(**kwargs)
        time.sleep(0.3)
        return event

    def run(index, action):
        try:
            start.wait()
            results[index] = action()
        except DomainError as refusal:
            results[index] = refusal
        finally:
            connection.close()

    with mock.patch.object(services, "audit_event_record", side_effect=slow_record):
        threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    return results


def _refusals(results):
    return [result.message for result in results if isinstance(result, DomainError)]


def test_two_deletions_at_once_delete_once_and_the_other_is_told_it_was_deleted(engineers):
    team, people = engineers
    circuit = CircuitFactory(team=team)
    results = _at_once(
        *(lambda user=user: services.circuit_delete(circuit=circuit, actor=Actor.person(user)) for user in people)
    )
    (refusal,) = _refusals(results)
    winner = next(user for user in people if f"{circuit} was deleted by {user.username} on" in refusal)
    assert "it can no longer change" in refusal and winner
    assert AuditEvent.objects.filter(circuit=circuit, field="deleted").count() == 1


def test_two_deprovision_requests_at_once_record_one_and_the_other_is_told_it_was_requested(engineers):
    team, people = engineers
    circuit = CircuitFactory(team=team, provisioned=True)
    results = _at_once(
        *(
            lambda user=user: services.circuit_request_deprovision(circuit=circuit, actor=Actor.person(user))
            for user in people
        )
    )
    (refusal,) = _refusals(results)
    assert any(refusal.startswith(f"Deprovisioning was already requested by {user.username} on") for user in people)
    assert AuditEvent.objects.filter(circuit=circuit, field="deprovision_requested").count() == 1


def test_two_people_pressing_delete_at_once_one_is_redirected_and_the_other_sees_why_on_the_form(engineers):
    team, people = engineers
    circuit = CircuitFactory(team=team)
    clients = []
    for user in people:
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = f"/circuits/{circuit.pk}/delete/"
    responses = _at_once(*(lambda client=client: client.post(url, {"reason": "unused"}) for client in clients))
    assert sorted(response.status_code for response in responses) == [200, 302]
    loser = next(response for response in responses if response.status_code == 200)
    assert any(f"{circuit} was deleted by {user.username} on" in loser.content.decode() for user in people)
    assert Circuit.objects.get(pk=circuit.pk).is_deleted
    assert AuditEvent.objects.filter(circuit=circuit, field="deleted").count() == 1
