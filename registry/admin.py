from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import RegistryImport, Roa, RouteObject


# Routing data changes only through the import commands, which replace a source atomically.
@admin.register(RegistryImport)
class RegistryImportAdmin(ReadOnlyAdmin):
    list_display = ("finished_at", "kind", "source", "imported", "skipped", "malformed", "reformatted")
    list_filter = ("kind", "source")


@admin.register(RouteObject)
class RouteObjectAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "origin", "source", "mnt_by")
    list_filter = ("source", "family")
    search_fields = ("prefix", "=origin", "mnt_by")
    show_full_result_count = False


@admin.register(Roa)
class RoaAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "max_length", "asn", "trust_anchor")
    list_filter = ("trust_anchor", "family")
    search_fields = ("prefix", "=asn")
    show_full_result_count = False
