"""ONRAMP_LOCAL_LOGIN=0 leaves single sign-on as the only way in."""

from django.urls import reverse


def test_password_login_is_refused_when_local_login_is_off(engineer, client, settings):
    settings.ONRAMP_LOCAL_LOGIN = False

    page = client.post(reverse("login"), {"username": engineer.username, "password": "pass-for-tests"})

    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'name="password"' not in page.content.decode()


def test_the_login_page_says_so_when_no_way_in_is_configured(client, settings):
    settings.ONRAMP_LOCAL_LOGIN = False

    assert "No way to log in is configured" in client.get(reverse("login")).content.decode()


def test_the_password_form_stays_for_the_demo(engineer, client):
    page = client.get(reverse("login")).content.decode()

    assert 'name="password"' in page
    assert "Sign in with" not in page
