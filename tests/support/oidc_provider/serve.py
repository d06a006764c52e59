"""Start the test provider: `python -m tests.support.oidc_provider.serve PORT REDIRECT_URI`.

Migrates its SQLite database, makes its signing key, one confidential client (`onramp`, secret
`onramp-test-secret`, no consent screen) and one user (`alice` / `alice-password`,
alice@example.com), then serves on 127.0.0.1:PORT until killed."""

import os
import sys

import django
from django.core.management import call_command

CLIENT_ID = "onramp"
CLIENT_SECRET = "onramp-test-secret"
USERNAME, PASSWORD, EMAIL = "alice", "alice-password", "alice@example.com"


def seed(redirect_uri):
    from django.contrib.auth.models import User
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    client = Client.objects.create(
        name="Onramp",
        client_type="confidential",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        jwt_alg="RS256",
        require_consent=False,
        _redirect_uris=redirect_uri,
    )
    client.response_types.set([ResponseType.objects.get(value="code")])
    User.objects.create_user(USERNAME, EMAIL, PASSWORD, first_name="Alice", last_name="Ng")


if __name__ == "__main__":
    port, redirect_uri = sys.argv[1], sys.argv[2]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.support.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_SITE_URL"] = f"http://127.0.0.1:{port}"
    django.setup()
    seed(redirect_uri)
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True)
