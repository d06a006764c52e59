"""docs/DOMAIN.md's circuit rules as pure functions; each raises DomainError naming the field."""

from core.errors import DomainError
from core.net import parse_network

from .choices import SkuFamilyChoices, SkuTierChoices

PROVIDER_BANDWIDTHS_MBPS = (50, 100, 200, 500, 1000, 2000, 5000, 10000)
DIRECT_BANDWIDTHS_GBPS = (1, 2, 5, 10, 40, 100, 200, 400)

# VNet links (Global Reach connections included) allowed per circuit, by bandwidth, on Premium.
_PREMIUM_LINK_LIMITS = ((50, 20), (100, 25), (200, 25), (500, 40), (1000, 50), (2000, 60), (5000, 75), (10000, 100))
STANDARD_LINK_LIMIT = 10


def vnet_link_limit(*, sku_tier: str, bandwidth_mbps: int) -> int:
    if sku_tier != SkuTierChoices.PREMIUM:
        return STANDARD_LINK_LIMIT
    limit = _PREMIUM_LINK_LIMITS[0][1]
    for threshold, allowed in _PREMIUM_LINK_LIMITS:
        if bandwidth_mbps >= threshold:
            limit = allowed
    return limit


def validate_sku(*, tier, family):
    if tier not in SkuTierChoices.values():
        raise DomainError(f"Unknown SKU tier “{tier}”.", field="sku_tier")
    if family not in SkuFamilyChoices.values():
        raise DomainError(f"Unknown SKU family “{family}”.", field="sku_family")
    if tier == SkuTierChoices.LOCAL and family != SkuFamilyChoices.UNLIMITED_DATA:
        raise DomainError("A Local circuit is always UnlimitedData.", field="sku_family")


def validate_sku_change(*, from_family, to_family):
    if from_family == SkuFamilyChoices.UNLIMITED_DATA and to_family == SkuFamilyChoices.METERED_DATA:
        raise DomainError(
            "Azure does not support going from UnlimitedData back to MeteredData; "
            "create a new circuit if you need metered billing.",
            field="sku_family",
        )


def validate_bandwidth(*, bandwidth_mbps, provider, express_route_direct=False):
    if not isinstance(bandwidth_mbps, int) or isinstance(bandwidth_mbps, bool):
        raise DomainError("Enter the bandwidth as a whole number of Mbps, e.g. 1000.", field="bandwidth_mbps")
    if express_route_direct:
        if bandwidth_mbps % 1000 or bandwidth_mbps // 1000 not in DIRECT_BANDWIDTHS_GBPS:
            offered = ", ".join(f"{g} Gbps" for g in DIRECT_BANDWIDTHS_GBPS)
            raise DomainError(f"ExpressRoute Direct circuits come in {offered}.", field="bandwidth_mbps")
        return
    offered = provider.bandwidths_offered or PROVIDER_BANDWIDTHS_MBPS
    if bandwidth_mbps not in offered or bandwidth_mbps not in PROVIDER_BANDWIDTHS_MBPS:
        listed = ", ".join(str(b) for b in sorted(offered))
        raise DomainError(f"{provider} offers these bandwidths (Mbps): {listed}.", field="bandwidth_mbps")


def validate_bandwidth_change(*, from_mbps, to_mbps):
    if to_mbps < from_mbps:
        raise DomainError(
            "Bandwidth can only go up; a downgrade is unsupported and can leave the circuit Failed.",
            field="bandwidth_mbps",
        )


def validate_vnet_address_space(prefixes, *, peering):
    """A linked VNet's address prefixes must not overlap the private peering's subnets."""
    subnets = [
        parse_network(value, field="address_space")
        for value in (
            peering.primary_peer_address_prefix,
            peering.secondary_peer_address_prefix,
            peering.ipv6_primary_peer_address_prefix,
            peering.ipv6_secondary_peer_address_prefix,
        )
        if value
    ]
    networks = []
    for value in prefixes:
        network = parse_network(value, field="address_space")
        clash = next((s for s in subnets if s.version == network.version and s.overlaps(network)), None)
        if clash:
            raise DomainError(
                f"{network} overlaps the private peering subnet {clash}: the VNet's address space and the "
                "peering subnets must not overlap.",
                field="address_space",
            )
        if str(network) not in networks:
            networks.append(str(network))
    return networks
