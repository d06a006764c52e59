"""Proration by day, as positions on a time line counted in whole units.

A month is UNITS_PER_MONTH units long whatever its length, so each day of a month is worth
monthly fee / days in that month and a whole calendar month costs exactly the monthly fee. Because
UNITS_PER_MONTH is divisible by 28, 29, 30 and 31, every day is a whole number of units and a
billed period is an exact integer: money is fee × units / UNITS_PER_MONTH, divided and rounded once.

The same positions are computed in Python (for dates given by the user) and in SQL (for dates in
rows), so the database can prorate without any Python loop over circuits.
"""

import calendar
from datetime import date
from decimal import Decimal

from django.db.models import Case, DecimalField, Func, IntegerField, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, Mod, Round
from django.db.models.lookups import Exact, In

UNITS_PER_MONTH = 377_580  # lcm(28, 29, 30, 31)
FAR = 10**12  # a position beyond any date: open-ended periods, "never"
EPOCH_YEAR = 2000  # positions count from January of this year; keeps them small
LONG_MONTHS = (1, 3, 5, 7, 8, 10, 12)
SHORT_MONTHS = (4, 6, 9, 11)


def units_per_day(year: int, month: int) -> int:
    return UNITS_PER_MONTH // calendar.monthrange(year, month)[1]


def day_start(day: date) -> int:
    """Position of the first moment of `day`."""
    month_start = ((day.year - EPOCH_YEAR) * 12 + day.month - 1) * UNITS_PER_MONTH
    return month_start + (day.day - 1) * units_per_day(day.year, day.month)


def day_end(day: date) -> int:
    """Position just after `day`: a billed day counts in full."""
    return day_start(day) + units_per_day(day.year, day.month)


def _units_per_day_sql(year, month):
    return Case(
        When(In(month, LONG_MONTHS), then=Value(UNITS_PER_MONTH // 31)),
        When(In(month, SHORT_MONTHS), then=Value(UNITS_PER_MONTH // 30)),
        When(Exact(Mod(year, 400), 0), then=Value(UNITS_PER_MONTH // 29)),
        When(Exact(Mod(year, 100), 0), then=Value(UNITS_PER_MONTH // 28)),
        When(Exact(Mod(year, 4), 0), then=Value(UNITS_PER_MONTH // 29)),
        default=Value(UNITS_PER_MONTH // 28),
        output_field=IntegerField(),
    )


def day_start_sql(expression):
    """SQL for day_start() of a date or datetime expression (datetimes in the current time zone)."""
    year, month, day = ExtractYear(expression), ExtractMonth(expression), ExtractDay(expression)
    return ((year - EPOCH_YEAR) * 12 + month - 1) * UNITS_PER_MONTH + (day - 1) * _units_per_day_sql(year, month)


def day_end_sql(expression):
    year, month = ExtractYear(expression), ExtractMonth(expression)
    return day_start_sql(expression) + _units_per_day_sql(year, month)


class _ExactNumber(Func):
    """Cast to PostgreSQL's exact numeric type. SQLite has none: REAL there, so its integer
    division does not truncate (the demo's figures can differ from exact in a half-cent tie)."""

    template = "CAST(%(expressions)s AS numeric)"
    output_field = DecimalField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS REAL)", **extra_context)


def money_sql(fee_units):
    """fee × units summed, as money: divided by a month's units and rounded to the cent, once."""
    return Round(
        _ExactNumber(fee_units) / Value(UNITS_PER_MONTH),
        2,
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def cents(value):
    """An amount the database already rounded, normalised to two places (SQLite hands back binary
    floats such as 10493.0700000000); None (price unknown) stays None."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))
