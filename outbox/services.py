"""The transactional outbox: background work is written with the change that caused it.

`enqueue(task, *args, **kwargs)` (a task or its registered name) inserts a row in the caller's
transaction, so the work exists exactly when the change does. When the transaction commits, the
row is handed to the broker at once; if the broker is down the row stays pending (the request
still succeeds) and the relay delivers it later: beat's relay loop (outbox.beat), or `manage.py outbox_relay`.

A row is marked sent in the transaction that published it, under a row lock taken with SKIP
LOCKED, so concurrent relays never publish one row twice. A crash between the broker accepting a
message and that commit publishes it again later: tasks must stay idempotent.
"""

import logging
import os
import threading
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta
from itertools import batched

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models import OutboxMessage

logger = logging.getLogger(__name__)

RELAY_BATCH_SIZE = 500
KEEP_SENT = timedelta(days=1)
# Fail fast instead of holding a request: by default kombu retries a refused connection for
# seconds and redis-py waits forever on a host that accepts but never answers.
PUBLISH_TIMEOUT_SECONDS = 1
PUBLISH_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": PUBLISH_TIMEOUT_SECONDS,
    "socket_timeout": PUBLISH_TIMEOUT_SECONDS,
}
# Per thread, as Django's database connections are: the broker connection, the ids its transaction
# queued, the open circuit_batch().
_local = threading.local()


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Queue `task(*args, **kwargs)` with the current transaction; published once it commits.

    `task` is a registered task name ("validation.revalidate_peering") or the task itself: by name, a
    service queues another app's work without importing it. A name no worker would know is refused
    here, in the caller's transaction, rather than left pending for ever.
    """
    name = task if isinstance(task, str) else task.name
    if _registered_task(current_app, name) is None:
        raise LookupError(f"No task named {name} is registered.")
    message = OutboxMessage.objects.create(task=name, args=list(args), kwargs=kwargs)
    _enqueued().append(message.pk)
    transaction.on_commit(_publish_enqueued)
    return message


def _enqueued() -> list[int]:
    if getattr(_local, "enqueued_pid", None) != os.getpid():  # a fork starts with its own list
        _local.enqueued, _local.enqueued_pid = [], os.getpid()
    return _local.enqueued


def _publish_enqueued():
    """Publish what the transaction that just committed queued, in batches of RELAY_BATCH_SIZE: its
    first on_commit callback takes every message (one locking query and one UPDATE for a whole
    sweep chunk's messages), the later ones find none. Ids of a rolled-back transaction left in the
    list match no row and are skipped. Batches, not all at once: an import of 100,000 circuits
    queues as many e-mails, and reading them whole took 100 MB."""
    ids, _local.enqueued = _enqueued(), []
    for batch in batched(ids, RELAY_BATCH_SIZE):
        outbox_publish(ids=batch, limit=len(batch))


def enqueue_for_circuit(task: str, *, circuit_id: int) -> None:
    """Queue `task(circuit_id=…)`, a task that re-reads the whole circuit, coalesced: nothing when
    one is already pending for that circuit. Inside `circuit_batch()` the circuit is only noted and
    the batch queues `task(circuit_ids=[…])` once for all of its circuits."""
    batch = getattr(_local, "circuit_batch", None)
    if batch is not None:
        batch.setdefault((task, "circuit_ids", ()), set()).add(circuit_id)
        return
    pending = OutboxMessage.objects.filter(task=task, sent_at=None, kwargs__circuit_id=circuit_id)
    if not pending.exists():
        enqueue(task, circuit_id=circuit_id)


@contextmanager
def circuit_batch():
    """Use inside a transaction that changes many circuits (a sweep's chunk): each per-circuit task
    of enqueue_for_circuit is queued once, with every circuit's id, when the block ends, instead
    of a query and a message per circuit; so are enqueue_gathered's items. A circuit noted in a
    savepoint that was rolled back is refreshed for nothing, which such tasks allow (they only
    re-read). Nested: the outer one queues."""
    if getattr(_local, "circuit_batch", None) is not None:
        yield
        return
    _local.circuit_batch = batch = {}
    try:
        yield
    finally:
        _local.circuit_batch = None
    for (task, into, kwargs), items in sorted(batch.items()):
        enqueue(task, **{into: sorted(items)}, **dict(kwargs))


def enqueue_gathered(task: str, *, into: str, item, **kwargs) -> None:
    """Queue `task(**{into: [item]}, **kwargs)`; inside `circuit_batch()` the items queued for the
    same task and kwargs are gathered into one message when the block ends (a sweep chunk's new
    Microsoft peerings, validated by one task instead of one task each)."""
    batch = getattr(_local, "circuit_batch", None)
    if batch is None:
        enqueue(task, **{into: [item]}, **kwargs)
        return
    batch.setdefault((task, into, tuple(sorted(kwargs.items()))), set()).add(item)


def outbox_publish(*, ids=None, limit=RELAY_BATCH_SIZE) -> int:
    """Publish pending messages (these ids, or the oldest `limit`); returns how many the broker took.

    Never raises: what was not published stays pending for the relay, with its error recorded.
    """
    try:
        return _publish_pending(ids=ids, limit=limit)
    except Exception:  # runs after the caller's commit: its change stands whatever happens here
        logger.exception("Publishing outbox messages failed; the relay retries them.")
        return 0


def outbox_relay() -> int:
    """Deliver every pending message, batch by batch, until none is left or the broker refuses."""
    delivered = 0
    while OutboxMessage.objects.filter(sent_at=None).exists():
        sent = outbox_publish()
        delivered += sent
        if sent == 0:
            break
    expired = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT)
    if expired.exists():  # a read first: SQLite (the demo) would take its write lock for nothing
        expired.delete()
    return delivered


@transaction.atomic
def _publish_pending(*, ids, limit) -> int:
    pending = OutboxMessage.objects.select_for_update(skip_locked=True).filter(sent_at=None)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    published, failures = _publish(list(pending.order_by("pk")[:limit]))
    OutboxMessage.objects.filter(pk__in=published).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
    by_error = defaultdict(list)
    for message_id, error in failures.items():
        by_error[(str(error) or type(error).__name__)[:500]].append(message_id)
    for text, message_ids in by_error.items():  # one UPDATE for a batch the broker refused
        logger.warning("Outbox messages %s not published (kept for the relay): %s", message_ids, text)
        OutboxMessage.objects.filter(pk__in=message_ids).update(attempts=F("attempts") + 1, last_error=text)
    return len(published)


def _publish(messages) -> tuple[list[int], dict[int, Exception]]:
    """Hand messages to the broker in order over this thread's connection.

    Returns the ids the broker took and the errors of those it did not: a message that cannot be
    sent (its task no longer exists) is skipped; a broker failure stops the batch, and every message
    not yet taken carries its error (the operator sees why the backlog waits). A reused
    connection that fails (the broker restarted since) is replaced and the batch tried once more.
    """
    app = current_app  # the project's app, loaded with Django (config/__init__.py)
    published, failures = [], {}
    if not messages:
        return published, failures
    for attempt in range(2):
        reused = _connection_is_cached()
        try:
            connection = _broker_connection(app)
            for current in messages:
                if current.pk in published or current.pk in failures:
                    continue
                task = _registered_task(app, current.task)
                if task is None:
                    failures[current.pk] = LookupError(f"No task named {current.task} is registered.")
                    continue
                task.apply_async(current.args, current.kwargs, connection=connection, retry=False)
                published.append(current.pk)
            return published, failures
        except (BrokerError, OSError) as error:
            _drop_broker_connection()
            if not reused or attempt:  # every message the broker did not take was refused with it
                failures.update({m.pk: error for m in messages if m.pk not in published and m.pk not in failures})
                return published, failures
    return published, failures


# Opening a broker connection costs about 10 ms, most of a sweep change's publishing: each thread
# keeps one (per process, as a fork must not share a socket with its parent).
def _connection_is_cached():
    return getattr(_local, "pid", None) == os.getpid() and getattr(_local, "connection", None) is not None


def _broker_connection(app):
    if not _connection_is_cached():
        _local.connection = app.connection_for_write(
            connect_timeout=PUBLISH_TIMEOUT_SECONDS, transport_options=PUBLISH_TRANSPORT_OPTIONS
        )
        _local.pid = os.getpid()
    return _local.connection


def _drop_broker_connection():
    connection, _local.connection = getattr(_local, "connection", None), None
    if connection is not None and getattr(_local, "pid", None) == os.getpid():
        try:
            connection.release()
        except Exception:  # a broken connection may fail to close; it is discarded either way
            logger.debug("Closing a failed broker connection failed.", exc_info=True)


def _registered_task(app, name):
    if name not in app.tasks:
        app.loader.import_default_modules()  # a relay (beat aside) may not have imported every app's tasks yet
    return app.tasks.get(name)
