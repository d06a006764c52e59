"""The dashboard's circuit pages and the engineer's actions. Views stay thin: they check who may do
what, parse the form, call one service and show a refusal next to the field it concerns."""

from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Subquery, Value
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views import View

from core.actors import Actor
from core.csv_export import csv_response
from peerings.choices import AdvertisedPublicPrefixesStateChoices

from . import services
from .checklist import DONE, circuit_checklist
from .choices import ProviderOrderStatusChoices
from .filtersets import CircuitFilterSet, uses_workflow_step
from .forms import (
    ACTION_ERRORS,
    AuthorizationForm,
    CircuitCreateForm,
    ConfirmForm,
    ProviderOrderForm,
    UpgradeForm,
    VNetLinkForm,
    form_add_domain_error,
)
from .models import ProviderOrder
from .selectors import (
    EMPTY_FINGERPRINT,
    circuit_for,
    circuit_last_reading,
    circuit_onboarding_queryset,
    circuit_page_queryset,
    circuit_poll_fingerprint,
    circuit_poll_fingerprint_for,
    circuits_fingerprint,
    circuits_readable_by,
    circuits_visible_to,
    service_key_display,
    service_key_for,
    user_can_change_circuit,
    with_workflow_step,
)
from .tables import COLUMNS, COMPACT, csv_rows, density_choices, per_page, per_page_choices, sortable_headers

STOP_POLLING = 286  # htmx 2: swap this answer, then stop polling


def poll_seconds(*, onboarded=False):
    """How often a live page asks again: slower once onboarded, where changes are rare but still
    matter (a BGP session dropping, a link disconnecting, the provider deprovisioning)."""
    if onboarded:
        return settings.ONRAMP_LIVE_POLL_ONBOARDED_SECONDS
    return settings.ONRAMP_LIVE_POLL_SECONDS


def _live_response(request, template, context, *, finished=False):
    """A live fragment for htmx polls, the whole page otherwise; polls stop only once nothing can
    change (a deleted circuit)."""
    if request.htmx:
        response = render(request, template + "#live", context, status=STOP_POLLING if finished else 200)
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _is_poll(request):
    """A live region asking whether its data (fingerprint `v`) is still current."""
    return bool(request.htmx) and "v" in request.GET


NOTHING_CHANGED = 204  # answered without rendering: htmx 2 keeps the page as it is


def _filtered_circuits(request, visible=circuits_visible_to):
    """The filterset and the circuits it selects (none while a filter value is invalid)."""
    queryset = visible(request.user, circuit_onboarding_queryset())
    if uses_workflow_step(request.GET):
        queryset = with_workflow_step(queryset, selected=False)
    filterset = CircuitFilterSet(request.GET, queryset=queryset, request=request)
    return filterset, filterset.qs if filterset.is_valid() else queryset.none()


def _unchanged(request, fingerprint):
    """True when the poll's fingerprint `v` is still `fingerprint` (read in one query).

    An empty result (no such circuit, no permission, an empty page) is never "unchanged": the full
    view answers it, with its own permission check.
    """
    return fingerprint != EMPTY_FINGERPRINT and request.GET["v"] == fingerprint


class CountingPaginator(Paginator):
    """Counts the rows inside the page's own query (an uncorrelated scalar subquery, evaluated once)
    instead of a COUNT query of its own, while the page itself can still come from an index. Only
    a page number past the end, or not a number, falls back to Django's way."""

    def get_page(self, number):
        page_number = _page_number(number)
        if page_number is None:
            return super().get_page(number)
        offset = (page_number - 1) * self.per_page
        matching = self.object_list.order_by().annotate(one=Value(1)).values("one")
        total = Subquery(matching.annotate(total=Count("pk")).values("total"))
        rows = list(self.object_list.annotate(total_rows=total)[offset : offset + self.per_page])
        if not rows:
            return super().get_page(number)
        self.count = rows[0].total_rows
        return self._get_page(rows, page_number, self)


def _page_number(value):
    """A page number the fast paths can use, else None: a positive whole number whose offset fits the
    database's range ("²" is a digit to str.isdigit but not to int(); 10**19 overflows OFFSET)."""
    text = str(value)
    return (int(text) or None) if text.isdecimal() and len(text) <= 9 else None


def _page_slice(circuits, page_number, size):
    """The circuits on page `page_number`, without counting them all (for the poll check)."""
    offset = ((_page_number(page_number) or 1) - 1) * size
    return circuits[offset : offset + size]


