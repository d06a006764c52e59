"""Reads for the approvals pages: the open-ticket queue, one ticket, and who may see a ticket."""

from django.db.models import Prefetch

from audit.models import AuditEvent

from .choices import TicketStatusChoices
from .models import AdvertisedPrefix, PrefixValidationTicket

DECIDE_PERMISSION = "peerings.decide_prefixvalidationticket"


def ticket_queryset():
    return PrefixValidationTicket.objects.select_related(
        "peering__circuit", "requested_by", "decided_by"
    ).prefetch_related(
        Prefetch("prefixes", queryset=AdvertisedPrefix.objects.order_by("prefix")),
        "evidence",
    )


def ticket_queue():
    """Open tickets, oldest first: the approvers' work list."""
    return ticket_queryset().filter(status=TicketStatusChoices.OPEN).order_by("created_at", "id")


def ticket_history(ticket):
    return AuditEvent.objects.filter(
        object_type__app_label="peerings", object_type__model="prefixvalidationticket", object_id=ticket.pk
    ).select_related("actor_user")


def ticket_visible_to(user, ticket) -> bool:
    """Approvers, the requester and the owning team's members may see a ticket and its evidence."""
    return (
        user.has_perm(DECIDE_PERMISSION)
        or ticket.requested_by_id == user.pk
        or ticket.peering.circuit.team.members.filter(pk=user.pk).exists()
    )
