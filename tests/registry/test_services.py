from unittest import mock

import pytest

from audit.models import AuditEvent
from core.errors import DomainError
from registry.models import RegistryImport, Roa, RouteObject
from registry.services import irr_import, roas_import
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
        mock.patch("registry.tasks.microsoft_peerings_revalidate.apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        record = irr_import(paths=[sample("radb-sample.db")], source="RADB")
    event = AuditEvent.objects.get(object_id=record.pk, field="imported")
    assert event.to_value == "3 route objects" and event.actor_kind == "import"
    queued.assert_called_once()


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
