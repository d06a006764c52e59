"""What each circuit rule tells the user, and the form field it puts the message next to
(mutation testing found these unchecked: a refusal with no text, or on the wrong field, passed)."""

from types import SimpleNamespace

import pytest

from circuits.validators import (
    validate_bandwidth,
    validate_bandwidth_change,
    validate_sku,
    validate_sku_change,
    validate_vnet_address_space,
)
from core.errors import DomainError

NO_SUBNETS = SimpleNamespace(
    primary_peer_address_prefix="",
    secondary_peer_address_prefix="",
    ipv6_primary_peer_address_prefix="",
    ipv6_secondary_peer_address_prefix="",
)


class Provider:
    bandwidths_offered = [1000, 50]

    def __str__(self):
        return "Contoso Fiber"


def _refusal(rule, **kwargs):
    with pytest.raises(DomainError) as refusal:
        rule(**kwargs)
    return refusal.value.field, refusal.value.message


@pytest.mark.parametrize(
    ("tier", "family", "refusal"),
    [
        ("Gold", "MeteredData", ("sku_tier", "Unknown SKU tier “Gold”.")),
        ("Standard", "Unmetered", ("sku_family", "Unknown SKU family “Unmetered”.")),
        ("Local", "MeteredData", ("sku_family", "A Local circuit is always UnlimitedData.")),
    ],
)
def test_an_sku_refusal_names_the_field_and_says_why(tier, family, refusal):
    assert _refusal(validate_sku, tier=tier, family=family) == refusal


def test_going_back_to_metered_data_tells_the_user_to_create_a_new_circuit():
    assert _refusal(validate_sku_change, from_family="UnlimitedData", to_family="MeteredData") == (
        "sku_family",
        "Azure does not support going from UnlimitedData back to MeteredData; "
        "create a new circuit if you need metered billing.",
    )


def test_a_bandwidth_that_is_not_a_whole_number_is_refused_with_an_example():
    assert _refusal(validate_bandwidth, bandwidth_mbps="1 Gbps", provider=Provider()) == (
        "bandwidth_mbps",
        "Enter the bandwidth as a whole number of Mbps, e.g. 1000.",
    )


def test_a_direct_bandwidth_refusal_lists_the_port_sizes():
    assert _refusal(validate_bandwidth, bandwidth_mbps=3000, provider=Provider(), express_route_direct=True) == (
        "bandwidth_mbps",
        "ExpressRoute Direct circuits come in 1 Gbps, 2 Gbps, 5 Gbps, 10 Gbps, 40 Gbps, 100 Gbps, 200 Gbps, 400 Gbps.",
    )


def test_a_provider_bandwidth_refusal_lists_what_the_provider_offers_in_order():
    assert _refusal(validate_bandwidth, bandwidth_mbps=200, provider=Provider()) == (
        "bandwidth_mbps",
        "Contoso Fiber offers these bandwidths (Mbps): 50, 1000.",
    )


def test_a_downgrade_is_refused_saying_it_can_leave_the_circuit_failed():
    assert _refusal(validate_bandwidth_change, from_mbps=1000, to_mbps=500) == (
        "bandwidth_mbps",
        "Bandwidth can only go up; a downgrade is unsupported and can leave the circuit Failed.",
    )


def test_a_vnet_prefix_overlapping_a_peering_subnet_names_both():
    peering = SimpleNamespace(**{**vars(NO_SUBNETS), "primary_peer_address_prefix": "10.0.0.0/30"})
    assert _refusal(validate_vnet_address_space, prefixes=["10.0.0.0/16"], peering=peering) == (
        "address_space",
        "10.0.0.0/16 overlaps the private peering subnet 10.0.0.0/30: the VNet's address space and the "
        "peering subnets must not overlap.",
    )


def test_a_malformed_vnet_prefix_is_refused_on_the_address_space_field():
    field, _ = _refusal(validate_vnet_address_space, prefixes=["10.0.0.300/16"], peering=NO_SUBNETS)
    assert field == "address_space"


def test_vnet_prefixes_are_returned_normalised_and_once_each():
    assert validate_vnet_address_space(["10.1.0.0/16", "10.2.0.0/16", "10.1.0.0/16"], peering=NO_SUBNETS) == [
        "10.1.0.0/16",
        "10.2.0.0/16",
    ]
