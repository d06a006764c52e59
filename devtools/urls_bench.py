"""The product's URLs plus the benchmark's floor view (devtools.settings_bench only)."""

from django.urls import path

from circuits.admin import CircuitAdmin
from config.urls import urlpatterns as product_urlpatterns
from devtools.bench.views import floor

# The admin changelist is compared with the circuit list row for row: 50 circuits on each.
CircuitAdmin.list_per_page = 50

urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *product_urlpatterns]
