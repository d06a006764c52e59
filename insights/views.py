"""/insights/: how long each step takes, per provider and location, for the circuits the user sees."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from circuits.models import Circuit
from circuits.selectors import circuits_in_scope
from core.csv_export import csv_response

from .chart import box_chart
from .filtersets import InsightsFilterSet
from .report import insights_report
from .tables import EXPORTS


def _may_see_insights(user) -> bool:
    """Engineers (they chase circuits) and managers (they choose providers); not approvers."""
    return user.has_perm("circuits.change_circuit") or user.has_perm("circuits.view_billing")


def _filtered_report(request):
    if not _may_see_insights(request.user):
        raise PermissionDenied("Insights are for engineers and managers.")
    circuits = Circuit.objects.filter(pk__in=circuits_in_scope(request.user))
    filterset = InsightsFilterSet(request.GET or None, queryset=circuits, request=request)
    # Bad filter values are shown next to their field; the page then shows every circuit in scope.
    if filterset.is_bound and filterset.is_valid():
        circuits = filterset.qs
    return filterset, insights_report(circuits, now=timezone.now())


def insights_page(request):
    filterset, report = _filtered_report(request)
    for step in report["steps"]:
        step["chart"] = box_chart(step["providers"])
    context = {"filterset": filterset, "query": request.GET.urlencode(), **report}
    return render(request, "insights/insights.html", context)


def insights_export(request, table):
    exported = EXPORTS.get(table)
    if exported is None:
        raise Http404("No such insights table.")
    _, report = _filtered_report(request)
    return csv_response(exported(report), filename=f"insights-{table}-{timezone.localdate():%Y-%m-%d}.csv")
