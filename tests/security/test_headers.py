"""Every page sends the security headers, and nothing on a page needs what the CSP forbids."""

import json
import secrets
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.support.processes import manage

# What a page could contain that the CSP (script-src/style-src 'self', no eval) would block.
EVENT_ATTRIBUTE_PREFIXES = ("on", "hx-on")


class CspViolations(HTMLParser):
    """Collects inline scripts, inline styles, event handlers, javascript: URLs and off-site resources."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self._in_inline_script = True
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style" or name.startswith(EVENT_ATTRIBUTE_PREFIXES):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        resource = attributes.get("src") or (attributes.get("href") if tag == "link" else None)
        if resource and resource.startswith(("http:", "https:", "//")):
            self.found.append(f"<{tag}> loads {resource} from another site")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")


def csp_violations(html):
    parser = CspViolations()
    parser.feed(html)
    return parser.found


def assert_security_headers(response, url):
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp, f"{url} sends no Content-Security-Policy"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    assert response.headers.get("X-Frame-Options") == "DENY", url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") == "same-origin", url


def test_the_csp_allows_only_this_site_and_no_framing(client):
    csp = client.get(reverse("login")).headers["Content-Security-Policy"]

    directives = dict(directive.strip().split(" ", 1) for directive in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"


def test_every_page_sends_the_security_headers(superuser_client, every_page):
    for url in [*every_page, "/admin/", "/admin/circuits/circuit/", "/circuits/999999/", "/healthz"]:
        assert_security_headers(superuser_client.get(url), url)


def test_live_fragments_and_refusals_send_the_security_headers(superuser_client, every_page):
    for url in every_page:
        assert_security_headers(superuser_client.get(url, headers={"HX-Request": "true"}), url)
    refused = superuser_client.post(reverse("circuits:circuit_create"), {"name": "<b>"})
    assert_security_headers(refused, "refused create")


def test_anonymous_pages_send_the_security_headers(client, every_page):
    for url in every_page:
        assert_security_headers(client.get(url), url)


def test_no_page_contains_markup_the_csp_would_block(superuser_client, estate, every_page):
    admin_pages = ["/admin/", "/admin/circuits/circuit/", f"/admin/circuits/circuit/{estate.circuit.pk}/change/"]
    for url in every_page + admin_pages:
        for headers in ({}, {"HX-Request": "true"}):
            response = superuser_client.get(url, headers=headers)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                assert csp_violations(response.content.decode()) == [], url


@pytest.mark.django_db
def test_the_lockout_page_contains_nothing_the_csp_would_block(client, settings):
    settings.AXES_FAILURE_LIMIT = 1
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})

    assert response.status_code == 429
    assert_security_headers(response, "lockout")
    assert csp_violations(response.content.decode()) == []


def test_the_csp_violation_check_finds_what_it_looks_for():
    html = (
        '<script>alert(1)</script><div style="color:red" onclick="x()" hx-on:click="y()"></div>'
        '<a href="javascript:void(0)">x</a><script src="https://cdn.example/htmx.js"></script>'
    )

    assert len(csp_violations(html)) == 6


def test_production_sends_hsts_and_redirects_plain_http_to_https(tmp_path):
    path = "/accounts/login/"
    probe = (
        "from django.test import Client; import json; client = Client(HTTP_HOST='localhost');"
        f"plain = client.get({path!r}); secure = client.get({path!r}, secure=True);"
        "print(json.dumps([plain.status_code, plain.get('Location'), dict(secure.headers)]))"
    )
    result = manage(
        "shell", "-c", probe, tmp_path=tmp_path, ONRAMP_DEBUG="0", ONRAMP_SECRET_KEY=secrets.token_urlsafe(64)
    )
    assert result.returncode == 0, result.stderr
    status, location, headers = json.loads(result.stdout.strip().splitlines()[-1])

    assert status == 301 and location == f"https://localhost{path}"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_development_over_plain_http_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get(reverse("login")).headers
