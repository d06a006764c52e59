from datetime import date
from decimal import Decimal

import factory

from billing.models import PortPrice


class PortPriceFactory(factory.django.DjangoModelFactory):
    """The list price of a Standard MeteredData 1 Gbps circuit in Zone 1 (what CircuitFactory makes)."""

    class Meta:
        model = PortPrice

    sku_tier = "Standard"
    sku_family = "MeteredData"
    bandwidth_mbps = 1000
    zone = "Zone 1"
    monthly_fee = Decimal("436.00")
    currency = "USD"
    valid_from = date(2026, 1, 26)
    source = "test"


# One page of the Azure Retail Prices API (prices.azure.com/api/retail/prices), as import_prices reads it.
PAGE = {
    "BillingCurrency": "USD",
    "Items": [
        {
            "currencyCode": "USD",
            "serviceName": "ExpressRoute",
            "meterName": "Standard Metered Data 1 Gbps Circuit",
            "armRegionName": "Zone 2",
            "retailPrice": 600.0,
            "unitOfMeasure": "1/Month",
            "effectiveStartDate": "2026-01-01T00:00:00Z",
        },
        {
            "currencyCode": "USD",
            "serviceName": "ExpressRoute",
            "meterName": "Standard Data Transfer Out",
            "armRegionName": "Zone 2",
            "retailPrice": 0.05,
            "unitOfMeasure": "1 GB",
            "effectiveStartDate": "2026-01-01T00:00:00Z",
        },
    ],
    "NextPageLink": None,
}
