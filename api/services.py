"""Writes of the API app: issuing and revoking a person's API tokens."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_event_record
from core.actors import Actor
from core.errors import DomainError
from core.secrets import secret_digest

from .models import ApiToken

KEY_PREFIX = "onr_"
SHOWN_PREFIX_LENGTH = len(KEY_PREFIX) + 6
USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per token


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def api_token_create(*, user, name: str, days: int) -> tuple[ApiToken, str]:
    """Issue a token for `user`; returns (token, key). The key is returned this once and never again."""
    name = name.strip()
    if not name:
        raise DomainError("Name the token after what will use it.", field="name")
    limit = ApiToken._meta.get_field("name").max_length
    if len(name) > limit:
        raise DomainError(f"Keep the name under {limit} characters (it has {len(name)}).", field="name")
    if not 1 <= days <= settings.ONRAMP_API_TOKEN_MAX_DAYS:
        raise DomainError(f"A token lives 1 to {settings.ONRAMP_API_TOKEN_MAX_DAYS} days.", field="days")
    key = new_key()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_prefix=key[:SHOWN_PREFIX_LENGTH],
        key_digest=secret_digest(key),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit_event_record(
        obj=token,
        field="api_token",
        to_value="issued",
        actor=Actor.person(user),
        reason=f"Expires {token.expires_at:%Y-%m-%d}.",
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> ApiToken | None:
    """Revoke one of `user`'s own tokens; None when they have no such active token."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id, revoked_at=None).first()
    if token is None:
        return None
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_event_record(obj=token, field="api_token", from_value="issued", to_value="revoked", actor=Actor.person(user))
    return token


def api_token_seen(*, token: ApiToken) -> None:
    """Record that the token was used, at most once a minute (a busy script must not write every call)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
