"""Readers for RPKI validated ROA payloads, in the formats relying-party software writes them.

- Routinator `json` and rpki-client's JSON: {"roas": [{"asn": "AS64500" (rpki-client: 64500),
  "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "ripe", ...}]}
- Routinator `jsonext`: the same without "ta"; each ROA lists its `source`s, ROAs with a "tal"
  name, local exceptions without one. The first source's TAL is kept, as Routinator's own `json` does.
- CSV with a header naming its columns: Routinator `csv` (ASN,IP Prefix,Max Length,Trust Anchor),
  `csvcompat` (the same, quoted), `csvext` (URI,ASN,IP Prefix,Max Length,Not Before,Not After: it
  carries no trust anchor, so none is recorded) and rpki-client's CSV (Trust Anchor,Expires).
Routinator writes "N/A" for payloads from local exceptions; it is kept as written.
Both are streamed (ijson for JSON), so a full global ROA set never sits in memory at once.
"""

import csv
import re
from dataclasses import dataclass
from decimal import Decimal

import ijson

from core.errors import DomainError
from core.net import MAX_ASN, prefix_parse

from .files import NotRegistryData, first_bytes, open_binary, text_reader

_ASN = re.compile(r"^(?:AS)?(\d{1,10})$", re.IGNORECASE)
NOT_AVAILABLE = "N/A"
CSV_COLUMNS = {"asn": "ASN", "prefix": "IP Prefix", "max_length": "Max Length", "trust_anchor": "Trust Anchor"}
CSV_REQUIRED = ("asn", "prefix", "max_length")


@dataclass(frozen=True, slots=True)
class RoaPayload:
    network: object
    max_length: int
    asn: int
    trust_anchor: str


def _integer(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    raise ValueError(value)


def roa_from_values(*, asn, prefix, max_length, trust_anchor, where) -> RoaPayload:
    match = _ASN.match(str(asn).strip())
    if isinstance(asn, bool) or not match or int(match[1]) > MAX_ASN:
        raise DomainError(f"{where}: asn “{str(asn)[:30]}” is not an AS number such as AS64500")
    try:
        network = prefix_parse(str(prefix))
    except ValueError:
        raise DomainError(f"{where}: “{str(prefix)[:60]}” is not a prefix") from None
    try:
        max_length = network.prefixlen if max_length in (None, "") else _integer(max_length)
    except ValueError:
        raise DomainError(f"{where}: maxLength “{str(max_length)[:20]}” is not a whole number") from None
    if not network.prefixlen <= max_length <= network.max_prefixlen:
        raise DomainError(f"{where}: maxLength {max_length} is outside /{network.prefixlen}../{network.max_prefixlen}")
    trust_anchor = str(trust_anchor or "").strip()[:32]
    if not trust_anchor.isprintable():
        raise DomainError(f"{where}: trust anchor {trust_anchor!r} is not a name such as ripe")
    return RoaPayload(network, max_length, int(match[1]), trust_anchor)


def _json_trust_anchor(item):
    if "ta" in item:
        return item["ta"]
    sources = item.get("source")
    if not isinstance(sources, list):
        return ""
    tals = [source["tal"] for source in sources if isinstance(source, dict) and source.get("tal")]
    return tals[0] if tals else NOT_AVAILABLE


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
                trust_anchor=_json_trust_anchor(item),
                where=where,
            )
        except DomainError as error:
            yield error


def _csv_columns(header):
    """Column positions by name from a header row; None when the row is data (a file without header)."""
    names = [cell.strip() for cell in header]
    if names and _ASN.match(names[0]):
        return None
    positions = {field: names.index(title) for field, title in CSV_COLUMNS.items() if title in names}
    if not all(field in positions for field in CSV_REQUIRED):
        raise NotRegistryData(
            f"line 1: “{','.join(names)[:80]}” is not a header relying-party software writes "
            "(ASN,IP Prefix,Max Length[,Trust Anchor] or csvext's URI,ASN,IP Prefix,Max Length,…)"
        )
    return positions


def _csv_roas(handle):
    positions = None
    for number, row in enumerate(csv.reader(handle), 1):
        if not row:
            continue
        if positions is None:
            header = _csv_columns(row)
            positions = header or dict(zip(CSV_COLUMNS, range(len(CSV_COLUMNS)), strict=True))
            if header:
                continue
        where = f"line {number}"
        values = {field: row[position] if position < len(row) else None for field, position in positions.items()}
        if any(values[field] is None for field in CSV_REQUIRED):
            yield DomainError(f"{where}: has {len(row)} columns, expected {', '.join(CSV_COLUMNS.values())}")
            continue
        try:
            yield roa_from_values(**{"trust_anchor": "", **values}, where=where)
        except DomainError as error:
            yield error


def roa_payloads(path):
    """Yield a RoaPayload, or a DomainError for each malformed entry, from a JSON or CSV file (gzip too)."""
    with open_binary(path) as handle:
        if first_bytes(handle, what="a ROA export").startswith((b"{", b"[")):
            yield from _json_roas(handle)
        else:
            yield from _csv_roas(text_reader(handle, newline=""))
