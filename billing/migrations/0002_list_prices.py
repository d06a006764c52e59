"""Seed the published list prices (docs/DOMAIN.md, "Billing"): Standard tier, MeteredData, Zone 1
monthly port fees in USD from the Azure Retail Prices API as captured on 2026-01-26.

Data, not code: admins add Premium, UnlimitedData, Local and other zones in /admin/ or with
`manage.py import_prices`. Re-running changes nothing (update_or_create on the key and date).
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

CAPTURED_ON = date(2026, 1, 26)
SOURCE = "Azure Retail Prices API, list price captured 2026-01-26"
STANDARD_METERED_ZONE_1 = {
    # bandwidth in Mbps: monthly port fee in USD
    50: "55",
    100: "100",
    200: "145",
    500: "290",
    1000: "436",
    2000: "872",
    5000: "2180",
    10000: "3400",
}


def seed(apps, schema_editor):
    PortPrice = apps.get_model("billing", "PortPrice")
    for bandwidth, fee in STANDARD_METERED_ZONE_1.items():
        PortPrice.objects.update_or_create(
            sku_tier="Standard",
            sku_family="MeteredData",
            bandwidth_mbps=bandwidth,
            zone="Zone 1",
            currency="USD",
            valid_from=CAPTURED_ON,
            defaults={"monthly_fee": Decimal(fee), "source": SOURCE},
        )


def unseed(apps, schema_editor):
    apps.get_model("billing", "PortPrice").objects.filter(valid_from=CAPTURED_ON, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
