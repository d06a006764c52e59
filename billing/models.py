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


class AccrualPending(models.Model):
    """A circuit whose runs a cost change made stale, written with the change (billing/receivers.py):
    the page refreshes these few before it reads, instead of scanning every circuit for staleness."""

    circuit = models.OneToOneField("circuits.Circuit", on_delete=models.CASCADE, primary_key=True, related_name="+")

    def __str__(self):
        return f"circuit {self.circuit_id} pending"


class AccrualSummary(models.Model):
    """The one row saying which day the stored figures and totals are for, and with which settings.
    Its lock serialises the writers of the totals (a refresh adds its circuits' differences, the
    daily rebuild replaces everything), so the totals always equal the sum of the figures."""

    day = models.DateField(null=True)
    idle_days = models.PositiveIntegerField(null=True)
    currency = models.CharField(max_length=3, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"billing figures of {self.day}"


class AccrualFigures(models.Model):
    """One circuit's figures on the summary's day, as the page's tables show them, and the groups
    they were added to (kept so that a refresh can take them out of the same totals)."""

    circuit = models.OneToOneField(
        "circuits.Circuit", on_delete=models.CASCADE, primary_key=True, related_name="accrual_figures"
    )
    category = models.CharField(max_length=20)
    accrued = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    monthly_fee = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    waste = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    waste_from = models.DateTimeField(null=True)
    service_provider_id = models.BigIntegerField()
    team_id = models.BigIntegerField()
    subscription_id = models.UUIDField()

    class Meta:
        indexes = [
            # accrual_figures_wasting_idx (waste DESC NULLS LAST, waste_from; wasting categories) is
            # created by migration 0006 on PostgreSQL only: SQLite cannot index NULLS LAST.
            models.Index("circuit", name="accrual_figures_unpriced_idx", condition=models.Q(monthly_fee__isnull=True)),
        ]

    def __str__(self):
        return f"circuit {self.circuit_id} {self.category} {self.accrued}"


class AccrualTotal(models.Model):
    """The billed circuits' figures summed per group of one grouping (categories, providers, teams,
    subscriptions) on the summary's day; a group's row goes when its last circuit does. Counts of
    known amounts say when a sum is unknown (no circuit of the group has a price) rather than 0."""

    grouping = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    circuits = models.IntegerField(default=0)
    fee_known = models.IntegerField(default=0)
    accrued_known = models.IntegerField(default=0)
    accrued = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    monthly_burn = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    waste = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    wasted_monthly_burn = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["grouping", "key"], name="accrual_total_unique_group")]
        indexes = [models.Index(fields=["grouping", "label", "key"], name="accrual_total_label_idx")]

    def __str__(self):
        return f"{self.grouping} {self.label}: {self.circuits} circuits, {self.accrued}"


class AccrualMonthTotal(models.Model):
    """Accrued cost of one chart month in one category, up to the summary's day."""

    month = models.DateField()
    category = models.CharField(max_length=20)
    accrued = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "category"], name="accrual_month_total_unique")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.category}: {self.accrued}"
