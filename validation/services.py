"""Every write of Microsoft-peering prefix validation: the registry's verdicts recorded for a
peering, and the manual-validation tickets (open, approve, reject, withdraw; four eyes).

Prefix and peering states are peerings' own: they change only through peerings.services
(`peering_record_validation`, `peering_record_manual_validation`), which audit each change.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audit.services import audit_batch, audit_event_record, circuit_touch
from audit.statemachine import lock, transition
from core.actors import Actor
from core.errors import DomainError
from notifications.services import notify_circuit_watchers
from outbox.services import circuit_batch
from peerings.choices import AdvertisedPublicPrefixesStateChoices as PrefixesState
from peerings.choices import PeeringTypeChoices, TicketStatusChoices
from peerings.models import Peering, PrefixValidationTicket, TicketEvidence
from peerings.services import PASSING_PREFIX_STATES, peering_record_manual_validation, peering_record_validation

from .evidence import evidence_check
from .selectors import DECIDE_PERMISSION
from .verdicts import PrefixFinding, prefixes_check

TICKET_TRANSITIONS = {
    TicketStatusChoices.OPEN: {
        TicketStatusChoices.APPROVED,
        TicketStatusChoices.REJECTED,
        TicketStatusChoices.WITHDRAWN,
    },
}


def peering_validate(*, peering, actor, reason: str = "") -> list[PrefixFinding]:
    """Validate a Microsoft peering's advertised prefixes and record each prefix's state and reason.

    Prefixes an approver validated manually for the peering's current ASN stay Configured.
    Returns the findings for every prefix; a non-Microsoft peering has none.
    """
    if not peering.is_microsoft or not peering.routing_registry_name:
        return []
    prefixes = list(peering.advertised_prefixes.all())
    asn = peering.validation_asn
    findings = prefixes_check([p.prefix for p in prefixes], asn=asn, registry=peering.routing_registry_name)
    manual = {p.prefix for p in prefixes if p.manual_validation_asn == asn}
    verdicts = {f.prefix: (f.state, f.reason) for f in findings if f.prefix not in manual}
    peering_record_validation(peering=peering, verdicts=verdicts, actor=actor, reason=reason)
    return findings


@transaction.atomic
def peerings_validate(*, peering_ids, actor, reason: str = "") -> int:
    """peering_validate for each Microsoft peering of `peering_ids` whose circuit is not deleted, in one
    transaction whose audit events are followed up once (notifications, webhooks, billing) and
    whose circuits' refreshes are queued once: a sweep chunk's new peerings. Returns how many."""
    peerings = Peering.objects.filter(
        pk__in=peering_ids, peering_type=PeeringTypeChoices.MICROSOFT, circuit__deleted_at__isnull=True
    ).order_by("pk")
    with audit_batch(), circuit_batch():
        for peering in peerings:
            peering_validate(peering=peering, actor=actor, reason=reason)
    return len(peerings)


# Audit events (append-only, kept for ever) and notifications (e-mailed) point at the ticket rather
# than copy its note or decision reason: people's text stays in one place, with its length limit.
def _see_ticket(ticket):
    return f"See ticket #{ticket.pk} for its note, evidence and decision."


def _refuse_too_long(text, *, model_field, field):
    """People's text is bounded (stored, shown and e-mailed): refuse more than the column holds."""
    limit = PrefixValidationTicket._meta.get_field(model_field).max_length
    if len(text) > limit:
        raise DomainError(f"Keep this under {limit} characters (it has {len(text)}).", field=field)


def _ticket_notify(*, ticket, actor, title, body, also=()):
    """Tell the circuit's watchers and the requester (and `also`) what happened, except whoever did it."""
    notify_circuit_watchers(
        circuit=ticket.peering.circuit,
        kind=f"ticket_{ticket.status}",
        title=title,
        body=body,
        also=[ticket.requested_by, *also],
        skip_user=actor.user,
    )


def _ticket_prefixes(peering, prefixes):
    wanted = {str(p) for p in prefixes}
    rows = list(peering.advertised_prefixes.filter(prefix__in=wanted))
    if not rows or len(rows) != len(wanted):
        raise DomainError("Choose prefixes advertised on this peering.", field="prefixes")
    passing = [row.prefix for row in rows if row.validation_state in PASSING_PREFIX_STATES]
    if passing:
        raise DomainError(f"Already validated, no ticket needed: {', '.join(passing)}.", field="prefixes")
    return rows


