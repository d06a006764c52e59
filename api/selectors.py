"""Reads of the API app: a person's tokens, and the token a key names."""

from django.utils import timezone

from core.secrets import secret_digest

from .models import ApiToken


def api_tokens_of(*, user):
    return ApiToken.objects.filter(user=user)


def api_token_for_key(key: str) -> ApiToken | None:
    """The active token with this key (by its keyed digest: the key itself is nowhere in the database)."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_digest=secret_digest(key), revoked_at=None, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
