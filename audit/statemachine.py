"""The one mechanism every state change goes through: lock the row, check the guard, write, audit."""

import threading
from contextlib import contextmanager

from core.actors import Actor
from core.errors import DomainError

from .services import audit_event_record, audit_refusable, circuit_touch

_held = threading.local()  # rows_held()'s instances on this thread, as Django's connections are per thread


@contextmanager
def rows_held(objs):
    """Use inside the transaction that has just locked the rows of `objs` (select_for_update) and
    read these instances: within the block, lock() hands back the held instance of a row instead of
    reading it again (a sweep's chunk locks its circuits by one query; each change re-read its
    circuit, a query and a model built per change). The services write through the instance lock()
    gives them, so the held one stays current. A change the caller lets be refused runs inside
    refusable_change(): its savepoint rolled back may leave an instance ahead of its row."""
    outer = getattr(_held, "rows", None)
    _held.rows = {**(outer or {}), **{(type(obj), obj.pk): obj for obj in objs}}
    try:
        yield
    finally:
        _held.rows = outer


def rows_forget() -> None:
    """Read every row again at its next lock() (see rows_held)."""
    if getattr(_held, "rows", None):
        _held.rows = {}


@contextmanager
def refusable_change():
    """Around a change that may be refused (its savepoint rolled back) while the caller carries on,
    inside audit_batch() and rows_held(): what the change recorded leaves the batch with it, and the
    rows it may have left ahead of the database are read again at their next lock()."""
    try:
        with audit_refusable():
            yield
    except Exception:
        rows_forget()
        raise


def lock(obj, *, related=()):
    """`obj` with its row locked for the rest of the transaction: read again, unless rows_held() holds
    it. `related`: forward relations read by the same query, their rows not locked."""
    held = getattr(_held, "rows", None)
    if held and (mine := held.get((type(obj), obj.pk))) is not None:
        return mine
    rows = type(obj).objects.select_for_update()
    if related:  # FOR UPDATE alone would lock the joined rows too
        rows = rows.select_for_update(of=("self",)).select_related(*related)
    return rows.get(pk=obj.pk)


def _named_by(obj, locked):
    """Give the locked copy the related objects the caller already loaded (the same rows by id),
    which the audit event's `object_repr` names (a BGP session's peering and circuit): re-fetching
    them for a name cost a query each. Only names are read from them here: a guard that depends on
    a related row locks that row itself."""
    for name, related in obj._state.fields_cache.items():
        field = obj._meta.get_field(name)
        if field.many_to_one and getattr(obj, field.attname) == getattr(locked, field.attname):
            locked._state.fields_cache[name] = related


def _owning_circuit_id(obj):
    """The circuit an object's events belong to; objects without a circuit_id must be told."""
    if obj._meta.label == "circuits.Circuit":
        return obj.pk
    if hasattr(obj, "circuit_id"):
        return obj.circuit_id
    raise TypeError(f"transition() needs circuit_id= for a {type(obj).__name__}: it has no circuit_id of its own.")


def transition(
    *,
    obj,
    field: str,
    to: str,
    actor: Actor,
    reason: str = "",
    allowed: dict[str, set[str]] | None = None,
    enforce: bool = True,
    extra: dict | None = None,
    circuit_id=None,
    locked: bool = False,
):
    """Move `obj.field` to `to`. Call inside a transaction; returns the locked, updated object.

    `locked`: the caller has just locked `obj` itself (lock()) in this transaction, to judge by its
    current values before calling; it is not read again.

    `allowed` maps a current value to the values it may move to. A machine source reporting what
    Azure or a provider already did passes enforce=False: reality is recorded, not refused.
    Re-applying the current value is a no-op and writes no event, so sweeps are idempotent.
    """
    circuit_id = circuit_id or _owning_circuit_id(obj)
    if locked:
        locked = obj
    else:
        locked = lock(obj)
        if locked is not obj:
            _named_by(obj, locked)
    current = getattr(locked, field)
    if current == to:
        return locked, None
    if enforce and allowed is not None and to not in allowed.get(current, set()):
        possible = " or ".join(sorted(allowed.get(current, ()))) or "nothing else"
        raise DomainError(
            f"{locked} cannot go from {current} to {to}; from {current} it can go to {possible}.",
            field=field,
            code="invalid_transition",
        )
    setattr(locked, field, to)
    for name, value in (extra or {}).items():
        setattr(locked, name, value)
    update_fields = [field, *(extra or {})]
    if hasattr(locked, "version"):
        locked.version += 1
        update_fields.append("version")
    locked.save(update_fields=update_fields)
    if not hasattr(locked, "version"):
        circuit_touch(circuit_id)
    event = audit_event_record(
        obj=locked, field=field, from_value=current, to_value=to, actor=actor, reason=reason, circuit_id=circuit_id
    )
    return locked, event
