"""The bench's ARM section: write an `az network express-route list -o json` file of N circuits
(each with its private peering), import it as `manage.py import_circuits` does (streamed, all or
nothing), and report the time and the importing process's peak memory. The file is written one
circuit at a time, so the figure is the import's, not the writer's."""

import io
import json
import tempfile
import time
import uuid
from pathlib import Path

from django.core.management import call_command

from accounts.models import Team
from circuits.models import ServiceProvider

from .registry import peak_rss_mb

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


def arm_figures(*, circuits) -> dict:
    figures = {"circuits": circuits}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "circuits.json"
        started = time.perf_counter()
        write_arm_file(path, circuits)
        figures["write_s"] = time.perf_counter() - started
        figures["file_mb"] = path.stat().st_size / 1024**2
        figures["rss_before_mb"] = peak_rss_mb()
        started = time.perf_counter()
        team = Team.objects.order_by("name").first().name
        call_command("import_circuits", str(path), team=team, stdout=io.StringIO())
        figures["import_s"] = time.perf_counter() - started
        figures["peak_rss_mb"] = peak_rss_mb()
    return figures
