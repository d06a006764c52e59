from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Append-only: visible, never added, changed or deleted here."""

    list_display = ("created_at", "object_repr", "field", "from_value", "to_value", "actor_kind", "actor_user")
    list_filter = ("actor_kind", "field", "object_type")
    search_fields = ("object_repr", "reason", "from_value", "to_value")
    list_select_related = ("actor_user",)
    date_hierarchy = "created_at"
