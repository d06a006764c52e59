"""docs/DOMAIN.md's circuit rules as pure functions, checked over whole input spaces with hypothesis."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from circuits.choices import SkuFamilyChoices, SkuTierChoices
from circuits.models import ServiceProvider
from circuits.validators import (
    validate_bandwidth,
    validate_bandwidth_change,
    validate_sku,
    validate_sku_change,
    vnet_link_limit,
)
from core.errors import DomainError
from tests.support.domain_tables import LINK_LIMITS

AZURE_BANDWIDTHS_MBPS = [50, 100, 200, 500, 1000, 2000, 5000, 10000]
DIRECT_BANDWIDTHS_GBPS = [1, 2, 5, 10, 40, 100, 200, 400]
TIERS = SkuTierChoices.values()
FAMILIES = SkuFamilyChoices.values()

# docs/DOMAIN.md's table: VNet links allowed per circuit, (bandwidth in Mbps, Standard/Local, Premium).


@pytest.mark.parametrize(("bandwidth_mbps", "standard", "premium"), LINK_LIMITS)
def test_vnet_link_limit_follows_domain_table(bandwidth_mbps, standard, premium):
    assert vnet_link_limit(sku_tier="Standard", bandwidth_mbps=bandwidth_mbps) == standard
    assert vnet_link_limit(sku_tier="Local", bandwidth_mbps=bandwidth_mbps) == standard
    assert vnet_link_limit(sku_tier="Premium", bandwidth_mbps=bandwidth_mbps) == premium


@given(tier=st.sampled_from(TIERS), family=st.sampled_from(FAMILIES))
def test_every_tier_and_family_is_a_valid_sku_except_local_metered(tier, family):
    if tier == "Local" and family == "MeteredData":
        with pytest.raises(DomainError) as refusal:
            validate_sku(tier=tier, family=family)
        assert refusal.value.field == "sku_family"
    else:
        validate_sku(tier=tier, family=family)


@given(tier=st.text(), family=st.sampled_from(FAMILIES))
def test_unknown_sku_tier_is_refused(tier, family):
    if tier in TIERS:
        return
    with pytest.raises(DomainError) as refusal:
        validate_sku(tier=tier, family=family)
    assert refusal.value.field == "sku_tier"


@given(tier=st.sampled_from(TIERS), family=st.text().filter(lambda family: family not in FAMILIES))
def test_unknown_sku_family_is_refused(tier, family):
    with pytest.raises(DomainError) as refusal:
        validate_sku(tier=tier, family=family)
    assert refusal.value.field == "sku_family"


@given(from_family=st.sampled_from(FAMILIES), to_family=st.sampled_from(FAMILIES))
def test_sku_family_goes_metered_to_unlimited_never_back(from_family, to_family):
    if (from_family, to_family) == ("UnlimitedData", "MeteredData"):
        with pytest.raises(DomainError, match="UnlimitedData back to MeteredData"):
            validate_sku_change(from_family=from_family, to_family=to_family)
    else:
        validate_sku_change(from_family=from_family, to_family=to_family)


@given(from_mbps=st.integers(1, 400_000), to_mbps=st.integers(1, 400_000))
def test_bandwidth_only_goes_up(from_mbps, to_mbps):
    if to_mbps < from_mbps:
        with pytest.raises(DomainError, match="only go up"):
            validate_bandwidth_change(from_mbps=from_mbps, to_mbps=to_mbps)
    else:
        validate_bandwidth_change(from_mbps=from_mbps, to_mbps=to_mbps)


@given(
    offered=st.lists(st.sampled_from(AZURE_BANDWIDTHS_MBPS), min_size=1, unique=True),
    bandwidth_mbps=st.one_of(st.sampled_from(AZURE_BANDWIDTHS_MBPS), st.integers(0, 20_000)),
)
def test_provider_bandwidth_must_be_one_the_provider_offers(offered, bandwidth_mbps):
    provider = ServiceProvider(name="Carrier", bandwidths_offered=offered)

    if bandwidth_mbps in offered:
        validate_bandwidth(bandwidth_mbps=bandwidth_mbps, provider=provider)
    else:
        with pytest.raises(DomainError) as refusal:
            validate_bandwidth(bandwidth_mbps=bandwidth_mbps, provider=provider)
        assert refusal.value.field == "bandwidth_mbps"


@given(bandwidth_mbps=st.integers(0, 20_000))
def test_provider_without_a_list_offers_azures_bandwidths(bandwidth_mbps):
    provider = ServiceProvider(name="Carrier", bandwidths_offered=[])

    if bandwidth_mbps in AZURE_BANDWIDTHS_MBPS:
        validate_bandwidth(bandwidth_mbps=bandwidth_mbps, provider=provider)
    else:
        with pytest.raises(DomainError):
            validate_bandwidth(bandwidth_mbps=bandwidth_mbps, provider=provider)


@given(bandwidth_mbps=st.one_of(st.sampled_from([g * 1000 for g in DIRECT_BANDWIDTHS_GBPS]), st.integers(0, 500_000)))
def test_direct_port_bandwidth_is_an_offered_gbps_value(bandwidth_mbps):
    provider = ServiceProvider(name="Direct", bandwidths_offered=[50])

    if bandwidth_mbps % 1000 == 0 and bandwidth_mbps // 1000 in DIRECT_BANDWIDTHS_GBPS:
        validate_bandwidth(bandwidth_mbps=bandwidth_mbps, provider=provider, express_route_direct=True)
    else:
        with pytest.raises(DomainError, match="ExpressRoute Direct"):
            validate_bandwidth(bandwidth_mbps=bandwidth_mbps, provider=provider, express_route_direct=True)


@given(
    bandwidth=st.one_of(st.text(), st.floats(), st.booleans(), st.none(), st.decimals()),
    express_route_direct=st.booleans(),
)
def test_bandwidth_that_is_not_a_whole_number_is_refused_not_crashed(bandwidth, express_route_direct):
    provider = ServiceProvider(name="Carrier", bandwidths_offered=AZURE_BANDWIDTHS_MBPS)

    with pytest.raises(DomainError) as refusal:
        validate_bandwidth(bandwidth_mbps=bandwidth, provider=provider, express_route_direct=express_route_direct)
    assert refusal.value.field == "bandwidth_mbps"
