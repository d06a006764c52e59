import threading
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.dispatch import Signal

from core.actors import Actor

from .models import AuditEvent

# Sent with `events` (a list of AuditEvent), inside the transaction that recorded them, for what
# follows a recorded change (notifications, webhooks, billing): one event at a time, or a sweep
# chunk's events together (audit_batch), so a receiver can read once for all of them.
events_recorded = Signal()

_local = threading.local()  # the open audit_batch() of this thread, as Django's connections are per thread


def circuit_touch(circuit_id):
    """Bump the circuit's version so live pages see that something on them changed; inside
    audit_batch() once per circuit when the block ends (one UPDATE for a sweep chunk's circuits).

    The circuit model is reached through the audit event's own relation: audit sits below circuits
    and names it only as the owner every event belongs to."""
    touched = getattr(_local, "touched", None)
    if touched is not None:
        touched.add(circuit_id)
    else:
        _circuits_touch([circuit_id])


def _circuits_touch(circuit_ids):
    circuit_model = AuditEvent._meta.get_field("circuit").related_model
    circuit_model.objects.filter(pk__in=circuit_ids).update(version=models.F("version") + 1)


def _event(*, obj, field: str, actor: Actor, from_value="", to_value="", reason: str = "", circuit_id=None):
    return AuditEvent(
        circuit_id=circuit_id,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        field=field,
        from_value="" if from_value is None else str(from_value)[:200],
        to_value="" if to_value is None else str(to_value)[:200],
        actor_kind=actor.kind,
        actor_user=actor.user,
        reason=reason[: AuditEvent._meta.get_field("reason").max_length],
    )


def _recorded(events):
    batch = getattr(_local, "batch", None)
    if batch is None:
        events_recorded.send(sender=AuditEvent, events=events)
    else:
        batch.extend(events)


def _deferring() -> bool:
    """Inside audit_batch(deferred=True): events are kept for its one INSERT, not written now."""
    return bool(getattr(_local, "deferred", False))


def audit_event_record(*, obj, field: str, actor: Actor, from_value="", to_value="", reason: str = "", circuit_id=None):
    """Record one change; called inside the transaction that made it."""
    event = _event(
        obj=obj,
        field=field,
        actor=actor,
        from_value=from_value,
        to_value=to_value,
        reason=reason,
        circuit_id=circuit_id,
    )
    if not _deferring():
        event.save(force_insert=True)
    _recorded([event])
    return event


def audit_events_record(changes: list[dict]) -> list[AuditEvent]:
    """Record many changes by one INSERT, in order, each as audit_event_record records it (its
    keyword arguments): a batch of circuits created together (circuits.services.circuits_create_observed)."""
    events = [_event(**change) for change in changes]
    if not _deferring():
        events = AuditEvent.objects.bulk_create(events)
    if events:
        _recorded(events)
    return events


@contextmanager
def audit_batch(*, deferred: bool = False):
    """Use inside a transaction that records many changes (a sweep's chunk): receivers of
    events_recorded get the block's events once, when it ends, still in that transaction, and each
    circuit touched is bumped once. Events of a savepoint that was rolled back (a refused change) are
    left out: they no longer exist; a circuit touched there is bumped all the same, which only costs
    a re-render. Nested: the outer one sends. An exception sends nothing: the transaction is being
    rolled back.

    `deferred`: the block's events are written when it ends, by one INSERT in the order they were
    recorded (created_at is then the block's end), not by one INSERT each. Only for a block that
    reads no audit event back and runs every change it lets be refused inside audit_refusable(),
    which drops that change's events: unwritten, they cannot be found missing (a sweep's chunk)."""
    if getattr(_local, "batch", None) is not None:
        yield
        return
    batch, touched = [], set()
    _local.batch, _local.touched, _local.deferred = batch, touched, deferred
    try:
        yield
    finally:
        _local.batch, _local.touched, _local.deferred = None, None, False
    if touched:
        _circuits_touch(sorted(touched))
    if deferred:
        events = AuditEvent.objects.bulk_create(batch)
    elif batch:
        kept = set(AuditEvent.objects.filter(pk__in=[event.pk for event in batch]).values_list("pk", flat=True))
        events = [event for event in batch if event.pk in kept]
    else:
        events = []
    if events:
        events_recorded.send(sender=AuditEvent, events=events)


@contextmanager
def audit_refusable():
    """Around a change that may be refused (its savepoint rolled back) while the caller carries on
    inside audit_batch(): the change's events leave the batch with it."""
    batch = getattr(_local, "batch", None)
    mark = len(batch) if batch is not None else 0
    try:
        yield
    except Exception:
        if batch is not None:
            del batch[mark:]
        raise
