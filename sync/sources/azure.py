"""Azure Resource Manager, read-only: circuits, peerings, authorizations and VNet connections.

Credentials come from the environment as azure-identity's DefaultAzureCredential expects
(AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET, a managed identity, or `az login`);
ONRAMP_AZURE_SUBSCRIPTIONS lists the subscriptions to read. Throttling (429 with Retry-After) and
transient errors are retried by azure-core's retry policy; what still fails is a SourceError, so
the poller backs off and eventually marks the circuit stale.
"""

import functools

from azure.core.exceptions import AzureError, ResourceNotFoundError
from azure.core.rest import HttpRequest
from django.conf import settings

from core.actors import AZURE

from .arm import CircuitRecord, PortRecord, RecordError, parse_circuit, parse_port
from .base import ArpEntry, LinkDiagnostics, Observation, RouteSummary, SourceError, observed

RETRY_TOTAL = 4


@functools.cache
def _default_credential():
    """One credential per process, so its token is reused across checks instead of fetched for each."""
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential()


def _resource_group(resource_id: str) -> str:
    parts = resource_id.split("/")
    lowered = [part.lower() for part in parts]
    return parts[lowered.index("resourcegroups") + 1] if "resourcegroups" in lowered else ""


class AzureSource:
    actor = AZURE

    def __init__(self, *, credential, subscriptions, transport=None):
        self.credential = credential
        self.subscriptions = [str(sub) for sub in subscriptions]
        self.transport = transport
        self._clients = {}

    @classmethod
    def from_settings(cls):
        return cls(credential=_default_credential(), subscriptions=settings.ONRAMP_AZURE_SUBSCRIPTIONS)

    def _client(self, subscription_id):
        from azure.mgmt.network import NetworkManagementClient

        subscription_id = str(subscription_id)
        if subscription_id not in self._clients:
            options = {"transport": self.transport} if self.transport is not None else {}
            self._clients[subscription_id] = NetworkManagementClient(
                self.credential, subscription_id, retry_total=RETRY_TOTAL, **options
            )
        return self._clients[subscription_id]

    def observe(self, circuit, *, now) -> Observation:
        client = self._client(circuit.subscription_id)
        try:
            found = client.express_route_circuits.get(circuit.resource_group, circuit.name)
            observation = parse_circuit(found.as_dict()).observation
            for link in observed(circuit, "vnet_links"):
                connection = self._client(link.subscription_id).virtual_network_gateway_connections.get(
                    _resource_group(link.vnet_resource_id), link.name
                )
                if connection.connection_status:
                    observation.vnet_links[link.name] = connection.connection_status
        except ResourceNotFoundError as error:
            message = f"Azure does not know {circuit.azure_resource_id} (or one of its links): {error.reason}"
            raise SourceError(message) from error
        except AzureError as error:
            raise SourceError(f"Azure Resource Manager: {error.message}") from error
        except RecordError as error:
            raise SourceError(f"Azure answered something Onramp cannot read: {error}") from error
        return observation

    def read_link_diagnostics(self, circuit, *, peering_type, device_path, now) -> LinkDiagnostics:
        """listArpTable and listRoutesTableSummary of one link: long-running POSTs, awaited here."""
        operations = self._client(circuit.subscription_id).express_route_circuits
        where = (circuit.resource_group, circuit.name, peering_type, device_path)
        try:
            arp = operations.begin_list_arp_table(*where).result()
            routes = operations.begin_list_routes_table_summary(*where).result()
            return parse_link_diagnostics(arp=arp.as_dict(), routes=routes.as_dict())
        except ResourceNotFoundError as error:
            raise SourceError(f"Azure does not know {peering_type} of {circuit.name}: {error.reason}") from error
        except AzureError as error:
            raise SourceError(f"Azure Resource Manager: {error.message}") from error
        except (KeyError, TypeError, ValueError) as error:
            raise SourceError(f"Azure answered a {device_path} link reading Onramp cannot read: {error!r}") from error

    def list_ports(self) -> list[PortRecord]:
        """The ExpressRoute Direct ports of the configured subscriptions: where Direct circuits are."""
        ports = []
        for subscription_id in self.subscriptions:
            try:
                ports += [
                    parse_port(found.as_dict()) for found in self._client(subscription_id).express_route_ports.list()
                ]
            except AzureError as error:
                raise SourceError(
                    f"Listing ExpressRoute ports of subscription {subscription_id}: {error.message}"
                ) from error
            except RecordError as error:
                raise SourceError(f"Azure answered a port Onramp cannot read: {error}") from error
        return ports

    def subscription_names(self) -> dict[str, str]:
        """{subscription id: displayName} of the configured subscriptions (ARM's Subscriptions API,
        through the network client's authenticated pipeline: no extra SDK)."""
        names = {}
        for subscription_id in self.subscriptions:
            request = HttpRequest("GET", f"/subscriptions/{subscription_id}", params={"api-version": "2022-12-01"})
            try:
                response = self._client(subscription_id).send_request(request)
                response.raise_for_status()
                names[subscription_id] = response.json().get("displayName", "")
            except (AzureError, ValueError) as error:
                raise SourceError(f"Reading the name of subscription {subscription_id}: {error}") from error
        return names

    def list_circuits(self) -> list[CircuitRecord]:
        """Every circuit in the configured subscriptions (for the sync that adds new ones)."""
        records = []
        for subscription_id in self.subscriptions:
            try:
                for found in self._client(subscription_id).express_route_circuits.list_all():
                    records.append(parse_circuit(found.as_dict()))
            except AzureError as error:
                raise SourceError(f"Listing circuits of subscription {subscription_id}: {error.message}") from error
        return records


def parse_link_diagnostics(*, arp: dict, routes: dict) -> LinkDiagnostics:
    """ExpressRouteCircuitsArpTableListResult and ExpressRouteCircuitsRoutesTableSummaryListResult
    (ARM JSON) as one link's diagnostics. statePfxRcd may come as a number or a state name."""
    return LinkDiagnostics(
        arp_table=tuple(
            ArpEntry(
                age=int(entry.get("age") or 0),
                interface=entry.get("interface", ""),
                ip_address=entry["ipAddress"],
                mac_address=entry.get("macAddress", ""),
            )
            for entry in arp.get("value") or ()
        ),
        routes=tuple(
            RouteSummary(
                neighbor=row["neighbor"],
                version=row.get("v"),
                asn=row.get("as"),
                up_down=str(row.get("upDown", "")),
                state_or_prefixes=str(row.get("statePfxRcd", "")),
            )
            for row in routes.get("value") or ()
        ),
    )
