import io

import pytest
from django.core.management import CommandError, call_command

from registry.models import Roa, RouteObject
from tests.registry.factories import RoaFactory, RouteObjectFactory
from tests.support.commands import run_command as run

pytestmark = pytest.mark.django_db


def test_import_irr_reports_counts_and_malformed_objects_by_line(sample, gzipped):
    out, err = run("import_irr", str(gzipped(sample("radb-sample.db"))), "--source", "RADB")
    assert out.strip() == "RADB: 3 route objects imported, 2 objects of other classes skipped, 1 malformed."
    assert "line 20: origin “ASX13335” is not an AS number" in err
    assert RouteObject.objects.count() == 3


def test_import_irr_refuses_a_missing_file_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="is not a readable file"):
        run("import_irr", str(tmp_path / "missing.db"), "--source", "RADB")


def test_import_roas_reads_json_and_csv(sample):
    out, err = run("import_roas", str(sample("vrps.json")))
    assert out.strip() == "3 ROAs imported, 1 malformed." and "ROA #4" in err
    run("import_roas", str(sample("vrps.csv")))
    assert Roa.objects.count() == 3


def test_a_refused_import_exits_non_zero_says_why_and_keeps_the_previous_set(sample):
    RouteObjectFactory(prefix="81.0.0.0/16", source="RADB")
    with pytest.raises(CommandError, match="Refused: error-404.html starts with “<!DOCTYPE html>”") as failure:
        run("import_irr", str(sample("error-404.html")), "--source", "RADB")
    assert failure.value.returncode == 1
    assert list(RouteObject.objects.values_list("prefix", flat=True)) == ["81.0.0.0/16"]


def test_a_refusal_for_too_many_malformed_records_still_lists_each_one(sample):
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 4 records are malformed, more than the 0 allowed"):
        call_command(
            "import_irr", str(sample("radb-sample.db")), "--source", "RADB", "--max-malformed", "0", stderr=err
        )
    assert "line 20: origin “ASX13335”" in err.getvalue() and not RouteObject.objects.exists()


def test_import_roas_reads_a_bom_json_file_as_json(sample, encoded):
    out, _ = run("import_roas", str(encoded(sample("routinator.json"), bom=True, crlf=True)))
    assert out.strip() == "4 ROAs imported, 0 malformed."


def test_allow_empty_lets_an_export_with_no_roas_empty_the_set(tmp_path):
    RoaFactory()
    (tmp_path / "vrps.json").write_text('{"metadata": {"generated": 0, "generatedTime": "1970-01-01T00:00:00Z"}}')
    with pytest.raises(CommandError, match="hold no ROAs"):
        run("import_roas", str(tmp_path / "vrps.json"))
    assert Roa.objects.count() == 1
    run("import_roas", str(tmp_path / "vrps.json"), "--allow-empty")
    assert not Roa.objects.exists()


def test_import_irr_says_which_prefixes_it_normalised_as_irrd_does(sample):
    out, err = run("import_irr", str(sample("ripe.db.route")), "--source", "RIPENCC")
    assert out.strip() == (
        "RIPE: 3 route objects imported (1 prefixes normalised as irrd does), 0 objects of other classes skipped, "
        "2 malformed."
    )
    assert "ripe.db.route: line 6: 185.40.012.0/24 imported as 185.40.12.0/24" in err
    assert "ripe.db.route: line 14: route “10.0.0.1/8” has host bits set" in err
