"""A streaming RPSL reader for route: and route6: objects in registry dumps (RFC 2622 syntax).

Objects are separated by blank lines. An attribute is `name: value`; a line starting with a space,
a tab or '+' continues the previous attribute. Lines starting with '%' or '#' are comments, and
'#' starts an end-of-line comment in a value. Objects of other classes are skipped unparsed.
"""

import gzip
import io
import re
from dataclasses import dataclass

from core.errors import DomainError

from .prefixes import prefix_parse

ROUTE_CLASSES = {"route": 4, "route6": 6}
_ASN = re.compile(r"^AS(\d{1,10})$", re.IGNORECASE)
MAX_ASN = 4294967295


@dataclass(frozen=True, slots=True)
class RpslObject:
    line: int
    object_class: str
    attributes: dict  # attribute name -> list of values, in order
    error: str = ""


@dataclass(frozen=True, slots=True)
class Route:
    line: int
    network: object
    origin: int
    mnt_by: str
    source: str


def open_binary(path):
    """Open a file for reading bytes, gunzipping it when its content (not its name) says gzip."""
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


def open_text(path):
    # Registry dumps are mostly ASCII with stray Latin-1 in remarks; never fail on a byte.
    return io.TextIOWrapper(open_binary(path), encoding="utf-8", errors="replace", newline="")


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
        if not line or line.isspace():
            if attributes is not None:
                yield RpslObject(start, object_class, attributes, error)
                attributes = None
            continue
        first = line[0]
        if first == "%" or first == "#":
            continue
        if attributes is not None and not wanted:
            continue
        if first == " " or first == "\t" or first == "+":
            if attributes is None:
                attributes, object_class, start, wanted = {}, "", number, True
                error = f"line {number}: continuation line outside an object"
            elif last is not None and not error:
                values = attributes[last]
                values[-1] = f"{values[-1]} {_value(line[1:])}".strip()
            continue
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        if attributes is None:
            attributes, object_class, start, error, last = {}, name, number, "", None
            wanted = name in classes
            if not wanted:
                continue
        if not colon or not name or " " in name:
            error = error or f"line {number}: “{line[:60]}” is not an attribute (name: value)"
            continue
        attributes.setdefault(name, []).append(_value(value))
        last = name
    if attributes is not None:
        yield RpslObject(start, object_class, attributes, error)


def route_from_object(obj: RpslObject) -> Route:
    """Check a route/route6 object's key attributes; raise DomainError naming its line when malformed."""
    if obj.error:
        raise DomainError(obj.error)
    attrs = obj.attributes
    version = ROUTE_CLASSES[obj.object_class]
    where = f"line {obj.line}"
    try:
        network = prefix_parse(attrs[obj.object_class][0])
    except ValueError:
        raise DomainError(f"{where}: {obj.object_class} “{attrs[obj.object_class][0][:60]}” is not a prefix") from None
    if network.version != version:
        raise DomainError(f"{where}: {obj.object_class} holds an IPv{network.version} prefix")
    origins = attrs.get("origin") or [""]
    match = _ASN.match(origins[0])
    if not match or not 0 < int(match[1]) < MAX_ASN:
        raise DomainError(f"{where}: origin “{origins[0][:30]}” is not an AS number such as AS64500")
    return Route(
        line=obj.line,
        network=network,
        origin=int(match[1]),
        mnt_by=", ".join(attrs.get("mnt-by", []))[:200],
        source=(attrs.get("source") or [""])[0].upper(),
    )
