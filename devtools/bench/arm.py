"""The bench's ARM section: write an `az network express-route list -o json` file of N circuits
(each with its private peering), import it as `manage.py import_circuits` does (streamed, all or
nothing) in a process of its own (devtools.bench.arm_import), and report the time, the queries per
circuit and that process's peak memory. The file is written one circuit at a time by this process,
so the figure is the import's, not the writer's."""

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from accounts.models import Team
from circuits.models import ServiceProvider

SUBSCRIPTION = "00000000-bec4-4000-8000-000000000000"


def arm_circuit(index, *, provider, location) -> dict:
    """One circuit as the az CLI lists it (tests/sync/data/az_cli_list.json has the same shape)."""
    name = f"er-arm-bench-{index:06d}"
    circuit_id = (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-bench/providers/Microsoft.Network/expressRouteCircuits/{name}"
    )
    third, fourth = divmod(index % 8192 * 8, 256)
    second = index // 8192 % 256
    return {
        "id": circuit_id,
        "name": name,
        "type": "Microsoft.Network/expressRouteCircuits",
        "location": "westeurope",
        "resourceGroup": "rg-bench",
        "provisioningState": "Succeeded",
        "circuitProvisioningState": "Enabled",
        "serviceProviderProvisioningState": "Provisioned",
        "serviceKey": str(uuid.UUID(int=index + 1)),
        "serviceProviderProperties": {
            "serviceProviderName": provider,
            "peeringLocation": location,
            "bandwidthInMbps": 1000,
        },
        "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
        "allowClassicOperations": False,
        "globalReachEnabled": False,
        "authorizations": [],
        "tags": {},
        "peerings": [
            {
                "id": f"{circuit_id}/peerings/AzurePrivatePeering",
                "name": "AzurePrivatePeering",
                "peeringType": "AzurePrivatePeering",
                "state": "Enabled",
                "provisioningState": "Succeeded",
                "azureAsn": 12076,
                "peerAsn": 65000 + index % 500,
                "vlanId": 100 + index % 3900,
                "primaryPeerAddressPrefix": f"10.{second}.{third}.{fourth}/30",
                "secondaryPeerAddressPrefix": f"10.{second}.{third}.{fourth + 4}/30",
            }
        ],
    }


def write_arm_file(path, count) -> None:
    provider = ServiceProvider.objects.filter(peering_locations__isnull=False).order_by("name").first()
    location = provider.peering_locations.order_by("name").first()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("[\n")
        for index in range(count):
            circuit = arm_circuit(index, provider=provider.name, location=location.name)
            handle.write(("," if index else "") + json.dumps(circuit) + "\n")
        handle.write("]\n")


def _database_url() -> str:
    """The database this process uses (a test's too), for the import's process."""
    database = connection.settings_dict
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{quote(database['USER'], safe='')}{password}@{host}/{database['NAME']}"


def arm_figures(*, circuits) -> dict:
    figures = {"circuits": circuits}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "circuits.json"
        started = time.perf_counter()
        write_arm_file(path, circuits)
        figures["write_s"] = time.perf_counter() - started
        figures["file_mb"] = path.stat().st_size / 1024**2
        team = Team.objects.order_by("name").first().name
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "devtools.bench.arm_import", str(path), team],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DATABASE_URL": _database_url()},
            capture_output=True,
            text=True,
            check=True,
        )
        figures["import_s"] = time.perf_counter() - started
    child = json.loads(done.stdout.strip().splitlines()[-1])
    figures["peak_rss_mb"], figures["rss_before_mb"] = child["peak_rss_mb"], child["rss_before_mb"]
    figures["ms_per_circuit"] = figures["import_s"] * 1000 / circuits
    figures["queries_per_circuit"] = child["queries"] / circuits
    return figures
