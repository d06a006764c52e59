from unittest import mock

import pytest

from audit.models import AuditEvent
from core.errors import DomainError
from outbox.models import OutboxMessage
from registry.models import RegistryImport, Roa, RouteObject
from registry.services import irr_import, malformed_allowed, roas_import
from tests.registry.factories import RoaFactory, RouteObjectFactory

pytestmark = pytest.mark.django_db


def test_irr_import_loads_route_and_route6_and_counts_the_rest(sample, gzipped):
    record = irr_import(paths=[gzipped(sample("radb-sample.db"))], source="radb")
    assert (record.source, record.imported, record.skipped, record.malformed) == ("RADB", 3, 2, 1)
    assert "line 20: origin “ASX13335”" in record.malformed_sample
    assert set(RouteObject.objects.values_list("prefix", "origin", "source", "mnt_by")) == {
        ("80.10.0.0/16", 13335, "RADB", "MAINT-EXAMPLE MAINT-SECOND"),
        ("2a01:100::/32", 13335, "RADB", "MAINT-EXAMPLE"),
        ("80.30.0.0/24", 3356, "RADB", "MAINT-OTHER"),
    }


def test_reimport_of_a_source_replaces_it_and_leaves_other_sources(sample):
    RouteObjectFactory(prefix="81.0.0.0/16", source="RADB")
    RouteObjectFactory(prefix="82.0.0.0/16", source="RIPE")
    irr_import(paths=[sample("radb-sample.db")], source="RADB")
    assert not RouteObject.objects.filter(prefix="81.0.0.0/16").exists()
    assert RouteObject.objects.filter(source="RIPE").count() == 1


def test_azure_registry_name_ripencc_imports_as_rpsl_source_ripe(sample):
    assert irr_import(paths=[sample("ripe.db.route")], source="RIPENCC").source == "RIPE"


def test_a_failed_import_leaves_the_previous_data(sample):
    RouteObjectFactory(prefix="81.0.0.0/16", source="RADB")
    with mock.patch("registry.services.route_from_object", side_effect=OSError("disk gone")), pytest.raises(OSError):
        irr_import(paths=[sample("radb-sample.db")], source="RADB")
    assert list(RouteObject.objects.values_list("prefix", flat=True)) == ["81.0.0.0/16"]


