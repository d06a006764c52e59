import uuid
from datetime import timedelta

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Upper
from django.urls import reverse

from core.bulk import values_update

from .choices import (
    AuthorizationUseStatusChoices,
    CircuitProvisioningStateChoices,
    ConnectionStatusChoices,
    ProviderLayerChoices,
    ProviderOrderStatusChoices,
    ProvisioningStateChoices,
    ServiceProviderProvisioningStateChoices,
    SkuFamilyChoices,
    SkuTierChoices,
    ZoneChoices,
)
from .stamps import circuits_changed, targeted_ids


class PeeringLocation(models.Model):
    """A metro where providers meet Microsoft's edge (serviceProviderProperties.peeringLocation)."""

    name = models.CharField(max_length=100, unique=True)
    zone = models.CharField(max_length=10, choices=ZoneChoices.choices, help_text="Billing zone.")
    azure_region = models.CharField(max_length=50, blank=True, help_text="Nearest Azure region.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ServiceProvider(models.Model):
    """A connectivity provider from the catalog: its layer, where it is and what it sells."""

    name = models.CharField(max_length=100, unique=True)
    layer = models.CharField(max_length=10, choices=ProviderLayerChoices.choices)
    peering_locations = models.ManyToManyField(PeeringLocation, related_name="service_providers")
    bandwidths_offered = models.JSONField(default=list, help_text="Bandwidths in Mbps, e.g. [50, 100, 1000].")
    stuck_after_business_days = models.PositiveSmallIntegerField(
        default=10, help_text="Flag a circuit stuck after this many business days in Provisioning."
    )
    # How the simulated provider behaves (sync.sources.simulator); real-world durations that
    # ONRAMP_SIMULATOR_SPEED compresses, e.g. so a demo moves in seconds.
    simulated_start_delay = models.DurationField(
        default=timedelta(days=1), help_text="Simulator: from the order to Provisioning."
    )
    simulated_provisioning_delay = models.DurationField(
        default=timedelta(days=4), help_text="Simulator: from Provisioning to Provisioned."
    )
    simulated_routing_delay = models.DurationField(
        default=timedelta(hours=4), help_text="Simulator: each routing step (peerings, prefixes, BGP, links)."
    )
    simulated_deprovisioning_delay = models.DurationField(
        default=timedelta(days=1), help_text="Simulator: from the deprovision request to NotProvisioned."
    )
    simulated_jitter = models.FloatField(default=0.3, help_text="Simulator: each delay varies by ± this fraction.")
    simulated_slow_rate = models.FloatField(
        default=0.1, help_text="Simulator: share of circuits this provider is very slow with."
    )
    simulated_failure_rate = models.FloatField(
        default=0.03, help_text="Simulator: chance that one read of this provider fails."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_layer3(self):
        return self.layer == ProviderLayerChoices.LAYER_3


class CircuitQuerySet(models.QuerySet):
    """Every bulk write says which circuits it wrote, so the live polls' cached answers for them go
    stale (circuits.stamps; its receivers see save and delete)."""

    # Bookkeeping no page shows (the sweep marking checks queued): writing only these leaves the
    # live polls' cached answers standing, and the sweep's marking costs no cache round trip.
    UNSHOWN_FIELDS = frozenset({"check_queued_at"})

    def update(self, **kwargs):
        if kwargs.keys() <= self.UNSHOWN_FIELDS:
            return super().update(**kwargs)
        circuit_ids = targeted_ids(self.query)
        if circuit_ids is None:
            circuit_ids = list(self.values_list("pk", flat=True))
        rows = super().update(**kwargs)
        circuits_changed(circuit_ids)
        return rows

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        rows = None if batch_size else values_update(self, objs, fields)
        if rows is None:
            rows = super().bulk_update(objs, fields, batch_size=batch_size)
        circuits_changed(obj.pk for obj in objs)
        return rows

    bulk_update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        circuits_changed([])  # new rows: only the lists change
        return created

    bulk_create.alters_data = True


class Circuit(models.Model):
    """An ExpressRoute circuit. Deleting keeps the row (deleted_at): billing and audit need it."""

    name = models.CharField(max_length=80)
    subscription_id = models.UUIDField()
    resource_group = models.CharField(max_length=90)
    region = models.CharField(max_length=50, help_text="Azure region of the circuit resource, e.g. westeurope.")
    service_provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="circuits")
    peering_location = models.ForeignKey(PeeringLocation, on_delete=models.PROTECT, related_name="circuits")
    bandwidth_mbps = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    express_route_direct = models.BooleanField(
        default=False, help_text="An ExpressRoute Direct port circuit (bandwidth in Gbps)."
    )
    sku_tier = models.CharField(max_length=20, choices=SkuTierChoices.choices, default=SkuTierChoices.STANDARD)
    sku_family = models.CharField(
        max_length=20, choices=SkuFamilyChoices.choices, default=SkuFamilyChoices.METERED_DATA
    )
    # Null while Azure has not issued a key yet (its create response carries all zeros).
    service_key = models.UUIDField(default=uuid.uuid4, unique=True, null=True, editable=False)
    service_provider_provisioning_state = models.CharField(
        max_length=32,
        choices=ServiceProviderProvisioningStateChoices.choices,
        default=ServiceProviderProvisioningStateChoices.NOT_PROVISIONED,
        db_index=True,
    )
    circuit_provisioning_state = models.CharField(max_length=32, default=CircuitProvisioningStateChoices.ENABLED)
    provisioning_state = models.CharField(
        max_length=32, choices=ProvisioningStateChoices.choices, default=ProvisioningStateChoices.SUCCEEDED
    )
    # Unique among live circuits only: a circuit deleted and re-created in Azure keeps its resource id.
    resource_id = models.CharField(max_length=400, null=True, blank=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="circuits")
    allow_classic_operations = models.BooleanField(default=False)
    global_reach_enabled = models.BooleanField(default=False)
    service_provider_notes = models.CharField(max_length=500, blank=True)
    express_route_port_id = models.CharField(
        max_length=400, blank=True, help_text="ExpressRoute Direct: the port resource the circuit runs on."
    )
    gateway_manager_etag = models.CharField(max_length=100, blank=True)
    stag = models.PositiveIntegerField(null=True, blank=True, help_text="Azure's S-Tag of the circuit (QinQ).")
    arm_unknown = models.JSONField(
        default=dict, blank=True, help_text="Fields of the imported ARM JSON that Onramp does not model, as given."
    )

    created_at = models.DateTimeField(help_text="When the service key was issued: billing starts here.")
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    state_changed_at = models.DateTimeField(help_text="When the provider state last changed.")
    deprovision_requested_at = models.DateTimeField(null=True, blank=True)
    deprovisioned_at = models.DateTimeField(
        null=True, blank=True, help_text="When the provider finished deprovisioning; cleared on re-order."
    )
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_good_read_at = models.DateTimeField(null=True, blank=True)
    last_check_error = models.CharField(max_length=500, blank=True)
    check_queued_at = models.DateTimeField(null=True, blank=True, help_text="When a sweep last queued a check.")
    check_failures = models.PositiveSmallIntegerField(default=0, help_text="Failed reads in a row.")
    # The simulated provider's next planned step and when it is due (sync.sources.simulator).
    simulator_step = models.CharField(max_length=80, blank=True, editable=False)
    simulator_step_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The `version` that plan was made at: while the circuit is still at it, nothing the plan was
    # drawn from has changed, so a check can keep the plan without reading the related rows.
    simulator_planned_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    is_stale = models.BooleanField(default=False)
    is_stuck = models.BooleanField(default=False, db_index=True)
    # Bumped by every service that changes the circuit or anything shown on its page, so a live
    # poll can answer "nothing changed" from this one column.
    version = models.PositiveIntegerField(default=1)

    objects = CircuitQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        # The circuit list's default order: its first page is read from the index, whatever the estate's size.
        indexes = [
            models.Index(fields=["name", "id"], name="circuit_name_order_idx"),
            # Imports and Event Grid find a live circuit by resource id ignoring case (`__iexact`, which
            # PostgreSQL writes with UPPER): without this each lookup read every circuit.
            models.Index(
                Upper("resource_id"), condition=Q(deleted_at__isnull=True), name="circuit_live_resource_id_ci"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sku_tier=SkuTierChoices.LOCAL) | Q(sku_family=SkuFamilyChoices.UNLIMITED_DATA),
                name="circuit_local_is_unlimited",
                violation_error_message="A Local circuit is always UnlimitedData.",
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | Q(deleted_at__gte=F("created_at")),
                name="circuit_deleted_after_created",
            ),
            # One Azure resource, one circuit: Azure compares resource names and groups ignoring case.
            models.UniqueConstraint(
                Lower("name"),
                "subscription_id",
                Lower("resource_group"),
                condition=Q(deleted_at__isnull=True),
                name="circuit_one_undeleted_per_azure_resource",
                violation_error_message="An undeleted circuit already has this name in this resource group.",
            ),
            models.UniqueConstraint(
                fields=["resource_id"], condition=Q(deleted_at__isnull=True), name="circuit_resource_id_unique_live"
            ),
        ]
        permissions = [("view_billing", "Can see billing exposure")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("circuits:circuit_detail", args=[self.pk])

    @property
    def sku_name(self):
        return f"{self.sku_tier}_{self.sku_family}"

    @property
    def bandwidth_display(self):
        mbps = self.bandwidth_mbps
        return f"{mbps // 1000} Gbps" if mbps >= 1000 and mbps % 1000 == 0 else f"{mbps} Mbps"

    @property
    def unknown_values(self):
        """(field label, value) of enum fields holding a value Onramp does not know (Azure's are open)."""
        return [
            (field.verbose_name, getattr(self, field.attname))
            for field in self._meta.concrete_fields
            if field.choices and getattr(self, field.attname) not in {value for value, _ in field.choices}
        ]

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_provisioned(self):
        return (
            self.service_provider_provisioning_state == ServiceProviderProvisioningStateChoices.PROVISIONED
            and self.circuit_provisioning_state == CircuitProvisioningStateChoices.ENABLED
        )

    @property
    def azure_resource_id(self):
        return self.resource_id or (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
            f"/providers/Microsoft.Network/expressRouteCircuits/{self.name}"
        )


class ProviderOrder(models.Model):
    """Step 2: the connectivity order placed with the provider (no Azure field records it)."""

    circuit = models.ForeignKey(Circuit, on_delete=models.PROTECT, related_name="provider_orders")
    provider_reference = models.CharField(max_length=100, blank=True)
    contact_name = models.CharField(max_length=100, blank=True)
    contact_email = models.EmailField(blank=True)
    service_key_handed_over_at = models.DateTimeField(null=True, blank=True)
    requested_on = models.DateField(null=True, blank=True)
    promised_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ProviderOrderStatusChoices.choices, default=ProviderOrderStatusChoices.ORDERED
    )
    notes = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_on__isnull=True)
                | Q(requested_on__isnull=True)
                | Q(promised_on__gte=F("requested_on")),
                name="order_promised_after_requested",
                violation_error_message="The promised date cannot be before the requested date.",
            ),
        ]

    def __str__(self):
        return f"{self.circuit} order {self.provider_reference or self.pk}"


