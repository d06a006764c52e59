import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.actors import Actor
from notifications.models import Notification
from peerings.models import PrefixValidationTicket
from tests.accounts.factories import TeamFactory, UserFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from validation import services

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def peering(db):
    """A Microsoft peering whose two prefixes failed registry validation."""
    peering = PeeringFactory(microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    for prefix in ("80.10.5.0/24", "80.10.6.0/24"):
        AdvertisedPrefixFactory(
            peering=peering,
            prefix=prefix,
            validation_state="ValidationNeeded",
            reason=f"IRR: no route object in RIPE covers {prefix}; RPKI NotFound: no ROA covers it.",
        )
    return peering


@pytest.fixture
def ticket(peering, engineer):
    return services.ticket_open(
        peering=peering,
        prefixes=["80.10.5.0/24", "80.10.6.0/24"],
        note="LOA from the holder attached.",
        actor=Actor.person(engineer),
        evidence_files=[SimpleUploadedFile("loa.pdf", PDF, content_type="application/pdf")],
    )


def test_the_queue_is_for_approvers_only(client, engineer, manager):
    for user in (engineer, manager):
        client.force_login(user)
        assert client.get(reverse("approvals:queue")).status_code == 403


def test_the_queue_lists_open_tickets_oldest_first_with_age_and_findings(
    client, approver, ticket, peering, engineer, django_assert_num_queries
):
    other = PeeringFactory(microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    AdvertisedPrefixFactory(peering=other, prefix="81.0.0.0/24", validation_state="ValidationNeeded")
    newer = services.ticket_open(peering=other, prefixes=["81.0.0.0/24"], note="n", actor=Actor.person(engineer))
    client.force_login(approver)
    with django_assert_num_queries(5):  # 2 fewer since sessions are signed cookies and permissions one query
        page = client.get(reverse("approvals:queue")).content.decode()
    assert page.index(f"Ticket #{ticket.pk}") < page.index(f"Ticket #{newer.pk}")
    assert "no route object in RIPE covers 80.10.5.0/24" in page
    assert 'class="ticket-age"' in page and "loa.pdf" in page


def test_approve_configures_the_prefixes_and_the_peering(client, approver, ticket, peering):
    client.force_login(approver)
    response = client.post(reverse("approvals:ticket_approve", args=[ticket.pk]), {"reason": "LOA checked."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    peering.refresh_from_db()
    assert (ticket.status, ticket.decided_by, ticket.decision_reason) == ("approved", approver, "LOA checked.")
    assert peering.advertised_public_prefixes_state == "Configured"
    assert set(peering.advertised_prefixes.values_list("manual_validation_asn", flat=True)) == {peering.peer_asn}


def test_approve_over_htmx_returns_the_ticket_fragment_showing_the_decision(client, approver, ticket):
    client.force_login(approver)
    response = client.post(reverse("approvals:ticket_approve", args=[ticket.pk]), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="ticket-{ticket.pk}"' in body and "by appr" in body


def test_reject_needs_a_reason(client, approver, ticket):
    client.force_login(approver)
    response = client.post(
        reverse("approvals:ticket_reject", args=[ticket.pk]), {"reason": "  "}, headers={"HX-Request": "true"}
    )
    assert "Say why" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_reject_with_a_reason_leaves_the_prefixes_in_validation_needed(client, approver, ticket, peering):
    client.force_login(approver)
    client.post(reverse("approvals:ticket_reject", args=[ticket.pk]), {"reason": "The LOA is not signed."})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.decision_reason) == ("rejected", "The LOA is not signed.")
    assert set(peering.advertised_prefixes.values_list("validation_state", flat=True)) == {"ValidationNeeded"}


def test_an_engineer_cannot_approve(client, engineer, ticket):
    client.force_login(engineer)
    assert client.post(reverse("approvals:ticket_approve", args=[ticket.pk])).status_code == 403


def test_an_approver_cannot_decide_a_ticket_they_opened(client, peering):
    both = UserFactory(username="both", role="approver", team=peering.circuit.team)
    both.groups.add(*UserFactory(username="tmp-eng", role="engineer").groups.all())
    ticket = services.ticket_open(peering=peering, prefixes=["80.10.5.0/24"], note="n", actor=Actor.person(both))
    client.force_login(both)
    page = client.get(reverse("approvals:queue")).content.decode()
    assert "another approver decides it" in page
    response = client.post(reverse("approvals:ticket_approve", args=[ticket.pk]), headers={"HX-Request": "true"})
    assert "four eyes" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_the_requester_may_withdraw(client, engineer, ticket):
    client.force_login(engineer)
    client.post(reverse("approvals:ticket_withdraw", args=[ticket.pk]), {"next": "https://evil.example/"})
    ticket.refresh_from_db()
    assert ticket.status == "withdrawn"


def test_someone_else_cannot_withdraw(client, ticket, team):
    colleague = UserFactory(username="colleague", role="engineer", team=ticket.peering.circuit.team)
    client.force_login(colleague)
    client.post(reverse("approvals:ticket_withdraw", args=[ticket.pk]))
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_a_decision_notifies_the_requester_and_the_watchers(client, approver, ticket, engineer):
    watcher = UserFactory(username="watcher", role="engineer", team=ticket.peering.circuit.team)
    client.force_login(approver)
    client.post(reverse("approvals:ticket_approve", args=[ticket.pk]))
    notified = set(Notification.objects.filter(kind="ticket_approved").values_list("user__username", flat=True))
    assert notified == {engineer.username, watcher.username}


def test_opening_a_ticket_notifies_the_approvers(approver, ticket):
    assert Notification.objects.filter(user=approver, kind="ticket_open").exists()


def test_the_second_decision_sees_who_decided_first(client, approver, ticket):
    other = UserFactory(username="appr2", role="approver", team=ticket.peering.circuit.team)
    client.force_login(approver)
    client.post(reverse("approvals:ticket_approve", args=[ticket.pk]))
    client.force_login(other)
    response = client.post(
        reverse("approvals:ticket_reject", args=[ticket.pk]), {"reason": "no"}, headers={"HX-Request": "true"}
    )
    assert "was already approved by appr" in response.content.decode()


def test_an_engineer_opens_a_ticket_with_evidence(client, engineer, peering):
    client.force_login(engineer)
    url = reverse("approvals:ticket_create", args=[peering.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "prefixes": ["80.10.5.0/24"],
            "note": "Holder's LOA.",
            "evidence": [SimpleUploadedFile("loa.pdf", PDF), SimpleUploadedFile("scan.png", PNG)],
        },
    )
    ticket = PrefixValidationTicket.objects.get()
    assert response.url == reverse("approvals:ticket_detail", args=[ticket.pk])
    assert sorted(ticket.evidence.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]


def test_evidence_that_is_not_a_pdf_or_image_is_refused_next_to_the_field(client, engineer, peering):
    client.force_login(engineer)
    response = client.post(
        reverse("approvals:ticket_create", args=[peering.pk]),
        {"prefixes": ["80.10.5.0/24"], "note": "n", "evidence": [SimpleUploadedFile("loa.pdf", b"MZ\x90\x00 exe")]},
    )
    assert "is not a PDF, PNG or JPEG file" in response.content.decode()
    assert not PrefixValidationTicket.objects.exists()


def test_a_ticket_is_only_for_prefixes_of_a_peering_in_validation_needed(client, engineer, peering):
    peering.advertised_public_prefixes_state = "Configured"
    peering.save()
    client.force_login(engineer)
    response = client.post(
        reverse("approvals:ticket_create", args=[peering.pk]), {"prefixes": ["80.10.5.0/24"], "note": "n"}
    )
    assert "a ticket is for ValidationNeeded" in response.content.decode()


def test_managers_and_approvers_cannot_open_tickets(client, manager, approver, peering):
    for user in (manager, approver):
        client.force_login(user)
        assert client.get(reverse("approvals:ticket_create", args=[peering.pk])).status_code == 403


def test_evidence_is_served_as_an_attachment_with_its_checked_type(client, approver, ticket):
    evidence = ticket.evidence.get()
    client.force_login(approver)
    response = client.get(reverse("approvals:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="loa.pdf"'
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("role", ["engineer", "approver", "manager"])
def test_evidence_and_tickets_of_another_team_answer_404(client, ticket, role):
    client.force_login(UserFactory(username="outsider", role=role, team=TeamFactory(name="Elsewhere")))
    assert client.get(reverse("approvals:evidence_download", args=[ticket.evidence.get().pk])).status_code == 404
    assert client.get(reverse("approvals:ticket_detail", args=[ticket.pk])).status_code == 404


def test_opening_a_ticket_on_another_teams_peering_answers_404_and_opens_nothing(client, peering):
    """Issue 11 item 1: the permission alone let another team's engineer get this peering Configured."""
    client.force_login(UserFactory(username="outsider", role="engineer", team=TeamFactory(name="Elsewhere")))
    url = reverse("approvals:ticket_create", args=[peering.pk])
    assert client.get(url).status_code == 404
    evidence = SimpleUploadedFile("loa.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"prefixes": ["80.10.5.0/24"], "note": "mine now", "evidence": evidence})
    assert response.status_code == 404
    assert not PrefixValidationTicket.objects.exists()


def test_approvers_decide_only_their_own_teams_tickets(client, ticket):
    client.force_login(UserFactory(username="outsider", role="approver", team=TeamFactory(name="Elsewhere")))
    assert client.post(reverse("approvals:ticket_approve", args=[ticket.pk]), {"reason": "ok"}).status_code == 404
    assert ticket.pk not in [t.pk for t in client.get(reverse("approvals:queue")).context["tickets"]]
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_opening_a_ticket_notifies_only_the_approvers_of_the_team(ticket):
    outsider = UserFactory(username="outsider", role="approver", team=TeamFactory(name="Elsewhere"))
    AdvertisedPrefixFactory(peering=ticket.peering, prefix="80.10.7.0/24", validation_state="ValidationNeeded")
    services.ticket_open(
        peering=ticket.peering, prefixes=["80.10.7.0/24"], note="n", actor=Actor.person(ticket.requested_by)
    )
    assert not Notification.objects.filter(user=outsider).exists()


def test_evidence_is_not_under_the_static_web_root(ticket, settings):
    path = ticket.evidence.get().file.path
    assert path.startswith(settings.MEDIA_ROOT) and not path.startswith(str(settings.STATIC_ROOT))


def test_the_requester_sees_the_ticket_and_its_history(client, engineer, ticket):
    client.force_login(engineer)
    page = client.get(reverse("approvals:ticket_detail", args=[ticket.pk])).content.decode()
    assert "LOA from the holder attached." in page and "Withdraw" in page


def test_the_ticket_page_needs_a_constant_number_of_queries(client, approver, ticket, django_assert_num_queries):
    client.force_login(approver)
    with django_assert_num_queries(6):  # 2 fewer since sessions are signed cookies and permissions one query
        assert client.get(reverse("approvals:ticket_detail", args=[ticket.pk])).status_code == 200


def test_only_microsoft_peerings_take_tickets(client, engineer):
    client.force_login(engineer)
    assert client.get(reverse("approvals:ticket_create", args=[PeeringFactory().pk])).status_code == 404


def test_decisions_are_post_only(client, approver, ticket):
    client.force_login(approver)
    assert client.get(reverse("approvals:ticket_approve", args=[ticket.pk])).status_code == 405


def test_a_decision_on_the_ticket_page_also_refreshes_its_subtitle_and_history(client, approver, ticket):
    client.force_login(approver)
    page = reverse("approvals:ticket_detail", args=[ticket.pk])
    response = client.post(
        reverse("approvals:ticket_approve", args=[ticket.pk]),
        {"reason": "LOA checked."},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"},
    )
    body = response.content.decode()
    assert f'id="ticket-{ticket.pk}"' in body
    assert 'id="ticket-subtitle" hx-swap-oob="innerHTML"' in body and "peering prefixes are Configured" in body
    assert 'id="ticket-history" hx-swap-oob="innerHTML"' in body and "open → approved" in body


def test_a_decision_on_the_queue_swaps_only_the_ticket_card(client, approver, ticket):
    client.force_login(approver)
    response = client.post(
        reverse("approvals:ticket_approve", args=[ticket.pk]),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{reverse('approvals:queue')}"},
    )
    assert "hx-swap-oob" not in response.content.decode()


def test_the_browser_never_cuts_a_ticket_note(client, engineer, peering):
    client.force_login(engineer)
    page = client.get(reverse("approvals:ticket_create", args=[peering.pk])).content.decode()
    assert 'name="note"' in page and "maxlength" not in page
