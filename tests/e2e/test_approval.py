"""An engineer asks for manual validation with a Letter of Authorization; an approver approves it."""

import pytest
from playwright.sync_api import expect

from core.actors import Actor
from peerings.models import Peering
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from validation import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

LOA = b"%PDF-1.4\n% Letter of Authorization\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def stuck_peering(settings, tmp_path):
    """A Microsoft peering whose prefix the registry could not match: ValidationNeeded."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    team = TeamFactory(name="Network Engineering")
    circuit = CircuitFactory(name="er-ams-m365", provisioned=True, team=team)
    peering = PeeringFactory(circuit=circuit, microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    AdvertisedPrefixFactory(
        peering=peering,
        prefix="80.10.5.0/24",
        validation_state="ValidationNeeded",
        reason="IRR: no route object in RIPE covers 80.10.5.0/24. Register one, or request manual validation.",
    )
    UserFactory(username="nina", role="engineer", team=team)
    UserFactory(username="omar", role="approver", team=team)
    return peering


def test_an_approver_approves_a_manual_validation_ticket(
    page, other_user_page, live_server, log_in, stuck_peering, tmp_path
):
    log_in("nina")
    page.goto(f"{live_server.url}/approvals/peerings/{stuck_peering.pk}/tickets/new/")
    page.get_by_label("Note").fill("The holder's Letter of Authorization for 80.10.5.0/24 is attached.")
    loa = tmp_path / "loa.pdf"
    loa.write_bytes(LOA)
    page.get_by_label("Evidence").set_input_files(str(loa))
    page.get_by_role("button", name="Open ticket").click()
    expect(page.get_by_role("heading", name="Manual validation ticket")).to_be_visible()

    approver = other_user_page()
    approver.goto(f"{live_server.url}/accounts/login/")
    approver.get_by_label("Username").fill("omar")
    approver.get_by_label("Password").fill("pass-for-tests")
    approver.get_by_role("button", name="Log in").click()
    approver.goto(f"{live_server.url}/approvals/")
    card = approver.locator("article", has_text="er-ams-m365")
    expect(card).to_contain_text("no route object in RIPE covers 80.10.5.0/24")
    expect(card.get_by_role("link", name="loa.pdf")).to_be_visible()
    card.get_by_label("Approval note (optional)").fill("LOA matches the RIPE holder.")
    card.get_by_role("button", name="Approve").click()

    expect(approver.locator("article", has_text="er-ams-m365")).to_contain_text("Approved by omar")
    peering = Peering.objects.get(pk=stuck_peering.pk)
    assert peering.advertised_public_prefixes_state == "Configured"


def test_a_decision_on_the_ticket_page_refreshes_its_subtitle_and_history(page, live_server, log_in, stuck_peering):
    engineer = UserFactory._meta.model.objects.get(username="nina")
    ticket = services.ticket_open(
        peering=stuck_peering, prefixes=["80.10.5.0/24"], note="LOA attached.", actor=Actor.person(engineer)
    )
    log_in("omar")
    page.goto(f"{live_server.url}/approvals/tickets/{ticket.pk}/")
    expect(page.locator("#ticket-subtitle")).to_contain_text("peering prefixes are ValidationNeeded")
    page.get_by_role("button", name="Approve").click()

    expect(page.locator("#ticket-subtitle")).to_contain_text("peering prefixes are Configured")
    expect(page.locator("#ticket-history")).to_contain_text("open → approved")
