"""The engineer's actions on one circuit: a form page whose POST calls one service.

Every action is a `CircuitActionView`: declare the form, the texts and `perform` (the one service
call); the base class scopes the circuit to the user's teams, checks the role and shows a refusal
(DomainError) next to the field it names. The peering actions (`peering_actions.py`) are the same."""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.decorators.http import require_POST

from circuits import services
from circuits.forms import (
    ACTION_ERRORS,
    AuthorizationForm,
    ConfirmForm,
    ProviderOrderForm,
    UpgradeForm,
    VNetLinkForm,
    form_add_domain_error,
)
from circuits.models import ProviderOrder
from circuits.selectors import circuit_for, circuit_page_queryset
from core.actors import Actor
from notifications.services import watch_set


class CircuitActionView(PermissionRequiredMixin, View):
    """One action on one circuit the user may change: a form page whose POST calls one service.

    Circuits outside the user's teams answer 404, so ids cannot be probed.
    """

    permission_required = "circuits.change_circuit"
    raise_exception = True
    form_class = ConfirmForm
    template_name = "circuits/circuit_action.html"
    title = ""
    intro = ""
    submit_label = "Save"
    danger = False
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.circuit = circuit_for(request.user, kwargs["pk"], action="change", queryset=circuit_page_queryset())
        return super().dispatch(request, *args, **kwargs)

    @property
    def actor(self):
        return Actor.person(self.request.user)

    def get_initial(self):
        return {}

    def get_form(self, data=None):
        return self.form_class(data, initial=self.get_initial())

    def get(self, request, **kwargs):
        return self.render(self.get_form())

    def post(self, request, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                result = self.perform(form.cleaned_data)
            except ACTION_ERRORS as error:
                form_add_domain_error(form, error)
            else:
                return self.succeed(result)
        return self.render(form)

    def perform(self, data):
        raise NotImplementedError

    def succeed(self, result):
        messages.success(self.request, self.success_message)
        return redirect(self.circuit)

    def get_context(self):
        return {}

    def render(self, form):
        context = {
            "circuit": self.circuit,
            "form": form,
            "title": self.title,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "danger": self.danger,
            **self.get_context(),
        }
        return render(self.request, self.template_name, context)


class ProviderOrderView(CircuitActionView):
    """Step 2: record the order placed with the provider, or update it (order_pk)."""

    form_class = ProviderOrderForm
    title = "Record the provider order"
    intro = "Give the service key to the provider, then record their order reference and dates here."
    submit_label = "Save order"
    success_message = "Provider order saved."
    permission_required = ("circuits.change_circuit", "circuits.add_providerorder")

    @property
    def order(self):
        if "order_pk" not in self.kwargs:
            return None
        return get_object_or_404(ProviderOrder, pk=self.kwargs["order_pk"], circuit=self.circuit)

    def get_initial(self):
        order = self.order
        if order is None:
            return {"requested_on": timezone.localdate()}
        return {name: getattr(order, name) for name in ProviderOrderForm.base_fields}

    def perform(self, data):
        return services.provider_order_save(circuit=self.circuit, order=self.order, actor=self.actor, **data)


class AuthorizationCreateView(CircuitActionView):
    form_class = AuthorizationForm
    title = "Create an authorization"
    intro = (
        "An authorization key lets a VNet in another subscription link to this circuit. "
        "Each key is single use. The key is shown once, right after creation."
    )
    submit_label = "Create authorization"
    permission_required = ("circuits.change_circuit", "circuits.add_authorization")

    def perform(self, data):
        return services.authorization_create(circuit=self.circuit, name=data["name"], actor=self.actor)

    def succeed(self, result):
        authorization, key = result
        response = render(
            self.request,
            "circuits/authorization_created.html",
            {"circuit": self.circuit, "authorization": authorization, "key": key},
        )
        add_never_cache_headers(response)  # the key must not survive in any cache
        return response


class VNetLinkCreateView(CircuitActionView):
    form_class = VNetLinkForm
    title = "Link a virtual network"
    intro = (
        "Connect a VNet's ExpressRoute gateway to this circuit. A VNet in another subscription needs an "
        "authorization key created on this circuit."
    )
    submit_label = "Link VNet"
    success_message = "VNet link created; Azure is connecting it."
    permission_required = ("circuits.change_circuit", "circuits.add_vnetlink")

    def perform(self, data):
        return services.vnet_link_create(circuit=self.circuit, actor=self.actor, **data)


class UpgradeView(CircuitActionView):
    form_class = UpgradeForm
    title = "Upgrade SKU or bandwidth"
    intro = (
        "Azure allows bandwidth to go up only, and MeteredData to UnlimitedData but never back. "
        "A Local circuit is always UnlimitedData."
    )
    submit_label = "Apply upgrade"
    success_message = "Circuit upgraded."

    def get_initial(self):
        return {name: getattr(self.circuit, name) for name in ("sku_tier", "sku_family", "bandwidth_mbps")}

    def perform(self, data):
        return services.circuit_upgrade(circuit=self.circuit, actor=self.actor, **data)

    def succeed(self, result):
        if result is None:
            messages.info(self.request, "Nothing changed: the circuit already has this SKU and bandwidth.")
            return redirect(self.circuit)
        return super().succeed(result)


class DeprovisionView(CircuitActionView):
    title = "Request deprovisioning"
    intro = (
        "Ask the provider to deprovision the circuit. The provider moves it to Deprovisioning and then "
        "NotProvisioned. Azure keeps billing until the circuit is deleted."
    )
    submit_label = "Request deprovisioning"
    danger = True
    success_message = "Deprovisioning requested; the provider now deprovisions the circuit."

    def perform(self, data):
        return services.circuit_request_deprovision(circuit=self.circuit, actor=self.actor, reason=data["reason"])


class CircuitDeleteView(CircuitActionView):
    title = "Delete the circuit"
    intro = "Deleting the circuit in Azure stops its billing. Its history stays in Onramp."
    submit_label = "Delete circuit"
    danger = True
    success_message = "Circuit deleted; billing stops."
    permission_required = ("circuits.change_circuit",)

    @cached_property
    def blockers(self):
        return [] if self.circuit.is_deleted else services.circuit_delete_blockers(self.circuit)

    def get_context(self):
        return {"blockers": self.blockers}

    def post(self, request, **kwargs):
        # The page already lists the blockers next to a disabled button: repeating them as a form
        # error would say it twice. The service still refuses a deletion that races a new blocker.
        if self.blockers:
            return self.render(self.get_form(request.POST))
        return super().post(request, **kwargs)

    def perform(self, data):
        return services.circuit_delete(circuit=self.circuit, actor=self.actor, reason=data["reason"])


class CircuitChildDeleteView(CircuitActionView):
    """Remove one of the circuit's children, named in the URL by `url_kwarg` and looked up among the
    circuit's own `relation` (another circuit's child answers 404), through the service `service`
    (a name in circuits.services) that takes it as `service_kwarg`."""

    danger = True
    relation = ""
    url_kwarg = ""
    service = ""
    service_kwarg = ""
    intro_template = ""  # formatted with the child as `child`

    @cached_property
    def child(self):
        return get_object_or_404(getattr(self.circuit, self.relation).all(), pk=self.kwargs[self.url_kwarg])

    @property
    def intro(self):
        return self.intro_template.format(child=self.child)

    def perform(self, data):
        remove = getattr(services, self.service)
        return remove(**{self.service_kwarg: self.child}, actor=self.actor, reason=data["reason"])


class VNetLinkDeleteView(CircuitChildDeleteView):
    relation, url_kwarg = "vnet_links", "link_pk"
    service, service_kwarg = "vnet_link_delete", "link"
    permission_required = ("circuits.change_circuit", "circuits.delete_vnetlink")
    title = "Remove a VNet link"
    intro_template = "Remove the link {child.name} ({child.vnet_resource_id}). Traffic from that VNet stops."
    submit_label = "Remove link"
    success_message = "VNet link removed."


class AuthorizationDeleteView(CircuitChildDeleteView):
    relation, url_kwarg = "authorizations", "authorization_pk"
    service, service_kwarg = "authorization_delete", "authorization"
    permission_required = ("circuits.change_circuit", "circuits.delete_authorization")
    title = "Remove an authorization"
    intro_template = "Remove the authorization {child.name}. Its key stops working."
    submit_label = "Remove authorization"
    success_message = "Authorization removed."


@require_POST
def circuit_watch(request, pk):
    """Start (or, with watching=0, stop) watching a circuit: needs only view access, since
    notifications tell what happens to it."""
    circuit = circuit_for(request.user, pk)
    watch_set(user=request.user, circuit=circuit, watching=request.POST.get("watching") != "0")
    return redirect(circuit.get_absolute_url())
