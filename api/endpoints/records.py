"""Read-mostly resources: audit events, your notifications, billing exposure, the catalog."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Team
from audit.models import AuditEvent
from billing.forms import AsOfForm
from billing.selectors import billing_circuits, report_currency, summary_by_category
from circuits.models import Circuit, PeeringLocation, ServiceProvider
from circuits.selectors import circuits_in_scope
from notifications.models import Notification
from notifications.services import notifications_mark_read

from ..filtersets import AuditEventFilterSet, NotificationFilterSet
from ..inputs import NotificationsReadInput
from ..pagination import NewestFirstCursorPagination
from ..serializers import (
    AuditEventSerializer,
    BillingTotalsSerializer,
    CircuitBillingSerializer,
    NotificationSerializer,
    PeeringLocationSerializer,
    ServiceProviderSerializer,
    TeamSerializer,
)
from .base import ApiViewSet

AS_OF = OpenApiParameter("as_of", str, description="A date (YYYY-MM-DD); today by default.")


class AuditEventViewSet(ApiViewSet):
    """The audit log of your teams' circuits (and everything on them), newest first, cursor-paginated."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    pagination_class = NewestFirstCursorPagination

    def get_queryset(self):
        return AuditEvent.objects.filter(circuit__in=circuits_in_scope(self.request.user)).select_related(
            "object_type", "actor_user", "circuit"
        )

    def list(self, request):
        return self.page_of(self.get_queryset())


class NotificationViewSet(ApiViewSet):
    """Your own notifications, newest first."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    permissions = {}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Notification.objects.none()
        return Notification.objects.filter(user=self.request.user)

    def list(self, request):
        return self.page_of(self.get_queryset())

    @extend_schema(
        request=NotificationsReadInput,
        responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}},
    )
    @action(detail=False, methods=["post"])
    def read(self, request):
        """Mark the given notifications read, or all of them."""
        serializer = NotificationsReadInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data.get("notifications")
        return Response({"marked": notifications_mark_read(user=request.user, notification_ids=ids)})


def _as_of(request):
    return AsOfForm(request.query_params or None).as_of_date()


class BillingViewSet(ApiViewSet):
    """Billing exposure as the pages compute it: per circuit (managers, and engineers for their teams'
    circuits, as on the circuit page) and the estate's totals by category (managers, as /billing/)."""

    serializer_class = CircuitBillingSerializer
    queryset = Circuit.objects.none()  # the schema's model; the figures come from billing.selectors
    permissions = {}

    @extend_schema(parameters=[AS_OF], responses=CircuitBillingSerializer(many=True))
    @action(detail=False)
    def circuits(self, request):
        user = request.user
        if not (user.has_perm("circuits.view_billing") or user.has_perm("circuits.change_circuit")):
            raise PermissionDenied("Billing is for managers, and for engineers about their own teams' circuits.")
        queryset = billing_circuits(as_of=_as_of(request)).filter(pk__in=circuits_in_scope(user)).order_by("name", "pk")
        return self.page_of(queryset)

    @extend_schema(parameters=[AS_OF], responses=BillingTotalsSerializer)
    @action(detail=False)
    def totals(self, request):
        if not request.user.has_perm("circuits.view_billing"):
            raise PermissionDenied("The estate's billing totals are for managers.")
        as_of = _as_of(request)
        data = {"as_of": as_of, "currency": report_currency(), "categories": summary_by_category(as_of=as_of)}
        return Response(BillingTotalsSerializer(data).data)


class ServiceProviderViewSet(ApiViewSet):
    """The catalog: providers, what they sell and where (`?layer=Layer2`)."""

    serializer_class = ServiceProviderSerializer
    filterset_fields = ["layer"]
    permissions = {"read": ("circuits.view_serviceprovider",)}
    queryset = ServiceProvider.objects.prefetch_related("peering_locations")

    def list(self, request):
        return self.page_of(self.get_queryset())


class TeamViewSet(ApiViewSet):
    """Your teams: a circuit is created for one of them."""

    serializer_class = TeamSerializer
    permissions = {}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Team.objects.none()
        user = self.request.user
        return Team.objects.all() if user.is_superuser else Team.objects.filter(members=user)

    def list(self, request):
        return self.page_of(self.get_queryset())


class PeeringLocationViewSet(ApiViewSet):
    serializer_class = PeeringLocationSerializer
    permissions = {"read": ("circuits.view_peeringlocation",)}
    queryset = PeeringLocation.objects.all()

    def list(self, request):
        return self.page_of(self.get_queryset())
