"""The bench's registry section: import a synthetic IRR dump of N route objects (as source BENCH),
validate P prefixes against it, and report the import's peak memory; the BENCH rows are removed."""

import gzip
import ipaddress
import random
import resource
import tempfile
import time
from pathlib import Path

from registry.models import RouteObject
from registry.selectors import routes_more_specific
from registry.services import irr_import
from validation.verdicts import prefixes_check

SOURCE = "BENCH"
ASN = 64500  # every third route object has this origin, so every IRR verdict shows up in the figures


def write_dump(path, count, rng):
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


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def registry_figures(*, routes, prefixes, rounds, seed=6811) -> dict:
    rng = random.Random(seed)
    figures = {"routes": routes, "prefixes": prefixes, "rss_before_mb": peak_rss_mb()}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db.gz"
        started = time.perf_counter()
        write_dump(path, routes, rng)
        figures["write_dump_s"] = time.perf_counter() - started
        figures["rss_after_dump_mb"] = peak_rss_mb()
        started = time.perf_counter()
        figures["imported"] = irr_import(paths=[path], source=SOURCE).imported
        figures["import_s"] = time.perf_counter() - started
        figures["peak_rss_mb"] = peak_rss_mb()
    try:
        figures.update(_validate(routes, prefixes, rounds, rng))
    finally:
        RouteObject.objects.filter(source=SOURCE).delete()
    return figures


def _validate(routes, prefixes, rounds, rng) -> dict:
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
    network = ipaddress.ip_network(wanted[0])
    plans = (
        RouteObject.objects.filter(family=4, network=network.network_address.packed, length=24).explain(),
        routes_more_specific(network).explain(),
    )
    return {
        "validate_best_ms": min(timings) * 1000,
        "validate_worst_ms": max(timings) * 1000,
        "verdicts": verdicts,
        "plans": [plan.splitlines()[0].strip() for plan in plans],
    }
