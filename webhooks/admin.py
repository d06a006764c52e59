from django.contrib import admin
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin

from .models import Delivery, DeliveryAttempt, Endpoint, InboundTally, WebhookEvent


@admin.register(Endpoint)
class EndpointAdmin(ReadOnlyAdmin):
    """Shown here, managed on its page: creating, editing and rotating go through webhooks.services there,
    which check the URL and record each change in the audit log (a ModelAdmin save would do neither)."""

    list_display = ("name", "url", "is_active", "disabled_at", "created_at", "page")
    list_filter = ("is_active", "teams")
    exclude = ("secret_encrypted", "previous_secret_encrypted")
    readonly_fields = ("page",)

    @admin.display(description="Manage")
    def page(self, endpoint):
        return format_html('<a href="{}">Edit, rotate or disable on its page</a>', endpoint.get_absolute_url())


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "type", "message_id", "circuit")
    list_filter = ("type",)
    search_fields = ("message_id",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "event", "endpoint", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "endpoint")


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ("at", "delivery", "succeeded", "status_code", "latency_ms", "error")


@admin.register(InboundTally)
class InboundTallyAdmin(ReadOnlyAdmin):
    list_display = ("outcome", "count")