@transaction.atomic
def ticket_open(*, peering: Peering, prefixes, note: str, actor: Actor, evidence_files=()) -> PrefixValidationTicket:
    """An engineer asks for manual validation of prefixes, with evidence (e.g. a Letter of Authorization)."""
    if actor.user is None:
        raise DomainError("A ticket is opened by a person, who answers for its evidence.")
    _refuse_too_long(note, model_field="note", field="note")
    peering = lock(peering)
    if not peering.is_microsoft:
        raise DomainError("Only Microsoft peering prefixes need validation.")
    if peering.advertised_public_prefixes_state != PrefixesState.VALIDATION_NEEDED:
        raise DomainError(
            f"The prefixes are {peering.advertised_public_prefixes_state}; a ticket is for ValidationNeeded."
        )
    rows = _ticket_prefixes(peering, [getattr(p, "prefix", p) for p in prefixes])
    already = PrefixValidationTicket.objects.filter(
        peering=peering, status=TicketStatusChoices.OPEN, prefixes__in=rows
    ).first()
    if already:
        raise DomainError(f"{already} is already open for some of these prefixes.", field="prefixes")
    checked = [evidence_check(upload) for upload in evidence_files]
    ticket = PrefixValidationTicket.objects.create(peering=peering, note=note, requested_by=actor.user)
    ticket.prefixes.set(rows)
    for upload, content_type in checked:
        TicketEvidence.objects.create(
            ticket=ticket, file=upload, original_name=upload.name, content_type=content_type, size=upload.size
        )
    circuit_touch(peering.circuit_id)
    audit_event_record(
        obj=ticket,
        field="status",
        from_value="",
        to_value=ticket.status,
        actor=actor,
        reason=f"Manual validation requested for {len(rows)} prefixes. {_see_ticket(ticket)}",
        circuit_id=peering.circuit_id,
    )
    _ticket_notify(
        ticket=ticket,
        actor=actor,
        title=f"{ticket} opened: manual validation of {', '.join(row.prefix for row in rows)}",
        body=f"{actor} asks for manual validation. {_see_ticket(ticket)}",
        also=get_user_model().objects.with_perm(DECIDE_PERMISSION, include_superusers=False),
    )
    return ticket


def _refuse_unless_another_approver(ticket, actor):
    """Tickets are decided by a person holding the decide permission, never the requester (four eyes)."""
    if actor.user is None or not actor.user.has_perm(DECIDE_PERMISSION):
        raise DomainError("Only an approver can approve or reject prefix validation tickets.", code="forbidden")
    if actor.user.pk == ticket.requested_by_id:
        raise DomainError("You opened this ticket: another approver must decide it (four eyes).")


def _ticket_decide(*, ticket, to, actor, reason):
    _refuse_too_long(reason, model_field="decision_reason", field="reason")
    locked = lock(ticket)
    if not locked.is_open:
        who = locked.decided_by or locked.requested_by
        raise DomainError(
            f"{locked} was already {locked.status} by {who} at {locked.decided_at:%Y-%m-%d %H:%M}.", code="conflict"
        )
    locked, _ = transition(
        obj=locked,
        field="status",
        to=to,
        actor=actor,
        reason=_see_ticket(locked),
        allowed=TICKET_TRANSITIONS,
        extra={"decided_by": actor.user, "decided_at": timezone.now(), "decision_reason": reason},
        circuit_id=locked.peering.circuit_id,
    )
    _ticket_notify(ticket=locked, actor=actor, title=f"{locked} {locked.status} by {actor}", body=_see_ticket(locked))
    return locked


@transaction.atomic
def ticket_approve(*, ticket: PrefixValidationTicket, actor: Actor, reason: str = "") -> PrefixValidationTicket:
    """Approve: the ticket's prefixes become Configured; when all are, BGP may come up."""
    _refuse_unless_another_approver(ticket, actor)
    ticket = _ticket_decide(ticket=ticket, to=TicketStatusChoices.APPROVED, actor=actor, reason=reason or "Approved.")
    peering_record_manual_validation(
        peering=ticket.peering,
        prefixes=ticket.prefixes.all(),
        actor=actor,
        prefix_reason=f"Manually validated for AS{ticket.peering.validation_asn} by ticket #{ticket.pk} ({actor}).",
        reason=f"Ticket #{ticket.pk} approved.",
    )
    return ticket


@transaction.atomic
def ticket_reject(*, ticket: PrefixValidationTicket, actor: Actor, reason: str) -> PrefixValidationTicket:
    """Reject with a reason; the prefixes stay in ValidationNeeded."""
    if not (reason or "").strip():
        raise DomainError("Say why the ticket is rejected, so the engineer knows what to fix.", field="reason")
    _refuse_unless_another_approver(ticket, actor)
    return _ticket_decide(ticket=ticket, to=TicketStatusChoices.REJECTED, actor=actor, reason=reason.strip())


@transaction.atomic
def ticket_withdraw(*, ticket: PrefixValidationTicket, actor: Actor, reason: str = "") -> PrefixValidationTicket:
    if actor.user is None or actor.user.pk != ticket.requested_by_id:
        raise DomainError("Only the engineer who opened the ticket can withdraw it.")
    return _ticket_decide(ticket=ticket, to=TicketStatusChoices.WITHDRAWN, actor=actor, reason=reason or "Withdrawn.")
