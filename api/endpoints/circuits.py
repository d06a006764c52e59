"""Circuits and their provider orders, authorizations and VNet links."""

from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from circuits import services
from circuits.filtersets import CircuitFilterSet, uses_workflow_step
from circuits.models import Authorization, ProviderOrder, VNetLink
from circuits.selectors import circuit_for, circuit_onboarding_queryset, circuits_visible_to, with_workflow_step

from .. import inputs
from ..concurrency import circuit_if_match
from ..pagination import CircuitPagePagination
from ..serializers import (
    AuthorizationCreatedSerializer,
    AuthorizationSerializer,
    CircuitSerializer,
    ProviderOrderSerializer,
    VNetLinkSerializer,
)
from .base import CHANGE, VIEW, ApiViewSet, CircuitChildViewSet, circuit_headers, reread_circuit

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True, description="The circuit's ETag, from a GET."
)
ETAG = OpenApiParameter(
    "ETag", str, OpenApiParameter.HEADER, response=True, description="The circuit's version, for If-Match."
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, description="The circuit's ETag: refused (412) if it changed meanwhile."
)


class CircuitViewSet(ApiViewSet):
    """Circuits of your teams, each with its five-step checklist. Filters and `sort` are the list page's."""

    serializer_class = CircuitSerializer
    filterset_class = CircuitFilterSet
    pagination_class = CircuitPagePagination
    permissions = {"read": VIEW, "POST": ("circuits.add_circuit",), "PATCH": CHANGE, "DELETE": CHANGE}

    def get_queryset(self):
        queryset = circuits_visible_to(self.request.user, circuit_onboarding_queryset())
        if uses_workflow_step(self.request.query_params):
            queryset = with_workflow_step(queryset, selected=False)
        return queryset

    def list(self, request):
        return self.page_of(self.get_queryset())

    @extend_schema(parameters=[ETAG])
    def retrieve(self, request, pk):
        circuit = circuit_for(request.user, pk, queryset=circuit_onboarding_queryset())
        return self.one(circuit, headers=circuit_headers(circuit))

    def _answer(self, pk, *, status=200):
        circuit = reread_circuit(pk)
        headers = circuit_headers(circuit)
        if status == 201:
            headers["Location"] = reverse("api:circuit-detail", args=[pk])
        return self.one(circuit, status=status, headers=headers)

    @extend_schema(request=inputs.CircuitCreateInput, parameters=[ETAG], responses={201: CircuitSerializer})
    def create(self, request):
        data = self.validated(inputs.CircuitCreateInput, form_kwargs={"user": request.user})
        circuit = services.circuit_create(actor=self.actor, **data)
        return self._answer(circuit.pk, status=201)

    @extend_schema(request=inputs.UpgradeInput, parameters=[IF_MATCH, ETAG], responses=CircuitSerializer)
    def partial_update(self, request, pk):
        """Upgrade: bandwidth up, MeteredData to UnlimitedData; fields not given stay as they are."""
        with circuit_if_match(request, circuit_for(request.user, pk, action="change"), required=True) as circuit:
            current = {name: getattr(circuit, name) for name in ("sku_tier", "sku_family", "bandwidth_mbps")}
            data = self.validated(inputs.UpgradeInput, form_defaults=current)
            services.circuit_upgrade(circuit=circuit, actor=self.actor, **data)
        return self._answer(pk)

    # The circuit, 200: drf-spectacular would document a DELETE as 204 without a body.
    @extend_schema(request=inputs.ReasonInput, parameters=[IF_MATCH, ETAG], responses={200: CircuitSerializer})
    def destroy(self, request, pk):
        """Delete in Azure; the circuit stays readable with `deleted_at` (billing and audit need it)."""
        with circuit_if_match(request, circuit_for(request.user, pk, action="change"), required=True) as circuit:
            data = self.validated(inputs.ReasonInput)
            services.circuit_delete(circuit=circuit, actor=self.actor, reason=data["reason"])
        return self._answer(pk)

    @extend_schema(request=inputs.ReasonInput, parameters=[IF_MATCH, ETAG], responses=CircuitSerializer)
    @action(detail=True, methods=["post"])
    def deprovision(self, request, pk):
        """Ask the provider to deprovision (Provisioned circuits with no VNet links)."""
        with circuit_if_match(request, circuit_for(request.user, pk, action="change"), required=True) as circuit:
            data = self.validated(inputs.ReasonInput)
            services.circuit_request_deprovision(circuit=circuit, actor=self.actor, reason=data["reason"])
        return self._answer(pk)


