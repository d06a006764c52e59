"""Circuits as ARM JSON, the REST wire format `import_circuits` reads back (its inverse).

Secrets never leave: authorization keys and BGP MD5 keys are stored only as digests, so the export
has no `authorizationKey` or `sharedKey`. A circuit still waiting for its service key shows the
all-zero key Azure's create response carries.
"""

import uuid

from django.db.models import Prefetch

from circuits.models import Circuit
from peerings.models import Peering

CIRCUIT_TYPE = "Microsoft.Network/expressRouteCircuits"
NOT_ISSUED = str(uuid.UUID(int=0))
TOP_LEVEL = {"tags"}  # unknown fields ARM keeps beside `properties`, not inside it


def circuits_for_export(*, team=None):
    circuits = (
        Circuit.objects.filter(deleted_at__isnull=True)
        .select_related("service_provider", "peering_location")
        .prefetch_related(
            "authorizations",
            "global_reach_connections",
            Prefetch("peerings", queryset=Peering.objects.prefetch_related("advertised_prefixes")),
        )
        .order_by("pk")
    )
    return circuits.filter(team=team) if team else circuits


def _without_empty(mapping: dict) -> dict:
    return {key: value for key, value in mapping.items() if value not in (None, "")}


def _connection(connection) -> dict:
    properties = {
        "peerExpressRouteCircuitPeering": {"id": connection.peer_peering_id},
        "addressPrefix": connection.address_prefix,
        "circuitConnectionStatus": connection.status,
        "provisioningState": connection.provisioning_state,
    }
    if connection.ipv6_address_prefix or connection.ipv6_status:
        properties["ipv6CircuitConnectionConfig"] = _without_empty(
            {"addressPrefix": connection.ipv6_address_prefix, "circuitConnectionStatus": connection.ipv6_status}
        )
    return {"name": connection.name, "properties": _without_empty(properties)}


def _microsoft_config(peering, *, ipv6: bool) -> dict | None:
    """The IPv4 or the IPv6 half's microsoftPeeringConfig: each lists its own address family's prefixes."""
    prefixes = [prefix for prefix in peering.advertised_prefixes.all() if (":" in prefix.prefix) == ipv6]
    if ipv6 and not prefixes:
        return None
    return _without_empty(
        {
            "advertisedPublicPrefixes": [prefix.prefix for prefix in prefixes],
            "advertisedPublicPrefixInfo": [
                {"prefix": prefix.prefix, "validationState": prefix.validation_state} for prefix in prefixes
            ],
            "advertisedPublicPrefixesState": peering.advertised_public_prefixes_state,
            "customerASN": peering.customer_asn,
            "routingRegistryName": peering.routing_registry_name,
        }
    )


def _peering(peering, connections) -> dict:
    properties = {
        **peering.arm_unknown,
        "peeringType": peering.peering_type,
        "state": peering.state,
        "azureASN": peering.azure_asn,
        "peerASN": peering.peer_asn,
        "primaryPeerAddressPrefix": peering.primary_peer_address_prefix,
        "secondaryPeerAddressPrefix": peering.secondary_peer_address_prefix,
        "vlanId": peering.vlan_id,
        "provisioningState": peering.provisioning_state,
        "connections": [_connection(connection) for connection in connections],
    }
    if peering.is_microsoft:
        properties["microsoftPeeringConfig"] = _microsoft_config(peering, ipv6=False)
        properties["routeFilter"] = {"id": peering.route_filter} if peering.route_filter else None
    if peering.ipv6_primary_peer_address_prefix or peering.ipv6_state:
        properties["ipv6PeeringConfig"] = _without_empty(
            {
                "primaryPeerAddressPrefix": peering.ipv6_primary_peer_address_prefix,
                "secondaryPeerAddressPrefix": peering.ipv6_secondary_peer_address_prefix,
                "state": peering.ipv6_state,
                "microsoftPeeringConfig": _microsoft_config(peering, ipv6=True) if peering.is_microsoft else None,
                "routeFilter": {"id": peering.ipv6_route_filter} if peering.ipv6_route_filter else None,
            }
        )
    return {"name": peering.peering_type, "properties": _without_empty(properties)}


def _placement(circuit) -> dict:
    if circuit.express_route_direct:
        return {
            "expressRoutePort": {"id": circuit.express_route_port_id} if circuit.express_route_port_id else None,
            "bandwidthInGbps": circuit.bandwidth_mbps / 1000
            if circuit.bandwidth_mbps % 1000
            else circuit.bandwidth_mbps // 1000,
        }
    return {
        "serviceProviderProperties": {
            "serviceProviderName": circuit.service_provider.name,
            "peeringLocation": circuit.peering_location.name,
            "bandwidthInMbps": circuit.bandwidth_mbps,
        }
    }


def circuit_to_arm(circuit: Circuit) -> dict:
    """One circuit as ARM returns it (ExpressRouteCircuitGet), from prefetched relations."""
    unknown = circuit.arm_unknown
    # Global Reach connections hang off the private peering in ARM.
    peerings = [
        _peering(
            peering, circuit.global_reach_connections.all() if peering.peering_type == "AzurePrivatePeering" else []
        )
        for peering in circuit.peerings.all()
    ]
    properties = {
        **{key: value for key, value in unknown.items() if key not in TOP_LEVEL},
        "provisioningState": circuit.provisioning_state,
        "serviceProviderProvisioningState": circuit.service_provider_provisioning_state,
        "circuitProvisioningState": circuit.circuit_provisioning_state,
        "serviceKey": str(circuit.service_key) if circuit.service_key else NOT_ISSUED,
        "allowClassicOperations": circuit.allow_classic_operations,
        "globalReachEnabled": circuit.global_reach_enabled,
        "gatewayManagerEtag": circuit.gateway_manager_etag,
        "stag": circuit.stag,
        "serviceProviderNotes": circuit.service_provider_notes,
        **_placement(circuit),
        "authorizations": [
            {"name": auth.name, "properties": {"authorizationUseStatus": auth.authorization_use_status}}
            for auth in circuit.authorizations.all()
        ],
        "peerings": peerings,
    }
    return {
        "name": circuit.name,
        "id": circuit.azure_resource_id,
        "type": CIRCUIT_TYPE,
        "location": circuit.region,
        **{key: value for key, value in unknown.items() if key in TOP_LEVEL},
        "sku": {"name": circuit.sku_name, "tier": circuit.sku_tier, "family": circuit.sku_family},
        "properties": _without_empty(properties),
    }
