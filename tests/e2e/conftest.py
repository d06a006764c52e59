"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser)."""

from pathlib import Path

import pytest

from devtools.bench.latency import CHROMIUM, CHROMIUM_ARGS  # the bench's latency section starts the same browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}}


def _collect_browser_errors(page, errors):
    """Chromium logs a CSP refusal to the console only for some directives; every refusal reaches the
    page's `securitypolicyviolation` event, which the init script (run by the browser, so exempt
    from the CSP) turns into a console error."""
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))


def _requests_in_flight(page):
    """The page's requests the server has not answered yet, kept up to date by the page's events."""
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    return in_flight


def _wait_until_answered(page, in_flight, seconds=10):
    """A test may end while a fragment the page loads by itself (history, a poll) is still being
    answered; the database flush after the test would then meet that request's locks and fail."""
    waited = 0
    while in_flight and not page.is_closed() and waited < seconds * 1000:
        page.wait_for_timeout(50)
        waited += 50


@pytest.fixture
def browser_errors():
    return []


@pytest.fixture(autouse=True)
def no_browser_errors(page, browser_errors):
    """Every browser test also proves the pages run under the CSP: no script error, no refusal, on
    `page` and on every page opened with `other_user_page`."""
    _collect_browser_errors(page, browser_errors)
    in_flight = _requests_in_flight(page)
    yield
    _wait_until_answered(page, in_flight)
    assert browser_errors == []


@pytest.fixture
def other_user_page(browser, browser_context_args, browser_errors):
    """A page in a browser context of its own (a second person, own cookies), watched like `page`."""
    contexts, pages = [], []

    def open_page():
        contexts.append(browser.new_context(**browser_context_args))
        page = contexts[-1].new_page()
        _collect_browser_errors(page, browser_errors)
        pages.append((page, _requests_in_flight(page)))
        return page

    yield open_page
    for page, in_flight in pages:
        _wait_until_answered(page, in_flight)
    for context in contexts:
        context.close()


REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  console.error(`CSP refused ${event.violatedDirective}: ${event.blockedURI || "inline"} (${where})`);
});
"""


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/ (gitignored); returns its path."""

    def take(name, *, full_page=True):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        # caret="initial": hiding the caret makes Playwright inject a <style>, which the CSP refuses.
        page.screenshot(path=str(path), full_page=full_page, caret="initial")
        return path

    return take


@pytest.fixture
def fast_live_polls(settings):
    """Poll every second so a test waits seconds, not minutes, for the page to update itself."""
    settings.ONRAMP_LIVE_POLL_SECONDS = 1
    settings.ONRAMP_LIVE_POLL_ONBOARDED_SECONDS = 1


@pytest.fixture
def log_in(page, live_server):
    def log_in_as(username, password="pass-for-tests"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()

    return log_in_as


@pytest.fixture(scope="session", autouse=True)
def live_server_closes_its_connections():
    """The live server answers each request in a new thread; with persistent connections
    (CONN_MAX_AGE) those threads would leave sessions open and the test database could not be
    dropped at the end."""
    from django.db import connections

    connections.settings["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture
def role_groups(transactional_db):
    """Browser tests flush the database between tests, which removes the role groups the data
    migration made (and, after a serialized-rollback test, the permissions too): make them again."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.management import create_contenttypes

    from accounts.roles import ROLE_PERMISSIONS

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [perm.split(".") for perm in perms]
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in codenames]
        )


@pytest.fixture
def catalog(db):
    """One Layer 2 provider at one location whose simulated provider never fails nor dawdles."""
    from tests.circuits.factories import PeeringLocationFactory, ServiceProviderFactory

    location = PeeringLocationFactory(name="Amsterdam", zone="Zone 1", azure_region="westeurope")
    return ServiceProviderFactory(
        name="Contoso Fiber",
        layer="Layer2",
        peering_locations=[location],
        simulated_failure_rate=0,
        simulated_slow_rate=0,
    )
