"""The shared network primitives: one prefix parser, special-use space, private AS numbers."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import DomainError
from core.net import (
    MAX_ASN,
    HostBitsSet,
    is_private_asn,
    parse_network,
    prefix_parse,
    special_use_reason,
    split_prefixes,
)

# RFC 6996's private ranges, written out independently of core.net's constant.
PRIVATE = (range(64512, 65534 + 1), range(4200000000, 4294967294 + 1))
BOUNDARIES = [0, 1, 64511, 64512, 65534, 65535, 4199999999, 4200000000, 4294967294, MAX_ASN]

networks = st.one_of(
    st.builds(ipaddress.IPv4Network, st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 32)), strict=st.just(False)),
    st.builds(ipaddress.IPv6Network, st.tuples(st.integers(0, 2**128 - 1), st.integers(0, 128)), strict=st.just(False)),
)


@given(asn=st.one_of(st.sampled_from(BOUNDARIES), st.integers(0, MAX_ASN)))
def test_private_asns_are_exactly_the_two_private_ranges(asn):
    assert is_private_asn(asn) == any(asn in block for block in PRIVATE)


@given(network=networks)
def test_a_prefix_parses_to_itself_whatever_the_spaces_around_it(network):
    assert prefix_parse(f"  {network}\n") == network


@given(network=networks.filter(lambda network: network.num_addresses > 1), data=st.data())
def test_host_bits_set_are_refused_naming_the_prefix_they_are_in(network, data):
    offset = data.draw(st.integers(1, network.num_addresses - 1))
    address = network.network_address + offset

    with pytest.raises(HostBitsSet) as refusal:
        prefix_parse(f"{address}/{network.prefixlen}")
    assert refusal.value.network == network


@pytest.mark.parametrize("text", ["", "x", "10.0.0.0/33", "10.0.0/8", "2001:db8::/129", "1.2.3.4/-1"])
def test_what_is_no_prefix_is_a_value_error(text):
    with pytest.raises(ValueError):
        prefix_parse(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("192.168.100.129/30", "has host bits set: give the network address"),
        ("not a prefix", "is not a network prefix such as 192.168.100.128/30"),
        (None, "is not a network prefix"),
    ],
)
def test_peoples_prefixes_are_refused_with_a_message_next_to_their_field(text, message):
    with pytest.raises(DomainError, match=message) as refusal:
        parse_network(text, field="address_space")
    assert refusal.value.field == "address_space"


@given(text=st.text(max_size=60))
def test_any_text_is_a_prefix_or_a_refusal_never_a_crash(text):
    try:
        parse_network(text, field="prefix")
    except DomainError as refusal:
        assert refusal.field == "prefix"


def test_prefixes_are_split_on_lines_commas_semicolons_and_spaces():
    assert split_prefixes("80.10.5.0/24,\n80.10.6.0/24; 2a01::/32  \t80.10.7.0/24\n") == [
        "80.10.5.0/24",
        "80.10.6.0/24",
        "2a01::/32",
        "80.10.7.0/24",
    ]


@pytest.mark.parametrize(
    ("prefix", "why"),
    [
        ("10.0.0.0/8", "private or special-use"),
        ("224.0.0.0/4", "special-use"),
        ("fec0::/10", "site-local"),
        ("100.64.0.0/10", "not globally routable"),
    ],
)
def test_special_use_space_says_why_it_is_not_public(prefix, why):
    assert why in special_use_reason(ipaddress.ip_network(prefix))


@pytest.mark.parametrize("prefix", ["80.10.0.0/16", "2a01:111::/32"])
def test_public_space_has_no_special_use_reason(prefix):
    assert special_use_reason(ipaddress.ip_network(prefix)) is None
