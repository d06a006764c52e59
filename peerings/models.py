from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.net import MAX_ASN
from registry.choices import RoutingRegistryChoices

from .choices import (
    AdvertisedPublicPrefixesStateChoices,
    BgpStateChoices,
    LinkChoices,
    PeeringStateChoices,
    PeeringTypeChoices,
    PrefixValidationStateChoices,
    TicketStatusChoices,
)

AZURE_ASN = 12076
# Microsoft peering on circuits created since this date advertises nothing until a route filter is attached.
ROUTE_FILTER_REQUIRED_SINCE = date(2017, 8, 1)


class Peering(models.Model):
    """A routing domain on a circuit; its name is its type. MD5 key kept write-only as a digest."""

    circuit = models.ForeignKey("circuits.Circuit", on_delete=models.PROTECT, related_name="peerings")
    peering_type = models.CharField(max_length=32, choices=PeeringTypeChoices.choices)
    state = models.CharField(max_length=16, choices=PeeringStateChoices.choices, default=PeeringStateChoices.ENABLED)
    azure_asn = models.PositiveIntegerField(default=AZURE_ASN, editable=False)
    peer_asn = models.PositiveBigIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_ASN)])
    primary_peer_address_prefix = models.CharField(max_length=43)
    secondary_peer_address_prefix = models.CharField(max_length=43)
    ipv6_primary_peer_address_prefix = models.CharField(max_length=43, blank=True)
    ipv6_secondary_peer_address_prefix = models.CharField(max_length=43, blank=True)
    ipv6_state = models.CharField(max_length=16, blank=True, help_text="ipv6PeeringConfig.state, when configured.")
    ipv6_route_filter = models.CharField(max_length=400, blank=True, help_text="ipv6PeeringConfig.routeFilter id.")
    arm_unknown = models.JSONField(
        default=dict, blank=True, help_text="Fields of the imported ARM JSON that Onramp does not model, as given."
    )
    vlan_id = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4094)])
    shared_key_digest = models.CharField(max_length=64, blank=True, editable=False)
    provisioning_state = models.CharField(max_length=32, default="Succeeded")
    configured_by = models.CharField(max_length=20, help_text="Who configured it: user, provider, azure, import.")
    # Microsoft peering only (microsoftPeeringConfig).
    customer_asn = models.PositiveBigIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_ASN)]
    )
    routing_registry_name = models.CharField(max_length=16, choices=RoutingRegistryChoices.choices, blank=True)
    route_filter = models.CharField(
        max_length=400,
        blank=True,
        help_text="Resource ID or name of the route filter attached to Microsoft peering; without one, "
        "circuits created since 2017-08-01 receive no Microsoft routes.",
    )
    advertised_public_prefixes_state = models.CharField(
        max_length=32,
        choices=AdvertisedPublicPrefixesStateChoices.choices,
        default=AdvertisedPublicPrefixesStateChoices.NOT_CONFIGURED,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["circuit", "peering_type"]
        constraints = [
            models.UniqueConstraint(fields=["circuit", "peering_type"], name="peering_type_unique_per_circuit"),
            models.UniqueConstraint(
                fields=["circuit", "vlan_id"],
                name="peering_vlan_unique_per_circuit",
                violation_error_message="This VLAN ID is already used by another peering of this circuit.",
            ),
            models.CheckConstraint(condition=Q(vlan_id__gte=1, vlan_id__lte=4094), name="peering_vlan_range"),
            models.CheckConstraint(condition=Q(peer_asn__gte=1, peer_asn__lte=MAX_ASN), name="peering_asn_range"),
        ]

    def __str__(self):
        return f"{self.circuit} / {self.peering_type}"

    @property
    def is_microsoft(self):
        return self.peering_type == PeeringTypeChoices.MICROSOFT

    @property
    def has_shared_key(self):
        return bool(self.shared_key_digest)

    @property
    def needs_route_filter(self):
        return (
            self.is_microsoft
            and not self.route_filter
            and self.circuit.created_at.date() >= ROUTE_FILTER_REQUIRED_SINCE
        )

    @property
    def validation_asn(self):
        """The ASN a registry must show as origin: customerASN when given, else peerASN."""
        return self.customer_asn or self.peer_asn


class BgpSession(models.Model):
    """The BGP session on one link (primary or secondary) of a peering."""

    peering = models.ForeignKey(Peering, on_delete=models.CASCADE, related_name="bgp_sessions")
    link = models.CharField(max_length=10, choices=LinkChoices.choices)
    state = models.CharField(max_length=16, choices=BgpStateChoices.choices, default=BgpStateChoices.IDLE)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["peering", "link"]
        constraints = [models.UniqueConstraint(fields=["peering", "link"], name="bgp_session_unique_per_link")]

    def __str__(self):
        return f"{self.peering} {self.link} BGP"

    @property
    def is_established(self):
        return self.state == BgpStateChoices.ESTABLISHED


class AdvertisedPrefix(models.Model):
    """One advertised public prefix of a Microsoft peering, with its own validation state."""

    peering = models.ForeignKey(Peering, on_delete=models.CASCADE, related_name="advertised_prefixes")
    prefix = models.CharField(max_length=43)
    validation_state = models.CharField(
        max_length=40,
        choices=PrefixValidationStateChoices.choices,
        default=PrefixValidationStateChoices.CONFIGURING,
    )
    reason = models.TextField(blank=True, help_text="Why the prefix is in this state and what to do.")
    manual_validation_asn = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The ASN an approver manually validated this prefix for (a ticket)."
    )

    class Meta:
        ordering = ["peering", "prefix"]
        verbose_name_plural = "advertised prefixes"
        constraints = [models.UniqueConstraint(fields=["peering", "prefix"], name="prefix_unique_per_peering")]

    def __str__(self):
        return self.prefix

    @property
    def validation_id(self):
        circuit = self.peering.circuit
        return f"Azure-SKEY|{circuit.service_key}|{self.prefix}|ASN-{self.peering.validation_asn}"


class PrefixValidationTicket(models.Model):
    """Manual validation: an engineer proves ownership of prefixes; an approver decides."""

    peering = models.ForeignKey(Peering, on_delete=models.PROTECT, related_name="validation_tickets")
    prefixes = models.ManyToManyField(AdvertisedPrefix, related_name="tickets")
    note = models.CharField(max_length=2000, blank=True)
    status = models.CharField(max_length=16, choices=TicketStatusChoices.choices, default=TicketStatusChoices.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("decide_prefixvalidationticket", "Can approve or reject prefix validation tickets")]

    def __str__(self):
        return f"Ticket #{self.pk} for {self.peering}"

    @property
    def is_open(self):
        return self.status == TicketStatusChoices.OPEN


def evidence_path(instance, filename):
    return f"evidence/ticket-{instance.ticket_id}/{filename}"


class TicketEvidence(models.Model):
    """A file proving ownership (e.g. a Letter of Authorization); stored outside the web root."""

    ticket = models.ForeignKey(PrefixValidationTicket, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name_plural = "ticket evidence"

    def __str__(self):
        return self.original_name
