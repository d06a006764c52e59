from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from billing.models import PortPrice

pytestmark = pytest.mark.django_db


def test_the_published_list_prices_are_seeded_dated_and_sourced():
    seeded = PortPrice.objects.filter(sku_tier="Standard", sku_family="MeteredData", zone="Zone 1", currency="USD")
    assert dict(seeded.values_list("bandwidth_mbps", "monthly_fee")) == {
        50: Decimal("55.00"),
        100: Decimal("100.00"),
        200: Decimal("145.00"),
        500: Decimal("290.00"),
        1000: Decimal("436.00"),
        2000: Decimal("872.00"),
        5000: Decimal("2180.00"),
        10000: Decimal("3400.00"),
    }
    assert set(seeded.values_list("valid_from", flat=True)) == {date(2026, 1, 26)}
    assert all("Retail Prices API" in source for source in seeded.values_list("source", flat=True))


def test_the_wasting_index_exists_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the index is PostgreSQL's only (migration 0006)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'accrual_figures_wasting_idx'")
        [(definition,)] = cursor.fetchall()
    assert "waste DESC NULLS LAST" in definition
