"""What the API shows of each object, and the shape of what it accepts.

Reading: ModelSerializers; `?fields=a,b` narrows any of them. Writing: each input serializer
documents its fields for the schema, then validates with the very form the page uses
(`FormInput`), so the API and the pages refuse the same input with the same words and hand the
same cleaned values to the same service.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Team
from audit.models import AuditEvent
from circuits.checklist import STATUS_LABELS, circuit_checklist
from circuits.models import Authorization, Circuit, PeeringLocation, ProviderOrder, ServiceProvider, VNetLink
from circuits.services import ORDER_FIELDS
from insights.models import CircuitForecast
from notifications.models import Notification
from peerings.models import AdvertisedPrefix, BgpSession, Peering, PrefixValidationTicket, TicketEvidence
from registry.choices import RoutingRegistryChoices
from webhooks.models import Delivery, DeliveryAttempt, Endpoint


class FieldsMixin:
    """`?fields=name,version` on a GET keeps only those fields (unknown names are ignored)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        wanted = request.query_params.get("fields") if request is not None and request.method == "GET" else None
        if wanted:
            keep = {name.strip() for name in wanted.split(",")}
            for name in set(self.fields) - keep:
                self.fields.pop(name)


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=list(STATUS_LABELS.items()))
    reason = serializers.CharField()
    next_action = serializers.CharField()
    who = serializers.CharField(help_text="Who acts next: engineer, provider, approver or Microsoft (empty if done).")


class ChecklistSerializer(serializers.Serializer):
    current_step = serializers.IntegerField(allow_null=True, help_text="The first step not done; null once onboarded.")
    complete = serializers.BooleanField()
    steps = StepSerializer(many=True)


def checklist_data(circuit):
    checklist = circuit_checklist(circuit)
    current = checklist.current
    steps = [
        {
            "number": step.number,
            "title": step.title,
            "status": step.status,
            "reason": step.reason,
            "next_action": step.next_action,
            "who": step.who,
        }
        for step in checklist.steps
    ]
    return {"current_step": current.number if current else None, "complete": checklist.is_complete, "steps": steps}


class ForecastSerializer(serializers.ModelSerializer):
    """When the circuit should be ready (insights, docs/INSIGHTS.md): the median and the 80% interval."""

    class Meta:
        model = CircuitForecast
        fields = ["step", "ready_by", "ready_low", "ready_high", "is_late", "step_p90_days", "level", "group_label"]
        read_only_fields = fields


