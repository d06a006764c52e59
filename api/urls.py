"""/api/: the REST resources, the OpenAPI schema with its Swagger UI and ReDoc, and the token pages.

Routes are written out (no router): no format suffixes, and every id parameter is named as the
pages name it (`pk` the circuit, or the endpoint under webhooks/; `order_pk`, `link_pk`, `delivery_pk`,
...), so tests/security/test_team_scoping.py walks them like the pages'."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import docs, views
from .endpoints.approvals import ApprovalViewSet, EvidenceViewSet
from .endpoints.circuits import AuthorizationViewSet, CircuitViewSet, ProviderOrderViewSet, VNetLinkViewSet
from .endpoints.insights import InsightsViewSet
from .endpoints.peerings import PeeringViewSet, TicketViewSet
from .endpoints.records import (
    AuditEventViewSet,
    BillingViewSet,
    NotificationViewSet,
    PeeringLocationViewSet,
    ServiceProviderViewSet,
    TeamViewSet,
)
from .endpoints.sync import CircuitDiagnosticsViewSet
from .endpoints.watches import WatchViewSet
from .endpoints.webhooks import WebhookDeliveryViewSet, WebhookEndpointViewSet

app_name = "api"
LIST = {"get": "list", "post": "create"}


def endpoint(route, viewset, actions, name):
    """An API route: authenticated by DRF itself (token or session), not by LoginRequiredMiddleware,
    which would send a script with a token to the log-in page."""
    return path(route, login_not_required(viewset.as_view(actions)), name=name)


resources = [
    endpoint("circuits/", CircuitViewSet, LIST, "circuit-list"),
    endpoint(
        "circuits/<int:pk>/",
        CircuitViewSet,
        {"get": "retrieve", "patch": "partial_update", "delete": "destroy"},
        "circuit-detail",
    ),
    endpoint("circuits/<int:pk>/deprovision/", CircuitViewSet, {"post": "deprovision"}, "circuit-deprovision"),
    endpoint("circuits/<int:pk>/watch/", WatchViewSet, {"get": "retrieve", "post": "create"}, "circuit-watch"),
    endpoint("circuits/<int:pk>/diagnostics/", CircuitDiagnosticsViewSet, {"get": "retrieve"}, "circuit-diagnostics"),
    endpoint("circuits/<int:pk>/check/", CircuitDiagnosticsViewSet, {"post": "check"}, "circuit-check"),
    endpoint("circuits/<int:pk>/orders/", ProviderOrderViewSet, LIST, "order-list"),
    endpoint(
        "circuits/<int:pk>/orders/<int:order_pk>/",
        ProviderOrderViewSet,
        {"get": "retrieve", "patch": "partial_update"},
        "order-detail",
    ),
    endpoint("circuits/<int:pk>/authorizations/", AuthorizationViewSet, LIST, "authorization-list"),
    endpoint(
        "circuits/<int:pk>/authorizations/<int:authorization_pk>/",
        AuthorizationViewSet,
        {"get": "retrieve", "delete": "destroy"},
        "authorization-detail",
    ),
    endpoint("circuits/<int:pk>/links/", VNetLinkViewSet, LIST, "link-list"),
    endpoint(
        "circuits/<int:pk>/links/<int:link_pk>/",
        VNetLinkViewSet,
        {"get": "retrieve", "delete": "destroy"},
        "link-detail",
    ),
    endpoint("circuits/<int:pk>/peerings/", PeeringViewSet, LIST, "peering-list"),
    endpoint(
        "circuits/<int:pk>/peerings/<int:peering_pk>/",
        PeeringViewSet,
        {"get": "retrieve", "patch": "partial_update"},
        "peering-detail",
    ),
    endpoint("tickets/", TicketViewSet, LIST, "ticket-list"),
    endpoint("tickets/<int:pk>/", TicketViewSet, {"get": "retrieve"}, "ticket-detail"),
    endpoint("tickets/<int:pk>/approve/", TicketViewSet, {"post": "approve"}, "ticket-approve"),
    endpoint("tickets/<int:pk>/reject/", TicketViewSet, {"post": "reject"}, "ticket-reject"),
    endpoint("tickets/<int:pk>/withdraw/", TicketViewSet, {"post": "withdraw"}, "ticket-withdraw"),
    endpoint("approvals/", ApprovalViewSet, {"get": "list"}, "approval-list"),
    endpoint("evidence/<int:pk>/", EvidenceViewSet, {"get": "retrieve"}, "evidence-download"),
    endpoint("audit-events/", AuditEventViewSet, {"get": "list"}, "auditevent-list"),
    endpoint("notifications/", NotificationViewSet, {"get": "list"}, "notification-list"),
    endpoint("notifications/read/", NotificationViewSet, {"post": "read"}, "notification-read"),
    endpoint("billing/circuits/", BillingViewSet, {"get": "circuits"}, "billing-circuits"),
    endpoint("billing/totals/", BillingViewSet, {"get": "totals"}, "billing-totals"),
    endpoint("providers/", ServiceProviderViewSet, {"get": "list"}, "provider-list"),
    endpoint("locations/", PeeringLocationViewSet, {"get": "list"}, "location-list"),
    endpoint("teams/", TeamViewSet, {"get": "list"}, "team-list"),
    endpoint("insights/", InsightsViewSet, {"get": "report"}, "insights"),
    endpoint("webhooks/", WebhookEndpointViewSet, LIST, "webhook-list"),
    endpoint(
        "webhooks/<int:pk>/",
        WebhookEndpointViewSet,
        {"get": "retrieve", "patch": "partial_update"},
        "webhook-detail",
    ),
    endpoint("webhooks/<int:pk>/enable/", WebhookEndpointViewSet, {"post": "enable"}, "webhook-enable"),
    endpoint("webhooks/<int:pk>/disable/", WebhookEndpointViewSet, {"post": "disable"}, "webhook-disable"),
    endpoint("webhooks/<int:pk>/rotate-secret/", WebhookEndpointViewSet, {"post": "rotate_secret"}, "webhook-rotate"),
    endpoint("webhooks/<int:pk>/ping/", WebhookEndpointViewSet, {"post": "ping"}, "webhook-ping"),
    endpoint("webhooks/<int:pk>/deliveries/", WebhookDeliveryViewSet, {"get": "list"}, "webhook-deliveries"),
    endpoint(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        WebhookDeliveryViewSet,
        {"post": "redeliver"},
        "webhook-redeliver",
    ),
]

urlpatterns = [
    *resources,
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", docs.swagger_ui, name="swagger-ui"),
    path("redoc/", docs.redoc, name="redoc"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:token_pk>/revoke/", views.token_revoke, name="token_revoke"),
    # Last, and only for paths ending in a slash: a path missing its slash is still redirected to it.
    re_path(r"^(?:.*/)?$", views.not_found, name="not-found"),
]
