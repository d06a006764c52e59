"""Prefix-validation tickets through the API: opened by engineers, decided by another approver."""

import pytest

from peerings.models import PrefixValidationTicket
from tests.accounts.factories import UserFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory

from .factories import client_with_token


@pytest.fixture
def pending(circuit):
    peering = PeeringFactory(circuit=circuit, microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    AdvertisedPrefixFactory(peering=peering, prefix="80.10.5.0/24", validation_state="ValidationNeeded")
    return peering


def open_ticket(api, peering):
    body = {"peering": peering.pk, "prefixes": ["80.10.5.0/24"], "note": "LOA attached."}
    return api.post("/api/tickets/", body, format="json")


def test_an_engineer_opens_a_ticket(api, pending):
    response = open_ticket(api, pending)
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["prefixes"]) == ("open", ["80.10.5.0/24"])


def test_a_ticket_is_opened_with_evidence_files(api, pending, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    pdf = SimpleUploadedFile("loa.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf")
    body = {"peering": pending.pk, "prefixes": "80.10.5.0/24", "note": "LOA attached.", "evidence": pdf}
    response = api.post("/api/tickets/", body, format="multipart")
    assert response.status_code == 201, response.json()
    assert [item["original_name"] for item in response.json()["evidence"]] == ["loa.pdf"]


def test_another_approver_approves_and_the_prefixes_become_configured(api, approver_api, pending):
    ticket = open_ticket(api, pending).json()["id"]
    response = approver_api.post(f"/api/tickets/{ticket}/approve/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert pending.advertised_prefixes.get().validation_state == "Configured"


def test_a_rejection_needs_a_reason(api, approver_api, pending):
    ticket = open_ticket(api, pending).json()["id"]
    response = approver_api.post(f"/api/tickets/{ticket}/reject/", {}, format="json")
    assert response.status_code == 400
    assert PrefixValidationTicket.objects.get(pk=ticket).is_open


def test_nobody_decides_their_own_ticket(pending, team):
    both = UserFactory(username="eng-appr", role="engineer", team=team)
    both.groups.add(*UserFactory(username="x", role="approver").groups.all())
    api = client_with_token(both)
    ticket = open_ticket(api, pending).json()["id"]
    response = api.post(f"/api/tickets/{ticket}/approve/", {}, format="json")
    assert response.status_code == 422
    assert "four eyes" in response.json()["detail"]


def test_engineers_cannot_decide_tickets(api, pending):
    ticket = open_ticket(api, pending).json()["id"]
    assert api.post(f"/api/tickets/{ticket}/approve/", {}, format="json").status_code == 403


def test_a_decided_ticket_cannot_be_decided_again(api, approver_api, pending):
    ticket = open_ticket(api, pending).json()["id"]
    approver_api.post(f"/api/tickets/{ticket}/approve/", {}, format="json")
    response = approver_api.post(f"/api/tickets/{ticket}/reject/", {"reason": "no"}, format="json")
    assert response.status_code == 409


def test_the_requester_withdraws(api, pending):
    ticket = open_ticket(api, pending).json()["id"]
    assert api.post(f"/api/tickets/{ticket}/withdraw/", {}, format="json").json()["status"] == "withdrawn"


def test_tickets_filter_by_status(api, approver_api, pending):
    open_ticket(api, pending)
    assert api.get("/api/tickets/", {"status": "open"}).json()["count"] == 1
    assert api.get("/api/tickets/", {"status": "approved"}).json()["count"] == 0
