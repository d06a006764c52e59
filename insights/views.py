"""/insights/: how long each step takes, per provider and location, for the circuits the user sees."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.csv_export import csv_response

from .chart import box_chart
from .filtersets import InsightsFilterSet
from .selectors import INSIGHTS_REFUSED, insights_allowed, insights_circuits, insights_report_for
from .tables import EXPORTS


def _filtered_report(request):
    if not insights_allowed(request.user):
        raise PermissionDenied(INSIGHTS_REFUSED)
    filterset = InsightsFilterSet(request.GET or None, queryset=insights_circuits(request.user), request=request)
    # Bad filter values are shown next to their field; the page then shows every circuit in scope.
    return filterset, insights_report_for(request.user, filterset)


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
