"""Reads for circuits: querysets shaped so pages cost a constant number of queries."""

from django.db.models import Prefetch

from peerings.choices import TicketStatusChoices
from peerings.models import Peering, PrefixValidationTicket

from .models import Circuit


def circuit_onboarding_queryset():
    """Circuits with everything the checklist reads, prefetched (a fixed number of queries)."""
    return Circuit.objects.select_related("service_provider", "peering_location", "team").prefetch_related(
        "provider_orders",
        "vnet_links",
        Prefetch(
            "peerings",
            queryset=Peering.objects.prefetch_related(
                "bgp_sessions",
                "advertised_prefixes",
                Prefetch(
                    "validation_tickets",
                    queryset=PrefixValidationTicket.objects.filter(status=TicketStatusChoices.OPEN),
                ),
            ),
        ),
    )


def circuit_list(*, include_deleted=False):
    queryset = circuit_onboarding_queryset()
    return queryset if include_deleted else queryset.filter(deleted_at__isnull=True)
