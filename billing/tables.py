"""The billing page's tables, one definition each for the HTML page and its CSV export. `stored`
tables read the figures and totals stored for today (billing/totals.py; services.accruals_catch_up
says whether as_of is their day), the others sum the stored accrual runs (billing/accruals.py). The
page shows the first rows of the tables that grow with the estate; the CSV export has them all."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from .choices import BillingCategoryChoices as Category
from .proration import cents
from .selectors import (
    days_wasted,
    monthly_accrued,
    stored_monthly_accrued,
    stored_summary_by,
    stored_summary_by_category,
    stored_unpriced_circuits,
    stored_wasting_circuits,
    summary_by,
    summary_by_category,
    unpriced_circuits,
    wasting_circuits,
)

SUMMARY_COLUMNS = (
    ("Circuits", "circuits"),
    ("Price unknown", "price_unknown"),
    ("Accrued", "accrued"),
    ("Monthly burn", "monthly_burn"),
    ("Wasted so far", "waste"),
    ("Wasted monthly burn", "wasted_monthly_burn"),
    ("Saving per year if deleted", "saving_per_year"),
)
MONEY_KEYS = {"accrued", "monthly_burn", "waste", "wasted_monthly_burn", "saving_per_year"}
TOP_WASTING = 10
FIRST_ROWS = 25  # of the tables with a row per subscription or circuit; the CSV export has every row


@dataclass
class Row:
    label: str
    cells: list
    url: str = ""
    badge: str = ""  # a colour: the label is shown as a badge of it


@dataclass
class Table:
    slug: str
    title: str
    headers: list
    money_columns: set = field(default_factory=set)  # indexes into cells shown as money
    rows: list = field(default_factory=list)
    total: Row | None = None
    totals: dict = field(default_factory=dict)  # the total row by summary key, for the headline
    more: bool = False  # rows beyond these exist (the page shows the first ones)

    def csv_rows(self):
        yield self.headers
        for row in [*self.rows, *([self.total] if self.total else [])]:
            yield [row.label, *("" if cell is None else cell for cell in row.cells)]


def _summary_cells(row):
    return [cents(row[key]) if key in MONEY_KEYS else row[key] for _, key in SUMMARY_COLUMNS]


def _summary_table(slug, title, key_header, rows):
    return Table(
        slug=slug,
        title=title,
        headers=[key_header, *(header for header, _ in SUMMARY_COLUMNS)],
        money_columns={index for index, (_, key) in enumerate(SUMMARY_COLUMNS) if key in MONEY_KEYS},
        rows=rows,
    )


def _sum_known(values):
    """Sum of the known values; None (price unknown) when none is known, never a false zero."""
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _first(rows, limit):
    """The first `limit` rows (all without a limit) and whether there are more."""
    rows = list(rows if limit is None else rows[: limit + 1])
    return (rows, False) if limit is None or len(rows) <= limit else (rows[:limit], True)


def category_table(*, as_of, idle_days=None, stored=False):
    summary = (
        stored_summary_by_category()
        if stored
        else summary_by_category(as_of=as_of, idle_days=idle_days, materialised=True)
    )
    rows = [
        Row(Category.label(row["category"]), _summary_cells(row), badge=Category.color(row["category"]))
        for row in summary
    ]
    table = _summary_table("categories", "By category", "Category", rows)
    if rows:
        # A sum of the few category rows the database aggregated, so the total matches them.
        columns = zip(*(row.cells for row in rows), strict=True)
        totals = [_sum_known(column) for column in columns]
        table.total = Row("All undeleted circuits", totals)
        table.totals = dict(zip((key for _, key in SUMMARY_COLUMNS), totals, strict=True))
    return table


@dataclass(frozen=True)
class Grouping:
    title: str
    key_header: str
    label_path: str  # the circuit field path shown
    filter_path: str  # the circuit field path the circuit list filters on
    list_filter: str  # that filter's name in the circuit list's query string


GROUPINGS = {
    "providers": Grouping("By provider", "Provider", "service_provider__name", "service_provider", "service_provider"),
    "teams": Grouping("By team", "Team", "team__name", "team", "team"),
    "subscriptions": Grouping(
        "By subscription", "Subscription", "subscription_display_name", "subscription_id", "subscription"
    ),
}


def _circuit_list_url(**filters):
    return f"{reverse('circuits:circuit_list')}?{urlencode(filters)}"


def grouped_table(slug, *, as_of, idle_days=None, stored=False, limit=None):
    grouping = GROUPINGS[slug]
    if stored:
        summary = stored_summary_by(
            slug, grouping.label_path, grouping.filter_path, limit=None if limit is None else limit + 1
        )
    else:
        summary = summary_by(
            grouping.label_path, grouping.filter_path, as_of=as_of, idle_days=idle_days, materialised=True
        )
    summary, more = _first(summary, limit)
    rows = [
        Row(
            str(row[grouping.label_path]),
            _summary_cells(row),
            url=_circuit_list_url(**{grouping.list_filter: row[grouping.filter_path]}),
        )
        for row in summary
    ]
    table = _summary_table(slug, grouping.title, grouping.key_header, rows)
    table.more = more
    return table


def monthly_table(*, as_of, idle_days=None, stored=False):
    """Accrued per month (rows) and category (columns); also returns what the chart draws."""
    if stored:
        months, series = stored_monthly_accrued(as_of=as_of)
    else:
        months, series = monthly_accrued(as_of=as_of, idle_days=idle_days, materialised=True)
    categories = [category for category in Category.values() if category in series]
    rows = []
    for index, month in enumerate(months):
        amounts = [cents(series[category][index]) for category in categories]
        rows.append(Row(month.strftime("%Y-%m"), [*amounts, sum(amounts, start=0)]))
    table = Table(
        slug="months",
        title="Accrued per month",
        headers=["Month", *(Category.label(category) for category in categories), "Total"],
        money_columns=set(range(len(categories) + 1)),
        rows=rows,
    )
    return table, months, {category: series[category] for category in categories}


def wasting_table(*, as_of, idle_days=None, stored=False, limit=None):
    if stored:
        circuits = stored_wasting_circuits()
    else:
        circuits = wasting_circuits(as_of=as_of, idle_days=idle_days, materialised=True)
    if limit:
        circuits = circuits[:limit]
    rows = [
        Row(
            circuit.name,
            [
                circuit.service_provider.name,
                circuit.team.name,
                Category.label(circuit.category),
                circuit.waste_from.date().isoformat(),
                days_wasted(circuit.waste_from, as_of),
                cents(circuit.waste),
                cents(circuit.monthly_fee),
                None if circuit.monthly_fee is None else cents(circuit.monthly_fee * 12),
            ],
            url=circuit.get_absolute_url(),
        )
        for circuit in circuits
    ]
    return Table(
        slug="wasting",
        title="Top wasting circuits" if limit else "Wasting circuits",
        headers=[
            "Circuit",
            "Provider",
            "Team",
            "Category",
            "Wasting since",
            "Days idle",
            "Wasted so far",
            "Monthly fee",
            "Saving per year if deleted",
        ],
        money_columns={5, 6, 7},
        rows=rows,
    )


def unpriced_table(*, as_of, idle_days=None, stored=False, limit=None):
    """The circuits behind the "price unknown" counts, with the key a price row needs."""
    if stored:
        circuits = stored_unpriced_circuits()
    else:
        circuits = unpriced_circuits(as_of=as_of, idle_days=idle_days, materialised=True)
    circuits, more = _first(circuits, limit)
    rows = [
        Row(
            circuit.name,
            [
                circuit.sku_name,
                circuit.bandwidth_display,
                circuit.peering_location.zone,
                circuit.service_provider.name,
                circuit.team.name,
                Category.label(circuit.category),
            ],
            url=circuit.get_absolute_url(),
        )
        for circuit in circuits
    ]
    return Table(
        slug="unpriced",
        title="Circuits without a price",
        headers=["Circuit", "SKU", "Bandwidth", "Zone", "Provider", "Team", "Category"],
        rows=rows,
        more=more,
    )


TABLES = ("categories", *GROUPINGS, "months", "wasting", "unpriced")


def export_table(slug, *, as_of, idle_days=None, stored=False):
    """The whole table named by `slug` for CSV (every row, not only the first ones)."""
    if slug == "categories":
        return category_table(as_of=as_of, idle_days=idle_days, stored=stored)
    if slug in GROUPINGS:
        return grouped_table(slug, as_of=as_of, idle_days=idle_days, stored=stored)
    if slug == "months":
        return monthly_table(as_of=as_of, idle_days=idle_days, stored=stored)[0]
    if slug == "wasting":
        return wasting_table(as_of=as_of, idle_days=idle_days, stored=stored)
    if slug == "unpriced":
        return unpriced_table(as_of=as_of, idle_days=idle_days, stored=stored)
    return None