class Authorization(models.Model):
    """An authorization key letting a VNet in another subscription link to the circuit; single use."""

    circuit = models.ForeignKey(Circuit, on_delete=models.PROTECT, related_name="authorizations")
    name = models.CharField(max_length=80)
    authorization_key_digest = models.CharField(max_length=64, editable=False)
    authorization_use_status = models.CharField(
        max_length=20,
        choices=AuthorizationUseStatusChoices.choices,
        default=AuthorizationUseStatusChoices.AVAILABLE,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["circuit", "name"], name="authorization_name_unique_per_circuit")
        ]

    def __str__(self):
        return f"{self.circuit} / {self.name}"


class GlobalReachConnection(models.Model):
    """A Global Reach connection from this circuit's private peering to another circuit's
    (ExpressRouteCircuitConnection); its authorization key is never stored."""

    circuit = models.ForeignKey(Circuit, on_delete=models.PROTECT, related_name="global_reach_connections")
    name = models.CharField(max_length=80)
    peer_peering_id = models.CharField(max_length=400, help_text="The peer circuit's private peering resource id.")
    address_prefix = models.CharField(max_length=43, blank=True)
    status = models.CharField(max_length=32, blank=True, help_text="circuitConnectionStatus, e.g. Connected.")
    ipv6_address_prefix = models.CharField(max_length=43, blank=True)
    ipv6_status = models.CharField(max_length=32, blank=True)
    provisioning_state = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["circuit", "name"], name="global_reach_name_unique_per_circuit")]

    def __str__(self):
        return f"{self.circuit} / {self.name}"

    @property
    def peer_circuit_name(self):
        parts = self.peer_peering_id.split("/")
        return parts[-3] if len(parts) >= 3 else self.peer_peering_id


class VNetLink(models.Model):
    """Step 5: an ExpressRoute connection from a VNet's gateway to the circuit."""

    circuit = models.ForeignKey(Circuit, on_delete=models.PROTECT, related_name="vnet_links")
    name = models.CharField(max_length=80)
    vnet_resource_id = models.CharField(max_length=400)
    subscription_id = models.UUIDField()
    gateway_name = models.CharField(max_length=80)
    address_space = models.JSONField(
        default=list,
        blank=True,
        help_text="The VNet's address prefixes, when given: they must not overlap the private peering subnets.",
    )
    authorization = models.OneToOneField(
        Authorization, null=True, blank=True, on_delete=models.PROTECT, related_name="redeemed_by"
    )
    connection_status = models.CharField(
        max_length=20, choices=ConnectionStatusChoices.choices, default=ConnectionStatusChoices.CONNECTING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["circuit", "vnet_resource_id"], name="vnetlink_vnet_unique_per_circuit"),
        ]

    def __str__(self):
        return f"{self.circuit} / {self.name}"
