"""Hostile input to manual prefix validation: ticket notes, prefixes and evidence uploads (mislabelled,
oversized, odd names), and the decisions' reasons and return addresses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from core.actors import Actor
from peerings.choices import TicketStatusChoices
from peerings.models import PrefixValidationTicket
from tests.accounts.factories import UserFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.support.hostile import CIDRS, MARKUP, hostile, hostile_text
from validation import services

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ELEVEN_MB = PDF + b"0" * (11 * 1024 * 1024)
CONTENTS = (
    PDF,
    PNG,
    b"",
    b"<html><script>alert(1)</script></html>",
    b"GIF89a" + b"\x00" * 20,
    b"%PD",
    b"MZ\x90\x00",
    ELEVEN_MB,
)
CONTENT_TYPES = ("application/pdf", "image/png", "image/jpeg", "text/html", "application/x-msdownload", "")
FILE_NAMES = st.one_of(
    st.sampled_from(["loa.pdf", "loa.png", "../../etc/passwd.pdf", "loa.pdf.exe", ".pdf", "a" * 300 + ".pdf"]),
    hostile_text(max_size=60).map(lambda name: name + ".pdf"),
    st.integers(min_value=20, max_value=120).map(lambda n: "💥" * n + ".pdf"),
    st.sampled_from(MARKUP).map(lambda markup: markup + ".pdf"),
)
UPLOADS = st.lists(
    st.builds(
        lambda name, content, content_type: SimpleUploadedFile(name or "x", content, content_type=content_type),
        FILE_NAMES,
        st.sampled_from(CONTENTS),
        st.sampled_from(CONTENT_TYPES),
    ),
    max_size=6,
)
RETURN_ADDRESSES = st.one_of(
    st.sampled_from(
        [
            "//evil.example/",
            "https://evil.example/",
            "javascript:alert(1)",
            "/\\evil.example",
            "\\\\evil.example",
            "https:evil.example",
            "/approvals/",
            " //evil.example",
            "\x00//evil.example",
        ]
    ),
    hostile_text(),
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def peering(team):
    """A Microsoft peering of the engineer's team whose prefix needs manual validation."""
    peering = PeeringFactory(circuit__team=team, microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    AdvertisedPrefixFactory(peering=peering, prefix="80.10.5.0/24", validation_state="ValidationNeeded")
    return peering


@pytest.fixture
def ticket(peering, engineer):
    return services.ticket_open(
        peering=peering, prefixes=["80.10.5.0/24"], note="LOA attached.", actor=Actor.person(engineer)
    )


@hostile
@given(
    note=hostile_text(max_size=2000),
    prefixes=st.lists(st.one_of(st.just("80.10.5.0/24"), st.sampled_from(CIDRS), hostile_text()), max_size=3),
    uploads=UPLOADS,
)
def test_ticket_open_survives_hostile_notes_prefixes_and_uploads(
    engineer_client, peering, hostile_request, note, prefixes, uploads
):
    url = reverse("approvals:ticket_create", kwargs={"peering_pk": peering.pk})
    form = {"note": note, "prefixes": prefixes, "evidence": uploads}
    response = hostile_request(engineer_client, "post", url, form)
    if response.status_code == 302:
        assert all(upload.size <= 10 * 1024 * 1024 for upload in uploads)


@hostile
@given(reason=hostile_text(max_size=2000), back=RETURN_ADDRESSES, decision=st.sampled_from(["approve", "reject"]))
def test_decisions_survive_hostile_reasons_and_never_redirect_off_site(
    client, ticket, hostile_request, reason, back, decision
):
    client.force_login(UserFactory(username="decider", role="approver", team=ticket.peering.circuit.team))
    url = reverse(f"approvals:ticket_{decision}", kwargs={"pk": ticket.pk})
    form = {"reason": reason, "next": back}
    response = hostile_request(client, "post", url, form, accepted=decided(ticket), shown_on=ticket_url(ticket))
    assert_stays_on_site(response)


@hostile
@given(reason=hostile_text(max_size=2000), back=RETURN_ADDRESSES, htmx=st.booleans())
def test_withdraw_survives_hostile_reasons_and_never_redirects_off_site(
    engineer_client, ticket, hostile_request, reason, back, htmx
):
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("approvals:ticket_withdraw", kwargs={"pk": ticket.pk})
    form = {"reason": reason, "next": back}
    response = hostile_request(engineer_client, "post", url, form, accepted=decided(ticket), headers=headers)
    assert_stays_on_site(response)


def decided(ticket):
    """A decision is taken when the ticket left Open; a refusal answers 302 too, with a message."""
    return lambda response: PrefixValidationTicket.objects.get(pk=ticket.pk).status != TicketStatusChoices.OPEN


def ticket_url(ticket):
    return reverse("approvals:ticket_detail", kwargs={"pk": ticket.pk})


def assert_stays_on_site(response):
    if response.status_code == 302:
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location


@hostile
@given(uploads=UPLOADS)
@example(uploads=[SimpleUploadedFile("💥" * 120 + ".pdf", PDF, content_type="image/png")])
@example(uploads=[SimpleUploadedFile("a" * 300 + ".pdf", PDF, content_type="application/pdf")])
@example(uploads=[SimpleUploadedFile("loa.pdf", b"<html><script>x()</script>", content_type="application/pdf")])
@example(uploads=[SimpleUploadedFile("loa.pdf", ELEVEN_MB, content_type="application/pdf")])
def test_evidence_uploads_are_checked_by_content_and_size_whatever_their_name_or_label(
    engineer_client, peering, hostile_request, uploads
):
    url = reverse("approvals:ticket_create", kwargs={"peering_pk": peering.pk})
    form = {"note": "LOA attached.", "prefixes": ["80.10.5.0/24"], "evidence": uploads}
    response = hostile_request(engineer_client, "post", url, form)
    taken = [upload for upload in uploads if upload.size]
    if response.status_code == 302:
        assert len(taken) <= 5
        assert all(upload.size <= 10 * 1024 * 1024 and head(upload) in (PDF[:4], PNG[:4]) for upload in taken)


def head(upload):
    upload.seek(0)
    return upload.read(4)
