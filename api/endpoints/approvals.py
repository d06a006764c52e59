"""The approvers' queue and ticket evidence files, as the /approvals/ pages serve them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation

from peerings.models import PrefixValidationTicket, TicketEvidence
from validation.evidence import evidence_file_response
from validation.selectors import DECIDE_PERMISSION, evidence_for, ticket_queue

from ..serializers import ApprovalSerializer
from .base import VIEW, ApiViewSet


class ApprovalViewSet(ApiViewSet):
    """Open tickets of your teams, oldest first, with the validator's findings per prefix: the
    approvers' work list (decide them at /api/tickets/{id}/approve/ or reject/)."""

    queryset = PrefixValidationTicket.objects.none()  # the schema's model; the queue is validation's selector
    serializer_class = ApprovalSerializer
    permissions = {"read": (DECIDE_PERMISSION,)}

    def list(self, request):
        return self.page_of(ticket_queue(request.user))


class AnyAcceptNegotiation(BaseContentNegotiation):
    """A file is answered in its own type whatever the client accepts; errors stay problem+json."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class EvidenceViewSet(ApiViewSet):
    queryset = TicketEvidence.objects.none()  # the schema's model; the file is streamed, not serialized
    permissions = {"read": VIEW}
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        request=None,  # no serializer to fall back on: the file is streamed
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
        },
    )
    def retrieve(self, request, pk):
        """A ticket's evidence file (ids in the ticket's `evidence`), to whoever may see the ticket."""
        return evidence_file_response(evidence_for(request.user, pk))
