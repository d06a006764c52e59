"""Round trip: import → export_circuits → import changes nothing, for any circuit Azure can describe.

The generated records follow the ARM REST shape of ExpressRouteCircuitGet (azure-rest-api-specs,
Microsoft.Network stable examples), with the field values varied.
"""

import uuid

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from core.actors import IMPORTER
from sync.importer import circuits_import
from sync.sources.arm import parse_circuit
from sync.sources.export import circuit_to_arm, circuits_for_export

GROUP = "/subscriptions/8f3c2a4e-1b5d-4c6e-9f7a-0b1c2d3e4f50/resourceGroups/rg-rt"
STATE = st.sampled_from(["NotProvisioned", "Provisioning", "Provisioned", "Deprovisioning", "Migrating"])
SKU = st.sampled_from(
    [("Standard", "MeteredData"), ("Premium", "UnlimitedData"), ("Local", "UnlimitedData"), ("Ultra", "MeteredData")]
)
NAME = st.from_regex(r"er-[a-z]{1,8}", fullmatch=True)


@st.composite
def peerings(draw, index):
    if not draw(st.booleans()):
        return []
    octet = index * 8
    return [
        {
            "name": "AzurePrivatePeering",
            "properties": {
                "peeringType": "AzurePrivatePeering",
                "state": draw(st.sampled_from(["Enabled", "Disabled"])),
                "azureASN": 12076,
                "peerASN": draw(st.integers(64512, 65514)),
                "primaryPeerAddressPrefix": f"10.9.{octet}.0/30",
                "secondaryPeerAddressPrefix": f"10.9.{octet}.4/30",
                "vlanId": draw(st.integers(1, 4094)),
                "provisioningState": "Succeeded",
                "primaryAzurePort": draw(st.sampled_from(["", "EQIX-AMS-06GMR-CIS-1-PRI-A"])),
            },
        }
    ]


@st.composite
def circuit_records(draw, index):
    name = f"{draw(NAME)}-{index}"
    tier, family = draw(SKU)
    key = draw(st.one_of(st.just(uuid.UUID(int=0)), st.uuids(version=4)))
    properties = {
        "provisioningState": draw(st.sampled_from(["Succeeded", "Updating", "Failed"])),
        "serviceProviderProvisioningState": draw(STATE),
        "circuitProvisioningState": draw(st.sampled_from(["Enabled", "Disabled"])),
        "serviceKey": str(key),
        "allowClassicOperations": draw(st.booleans()),
        "globalReachEnabled": draw(st.booleans()),
        "gatewayManagerEtag": draw(st.sampled_from(["", "3"])),
        "stag": draw(st.one_of(st.none(), st.integers(1, 4000))),
        "serviceProviderProperties": {
            "serviceProviderName": "Equinix",
            "peeringLocation": draw(st.sampled_from(["Amsterdam", "London"])),
            "bandwidthInMbps": draw(st.sampled_from([50, 200, 1000, 10000])),
        },
        "authorizations": [
            {
                "name": f"auth-{n}",
                "properties": {"authorizationUseStatus": draw(st.sampled_from(["Available", "InUse"]))},
            }
            for n in range(draw(st.integers(0, 2)))
        ],
        "peerings": draw(peerings(index)),
        "resourceGuid": str(draw(st.uuids())),
    }
    return {
        "name": name,
        "id": f"{GROUP}/providers/Microsoft.Network/expressRouteCircuits/{name}",
        "location": "westeurope",
        "sku": {"name": f"{tier}_{family}", "tier": tier, "family": family},
        "properties": properties,
    }


@st.composite
def files(draw):
    return [draw(circuit_records(index)) for index in range(draw(st.integers(1, 3)))]


def _export():
    return [circuit_to_arm(circuit) for circuit in circuits_for_export()]


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files())
def test_import_then_export_then_import_changes_nothing(team, document):
    with transaction.atomic():
        circuits_import(records=[parse_circuit(raw) for raw in document], actor=IMPORTER, team=team)
        exported = _export()
        events = AuditEvent.objects.count()
        again = circuits_import(records=[parse_circuit(raw) for raw in exported], actor=IMPORTER, team=team)
        assert (again.created, again.updated, again.deleted, again.refused) == (0, 0, 0, [])
        assert AuditEvent.objects.count() == events
        assert _export() == exported
        transaction.set_rollback(True)
