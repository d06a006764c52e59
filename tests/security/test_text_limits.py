"""People's text is bounded in the model, the form and the request, and audit events and
notifications point at a ticket instead of copying its note or decision reason."""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from audit.models import AuditEvent
from core.actors import Actor
from notifications.models import Notification
from peerings.models import PrefixValidationTicket
from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from validation import services
from validation.evidence import evidence_name

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "audit", "billing", "circuits", "notifications", "outbox", "peerings", "registry")
# Written only by the product's own code from bounded inputs, never typed by a person.
MACHINE_TEXT = {
    "peerings.AdvertisedPrefix.reason",  # the registry validator's verdict
    "registry.RegistryImport.files",  # the paths an operator passed to the import command
    "registry.RegistryImport.malformed_sample",  # the first malformed objects, cut by the importer
}
NOTE = "Signed LOA from RIPE holder ORG-EX1; call +31 20 000 0000 for the original."


def test_every_free_text_field_has_a_limit_in_the_model():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField | models.CharField) and not field.max_length
    ]
    assert set(unbounded) <= MACHINE_TEXT


@pytest.fixture
def peering(db, team):
    peering = PeeringFactory(
        circuit=CircuitFactory(team=team), microsoft=True, advertised_public_prefixes_state="ValidationNeeded"
    )
    AdvertisedPrefixFactory(peering=peering, prefix="80.10.5.0/24", validation_state="ValidationNeeded")
    return peering


@pytest.fixture
def ticket(peering, engineer):
    return services.ticket_open(peering=peering, prefixes=["80.10.5.0/24"], note=NOTE, actor=Actor.person(engineer))


def open_ticket(client, peering, note):
    return client.post(
        reverse("approvals:ticket_create", kwargs={"peering_pk": peering.pk}),
        {"note": note, "prefixes": ["80.10.5.0/24"]},
    )


def test_a_ticket_note_over_the_limit_is_refused_next_to_the_field(engineer_client, peering):
    response = open_ticket(engineer_client, peering, "x" * 2001)
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert not PrefixValidationTicket.objects.exists()


def test_a_decision_reason_over_the_limit_is_refused(client, approver, ticket):
    client.force_login(approver)
    client.post(reverse("approvals:ticket_reject", args=[ticket.pk]), {"reason": "x" * 1001})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.decision_reason) == ("open", "")


def test_services_refuse_text_over_the_limit_too(peering, engineer):
    with pytest.raises(services.DomainError, match="under 2000 characters"):
        services.ticket_open(peering=peering, prefixes=["80.10.5.0/24"], note="x" * 2001, actor=Actor.person(engineer))


def test_order_notes_over_the_limit_are_refused(engineer_client, team):
    circuit = CircuitFactory(team=team)
    response = engineer_client.post(
        reverse("circuits:order_create", args=[circuit.pk]), {"status": "ordered", "notes": "x" * 2001}
    )
    assert response.status_code == 200
    assert not circuit.provider_orders.exists()


def test_a_request_body_over_the_limit_is_refused_before_it_is_parsed(engineer_client, peering):
    response = open_ticket(engineer_client, peering, "x" * (300 * 1024))
    assert response.status_code == 400
    assert not PrefixValidationTicket.objects.exists()


def test_audit_and_notifications_reference_the_ticket_instead_of_copying_its_text(ticket, approver):
    reason = "The LOA names another ASN; ask ORG-EX1 for a new one."
    services.ticket_reject(ticket=ticket, actor=Actor.person(approver), reason=reason)

    copied = [text for text in [*AuditEvent.objects.values_list("reason", flat=True)] if NOTE in text or reason in text]
    copied += [body for body in Notification.objects.values_list("body", flat=True) if NOTE in body or reason in body]
    assert copied == []
    assert AuditEvent.objects.filter(reason__contains=f"ticket #{ticket.pk}").count() == 2
    ticket.refresh_from_db()
    assert (ticket.note, ticket.decision_reason) == (NOTE, reason)


@pytest.mark.parametrize(
    ("name", "content_type", "stored"),
    [
        ("loa.pdf", "application/pdf", "loa.pdf"),
        ("scan.JPEG", "image/jpeg", "scan.JPEG"),
        ("loa.pdf.html", "application/pdf", "loa.pdf.html.pdf"),
        ("lo\na\x00.png", "image/png", "loa.png"),
        ("a" * 300 + ".pdf", "application/pdf", "a" * 190 + ".pdf"),
    ],
)
def test_evidence_is_stored_under_a_name_whose_extension_is_its_content(name, content_type, stored):
    assert evidence_name(name, content_type) == stored


def test_evidence_names_are_checked_when_a_ticket_is_opened(peering, engineer, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = SimpleUploadedFile("loa.html", b"%PDF-1.4\n%%EOF\n", content_type="text/html")
    ticket = services.ticket_open(
        peering=peering, prefixes=["80.10.5.0/24"], note=NOTE, actor=Actor.person(engineer), evidence_files=[upload]
    )
    assert ticket.evidence.get().original_name == "loa.html.pdf"