def _list_notices(request, filterset, page):
    """What the list did not do as asked, said rather than shown as a wrong or empty list."""
    notices = [f"Unknown sort “{sort}” ignored." for sort in filterset.ignored_sorts]
    if request.GET.get("per_page") and str(page.paginator.per_page) != request.GET["per_page"]:
        notices.append(f"Rows per page “{request.GET['per_page']}” is not offered; showing {page.paginator.per_page}.")
    asked = request.GET.get("page")
    if asked and _page_number(asked) is None:
        notices.append(f"“{asked}” is not a page number; showing page {page.number}.")
    elif asked and _page_number(asked) != page.number:
        pages = page.paginator.num_pages
        notices.append(
            f"Page {asked} is past the end ({pages} page{'s' if pages != 1 else ''}); showing page {page.number}."
        )
    return notices


def circuit_list(request):
    if _is_poll(request):
        _, circuits = _filtered_circuits(request, visible=circuits_readable_by)
        page = _page_slice(circuits, request.GET.get("page") or 1, per_page(request.GET))
        if _unchanged(request, circuit_poll_fingerprint(page)):
            return HttpResponse(status=NOTHING_CHANGED)
    return _circuit_list_page(request)


@permission_required("circuits.view_circuit", raise_exception=True)
def _circuit_list_page(request):
    filterset, circuits = _filtered_circuits(request)
    page = CountingPaginator(circuits, per_page(request.GET)).get_page(request.GET.get("page") or 1)
    rows = [(circuit, circuit_checklist(circuit)) for circuit in page.object_list]
    query = request.GET.copy()
    query.pop("v", None)
    query["sort"] = filterset.applied_sort
    if not query["sort"]:
        del query["sort"]
    without_page = query.copy()
    without_page.pop("page", None)
    context = {
        "filterset": filterset,
        "page": page,
        "rows": rows,
        "headers": sortable_headers(query),
        "sort": filterset.applied_sort,
        "notices": _list_notices(request, filterset, page),
        "per_page_choices": per_page_choices(query),
        "density_choices": density_choices(query),
        "compact": query.get("density") == COMPACT,
        "view_params": [(name, query[name]) for name in ("per_page", "density") if query.get(name)],
        # Open only when the list is narrowed (or a filter value was refused: its error is inside).
        "filters_open": any(request.GET.get(name) for name in filterset.filters if name != "sort"),
        "column_count": len(COLUMNS),
        "query": query.urlencode(),
        "query_without_page": without_page.urlencode(),
        "fingerprint": circuits_fingerprint(circuit for circuit, _ in rows),
        # The list always polls: any row may change and new circuits may join the page.
        "polling": True,
        "poll_seconds": poll_seconds(onboarded=all(c.is_deleted or checklist.is_complete for c, checklist in rows)),
        "last_checked_at": max((c.last_checked_at for c, _ in rows if c.last_checked_at), default=None),
    }
    return _live_response(request, "circuits/circuit_list.html", context)


@permission_required("circuits.view_circuit", raise_exception=True)
def circuit_export(request):
    """The filtered list as CSV (all pages), streamed; no secrets, service keys masked where not the user's."""
    _, circuits = _filtered_circuits(request)
    return csv_response(
        csv_rows(circuits.iterator(chunk_size=500), service_key=service_key_display(request.user)),
        filename=f"circuits-{timezone.now():%Y%m%d-%H%M}.csv",
    )


def _order_needed(circuit, checklist):
    """Offer 'Record provider order' while step 2 is open and no live order covers it."""
    if checklist.steps[1].status == DONE:
        return False
    active = [order for order in circuit.provider_orders.all() if order.status != ProviderOrderStatusChoices.CANCELLED]
    return not active or circuit.deprovisioned_at is not None


def circuit_detail(request, pk):
    if _is_poll(request) and _unchanged(request, circuit_poll_fingerprint_for(request.user, pk)):
        return HttpResponse(status=NOTHING_CHANGED)
    return _circuit_page(request, pk)


