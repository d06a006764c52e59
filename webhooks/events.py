"""Which recorded changes become webhook events (docs/WEBHOOKS.md has the table).

Every state change writes exactly one audit event (audit.statemachine), so webhook events follow
audit events, in the same transaction: nothing below this app knows about webhooks. The onboarding
step is derived (circuits.selectors.with_workflow_step) after each change of a circuit whose team
listens for it; billing's "idle" has no audit event (time makes a circuit idle) and is found by the
periodic `webhooks.billing_idle_check`.
"""

from collections import defaultdict

from django.db.models import F
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import events_recorded
from circuits.checklist import TITLES
from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from circuits.models import Circuit
from circuits.selectors import with_workflow_step
from peerings.choices import AdvertisedPublicPrefixesStateChoices as PrefixesState
from peerings.choices import BgpStateChoices, TicketStatusChoices

from .choices import EventTypeChoices as Type
from .models import CircuitStepMark, Endpoint
from .services import event_record

ORPHANED_STATES = {ProviderState.DEPROVISIONING, ProviderState.DEPROVISIONED}
DECIDED = {TicketStatusChoices.APPROVED, TicketStatusChoices.REJECTED}


def event_types_for(event: AuditEvent) -> list[str]:
    """The webhook event types one audit event signals (most signal none)."""
    model, field, old, new = event.object_type.model, event.field, event.from_value, event.to_value
    found = []
    if model == "circuit":
        if field == "created":
            found.append(Type.CIRCUIT_CREATED)
        elif field == "deleted":
            found.append(Type.CIRCUIT_DELETED)
        elif field == "is_stuck" and new == "True":
            found.append(Type.CIRCUIT_STUCK)
        elif field == "service_provider_provisioning_state":
            found.append(Type.PROVIDER_STATE_CHANGED)
            if new in ORPHANED_STATES and old not in ORPHANED_STATES:
                found.append(Type.BILLING_ORPHANED)
    elif model == "bgpsession" and field == "state":
        if new == BgpStateChoices.ESTABLISHED:
            found.append(Type.BGP_SESSION_UP)
        elif old == BgpStateChoices.ESTABLISHED:
            found.append(Type.BGP_SESSION_DOWN)
    elif model == "peering" and field == "advertised_public_prefixes_state" and new == PrefixesState.VALIDATION_NEEDED:
        found.append(Type.PREFIXES_NEED_VALIDATION)
    elif model == "prefixvalidationticket" and field == "status":
        if new == TicketStatusChoices.OPEN:
            found.append(Type.TICKET_OPENED)
        elif new in DECIDED:
            found.append(Type.TICKET_DECIDED)
    return found


def circuit_data(circuit: Circuit) -> dict:
    return {
        "id": circuit.pk,
        "name": circuit.name,
        "resource_id": circuit.azure_resource_id,
        "service_key_issued": circuit.service_key is not None,  # the key itself is a secret: never sent
        "team": circuit.team.name,
        "url": circuit.get_absolute_url(),
    }


def change_data(event: AuditEvent) -> dict:
    return {
        "audit_event_id": event.pk,
        "object": {"type": event.object_type.model, "id": event.object_id, "name": event.object_repr},
        "field": event.field,
        # A circuit's "created" event carries its service key: masked like everywhere outside the team.
        "from": "" if event.field == "created" else event.from_value,
        "to": "" if event.field == "created" else event.to_value,
        "actor": event.actor_kind,
        "reason": event.reason,
        "at": event.created_at,
    }


def _steps_completed(circuit: Circuit, *, created: bool) -> list[int]:
    """Steps completed since the circuit's last mark (step 1 at creation); moves the mark."""
    step = with_workflow_step(Circuit.objects.filter(pk=circuit.pk)).values_list("workflow_step", flat=True).get()
    mark, new = CircuitStepMark.objects.get_or_create(circuit=circuit, defaults={"step": 1 if created else step})
    before, mark.step = mark.step, step
    if step != before:
        mark.save(update_fields=["step"])
    return list(range(before, step))


@receiver(events_recorded, dispatch_uid="webhooks.audit_events")
def webhook_events_on_audit_events(sender, events: list[AuditEvent], **kwargs):
    circuit_ids = {event.circuit_id for event in events if event.circuit_id is not None}
    if not circuit_ids:
        return
    # One query for a whole sweep chunk's events: the active endpoints listening to each circuit
    # (none, the common case).
    listening = defaultdict(list)
    rows = Endpoint.objects.filter(is_active=True, teams__circuits__in=circuit_ids).annotate(heard=F("teams__circuits"))
    for endpoint in rows:
        listening[endpoint.heard].append(endpoint)
    for event in events:
        if listening.get(event.circuit_id):
            _webhook_events_for(event, listening[event.circuit_id])


def _webhook_events_for(event: AuditEvent, endpoints: list[Endpoint]):
    circuit = Circuit.objects.select_related("team").get(pk=event.circuit_id)
    base = {"circuit": circuit_data(circuit), "change": change_data(event)}

    def record(event_type, data):
        listening = [endpoint for endpoint in endpoints if event_type in endpoint.event_types]
        if listening:
            event_record(type=event_type, circuit_id=circuit.pk, audit_event=event, data=data, endpoints=listening)

    for event_type in event_types_for(event):
        record(event_type, base)
    if any(Type.STEP_COMPLETED in endpoint.event_types for endpoint in endpoints):
        for step in _steps_completed(circuit, created=event.field == "created"):
            record(Type.STEP_COMPLETED, {**base, "step": {"number": step, "title": TITLES[step - 1]}})
