"""Per-user API tokens: hashed, shown once, with a name and an expiry, revocable; Token or Bearer."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create
from core.secrets import secret_digest

from .factories import token_with_key


@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_a_token_acts_as_its_user(scheme, engineer, circuit):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {token_with_key(engineer).key}")
    assert client.get(f"/api/circuits/{circuit.pk}/").status_code == 200


def test_the_key_is_stored_only_as_its_keyed_digest(engineer):
    token, key = api_token_create(user=engineer, name="ci", days=30)
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in str(stored.values())
    assert stored["key_digest"] == secret_digest(key)


def test_no_credentials_answer_401_saying_how_to_authenticate(db):
    response = APIClient().get("/api/circuits/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "state",
    [{"expires_at": timezone.now() - timedelta(seconds=1)}, {"revoked_at": timezone.now()}],
    ids=["expired", "revoked"],
)
def test_an_expired_or_revoked_token_is_refused(state, engineer, circuit):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_with_key(engineer, **state).key}")
    assert client.get("/api/circuits/").status_code == 401


def test_a_token_records_when_it_was_last_used(api, engineer):
    api.get("/api/circuits/")
    assert ApiToken.objects.get(user=engineer).last_used_at is not None


def test_the_token_page_shows_a_new_key_once(engineer_client, engineer):
    response = engineer_client.post("/api/tokens/", {"name": "deploy pipeline", "days": 30})
    token = ApiToken.objects.get(user=engineer)
    key = response.context["key"]
    assert token.key_digest == secret_digest(key)
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = engineer_client.get("/api/tokens/").content.decode()
    assert "deploy pipeline" in again and key not in again


def test_a_token_lives_at_most_the_longest_lifetime(engineer_client, engineer, settings):
    settings.ONRAMP_API_TOKEN_MAX_DAYS = 30
    response = engineer_client.post("/api/tokens/", {"name": "ci", "days": 365})
    assert "days" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_revoking_a_token_refuses_its_key_from_then_on(engineer_client, engineer, circuit):
    token = token_with_key(engineer)
    engineer_client.post(f"/api/tokens/{token.pk}/revoke/")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/circuits/").status_code == 401


def test_nobody_revokes_another_persons_token(engineer_client, approver):
    token = token_with_key(approver)
    engineer_client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_lists_only_ones_own_tokens(engineer_client, approver, engineer):
    token_with_key(approver, name="not yours")
    token_with_key(engineer, name="yours")
    page = engineer_client.get("/api/tokens/").content.decode()
    assert "yours" in page and "not yours" not in page


def test_a_session_write_needs_the_csrf_token_as_drf_checks_it(engineer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(engineer)
    assert client.get("/api/circuits/").status_code == 200
    response = client.post("/api/circuits/", {}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
