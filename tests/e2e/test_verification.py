"""Step 4's verification in the browser: "Check now" fills the section in place, and a colleague's open
page of the same circuit shows the new reading without reloading."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import PeeringFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

WAIT_MS = 15_000


def test_check_now_shows_each_links_arp_table_and_bgp_summary_on_every_open_page(
    page, live_server, log_in, catalog, fast_live_polls, other_user_page
):
    circuit = CircuitFactory(name="er-verify", service_provider=catalog, provisioned=True)
    PeeringFactory(circuit=circuit, sessions="Established")
    UserFactory(username="nina", role="engineer", team=circuit.team)
    UserFactory(username="omar", role="manager", team=circuit.team)
    url = f"{live_server.url}{circuit.get_absolute_url()}"

    colleague = other_user_page()
    colleague.goto(f"{live_server.url}/accounts/login/")
    colleague.get_by_label("Username").fill("omar")
    colleague.get_by_label("Password").fill("pass-for-tests")
    colleague.get_by_role("button", name="Log in").click()
    colleague.goto(url)
    expect(colleague.locator("#diagnostics")).to_contain_text("Not checked yet")

    log_in("nina")
    page.goto(url)
    page.get_by_role("button", name="Check now").click()
    section = page.locator("#diagnostics")
    expect(section).to_contain_text("Read ", timeout=WAIT_MS)
    expect(section.get_by_role("table", name="AzurePrivatePeering: route table summary")).to_contain_text(
        "192.168.100.129"
    )
    expect(section.get_by_role("table", name="AzurePrivatePeering: ARP table")).to_contain_text("On-Prem")

    expect(colleague.locator("#diagnostics")).to_contain_text("192.168.100.133", timeout=WAIT_MS)
