import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from circuits.models import Circuit
from outbox.models import OutboxMessage
from tests.circuits.factories import CircuitFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
CLI = DATA / "az_cli_list.json"
REST = DATA / "rest_value.json"


def _import(*files, team="Network Engineering"):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_circuits", *map(str, files), team=team, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _write(tmp_path, data, name="circuits.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_the_az_cli_flattened_list_creates_circuits_with_their_states(team):
    out, _ = _import(CLI)
    assert out.strip() == f"{CLI}: 2 created, 0 updated, 0 unchanged"
    prod = Circuit.objects.get(name="er-ams-prod")
    assert (prod.service_provider_provisioning_state, prod.bandwidth_mbps, prod.team) == ("Provisioned", 1000, team)
    assert str(prod.service_key) == "1f4b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    assert prod.peerings.get().vlan_id == 200
    assert set(AuditEvent.objects.filter(circuit=prod).values_list("actor_kind", flat=True)) == {"import"}


def test_the_rest_shape_under_properties_reads_the_same(team):
    out, _ = _import(REST)
    assert "1 created" in out
    prod = Circuit.objects.get(name="er-ams-prod")
    assert (prod.service_provider_provisioning_state, prod.peerings.get().peer_asn) == ("Provisioned", 65020)


@pytest.mark.parametrize("path", [CLI, REST])
def test_reimporting_changes_nothing(team, path):
    _import(path)
    events = AuditEvent.objects.count()
    out, _ = _import(path)
    assert "0 created, 0 updated" in out and " 0 unchanged" not in out
    assert AuditEvent.objects.count() == events


def test_a_known_circuit_is_matched_by_service_key_and_updated(team, tmp_path):
    circuit = CircuitFactory(
        team=team,
        service_key="2a5c3d4e-6f70-4b8c-9d0e-1f2a3b4c5d6e",
        service_provider_provisioning_state="Provisioning",
    )
    record = json.loads(CLI.read_text())[1]
    record["serviceProviderProvisioningState"] = "Provisioned"
    out, _ = _import(_write(tmp_path, record))
    assert "0 created, 1 updated, 0 unchanged" in out
    circuit.refresh_from_db()
    assert circuit.service_provider_provisioning_state == "Provisioned"
    assert circuit.resource_id == record["id"]


def test_one_object_is_accepted(team, tmp_path):
    record = json.loads(CLI.read_text())[1]
    assert "1 created" in _import(_write(tmp_path, record))[0]


def test_unknown_enum_values_are_stored(team, tmp_path):
    record = json.loads(CLI.read_text())[1]
    record["serviceProviderProvisioningState"] = "Decommissioning"
    record["provisioningState"] = "Migrating"
    _import(_write(tmp_path, record))
    circuit = Circuit.objects.get(name="er-ams-dr")
    assert (circuit.service_provider_provisioning_state, circuit.provisioning_state) == ("Decommissioning", "Migrating")


def test_a_malformed_record_names_file_and_record_and_saves_nothing_from_that_file(team, tmp_path):
    records = json.loads(CLI.read_text())
    del records[1]["location"]
    path = _write(tmp_path, records)
    with pytest.raises(CommandError) as error:
        _import(path)
    assert str(error.value) == (
        f"{path}: record 2 (er-ams-dr): location is missing or not a str.\n{path}: nothing from this file was saved."
    )
    assert not Circuit.objects.exists()


def test_a_refused_record_rolls_back_its_whole_file_but_not_the_others(team, tmp_path):
    records = json.loads(CLI.read_text())
    records[1]["serviceProviderProperties"]["serviceProviderName"] = "Nobody Telecom"
    bad = _write(tmp_path, records)
    with pytest.raises(CommandError, match="Service provider 'Nobody Telecom' is not in the catalog") as error:
        _import(REST, bad)
    assert str(bad) in str(error.value)
    assert list(Circuit.objects.values_list("name", flat=True)) == ["er-ams-prod"]  # from REST, not from bad


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("42", "expected a circuit object"),
        ('[{"id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"}]', "record 1"),
    ],
)
def test_malformed_files_get_a_clear_error(team, tmp_path, content, message):
    path = _write(tmp_path, content)
    with pytest.raises(CommandError, match=message) as error:
        _import(path)
    assert str(path) in str(error.value)


def test_a_file_cut_off_after_readable_records_is_refused_whole(team, tmp_path):
    whole = CLI.read_text()
    cut = _write(tmp_path, whole[: whole.index('"name": "er-ams-dr"')])  # the first circuit is complete
    with pytest.raises(CommandError, match="not valid JSON") as error:
        _import(cut)
    assert str(cut) in str(error.value)
    assert not Circuit.objects.exists() and not AuditEvent.objects.exists()


def test_a_rest_page_with_a_next_link_imports_its_value(team, tmp_path):
    page = {"value": json.loads(REST.read_text())["value"], "nextLink": "https://management.azure.com/...&$skipToken=2"}
    assert "1 created" in _import(_write(tmp_path, page))[0]


def test_new_circuits_need_a_team(db):
    with pytest.raises(CommandError, match=r"needs an owner team \(--team\)"):
        call_command("import_circuits", str(CLI))


def test_an_import_queues_each_follow_up_once_for_its_batch_of_circuits(team):
    """Billing's and insights' refreshes of the imported circuits: one message each, naming them all."""
    _import(CLI)

    circuit_ids = sorted(Circuit.objects.values_list("pk", flat=True))
    for task in ("billing.accruals_refresh", "insights.refresh"):
        (message,) = OutboxMessage.objects.filter(task=task)
        assert message.kwargs == {"circuit_ids": circuit_ids}
