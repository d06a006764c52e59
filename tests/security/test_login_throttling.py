"""Login is throttled (django-axes): repeated failures lock out one username from one address."""

import logging

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory

PASSWORD = "pass-for-tests"
WRONG = "not-the-password-0xDEADBEEF"


@pytest.fixture
def login(client):
    def post(username, password, *, address="192.0.2.10"):
        return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)

    return post


def fail_until_locked(login, username, **kwargs):
    return [login(username, WRONG, **kwargs) for _ in range(settings.AXES_FAILURE_LIMIT)]


@pytest.mark.django_db
def test_failures_below_the_limit_still_show_the_login_form(login):
    UserFactory(username="alice")

    responses = [login("alice", WRONG) for _ in range(settings.AXES_FAILURE_LIMIT - 1)]

    assert [response.status_code for response in responses] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert login("alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_after_the_limit_the_right_password_is_refused_with_the_lockout_page(login):
    UserFactory(username="alice")
    fail_until_locked(login, "alice")

    response = login("alice", PASSWORD)

    assert response.status_code == 429
    assert "registration/lockout.html" in [template.name for template in response.templates]
    assert b"Too many failed log-ins" in response.content
    assert b"Try again in 15 minutes" in response.content
    assert "_auth_user_id" not in response.client.session


@pytest.mark.django_db
def test_a_lockout_holds_one_username_from_one_address_only(login):
    UserFactory(username="alice")
    UserFactory(username="bob")
    fail_until_locked(login, "alice")

    assert login("bob", PASSWORD).status_code == 302
    assert login("alice", PASSWORD, address="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(login, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    UserFactory(username="alice")
    fail_until_locked(login, "alice")

    time_machine.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 1)

    assert login("alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_lockout_is_logged_with_the_username_but_never_the_password(login, caplog):
    UserFactory(username="alice")

    with caplog.at_level(logging.INFO):
        fail_until_locked(login, "alice")
        login("alice", PASSWORD)

    lockouts = [record.getMessage() for record in caplog.records if "Locking out" in record.getMessage()]
    assert lockouts and all("alice" in message and "192.0.2.10" in message for message in lockouts)
    assert WRONG not in caplog.text and PASSWORD not in caplog.text


@pytest.mark.django_db
def test_force_login_in_tests_is_not_throttled(client):
    """Tests log in with force_login, which skips authenticate(); the lockout never gets in their way."""
    user = UserFactory(username="alice", role="engineer")

    client.force_login(user)

    assert client.get(reverse("circuits:circuit_list")).status_code == 200


@pytest.mark.django_db
def test_failures_are_counted_when_the_server_gives_no_client_address(login):
    """Behind a Unix socket REMOTE_ADDR is empty: failures still count, and never crash the log-in."""
    UserFactory(username="alice")
    fail_until_locked(login, "alice", address="")

    assert login("alice", PASSWORD, address="").status_code == 429


@pytest.mark.django_db
def test_an_overlong_username_is_refused_like_any_wrong_one(login):
    assert login("a" * 1000, WRONG).status_code == 200


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_address_counts_apart(client, settings):
    """With ONRAMP_TRUSTED_PROXIES=1 every request comes from the proxy: X-Forwarded-For's last entry
    (what the proxy saw) tells clients apart, and what a client wrote further left is ignored."""
    settings.ONRAMP_TRUSTED_PROXIES = 1
    UserFactory(username="alice")

    def login(password, forwarded):
        data = {"username": "alice", "password": password}
        return client.post(reverse("login"), data, REMOTE_ADDR="10.0.0.1", headers={"X-Forwarded-For": forwarded})

    for spoofed in range(settings.AXES_FAILURE_LIMIT):
        login(WRONG, f"203.0.113.{spoofed}, 192.0.2.10")

    assert login(PASSWORD, "192.0.2.10").status_code == 429
    assert login(PASSWORD, "192.0.2.99").status_code == 302
