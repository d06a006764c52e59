"""ARM JSON for ExpressRoute circuits, as Azure Resource Manager, the az CLI and the SDK print it.

Three spellings of every field are read alike: the REST wire format (`peerASN`, state fields under
`properties`), the az CLI's flattened camelCase (`peerAsn`, `azureAsn`) and azure-mgmt-network's
`as_dict()` snake_case (`peer_asn`); a field is found by its name without case or underscores.
A document is one object, a list, or `{"value": [...]}`; ExpressRoute Direct ports
(`Microsoft.Network/expressRoutePorts`) may sit next to the circuits, which then learn their
peering location from them. Enum values are open strings in Azure: unknown ones are kept as they
are, and fields Onramp does not model are kept (`unknown`) to be shown, never dropped.
"""

import ipaddress
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import ijson

from .base import Observation, PeeringObservation

RESOURCE_ID = re.compile(
    r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)"
    r"/providers/Microsoft\.Network/expressRouteCircuits/(?P<name>[^/]+)$",
    re.IGNORECASE,
)
PORT_ID = re.compile(r"/providers/Microsoft\.Network/expressRoutePorts/[^/]+$", re.IGNORECASE)
# Read by every record but not kept: the resource's own identity and ARM's change counter.
NOT_KEPT = {"id", "name", "type", "etag", "resourcegroup", "properties"}


class RecordError(ValueError):
    """A record is not an ExpressRoute circuit Onramp can read; the message says what is wrong."""


def _key(name: str) -> str:
    return name.replace("_", "").lower()


class Fields:
    """One ARM object with `properties` flattened into it, looked up under any spelling.

    Remembers which fields were read, so what is left over can be kept as unknown.
    """

    def __init__(self, raw: dict):
        if not isinstance(raw, dict):
            raise RecordError("not a JSON object")
        items = dict(raw)
        properties = next((v for k, v in raw.items() if _key(k) == "properties"), None)
        if isinstance(properties, dict):
            items.update(properties)
        self._values = {_key(name): value for name, value in items.items()}
        self._names = {_key(name): name for name in items}
        self._read = set(NOT_KEPT)

    def get(self, name: str, default=None):
        self._read.add(_key(name))
        value = self._values.get(_key(name))
        return default if value is None else value

    def object(self, name: str) -> "Fields | None":
        value = self.get(name)
        if value is None or value in ({}, ""):
            return None
        if not isinstance(value, dict):
            raise RecordError(f"{name} is not an object")
        return Fields(value)

    def objects(self, name: str) -> list["Fields"]:
        value = self.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise RecordError(f"{name} is not a list of objects")
        return [Fields(item) for item in value]

    def text(self, name: str, max_length: int) -> str:
        """A string field ("" when absent) that fits its column."""
        value = self.get(name, "")
        if not isinstance(value, str) or len(value) > max_length or not storable(value):
            raise RecordError(f"{name} is not a text of at most {max_length} characters")
        return value

    def reference(self, name: str) -> str:
        """The id of a `{"id": ...}` sub-resource reference, "" when absent."""
        found = self.object(name)
        return found.text("id", MAX_ID_LENGTH) if found else ""

    def unknown(self) -> dict:
        kept = {
            self._names[key]: value
            for key, value in self._values.items()
            if key not in self._read and value not in (None, "", [], {})
        }
        if not storable(kept):
            raise RecordError("a field holds a NUL character or text that is not Unicode")
        return kept


MAX_ID_LENGTH = 400  # the resource id columns


def storable(value) -> bool:
    """Whether PostgreSQL can store the value: no NUL character, no lone surrogate."""
    try:
        text = json.dumps(value, ensure_ascii=False)
        text.encode()
    except (UnicodeEncodeError, ValueError, TypeError):
        return False
    return "\\u0000" not in text


@dataclass
class PortRecord:
    """An ExpressRoute Direct port (ExpressRoutePortGet): where its circuits are."""

    resource_id: str
    peering_location_name: str


