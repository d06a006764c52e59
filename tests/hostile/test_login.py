"""Hostile log-in attempts: odd usernames, passwords, return addresses and headers never crash the
page or the throttle that records them, and never log anyone in."""

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import given
from hypothesis import strategies as st

from tests.support.hostile import hostile, hostile_text

# gunicorn refuses header values with control characters (RFC 9110 5.5), so none reach Django.
HEADER_VALUES = hostile_text(max_size=2000).map(lambda value: "".join(c for c in value if c >= " " and c != "\x7f"))
ADDRESSES = st.one_of(
    st.ip_addresses().map(str), st.sampled_from(["", "unknown", "::ffff:1.2.3.4", "1.2.3.4, 5.6.7.8"])
)


@hostile
@given(
    username=hostile_text(max_size=300),
    password=hostile_text(max_size=300),
    back=st.one_of(
        st.sampled_from(["//evil.example/", "https://evil.example/", "javascript:alert(1)"]), hostile_text()
    ),
    user_agent=HEADER_VALUES,
    address=ADDRESSES,
)
def test_login_survives_hostile_credentials_and_headers(
    client, engineer, hostile_request, username, password, back, user_agent, address
):
    response = hostile_request(
        client,
        "post",
        reverse("login") + "?next=/circuits/",
        {"username": username, "password": password, "next": back},
        accepted=(),
        headers={"User-Agent": user_agent},
        REMOTE_ADDR=address,
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


@hostile
@given(forwarded=HEADER_VALUES, proxies=st.integers(min_value=1, max_value=3))
def test_login_behind_proxies_survives_hostile_forwarded_headers(client, settings, hostile_request, forwarded, proxies):
    settings.ONRAMP_TRUSTED_PROXIES = proxies
    response = hostile_request(
        client,
        "post",
        reverse("login"),
        {"username": "alice", "password": "wrong"},
        accepted=(),
        headers={"X-Forwarded-For": forwarded},
    )
    assert response.status_code in (200, 429)


@hostile
@given(back=st.one_of(st.sampled_from(["//evil.example/", "https://evil.example/", "/\\evil.example"]), hostile_text()))
def test_a_successful_login_never_redirects_off_site(client, engineer, hostile_request, back):
    data = {"username": engineer.username, "password": "pass-for-tests", "next": back}

    response = hostile_request(client, "post", reverse("login"), data)

    assert response.status_code == 302
    assert url_has_allowed_host_and_scheme(response["Location"], allowed_hosts={"testserver"}), response["Location"]
