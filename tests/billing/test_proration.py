import calendar
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Value
from hypothesis import given, settings
from hypothesis import strategies as st

from billing.models import PortPrice
from billing.proration import UNITS_PER_MONTH, cents, day_end, day_end_sql, day_start, day_start_sql

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(days)
def test_each_day_ends_where_the_next_one_starts(day):
    assert day_end(day) == day_start(day + timedelta(days=1))


@given(days)
def test_every_calendar_month_is_exactly_one_month_of_units(day):
    first = day.replace(day=1)
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    assert day_end(last) - day_start(first) == UNITS_PER_MONTH


@given(days)
def test_every_day_of_a_month_weighs_the_same(day):
    assert (day_end(day) - day_start(day)) * calendar.monthrange(day.year, day.month)[1] == UNITS_PER_MONTH


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(days)
def test_the_database_computes_the_same_positions_as_python(day):
    row = (
        PortPrice.objects.annotate(start=day_start_sql(Value(day)), end=day_end_sql(Value(day)))
        .values("start", "end")
        .first()
    )
    assert (int(row["start"]), int(row["end"])) == (day_start(day), day_end(day))


def test_cents_keeps_price_unknown_apart_from_zero():
    assert (cents(None), cents(10493.07), cents(Decimal("0"))) == (None, Decimal("10493.07"), Decimal("0.00"))
