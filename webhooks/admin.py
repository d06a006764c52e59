from django import forms
from django.contrib import admin, messages

from core.admin import ReadOnlyAdmin

from . import services
from .choices import EventTypeChoices
from .models import Delivery, DeliveryAttempt, Endpoint, InboundTally, WebhookEvent
from .secrets import secret_encrypt, secret_generate


class EndpointAdminForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(choices=EventTypeChoices.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Endpoint
        fields = ("name", "url", "teams", "event_types", "is_active")


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    """Rules for any team. A new endpoint's secret is shown once, in the message after saving."""

    form = EndpointAdminForm
    list_display = ("name", "url", "is_active", "disabled_at", "created_at")
    list_filter = ("is_active", "teams")
    filter_horizontal = ("teams",)
    readonly_fields = ("disabled_at", "disabled_reason", "previous_secret_until", "created_by")
    actions = ["rotate_secret"]

    def save_model(self, request, obj, form, change):
        if not change:
            secret = secret_generate()
            obj.secret_encrypted, obj.created_by = secret_encrypt(secret), request.user
            messages.warning(request, f"Signing secret of {obj.name}, shown only this once: {secret}")
        super().save_model(request, obj, form, change)

    @admin.action(description="Rotate the signing secret (the old one signs for the overlap)")
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            secret = services.endpoint_rotate_secret(endpoint=endpoint)
            messages.warning(request, f"New signing secret of {endpoint.name}, shown only this once: {secret}")


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
