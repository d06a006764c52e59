from datetime import date
from decimal import Decimal

import pytest

from billing.models import PortPrice
from billing.services import prices_import

pytestmark = pytest.mark.django_db


def item(**overrides):
    return {
        "currencyCode": "USD",
        "serviceName": "ExpressRoute",
        "meterName": "Premium Metered Data 1 Gbps Circuit",
        "armRegionName": "Zone 1",
        "retailPrice": 561.0,
        "unitOfMeasure": "1/Month",
        "effectiveStartDate": "2026-03-01T00:00:00Z",
        "type": "Consumption",
    } | overrides


def test_a_monthly_circuit_meter_becomes_a_dated_port_price():
    result = prices_import(items=[item()], source="page-1.json")
    assert result.created == 1
    price = PortPrice.objects.get(sku_tier="Premium")
    assert (price.sku_family, price.bandwidth_mbps, price.zone) == ("MeteredData", 1000, "Zone 1")
    assert (price.monthly_fee, price.valid_from, price.source) == (Decimal("561.00"), date(2026, 3, 1), "page-1.json")


def test_mbps_unlimited_and_local_meters_are_understood():
    prices_import(
        items=[
            item(meterName="Standard Unlimited Data 50 Mbps Circuit", retailPrice=300),
            item(meterName="Local 10 Gbps Circuit", retailPrice=1200, armRegionName="Zone 2"),
        ],
        source="test",
    )
    keys = set(PortPrice.objects.filter(source="test").values_list("sku_tier", "sku_family", "bandwidth_mbps", "zone"))
    assert keys == {("Standard", "UnlimitedData", 50, "Zone 1"), ("Local", "UnlimitedData", 10000, "Zone 2")}


def test_importing_the_same_page_twice_changes_nothing():
    prices_import(items=[item()], source="test")
    result = prices_import(items=[item()], source="test")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_new_figure_for_the_same_date_updates_the_price():
    prices_import(items=[item()], source="old")
    result = prices_import(items=[item(retailPrice=570)], source="new")
    assert result.updated == 1
    assert PortPrice.objects.get(sku_tier="Premium").monthly_fee == Decimal("570.00")


@pytest.mark.parametrize(
    "overrides",
    [
        {"meterName": "Standard Metered Data Data Transfer Out", "unitOfMeasure": "1 GB"},
        {"meterName": "Standard Metered Data 1 Gbps Circuit", "unitOfMeasure": "1 Hour"},
        {"meterName": "Gold Metered Data 1 Gbps Circuit"},
        {"meterName": "Standard 1 Gbps Circuit"},
        {"meterName": "Local Metered Data 1 Gbps Circuit"},
        {"armRegionName": "westeurope"},
        {"serviceName": "Virtual Network"},
        {"retailPrice": "n/a"},
        {"effectiveStartDate": "soon"},
        {"retailPrice": -1},
    ],
)
def test_unknown_or_invalid_meters_are_reported_not_guessed(overrides):
    result = prices_import(items=[item(**overrides)], source="test")
    assert result.created == 0 and len(result.skipped) == 1
    assert not PortPrice.objects.filter(source="test").exists()
