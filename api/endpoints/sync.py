"""Step 4's verification: "Check now" and the last reading (ARP tables and BGP summaries per link),
as the circuit page's Verification section (sync.diagnostics, docs/VERIFICATION.md)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from circuits.models import Circuit
from circuits.selectors import circuit_for, circuit_last_reading
from sync.diagnostics import circuit_check_now
from sync.sources import get_source

from ..serializers import CircuitDiagnosticsSerializer
from .base import CHANGE, VIEW, ApiViewSet, circuit_headers
from .circuits import ETAG


class CircuitDiagnosticsViewSet(ApiViewSet):
    queryset = Circuit.objects.none()  # the schema's model; readings come from the cache
    serializer_class = CircuitDiagnosticsSerializer
    permissions = {"read": VIEW, "check": CHANGE}

    def retrieve(self, request, pk):
        """The last reading (kept 24 hours), whoever took it; `reading` is null when there is none."""
        circuit = circuit_for(request.user, pk)
        return self.one({"circuit": circuit.pk, "reading": circuit_last_reading(circuit_id=circuit.pk)})

    @extend_schema(request=None, parameters=[ETAG], responses=CircuitDiagnosticsSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk):
        """Check now (the circuit's team's engineers): check the circuit at once, recording what the
        source reports as the poller would, then read every link of every peering. A source that fails
        is reported in `check_error` (and per link in `error`), never as an error of this request; the
        answer's ETag is the circuit's version after the check."""
        circuit = circuit_for(request.user, pk, action="change")
        reading = circuit_check_now(circuit_id=circuit.pk, source=get_source(), actor=self.actor)
        checked = Circuit.objects.only("version").get(pk=circuit.pk)
        return self.one({"circuit": circuit.pk, "reading": reading}, headers=circuit_headers(checked))
