"""The product's URLs plus the benchmark's floor view and admin site (devtools.settings_bench only).

The admin changelist is compared with the circuit list row for row, 50 circuits on each: a bench-only
admin site with its own CircuitAdmin, so importing this module changes nothing of the product's admin."""

from django.contrib.admin import AdminSite
from django.urls import path

from circuits.admin import CircuitAdmin
from circuits.models import Circuit
from config.urls import urlpatterns as product_urlpatterns
from devtools.bench.views import floor

BENCH_ADMIN_PATH = "bench/admin/"


class BenchCircuitAdmin(CircuitAdmin):
    list_per_page = 50


bench_admin = AdminSite(name="bench_admin")
bench_admin.register(Circuit, BenchCircuitAdmin)

urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path(BENCH_ADMIN_PATH, bench_admin.urls),
    *product_urlpatterns,
]
