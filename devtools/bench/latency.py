"""The bench's `latency` section: a change in the source to an open browser (issue 15: under 10 s).

A browser (Debian's chromium, driven by Playwright) shows a circuit's page, Provisioning. Each
round the simulated provider finishes (its planned step comes due now), the simulator posts the
Event Grid event Azure would publish for it to /hooks/azure/ (devtools.azure_events, as `manage.py
emit_azure_events` does), a real Celery worker checks the circuit, and the clock stops when the page,
by its own live poll, shows Provisioned. The sweep is not running: only the event can bring it.
The page stays open across rounds, and each change comes at a random moment of its poll interval
(seeded), as a provider's would: the figure is the check's time plus the wait for the next poll.
"""

import random
import time
from statistics import median

import requests
from playwright.sync_api import sync_playwright

from circuits.models import Circuit
from devtools.azure_events import write_success_event

from .http import percentile

CHROMIUM = "/usr/bin/chromium"  # Debian's, never a downloaded browser
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TARGET_SECONDS = 10
# The circuit goes back to Provisioning before each round, its provider's step planned for later.
PROVISIONING = """
UPDATE circuits_circuit SET service_provider_provisioning_state = 'Provisioning', simulator_step = 'provisioned',
    simulator_step_due_at = now() + interval '1 day', last_checked_at = now(), check_queued_at = NULL,
    is_stuck = false, version = version + 1
WHERE id = %s"""
PROVIDER_FINISHES = "UPDATE circuits_circuit SET simulator_step_due_at = now() WHERE id = %s RETURNING now()"
CHECKED_AT = "SELECT last_checked_at FROM circuits_circuit WHERE id = %s"
CIRCUIT = "SELECT subscription_id, resource_group, name, resource_id FROM circuits_circuit WHERE id = %s"


PROVIDER_STATE_BADGE = "#circuit-head .badges .badge"  # the first badge of the head region a poll replaces


def provider_state_badge(page):
    """The circuit page's provider state badge."""
    return page.locator(PROVIDER_STATE_BADGE).first


def provider_state_shown(page, state, *, timeout_ms):
    """Wait until the page shows `state`, looked at every animation frame: Playwright's `expect`
    retries at growing intervals (up to a second), which would add to the figure."""
    page.wait_for_function(
        "([selector, state]) => document.querySelector(selector)?.textContent.trim() === state",
        arg=[PROVIDER_STATE_BADGE, state],
        timeout=timeout_ms,
    )


def event_posted(base_url, key, circuit: Circuit) -> dict:
    """Post what Azure would publish for `circuit` to Onramp's Event Grid endpoint; its counts."""
    response = requests.post(
        f"{base_url}/hooks/azure/", json=[write_success_event(circuit)], headers={"X-Onramp-Event-Key": key}, timeout=10
    )
    response.raise_for_status()
    return response.json()


def _summary(seconds):
    return {"seconds": seconds, "median": median(seconds), "p95": percentile(seconds, 0.95)}


def event_to_browser(*, base_url, username, password, circuit_id, key, sql, rounds, timeout_s=60, seed=15) -> dict:
    """Seconds from the provider's change to the page showing it (median, p95, each round), and to
    the database (the check that applied it)."""
    subscription, group, name, resource_id = sql(CIRCUIT, (circuit_id,))[0]
    circuit = Circuit(subscription_id=subscription, resource_group=group, name=name, resource_id=resource_id)
    phase = random.Random(seed)
    to_browser, to_database = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base_url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        poll_seconds = None
        for _ in range(rounds):
            # Back to Provisioning behind the services' back, so the page is loaded again: a poll
            # answered from the cache would not see a raw write (circuits/stamps.py).
            sql(PROVISIONING, (circuit_id,))
            page.goto(f"{base_url}/circuits/{circuit_id}/")
            poll_seconds = float(page.locator("[data-live]").get_attribute("data-poll-seconds"))
            provider_state_shown(page, "Provisioning", timeout_ms=timeout_s * 1000)
            page.wait_for_timeout(phase.uniform(0, poll_seconds * 1000))
            started = time.monotonic()
            [(changed_at,)] = sql(PROVIDER_FINISHES, (circuit_id,))
            counts = event_posted(base_url, key, circuit)
            if counts.get("matched") != 1:
                raise RuntimeError(f"The event queued no check of circuit {circuit_id}: {counts}")
            provider_state_shown(page, "Provisioned", timeout_ms=timeout_s * 1000)
            to_browser.append(time.monotonic() - started)
            to_database.append((sql(CHECKED_AT, (circuit_id,))[0][0] - changed_at).total_seconds())
        browser.close()
    return {**_summary(to_browser), "poll_seconds": poll_seconds, "to_database": _summary(to_database)}
