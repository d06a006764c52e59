"""docs/DOMAIN.md's peering rules as pure functions; each raises DomainError naming the field."""

from core.errors import DomainError, ErrorCollector
from core.net import MAX_ASN, parse_network, special_use_reason

from .models import AZURE_ASN

MD5_KEY_MAX_LENGTH = 25
MAX_PREFIXES_PER_SESSION = 200

INVALID_ASNS = {0, 23456, 65535, MAX_ASN}
AZURE_RESERVED_ASNS = range(65515, 65521)
DOCUMENTATION_ASNS = (range(64496, 64512), range(65536, 65552))


def validate_asn(asn, *, field="peer_asn"):
    """Refuse ASNs that can never peer with Azure. Private ASNs pass (see core.net.is_private_asn)."""
    if not isinstance(asn, int) or isinstance(asn, bool):
        raise DomainError("Enter the AS number as a whole number, e.g. 64500.", field=field)
    if not 0 <= asn <= MAX_ASN:
        raise DomainError(f"AS numbers run from 1 to {MAX_ASN - 1}.", field=field)
    if asn in INVALID_ASNS:
        raise DomainError(f"AS{asn} is not a valid AS number for BGP peering.", field=field)
    if asn == AZURE_ASN:
        raise DomainError("AS12076 is Microsoft's own AS number: enter your side's AS number.", field=field)
    if asn in AZURE_RESERVED_ASNS:
        raise DomainError(f"AS{asn} is reserved by Azure (65515–65520); use another AS number.", field=field)
    if any(asn in block for block in DOCUMENTATION_ASNS):
        raise DomainError(f"AS{asn} is reserved for documentation (RFC 5398); use your real AS number.", field=field)


def validate_public(network, *, field):
    reason = special_use_reason(network)
    if reason:
        raise DomainError(f"{network} is {reason}; Microsoft peering needs public addresses you own.", field=field)


def validate_peer_subnets(primary, secondary, *, version=4, public_only=False, fields=("primary", "secondary")):
    """Two /30s (IPv4) or /126s (IPv6), distinct and not overlapping; public on Microsoft peering.
    Each subnet is judged on its own, so both can be refused at once."""
    errors = ErrorCollector()
    networks = []
    for value, field in zip((primary, secondary), fields, strict=True):
        with errors.check():
            networks.append(_peer_subnet(value, version=version, public_only=public_only, field=field))
    errors.raise_any()
    if networks[0].overlaps(networks[1]):
        raise DomainError("The primary and secondary subnets must be different and must not overlap.", field=fields[1])
    return networks


def _peer_subnet(value, *, version, public_only, field):
    length = 30 if version == 4 else 126
    network = parse_network(value, field=field)
    if network.version != version:
        raise DomainError(f"Enter an IPv{version} subnet here.", field=field)
    if network.prefixlen != length:
        raise DomainError(
            f"A peer subnet is a /{length} (a /{length - 1} split in two gives the pair); got /{network.prefixlen}.",
            field=field,
        )
    if public_only:
        validate_public(network, field=field)
    return network


def validate_vlan_id(vlan_id, *, field="vlan_id"):
    if not isinstance(vlan_id, int) or isinstance(vlan_id, bool) or not 1 <= vlan_id <= 4094:
        raise DomainError("The VLAN ID must be a whole number from 1 to 4094.", field=field)


def validate_shared_key(key, *, field="shared_key"):
    if key and len(key) > MD5_KEY_MAX_LENGTH:
        raise DomainError(f"The BGP MD5 key may have at most {MD5_KEY_MAX_LENGTH} characters.", field=field)


def parse_advertised_prefixes(values, *, field="advertised_public_prefixes"):
    """Parse, de-duplicate and check advertised public prefixes; returns canonical strings.
    Every bad prefix is named in one refusal, not just the first."""
    prefixes, problems = [], []
    for value in values:
        try:
            network = parse_network(value, field=field)
            validate_public(network, field=field)
        except DomainError as refusal:
            problems.append(refusal.message)
            continue
        if str(network) not in prefixes:
            prefixes.append(str(network))
    if problems:
        raise DomainError(" ".join(problems), field=field)
    if not prefixes:
        raise DomainError("Microsoft peering needs at least one advertised public prefix.", field=field)
    if len(prefixes) > MAX_PREFIXES_PER_SESSION:
        raise DomainError(
            f"Microsoft peering accepts at most {MAX_PREFIXES_PER_SESSION} prefixes per session.", field=field
        )
    return prefixes
