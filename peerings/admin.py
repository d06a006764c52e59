"""Admin for looking up peerings and tickets; states change only through the services."""

from django.contrib import admin

from .models import AdvertisedPrefix, BgpSession, Peering, PrefixValidationTicket, TicketEvidence


class BgpSessionInline(admin.TabularInline):
    model = BgpSession
    extra = 0
    readonly_fields = ("link", "state", "changed_at")
    can_delete = False


class AdvertisedPrefixInline(admin.TabularInline):
    model = AdvertisedPrefix
    extra = 0
    readonly_fields = ("prefix", "validation_state", "reason")
    can_delete = False


@admin.register(Peering)
class PeeringAdmin(admin.ModelAdmin):
    list_display = ("circuit", "peering_type", "state", "peer_asn", "vlan_id", "advertised_public_prefixes_state")
    list_filter = ("peering_type", "state", "advertised_public_prefixes_state", "routing_registry_name")
    search_fields = ("circuit__name", "peer_asn", "primary_peer_address_prefix", "secondary_peer_address_prefix")
    list_select_related = ("circuit",)
    exclude = ("shared_key_digest",)
    readonly_fields = (
        "circuit",
        "peering_type",
        "state",
        "advertised_public_prefixes_state",
        "provisioning_state",
        "configured_by",
        # What Azure reports of the IPv6 side: written by the import and the sync, never by hand.
        "ipv6_state",
        "arm_unknown",
    )
    inlines = (BgpSessionInline, AdvertisedPrefixInline)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # no service removes a peering, so no delete could be audited


class TicketEvidenceInline(admin.TabularInline):
    model = TicketEvidence
    extra = 0
    readonly_fields = ("original_name", "content_type", "size", "uploaded_at")
    exclude = ("file",)
    can_delete = False


@admin.register(PrefixValidationTicket)
class PrefixValidationTicketAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "requested_by", "decided_by", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("peering__circuit__name", "note", "decision_reason")
    list_select_related = ("peering__circuit", "requested_by", "decided_by")
    readonly_fields = ("peering", "prefixes", "status", "requested_by", "decided_by", "decided_at", "decision_reason")
    inlines = (TicketEvidenceInline,)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # tickets are withdrawn, never removed: their decisions are audited
