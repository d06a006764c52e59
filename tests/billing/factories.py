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
