import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from core.actors import SYSTEM
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.registry.factories import RoaFactory, RouteObjectFactory
from validation.services import peering_validate
from validation.verdicts import IrrVerdict, RpkiVerdict, prefixes_check

pytestmark = pytest.mark.django_db
V4, V6 = "v4", "v6"
# The same situations in both families: (registered block, prefix checked inside it).
SPACE = {V4: ("80.10.0.0/16", "80.10.5.0/24"), V6: ("2a01:100::/32", "2a01:100:5::/48")}


def check(prefix, *, asn=13335, registry="RADB"):
    return prefixes_check([prefix], asn=asn, registry=registry)[0]


@pytest.mark.parametrize("family", [V4, V6])
def test_exact_route_object_with_the_origin_passes(family):
    block, _ = SPACE[family]
    RouteObjectFactory(prefix=block)
    finding = check(block)
    assert (finding.irr, finding.state) == (IrrVerdict.EXACT, "Configured")


@pytest.mark.parametrize("family", [V4, V6])
def test_a_less_specific_route_object_with_the_origin_covers_the_prefix(family):
    block, prefix = SPACE[family]
    RouteObjectFactory(prefix=block)
    finding = check(prefix)
    assert (finding.irr, finding.state) == (IrrVerdict.COVERED, "Configured")
    assert f"covered by route object {block} with origin AS13335 in RADB" in finding.reason


@pytest.mark.parametrize("family", [V4, V6])
def test_route_objects_with_other_origins_are_named(family):
    block, prefix = SPACE[family]
    RouteObjectFactory(prefix=block, origin=3356)
    RouteObjectFactory(prefix=prefix, origin=174)
    finding = check(prefix)
    assert (finding.irr, finding.state) == (IrrVerdict.OTHER_ORIGINS, "AsnValidationFailed")
    assert "have origin AS174, AS3356, not AS13335" in finding.reason
    assert "Fix the origin of the route object" in finding.reason


@pytest.mark.parametrize("family", [V4, V6])
def test_found_only_in_another_registry_names_it_and_suggests_azures_name(family):
    block, prefix = SPACE[family]
    RouteObjectFactory(prefix=block, source="RIPE")
    finding = check(prefix)
    assert (finding.irr, finding.state) == (IrrVerdict.OTHER_REGISTRY, "ValidationNeeded")
    assert "found only in RIPE" in finding.reason
    assert "Choose RIPENCC as the routing registry" in finding.reason


@pytest.mark.parametrize("family", [V4, V6])
def test_nothing_found_says_where_to_register_a_route_object(family):
    _, prefix = SPACE[family]
    finding = check(prefix)
    assert (finding.irr, finding.state) == (IrrVerdict.NOTHING, "ValidationNeeded")
    assert f"Register a route object for {prefix} with origin AS13335 in RADB" in finding.reason


def test_nothing_found_mentions_more_specific_objects_that_do_not_cover_the_prefix():
    RouteObjectFactory(prefix="80.10.5.0/25")
    assert "only more-specific objects exist (80.10.5.0/25)" in check("80.10.5.0/24").reason


def test_azures_ripencc_is_looked_up_as_rpsl_source_ripe():
    RouteObjectFactory(prefix="80.10.0.0/16", source="RIPE")
    assert check("80.10.5.0/24", registry="RIPENCC").irr == IrrVerdict.COVERED


@pytest.mark.parametrize("family", [V4, V6])
def test_rpki_valid_when_a_covering_roa_has_the_origin_and_allows_the_length(family):
    block, prefix = SPACE[family]
    RoaFactory(prefix=block, max_length=ipaddress.ip_network(prefix).prefixlen)
    assert check(prefix).rpki == RpkiVerdict.VALID


@pytest.mark.parametrize("family", [V4, V6])
def test_rpki_invalid_origin_when_covering_roas_name_other_asns(family):
    block, prefix = SPACE[family]
    RoaFactory(prefix=block, asn=3356, max_length=64)
    finding = check(prefix)
    assert finding.rpki == RpkiVerdict.INVALID_ORIGIN and "authorise AS3356, not AS13335" in finding.reason


@pytest.mark.parametrize("family", [V4, V6])
def test_rpki_invalid_length_when_the_prefix_is_longer_than_max_length(family):
    block, prefix = SPACE[family]
    RoaFactory(prefix=block, max_length=ipaddress.ip_network(block).prefixlen)
    assert check(prefix).rpki == RpkiVerdict.INVALID_LENGTH


@pytest.mark.parametrize("family", [V4, V6])
def test_rpki_not_found_when_no_roa_covers_the_prefix(family):
    _, prefix = SPACE[family]
    RoaFactory(prefix="81.0.0.0/16")
    assert check(prefix).rpki == RpkiVerdict.NOT_FOUND