class ProviderOrderViewSet(CircuitChildViewSet):
    queryset = ProviderOrder.objects.none()  # the schema's model; objects come from children()
    serializer_class = ProviderOrderSerializer
    child_parameter = "order_pk"
    permissions = {
        "read": VIEW,
        "POST": ("circuits.change_circuit", "circuits.add_providerorder"),
        "PATCH": ("circuits.change_circuit", "circuits.add_providerorder"),
    }

    def children(self, circuit):
        return circuit.provider_orders.all()

    @extend_schema(request=inputs.ProviderOrderInput, parameters=[IF_MATCH_OPTIONAL], responses={201: serializer_class})
    def create(self, request, pk):
        with self.changing() as circuit:
            data = self.validated(inputs.ProviderOrderInput, form_defaults=inputs.order_form_defaults(None))
            order = services.provider_order_save(circuit=circuit, actor=self.actor, **data)
        return self.one(order, status=201)

    @extend_schema(request=inputs.ProviderOrderInput, parameters=[IF_MATCH_OPTIONAL])
    def partial_update(self, request, pk, order_pk):
        with self.changing() as circuit:
            order = self.child(circuit)
            data = self.validated(inputs.ProviderOrderInput, form_defaults=inputs.order_form_defaults(order))
            order = services.provider_order_save(circuit=circuit, order=order, actor=self.actor, **data)
        return self.one(order)


class AuthorizationViewSet(CircuitChildViewSet):
    queryset = Authorization.objects.none()  # the schema's model; objects come from children()
    serializer_class = AuthorizationSerializer
    child_parameter = "authorization_pk"
    permissions = {
        "read": VIEW,
        "POST": ("circuits.change_circuit", "circuits.add_authorization"),
        "DELETE": ("circuits.change_circuit", "circuits.delete_authorization"),
    }

    def children(self, circuit):
        return circuit.authorizations.all()

    @extend_schema(
        request=inputs.AuthorizationInput,
        parameters=[IF_MATCH_OPTIONAL],
        responses={201: AuthorizationCreatedSerializer},
    )
    def create(self, request, pk):
        """The key is in this response only: Onramp stores a digest and never shows it again."""
        with self.changing() as circuit:
            data = self.validated(inputs.AuthorizationInput)
            authorization, key = services.authorization_create(circuit=circuit, name=data["name"], actor=self.actor)
        authorization.authorization_key = key
        response = self.one(authorization, status=201, serializer_class=AuthorizationCreatedSerializer)
        add_never_cache_headers(response)  # the key must not survive in any cache
        return response

    @extend_schema(request=inputs.ReasonInput, parameters=[IF_MATCH_OPTIONAL], responses={204: None})
    def destroy(self, request, pk, authorization_pk):
        with self.changing() as circuit:
            data = self.validated(inputs.ReasonInput)
            services.authorization_delete(authorization=self.child(circuit), actor=self.actor, reason=data["reason"])
        return Response(status=204)


class VNetLinkViewSet(CircuitChildViewSet):
    queryset = VNetLink.objects.none()  # the schema's model; objects come from children()
    serializer_class = VNetLinkSerializer
    child_parameter = "link_pk"
    permissions = {
        "read": VIEW,
        "POST": ("circuits.change_circuit", "circuits.add_vnetlink"),
        "DELETE": ("circuits.change_circuit", "circuits.delete_vnetlink"),
    }

    def children(self, circuit):
        return circuit.vnet_links.all()

    @extend_schema(request=inputs.VNetLinkInput, parameters=[IF_MATCH_OPTIONAL], responses={201: serializer_class})
    def create(self, request, pk):
        with self.changing() as circuit:
            data = self.validated(inputs.VNetLinkInput)
            link = services.vnet_link_create(circuit=circuit, actor=self.actor, **data)
        return self.one(link, status=201)

    @extend_schema(request=inputs.ReasonInput, parameters=[IF_MATCH_OPTIONAL], responses={204: None})
    def destroy(self, request, pk, link_pk):
        with self.changing() as circuit:
            data = self.validated(inputs.ReasonInput)
            services.vnet_link_delete(link=self.child(circuit), actor=self.actor, reason=data["reason"])
        return Response(status=204)
