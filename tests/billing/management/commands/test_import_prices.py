import json

import pytest
from django.core.management import CommandError, call_command

from billing.models import PortPrice
from tests.billing.factories import PAGE

pytestmark = pytest.mark.django_db


def test_import_prices_adds_port_fees_and_lists_the_meters_it_skipped(tmp_path, capsys):
    page = tmp_path / "page-1.json"
    page.write_text(json.dumps(PAGE))
    call_command("import_prices", str(page))
    output = capsys.readouterr().out
    assert "1 added, 0 updated, 0 unchanged, 1 skipped" in output
    assert "skipped: unknown meter 'Standard Data Transfer Out'" in output
    assert PortPrice.objects.get(zone="Zone 2").source == "Azure Retail Prices API (page-1.json)"


@pytest.mark.parametrize("content", ["not json", '{"value": []}', "[1, 2]"])
def test_a_file_that_is_not_a_prices_page_is_refused_and_nothing_is_imported(tmp_path, content):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(PAGE))
    bad.write_text(content)
    count = PortPrice.objects.count()
    with pytest.raises(CommandError, match="bad.json"):
        call_command("import_prices", str(good), str(bad))
    assert PortPrice.objects.count() == count


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_prices", str(tmp_path / "missing.json"))
