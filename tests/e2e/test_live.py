"""Live regions in the browser: they pause while the tab is hidden and notice an ended session."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.circuits.factories import CircuitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

POLL_WAIT_MS = 15_000


# Long enough that no periodic poll can fall inside a test's one-second wait.
SLOW_POLL_SECONDS = 60


@pytest.fixture
def open_circuit_page(page, live_server, log_in, catalog):
    """An engineer looking at a circuit that is still onboarding (so its page polls)."""

    def open_page():
        circuit = CircuitFactory(name="er-watched", service_provider=catalog)
        UserFactory(username="nina", role="engineer", team=circuit.team)
        log_in("nina")
        page.goto(f"{live_server.url}{circuit.get_absolute_url()}")
        return page

    return open_page


@pytest.fixture
def watched_page(open_circuit_page, fast_live_polls):
    return open_circuit_page()


@pytest.fixture
def slowly_polled_page(open_circuit_page, settings):
    settings.ONRAMP_LIVE_POLL_SECONDS = SLOW_POLL_SECONDS
    return open_circuit_page()


def _polls(page):
    polls = []
    page.on("request", lambda request: polls.append(request.url) if "?v=" in request.url else None)
    return polls


def test_live_polling_pauses_while_the_tab_is_hidden(watched_page):
    page = watched_page
    polls = _polls(page)
    page.wait_for_timeout(2500)
    assert polls, "the page polls while visible"

    page.evaluate(HIDE_TAB)
    polls.clear()
    page.wait_for_timeout(3000)
    assert polls == []


def test_polling_resumes_at_once_when_the_tab_shows_again(slowly_polled_page):
    """With a minute between polls, a poll within a second of the tab showing is the immediate one."""
    page = slowly_polled_page
    assert page.locator("[data-live]").get_attribute("data-poll-seconds") == str(SLOW_POLL_SECONDS)
    polls = _polls(page)
    page.evaluate(HIDE_TAB)
    page.wait_for_timeout(1000)
    assert polls == [], "no periodic poll is due for a minute"

    with page.expect_request(lambda request: "?v=" in request.url, timeout=1000):
        page.evaluate(SHOW_TAB)


HIDE_TAB = """() => {
  Object.defineProperty(document, "hidden", {value: true, configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
}"""
SHOW_TAB = """() => {
  Object.defineProperty(document, "hidden", {value: false, configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_page_whose_session_ended_shows_the_log_in_page(watched_page):
    watched_page.context.clear_cookies()
    expect(watched_page.get_by_role("heading", name="Log in to Onramp")).to_be_visible(timeout=POLL_WAIT_MS)


def test_an_onboarded_circuit_page_shows_a_bgp_session_dropping(page, live_server, log_in, catalog, fast_live_polls):
    from circuits.models import Circuit
    from peerings.models import BgpSession
    from tests.circuits.factories import VNetLinkFactory
    from tests.peerings.factories import PeeringFactory

    peering = PeeringFactory(circuit__service_provider=catalog, sessions="Established")
    VNetLinkFactory(circuit=peering.circuit, connection_status="Connected")
    UserFactory(username="nina", role="engineer", team=peering.circuit.team)
    log_in("nina")
    page.goto(f"{live_server.url}{peering.circuit.get_absolute_url()}")
    expect(page.locator("#circuit-head")).to_contain_text("Onboarded")

    BgpSession.objects.filter(peering=peering, link="primary").update(state="Idle")
    Circuit.objects.filter(pk=peering.circuit.pk).update(version=peering.circuit.version + 1)

    expect(page.locator("#circuit-head")).not_to_contain_text("Onboarded", timeout=POLL_WAIT_MS)
    expect(page.locator("#circuit-main")).to_contain_text("BGP not established on the primary link")


def test_the_circuit_page_loads_its_timeline_after_it_and_again_after_a_change(watched_page):
    from audit.services import audit_event_record
    from circuits.models import Circuit
    from core.actors import SYSTEM

    history = watched_page.locator("#circuit-history")
    expect(history).to_contain_text("Timeline")
    expect(history).not_to_contain_text("Flagged stuck")
    circuit = Circuit.objects.get(name="er-watched")
    audit_event_record(
        obj=circuit, field="is_stuck", from_value=False, to_value=True, actor=SYSTEM, circuit_id=circuit.pk
    )
    Circuit.objects.filter(pk=circuit.pk).update(version=circuit.version + 1)
    expect(history).to_contain_text("Flagged stuck", timeout=POLL_WAIT_MS)
