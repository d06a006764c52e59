from django.contrib import admin

from .models import PortPrice, SubscriptionName


@admin.register(PortPrice)
class PortPriceAdmin(admin.ModelAdmin):
    """Prices are data: add a dated row for a new price rather than editing the old one."""

    list_display = (
        "sku_tier",
        "sku_family",
        "bandwidth_mbps",
        "zone",
        "monthly_fee",
        "currency",
        "valid_from",
        "source",
    )
    list_filter = ("sku_tier", "sku_family", "zone", "currency")
    search_fields = ("source",)
    date_hierarchy = "valid_from"
    ordering = ("sku_tier", "sku_family", "zone", "bandwidth_mbps", "-valid_from")


@admin.register(SubscriptionName)
class SubscriptionNameAdmin(admin.ModelAdmin):
    list_display = ("display_name", "subscription_id", "updated_at")
    search_fields = ("display_name", "subscription_id")
