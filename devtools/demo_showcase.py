"""Demo circuits that show every value a user can meet and the rest of the estate lacks: a Local
(UnlimitedData) circuit, an ExpressRoute Direct circuit, and an onboarded circuit with IPv6 private
peering, authorizations Available and InUse, and Global Reach to another circuit."""

import uuid
from datetime import timedelta

import time_machine

from circuits import services
from circuits.choices import ConnectionStatusChoices
from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from circuits.models import ServiceProvider
from core.actors import AZURE, SIMULATOR, Actor
from peerings import services as peering_services
from peerings.choices import BgpStateChoices, PeeringTypeChoices

SUBSCRIPTION = uuid.UUID("5b1c0de0-0000-4000-8000-00000000d3e0")
PARTNER_SUBSCRIPTION = uuid.UUID("5b1c0de0-0000-4000-8000-00000000fa27")


def _created(*, name, at, engineer, team, provider, location, **fields):
    with time_machine.travel(at, tick=False):
        return services.circuit_create(
            actor=Actor.person(engineer),
            name=name,
            subscription_id=SUBSCRIPTION,
            resource_group="rg-network-showcase",
            region=location.azure_region or "westeurope",
            service_provider=provider,
            peering_location=location,
            team=team,
            created_at=at,
            **fields,
        )


def _provisioned(circuit, at):
    for offset, state in ((1, ProviderState.PROVISIONING), (4, ProviderState.PROVISIONED)):
        with time_machine.travel(at + timedelta(days=offset), tick=False):
            services.circuit_set_provider_state(circuit=circuit, to=state, actor=SIMULATOR)


def seed_demo_showcase(*, team, engineer, now) -> list:
    provider = ServiceProvider.objects.get(name="Equinix")
    location = provider.peering_locations.order_by("name").first()
    start = now - timedelta(days=60)
    local = _created(
        name="er-demo-showcase-local", at=start, engineer=engineer, team=team, provider=provider,
        location=location, bandwidth_mbps=1000, sku_tier="Local", sku_family="UnlimitedData",
    )  # fmt: skip
    _provisioned(local, start)
    direct = _created(
        name="er-demo-showcase-direct", at=start, engineer=engineer, team=team, provider=provider,
        location=location, bandwidth_mbps=10000, express_route_direct=True, sku_tier="Premium",
        sku_family="UnlimitedData",
    )  # fmt: skip
    port = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-network-showcase/providers/Microsoft.Network/"
    port += "expressRoutePorts/erport-showcase"
    with time_machine.travel(start, tick=False):
        services.reported_fields_record(
            obj=direct, values={"express_route_port_id": port}, actor=AZURE, circuit_id=direct.pk
        )
    _provisioned(direct, start)
    hub = _created(
        name="er-demo-showcase-hub", at=start, engineer=engineer, team=team, provider=provider,
        location=location, bandwidth_mbps=1000, sku_tier="Premium",
    )  # fmt: skip
    _provisioned(hub, start)
    _onboard_with_everything(hub, at=start + timedelta(days=6), engineer=engineer, peer=direct)
    return [local, direct, hub]


def _onboard_with_everything(circuit, *, at, engineer, peer):
    person = Actor.person(engineer)
    with time_machine.travel(at, tick=False):
        peering = peering_services.peering_configure(
            circuit=circuit,
            actor=person,
            peering_type=PeeringTypeChoices.AZURE_PRIVATE,
            peer_asn=64512,
            primary_peer_address_prefix="192.168.250.0/30",
            secondary_peer_address_prefix="192.168.250.4/30",
            ipv6_primary_peer_address_prefix="fd00:250::/126",
            ipv6_secondary_peer_address_prefix="fd00:250::4/126",
            vlan_id=250,
        )
        for session in peering.bgp_sessions.all():
            peering_services.bgp_session_set_state(session=session, to=BgpStateChoices.ESTABLISHED, actor=SIMULATOR)
        services.authorization_create(circuit=circuit, name="auth-spare", actor=person)
        _, key = services.authorization_create(circuit=circuit, name="auth-partner", actor=person)
        link = services.vnet_link_create(
            circuit=circuit,
            name="vnet-partner",
            actor=person,
            subscription_id=PARTNER_SUBSCRIPTION,
            vnet_resource_id=f"/subscriptions/{PARTNER_SUBSCRIPTION}/resourceGroups/rg-partner/providers/"
            "Microsoft.Network/virtualNetworks/vnet-partner",
            gateway_name="ergw-partner",
            authorization_key=key,
        )
        services.vnet_link_set_status(link=link, to=ConnectionStatusChoices.CONNECTED, actor=SIMULATOR)
        services.global_reach_record(
            circuit=circuit,
            connections=[
                {
                    "name": f"gr-to-{peer.name}",
                    "peer_peering_id": f"{peer.azure_resource_id}/peerings/AzurePrivatePeering",
                    "address_prefix": "192.168.251.0/29",
                    "status": "Connected",
                    "provisioning_state": "Succeeded",
                }
            ],
            actor=AZURE,
        )
        services.reported_fields_record(
            obj=circuit, values={"global_reach_enabled": True}, actor=AZURE, circuit_id=circuit.pk
        )
