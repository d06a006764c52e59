"""The outbox: a task exists exactly when the change that queued it commits, and reaches the broker once."""

import contextlib
import socket
import threading
import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from config.celery import app
from health.tasks import heartbeat
from notifications.models import Notification
from notifications.services import notify_circuit_watchers
from notifications.tasks import send_notification_emails
from outbox.models import OutboxMessage
from outbox.services import circuit_batch, enqueue, enqueue_for_circuit, outbox_publish, outbox_relay
from tests.circuits.factories import CircuitFactory

BROKER_DOWN = BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _sent(message):
    message.refresh_from_db()
    return message.sent_at is not None


@pytest.mark.django_db
def test_a_task_is_written_with_the_change_and_published_only_on_commit(django_capture_on_commit_callbacks):
    with mock.patch.object(heartbeat, "apply_async") as published:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            message = enqueue(heartbeat)
        assert (message.task, message.args, message.sent_at) == ("health.heartbeat", [], None)
        assert not published.called and len(callbacks) == 1
        callbacks[0]()  # the commit
    published.assert_called_once()
    assert _sent(message) and message.attempts == 1


@pytest.mark.django_db
def test_a_task_is_queued_by_its_registered_name_as_by_the_task_itself(django_capture_on_commit_callbacks):
    with mock.patch.object(heartbeat, "apply_async") as published, django_capture_on_commit_callbacks(execute=True):
        by_name, by_task = enqueue("health.heartbeat", 1, at="now"), enqueue(heartbeat, 1, at="now")
    assert [(m.task, m.args, m.kwargs) for m in (by_name, by_task)] == [("health.heartbeat", [1], {"at": "now"})] * 2
    assert published.call_count == 2


