from django.contrib import admin
from django.db import transaction

from core.actors import Actor

REMOVED_IN_ADMIN = "Removed in the admin."


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records only their own process writes (audit events, imported routing data): shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceDeleteAdmin(admin.ModelAdmin):
    """Deletes go through the model's delete service, so they are checked and leave the circuit an
    audit event exactly as the same delete in the product's pages does."""

    def delete_through_service(self, obj, actor):
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.delete_through_service(obj, Actor.person(request.user))

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
