from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.csv_export import csv_response

from .chart import stacked_month_chart
from .forms import AsOfForm
from .selectors import idle_after_days, report_currency
from .services import accruals_catch_up
from .tables import (
    FIRST_ROWS,
    GROUPINGS,
    TOP_WASTING,
    category_table,
    export_table,
    grouped_table,
    monthly_table,
    unpriced_table,
    wasting_table,
)


@permission_required("circuits.view_billing", raise_exception=True)
def billing_dashboard(request):
    form = AsOfForm(request.GET or None, initial={"as_of": timezone.localdate()})
    as_of = form.as_of_date()
    stored = accruals_catch_up(as_of=as_of)  # today: a few stored totals, whatever the estate's size
    months_table, months, series = monthly_table(as_of=as_of, stored=stored)
    context = {
        "form": form,
        "as_of": as_of,
        "idle_days": idle_after_days(),
        "currency": report_currency(),
        "categories": category_table(as_of=as_of, stored=stored),
        "wasting": wasting_table(as_of=as_of, stored=stored, limit=TOP_WASTING),
        "unpriced": unpriced_table(as_of=as_of, stored=stored, limit=FIRST_ROWS),
        "groupings": [grouped_table(slug, as_of=as_of, stored=stored, limit=FIRST_ROWS) for slug in GROUPINGS],
        "months": months_table,
        "chart": stacked_month_chart(months, series, report_currency()),
    }
    return render(request, "billing/dashboard.html", context)


@permission_required("circuits.view_billing", raise_exception=True)
def billing_export(request, table):
    as_of = AsOfForm(request.GET or None).as_of_date()
    exported = export_table(table, as_of=as_of, stored=accruals_catch_up(as_of=as_of))
    if exported is None:
        raise Http404("No such billing table.")
    return csv_response(exported.csv_rows(), filename=f"billing-{exported.slug}-{as_of:%Y-%m-%d}.csv")