def test_a_registered_route_that_rpki_marks_invalid_still_needs_validation():
    RouteObjectFactory(prefix="80.10.0.0/16")
    RoaFactory(prefix="80.10.0.0/16", asn=3356)
    finding = check("80.10.5.0/24")
    assert finding.state == "ValidationNeeded" and "fix the ROA" in finding.reason


@pytest.mark.parametrize("prefix", ["10.1.0.0/16", "192.168.0.0/24", "fd00::/48"])
def test_private_or_special_use_space_fails_validation(prefix):
    finding = check(prefix)
    assert finding.state == "ValidationFailed" and "only public addresses you own" in finding.reason


def test_a_private_asn_forces_manual_validation_even_when_registered():
    RouteObjectFactory(prefix="80.10.0.0/16", origin=65010)
    finding = check("80.10.5.0/24", asn=65010)
    assert finding.state == "ManualValidationNeeded" and "request manual validation" in finding.reason


@settings(max_examples=40, deadline=None)
@given(
    block_length=st.integers(min_value=8, max_value=24),
    extra=st.integers(min_value=0, max_value=8),
    offset=st.integers(min_value=0, max_value=2**20 - 1),
)
def test_a_prefix_covered_by_a_registered_less_specific_is_never_nothing_found(block_length, extra, offset):
    address = ipaddress.IPv4Address("80.0.0.0") + offset * 256
    block = ipaddress.ip_network(f"{address}/{block_length}", strict=False)
    prefix = next(block.subnets(new_prefix=min(block_length + extra, 32)))
    route = RouteObjectFactory(prefix=str(block), source="ALTDB", origin=64999 + extra)
    try:
        assert check(str(prefix), asn=13335).irr != IrrVerdict.NOTHING
    finally:
        route.delete()


def _peering(*prefixes, asn=13335, registry="RADB"):
    peering = PeeringFactory(microsoft=True, peer_asn=asn, routing_registry_name=registry)
    for prefix in prefixes:
        AdvertisedPrefixFactory(peering=peering, prefix=prefix)
    return peering


def test_peering_validate_records_each_prefix_state_and_reason_and_the_peering_follows():
    RouteObjectFactory(prefix="80.10.0.0/16")
    peering = _peering("80.10.5.0/24", "81.0.0.0/24")
    peering_validate(peering=peering, actor=SYSTEM)
    states = dict(peering.advertised_prefixes.values_list("prefix", "validation_state"))
    assert states == {"80.10.5.0/24": "Configured", "81.0.0.0/24": "ValidationNeeded"}
    peering.refresh_from_db()
    assert peering.advertised_public_prefixes_state == "ValidationNeeded"
    assert AuditEvent.objects.filter(field="validation_state", actor_kind="system").count() == 2


def test_peering_validate_makes_the_peering_configured_when_every_prefix_passes():
    RouteObjectFactory(prefix="80.10.0.0/16")
    peering = _peering("80.10.5.0/24", "80.10.6.0/24")
    peering_validate(peering=peering, actor=SYSTEM)
    peering.refresh_from_db()
    assert peering.advertised_public_prefixes_state == "Configured"


def test_the_customer_asn_counts_instead_of_the_peer_asn():
    RouteObjectFactory(prefix="80.10.0.0/16", origin=3356)
    peering = _peering("80.10.5.0/24")
    peering.customer_asn = 3356
    peering.save()
    assert peering_validate(peering=peering, actor=SYSTEM)[0].irr == IrrVerdict.COVERED


def test_revalidation_with_the_same_state_updates_the_reason_without_an_audit_event():
    peering = _peering("81.0.0.0/24")
    peering_validate(peering=peering, actor=SYSTEM)
    RouteObjectFactory(prefix="81.0.0.0/16", source="RIPE")
    events = AuditEvent.objects.count()
    peering_validate(peering=peering, actor=SYSTEM)
    prefix = peering.advertised_prefixes.get()
    assert prefix.validation_state == "ValidationNeeded" and "found only in RIPE" in prefix.reason
    assert AuditEvent.objects.count() == events


def test_a_manually_validated_prefix_stays_configured_for_the_same_asn_only():
    peering = _peering("81.0.0.0/24")
    peering.advertised_prefixes.update(validation_state="Configured", manual_validation_asn=13335)
    peering_validate(peering=peering, actor=SYSTEM)
    assert peering.advertised_prefixes.get().validation_state == "Configured"
    peering.customer_asn = 3356
    peering.save()
    peering_validate(peering=peering, actor=SYSTEM)
    assert peering.advertised_prefixes.get().validation_state == "ValidationNeeded"


def test_private_peering_has_nothing_to_validate():
    assert peering_validate(peering=PeeringFactory(), actor=SYSTEM) == []
