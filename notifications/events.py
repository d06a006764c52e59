"""Which recorded changes people wait for, and what to tell them.

Every state change writes exactly one audit event (audit.statemachine), whoever made it, so
notifications follow audit events: nothing that changes state needs to know about them.
Ticket decisions are notified by peerings.services itself (the requester is told too).
"""

from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import events_recorded

from .services import Notice, circuits_notify_watchers

# (model, field, new value) → (kind, title, what to do next)
NOTIFIED_CHANGES = {
    ("circuit", "service_provider_provisioning_state", "Provisioned"): (
        "provider_provisioned",
        "{obj} is Provisioned by its provider",
        "The provider has finished: routing can be configured now (step 4).",
    ),
    ("circuit", "is_stuck", "True"): ("stuck", "{obj} looks stuck in Provisioning", "{reason} Chase the provider."),
    ("bgpsession", "state", "Established"): ("bgp_up", "BGP is up: {obj}", "The BGP session is Established."),
    ("peering", "advertised_public_prefixes_state", "Configured"): (
        "prefixes_validated",
        "Prefixes validated: {obj}",
        "Every advertised prefix is Configured; the BGP session can be enabled.",
    ),
    ("peering", "advertised_public_prefixes_state", "ValidationNeeded"): (
        "prefixes_need_validation",
        "Prefixes need validation: {obj}",
        "Some advertised prefixes did not match the routing registry. The circuit page says which and why: "
        "register route objects or request manual validation.",
    ),
}


@receiver(events_recorded, dispatch_uid="notifications.audit_events")
def notify_on_audit_events(sender, events: list[AuditEvent], **kwargs):
    notices = []
    for event in events:
        change = event.circuit_id and NOTIFIED_CHANGES.get((event.object_type.model, event.field, event.to_value))
        if change:
            kind, title, body = change
            notices.append((event, kind, title.format(obj=event.object_repr), body.format(reason=event.reason).strip()))
    if not notices:
        return
    # The circuits' teams in one query; the circuit model reached through the audit event's relation.
    circuit_model = AuditEvent._meta.get_field("circuit").related_model
    circuits = circuit_model.objects.only("pk", "team_id").in_bulk({event.circuit_id for event, *_ in notices})
    circuits_notify_watchers(
        notices=[
            Notice(circuits[event.circuit_id], kind, title, body, skip_user_id=event.actor_user_id)
            for event, kind, title, body in notices
        ]
    )
