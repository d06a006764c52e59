"""import_circuits on files shaped like what Azure, the az CLI and the SDK really produce.

The files are in tests/data/azure/ (README.md there says which published format each follows).
"""

import copy
import io
import json
import re
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from circuits.models import Circuit, GlobalReachConnection, PeeringLocation
from peerings.models import Peering
from sync.sources.arm import parse_circuit
from tests.support.snapshots import domain_snapshot

pytestmark = pytest.mark.django_db
AZURE = Path(__file__).parents[1] / "data" / "azure"
CLI = Path(__file__).parent / "data" / "az_cli_list.json"


def _load(name):
    return json.loads((AZURE / name).read_text())


def _import(*files, team="Network Engineering", **options):
    out = io.StringIO()
    call_command("import_circuits", *map(str, files), team=team, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def _write(tmp_path, data, name="circuits.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_all_zero_service_keys_never_match_so_two_new_circuits_stay_two(team):
    out = _import(AZURE / "create_responses_unissued_keys.json")
    assert "2 created" in out
    first, second = Circuit.objects.order_by("name")
    assert (first.name, second.name) == ("er-ams-new-a", "er-ams-new-b")
    assert first.service_key is None and second.service_key is None
    assert (first.provisioning_state, second.provisioning_state) == ("Succeeded", "Updating")


def test_the_service_key_azure_issues_later_is_recorded_on_the_same_circuit(team, tmp_path):
    _import(AZURE / "create_responses_unissued_keys.json")
    records = _load("create_responses_unissued_keys.json")
    records[0]["properties"]["serviceKey"] = "7fa01293-b4c5-4d01-8c53-6e7f8091a2b3"
    out = _import(_write(tmp_path, records))
    assert "0 created, 1 updated, 1 unchanged" in out
    circuit = Circuit.objects.get(name="er-ams-new-a")
    assert str(circuit.service_key) == "7fa01293-b4c5-4d01-8c53-6e7f8091a2b3"
    assert circuit.audit_events.filter(field="service_key", from_value="", actor_kind="import").exists()


def _recreated_cli_list():
    records = json.loads(CLI.read_text())
    records[0]["serviceKey"] = "8ab12304-c5d6-4e12-9d64-7f8091a2b3c4"
    records[0]["serviceProviderProvisioningState"] = "NotProvisioned"
    records[0]["peerings"] = []
    return records


def test_the_same_resource_id_with_a_new_service_key_is_a_deleted_and_recreated_circuit(team, tmp_path):
    _import(CLI)
    old = Circuit.objects.get(name="er-ams-prod")
    out = _import(_write(tmp_path, _recreated_cli_list()))
    assert "1 created, 0 updated, 1 unchanged, 1 deleted" in out
    old.refresh_from_db()
    new = Circuit.objects.get(name="er-ams-prod", deleted_at__isnull=True)
    assert old.is_deleted and old.deleted_at.date() == new.created_at.date()
    assert str(new.service_key) == "8ab12304-c5d6-4e12-9d64-7f8091a2b3c4" and new.pk != old.pk
    deletion = old.audit_events.get(field="deleted")
    assert deletion.actor_kind == "import" and "8ab12304-c5d6-4e12-9d64-7f8091a2b3c4" in deletion.reason
    assert old.peerings.get().vlan_id == 200  # the old circuit's history stays with it


def test_a_resource_id_whose_circuit_is_already_deleted_gets_its_recreated_circuit(team, tmp_path):
    _import(CLI)
    Circuit.objects.filter(name="er-ams-prod").update(deleted_at=Circuit.objects.get(name="er-ams-prod").created_at)
    out = _import(_write(tmp_path, _recreated_cli_list()))
    assert "1 created" in out
    assert Circuit.objects.filter(name="er-ams-prod").count() == 2


def test_express_route_direct_circuits_import_with_their_port_and_gbps(team, engineer_client):
    PeeringLocation.objects.create(name="Equinix-Amsterdam-AM5", zone="Zone 1", azure_region="westeurope")
    out = _import(AZURE / "express_route_direct.json")
    assert "1 created" in out
    circuit = Circuit.objects.get(name="er-ams-direct")
    assert circuit.express_route_direct and circuit.bandwidth_mbps == 10_000
    assert circuit.bandwidth_display == "10 Gbps" and circuit.peering_location.name == "Equinix-Amsterdam-AM5"
    assert circuit.express_route_port_id.endswith("/expressRoutePorts/erport-ams-1")
    assert circuit.service_provider.name == "ExpressRoute Direct" and circuit.stag == 4
    page = engineer_client.get(circuit.get_absolute_url()).content.decode()
    assert "10 Gbps · ExpressRoute Direct" in page and "/expressRoutePorts/erport-ams-1" in page


def test_a_direct_port_listed_after_its_circuit_is_found(team, tmp_path):
    PeeringLocation.objects.create(name="Equinix-Amsterdam-AM5", zone="Zone 1", azure_region="westeurope")
    port, circuit = _load("express_route_direct.json")
    assert "1 created" in _import(_write(tmp_path, [circuit, port]))
    assert Circuit.objects.get(name="er-ams-direct").peering_location.name == "Equinix-Amsterdam-AM5"


def test_an_express_route_direct_circuit_without_its_port_is_refused_with_the_reason(team, tmp_path):
    circuit_only = _load("express_route_direct.json")[1:]
    with pytest.raises(CommandError, match=r"the file does not hold: add the port"):
        _import(_write(tmp_path, circuit_only))
    assert not Circuit.objects.exists()


def test_what_the_file_holds_is_kept(team):
    _import(AZURE / "circuit_get_global_reach_ipv6.json")
    circuit = Circuit.objects.get(name="er-ams-core")
    assert (circuit.global_reach_enabled, circuit.allow_classic_operations) == (True, True)
    assert (circuit.gateway_manager_etag, circuit.stag) == ("7", 21)
    authorization = circuit.authorizations.get()
    assert (authorization.name, authorization.authorization_use_status) == ("spoke-finance", "Available")
    connection = GlobalReachConnection.objects.get(circuit=circuit)
    assert (connection.peer_circuit_name, connection.address_prefix, connection.status) == (
        "er-fra-prod",
        "10.0.8.0/29",
        "Connected",
    )
    assert (connection.ipv6_address_prefix, connection.ipv6_status) == ("aa:bb::/125", "Connected")
    private = circuit.peerings.get(peering_type="AzurePrivatePeering")
    assert (private.ipv6_primary_peer_address_prefix, private.ipv6_state) == ("3FFE:FFFF:0:CD30::/126", "Enabled")
    microsoft = circuit.peerings.get(peering_type="MicrosoftPeering")
    assert (microsoft.ipv6_state, microsoft.vlan_id) == ("Disabled", 300)
    assert microsoft.ipv6_route_filter.endswith("/routeFilters/rf-m365-v6")
    assert set(microsoft.advertised_prefixes.values_list("prefix", flat=True)) == {
        "123.1.0.0/24",
        "3ffe:ffff:0:cd32::/64",
    }


def test_authorization_and_global_reach_keys_are_never_kept_shown_or_exported(team, engineer_client):
    _import(AZURE / "circuit_get_global_reach_ipv6.json")
    circuit = Circuit.objects.get(name="er-ams-core")
    keys = ("b0be57f5-1fba-463b-adec-ffe767354cdd", "946a1918-b7a2-4917-b43c-8c4cdaee006a")
    exported = io.StringIO()
    call_command("export_circuits", stdout=exported)
    page = engineer_client.get(circuit.get_absolute_url()).content.decode()
    stored = json.dumps(domain_snapshot(), default=str)
    for key in keys:
        assert key not in exported.getvalue() and key not in page and key not in stored


def test_the_circuit_page_shows_what_the_file_holds(team, engineer_client):
    _import(AZURE / "circuit_get_global_reach_ipv6.json")
    page = engineer_client.get(Circuit.objects.get(name="er-ams-core").get_absolute_url()).content.decode()
    for shown in ("Global Reach connections", "er-fra-prod", "10.0.8.0/29", "S-Tag", "rf-m365-v6", "resourceGuid"):
        assert shown in page


def test_peerings_of_a_deprovisioning_circuit_are_recorded_not_refused(team, engineer_client):
    out = _import(AZURE / "az_cli_show_deprovisioning.json")
    assert "1 created" in out
    circuit = Circuit.objects.get(name="er-ams-legacy")
    assert circuit.service_provider_provisioning_state == "Deprovisioning"
    assert set(circuit.peerings.values_list("peering_type", "vlan_id")) == {
        ("AzurePrivatePeering", 210),
        ("MicrosoftPeering", 310),
    }
    page = engineer_client.get(circuit.get_absolute_url()).content.decode()
    assert "they carry no traffic until the provider has provisioned it" in page


def test_a_record_that_cannot_be_applied_is_reported_once_with_its_reason_and_nothing_is_saved(team, tmp_path):
    _import(CLI)
    before = domain_snapshot()
    records = json.loads(CLI.read_text())
    records[0]["serviceProviderProvisioningState"] = "Deprovisioning"
    records[1]["peerings"] = copy.deepcopy(records[0]["peerings"])
    records[1]["peerings"][0]["peerAsn"] = 65515  # reserved by Azure: no peering can have it
    with pytest.raises(CommandError) as error:
        _import(_write(tmp_path, records))
    message = str(error.value)
    assert "er-ams-dr (" in message and "65515" in message
    assert len(message.splitlines()) == len(set(message.splitlines())) == 2  # the refusal, then "nothing saved"
    assert domain_snapshot() == before


def test_the_az_cli_camel_case_spelling_imports_every_peering(team):
    assert '"peerASN"' not in CLI.read_text() and '"peerAsn"' in CLI.read_text()  # as the CLI prints it
    _import(CLI)
    peering = Peering.objects.get(circuit__name="er-ams-prod")
    assert (peering.peer_asn, peering.vlan_id, peering.primary_peer_address_prefix) == (
        65020,
        200,
        "192.168.100.128/30",
    )


def _msrest_as_dict(value):
    """What msrest-based azure-mgmt-network (before 2025) returned from as_dict(): `properties`
    flattened into the object and every name in snake_case (peer_asn, service_key, vlan_id)."""
    if isinstance(value, list):
        return [_msrest_as_dict(item) for item in value]
    if not isinstance(value, dict):
        return value
    flat = {key: item for key, item in value.items() if key != "properties"} | value.get("properties", {})
    return {re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key).lower(): _msrest_as_dict(item) for key, item in flat.items()}


@pytest.mark.parametrize("sdk", ["hybrid", "msrest"])
def test_the_sdk_as_dict_reads_the_same_as_the_rest_shape(sdk):
    from azure.mgmt.network.models import ExpressRouteCircuit

    rest = _load("circuit_get_global_reach_ipv6.json")
    as_dict = ExpressRouteCircuit(rest).as_dict() if sdk == "hybrid" else _msrest_as_dict(rest)
    from_sdk, from_rest = parse_circuit(as_dict), parse_circuit(rest)
    for peering in from_sdk.observation.peerings + from_rest.observation.peerings:
        peering.recorded.pop("arm_unknown")  # kept under the spelling the file used
    assert from_sdk.observation == from_rest.observation
    assert {**from_sdk.attributes, "arm_unknown": None} == {**from_rest.attributes, "arm_unknown": None}
    assert (from_sdk.service_key, from_sdk.bandwidth_mbps, from_sdk.authorization_keys) == (
        from_rest.service_key,
        from_rest.bandwidth_mbps,
        from_rest.authorization_keys,
    )


def test_unknown_fields_are_kept_and_shown(team, engineer_client):
    _import(AZURE / "circuit_get_global_reach_ipv6.json")
    circuit = Circuit.objects.get(name="er-ams-core")
    assert circuit.arm_unknown["authorizationStatus"] == "Enabled"
    assert circuit.arm_unknown["tags"] == {"costCenter": "net-7"}
    assert circuit.peerings.get(peering_type="AzurePrivatePeering").arm_unknown["primaryAzurePort"] == (
        "EQIX-AMS-06GMR-CIS-1-PRI-A"
    )
    page = engineer_client.get(circuit.get_absolute_url()).content.decode()
    assert "authorizationStatus" in page and "EQIX-AMS-06GMR-CIS-1-PRI-A" in page


def test_an_unknown_sku_tier_is_kept_and_shown_as_unknown(team, tmp_path, engineer_client):
    record = _load("circuit_get_global_reach_ipv6.json")
    record["sku"] = {"name": "Ultra_MeteredData", "tier": "Ultra", "family": "MeteredData"}
    _import(_write(tmp_path, record))
    circuit = Circuit.objects.get(name="er-ams-core")
    assert circuit.sku_tier == "Ultra"
    assert "unknown to Onramp" in engineer_client.get(circuit.get_absolute_url()).content.decode()


def test_dry_run_prints_the_diff_per_circuit_and_writes_nothing(team, tmp_path):
    _import(CLI)
    before = domain_snapshot()
    records = _recreated_cli_list()
    records[1]["serviceProviderProvisioningState"] = "Provisioning"
    out = _import(_write(tmp_path, records), dry_run=True)
    assert "er-ams-prod:\n  deleted\n  created\n" in out
    assert "er-ams-dr:\n  service_provider_provisioning_state: NotProvisioned → Provisioning\n" in out
    assert "1 created, 1 updated, 0 unchanged, 1 deleted (dry run: nothing saved)" in out
    assert domain_snapshot() == before


def test_a_failed_import_leaves_the_database_as_it_was(team, tmp_path):
    _import(CLI)
    before = domain_snapshot()
    records = _recreated_cli_list()
    records[1]["serviceProviderProperties"]["peeringLocation"] = "Atlantis"
    with pytest.raises(CommandError, match="Peering location 'Atlantis' is not in the catalog"):
        _import(_write(tmp_path, records))
    assert domain_snapshot() == before
    assert AuditEvent.objects.count() == len(before["audit.AuditEvent"])


def test_empty_service_keys_never_match_either(team, tmp_path):
    records = _load("create_responses_unissued_keys.json")
    for record in records:
        record["properties"]["serviceKey"] = ""
    assert "2 created" in _import(_write(tmp_path, records))
    assert set(Circuit.objects.values_list("service_key", flat=True)) == {None}
    assert uuid.UUID(int=0) not in set(Circuit.objects.values_list("service_key", flat=True))
