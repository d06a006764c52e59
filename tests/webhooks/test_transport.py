"""Outbound safety: the address a request connects to is the address that was checked, so a name
that resolves inside the network (at once, or only on a second lookup) reaches nothing there."""

import ipaddress
import socket
import ssl
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import timezone

from webhooks import transport

from .factories import SECRET

HOST = "hooks.example"
PUBLIC = "93.184.216.34"


class Resolver:
    """getaddrinfo for HOST answering what the test says (each lookup the next answer, the last one
    repeated); every other name is resolved for real."""

    def __init__(self, monkeypatch):
        self.answers, self.lookups = [], 0
        self.real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self.getaddrinfo)

    def answer(self, *answers):
        self.answers = [list(addresses) for addresses in answers]
        return self

    def getaddrinfo(self, host, port, *args, **kwargs):
        if host != HOST:
            return self.real(host, port, *args, **kwargs)
        addresses = self.answers[min(self.lookups, len(self.answers) - 1)]
        self.lookups += 1
        return [self._info(address, port) for address in addresses]

    @staticmethod
    def _info(address, port):
        if ipaddress.ip_address(address).version == 6:
            return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
        return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))


@pytest.fixture
def resolver(monkeypatch):
    return Resolver(monkeypatch)


def send_to(url):
    return transport.send(url=url, secrets=[SECRET], message_id="msg_1", timestamp=timezone.now(), body="{}")


def receiver_url(receiver, host=HOST):
    return receiver.url.replace("127.0.0.1", host)


def test_a_name_resolving_to_loopback_is_refused_when_not_allowed(settings, resolver, receiver):
    settings.ONRAMP_WEBHOOK_ALLOW_PRIVATE = []
    resolver.answer(["127.0.0.1"])
    outcome = send_to(receiver_url(receiver))
    assert not outcome.succeeded and "127.0.0.1, an address inside the network" in outcome.error
    assert not receiver.received


def test_the_connection_goes_to_the_checked_address_whatever_a_later_lookup_says(settings, resolver, monkeypatch):
    """DNS rebinding: a name answering a public address to the check and an inside one to the
    connection. There is one lookup, and the connection goes to the address it checked."""
    settings.ONRAMP_WEBHOOK_ALLOW_PRIVATE = []
    resolver.answer([PUBLIC], ["127.0.0.1"])
    connected = []

    def connect(address, *args, **kwargs):
        connected.append(address[0])
        raise ConnectionRefusedError("no network in the tests")

    monkeypatch.setattr(transport.connection, "create_connection", connect)
    outcome = send_to(f"http://{HOST}/hook")
    assert connected == [PUBLIC] and resolver.lookups == 1
    assert not outcome.succeeded and PUBLIC in outcome.error


def test_a_name_with_one_inside_address_among_public_ones_is_refused(settings, resolver):
    settings.ONRAMP_WEBHOOK_ALLOW_PRIVATE = []
    resolver.answer([PUBLIC, "10.0.0.7"])
    with pytest.raises(transport.RefusedDestination, match="10.0.0.7"):
        transport.checked_addresses(HOST, 443)


def test_an_allowed_address_is_connected_to_with_the_host_name_kept(resolver, receiver):
    resolver.answer(["127.0.0.1"])  # the tests allow 127.0.0.1/32 (config/settings_test.py)
    outcome = send_to(receiver_url(receiver))
    assert outcome.succeeded, outcome.error
    assert receiver.headers[0]["host"] == f"{HOST}:{receiver.server.server_address[1]}"
    assert resolver.lookups == 1  # resolved once: the address checked is the address connected


@pytest.mark.parametrize(
    "address",
    [
        "::1",  # loopback
        "fe80::1",  # link-local
        "fd12:3456:789a::1",  # unique local (ULA)
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:169.254.169.254",  # IPv4-mapped metadata service
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "::",  # unspecified
    ],
)
def test_ipv6_addresses_inside_the_network_are_refused_at_connect_time(settings, resolver, receiver, address):
    settings.ONRAMP_WEBHOOK_ALLOW_PRIVATE = []
    resolver.answer([address])
    outcome = send_to(receiver_url(receiver))
    assert not outcome.succeeded and f"{address}, an address inside the network" in outcome.error
    assert not receiver.received


def test_an_ipv4_mapped_address_is_allowed_by_its_ipv4_network(resolver):
    resolver.answer(["::ffff:127.0.0.1"])  # settings_test allows 127.0.0.1/32
    assert transport.checked_addresses(HOST, 80) == ["::ffff:127.0.0.1"]


def test_an_ipv6_literal_url_is_checked_at_connect_time(settings):
    settings.ONRAMP_WEBHOOK_ALLOW_PRIVATE = []
    outcome = send_to("http://[::1]:9/hook")
    assert not outcome.succeeded and "inside the network" in outcome.error


def test_proxy_settings_of_the_environment_are_not_used(monkeypatch, resolver, receiver):
    """A proxy would connect on Onramp's behalf, to an address the check never saw."""
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    resolver.answer(["127.0.0.1"])
    outcome = send_to(receiver_url(receiver))
    assert outcome.succeeded, outcome.error


def self_signed_certificate(directory, host):
    """A certificate for `host` (and its key), in PEM files: the TLS receiver's, and the client's CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def test_tls_names_the_host_while_connecting_to_the_checked_address(tmp_path, monkeypatch, resolver, receiver):
    """SNI and the certificate match use the URL's host name, not the address connected to."""
    cert_file, key_file = self_signed_certificate(tmp_path, HOST)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    names_asked = []
    context.sni_callback = lambda connection, name, context: names_asked.append(name)
    receiver.server.socket = context.wrap_socket(receiver.server.socket, server_side=True)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert_file))
    resolver.answer(["127.0.0.1"])
    outcome = send_to(receiver_url(receiver).replace("http://", "https://"))
    assert outcome.succeeded, outcome.error
    assert names_asked == [HOST]
    assert receiver.headers[0]["host"] == f"{HOST}:{receiver.server.server_address[1]}"