@dataclass
class CircuitRecord:
    resource_id: str
    name: str
    subscription_id: uuid.UUID
    resource_group: str
    region: str
    service_key: uuid.UUID | None  # None until Azure issues one (create responses carry all zeros)
    sku_tier: str
    sku_family: str
    service_provider_name: str
    peering_location_name: str
    bandwidth_mbps: int
    express_route_direct: bool
    observation: Observation
    # Circuit model fields recorded as the file gives them.
    attributes: dict = field(default_factory=dict)
    authorization_keys: dict = field(default_factory=dict)  # name → key, only ever stored as a digest


def records_streamed(stream) -> Iterator:
    """The objects of a JSON document read from a binary stream, one at a time: one object, a list,
    or `{"value": [...]}`. A file of 100,000 circuits is never held whole (docs/PERFORMANCE.md);
    unreadable JSON raises ijson.JSONError, possibly after some records were yielded."""
    events = ijson.parse(stream, use_float=True)
    _, event, value = next(events, (None, None, None))
    if event == "start_array":
        yield from _array_items(events)
    elif event == "start_map":
        yield from _top_object(events)
    else:
        raise RecordError('expected a circuit object, a list of them, or {"value": [...]}')
    for _ in events:  # trailing content is an error ijson raises only when asked
        pass


def _top_object(events):
    fields, listed = {}, False
    for _, event, key in events:
        if event == "end_map":
            break
        _, event, value = next(events)
        if key == "value" and event == "start_array":
            listed = True
            yield from _array_items(events)
        else:
            fields[key] = _value(events, event, value)
    if not listed:
        yield fields


def _array_items(events):
    for _, event, value in events:
        if event == "end_array":
            return
        yield _value(events, event, value)


def _value(events, event, value):
    """The JSON value starting at (event, value), built from the events that follow."""
    if event not in ("start_map", "start_array"):
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for _, event, value in events:
        builder.event(event, value)
        depth += event in ("start_map", "start_array")
        depth -= event in ("end_map", "end_array")
        if depth == 0:
            return builder.value
    raise ijson.IncompleteJSONError("the document ends inside a value")


def _require(fields: Fields, key, kind, where=""):
    value = fields.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool) or value == "":
        raise RecordError(f"{where}{key} is missing or not a {kind.__name__}")
    return value


def _uuid(value, what):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise RecordError(f"{what} {value!r} is not a GUID") from None


def service_key_of(value) -> uuid.UUID | None:
    """The service key, or None while Azure has not issued one (empty, or all zeros)."""
    if value in (None, ""):
        return None
    key = _uuid(value, "serviceKey")
    return key if key.int else None


MAX_DIRECT_GBPS = 1000  # ExpressRoute Direct ports are 10 or 100 Gbps; past this a value is nonsense, not a port
# An Azure enum value: one word, at most the 32 characters the state columns hold.
STATE_VALUE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")


def _state(value):
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not STATE_VALUE.fullmatch(value):
        raise RecordError(f"{value!r:.60} is not a state such as Provisioned")
    return value


def is_port(raw) -> bool:
    return isinstance(raw, dict) and bool(PORT_ID.search(str(raw.get("id") or "")))


def parse_port(raw) -> PortRecord:
    fields = Fields(raw)
    return PortRecord(resource_id=fields.get("id"), peering_location_name=_require(fields, "peeringLocation", str))


def _bandwidth(fields: Fields, provider: Fields | None) -> int:
    gbps = fields.get("bandwidthInGbps")
    if gbps:
        if isinstance(gbps, bool) or not isinstance(gbps, (int, float)) or not 0 < gbps <= MAX_DIRECT_GBPS:
            raise RecordError(f"bandwidthInGbps {gbps!r:.30} is not a port speed in Gbps")
        return round(gbps * 1000)
    if provider is None:
        raise RecordError("neither serviceProviderProperties nor bandwidthInGbps (ExpressRoute Direct) is given")
    return _require(provider, "bandwidthInMbps", int, "serviceProviderProperties.")


