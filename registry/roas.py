"""Readers for RPKI validated ROA payloads: rpki-client/Routinator JSON and Routinator CSV.

JSON: {"roas": [{"asn": "AS64500" or 64500, "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "ripe"}]}
CSV:  ASN,IP Prefix,Max Length,Trust Anchor
Both are streamed (ijson for JSON), so a full global ROA set never sits in memory at once.
"""

import csv
import io
import re
from dataclasses import dataclass

import ijson

from core.errors import DomainError

from .prefixes import prefix_parse
from .rpsl import MAX_ASN, open_binary

_ASN = re.compile(r"^(?:AS)?(\d{1,10})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RoaPayload:
    network: object
    max_length: int
    asn: int
    trust_anchor: str


def roa_from_values(*, asn, prefix, max_length, trust_anchor, where) -> RoaPayload:
    match = _ASN.match(str(asn).strip())
    if not match or int(match[1]) > MAX_ASN:
        raise DomainError(f"{where}: asn “{str(asn)[:30]}” is not an AS number such as AS64500")
    try:
        network = prefix_parse(str(prefix))
    except ValueError:
        raise DomainError(f"{where}: “{str(prefix)[:60]}” is not a prefix") from None
    try:
        max_length = int(max_length if max_length not in (None, "") else network.prefixlen)
    except (TypeError, ValueError, OverflowError):
        raise DomainError(f"{where}: maxLength “{max_length}” is not a number") from None
    if not network.prefixlen <= max_length <= network.max_prefixlen:
        raise DomainError(f"{where}: maxLength {max_length} is outside /{network.prefixlen}../{network.max_prefixlen}")
    trust_anchor = str(trust_anchor or "").strip()[:32]
    if not trust_anchor.isprintable():
        raise DomainError(f"{where}: trust anchor {trust_anchor!r} is not a name such as ripe")
    return RoaPayload(network, max_length, int(match[1]), trust_anchor)


def _json_roas(handle):
    for index, item in enumerate(ijson.items(handle, "roas.item"), 1):
        where = f"ROA #{index}"
        if not isinstance(item, dict):
            yield DomainError(f"{where}: not an object")
            continue
        try:
            yield roa_from_values(
                asn=item.get("asn"),
                prefix=item.get("prefix"),
                max_length=item.get("maxLength"),
                trust_anchor=item.get("ta", ""),
                where=where,
            )
        except DomainError as error:
            yield error


def _csv_roas(handle):
    rows = csv.reader(handle)
    for number, row in enumerate(rows, 1):
        if number == 1 and row and not _ASN.match(row[0].strip()):
            continue  # the header: ASN,IP Prefix,Max Length,Trust Anchor
        if not row:
            continue
        where = f"line {number}"
        if len(row) < 3:
            yield DomainError(f"{where}: expected ASN,IP Prefix,Max Length,Trust Anchor")
            continue
        try:
            yield roa_from_values(
                asn=row[0], prefix=row[1], max_length=row[2], trust_anchor=row[3] if len(row) > 3 else "", where=where
            )
        except DomainError as error:
            yield error


def roa_payloads(path):
    """Yield a RoaPayload, or a DomainError for each malformed entry, from a JSON or CSV file (gzip too)."""
    with open_binary(path) as handle:
        is_json = handle.read(64).lstrip().startswith(b"{")
        handle.seek(0)
        if is_json:
            yield from _json_roas(handle)
        else:
            yield from _csv_roas(io.TextIOWrapper(handle, encoding="utf-8", errors="replace", newline=""))
