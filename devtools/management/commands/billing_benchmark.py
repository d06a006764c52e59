import time
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Team
from billing.selectors import monthly_accrued, summary_by, summary_by_category, wasting_circuits
from circuits.models import Circuit, ServiceProvider

STATES = ("NotProvisioned", "Provisioning", "Provisioned", "Deprovisioning")


class Command(BaseCommand):
    help = (
        "Benchmark: time the billing page's queries over N synthetic circuits, created in a transaction "
        "that is rolled back (nothing is kept). Prints figures; asserts nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--circuits", type=int, nargs="+", default=[100, 1000, 5000])

    def handle(self, *args, circuits, **options):
        self.stdout.write(f"database: {connection.vendor}")
        for count in circuits:
            with transaction.atomic():
                self._create(count)
                self._time(count)
                transaction.set_rollback(True)

    def _create(self, count):
        team, _ = Team.objects.get_or_create(name="Billing benchmark")
        provider = ServiceProvider.objects.prefetch_related("peering_locations").first()
        locations = list(provider.peering_locations.all())
        now = timezone.now()
        Circuit.objects.bulk_create(
            Circuit(
                name=f"er-bench-{index:05d}",
                subscription_id=uuid.UUID(int=index % 7 + 1),
                resource_group="rg-bench",
                region="westeurope",
                service_provider=provider,
                peering_location=locations[index % len(locations)],
                bandwidth_mbps=(50, 100, 1000, 10000)[index % 4],
                team=team,
                service_provider_provisioning_state=STATES[index % len(STATES)],
                created_at=now - timedelta(days=index % 700),
                state_changed_at=now - timedelta(days=index % 30),
                deprovisioned_at=now - timedelta(days=index % 90) if index % 9 == 0 else None,
            )
            for index in range(count)
        )

    def _time(self, count):
        as_of = timezone.localdate()
        figures = []
        for name, read in (
            ("by category", lambda: summary_by_category(as_of=as_of)),
            ("by team", lambda: summary_by("team__name", as_of=as_of)),
            ("12 months", lambda: monthly_accrued(as_of=as_of)),
            ("top wasting", lambda: list(wasting_circuits(as_of=as_of)[:10])),
        ):
            started = time.perf_counter()
            read()
            figures.append(f"{name} {time.perf_counter() - started:.3f} s")
        self.stdout.write(f"{count} circuits: " + ", ".join(figures))
