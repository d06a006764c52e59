"""The product's URLs plus the benchmark's floor view (config.settings_bench only)."""

from django.urls import path

from bench.views import floor
from circuits.admin import CircuitAdmin

from .urls import urlpatterns as product_urlpatterns

# The admin changelist is compared with the circuit list row for row: 50 circuits on each.
CircuitAdmin.list_per_page = 50

urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *product_urlpatterns]
