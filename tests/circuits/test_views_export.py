"""The circuit list's CSV export: every filtered circuit, no secrets, no formulas."""

import csv
import io

from django.urls import reverse

from core.secrets import secret_digest
from tests.circuits.factories import CircuitFactory
from tests.circuits.pages import busy_circuit


def export(client, **filters):
    response = client.get(reverse("circuits:circuit_export"), filters)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_export_has_every_filtered_circuit_across_pages(engineer_client):
    CircuitFactory.create_batch(55, service_provider_provisioning_state="Provisioning")
    CircuitFactory(name="er-other")
    rows = export(engineer_client, provider_state="Provisioning")
    assert rows[0][:3] == ["name", "resourceId", "serviceKey"]
    assert len(rows) == 1 + 55
    assert "er-other" not in {row[0] for row in rows}


def test_the_csv_export_never_contains_secrets(engineer_client, team):
    circuit = busy_circuit(team)
    authorization = circuit.authorizations.get()
    circuit.peerings.update(shared_key_digest=secret_digest("md5-secret"))
    text = "\n".join(",".join(row) for row in export(engineer_client))
    for secret in (authorization.authorization_key_digest, f"key-{authorization.name}", secret_digest("md5-secret")):
        assert secret not in text


def test_the_csv_export_keeps_spreadsheet_formulas_as_text(engineer_client):
    CircuitFactory(resource_group="=HYPERLINK(evil)", resource_id="=HYPERLINK(evil)")
    row = export(engineer_client)[1]
    assert row[1] == "'=HYPERLINK(evil)"
