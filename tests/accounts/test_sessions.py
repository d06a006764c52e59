"""Server-side sessions: log-out, password change, the user and an admin end them for good."""

import time_machine
from django.conf import settings
from django.contrib.admin.sites import site
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession
from tests.accounts.factories import UserFactory

FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"


def _replay(cookie_value):
    """A fresh browser presenting a copied session cookie."""
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie_value
    return thief


def _is_signed_in(client):
    return client.get(reverse("session_list")).status_code == 200


def test_a_copied_cookie_dies_at_logout(engineer, client, log_in):
    log_in(client, engineer)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _is_signed_in(_replay(stolen))

    client.post(reverse("logout"))

    response = _replay(stolen).get(reverse("session_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(session_key=stolen).exists()
    assert not UserSession.objects.filter(user=engineer).exists()


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(engineer, client, log_in):
    other_browser = log_in(Client(), engineer)
    log_in(client, engineer)

    new_password = "a-new-long-secret-9"
    response = client.post(
        reverse("password_change"),
        {"old_password": "pass-for-tests", "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 302
    assert _is_signed_in(client)
    assert not _is_signed_in(other_browser)
    assert list(UserSession.objects.filter(user=engineer).values_list("session_id", flat=True)) == [
        client.session.session_key
    ]


def test_the_session_list_shows_device_address_and_last_use_never_the_key(engineer, client, log_in):
    log_in(client, engineer, headers={"User-Agent": FIREFOX_ON_WINDOWS, "X-Forwarded-For": "198.51.100.7"})
    key = client.session.session_key

    page = client.get(reverse("session_list")).content.decode()

    assert "Firefox on Windows" in page
    assert "127.0.0.1" in page  # no trusted proxy configured: the peer's address, not the header's claim
    assert "(this session)" in page
    assert key not in page


def test_a_user_ends_one_of_their_other_sessions(engineer, client, log_in):
    laptop = log_in(Client(), engineer)
    log_in(client, engineer)
    laptop_session = UserSession.objects.get(session_id=laptop.session.session_key)

    client.post(reverse("session_end"), {"session": laptop_session.public_id})

    assert not _is_signed_in(laptop)
    assert _is_signed_in(client)


def test_a_user_ends_all_their_other_sessions(engineer, client, log_in):
    others = [log_in(Client(), engineer) for _ in range(2)]
    log_in(client, engineer)

    client.post(reverse("session_end"), {"others": "1"})

    assert not any(_is_signed_in(other) for other in others)
    assert _is_signed_in(client)


def test_a_user_cannot_end_someone_elses_session(engineer, client, log_in):
    victim = UserFactory(username="victim")
    victims_browser = log_in(Client(), victim)
    victims_session = UserSession.objects.get(user=victim)
    log_in(client, engineer)

    client.post(reverse("session_end"), {"session": victims_session.public_id})

    assert _is_signed_in(victims_browser)


def test_an_admin_ends_a_users_sessions(engineer, log_in):
    browsers = [log_in(Client(), engineer) for _ in range(2)]
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    admin_client = Client()
    admin_client.force_login(admin_user)

    admin_client.post(
        reverse("admin:auth_user_changelist"), {"action": "end_sessions", "_selected_action": [engineer.pk]}
    )

    assert not any(_is_signed_in(browser) for browser in browsers)
    assert _is_signed_in(admin_client)
    assert "end_sessions" in site._registry[type(engineer)].actions


def test_a_password_an_admin_sets_ends_the_users_sessions(engineer, log_in):
    browser = log_in(Client(), engineer)
    admin_client = Client()
    admin_client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    new_password = "set-by-the-admin-42"

    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[engineer.pk]),
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert not UserSession.objects.filter(user=engineer).exists()  # ended, not only made invalid
    assert not _is_signed_in(browser)
    assert _is_signed_in(admin_client)


def test_last_seen_is_written_at_most_once_a_minute(engineer, client, log_in):
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        log_in(client, engineer)
        clock.shift(30)
        client.get(reverse("session_list"))
        client.get(reverse("session_list"))
        assert UserSession.objects.get(user=engineer).last_seen_at.isoformat() == "2026-03-02T09:00:00+00:00"
        clock.shift(61)
        cache_mark_expired = client.get(reverse("session_list"))
        assert cache_mark_expired.status_code == 200
    assert UserSession.objects.get(user=engineer).last_seen_at.isoformat() == "2026-03-02T09:01:31+00:00"
