from django.contrib.contenttypes.models import ContentType

from core.actors import Actor

from .models import AuditEvent


def audit_event_record(*, obj, field: str, actor: Actor, from_value="", to_value="", reason: str = "", circuit_id=None):
    """Record one change; called inside the transaction that made it."""
    return AuditEvent.objects.create(
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
