"""Write-only secrets: stored as a keyed digest so they can be matched but never shown again."""

import hashlib
import hmac

from django.conf import settings


def secret_digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def secret_matches(value: str, digest: str) -> bool:
    return bool(digest) and hmac.compare_digest(secret_digest(value), digest)