@permission_required("circuits.view_circuit", raise_exception=True)
def _circuit_page(request, pk):
    circuit = circuit_for(request.user, pk, queryset=circuit_page_queryset())
    checklist = circuit_checklist(circuit)
    context = {
        "circuit": circuit,
        "checklist": checklist,
        "can_change": user_can_change_circuit(request.user, circuit),
        "service_key": service_key_for(request.user, circuit),
        "delete_blockers": [] if circuit.is_deleted else services.circuit_delete_blockers(circuit),
        "order_needed": _order_needed(circuit, checklist),
        "fingerprint": circuits_fingerprint([circuit]),
        "polling": not circuit.is_deleted,
        "poll_seconds": poll_seconds(onboarded=checklist.is_complete),
        "validation_needed": AdvertisedPublicPrefixesStateChoices.VALIDATION_NEEDED,
        "diagnostics": circuit_last_reading(circuit_id=circuit.pk),
    }
    return _live_response(request, "circuits/circuit_detail.html", context, finished=circuit.is_deleted)


DIAGNOSTICS = "circuits/circuit_detail.html#diagnostics"


@permission_required("circuits.view_circuit", raise_exception=True)
def circuit_diagnostics(request, pk):
    """Step 4's verification section alone (htmx); a plain load gets it within the circuit page."""
    circuit = circuit_for(request.user, pk)
    if not request.htmx:
        return redirect(circuit.get_absolute_url() + "#diagnostics")
    context = {
        "circuit": circuit,
        "can_change": user_can_change_circuit(request.user, circuit),
        "diagnostics": circuit_last_reading(circuit_id=circuit.pk),
    }
    return render(request, DIAGNOSTICS, context)


class CircuitCreateView(PermissionRequiredMixin, View):
    permission_required = "circuits.add_circuit"
    raise_exception = True
    template_name = "circuits/circuit_form.html"

    def get(self, request):
        return self._render(CircuitCreateForm(user=request.user))

    def post(self, request):
        form = CircuitCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                circuit = services.circuit_create(actor=Actor.person(request.user), **form.cleaned_data)
            except ACTION_ERRORS as error:
                form_add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    f"Circuit {circuit.name} created and billing has started. Next: give the service key "
                    f"{circuit.service_key} to {circuit.service_provider} and record the order.",
                )
                return redirect(circuit)
        return self._render(form)

    def _render(self, form):
        return render(self.request, self.template_name, {"form": form, "title": "Create a circuit"})


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

    def succeed(self, result):
        if result is None:
            messages.info(self.request, "Nothing changed: the circuit already has this SKU and bandwidth.")
            return redirect(self.circuit)
        return super().succeed(result)

    def get_initial(self):
        circuit = self.circuit
        return {
            "sku_tier": circuit.sku_tier,
            "sku_family": circuit.sku_family,
            "bandwidth_mbps": circuit.bandwidth_mbps,
        }

    def perform(self, data):
        circuit = self.circuit
        if (circuit.sku_tier, circuit.sku_family, circuit.bandwidth_mbps) == (
            data["sku_tier"],
            data["sku_family"],
            data["bandwidth_mbps"],
        ):
            return None
        # Both changes or neither: a refused SKU change rolls back the bandwidth change.
        with transaction.atomic():
            circuit = services.circuit_change_bandwidth(
                circuit=self.circuit, bandwidth_mbps=data["bandwidth_mbps"], actor=self.actor, reason=data["reason"]
            )
            return services.circuit_change_sku(
                circuit=circuit,
                sku_tier=data["sku_tier"],
                sku_family=data["sku_family"],
                actor=self.actor,
                reason=data["reason"],
            )


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


class VNetLinkDeleteView(CircuitActionView):
    title = "Remove a VNet link"
    submit_label = "Remove link"
    danger = True
    success_message = "VNet link removed."
    permission_required = ("circuits.change_circuit", "circuits.delete_vnetlink")

    @property
    def intro(self):
        return f"Remove the link {self.link.name} ({self.link.vnet_resource_id}). Traffic from that VNet stops."

    @cached_property
    def link(self):
        return get_object_or_404(self.circuit.vnet_links.all(), pk=self.kwargs["link_pk"])

    def perform(self, data):
        return services.vnet_link_delete(link=self.link, actor=self.actor, reason=data["reason"])


class AuthorizationDeleteView(CircuitActionView):
    title = "Remove an authorization"
    submit_label = "Remove authorization"
    danger = True
    success_message = "Authorization removed."
    permission_required = ("circuits.change_circuit", "circuits.delete_authorization")

    @property
    def intro(self):
        return f"Remove the authorization {self.authorization.name}. Its key stops working."

    @cached_property
    def authorization(self):
        return get_object_or_404(self.circuit.authorizations.all(), pk=self.kwargs["authorization_pk"])

    def perform(self, data):
        return services.authorization_delete(authorization=self.authorization, actor=self.actor, reason=data["reason"])