def parse_circuit(raw) -> CircuitRecord:
    """One circuit from ARM JSON (any spelling); raises RecordError saying what is wrong."""
    fields = Fields(raw)
    resource_id = _require(fields, "id", str)
    match = RESOURCE_ID.match(resource_id)
    if not match:
        raise RecordError(f"id {resource_id!r} is not an ExpressRoute circuit resource id")
    sku = fields.object("sku")
    if sku is None:
        raise RecordError("sku is missing")
    sku.get("name")  # always {tier}_{family}: read so it is not kept as unknown
    provider = fields.object("serviceProviderProperties")
    bandwidth = _bandwidth(fields, provider)
    port_id = fields.reference("expressRoutePort")
    authorizations = fields.objects("authorizations")
    record = CircuitRecord(
        resource_id=resource_id,
        name=fields.text("name", 80) or match["name"],
        subscription_id=_uuid(match["subscription"], "subscription id"),
        resource_group=match["group"],
        region=_require(fields, "location", str),
        service_key=service_key_of(fields.get("serviceKey")),
        sku_tier=_require(sku, "tier", str, "sku."),
        sku_family=_require(sku, "family", str, "sku."),
        service_provider_name=(provider.get("serviceProviderName") or "") if provider else "",
        peering_location_name=(provider.get("peeringLocation") or "") if provider else "",
        bandwidth_mbps=bandwidth,
        express_route_direct=bool(port_id or fields.get("bandwidthInGbps")),
        observation=_observation(fields, authorizations),
        authorization_keys={
            auth.text("name", 80): auth.text("authorizationKey", 200) for auth in authorizations if auth.get("name")
        },
    )
    stag = fields.get("stag")
    if stag is not None and (isinstance(stag, bool) or not isinstance(stag, int) or not 0 <= stag < 2**31):
        raise RecordError(f"stag {stag!r:.30} is not an S-Tag number")
    record.attributes = {
        "express_route_port_id": port_id,
        "allow_classic_operations": fields.get("allowClassicOperations") is True,
        "global_reach_enabled": fields.get("globalReachEnabled") is True,
        "gateway_manager_etag": fields.text("gatewayManagerEtag", 100),
        "stag": stag,
        "service_provider_notes": fields.text("serviceProviderNotes", 500),
    }
    fields.get("authorizationKey")  # the key a Direct circuit was created with: a secret, never kept
    record.attributes["arm_unknown"] = fields.unknown()
    return record


def _observation(fields: Fields, authorizations: list[Fields]) -> Observation:
    statuses = {}
    for auth in authorizations:
        status = _state(auth.get("authorizationUseStatus"))
        auth.get("provisioningState")
        if auth.get("name") and status:
            statuses[auth.get("name")] = status
    return Observation(
        provider_state=_state(fields.get("serviceProviderProvisioningState")),
        circuit_provisioning_state=_state(fields.get("circuitProvisioningState")),
        provisioning_state=_state(fields.get("provisioningState")),
        peerings=[_peering(item) for item in fields.objects("peerings")],
        authorizations=statuses,
    )


def _peering_config(props: Fields, ipv6: Fields | None, microsoft: list[Fields]) -> dict | None:
    """What peering_configure needs, when the file gives the peering's addressing."""
    required = (props.get("peerASN"), props.get("vlanId"), props.get("primaryPeerAddressPrefix"))
    if any(value in (None, "") for value in required):
        return None
    config = {
        "peer_asn": props.get("peerASN"),
        "vlan_id": props.get("vlanId"),
        "primary_peer_address_prefix": props.get("primaryPeerAddressPrefix"),
        "secondary_peer_address_prefix": props.get("secondaryPeerAddressPrefix") or "",
        "shared_key": props.text("sharedKey", 200),
    }
    if ipv6:
        config["ipv6_primary_peer_address_prefix"] = ipv6.text("primaryPeerAddressPrefix", 43)
        config["ipv6_secondary_peer_address_prefix"] = ipv6.text("secondaryPeerAddressPrefix", 43)
    if microsoft:
        config.update(
            advertised_public_prefixes=[p for each in microsoft for p in each.get("advertisedPublicPrefixes") or []],
            customer_asn=microsoft[0].get("customerASN") or None,
            routing_registry_name=microsoft[0].get("routingRegistryName") or "",
        )
    return config


