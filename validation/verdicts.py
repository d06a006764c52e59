"""The prefix validator: IRR and RPKI verdicts per advertised prefix, and what they mean on Azure.

`prefixes_check` judges prefixes against an ASN and a registry's imported routing data, and writes
nothing (the validate_prefixes command and the simulator use it as is); `validation.services.peering_validate`
records its findings for a Microsoft peering.
"""

import enum
from dataclasses import dataclass

from core.net import is_private_asn, parse_network, special_use_reason
from peerings.choices import PrefixValidationStateChoices as PrefixState
from registry.registries import azure_registry_name, rpsl_source
from registry.selectors import roas_covering, routes_covering, routes_more_specific


class IrrVerdict(enum.StrEnum):
    EXACT = "exact route object"
    COVERED = "covered by a less-specific route object"
    OTHER_ORIGINS = "route objects with other origins"
    OTHER_REGISTRY = "only in another registry"
    NOTHING = "nothing found"


class RpkiVerdict(enum.StrEnum):
    """RFC 6811 route origin validation states."""

    VALID = "Valid"
    INVALID_ORIGIN = "Invalid (origin)"
    INVALID_LENGTH = "Invalid (maxLength)"
    NOT_FOUND = "NotFound"

    @property
    def is_invalid(self):
        return self in (RpkiVerdict.INVALID_ORIGIN, RpkiVerdict.INVALID_LENGTH)


IRR_PASSES = {IrrVerdict.EXACT, IrrVerdict.COVERED}


@dataclass(frozen=True)
class PrefixFinding:
    prefix: str
    irr: IrrVerdict
    irr_detail: str
    rpki: RpkiVerdict
    rpki_detail: str
    state: str
    reason: str

    @property
    def passes(self):
        return self.state == PrefixState.CONFIGURED

    @property
    def state_color(self):
        return PrefixState.color(self.state)


def _asns(values):
    return ", ".join(f"AS{asn}" for asn in sorted(set(values)))


def _irr(network, routes, *, asn, source):
    in_registry = [route for route in routes if route["source"] == source]
    matching = [route for route in in_registry if route["origin"] == asn]
    if any(route["length"] == network.prefixlen for route in matching):
        return IrrVerdict.EXACT, f"route object {network} with origin AS{asn} in {source}"
    if matching:
        closest = max(matching, key=lambda route: route["length"])
        return IrrVerdict.COVERED, f"covered by route object {closest['prefix']} with origin AS{asn} in {source}"
    if in_registry:
        return IrrVerdict.OTHER_ORIGINS, (
            f"route objects in {source} for {network} have origin {_asns(r['origin'] for r in in_registry)}, "
            f"not AS{asn}"
        )
    if routes:
        registries = ", ".join(sorted({route["source"] for route in routes}))
        return IrrVerdict.OTHER_REGISTRY, (
            f"no route object in {source}; found only in {registries} "
            f"(origin {_asns(route['origin'] for route in routes)})"
        )
    more_specific = routes_more_specific(network, source=source).values_list("prefix", flat=True)[:3]
    hint = f"; only more-specific objects exist ({', '.join(more_specific)})" if more_specific else ""
    return IrrVerdict.NOTHING, f"no route object in {source} covers {network}{hint}"


def _rpki(network, roas, *, asn):
    if not roas:
        return RpkiVerdict.NOT_FOUND, "no ROA covers it"
    same_origin = [roa for roa in roas if roa["asn"] == asn]
    if any(network.prefixlen <= roa["max_length"] for roa in same_origin):
        return RpkiVerdict.VALID, f"a ROA authorises AS{asn}"
    if same_origin:
        widest = max(roa["max_length"] for roa in same_origin)
        return RpkiVerdict.INVALID_LENGTH, f"the ROA for AS{asn} allows prefixes up to /{widest} only"
    return RpkiVerdict.INVALID_ORIGIN, f"the covering ROAs authorise {_asns(roa['asn'] for roa in roas)}, not AS{asn}"


def _other_registry_advice(routes, asn, registry):
    right = sorted({route["source"] for route in routes if route["origin"] == asn})
    choices = [name for name in map(azure_registry_name, right) if name]
    register = f"a route object with origin AS{asn} in {registry}, or request manual validation."
    if choices:
        return f"Choose {' or '.join(choices)} as the routing registry, or register {register}"
    return f"Register {register}"


def _state_and_reason(network, irr, irr_detail, rpki, rpki_detail, *, asn, registry, routes):
    """Map the verdicts onto Azure's validationState, with a sentence saying why and what to do."""
    found = f"IRR: {irr_detail}; RPKI {rpki}: {rpki_detail}."
    special = special_use_reason(network)
    if special:
        return PrefixState.VALIDATION_FAILED, (
            f"{network} is {special}: Microsoft peering accepts only public addresses you own. "
            "Remove it from the advertised prefixes."
        )
    if is_private_asn(asn):
        return PrefixState.MANUAL_VALIDATION_NEEDED, (
            f"AS{asn} is a private AS number, which routing registries cannot validate: "
            f"request manual validation with a Letter of Authorization. {found}"
        )
    if irr in IRR_PASSES and rpki.is_invalid:
        return PrefixState.VALIDATION_NEEDED, (
            f"{found} The route object matches but RPKI marks the route Invalid: fix the ROA with your RIR, "
            "or request manual validation."
        )
    if irr in IRR_PASSES:
        return PrefixState.CONFIGURED, found
    if irr == IrrVerdict.OTHER_ORIGINS:
        return PrefixState.ASN_VALIDATION_FAILED, (
            f"{found} Fix the origin of the route object to AS{asn} (or set the customer ASN to the "
            "prefix's registered origin), or request manual validation."
        )
    if irr == IrrVerdict.OTHER_REGISTRY:
        return PrefixState.VALIDATION_NEEDED, f"{found} {_other_registry_advice(routes, asn, registry)}"
    return PrefixState.VALIDATION_NEEDED, (
        f"{found} Register a route object for {network} with origin AS{asn} in {registry}, "
        "or request manual validation."
    )


def prefixes_check(prefixes, *, asn: int, registry: str) -> list[PrefixFinding]:
    """Judge each prefix against `asn` in `registry` (Azure's or the RPSL name): a few indexed queries in all."""
    source = rpsl_source(registry)
    networks = [parse_network(prefix, field="prefixes") for prefix in prefixes]
    routes = routes_covering(networks)
    roas = roas_covering(networks)
    findings = []
    for network in networks:
        irr, irr_detail = _irr(network, routes[network], asn=asn, source=source)
        rpki, rpki_detail = _rpki(network, roas[network], asn=asn)
        state, reason = _state_and_reason(
            network, irr, irr_detail, rpki, rpki_detail, asn=asn, registry=source, routes=routes[network]
        )
        findings.append(PrefixFinding(str(network), irr, irr_detail, rpki, rpki_detail, state, reason))
    return findings
