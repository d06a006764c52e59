"""Network primitives every app shares: the one prefix parser, special-use address space, AS numbers.

Pure functions of their arguments: peerings judges people's input with them, registry reads
published dumps with them, validation judges advertised prefixes with them.
"""

import ipaddress
import re

from .errors import DomainError

MAX_ASN = 4294967295  # 2**32 - 1: reserved (RFC 7300), so the highest usable AS number is one less
PRIVATE_ASNS = (range(64512, 65535), range(4200000000, 4294967295))  # RFC 6996
_SEPARATORS = re.compile(r"[\s,;]+")


class HostBitsSet(ValueError):
    """The text names an address inside a prefix, not the prefix itself; `network` is the prefix it is in."""

    def __init__(self, text, network):
        super().__init__(f"{text} has host bits set")
        self.network = network


def prefix_parse(text: str):
    """The prefix parser: an IPv4Network or IPv6Network; ValueError when `text` is no prefix,
    HostBitsSet (carrying the prefix it would be) when only its host bits are set."""
    text = text.strip()
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        pass
    raise HostBitsSet(text, ipaddress.ip_network(text, strict=False))


def parse_network(value, *, field):
    """A prefix typed by a person; DomainError naming `field` saying what is wrong with it."""
    text = (value or "").strip()
    try:
        return prefix_parse(text)
    except HostBitsSet:
        raise DomainError(f"“{text}” has host bits set: give the network address of the subnet.", field=field) from None
    except ValueError:
        raise DomainError(f"“{text[:60]}” is not a network prefix such as 192.168.100.128/30.", field=field) from None


def split_prefixes(text):
    """Prefixes typed one per line, or separated by commas, semicolons or spaces."""
    return [item for item in _SEPARATORS.split(text) if item]


def special_use_reason(network) -> str | None:
    """Why a network is not public, unicast, globally routed space; None when it is."""
    if network.is_private:
        return "private or special-use address space (RFC 1918 / RFC 6890)"
    if network.is_loopback or network.is_link_local or network.is_multicast or network.is_reserved:
        return "special-use address space"
    if getattr(network, "is_site_local", False):  # fec0::/10: deprecated, yet ipaddress calls it global
        return "IPv6 site-local space (deprecated, RFC 3879)"
    if not network.is_global:
        return "not globally routable (special-use space, RFC 6890)"
    return None


def is_private_asn(asn: int) -> bool:
    return any(asn in block for block in PRIVATE_ASNS)
