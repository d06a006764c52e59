"""The /insights/ figures: provider scorecard, time per step and trend per quarter."""

from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from circuits.models import Circuit
from insights.filtersets import InsightsFilterSet
from insights.selectors import INSIGHTS_REFUSED, insights_allowed, insights_circuits, insights_report_for

from ..serializers import InsightsSerializer
from .base import ApiViewSet

# The page's filterset applies; drf-spectacular documents filtersets of lists only, so they are named here.
FILTERS = [
    OpenApiParameter("provider", OpenApiTypes.INT, description="A provider id (/api/providers/)."),
    OpenApiParameter("location", OpenApiTypes.INT, description="A peering location id (/api/locations/)."),
    OpenApiParameter("team", OpenApiTypes.INT, description="One of your teams (/api/teams/)."),
    OpenApiParameter("period_min", OpenApiTypes.DATE, description="Circuits created on or after this day."),
    OpenApiParameter("period_max", OpenApiTypes.DATE, description="Circuits created on or before this day."),
]


class InsightsViewSet(ApiViewSet):
    """The page's figures for the circuits you see, with its filters (`provider`, `location`, `team`,
    `period_min`/`period_max`: created between). Engineers and managers, as the page."""

    queryset = Circuit.objects.none()  # the schema's model; the figures come from insights.report
    serializer_class = InsightsSerializer
    permissions = {}  # engineers or managers: insights_allowed, below

    @extend_schema(parameters=FILTERS, responses=InsightsSerializer)
    def report(self, request):
        if not insights_allowed(request.user):
            raise PermissionDenied(INSIGHTS_REFUSED)
        # The filterset's own cleaned values key the cached report (insights_report_for), as on the page.
        filterset = InsightsFilterSet(request.query_params, queryset=insights_circuits(request.user), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return Response(InsightsSerializer(insights_report_for(request.user, filterset)).data)
