"""Admin for the catalog and for looking things up. State fields are read-only here: state
changes go through the services (one place, locked, audited), never through admin forms."""

from django.contrib import admin

from core.admin import REMOVED_IN_ADMIN, ServiceDeleteAdmin

from . import services
from .models import Authorization, Circuit, PeeringLocation, ProviderOrder, ServiceProvider, VNetLink

CIRCUIT_STATE_FIELDS = (
    "service_key",
    "service_provider_provisioning_state",
    "circuit_provisioning_state",
    "provisioning_state",
    "created_at",
    "deleted_at",
    "state_changed_at",
    "deprovision_requested_at",
    "deprovisioned_at",
    "last_checked_at",
    "last_good_read_at",
    "is_stale",
    "is_stuck",
    "version",
    "sku_tier",
    "sku_family",
    "bandwidth_mbps",
)


@admin.register(PeeringLocation)
class PeeringLocationAdmin(admin.ModelAdmin):
    list_display = ("name", "zone", "azure_region")
    list_filter = ("zone",)
    search_fields = ("name", "azure_region")


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "layer", "bandwidths_offered", "stuck_after_business_days")
    list_filter = ("layer", "peering_locations")
    search_fields = ("name",)
    filter_horizontal = ("peering_locations",)


@admin.register(Circuit)
class CircuitAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "service_provider",
        "peering_location",
        "bandwidth_mbps",
        "sku_tier",
        "sku_family",
        "service_provider_provisioning_state",
        "circuit_provisioning_state",
        "team",
        "created_at",
        "deleted_at",
    )
    list_filter = (
        "service_provider_provisioning_state",
        "sku_tier",
        "sku_family",
        "service_provider",
        "peering_location",
        "team",
        "is_stuck",
        "is_stale",
    )
    search_fields = ("name", "service_key", "resource_id", "subscription_id", "resource_group")
    list_select_related = ("service_provider", "peering_location", "team")
    readonly_fields = CIRCUIT_STATE_FIELDS
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # created through the circuit form, which issues the service key and audits

    def has_delete_permission(self, request, obj=None):
        return False  # circuits are never removed: deletion is a state (deleted_at)


@admin.register(ProviderOrder)
class ProviderOrderAdmin(admin.ModelAdmin):
    list_display = ("circuit", "provider_reference", "status", "requested_on", "promised_on", "completed_on")
    list_filter = ("status",)
    search_fields = ("circuit__name", "provider_reference", "contact_name", "contact_email")
    list_select_related = ("circuit",)
    readonly_fields = ("circuit", "status", "service_key_handed_over_at")

    def has_add_permission(self, request):
        return False  # recorded through the circuit's order form, which audits the status

    def has_delete_permission(self, request, obj=None):
        return False  # no service removes an order, so no delete could be audited


@admin.register(Authorization)
class AuthorizationAdmin(ServiceDeleteAdmin):
    list_display = ("name", "circuit", "authorization_use_status", "created_at")
    list_filter = ("authorization_use_status",)
    search_fields = ("name", "circuit__name")
    list_select_related = ("circuit",)
    readonly_fields = ("circuit", "name", "authorization_use_status")
    exclude = ("authorization_key_digest",)

    def has_add_permission(self, request):
        return False

    def delete_through_service(self, obj, actor):
        services.authorization_delete(authorization=obj, actor=actor, reason=REMOVED_IN_ADMIN)


@admin.register(VNetLink)
class VNetLinkAdmin(ServiceDeleteAdmin):
    list_display = ("name", "circuit", "subscription_id", "gateway_name", "connection_status")
    list_filter = ("connection_status",)
    search_fields = ("name", "circuit__name", "vnet_resource_id", "gateway_name")
    list_select_related = ("circuit",)
    readonly_fields = ("circuit", "authorization", "connection_status")

    def has_add_permission(self, request):
        return False

    def delete_through_service(self, obj, actor):
        services.vnet_link_delete(link=obj, actor=actor, reason=REMOVED_IN_ADMIN)
