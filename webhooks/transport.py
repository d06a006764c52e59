"""Sending one signed request, refusing addresses inside the network unless allowed.

The check is made on the address the request actually connects to: the connection resolves the
host name once, checks every address it got (private, loopback, link-local, reserved, multicast
and unspecified are refused; an IPv6 address carrying an IPv4 one is judged by that IPv4 address),
and connects to one of those checked addresses. A name that answers differently when asked again
(DNS rebinding) therefore cannot slip past the check; TLS still names the host (SNI and the
certificate match) and so does the Host header. Redirects are never followed and no proxy is used
(a proxy would connect on Onramp's behalf, out of the check's sight). ONRAMP_WEBHOOK_ALLOW_PRIVATE
lists the networks that are allowed anyway (the tests' own receiver on 127.0.0.1).
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from standardwebhooks.webhooks import Webhook
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection

EXCERPT_CHARS = 500
# IPv6 addresses that reach the IPv4 address in their last 32 bits: IPv4-mapped, NAT64, IPv4-compatible.
CARRYING_IPV4 = tuple(ipaddress.ip_network(network) for network in ("::ffff:0:0/96", "64:ff9b::/96", "::/96"))


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


def _reached(address: ipaddress.IPv4Address | ipaddress.IPv6Address):
    """The address a packet to `address` ends up at: an IPv6 address carrying an IPv4 one reaches that."""
    if address.version == 6 and any(address in network for network in CARRYING_IPV4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _inside_the_network(address, allowed) -> bool:
    reached = _reached(address)
    if any(candidate in network for candidate in (address, reached) for network in allowed):
        return False
    return not reached.is_global or reached.is_multicast


def checked_addresses(host: str, port: int) -> list[str]:
    """Resolve `host` once; the addresses to connect to, all outside the network (or allowed).

    Raises RefusedDestination if any address is inside: a name that also points inside is refused
    whole, rather than depending on which of its addresses a connection happens to pick."""
    host = host.strip("[]")
    infos = socket.getaddrinfo(host, port, family=connection.allowed_gai_family(), type=socket.SOCK_STREAM)
    allowed = _allowed_networks()
    addresses = []
    for info in infos:
        text = info[4][0]
        if _inside_the_network(ipaddress.ip_address(text.split("%")[0]), allowed):
            raise RefusedDestination(f"{host} resolves to {text}, an address inside the network.")
        if text not in addresses:
            addresses.append(text)
    return addresses


def destination_check(url: str) -> None:
    """Raise RefusedDestination unless every address of the URL's host is public (or allowed): the
    check when an endpoint is saved; every request checks again at connect time."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedDestination(f"Only http and https URLs with a host name can receive webhooks: {url}")
    try:
        checked_addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as error:
        raise RefusedDestination(f"{parts.hostname} does not resolve: {error}") from error


class CheckedConnectionMixin:
    """urllib3's connection, connecting only to an address `checked_addresses` accepted. TLS (SNI,
    certificate match) and the Host header keep using the host name, which `self.host` still is."""

    def _new_conn(self) -> socket.socket:
        try:
            addresses = checked_addresses(self._dns_host, self.port)
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        failure = None
        for address in addresses:
            try:
                return connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as error:
                failure = ConnectTimeoutError(self, f"Connection to {self.host} ({address}) timed out.")
                failure.__cause__ = error
            except OSError as error:
                failure = NewConnectionError(self, f"Failed to establish a new connection to {address}: {error}")
                failure.__cause__ = error
        raise failure


class CheckedHTTPConnection(CheckedConnectionMixin, HTTPConnection):
    pass


class CheckedHTTPSConnection(CheckedConnectionMixin, HTTPSConnection):
    pass


class CheckedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = CheckedHTTPConnection


class CheckedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = CheckedHTTPSConnection


class CheckedAdapter(HTTPAdapter):
    """requests' adapter over the checked connections, never through a proxy."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": CheckedHTTPConnectionPool,
            "https": CheckedHTTPSConnectionPool,
        }

    def send(self, request, **kwargs):
        return super().send(request, **{**kwargs, "proxies": {}})


def checked_session() -> requests.Session:
    session = requests.Session()
    adapter = CheckedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


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
        with checked_session() as session:
            response = session.post(
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