def _microsoft_configs(props: Fields, ipv6: Fields | None) -> list[Fields]:
    """microsoftPeeringConfig of the IPv4 peering and of its IPv6 half, those given."""
    configs = [props.object("microsoftPeeringConfig"), ipv6.object("microsoftPeeringConfig") if ipv6 else None]
    return [config for config in configs if config is not None]


def _prefix(value):
    """A prefix as Onramp stores it (IPv6 in lower case), so Azure's spelling finds the same row."""
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except (TypeError, ValueError):
        return value


def _prefix_states(microsoft: Fields) -> dict:
    prefixes = {}
    for info in microsoft.objects("advertisedPublicPrefixInfo"):
        state = _state(info.get("validationState"))
        if info.get("prefix") and state:
            prefixes[_prefix(info.get("prefix"))] = (state, "Reported by Azure.")
    aggregate = _state(microsoft.get("advertisedPublicPrefixesState"))
    if not prefixes and aggregate in ("Configured", "ValidationNeeded"):
        # Older API versions give only the peering's overall state: apply it to each prefix.
        prefixes = {
            _prefix(p): (aggregate, "Reported by Azure.") for p in microsoft.get("advertisedPublicPrefixes") or []
        }
    return prefixes


def _connection(item: Fields) -> dict:
    """A Global Reach connection (ExpressRouteCircuitConnection), never its authorization key."""
    item.get("authorizationKey")
    ipv6 = item.object("ipv6CircuitConnectionConfig")
    name = item.text("name", 80)
    if not name:
        raise RecordError("a Global Reach connection has no name")
    return {
        "name": name,
        "peer_peering_id": item.reference("peerExpressRouteCircuitPeering"),
        "address_prefix": item.text("addressPrefix", 43),
        "status": _state(item.get("circuitConnectionStatus")) or "",
        "ipv6_address_prefix": ipv6.text("addressPrefix", 43) if ipv6 else "",
        "ipv6_status": (_state(ipv6.get("circuitConnectionStatus")) or "") if ipv6 else "",
        "provisioning_state": _state(item.get("provisioningState")) or "",
    }


def _peering(props: Fields) -> PeeringObservation:
    peering_type = props.get("peeringType") or props.get("name")
    if not isinstance(peering_type, str) or not peering_type:
        raise RecordError("a peering has no peeringType")
    ipv6 = props.object("ipv6PeeringConfig")
    microsoft = _microsoft_configs(props, ipv6)
    config = _peering_config(props, ipv6, microsoft)
    props.get("azureASN")  # always 12076, Microsoft's
    is_microsoft = peering_type == "MicrosoftPeering"
    recorded = {
        "state": _state(props.get("state")) or "",
        "ipv6_state": (_state(ipv6.get("state")) or "") if ipv6 else "",
        "ipv6_route_filter": ipv6.reference("routeFilter") if ipv6 else "",
    }
    if ipv6:
        recorded["ipv6_primary_peer_address_prefix"] = ipv6.text("primaryPeerAddressPrefix", 43)
        recorded["ipv6_secondary_peer_address_prefix"] = ipv6.text("secondaryPeerAddressPrefix", 43)
    observation = PeeringObservation(
        peering_type=peering_type,
        config=config,
        prefixes={prefix: state for config in microsoft for prefix, state in _prefix_states(config).items()},
        provisioning_state=_state(props.get("provisioningState")),
        route_filter=props.reference("routeFilter") if is_microsoft else None,
        connections=[_connection(item) for item in props.objects("connections")],
    )
    props.get("peeredConnections")  # the other circuit's view of the same connections
    recorded["arm_unknown"] = props.unknown()
    observation.recorded = recorded
    return observation
