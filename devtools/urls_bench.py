"""The product's URLs plus the benchmark's floor view and admin site (devtools.settings_bench only),
and the static files: production's front server serves them, gunicorn alone does not, and the
latency section's browser needs htmx to poll.

The admin changelist is compared with the circuit list row for row, 50 circuits on each: a bench-only
admin site with its own CircuitAdmin, so importing this module changes nothing of the product's admin."""

from functools import partial

from django.contrib.admin import AdminSite
from django.contrib.staticfiles.views import serve
from django.urls import path, re_path

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
    re_path(r"^static/(?P<path>.*)$", partial(serve, insecure=True)),
    *product_urlpatterns,
]
