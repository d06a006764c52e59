"""docs/DOMAIN.md's peering rules as pure functions, checked over whole input spaces with hypothesis."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import DomainError
from core.net import is_private_asn
from peerings.validators import (
    parse_advertised_prefixes,
    validate_asn,
    validate_peer_subnets,
    validate_public,
    validate_shared_key,
    validate_vlan_id,
)

MAX_ASN = 4294967295
# docs/DOMAIN.md's ASN rules, written out independently of the validators' constants.
INVALID_ASNS = {0, 23456, 65535, MAX_ASN}
MICROSOFT_ASN = 12076
AZURE_RESERVED = range(65515, 65520 + 1)
DOCUMENTATION = (range(64496, 64511 + 1), range(65536, 65551 + 1))
PRIVATE = (range(64512, 65534 + 1), range(4200000000, 4294967294 + 1))

BOUNDARY_ASNS = sorted(
    {0, 1, MICROSOFT_ASN, 23456, 4199999999, MAX_ASN - 1, MAX_ASN}
    | {edge + step for edge in (64496, 64511, 64512, 65515, 65520, 65534, 65535, 65536, 65551) for step in (-1, 0, 1)}
    | {4200000000, 4200000001}
)
asns = st.one_of(st.sampled_from(BOUNDARY_ASNS), st.integers(0, MAX_ASN))

SPECIAL_USE_V4 = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
]
SPECIAL_USE_V6 = ["::/8", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"]
PUBLIC_V4 = ["8.0.0.0/8", "20.0.0.0/8", "80.0.0.0/8", "151.101.0.0/16"]
PUBLIC_V6 = ["2a00::/12", "2620:1ec::/36"]


def subnet_in(blocks, new_prefix):
    """A random subnet of length new_prefix inside one of blocks."""

    def pick(block, index):
        block = ipaddress.ip_network(block)
        step = 2 ** (block.max_prefixlen - new_prefix)
        offset = index % 2 ** (new_prefix - block.prefixlen) * step
        return type(block)((int(block.network_address) + offset, new_prefix))

    return st.builds(pick, st.sampled_from(blocks), st.integers(min_value=0))


def any_subnet(version, new_prefix):
    network = ipaddress.IPv4Network if version == 4 else ipaddress.IPv6Network
    shift = (32 if version == 4 else 128) - new_prefix
    return st.integers(0, 2**new_prefix - 1).map(lambda index: network((index << shift, new_prefix)))


def refused_field(call, *args, **kwargs):
    with pytest.raises(DomainError) as refusal:
        call(*args, **kwargs)
    return refusal.value.field


# ASNs -------------------------------------------------------------------------------------------


@given(asn=asns)
def test_asn_is_refused_exactly_when_invalid_reserved_documentation_or_microsofts(asn):
    refused = (
        asn in INVALID_ASNS
        or asn == MICROSOFT_ASN
        or asn in AZURE_RESERVED
        or any(asn in block for block in DOCUMENTATION)
    )

    if refused:
        assert refused_field(validate_asn, asn, field="peer_asn") == "peer_asn"
    else:
        validate_asn(asn)


@given(asn=st.integers(64512, 65534).filter(lambda asn: asn not in AZURE_RESERVED))
def test_private_16_bit_asns_pass_validation(asn):
    validate_asn(asn)
    assert is_private_asn(asn)


@given(asn=st.one_of(st.integers(max_value=-1), st.integers(min_value=MAX_ASN + 1)))
def test_asn_out_of_range_is_refused(asn):
    assert refused_field(validate_asn, asn, field="customer_asn") == "customer_asn"


@given(asn=st.one_of(st.text(), st.floats(), st.booleans(), st.none()))
def test_asn_that_is_not_a_whole_number_is_refused(asn):
    assert refused_field(validate_asn, asn) == "peer_asn"


# VLAN and MD5 key -------------------------------------------------------------------------------


@given(vlan_id=st.integers(-100, 5000))
def test_vlan_id_runs_from_1_to_4094(vlan_id):
    if 1 <= vlan_id <= 4094:
        validate_vlan_id(vlan_id)
    else:
        assert refused_field(validate_vlan_id, vlan_id) == "vlan_id"


@given(vlan_id=st.one_of(st.text(), st.floats(), st.booleans(), st.none()))
def test_vlan_id_that_is_not_a_whole_number_is_refused(vlan_id):
    assert refused_field(validate_vlan_id, vlan_id) == "vlan_id"


@given(key=st.text(max_size=60))
def test_md5_key_has_at_most_25_characters(key):
    if len(key) <= 25:
        validate_shared_key(key)
    else:
        assert refused_field(validate_shared_key, key) == "shared_key"


# Peer subnets -----------------------------------------------------------------------------------

FIELDS = ("primary", "secondary")


@pytest.mark.parametrize(("version", "length"), [(4, 30), (6, 126)])
@given(data=st.data())
def test_two_distinct_subnets_of_the_right_length_are_accepted(version, length, data):
    primary = data.draw(any_subnet(version, length))
    secondary = data.draw(any_subnet(version, length).filter(lambda net: net != primary))

    networks = validate_peer_subnets(str(primary), str(secondary), version=version, fields=FIELDS)

    assert networks == [primary, secondary]


@pytest.mark.parametrize(("version", "length"), [(4, 29), (6, 125)])
@given(data=st.data())
def test_one_subnet_split_in_two_gives_the_pair(version, length, data):
    whole = data.draw(any_subnet(version, length))
    primary, secondary = whole.subnets(prefixlen_diff=1)

    validate_peer_subnets(str(primary), str(secondary), version=version, fields=FIELDS)


@pytest.mark.parametrize(("version", "length"), [(4, 30), (6, 126)])
@given(data=st.data())
def test_the_same_subnet_twice_is_refused(version, length, data):
    subnet = str(data.draw(any_subnet(version, length)))

    assert refused_field(validate_peer_subnets, subnet, subnet, version=version, fields=FIELDS) == "secondary"


@pytest.mark.parametrize(("version", "length"), [(4, 30), (6, 126)])
@given(data=st.data())
def test_a_subnet_of_another_length_is_refused(version, length, data):
    other_length = data.draw(st.integers(8, 32 if version == 4 else 128).filter(lambda n: n != length))
    wrong = data.draw(any_subnet(version, other_length))
    right = data.draw(any_subnet(version, length))

    assert refused_field(validate_peer_subnets, str(wrong), str(right), version=version, fields=FIELDS) == "primary"


@given(subnet=any_subnet(4, 30), host=st.integers(1, 3))
def test_a_subnet_with_host_bits_set_is_refused(subnet, host):
    with_host = f"{subnet.network_address + host}/30"

    with pytest.raises(DomainError, match="host bits"):
        validate_peer_subnets(with_host, "192.168.0.0/30", fields=FIELDS)


@given(text=st.text(max_size=40))
def test_garbage_is_refused_without_crashing(text):
    try:
        validate_peer_subnets(text, "192.168.0.0/30", fields=FIELDS)
    except DomainError as refusal:
        assert refusal.field in FIELDS


@given(v4=any_subnet(4, 30), v6=any_subnet(6, 126))
def test_a_subnet_of_the_other_ip_version_is_refused(v4, v6):
    assert refused_field(validate_peer_subnets, str(v6), str(v4), version=4, fields=FIELDS) == "primary"
    assert refused_field(validate_peer_subnets, str(v4), str(v6), version=6, fields=FIELDS) == "primary"


# Public address space (Microsoft peering) -------------------------------------------------------


@given(network=st.one_of(subnet_in(SPECIAL_USE_V4, 30), subnet_in(SPECIAL_USE_V6, 126)))
def test_special_use_space_is_refused_as_public(network):
    assert refused_field(validate_public, network, field="prefix") == "prefix"


@given(network=st.one_of(subnet_in(PUBLIC_V4, 30), subnet_in(PUBLIC_V6, 126)))
def test_public_space_is_accepted(network):
    validate_public(network, field="prefix")


@given(network=st.one_of(any_subnet(4, 30), any_subnet(6, 126), any_subnet(4, 24)))
def test_whatever_passes_as_public_is_globally_routed_unicast(network):
    try:
        validate_public(network, field="prefix")
    except DomainError:
        return
    assert network.is_global
    assert not (network.is_multicast or network.is_reserved or network.is_loopback or network.is_link_local)


@given(primary=subnet_in(SPECIAL_USE_V4, 30))
def test_peer_subnets_may_be_private_on_private_peering_but_not_on_microsoft_peering(primary):
    secondary = str(ipaddress.IPv4Network((int(primary.network_address) ^ 4, 30)))

    validate_peer_subnets(str(primary), secondary, fields=FIELDS)
    assert refused_field(validate_peer_subnets, str(primary), secondary, public_only=True, fields=FIELDS) == "primary"


# Advertised public prefixes ---------------------------------------------------------------------


@given(prefixes=st.lists(subnet_in(PUBLIC_V4, 24), min_size=1, max_size=20))
def test_advertised_prefixes_are_canonical_and_deduplicated(prefixes):
    texts = [f" {prefix} " for prefix in prefixes + prefixes]

    parsed = parse_advertised_prefixes(texts)

    assert parsed == list(dict.fromkeys(str(prefix) for prefix in prefixes))


@given(
    public=st.lists(subnet_in(PUBLIC_V4, 24), max_size=5),
    special=subnet_in(SPECIAL_USE_V4, 24),
    position=st.integers(0, 5),
)
def test_one_special_use_prefix_refuses_the_whole_list(public, special, position):
    prefixes = [str(prefix) for prefix in public]
    prefixes.insert(position, str(special))

    assert refused_field(parse_advertised_prefixes, prefixes) == "advertised_public_prefixes"


def test_no_advertised_prefix_is_refused():
    assert refused_field(parse_advertised_prefixes, []) == "advertised_public_prefixes"


def test_more_than_200_prefixes_per_session_are_refused():
    prefixes = [f"80.0.{n}.0/24" for n in range(201)]

    with pytest.raises(DomainError, match="at most 200"):
        parse_advertised_prefixes(prefixes)
    assert len(parse_advertised_prefixes(prefixes[:200])) == 200
