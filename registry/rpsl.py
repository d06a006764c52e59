"""A streaming RPSL reader for route: and route6: objects in registry dumps, parsing as irrd does.

Objects are separated by empty lines; a line of only spaces or tabs is an (empty) continuation,
not a separator (irrd's split_paragraphs_rpsl). An attribute is `name: value`; a line starting with
a space, a tab or '+' continues the previous attribute. Lines starting with '%' or '#' are comments,
and '#' starts an end-of-line comment in a value. Objects of other classes are skipped unparsed.
Prefixes are read as irrd's RPSLIPv4PrefixField/RPSLIPv6PrefixField read them: zero-padded octets
are normalised (185.40.012.0/24 is 185.40.12.0/24), host bits set (10.0.0.1/8) are refused.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass

from core.errors import DomainError
from core.net import MAX_ASN, HostBitsSet, prefix_parse

from .files import NotRegistryData, first_bytes, open_binary, text_reader

ROUTE_CLASSES = {"route": 4, "route6": 6}
_ASN = re.compile(r"^AS(\d{1,10})$", re.IGNORECASE)
_IPV4_PREFIX = re.compile(r"^(\d+)\.(\d+)\.(\d+)\.(\d+)/(\d+)$", re.ASCII)
# An NRTM stream (`%START`, then `ADD 42` / `DEL 43` before each object) holds changes, not a full set.
_NRTM_OPERATION = re.compile(r"^(ADD|DEL)(\s+\d+)?\s*$")
CONTINUATION = (" ", "\t", "+")


@dataclass(frozen=True, slots=True)
class RpslObject:
    line: int
    object_class: str
    attributes: dict  # attribute name -> list of values, in order
    error: str = ""


@dataclass(frozen=True, slots=True)
class Route:
    line: int
    written: str  # the prefix as the object wrote it
    network: object
    origin: int
    mnt_by: str
    source: str


@contextmanager
def rpsl_dump_lines(path):
    """The lines of an RPSL dump (plain or gzip, BOM or not, LF or CRLF); an empty body or HTML page is refused."""
    with open_binary(path) as handle:
        first_bytes(handle, what="an RPSL dump")
        # Only "\n" ends a line, as in irrd: a stray "\r" or U+2028 inside a value does not split it.
        yield text_reader(handle, newline="\n")


def _value(text):
    return text.split("#", 1)[0].strip()


def rpsl_objects(lines, *, classes=ROUTE_CLASSES):
    """Yield the objects of `classes` in `lines`, each with its first line number and any syntax error.

    Objects of other classes are only counted: they are yielded as RpslObject with no attributes.
    """
    attributes = None
    object_class = ""
    start = 0
    error = ""
    last = None
    wanted = False
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line:
            if attributes is not None:
                yield RpslObject(start, object_class, attributes, error)
                attributes = None
            continue
        first = line[0]
        if first == "%" or first == "#":
            continue
        if attributes is not None and not wanted:
            continue
        if first in CONTINUATION:
            if attributes is None:
                if not line.isspace():
                    attributes, object_class, start, wanted = {}, "", number, True
                    error = f"line {number}: continuation line outside an object"
            elif last is not None and not error:
                values = attributes[last]
                values[-1] = f"{values[-1]} {_value(line[1:])}".strip()
            continue
        if attributes is None and _NRTM_OPERATION.match(line):
            raise NotRegistryData(f"line {number}: “{line[:20]}” is an NRTM operation: an update stream is not a dump")
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        if attributes is None:
            attributes, object_class, start, error, last = {}, name, number, "", None
            wanted = name in classes or not colon
            if not wanted:
                continue
        if not colon or not name or " " in name:
            error = error or f"line {number}: “{line[:60]}” is not an attribute (name: value)"
            continue
        attributes.setdefault(name, []).append(_value(value))
        last = name
    if attributes is not None:
        yield RpslObject(start, object_class, attributes, error)


def rpsl_prefix(text: str, *, version: int):
    """A route:/route6: value as irrd reads it; ValueError saying why when irrd would refuse it."""
    if version == 4:
        match = _IPV4_PREFIX.match(text)
        if not match:
            raise ValueError("is not an IPv4 prefix")
        octets, length = [int(part) for part in match.groups()[:4]], int(match[5])
        if max(octets) > 255 or length > 32:
            raise ValueError("is not an IPv4 prefix")
        text = f"{'.'.join(map(str, octets))}/{length}"
    if "/" not in text or "%" in text:  # ipaddress takes an IPv6 scope (`%eth0`); a prefix has none
        raise ValueError(f"is not an IPv{version} prefix")
    try:
        network = prefix_parse(text)
    except HostBitsSet as refusal:
        _check_version(refusal.network, version)
        raise ValueError(f"has host bits set (irrd refuses it; the prefix would be {refusal.network})") from None
    except ValueError:
        raise ValueError(f"is not an IPv{version} prefix") from None
    _check_version(network, version)
    return network


def _check_version(network, version):
    if network.version != version:
        raise ValueError(f"holds an IPv{network.version} prefix")


def route_from_object(obj: RpslObject, *, source: str = "") -> Route:
    """Check a route/route6 object's key attributes; raise DomainError naming its line when malformed.

    With `source`, an object published under another source (or none) is malformed, as in irrd's mirror import.
    """
    if obj.error:
        raise DomainError(obj.error)
    where = f"line {obj.line}"
    attrs = obj.attributes
    value = attrs[obj.object_class][0]
    try:
        network = rpsl_prefix(value, version=ROUTE_CLASSES[obj.object_class])
    except ValueError as problem:
        raise DomainError(f"{where}: {obj.object_class} “{value[:60]}” {problem}") from None
    origins = attrs.get("origin") or [""]
    match = _ASN.match(origins[0])
    if not match or not 0 < int(match[1]) < MAX_ASN:
        raise DomainError(f"{where}: origin “{origins[0][:30]}” is not an AS number such as AS64500")
    published = (attrs.get("source") or [""])[0].upper()
    if source and published != source:
        raise DomainError(f"{where}: source “{published[:32]}” is not {source}, the source being imported")
    return Route(
        line=obj.line,
        written=value,
        network=network,
        origin=int(match[1]),
        mnt_by=", ".join(attrs.get("mnt-by", []))[:200],
        source=published,
    )
