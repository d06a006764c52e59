import gzip
import ipaddress
import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection

from registry.models import RouteObject
from registry.selectors import routes_more_specific
from registry.services import irr_import
from validation.verdicts import prefixes_check

SOURCE = "BENCH"
ASN = 64500  # every third route object has this origin, so every IRR verdict shows up in the figures


def _write_dump(path, count, rng):
    """`count` route objects spread over 80.0.0.0/4-ish public space, 1 in 10 an IPv6 route6."""
    with gzip.open(path, "wt", compresslevel=1) as dump:
        for index in range(count):
            if index % 10 == 9:
                prefix_line = f"route6:         2a0{index % 8}:{index // 8 % 65536:x}::/32"
            else:
                block = 80 * 65536 + index
                length = rng.choice((24, 24, 24, 23, 22, 20, 16))
                address = (block << 8) & ~((1 << (32 - length)) - 1) & 0xFFFFFFFF
                dotted = ".".join(str(address >> shift & 255) for shift in (24, 16, 8, 0))
                prefix_line = f"route:          {dotted}/{length}"
            origin = ASN if index % 3 == 0 else rng.randint(1000, 60000)
            dump.write(
                f"{prefix_line}\ndescr:          benchmark\norigin:         AS{origin}\n"
                f"mnt-by:         MAINT-BENCH\nsource:         {SOURCE}\n\n"
            )


class Command(BaseCommand):
    help = (
        "Benchmark: import N synthetic route objects (as source BENCH) and validate P prefixes against them; "
        "prints figures, then removes the BENCH data. Run it on PostgreSQL for the figures in docs/PERFORMANCE.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--routes", type=int, default=1_000_000)
        parser.add_argument("--prefixes", type=int, default=200)
        parser.add_argument("--rounds", type=int, default=5)

    def handle(self, *args, routes, prefixes, rounds, **options):
        rng = random.Random(6811)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.db.gz"
            started = time.perf_counter()
            _write_dump(path, routes, rng)
            self.stdout.write(f"database: {connection.vendor}; wrote {routes} route objects in {_since(started)}")
            started = time.perf_counter()
            record = irr_import(paths=[path], source=SOURCE)
            self.stdout.write(f"import_irr: {record.imported} route objects in {_since(started)}")
        try:
            self._validate(routes, prefixes, rounds, rng)
        finally:
            RouteObject.objects.filter(source=SOURCE).delete()

    def _validate(self, routes, prefixes, rounds, rng):
        blocks = [80 * 65536 + rng.randrange(routes) for _ in range(prefixes)]
        wanted = [f"{b >> 16 & 255}.{b >> 8 & 255}.{b & 255}.0/24" for b in blocks[: prefixes - prefixes // 4]]
        wanted += [f"2a0{i % 8}:{i:x}:100::/48" for i in range(prefixes // 4)]
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            findings = prefixes_check(wanted, asn=ASN, registry=SOURCE)
            timings.append(time.perf_counter() - started)
        verdicts = {}
        for finding in findings:
            verdicts[str(finding.irr)] = verdicts.get(str(finding.irr), 0) + 1
        self.stdout.write(
            f"validate {len(wanted)} prefixes against {routes} route objects: "
            f"best {min(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms over {rounds} rounds; "
            f"verdicts {verdicts}"
        )
        network = ipaddress.ip_network(wanted[0])
        plans = (
            RouteObject.objects.filter(family=4, network=network.network_address.packed, length=24).explain(),
            routes_more_specific(network).explain(),
        )
        for plan in plans:
            self.stdout.write(f"plan: {plan.splitlines()[0].strip()}")


def _since(started):
    return f"{time.perf_counter() - started:.1f} s"
