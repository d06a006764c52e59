"""Sending one signed request, refusing addresses inside the network unless allowed.

Every address the host name resolves to is checked (private, loopback, link-local, reserved,
multicast and unspecified are refused), and redirects are never followed: a receiver cannot point
Onramp at the metadata service or an internal admin page. ONRAMP_WEBHOOK_ALLOW_PRIVATE lists the
networks that are allowed anyway (the tests' own receiver on 127.0.0.1).
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings
from standardwebhooks.webhooks import Webhook

EXCERPT_CHARS = 500


class RefusedDestination(Exception):
    pass


@dataclass(frozen=True)
class Outcome:
    succeeded: bool
    status_code: int | None
    latency_ms: int
    response_excerpt: str = ""
    error: str = ""


def _allowed_networks():
    return [ipaddress.ip_network(network, strict=False) for network in settings.ONRAMP_WEBHOOK_ALLOW_PRIVATE]


def destination_check(url: str) -> None:
    """Raise RefusedDestination unless every address of the URL's host is public (or allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedDestination(f"Only http and https URLs with a host name can receive webhooks: {url}")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as error:
        raise RefusedDestination(f"{parts.hostname} does not resolve: {error}") from error
    allowed = _allowed_networks()
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if any(address in network for network in allowed):
            continue
        if not address.is_global or address.is_multicast:
            raise RefusedDestination(f"{parts.hostname} resolves to {address}, an address inside the network.")


def signature_header(*, secrets: list[str], message_id: str, timestamp: datetime, body: str) -> str:
    """`v1,<sig>` per secret, space-separated: during a rotation's overlap both secrets sign."""
    return " ".join(Webhook(secret).sign(message_id, timestamp, body) for secret in secrets)


def send(*, url: str, secrets: list[str], message_id: str, timestamp: datetime, body: str) -> Outcome:
    """POST the body with Standard Webhooks headers; a 2xx answer is success, anything else a failure."""
    headers = {
        "content-type": "application/json",
        "user-agent": "Onramp-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature_header(secrets=secrets, message_id=message_id, timestamp=timestamp, body=body),
    }
    started = time.monotonic()
    try:
        destination_check(url)
        response = requests.post(
            url,
            data=body.encode(),
            headers=headers,
            timeout=settings.ONRAMP_WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
    except (RefusedDestination, requests.RequestException) as error:
        return Outcome(False, None, _elapsed_ms(started), error=(str(error) or type(error).__name__)[:EXCERPT_CHARS])
    return Outcome(
        succeeded=200 <= response.status_code < 300,
        status_code=response.status_code,
        latency_ms=_elapsed_ms(started),
        response_excerpt=response.text[:EXCERPT_CHARS],
    )


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
