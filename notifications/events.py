"""Which recorded changes people wait for, and what to tell them.

Every state change writes exactly one audit event (audit.statemachine), whoever made it, so
notifications follow audit events: nothing that changes state needs to know about them.
Ticket decisions are notified by peerings.services itself (the requester is told too).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from audit.models import AuditEvent

from .services import notify_circuit_watchers

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


@receiver(post_save, sender=AuditEvent, dispatch_uid="notifications.audit_event")
def notify_on_audit_event(sender, instance: AuditEvent, created: bool, **kwargs):
    if not created or instance.circuit_id is None:
        return
    change = NOTIFIED_CHANGES.get((instance.object_type.model, instance.field, instance.to_value))
    if change is None:
        return
    kind, title, body = change
    notify_circuit_watchers(
        circuit=instance.circuit,
        kind=kind,
        title=title.format(obj=instance.object_repr),
        body=body.format(reason=instance.reason).strip(),
        skip_user=instance.actor_user,
    )
