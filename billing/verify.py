"""Comparing the stored accrual runs with the direct computation (the reference), and the stored
totals of today with the tables summed from the runs, as `manage.py billing_verify` does on a live
database and tests/billing/test_accruals.py over random histories."""

from dataclasses import dataclass

from .selectors import accruals_summary_is_of, billing_circuits, monthly_accrued
from .tables import TABLES, export_table

FIELDS = ("category", "accrued", "monthly_fee", "waste", "waste_from")


@dataclass(frozen=True)
class Difference:
    subject: str  # "circuit 12" or "chart 2026-11 idle"
    field: str
    direct: object
    stored: object


def _figures(*, as_of, materialised):
    rows = billing_circuits(as_of=as_of, materialised=materialised).values("pk", *FIELDS).order_by("pk")
    return {row.pop("pk"): row for row in rows.iterator(chunk_size=2000)}


def accrual_differences(*, as_of) -> list[Difference]:
    """Every figure of the billing page where the stored runs and the direct computation disagree."""
    direct, stored = _figures(as_of=as_of, materialised=False), _figures(as_of=as_of, materialised=True)
    differences = [
        Difference(f"circuit {pk}", field, row.get(field), stored.get(pk, {}).get(field))
        for pk, row in direct.items()
        for field in FIELDS
        if row.get(field) != stored.get(pk, {}).get(field)
    ]
    months, direct_series = monthly_accrued(as_of=as_of)
    _, stored_series = monthly_accrued(as_of=as_of, materialised=True)
    zeros = [0] * len(months)
    for category in sorted({*direct_series, *stored_series}):
        for month, was, got in zip(
            months, direct_series.get(category, zeros), stored_series.get(category, zeros), strict=True
        ):
            if was != got:
                differences.append(Difference(f"chart {month:%Y-%m} {category}", "accrued", was, got))
    return differences + stored_differences(as_of=as_of)


def stored_differences(*, as_of) -> list[Difference]:
    """Every row of a table where the stored figures and totals of `as_of` (when they are its day's)
    and the same table summed from the runs disagree."""
    if not accruals_summary_is_of(as_of):
        return []
    differences = []
    for slug in TABLES:
        summed = list(export_table(slug, as_of=as_of).csv_rows())
        stored = list(export_table(slug, as_of=as_of, stored=True).csv_rows())
        for index in range(max(len(summed), len(stored))):
            was, got = (rows[index] if index < len(rows) else None for rows in (summed, stored))
            if was != got:
                differences.append(Difference(f"table {slug} row {index}", "row", was, got))
    return differences
