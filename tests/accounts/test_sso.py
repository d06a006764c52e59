"""Single sign-on end to end against a real OpenID Connect provider (tests/support/oidc_provider)
started on 127.0.0.1: real redirects, a real code exchange, an RS256 ID token checked against the
provider's JWKS. Only Onramp's side runs in the test client."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import GroupMapping
from accounts.oidc import provider_metadata
from accounts.roles import APPROVER, ENGINEER
from tests.accounts.factories import TeamFactory, UserFactory
from tests.support.oidc_provider.serve import CLIENT_ID, CLIENT_SECRET, EMAIL, PASSWORD, USERNAME

REPOSITORY = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/accounts/oidc/callback/"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The provider's base URL while its server runs in a subprocess."""
    port = _free_port()
    database = tmp_path_factory.mktemp("oidc-provider") / "provider.sqlite3"
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.oidc_provider.serve", str(port), CALLBACK],
        cwd=REPOSITORY,
        env={**os.environ, "OIDC_PROVIDER_DATABASE": str(database)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if server.poll() is not None:
                pytest.fail(f"The test OIDC provider exited: {server.stderr.read().decode()[-2000:]}")
            try:
                requests.get(f"{base_url}/openid/.well-known/openid-configuration", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.1)  # waiting for a server to start, not timing the code under test
        else:
            pytest.fail("The test OIDC provider did not start within 30 s")
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def sso(provider, settings):
    """Onramp configured the way a company configures it for Entra ID: an issuer, a client, a secret."""
    settings.ONRAMP_OIDC_ISSUER = f"{provider}/openid"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.ONRAMP_OIDC_NAME = "Test provider"
    provider_metadata.cache_clear()
    yield provider
    provider_metadata.cache_clear()


def _directory_sets_groups(provider, *groups):
    requests.post(f"{provider}/test/groups/{USERNAME}/", data={"groups": ",".join(groups)}, timeout=5)


def _provider_callback(client):
    """Click "Sign in with", sign in at the provider, follow its redirects: the URL it sends the
    browser back to (Onramp's callback with a code)."""
    browser = requests.Session()
    location = client.get(reverse("oidc_authentication_init"))["Location"]
    while not location.startswith(CALLBACK):
        response = browser.get(location, allow_redirects=False, timeout=5)
        if response.status_code == 200:  # the provider's log-in form
            next_url = re.search(r'name="next" value="([^"]*)"', response.text).group(1).replace("&amp;", "&")
            response = browser.post(
                response.url,
                data={
                    "username": USERNAME,
                    "password": PASSWORD,
                    "next": next_url,
                    "csrfmiddlewaretoken": browser.cookies["csrftoken"],
                },
                allow_redirects=False,
                timeout=5,
            )
        assert response.status_code == 302, response.text[:500]
        location = requests.compat.urljoin(response.url, response.headers["Location"])
    callback = urlsplit(location)
    return f"{callback.path}?{callback.query}"


def _sign_in(client):
    return client.get(_provider_callback(client))


def _roles(user):
    return set(user.groups.values_list("name", flat=True))


@pytest.fixture
def mappings(db):
    UserFactory(username="role-groups", role=ENGINEER)  # the role groups exist
    network_team = TeamFactory(name="Network Engineering")
    GroupMapping.objects.create(claim_value="net-eng", role=Group.objects.get(name=ENGINEER), team=network_team)
    GroupMapping.objects.create(claim_value="change-board", role=Group.objects.get(name=APPROVER))
    return network_team


def test_the_login_page_offers_the_provider(sso, client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Test provider" in page


def test_an_engineer_signs_in_with_the_provider_and_gets_the_mapped_role_and_team(sso, client, mappings):
    _directory_sets_groups(sso, "net-eng", "not-mapped")

    response = _sign_in(client)

    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(email=EMAIL)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert _roles(user) == {ENGINEER}
    assert list(user.teams.all()) == [mappings]
    assert not user.has_usable_password()


def test_the_mapping_is_reapplied_at_each_login(sso, client, mappings):
    _directory_sets_groups(sso, "net-eng")
    _sign_in(client)
    client.post(reverse("logout"))

    _directory_sets_groups(sso, "change-board")
    _sign_in(client)

    user = get_user_model().objects.get(email=EMAIL)
    assert _roles(user) == {APPROVER}
    assert not user.teams.exists()


def test_a_wrong_client_secret_signs_nobody_in(sso, client, settings, mappings):
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"

    response = _sign_in(client)

    assert response["Location"] == settings.LOGIN_REDIRECT_URL_FAILURE
    assert "_auth_user_id" not in client.session


def test_a_stolen_or_replayed_callback_signs_nobody_in(sso, client, settings, mappings):
    callback = _provider_callback(client)
    thief = Client()

    stolen = thief.get(callback)  # another browser: the state is not in its session
    client.get(callback)
    replayed = client.get(callback)  # the state was used up by the first use

    assert stolen["Location"] == replayed["Location"] == settings.LOGIN_REDIRECT_URL_FAILURE
    assert "_auth_user_id" not in thief.session


def test_an_unreachable_provider_is_explained_on_the_login_page(sso, client, settings):
    settings.ONRAMP_OIDC_ISSUER = f"http://127.0.0.1:{_free_port()}/openid"

    response = client.get(reverse("oidc_authentication_init"), follow=True)

    assert "Test provider cannot be reached" in response.content.decode()
