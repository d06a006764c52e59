"""Peerings (with BGP sessions and advertised prefixes) and prefix-validation tickets.

The ticket services, selectors and forms are imported from peerings, where the pages take them
from today; they are moving to validation (issue 13): only the three ticket imports below change."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from peerings import services
from peerings.forms import PeeringPrefixesForm
from peerings.models import AdvertisedPrefix, Peering
from validation.selectors import DECIDE_PERMISSION, microsoft_peering_for, ticket_for, tickets_visible_to
from validation.services import ticket_approve, ticket_open, ticket_reject, ticket_withdraw

from .. import inputs
from ..filtersets import TicketFilterSet
from ..serializers import PeeringSerializer, TicketSerializer
from .base import VIEW, ApiViewSet, CircuitChildViewSet
from .circuits import IF_MATCH_OPTIONAL

PREFIX_FIELDS = set(PeeringPrefixesForm.base_fields)  # what the prefixes page changes
CHANGEABLE = PREFIX_FIELDS | {"route_filter"}


class PeeringViewSet(CircuitChildViewSet):
    queryset = Peering.objects.none()  # the schema's model; objects come from children()
    serializer_class = PeeringSerializer
    child_parameter = "peering_pk"
    permissions = {
        "read": VIEW,
        "POST": ("circuits.change_circuit", "peerings.add_peering"),
        "PATCH": ("circuits.change_circuit", "peerings.change_peering"),
    }

    def children(self, circuit):
        return circuit.peerings.prefetch_related(
            "bgp_sessions", Prefetch("advertised_prefixes", queryset=AdvertisedPrefix.objects.order_by("prefix"))
        )

    @extend_schema(request=inputs.PeeringInput, parameters=[IF_MATCH_OPTIONAL], responses={201: serializer_class})
    def create(self, request, pk):
        """Step 4: configure a peering (Layer 2 providers, once the circuit is Provisioned)."""
        with self.changing() as circuit:
            data = self.validated(inputs.PeeringInput)
            peering = services.peering_configure(circuit=circuit, actor=self.actor, **data)
        return self.one(self.children(circuit).get(pk=peering.pk), status=201)

    @extend_schema(request=inputs.PeeringPrefixesInput, parameters=[IF_MATCH_OPTIONAL])
    def partial_update(self, request, pk, peering_pk):
        """Microsoft peering: `route_filter`, and/or `advertised_public_prefixes`, `customer_asn`,
        `routing_registry_name` (those not named keep their values), each as its page changes it."""
        with self.changing() as circuit:
            peering = self.child(circuit)
            if not peering.is_microsoft:
                raise ValidationError({"peering": ["Only Microsoft peering has a route filter and public prefixes."]})
            named = set(self.body())
            if not CHANGEABLE & named:
                raise ValidationError({"peering": [f"Name what to change: {', '.join(sorted(CHANGEABLE))}."]})
            if "route_filter" in named:
                data = self.validated(inputs.RouteFilterInput)
                services.peering_set_route_filter(peering=peering, actor=self.actor, **data)
            if PREFIX_FIELDS & named:
                current = PeeringPrefixesForm.initial_for(peering)
                data = self.validated(inputs.PeeringPrefixesInput, form_defaults=current)
                services.peering_update_prefixes(peering=peering, actor=self.actor, **data)
        return self.one(self.child(circuit))


class TicketViewSet(ApiViewSet):
    """Manual validation of Microsoft peering prefixes: engineers open, approvers decide (four eyes)."""

    serializer_class = TicketSerializer
    filterset_class = TicketFilterSet
    permissions = {
        "read": VIEW,
        "create": ("peerings.add_prefixvalidationticket",),
        "approve": (DECIDE_PERMISSION,),
        "reject": (DECIDE_PERMISSION,),
        "withdraw": VIEW,
    }

    def get_queryset(self):
        return tickets_visible_to(self.request.user).order_by("created_at", "id")

    def list(self, request):
        return self.page_of(self.get_queryset())

    def retrieve(self, request, pk):
        return self.one(ticket_for(request.user, pk))

    @extend_schema(request=inputs.TicketOpenInput, responses={201: TicketSerializer})
    def create(self, request):
        """JSON, or multipart/form-data with `evidence` files."""
        peering_id = self.validated(inputs.TicketPeeringInput)["peering"]
        peering = microsoft_peering_for(request.user, peering_id, action="change")
        data = self.validated(inputs.TicketOpenInput, form_kwargs={"peering": peering})
        ticket = ticket_open(
            peering=peering,
            prefixes=data["prefixes"],
            note=data["note"],
            evidence_files=data["evidence"],
            actor=self.actor,
        )
        return self.one(ticket_for(request.user, ticket.pk), status=201)

    def _decide(self, pk, service, *, reason_required=False):
        ticket = ticket_for(self.request.user, pk)
        data = self.validated(inputs.TicketDecisionInput, form_kwargs={"reason_required": reason_required})
        service(ticket=ticket, actor=self.actor, reason=data["reason"])
        return self.one(ticket_for(self.request.user, pk))

    @extend_schema(request=inputs.TicketDecisionInput, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk):
        """An approver other than the requester: the prefixes become Configured."""
        return self._decide(pk, ticket_approve)

    @extend_schema(request=inputs.TicketDecisionInput, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk):
        """An approver other than the requester, with a reason."""
        return self._decide(pk, ticket_reject, reason_required=True)

    @extend_schema(request=inputs.TicketDecisionInput, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk):
        """The engineer who opened it."""
        return self._decide(pk, ticket_withdraw)
