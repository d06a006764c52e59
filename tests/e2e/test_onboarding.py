"""A new engineer onboards a circuit end to end in the browser; the page follows the provider by itself."""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from circuits.models import Circuit
from sync import polling
from sync.sources.simulator import Simulator
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

# ONRAMP_UPDATE_SCREENSHOTS=1 ./scripts/test tests/e2e refreshes the README's screenshot.
README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "circuit.png"
SUBSCRIPTION = "3f2a8c1e-5b7d-4e21-9c3a-1d2e3f4a5b6c"
POLL_WAIT_MS = 15_000


def provider_moves_on(circuit_name, until):
    """Play the provider (the simulator, sped up) until `until(circuit)` holds. The page is not touched:
    it must notice the change through its own live polling."""
    simulator = Simulator(speed=1e9)  # days of provider work in well under a millisecond
    for _ in range(20):
        circuit = Circuit.objects.get(name=circuit_name)
        if until(circuit):
            return
        polling.circuit_check(circuit_id=circuit.pk, source=simulator)
    raise AssertionError(f"the simulator did not get {circuit_name} there")


@pytest.fixture
def background_work(db):
    """The test plays Celery's beat and worker (it drives the simulator), so it records their heartbeats."""
    from health.services import heartbeat_record

    heartbeat_record(name="beat")
    heartbeat_record(name="worker")


def test_a_new_engineer_onboards_a_circuit_through_all_five_steps(
    background_work, page, live_server, log_in, screenshot, catalog, fast_live_polls
):
    UserFactory(username="nina", role="engineer", team=TeamFactory(name="Network Engineering"))
    log_in("nina")

    page.get_by_role("link", name="+ Create circuit").click()
    page.locator("#id_name").fill("er-ams-prod-01")
    page.get_by_label("Subscription ID").fill(SUBSCRIPTION)
    page.get_by_label("Resource group").fill("rg-network-weu")
    page.get_by_label("Service provider").select_option(label="Contoso Fiber")
    page.get_by_label("Peering location").select_option(label="Amsterdam")
    page.get_by_label("Bandwidth").select_option(label="1 Gbps")
    screenshot("01-create-circuit")
    page.get_by_role("button", name="Create circuit").click()

    circuit = Circuit.objects.get(name="er-ams-prod-01")
    expect(page.get_by_role("status").first).to_contain_text(f"give the service key {circuit.service_key}")
    screenshot("02-circuit-created")

    page.get_by_role("link", name="Record provider order").click()
    page.get_by_label("Provider reference").fill("CF-20331")
    page.get_by_role("button", name="Save order").click()
    expect(page.locator("#circuit-main")).to_contain_text("the provider has not started yet")

    provider_moves_on("er-ams-prod-01", until=lambda c: c.service_provider_provisioning_state == "Provisioned")
    head = page.locator("#circuit-head")
    expect(head.locator(".badge", has_text="Provisioned")).to_be_visible(timeout=POLL_WAIT_MS)
    screenshot("03-provisioned-by-itself")

    page.get_by_role("link", name="Configure peering").click()
    page.get_by_label("Peer ASN").fill("65010")
    page.get_by_label("VLAN ID").fill("100")
    page.get_by_label("Primary peer subnet (IPv4 /30)").fill("192.168.100.128/30")
    page.get_by_label("Secondary peer subnet (IPv4 /30)").fill("192.168.100.132/30")
    page.get_by_label("BGP MD5 key (optional)").fill("md5-typed-in-the-browser")
    page.get_by_role("button", name="Configure peering").click()
    expect(page.locator("#circuit-main")).to_contain_text("BGP not established")
    assert "md5-typed-in-the-browser" not in page.content()

    provider_moves_on(
        "er-ams-prod-01", until=lambda c: all(s.is_established for p in c.peerings.all() for s in p.bgp_sessions.all())
    )
    expect(page.locator("#circuit-main")).to_contain_text("BGP established on every peering", timeout=POLL_WAIT_MS)

    page.get_by_role("link", name="Link VNet").click()
    page.locator("#id_name").fill("hub-weu")
    page.get_by_label("VNet resource ID").fill(
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu"
    )
    page.get_by_label("Gateway name").fill("ergw-hub-weu")
    page.get_by_role("button", name="Link VNet").click()
    expect(page.locator("#circuit-main")).to_contain_text("Connecting: hub-weu")

    provider_moves_on("er-ams-prod-01", until=lambda c: c.vnet_links.filter(connection_status="Connected").exists())
    steps = page.locator(".stepper li")
    for number in range(5):
        expect(steps.nth(number)).to_contain_text("Done", timeout=POLL_WAIT_MS)
    expect(page.locator("#circuit-main")).to_contain_text("1 VNet link Connected.")
    screenshot("04-onboarded")
    readme_shot = screenshot("circuit", full_page=False)
    if os.environ.get("ONRAMP_UPDATE_SCREENSHOTS"):
        shutil.copyfile(readme_shot, README_SCREENSHOT)


def test_an_approver_opens_the_queue(page, log_in, screenshot, db):
    UserFactory(username="ada", role="approver")
    log_in("ada")
    page.get_by_role("link", name="Approvals").click()
    expect(page).to_have_url(re.compile(r"/approvals/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot("05-approver-queue")


def test_a_manager_sees_the_list_read_only(page, log_in, screenshot, catalog):
    circuit = CircuitFactory(name="er-read-only", service_provider=catalog)
    UserFactory(username="mia", role="manager", team=circuit.team)
    log_in("mia")
    expect(page.get_by_role("link", name="er-read-only")).to_be_visible()
    expect(page.get_by_role("link", name="+ Create circuit")).to_have_count(0)
    page.get_by_role("link", name="er-read-only").click()
    expect(page.get_by_role("heading", name=circuit.name)).to_be_visible()
    expect(page.get_by_role("link", name="Delete")).to_have_count(0)
    screenshot("06-manager-read-only")
