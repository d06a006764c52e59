"""The approvers' queue and evidence downloads through the API, as the /approvals/ pages serve them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.actors import Actor
from tests.accounts.factories import TeamFactory, UserFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.support.routes import PDF
from validation.selectors import ticket_queue
from validation.services import ticket_open, ticket_withdraw

from .factories import client_with_token


def opened(circuit, engineer, prefix, *, evidence=()):
    peering = circuit.peerings.filter(peering_type="MicrosoftPeering").first() or PeeringFactory(
        circuit=circuit, microsoft=True, advertised_public_prefixes_state="ValidationNeeded"
    )
    AdvertisedPrefixFactory(peering=peering, prefix=prefix, validation_state="ValidationNeeded", reason="No ROA.")
    return ticket_open(
        peering=peering,
        prefixes=[prefix],
        note="LOA attached.",
        evidence_files=list(evidence),
        actor=Actor.person(engineer),
    )


@pytest.fixture
def evidence(circuit, engineer, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    loa = SimpleUploadedFile("loa.pdf", PDF, content_type="application/pdf")
    return opened(circuit, engineer, "80.10.5.0/24", evidence=[loa]).evidence.get()


def test_the_queue_is_the_approvals_page_queue(approver_api, approver, circuit, engineer):
    first = opened(circuit, engineer, "80.10.5.0/24")
    second = opened(circuit, engineer, "80.10.6.0/24")
    ticket_withdraw(ticket=second, actor=Actor.person(engineer), reason="")
    third = opened(circuit, engineer, "80.10.7.0/24")
    response = approver_api.get("/api/approvals/")
    assert [ticket["id"] for ticket in response.json()["results"]] == [t.pk for t in ticket_queue(approver)]
    assert [ticket["id"] for ticket in response.json()["results"]] == [first.pk, third.pk]


def test_the_queue_shows_the_validators_findings(approver_api, circuit, engineer):
    opened(circuit, engineer, "80.10.5.0/24")
    ticket = approver_api.get("/api/approvals/").json()["results"][0]
    assert ticket["findings"] == [
        {"prefix": "80.10.5.0/24", "validation_state": "ValidationNeeded", "reason": "No ROA."}
    ]
    assert (ticket["circuit_name"], ticket["routing_registry_name"]) == (circuit.name, "RIPENCC")
    assert ticket["validation_asn"] == circuit.peerings.get(peering_type="MicrosoftPeering").peer_asn


def test_the_queue_is_for_approvers(api):
    assert api.get("/api/approvals/").status_code == 403


def test_the_queue_holds_only_the_approvers_teams_tickets(circuit, engineer):
    opened(circuit, engineer, "80.10.5.0/24")
    elsewhere = client_with_token(UserFactory(role="approver", team=TeamFactory(name="Elsewhere")))
    assert elsewhere.get("/api/approvals/").json()["results"] == []


def test_evidence_downloads_in_its_own_type_sandboxed(api, evidence):
    response = api.get(f"/api/evidence/{evidence.pk}/", HTTP_ACCEPT="application/json")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="loa.pdf"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_ticket_names_its_evidence_download(api, evidence):
    listed = api.get(f"/api/tickets/{evidence.ticket_id}/").json()["evidence"]
    assert [item["download"] for item in listed] == [f"/api/evidence/{evidence.pk}/"]


def test_another_teams_evidence_is_not_found_as_problem_details(evidence):
    elsewhere = client_with_token(UserFactory(role="approver", team=TeamFactory(name="Elsewhere")))
    response = elsewhere.get(f"/api/evidence/{evidence.pk}/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")
