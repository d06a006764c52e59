"""Endpoint secrets: generated in the Standard Webhooks format, kept encrypted, never shown back.

Signing needs the secret itself (a digest would not do), so it is encrypted with Fernet under a key
derived from SECRET_KEY: a database dump alone does not reveal it. Rotating SECRET_KEY makes the
stored secrets unreadable; rotate every endpoint's secret after it (docs/WEBHOOKS.md).
"""

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet
from django.conf import settings

PREFIX = "whsec_"


def secret_generate() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _fernet() -> Fernet:
    key = hashlib.sha256(b"onramp.webhooks.secret:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def secret_encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
