"""Watching a circuit: its notifications for someone outside its team, as the circuit page offers."""

from drf_spectacular.utils import extend_schema

from circuits.models import Circuit
from circuits.selectors import circuit_for
from notifications.models import Watch
from notifications.selectors import watch_state
from notifications.services import watch_set

from ..serializers import WatchSerializer
from .base import VIEW, ApiViewSet


class WatchViewSet(ApiViewSet):
    """Whether you watch a circuit, and starting or stopping. Viewing the circuit is enough, as on the
    page: notifications only tell what happens to it."""

    queryset = Watch.objects.none()  # the schema's model; the state comes from notifications.selectors
    serializer_class = WatchSerializer
    permissions = {"read": VIEW, "POST": VIEW}

    def circuit(self):
        # With its team: whether you are notified is asked of the team's members.
        return circuit_for(self.request.user, self.kwargs["pk"], queryset=Circuit.objects.select_related("team"))

    def retrieve(self, request, pk):
        return self.one(watch_state(user=request.user, circuit=self.circuit()))

    @extend_schema(request=WatchSerializer, responses={200: WatchSerializer})  # the state, not a created object
    def create(self, request, pk):
        circuit = self.circuit()
        serializer = WatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        watch_set(user=request.user, circuit=circuit, watching=serializer.validated_data["watching"])
        return self.one(watch_state(user=request.user, circuit=circuit))
