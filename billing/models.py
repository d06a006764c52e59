from django.core.validators import MinValueValidator
from django.db import models

from circuits.choices import SkuFamilyChoices, SkuTierChoices, ZoneChoices


class PortPrice(models.Model):
    """A circuit's monthly port fee for one SKU, bandwidth and zone, valid from a date until the next
    row for the same key. The fee is the whole monthly fee (a Premium row includes the add-on)."""

    sku_tier = models.CharField(max_length=20, choices=SkuTierChoices.choices)
    sku_family = models.CharField(max_length=20, choices=SkuFamilyChoices.choices)
    bandwidth_mbps = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    express_route_direct = models.BooleanField(
        default=False, help_text="A price of ExpressRoute Direct circuits, which Microsoft prices apart."
    )
    zone = models.CharField(max_length=10, choices=ZoneChoices.choices)
    monthly_fee = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="USD")
    valid_from = models.DateField(
        help_text="First day this fee applies; the first row of a key also covers the days before it."
    )
    source = models.CharField(max_length=200, help_text="Where the figure comes from, e.g. the Retail Prices API.")

    class Meta:
        ordering = ["sku_tier", "sku_family", "zone", "bandwidth_mbps", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "express_route_direct",
                    "sku_tier",
                    "sku_family",
                    "bandwidth_mbps",
                    "zone",
                    "currency",
                    "valid_from",
                ],
                name="port_price_unique_per_key_and_date",
                violation_error_message="There is already a price for this SKU, bandwidth, zone and date.",
            ),
        ]

    def __str__(self):
        sku = f"{self.sku_tier}_{self.sku_family}"
        return f"{sku} {self.bandwidth_mbps} Mbps {self.zone} from {self.valid_from}: {self.monthly_fee}"


class SubscriptionName(models.Model):
    """What people call an Azure subscription, shown instead of its GUID. Filled by the Azure sync
    (the subscription's displayName) and editable in the admin."""

    subscription_id = models.UUIDField(unique=True)
    display_name = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return f"{self.display_name} ({self.subscription_id})"


class AccrualRun(models.Model):
    """A run of a circuit's billed days in one chart category at one monthly fee: [since, until) in
    day positions (billing/proration.py); until is FAR while the circuit is undeleted. A circuit's
    runs partition its billed days, so any window's cost (a month, up to an as-of day, from where
    waste starts) is fee × overlap summed over a few rows (billing/accruals.py)."""

    circuit = models.ForeignKey("circuits.Circuit", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20)
    since = models.BigIntegerField()
    until = models.BigIntegerField()
    monthly_fee = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["circuit", "since"], name="accrual_run_circuit_idx")]

    def __str__(self):
        return f"circuit {self.circuit_id} {self.category} [{self.since}, {self.until}) at {self.monthly_fee}"


class AccrualState(models.Model):
    """What a circuit's runs were computed from: its version (bumped on every write), the idle
    threshold and the report currency. Runs whose state differs, or that have no state, are stale."""

    circuit = models.OneToOneField(
        "circuits.Circuit", on_delete=models.CASCADE, primary_key=True, related_name="accrual_state"
    )
    version = models.PositiveIntegerField()
    idle_days = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"circuit {self.circuit_id} accruals at version {self.version}"
