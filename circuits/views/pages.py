"""The circuit pages: the list, one circuit, and creating one (step 1)."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from circuits import services
from circuits.filtersets import CircuitFilterSet, uses_workflow_step
from circuits.forms import ACTION_ERRORS, CircuitCreateForm, form_add_domain_error
from circuits.selectors import (
    ListCount,
    circuit_for,
    circuit_history_queryset,
    circuit_last_reading,
    circuit_list_poll_fingerprint_for,
    circuit_onboarding_queryset,
    circuit_page_for,
    circuit_poll_fingerprint,
    circuit_poll_fingerprint_for,
    circuit_timeline,
    circuits_fingerprint,
    circuits_readable_by,
    circuits_visible_to,
    service_key_for,
    user_can_change_circuit,
    with_workflow_step,
)
from circuits.tables import COLUMNS, COMPACT, density_choices, per_page, per_page_choices, sortable_headers
from core.actors import Actor
from core.pagination import CountingPaginator, page_number

from .list_filters import FilterPanel
from .list_rows import list_rows
from .live import NOTHING_CHANGED, is_poll, live_response, poll_seconds, unchanged
from .page_regions import Viewer, page_regions


def filtered_circuits(request, visible=circuits_visible_to):
    """The filterset and the circuits it selects (none while a filter value is invalid)."""
    queryset = visible(request.user, circuit_onboarding_queryset())
    if uses_workflow_step(request.GET):
        queryset = with_workflow_step(queryset, selected=False)
    filterset = CircuitFilterSet(request.GET, queryset=queryset, request=request)
    return filterset, filterset.qs if filterset.is_valid() else queryset.none()


def _page_slice(circuits, number, size):
    """The circuits on page `number`, without counting them all (for the poll check)."""
    offset = ((page_number(number) or 1) - 1) * size
    return circuits[offset : offset + size]


def _list_notices(request, filterset, page):
    """What the list did not do as asked, said rather than shown as a wrong or empty list."""
    notices = [f"Unknown sort “{sort}” ignored." for sort in filterset.ignored_sorts]
    if request.GET.get("per_page") and str(page.paginator.per_page) != request.GET["per_page"]:
        notices.append(f"Rows per page “{request.GET['per_page']}” is not offered; showing {page.paginator.per_page}.")
    asked = request.GET.get("page")
    if asked and page_number(asked) is None:
        notices.append(f"“{asked}” is not a page number; showing page {page.number}.")
    elif asked and page_number(asked) != page.number:
        pages = page.paginator.num_pages
        notices.append(
            f"Page {asked} is past the end ({pages} page{'s' if pages != 1 else ''}); showing page {page.number}."
        )
    return notices


def _list_poll_fingerprint(request):
    """The fingerprint of the list page the poll names, with the permission check inside the query."""
    _, circuits = filtered_circuits(request, visible=circuits_readable_by)
    return circuit_poll_fingerprint(_page_slice(circuits, request.GET.get("page") or 1, per_page(request.GET)))


def circuit_list(request):
    if is_poll(request):
        read = functools.partial(_list_poll_fingerprint, request)
        if unchanged(request, circuit_list_poll_fingerprint_for(request.user, request.GET, read)):
            return HttpResponse(status=NOTHING_CHANGED)
    return _circuit_list_page(request)


@permission_required("circuits.view_circuit", raise_exception=True)
def _circuit_list_page(request):
    # Looked up before the filters are read (list_filters); htmx polls redraw the live region only.
    panel = None if request.htmx else FilterPanel(request)
    count = ListCount(request.user, request.GET)  # as the panel: looked up before the circuits are read
    filterset, circuits = filtered_circuits(request)
    # The rows come from the cache, which gives the ones it misses their checklist's prefetches.
    circuits = circuits.prefetch_related(None)
    page = CountingPaginator(circuits, per_page(request.GET), known_count=count.found).get_page(
        request.GET.get("page") or 1
    )
    count.store(page.paginator.count)
    rows = list_rows(page.object_list)
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
        "fingerprint": circuits_fingerprint(page.object_list),
        # The list always polls: any row may change and new circuits may join the page.
        "polling": True,
        "poll_seconds": poll_seconds(onboarded=all(row.settled for row in rows)),
        "last_checked_at": max((c.last_checked_at for c in page.object_list if c.last_checked_at), default=None),
    }
    if panel:
        context["filter_panel"] = panel.html(request, context)
    return live_response(request, "circuits/circuit_list.html", context)


def circuit_detail(request, pk):
    if is_poll(request) and unchanged(request, circuit_poll_fingerprint_for(request.user, pk)):
        return HttpResponse(status=NOTHING_CHANGED)
    return _circuit_page(request, pk)


@permission_required("circuits.view_circuit", raise_exception=True)
def _circuit_page(request, pk):
    circuit, can_change = circuit_page_for(request.user, pk)
    # The regions come from the cache, which gives the circuit their prefetches only when it misses them.
    regions = page_regions(circuit, viewer=Viewer.of(request.user, can_change=can_change), htmx=bool(request.htmx))
    context = {
        "circuit": circuit,
        "regions": regions,
        "can_change": can_change,
        "fingerprint": circuits_fingerprint([circuit]),
        "polling": not circuit.is_deleted,
        "poll_seconds": poll_seconds(onboarded=regions.onboarded),
        "diagnostics": circuit_last_reading(circuit_id=circuit.pk),
    }
    return live_response(request, "circuits/circuit_detail.html", context, finished=circuit.is_deleted)


def _page_part(request, circuit, template, context, *, anchor):
    """A part of the circuit page that htmx loads on its own; a plain load goes to the page."""
    if not request.htmx:
        return redirect(f"{circuit.get_absolute_url()}#{anchor}")
    return render(request, template, {"circuit": circuit, **context})


@permission_required("circuits.view_circuit", raise_exception=True)
def circuit_diagnostics(request, pk):
    """Step 4's verification section alone (htmx); a plain load gets it within the circuit page."""
    circuit = circuit_for(request.user, pk)
    context = {
        "can_change": user_can_change_circuit(request.user, circuit),
        "diagnostics": circuit_last_reading(circuit_id=circuit.pk),
    }
    return _page_part(request, circuit, "circuits/circuit_detail.html#diagnostics", context, anchor="diagnostics")


@permission_required("circuits.view_circuit", raise_exception=True)
def circuit_history(request, pk):
    """The circuit page's billing panel and timeline, which htmx loads once the page is shown: they
    cost more than the rest of the page together, and the page is what an engineer waits for."""
    circuit = circuit_for(request.user, pk, queryset=circuit_history_queryset())
    context = {
        "service_key": service_key_for(request.user, circuit),
        "timeline_events": circuit_timeline(circuit_id=circuit.pk),
    }
    return _page_part(request, circuit, "circuits/circuit_detail.html#history", context, anchor="circuit-history")


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