class CircuitSerializer(FieldsMixin, serializers.ModelSerializer):
    service_key = serializers.SerializerMethodField(help_text="In full for the circuit team's engineers, else masked.")
    service_provider_name = serializers.CharField(source="service_provider.name", read_only=True)
    peering_location_name = serializers.CharField(source="peering_location.name", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    checklist = serializers.SerializerMethodField()
    forecast = serializers.SerializerMethodField()

    class Meta:
        model = Circuit
        fields = [
            "id",
            "name",
            "subscription_id",
            "resource_group",
            "region",
            "resource_id",
            "service_provider",
            "service_provider_name",
            "peering_location",
            "peering_location_name",
            "bandwidth_mbps",
            "express_route_direct",
            "sku_tier",
            "sku_family",
            "service_key",
            "service_provider_provisioning_state",
            "circuit_provisioning_state",
            "provisioning_state",
            "team",
            "team_name",
            "global_reach_enabled",
            "is_stuck",
            "is_stale",
            "created_at",
            "state_changed_at",
            "deprovision_requested_at",
            "deleted_at",
            "last_checked_at",
            "version",
            "checklist",
            "forecast",
        ]
        read_only_fields = fields

    @extend_schema_field(ForecastSerializer(allow_null=True))
    def get_forecast(self, circuit):
        """None once onboarded or deleted, or before insights has a forecast for it."""
        forecast = getattr(circuit, "forecast", None)  # select_related by circuit_onboarding_queryset
        return ForecastSerializer(forecast).data if forecast is not None else None

    def get_service_key(self, circuit) -> str:
        return self.context["service_key"](circuit)

    @extend_schema_field(ChecklistSerializer)
    def get_checklist(self, circuit):
        return checklist_data(circuit)


class ProviderOrderSerializer(FieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = ProviderOrder
        fields = ["id", "circuit", *ORDER_FIELDS, "created_at"]  # the fields the order service writes
        read_only_fields = fields


class AuthorizationSerializer(FieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Authorization
        fields = ["id", "circuit", "name", "authorization_use_status", "created_at"]
        read_only_fields = fields


class AuthorizationCreatedSerializer(AuthorizationSerializer):
    authorization_key = serializers.CharField(help_text="Shown in this response only: Onramp keeps a digest.")

    class Meta(AuthorizationSerializer.Meta):
        fields = [*AuthorizationSerializer.Meta.fields, "authorization_key"]
        read_only_fields = fields


class VNetLinkSerializer(FieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = VNetLink
        fields = [
            "id",
            "circuit",
            "name",
            "vnet_resource_id",
            "subscription_id",
            "gateway_name",
            "address_space",
            "authorization",
            "connection_status",
            "created_at",
        ]
        read_only_fields = fields


class BgpSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BgpSession
        fields = ["link", "state", "changed_at"]
        read_only_fields = fields


class AdvertisedPrefixSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdvertisedPrefix
        fields = ["id", "prefix", "validation_state", "reason", "manual_validation_asn"]
        read_only_fields = fields


class PeeringSerializer(FieldsMixin, serializers.ModelSerializer):
    has_shared_key = serializers.BooleanField(read_only=True, help_text="The BGP MD5 key itself is never shown.")
    bgp_sessions = BgpSessionSerializer(many=True, read_only=True)
    advertised_prefixes = AdvertisedPrefixSerializer(many=True, read_only=True)
    # Declared for the schema: a read-only model field loses allow_blank, and private peerings answer "".
    routing_registry_name = serializers.ChoiceField(
        choices=RoutingRegistryChoices.choices(),
        allow_blank=True,
        read_only=True,
        help_text="Blank but for Microsoft peering.",
    )

    class Meta:
        model = Peering
        fields = [
            "id",
            "circuit",
            "peering_type",
            "state",
            "azure_asn",
            "peer_asn",
            "vlan_id",
            "primary_peer_address_prefix",
            "secondary_peer_address_prefix",
            "ipv6_primary_peer_address_prefix",
            "ipv6_secondary_peer_address_prefix",
            "has_shared_key",
            "provisioning_state",
            "configured_by",
            "customer_asn",
            "routing_registry_name",
            "route_filter",
            "advertised_public_prefixes_state",
            "created_at",
            "bgp_sessions",
            "advertised_prefixes",
        ]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(help_text="GET it for the file (`content_type`).")

    class Meta:
        model = TicketEvidence
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download"]
        read_only_fields = fields

    def get_download(self, evidence) -> str:
        return reverse("api:evidence-download", args=[evidence.pk])


class TicketSerializer(FieldsMixin, serializers.ModelSerializer):
    circuit = serializers.IntegerField(source="peering.circuit_id", read_only=True)
    prefixes = serializers.SlugRelatedField(slug_field="prefix", many=True, read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, allow_null=True, default=None)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = PrefixValidationTicket
        fields = [
            "id",
            "circuit",
            "peering",
            "prefixes",
            "note",
            "status",
            "requested_by",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "evidence",
        ]
        read_only_fields = fields


class AuditEventSerializer(FieldsMixin, serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    to_value = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor_display", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "circuit",
            "object_type",
            "object_id",
            "object_repr",
            "field",
            "from_value",
            "to_value",
            "actor_kind",
            "actor",
            "reason",
        ]
        read_only_fields = fields

    def get_object_type(self, event) -> str:
        return f"{event.object_type.app_label}.{event.object_type.model}"

    def get_to_value(self, event) -> str:
        # A circuit's "created" event records its service key: shown as the circuit page shows it.
        if event.field == "created" and event.circuit_id == event.object_id and event.object_type.model == "circuit":
            return self.context["service_key"](event.circuit)
        return event.to_value


class NotificationSerializer(FieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "circuit", "kind", "title", "body", "created_at", "read_at"]
        read_only_fields = fields


class TeamSerializer(FieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]
        read_only_fields = fields


class PeeringLocationSerializer(FieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = PeeringLocation
        fields = ["id", "name", "zone", "azure_region"]
        read_only_fields = fields


class ServiceProviderSerializer(FieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = ServiceProvider
        fields = ["id", "name", "layer", "peering_locations", "bandwidths_offered", "stuck_after_business_days"]
        read_only_fields = fields


class CircuitBillingSerializer(FieldsMixin, serializers.Serializer):
    circuit = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    category = serializers.CharField()
    accrued = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    monthly_fee = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="null: no price known for its SKU and zone."
    )
    waste = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    waste_from = serializers.DateTimeField(allow_null=True)


class BillingTotalSerializer(serializers.Serializer):
    category = serializers.CharField()
    circuits = serializers.IntegerField()
    price_unknown = serializers.IntegerField()
    accrued = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    monthly_burn = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    waste = serializers.DecimalField(max_digits=14, decimal_places=2)
    saving_per_year = serializers.DecimalField(max_digits=14, decimal_places=2)


class BillingTotalsSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    currency = serializers.CharField()
    categories = BillingTotalSerializer(many=True)


class WatchSerializer(serializers.Serializer):
    circuit = serializers.IntegerField(read_only=True)
    watching = serializers.BooleanField(help_text="You chose to watch it (POST true to start, false to stop).")
    notified = serializers.BooleanField(
        read_only=True, help_text="You get its notifications: you watch it or are a member of its team."
    )


class ArpEntrySerializer(serializers.Serializer):
    age = serializers.IntegerField(help_text="Minutes.")
    interface = serializers.CharField(help_text="On-Prem or Microsoft.")
    ip_address = serializers.CharField()
    mac_address = serializers.CharField()


class RouteSummarySerializer(serializers.Serializer):
    neighbor = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)
    asn = serializers.IntegerField(allow_null=True)
    up_down = serializers.CharField()
    state_or_prefixes = serializers.CharField(
        help_text="Azure's statePfxRcd: prefixes received while Established, else the BGP state (Idle, Active...)."
    )
    is_established = serializers.BooleanField()
    prefixes_received = serializers.IntegerField(allow_null=True)


class LinkDiagnosticsSerializer(serializers.Serializer):
    arp_table = ArpEntrySerializer(many=True)
    routes = RouteSummarySerializer(many=True)


class LinkReadingSerializer(serializers.Serializer):
    device_path = serializers.CharField(help_text="primary or secondary")
    diagnostics = LinkDiagnosticsSerializer(allow_null=True, help_text="null when this link's read failed.")
    error = serializers.CharField(help_text="Why the read failed; empty when it went through.")


class PeeringReadingSerializer(serializers.Serializer):
    peering_type = serializers.CharField()
    links = LinkReadingSerializer(many=True)


class CircuitReadingSerializer(serializers.Serializer):
    """Step 4's verification (docs/VERIFICATION.md): a snapshot read from the source, kept 24 hours."""

    read_at = serializers.DateTimeField()
    read_by = serializers.CharField()
    check_error = serializers.CharField(
        help_text="The circuit check's failure or refusals; empty when it went through (the links were read anyway)."
    )
    peerings = PeeringReadingSerializer(many=True)


class CircuitDiagnosticsSerializer(serializers.Serializer):
    circuit = serializers.IntegerField()
    reading = CircuitReadingSerializer(allow_null=True, help_text="null: no Check now in the last 24 hours.")


class PrefixFindingSerializer(serializers.ModelSerializer):
    """A ticket's prefix with the validator's findings, as the approvals queue shows them."""

    class Meta:
        model = AdvertisedPrefix
        fields = ["prefix", "validation_state", "reason"]
        read_only_fields = fields


class ApprovalSerializer(TicketSerializer):
    """An open ticket as approvers see it in their queue: what to check the evidence against."""

    circuit_name = serializers.CharField(source="peering.circuit.name", read_only=True)
    validation_asn = serializers.IntegerField(
        source="peering.validation_asn", read_only=True, help_text="customerASN when given, else the peer ASN."
    )
    routing_registry_name = serializers.CharField(source="peering.routing_registry_name", read_only=True)
    findings = PrefixFindingSerializer(source="prefixes", many=True, read_only=True)

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "circuit_name", "validation_asn", "routing_registry_name", "findings"]
        read_only_fields = fields


class DurationSummarySerializer(serializers.Serializer):
    """Kaplan–Meier quantiles in days (circuits still in the step count as "at least so long");
    null where the data do not reach that quantile yet."""

    count = serializers.IntegerField()
    finished = serializers.IntegerField()
    p10 = serializers.FloatField(allow_null=True)
    p25 = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    p75 = serializers.FloatField(allow_null=True)
    p90 = serializers.FloatField(allow_null=True)
    fastest = serializers.FloatField(allow_null=True)
    slowest = serializers.FloatField(allow_null=True)


class ScorecardRowSerializer(serializers.Serializer):
    provider = serializers.CharField()
    location = serializers.CharField()
    circuits = serializers.IntegerField()
    onboarded = serializers.IntegerField()
    median = serializers.FloatField(allow_null=True, help_text="Days from creation to onboarded.")
    p90 = serializers.FloatField(allow_null=True)
    share_late = serializers.FloatField(help_text="Share taking longer than `late_after` days.")
    share_deprovisioned_unused = serializers.FloatField()


class ScorecardSerializer(serializers.Serializer):
    rows = ScorecardRowSerializer(many=True)
    late_after = serializers.FloatField(allow_null=True, help_text="The p90 of every circuit shown, in days.")


class StepProviderSerializer(DurationSummarySerializer):
    provider = serializers.CharField()


class StepDistributionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    providers = StepProviderSerializer(many=True, help_text="Days spent in the step, per provider.")


class QuarterTrendSerializer(DurationSummarySerializer):
    quarter = serializers.CharField(help_text="Of creation, e.g. 2026 Q2; the summary is days to onboarded.")


class InsightsSerializer(serializers.Serializer):
    """The /insights/ page's figures for the circuits you see, filtered as on the page."""

    scorecard = ScorecardSerializer()
    steps = StepDistributionSerializer(many=True)
    trend = QuarterTrendSerializer(many=True)
    as_of = serializers.DateTimeField(
        help_text="When these figures were computed: a report is reused for up to 5 minutes, until a refresh."
    )


class WebhookEndpointSerializer(FieldsMixin, serializers.ModelSerializer):
    """An endpoint as its page shows it: never its secret."""

    teams = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True, default=None)
    previous_secret_until = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="After a rotation: until when the previous secret also signs."
    )

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "name",
            "url",
            "teams",
            "event_types",
            "is_active",
            "disabled_at",
            "disabled_reason",
            "previous_secret_until",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class WebhookEndpointSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="In this response only (creation or rotation): never shown again."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["at", "succeeded", "status_code", "latency_ms", "response_excerpt", "error"]
        read_only_fields = fields


class WebhookDeliverySerializer(FieldsMixin, serializers.ModelSerializer):
    """One event for one endpoint, with its tries, newest first (the endpoint's delivery log)."""

    message_id = serializers.CharField(source="event.message_id", read_only=True, help_text="The webhook-id header.")
    event_type = serializers.CharField(source="event.type", read_only=True)
    circuit = serializers.IntegerField(source="event.circuit_id", read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True, help_text="pending (being tried), delivered or failed (gave up).")
    tries = DeliveryAttemptSerializer(source="log", many=True, read_only=True, help_text="Each request, newest first.")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "endpoint",
            "message_id",
            "event_type",
            "circuit",
            "status",
            "attempts",
            "created_at",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
            "tries",
        ]
        read_only_fields = fields
