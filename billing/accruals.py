"""Accruals, materialised: each circuit's billed days stored as runs (billing.models.AccrualRun).

Why runs of days rather than one row per circuit and month: a figure on the page is the cost of a
window of days (a calendar month, creation to the as-of day, the day waste started to the as-of
day), and a run of days at one fee in one category gives any window's cost exactly, as
fee × overlap, so the as-of day, the current partial month and the waste start need no price
lookup at all. A circuit has a handful of runs (one per category period and price period it
crossed) where month rows would grow by twelve a year, and the undeleted circuit's last run stays
open (until FAR): the days that pass cost nothing to maintain.

The runs are category_periods() (billing/history.py) cut by the price periods, computed by the same
code as the reference, so the page equals the direct computation to the cent (tests/billing/
test_accruals.py compares them over random histories; `manage.py billing_verify` on a database).
"""

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from .history import category_periods, price_key
from .models import AccrualRun, AccrualState
from .proration import FAR, UNITS_PER_MONTH, cents, day_end, money_sql


def circuit_runs(row, prices) -> list[AccrualRun]:
    """The runs of one with_history() row over the price periods of its key (none without a price)."""
    periods = prices.get(price_key(row), ())
    billed_from = row["billed_from"]
    billed_until = FAR if row["deleted_at"] is None else day_end(timezone.localdate(row["deleted_at"]))
    runs = []
    for category, ranges in category_periods(row).items():
        for since, until in ranges:
            since, until = max(since, billed_from), min(until, billed_until)
            for price in periods:
                start, end = max(since, price.start), min(until, price.end)
                if start < end:
                    runs.append(
                        AccrualRun(
                            circuit_id=row["pk"],
                            category=category,
                            since=start,
                            until=end,
                            monthly_fee=price.monthly_fee,
                        )
                    )
    return runs


def fresh_state():
    """The outer circuit's runs were computed from its current version and today's settings."""
    return Exists(
        AccrualState.objects.filter(
            circuit=OuterRef("pk"),
            version=OuterRef("version"),
            idle_days=settings.BILLING_IDLE_AFTER_DAYS,
            currency=settings.BILLING_CURRENCY,
        )
    )


def accrued_from_runs(start, end, *, output_field):
    """Money the outer circuit accrued between two positions, rounded once: zero where none of its
    runs overlaps, NULL without runs (price unknown). Every run of the circuit is summed, clamped at
    zero, so that one subquery tells the two apart without looking at the price table again."""
    runs = AccrualRun.objects.filter(circuit=OuterRef("pk")).order_by()
    overlap = Greatest(Least("until", end) - Greatest("since", start), Value(0))
    fee_units = Sum(F("monthly_fee") * overlap)
    total = runs.values("circuit").annotate(total=money_sql(fee_units)).values("total")
    return Subquery(total, output_field=output_field)


def _least(a, b):
    return f"CASE WHEN {a} < {b} THEN {a} ELSE {b} END"


def _greatest(a, b):
    return f"CASE WHEN {a} > {b} THEN {a} ELSE {b} END"


def accrued_by_window(cursor, windows, *, circuit_ids=None) -> list[tuple]:
    """(window index, category, amount) from the runs (of `circuit_ids` only, when given), each
    circuit's amount per window and category rounded once (as history.accrued_by_category does);
    windows are (start, end) positions."""
    table = AccrualRun._meta.db_table
    values = ", ".join(["(%s, %s, %s)"] * len(windows))
    circuit_ids = None if circuit_ids is None else list(circuit_ids)
    if circuit_ids == [] or not windows:
        return []
    # IN (…), not = ANY(%s): SQLite (the demo) has no arrays.
    of_circuits = "" if circuit_ids is None else f"WHERE r.circuit_id IN ({', '.join(['%s'] * len(circuit_ids))})"
    overlap = f"{_least('r.until', 'w.until')} - {_greatest('r.since', 'w.since')}"
    cursor.execute(
        f"""
        WITH w(idx, since, until) AS (VALUES {values})
        SELECT idx, category, SUM(ROUND(fee_units / {UNITS_PER_MONTH}, 2)) FROM (
            SELECT w.idx AS idx, r.category AS category, SUM(r.monthly_fee * ({overlap})) AS fee_units
            FROM {table} r JOIN w ON r.since < w.until AND r.until > w.since
            {of_circuits}
            GROUP BY r.circuit_id, w.idx, r.category
        ) per_circuit GROUP BY idx, category
        """,
        [
            *(value for index, (start, end) in enumerate(windows) for value in (index, start, end)),
            *(circuit_ids or []),
        ],
    )
    return [(index, category, cents(amount)) for index, category, amount in cursor.fetchall()]  # SQLite: floats
