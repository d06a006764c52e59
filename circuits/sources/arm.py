"""ARM JSON for ExpressRoute circuits, as Azure Resource Manager and the az CLI print it.

Both shapes are accepted: the REST form (state fields under `properties`) and the CLI's
flattened form (`az network express-route list -o json`), one object, a list, or
`{"value": [...]}`. Enum values are open strings in Azure: unknown ones are kept as they are.
"""

import re
import uuid
from dataclasses import dataclass

from .base import Observation, PeeringObservation

RESOURCE_ID = re.compile(
    r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)"
    r"/providers/Microsoft\.Network/expressRouteCircuits/(?P<name>[^/]+)$",
    re.IGNORECASE,
)


class RecordError(ValueError):
    """A record is not an ExpressRoute circuit Onramp can read; the message says what is wrong."""


@dataclass
class CircuitRecord:
    resource_id: str
    name: str
    subscription_id: uuid.UUID
    resource_group: str
    region: str
    service_key: uuid.UUID
    sku_tier: str
    sku_family: str
    service_provider_name: str
    peering_location_name: str
    bandwidth_mbps: int
    express_route_direct: bool
    observation: Observation


def records_in(data) -> list:
    """The circuit objects of a parsed JSON document: one object, a list, or {"value": [...]}."""
    if isinstance(data, dict) and isinstance(data.get("value"), list):
        return data["value"]
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        return [data]
    raise RecordError('expected a circuit object, a list of them, or {"value": [...]}')


def _properties(raw: dict) -> dict:
    properties = raw.get("properties")
    return {**raw, **properties} if isinstance(properties, dict) else raw


def _require(mapping, key, kind, where):
    value = mapping.get(key)
    if not isinstance(value, kind) or value in ("", None):
        raise RecordError(f"{where}{key} is missing or not a {kind.__name__}")
    return value


def _uuid(value, what):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise RecordError(f"{what} {value!r} is not a GUID") from None


MAX_DIRECT_GBPS = 1000  # ExpressRoute Direct ports are 10 or 100 Gbps; past this a value is nonsense, not a port
# An Azure enum value: one word, at most the 32 characters the state columns hold.
STATE_VALUE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")


def _state(value):
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not STATE_VALUE.fullmatch(value):
        raise RecordError(f"{value!r:.60} is not a state such as Provisioned")
    return value


def parse_circuit(raw) -> CircuitRecord:
    """One circuit from ARM JSON (either shape); raises RecordError saying what is wrong."""
    if not isinstance(raw, dict):
        raise RecordError("not a JSON object")
    resource_id = _require(raw, "id", str, "")
    match = RESOURCE_ID.match(resource_id)
    if not match:
        raise RecordError(f"id {resource_id!r} is not an ExpressRoute circuit resource id")
    props = _properties(raw)
    sku = _require(raw, "sku", dict, "")
    provider = props.get("serviceProviderProperties") or {}
    if not isinstance(provider, dict):
        raise RecordError("serviceProviderProperties is not an object")
    gbps = props.get("bandwidthInGbps")
    direct = bool(gbps) or bool(props.get("expressRoutePort"))
    if gbps:
        if isinstance(gbps, bool) or not isinstance(gbps, (int, float)) or not 0 < gbps <= MAX_DIRECT_GBPS:
            raise RecordError(f"bandwidthInGbps {gbps!r:.30} is not a port speed in Gbps")
        bandwidth = round(gbps * 1000)
    else:
        bandwidth = _require(provider, "bandwidthInMbps", int, "serviceProviderProperties.")
    return CircuitRecord(
        resource_id=resource_id,
        name=raw.get("name") or match["name"],
        subscription_id=_uuid(match["subscription"], "subscription id"),
        resource_group=match["group"],
        region=_require(raw, "location", str, ""),
        service_key=_uuid(_require(props, "serviceKey", str, ""), "serviceKey"),
        sku_tier=_require(sku, "tier", str, "sku."),
        sku_family=_require(sku, "family", str, "sku."),
        service_provider_name=provider.get("serviceProviderName") or "",
        peering_location_name=provider.get("peeringLocation") or props.get("peeringLocation") or "",
        bandwidth_mbps=bandwidth,
        express_route_direct=direct,
        observation=observation_from_circuit(props),
    )


def observation_from_circuit(props: dict) -> Observation:
    """What a circuit's ARM properties say about its states, peerings and authorizations."""
    authorizations = {}
    for item in _list(props, "authorizations"):
        auth = _properties(item)
        if auth.get("name") and _state(auth.get("authorizationUseStatus")):
            authorizations[auth["name"]] = auth["authorizationUseStatus"]
    return Observation(
        provider_state=_state(props.get("serviceProviderProvisioningState")),
        circuit_provisioning_state=_state(props.get("circuitProvisioningState")),
        provisioning_state=_state(props.get("provisioningState")),
        peerings=[_peering(item) for item in _list(props, "peerings")],
        authorizations=authorizations,
    )


def _list(props, key):
    value = props.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RecordError(f"{key} is not a list of objects")
    return value


def _peering(item: dict) -> PeeringObservation:
    props = _properties(item)
    peering_type = props.get("peeringType") or props.get("name")
    if not isinstance(peering_type, str) or not peering_type:
        raise RecordError("a peering has no peeringType")
    microsoft = props.get("microsoftPeeringConfig") or {}
    config = None
    if all(props.get(key) not in (None, "") for key in ("peerASN", "vlanId", "primaryPeerAddressPrefix")):
        config = {
            "peer_asn": props["peerASN"],
            "vlan_id": props["vlanId"],
            "primary_peer_address_prefix": props["primaryPeerAddressPrefix"],
            "secondary_peer_address_prefix": props.get("secondaryPeerAddressPrefix") or "",
        }
        if microsoft:
            config.update(
                advertised_public_prefixes=microsoft.get("advertisedPublicPrefixes") or [],
                customer_asn=microsoft.get("customerASN") or None,
                routing_registry_name=microsoft.get("routingRegistryName") or "",
            )
    prefixes = {}
    for info in microsoft.get("advertisedPublicPrefixInfo") or []:
        if isinstance(info, dict) and info.get("prefix") and _state(info.get("validationState")):
            prefixes[info["prefix"]] = (info["validationState"], "Reported by Azure.")
    aggregate = _state(microsoft.get("advertisedPublicPrefixesState"))
    if not prefixes and aggregate in ("Configured", "ValidationNeeded"):
        # Older API versions give only the peering's overall state: apply it to each prefix.
        prefixes = {p: (aggregate, "Reported by Azure.") for p in microsoft.get("advertisedPublicPrefixes") or []}
    return PeeringObservation(
        peering_type=peering_type,
        config=config,
        prefixes=prefixes,
        provisioning_state=_state(props.get("provisioningState")),
        route_filter=(props.get("routeFilter") or {}).get("id", "") if peering_type == "MicrosoftPeering" else None,
    )
