"""An import's cost per record stays the same whatever the file's size, and a file is all or nothing
across its batches (sync/importer.py, docs/PERFORMANCE.md "ARM import")."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from circuits.models import Circuit, ServiceProvider
from devtools.bench.arm import arm_circuit
from outbox.models import OutboxMessage
from peerings.models import AdvertisedPrefix, BgpSession, Peering
from sync import importer

pytestmark = pytest.mark.django_db
# Queries per record of a file of new circuits with one private peering each (created, provider state,
# peering configured: three audit events), and of the same file imported again (nothing changes).
NEW_CIRCUIT_QUERIES = 2
UNCHANGED_QUERIES = 2


def _records(first, count):
    provider = ServiceProvider.objects.filter(peering_locations__isnull=False).order_by("name").first()
    location = provider.peering_locations.order_by("name").first()
    return [arm_circuit(index, provider=provider.name, location=location.name) for index in range(first, first + count)]


def _import(tmp_path, records, name="circuits.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records))
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("import_circuits", str(path), team="Network Engineering", stdout=out)
    return len(queries), out.getvalue()


def test_each_record_costs_the_same_queries_whatever_the_file_size(team, tmp_path):
    _import(tmp_path, _records(1000, 1))  # what a process reads once (content types) is read
    small, out = _import(tmp_path, _records(0, 5))
    assert "5 created, 0 updated, 0 unchanged" in out
    large, out = _import(tmp_path, _records(100, 20))
    assert "20 created, 0 updated, 0 unchanged" in out
    assert (large - small) / 15 == NEW_CIRCUIT_QUERIES
    again_small, out = _import(tmp_path, _records(0, 5))
    assert "0 created, 0 updated, 5 unchanged" in out
    again_large, _ = _import(tmp_path, _records(100, 20))
    assert (again_large - again_small) / 15 == UNCHANGED_QUERIES


def test_a_bad_record_in_the_last_batch_leaves_nothing_of_the_file(team, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "IMPORT_BATCH", 2)
    _import(tmp_path, _records(0, 1), name="before.json")
    circuits, events = Circuit.objects.count(), AuditEvent.objects.count()
    records = _records(10, 5)
    records[-1]["serviceProviderProperties"]["serviceProviderName"] = "Nobody Telecom"
    with pytest.raises(CommandError, match=r"er-arm-bench-000014 .*'Nobody Telecom' is not in the catalog"):
        _import(tmp_path, records)
    assert (Circuit.objects.count(), AuditEvent.objects.count()) == (circuits, events)


def test_a_circuit_held_twice_counts_once_as_created_then_unchanged(team, tmp_path):
    (record,) = _records(0, 1)
    _, out = _import(tmp_path, [record, record])
    assert "1 created, 0 updated, 1 unchanged" in out
    assert Circuit.objects.filter(name=record["name"]).count() == 1


def test_a_record_sees_what_an_earlier_one_of_its_batch_changed(team, tmp_path):
    """The first record moves a circuit known by its service key to another resource id; the second,
    naming the circuit's old resource id with another key, finds no live circuit there: a new one."""
    first, second = _records(0, 2)
    _import(tmp_path, [first])
    moved = {**first, "id": first["id"] + "-moved"}
    second = {**second, "id": first["id"]}
    _, out = _import(tmp_path, [moved, second])
    assert "1 created, 1 updated, 0 unchanged" in out
    assert Circuit.objects.get(name=first["name"]).resource_id == moved["id"]
    assert Circuit.objects.get(name=second["name"]).resource_id == first["id"]


DATA = Path(__file__).parent / "data"


def _varied_records():
    """New circuits as Azure lists them: provider and Microsoft peerings (prefix states reported),
    none, unknown fields and tags, provider states a new circuit does not start in."""
    cli = json.loads((DATA / "az_cli_list.json").read_text())
    (microsoft,) = json.loads((DATA / "arm" / "circuits_list_page1.json").read_text())["value"]
    microsoft["properties"].pop("authorizations")  # a record with authorizations is applied on its own
    deprovisioned, provisioning = _records(0, 2)
    deprovisioned |= {"serviceProviderProvisioningState": "Deprovisioned", "tags": {"owner": "net"}, "stag": 7}
    provisioning |= {"serviceProviderProvisioningState": "Provisioning", "provisioningState": "Updating"}
    return [*cli, microsoft, deprovisioned, provisioning]


def _everything():
    """What an import wrote, without the ids and times that differ between two imports."""
    circuits = Circuit.objects.order_by("resource_id").values()
    peerings = Peering.objects.order_by("circuit__resource_id", "peering_type").values()
    return {
        # version: peerings configured with their new circuits leave it alone (peerings_configure_observed)
        "circuits": [_without(row, "id", "created_at", "state_changed_at", "version") for row in circuits],
        "peerings": [_without(row, "id", "circuit_id", "created_at") for row in peerings],
        "sessions": list(
            BgpSession.objects.order_by("peering__circuit__resource_id", "peering__peering_type", "link").values_list(
                "peering__circuit__resource_id", "peering__peering_type", "link", "state"
            )
        ),
        "prefixes": list(
            AdvertisedPrefix.objects.order_by("prefix").values_list("prefix", "validation_state", "reason")
        ),
        "events": {
            resource_id: list(
                AuditEvent.objects.filter(circuit__resource_id=resource_id)
                .order_by("pk")
                .values_list("object_repr", "field", "from_value", "to_value", "reason", "actor_kind")
            )
            for resource_id in Circuit.objects.values_list("resource_id", flat=True)
        },
        "outbox": sorted(OutboxMessage.objects.values_list("task", flat=True)),
    }


def _without(row, *names):
    return {name: value for name, value in row.items() if name not in names}


def test_new_circuits_created_together_are_what_one_by_one_would_make(team, tmp_path, monkeypatch):
    records = _varied_records()
    with transaction.atomic():
        _, out = _import(tmp_path, records)
        together = _everything()
        transaction.set_rollback(True)
    assert "5 created, 0 updated, 0 unchanged" in out
    monkeypatch.setattr(importer, "_created_together", lambda *args, **kwargs: ({}, {}))
    _, out = _import(tmp_path, records)
    assert "5 created, 0 updated, 0 unchanged" in out
    assert together == _everything()
    assert len(together["events"]) == 5 and together["prefixes"]