def test_an_import_is_audited_and_queues_revalidation_after_commit(sample, django_capture_on_commit_callbacks):
    with (
        mock.patch("validation.tasks.revalidate_microsoft_peerings.apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        record = irr_import(paths=[sample("radb-sample.db")], source="RADB")
    event = AuditEvent.objects.get(object_id=record.pk, field="imported")
    assert event.to_value == "3 route objects" and event.actor_kind == "import"
    queued.assert_called_once()
    assert OutboxMessage.objects.get().task == "validation.revalidate_microsoft_peerings"  # by name: no import


def test_missing_files_are_refused_before_anything_is_deleted(tmp_path):
    RouteObjectFactory(source="RADB")
    with pytest.raises(DomainError, match="is not a readable file"):
        irr_import(paths=[tmp_path / "nope.db"], source="RADB")
    assert RouteObject.objects.count() == 1 and not RegistryImport.objects.exists()


def test_a_source_name_must_look_like_a_registry(sample):
    with pytest.raises(DomainError, match="is not a registry name"):
        irr_import(paths=[sample("radb-sample.db")], source="rad b")


def test_roas_import_replaces_the_whole_set(sample):
    RoaFactory(prefix="81.0.0.0/16")
    record = roas_import(paths=[sample("vrps.csv")])
    assert (record.imported, record.malformed) == (3, 1)
    assert set(Roa.objects.values_list("prefix", "max_length", "asn")) == {
        ("80.10.0.0/16", 20, 13335),
        ("80.30.0.0/16", 24, 3356),
        ("2a01:100::/32", 48, 13335),
    }


def _database():
    """Everything an import may write: routing data, import records, audit events."""
    return (
        sorted(RouteObject.objects.values_list("source", "prefix", "origin", "mnt_by")),
        sorted(Roa.objects.values_list("prefix", "max_length", "asn", "trust_anchor")),
        RegistryImport.objects.count(),
        AuditEvent.objects.count(),
    )


REFUSED_DUMPS = {
    "error-404.html": "starts with “<!DOCTYPE html>”",
    "nrtm-v3-stream.txt": "is an NRTM operation",
    "arin.db": "the files hold no RIPE route objects; nothing was imported and the 1 RIPE route objects",
}


@pytest.mark.parametrize("name", REFUSED_DUMPS)
def test_a_refused_dump_leaves_the_database_as_it_was(sample, name):
    RouteObjectFactory(prefix="81.0.0.0/16", source="RIPE")
    RoaFactory()
    before = _database()
    with pytest.raises(DomainError, match=REFUSED_DUMPS[name]):
        irr_import(paths=[sample(name)], source="RIPE")
    assert _database() == before


def test_an_empty_body_is_refused_even_with_allow_empty(tmp_path):
    RouteObjectFactory(source="RADB")
    (tmp_path / "radb.db").write_bytes(b"")
    with pytest.raises(DomainError, match="radb.db is empty"):
        irr_import(paths=[tmp_path / "radb.db"], source="RADB", allow_empty=True)
    assert RouteObject.objects.count() == 1


def test_allow_empty_accepts_a_dump_with_no_route_objects(tmp_path):
    RouteObjectFactory(source="RADB")
    (tmp_path / "radb.db").write_text("% RADB dump\n\nmntner: MAINT-EXAMPLE\nsource: RADB\n")
    record = irr_import(paths=[tmp_path / "radb.db"], source="RADB", allow_empty=True)
    assert (record.imported, record.skipped, RouteObject.objects.count()) == (0, 1, 0)


def test_more_malformed_records_than_allowed_refuses_the_import(sample):
    RouteObjectFactory(prefix="81.0.0.0/16", source="RADB")
    before = _database()
    with pytest.raises(DomainError, match="1 of 4 records are malformed, more than the 0 allowed"):
        irr_import(paths=[sample("radb-sample.db")], source="RADB", max_malformed=0)
    assert _database() == before


def test_the_default_tolerance_is_ten_malformed_records_or_one_percent():
    assert [malformed_allowed(records) for records in (0, 999, 1000, 2500, 1_000_000)] == [10, 10, 10, 25, 10000]


def test_roas_import_refuses_a_file_of_mostly_malformed_rows_and_keeps_the_previous_set(tmp_path):
    RoaFactory(prefix="81.0.0.0/16")
    rows = "".join(f"AS1,not-a-prefix-{n},24,ripe\n" for n in range(11))
    (tmp_path / "vrps.csv").write_text("ASN,IP Prefix,Max Length,Trust Anchor\nAS1,80.10.0.0/16,24,ripe\n" + rows)
    before = _database()
    with pytest.raises(DomainError, match="11 of 12 records are malformed, more than the 10 allowed"):
        roas_import(paths=[tmp_path / "vrps.csv"])
    assert _database() == before


def test_a_bom_json_roa_file_is_imported_as_json(sample, encoded):
    record = roas_import(paths=[encoded(sample("routinator.json"), bom=True)])
    assert (record.imported, record.malformed, Roa.objects.filter(trust_anchor="apnic").count()) == (4, 0, 1)


def test_jsonext_keeps_the_trust_anchor(sample):
    roas_import(paths=[sample("routinator.jsonext")])
    assert sorted(Roa.objects.values_list("trust_anchor", flat=True)) == ["apnic", "arin", "ripe", "ripe"]


@pytest.mark.parametrize(("importer", "name"), [("irr", "ripe.db.route"), ("roas", "rpki-client.json")])
def test_reimporting_the_same_file_is_idempotent(sample, importer, name):
    def run():
        if importer == "irr":
            irr_import(paths=[sample(name)], source="RIPE")
        else:
            roas_import(paths=[sample(name)])
        return _database()[:2]

    assert run() == run()