@pytest.mark.django_db
def test_the_messages_of_one_transaction_are_published_in_one_batch(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    with mock.patch.object(heartbeat, "apply_async") as published:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            messages = [enqueue(heartbeat, number) for number in range(3)]
        # One savepoint (the test's transaction is the outer one): the pending rows locked, marked sent.
        with django_assert_num_queries(4):
            for callback in callbacks:  # the commit
                callback()
    assert [call.args[0] for call in published.call_args_list] == [[0], [1], [2]]
    assert all(_sent(message) for message in messages)


@pytest.mark.django_db
def test_a_per_circuit_task_already_pending_for_the_circuit_is_not_queued_again():
    enqueue_for_circuit("insights.refresh", circuit_id=1)
    enqueue_for_circuit("insights.refresh", circuit_id=1)
    enqueue_for_circuit("insights.refresh", circuit_id=2)
    assert list(OutboxMessage.objects.values_list("kwargs", flat=True)) == [{"circuit_id": 1}, {"circuit_id": 2}]


@pytest.mark.django_db
def test_a_circuit_batch_queues_each_per_circuit_task_once_with_all_its_circuits(django_assert_num_queries):
    # One savepoint (the test's transaction is the outer one) and one message per task: no reads.
    with django_assert_num_queries(4), transaction.atomic(), circuit_batch():
        for circuit_id in (3, 1, 3, 2):
            enqueue_for_circuit("insights.refresh", circuit_id=circuit_id)
        enqueue_for_circuit("billing.accruals_refresh", circuit_id=2)
    assert list(OutboxMessage.objects.values_list("task", "kwargs")) == [
        ("billing.accruals_refresh", {"circuit_ids": [2]}),
        ("insights.refresh", {"circuit_ids": [1, 2, 3]}),
    ]


@pytest.mark.django_db
def test_a_name_no_task_is_registered_under_is_refused_when_queued():
    with pytest.raises(LookupError, match="No task named tasks.misspelt is registered"):
        enqueue("tasks.misspelt")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_rolled_back_change_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(heartbeat)
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_when_the_broker_is_down_the_change_commits_and_the_task_waits_in_the_outbox(
    team, engineer, django_capture_on_commit_callbacks
):
    circuit = CircuitFactory(team=team)
    with (
        mock.patch.object(send_notification_emails, "apply_async", side_effect=BROKER_DOWN),
        django_capture_on_commit_callbacks(execute=True),
    ):
        (notification,) = notify_circuit_watchers(circuit=circuit, kind="test", title="t")
    (message,) = OutboxMessage.objects.all()
    assert (message.task, message.kwargs, message.sent_at) == (
        "notifications.send_emails",
        {"notification_ids": [notification.pk]},
        None,
    )
    assert (message.attempts, message.last_error) == (1, str(BROKER_DOWN))
    assert Notification.objects.get().email_status == "pending"

    assert outbox_relay() == 1  # the broker is back
    assert _sent(message) and Notification.objects.get().email_status == "sent"
    assert outbox_relay() == 0


@pytest.mark.django_db
def test_the_relay_keeps_the_order_and_stops_at_a_broker_failure():
    first, second = enqueue(heartbeat), enqueue(heartbeat)
    # A reused connection that fails is replaced and tried once more: the broker refuses both.
    with mock.patch.object(heartbeat, "apply_async", side_effect=[None, BROKER_DOWN, BROKER_DOWN]):
        assert outbox_publish() == 1
    assert _sent(first) and not _sent(second)
    assert outbox_relay() == 1 and _sent(second)


@pytest.mark.django_db
def test_a_message_whose_task_is_gone_does_not_hold_up_the_others():
    orphan = OutboxMessage.objects.create(task="tasks.renamed_since")
    message = enqueue(heartbeat)
    assert outbox_relay() == 1
    orphan.refresh_from_db()
    assert _sent(message) and orphan.sent_at is None
    assert orphan.last_error == "No task named tasks.renamed_since is registered."


@pytest.mark.django_db
def test_a_failure_after_the_commit_is_logged_never_raised(caplog):
    with mock.patch("outbox.services._publish_pending", side_effect=RuntimeError("database gone")):
        assert outbox_publish() == 0
    assert "the relay retries them" in caplog.text


@pytest.mark.django_db
def test_sent_messages_are_kept_a_day_then_pruned():
    old, recent = enqueue(heartbeat), enqueue(heartbeat)
    outbox_relay()
    OutboxMessage.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=1, minutes=1))
    outbox_relay()
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_publish_each_message_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED row locks are what is under test: PostgreSQL only")
    messages = OutboxMessage.objects.bulk_create([OutboxMessage(task=heartbeat.name) for _ in range(6)])
    published = Counter()
    start = threading.Barrier(2)

    def slow_publish(args, kwargs, **options):
        published[threading.get_ident()] += 1
        time.sleep(0.05)  # hold the batch's row locks while the other relay runs

    def relay():
        try:
            start.wait()
            outbox_relay()
        finally:
            connection.close()

    # The task the relay looks up by name (another test may have left a fresh instance registered).
    with mock.patch.object(app.tasks[heartbeat.name], "apply_async", side_effect=slow_publish):
        threads = [threading.Thread(target=relay) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sum(published.values()) == len(messages)
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    assert not OutboxMessage.objects.filter(sent_at=None).exists()


@pytest.fixture
def silent_broker():
    """A Redis that accepts connections and never answers (a hung server, a black-holed host)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept():
        with contextlib.suppress(OSError):
            while True:
                accepted.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()
    for client in accepted:
        client.close()


@pytest.mark.django_db(transaction=True)
def test_a_silent_broker_costs_the_publisher_a_timeout_not_a_hang(silent_broker):
    message = OutboxMessage.objects.create(task="circuits.flag_stuck")

    def publish():
        try:
            outbox_publish(ids=[message.pk])
        finally:
            connection.close()

    publisher = threading.Thread(target=publish, daemon=True)
    with mock.patch.dict(app.conf, {"broker_url": silent_broker, "task_always_eager": False}):
        publisher.start()
        publisher.join(timeout=30)  # kombu's defaults would wait forever
    assert not publisher.is_alive(), "publishing hung on a broker that does not answer"
    message.refresh_from_db()
    assert (message.sent_at, message.attempts) == (None, 1)
    assert "Timeout" in message.last_error


@pytest.mark.django_db
def test_a_connection_broken_since_its_last_use_is_replaced_without_losing_the_message():
    from outbox import services

    with mock.patch.object(heartbeat, "apply_async"):
        assert services.outbox_publish(ids=[enqueue(heartbeat).pk]) == 1  # caches this thread's connection
    message = enqueue(heartbeat)
    with mock.patch.object(heartbeat, "apply_async", side_effect=[BROKER_DOWN, None]):
        assert services.outbox_publish(ids=[message.pk]) == 1
    assert _sent(message)
