"""Password reset: mails only when e-mail is configured, throttled per address and per client,
gone when local log-in is off."""

import pytest
from django.core import mail
from django.urls import reverse

RESET = "/accounts/password_reset/"


@pytest.fixture
def email_configured(settings):
    settings.ONRAMP_PASSWORD_RESET_EMAIL = True
    settings.ONRAMP_PASSWORD_RESET_PER_ADDRESS = 2
    settings.ONRAMP_PASSWORD_RESET_PER_CLIENT = 4


def _ask(client, email, address="203.0.113.5"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_a_reset_mails_a_link_when_email_is_configured(engineer, client, email_configured):
    response = _ask(client, engineer.email)

    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_a_reset_sends_nothing_and_says_the_same_when_email_is_not_configured(engineer, client, settings):
    settings.ONRAMP_PASSWORD_RESET_EMAIL = False

    response = _ask(client, engineer.email)

    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_resets_are_throttled_per_address_silently(engineer, client, email_configured):
    answers = [_ask(client, engineer.email, address=f"203.0.113.{n}") for n in range(3)]

    assert [answer["Location"] for answer in answers] == [reverse("password_reset_done")] * 3
    assert len(mail.outbox) == 2


def test_resets_are_throttled_per_client(engineer, client, email_configured):
    for n in range(4):
        _ask(client, f"nobody{n}@example.com")

    refused = _ask(client, engineer.email)

    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert mail.outbox == []
    assert _ask(client, engineer.email, address="203.0.113.99").status_code == 302  # other clients still can


def test_password_pages_are_gone_when_local_login_is_off(client, settings):
    settings.ONRAMP_LOCAL_LOGIN = False

    assert client.get(RESET).status_code == 404
    assert client.get(reverse("password_reset_confirm", args=["MQ", "set-password"])).status_code == 404
