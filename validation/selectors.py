"""Reads for the approvals pages: the open-ticket queue, one ticket, and who may see a ticket
(tickets and evidence are peerings' tables, read here).

SECURITY: every ticket, evidence file and peering named by id is looked up through the circuit
scope (circuits.selectors): a ticket is visible to whoever may view its circuit (members of the
circuit's team with a role; superusers), so approvers decide the tickets of their own teams, and
opening one is an engineer's change to their own team's peering. Anything else answers 404.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from audit.models import AuditEvent
from circuits.selectors import circuits_in_scope
from peerings.choices import PeeringTypeChoices, TicketStatusChoices
from peerings.models import AdvertisedPrefix, Peering, PrefixValidationTicket, TicketEvidence

DECIDE_PERMISSION = "peerings.decide_prefixvalidationticket"


def ticket_queryset():
    return PrefixValidationTicket.objects.select_related(
        "peering__circuit", "requested_by", "decided_by"
    ).prefetch_related(
        Prefetch("prefixes", queryset=AdvertisedPrefix.objects.order_by("prefix")),
        "evidence",
    )


def ticket_queue(user):
    """Open tickets `user` may see, oldest first: the approvers' work list."""
    return tickets_visible_to(user).filter(status=TicketStatusChoices.OPEN).order_by("created_at", "id")


def tickets_visible_to(user):
    return ticket_queryset().filter(peering__circuit__in=circuits_in_scope(user))


def ticket_for(user, pk):
    return get_object_or_404(tickets_visible_to(user), pk=pk)


def evidence_for(user, pk):
    scoped = TicketEvidence.objects.filter(ticket__peering__circuit__in=circuits_in_scope(user))
    return get_object_or_404(scoped.select_related("ticket"), pk=pk)


def microsoft_peering_for(user, pk, *, action="view"):
    """A Microsoft peering by id, if `user` may `action` its circuit (opening a ticket is "change")."""
    scoped = Peering.objects.filter(
        circuit__in=circuits_in_scope(user, action=action), peering_type=PeeringTypeChoices.MICROSOFT
    )
    return get_object_or_404(scoped.select_related("circuit"), pk=pk)


def ticket_history(ticket):
    return AuditEvent.objects.filter(
        object_type__app_label="peerings", object_type__model="prefixvalidationticket", object_id=ticket.pk
    ).select_related("actor_user")
