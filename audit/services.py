import threading
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.dispatch import Signal

from core.actors import Actor

from .models import AuditEvent

# Sent with `events` (a list of AuditEvent), inside the transaction that recorded them, for what
# follows a recorded change (notifications, webhooks, billing): one event at a time, or a sweep
# chunk's events together (audit_batch), so a receiver can read once for all of them.
events_recorded = Signal()

_local = threading.local()  # the open audit_batch() of this thread, as Django's connections are per thread


def audit_event_record(*, obj, field: str, actor: Actor, from_value="", to_value="", reason: str = "", circuit_id=None):
    """Record one change; called inside the transaction that made it."""
    event = AuditEvent.objects.create(
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
    batch = getattr(_local, "batch", None)
    if batch is None:
        events_recorded.send(sender=AuditEvent, events=[event])
    else:
        batch.append(event)
    return event


@contextmanager
def audit_batch():
    """Use inside a transaction that records many changes (a sweep's chunk): receivers of
    events_recorded get the block's events once, when it ends, still in that transaction. Events of
    a savepoint that was rolled back (a refused change) are left out: they no longer exist. Nested:
    the outer one sends. An exception sends nothing: the transaction is being rolled back."""
    if getattr(_local, "batch", None) is not None:
        yield
        return
    _local.batch = batch = []
    try:
        yield
    finally:
        _local.batch = None
    if batch:
        kept = set(AuditEvent.objects.filter(pk__in=[event.pk for event in batch]).values_list("pk", flat=True))
        events = [event for event in batch if event.pk in kept]
        if events:
            events_recorded.send(sender=AuditEvent, events=events)
