"""Pages fit a phone: nothing wider than a 390 px viewport scrolls the whole page sideways."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.circuits.factories import AuthorizationFactory, CircuitFactory, ProviderOrderFactory, VNetLinkFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

PHONE_WIDTH = 390
PAGE_WIDTH = "() => document.scrollingElement.scrollWidth"


@pytest.fixture
def busy_circuit(catalog):
    """A circuit with one of everything its page shows, with long Azure identifiers."""
    circuit = CircuitFactory(name="er-ams-production-primary-01", service_provider=catalog, provisioned=True)
    ProviderOrderFactory(circuit=circuit)
    PeeringFactory(circuit=circuit, sessions="Established")
    microsoft = PeeringFactory(circuit=circuit, microsoft=True, vlan_id=3000)
    AdvertisedPrefixFactory(peering=microsoft, prefix="80.1.16.0/22", validation_state="ValidationNeeded")
    VNetLinkFactory(circuit=circuit, authorization=AuthorizationFactory(circuit=circuit))
    UserFactory(username="nina", role="engineer", team=circuit.team)
    return circuit


@pytest.mark.parametrize("path", ["", "links/add/"])
def test_the_circuit_page_and_the_vnet_link_form_fit_a_phone(page, live_server, log_in, busy_circuit, path):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    log_in("nina")
    page.goto(f"{live_server.url}{busy_circuit.get_absolute_url()}{path}")
    assert page.evaluate(PAGE_WIDTH) <= PHONE_WIDTH, page.evaluate(WIDEST)


PHONE = {"width": PHONE_WIDTH, "height": 844}
DOCUMENT_WIDTH = "() => document.documentElement.scrollWidth"


@pytest.mark.parametrize(
    "page_of", [lambda circuit: circuit.get_absolute_url(), lambda circuit: "/circuits/"], ids=["circuit", "list"]
)
def test_the_circuit_page_and_the_list_are_no_wider_than_a_phone(page, live_server, log_in, busy_circuit, page_of):
    """Wide tables (BGP summaries, VNet resource ids, the list's columns) scroll inside their card."""
    page.set_viewport_size(PHONE)
    log_in("nina")
    page.goto(f"{live_server.url}{page_of(busy_circuit)}")
    assert page.evaluate(DOCUMENT_WIDTH) <= PHONE_WIDTH, page.evaluate(WIDEST)


# On failure: the last elements reaching past the phone's edge, to find the culprit.
WIDEST = f"""() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > {PHONE_WIDTH})
  .slice(-5)
  .map((el) => `${{el.tagName}}.${{el.className}} ${{Math.round(el.getBoundingClientRect().right)}}`)"""


def test_the_verification_tables_scroll_inside_their_card_on_a_phone(page, live_server, log_in, busy_circuit):
    page.set_viewport_size(PHONE)
    log_in("nina")
    page.goto(f"{live_server.url}{busy_circuit.get_absolute_url()}")
    page.get_by_role("button", name="Check now").click()
    expect(page.locator("#diagnostics")).to_contain_text("route table summary", timeout=15_000)
    assert page.evaluate(DOCUMENT_WIDTH) <= PHONE_WIDTH, page.evaluate(WIDEST)
