"""Webhook endpoints (/api/webhooks/): what the /webhooks/ pages do, for scripts.

Engineers manage the endpoints of their own teams and superusers every endpoint; an endpoint that
hears about any team not yours answers 404 (webhooks.selectors), and other roles get 403. Writes
are validated by the page's form and made by webhooks.services; the signing secret is in the
answer to a creation or a rotation only, never again."""

from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema

from webhooks import selectors, services
from webhooks.models import Delivery, Endpoint

from .. import inputs
from ..pagination import NewestFirstCursorPagination
from ..serializers import WebhookDeliverySerializer, WebhookEndpointSecretSerializer, WebhookEndpointSerializer
from .base import ApiViewSet


class WebhookViewSet(ApiViewSet):
    """Engineers and superusers only, as on the pages (refused before anything is looked up)."""

    permissions = {}

    def check_permissions(self, request):
        super().check_permissions(request)
        if not selectors.user_may_manage_webhooks(request.user):
            self.permission_denied(request, message="Webhook endpoints are managed by engineers.")

    def endpoint(self):
        return selectors.endpoint_for(self.request.user, self.kwargs["pk"])


class WebhookEndpointViewSet(WebhookViewSet):
    """Endpoints whose every team is one of yours (all, for superusers)."""

    serializer_class = WebhookEndpointSerializer
    queryset = Endpoint.objects.none()  # the schema's model; objects come from webhooks.selectors

    def get_queryset(self):
        return selectors.endpoints_visible_to(self.request.user).select_related("created_by")

    def list(self, request):
        return self.page_of(self.get_queryset())

    def retrieve(self, request, pk):
        return self.one(self.endpoint())

    def _validated(self, endpoint=None):
        return self.validated(
            inputs.EndpointInput,
            form_kwargs={"teams": selectors.teams_for_rules(self.request.user)},
            form_defaults=inputs.endpoint_form_defaults(endpoint) if endpoint else {},
        )

    def _with_secret(self, endpoint, secret, *, status=200):
        endpoint.secret = secret
        response = self.one(endpoint, status=status, serializer_class=WebhookEndpointSecretSerializer)
        add_never_cache_headers(response)  # the secret must not survive in any cache
        return response

    @extend_schema(request=inputs.EndpointInput, responses={201: WebhookEndpointSecretSerializer})
    def create(self, request):
        """The answer carries the signing secret: this once, never again."""
        endpoint, secret = services.endpoint_create(actor=self.actor, **self._validated())
        return self._with_secret(endpoint, secret, status=201)

    @extend_schema(request=inputs.EndpointInput)
    def partial_update(self, request, pk):
        """Change the name, URL, teams or events; the fields not given stay as they are."""
        endpoint = self.endpoint()
        services.endpoint_update(endpoint=endpoint, actor=self.actor, **self._validated(endpoint))
        return self.one(self.endpoint())

    @extend_schema(request=None)
    def enable(self, request, pk):
        """Send again: what is still pending goes out at once, with a fresh day of retries."""
        services.endpoint_enable(endpoint=self.endpoint(), actor=self.actor)
        return self.one(self.endpoint())

    @extend_schema(request=inputs.EndpointDisableInput)
    def disable(self, request, pk):
        """Stop sending; deliveries wait, pending, until the endpoint is enabled. Its owners are told."""
        endpoint = self.endpoint()
        reason = self.validated(inputs.EndpointDisableInput)["reason"] or "No reason given."
        services.endpoint_disable(endpoint=endpoint, reason=reason, actor=self.actor)
        return self.one(self.endpoint())

    @extend_schema(request=None, responses=WebhookEndpointSecretSerializer)
    def rotate_secret(self, request, pk):
        """A new secret, in this answer only; the previous one also signs until `previous_secret_until`."""
        secret = services.endpoint_rotate_secret(endpoint=self.endpoint(), actor=self.actor)
        return self._with_secret(self.endpoint(), secret)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    def ping(self, request, pk):
        """Queue a `webhook.ping` to this endpoint only; the answer is its delivery, to follow in the log."""
        endpoint = self.endpoint()
        event = services.endpoint_ping(endpoint=endpoint, user=request.user)
        delivery = selectors.endpoint_deliveries(endpoint).get(event=event)
        return self.one(delivery, status=202, serializer_class=WebhookDeliverySerializer)


class WebhookDeliveryViewSet(WebhookViewSet):
    """An endpoint's delivery log, newest first, by cursor (`?status=` pending, delivered or failed)."""

    serializer_class = WebhookDeliverySerializer
    queryset = Delivery.objects.none()  # the schema's model; objects come from webhooks.selectors
    pagination_class = NewestFirstCursorPagination
    filterset_fields = ["status"]

    def list(self, request, pk):
        return self.page_of(selectors.endpoint_deliveries(self.endpoint()))

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    def redeliver(self, request, pk, delivery_pk):
        """Send it again, same webhook-id, with a fresh day of retries, whatever became of it."""
        delivery = selectors.delivery_for(request.user, delivery_pk, endpoint_pk=pk)
        services.delivery_redeliver(delivery=delivery)
        return self.one(selectors.endpoint_deliveries(delivery.endpoint).get(pk=delivery.pk), status=202)
