"""The demo's past: months of circuits through several providers and locations, each played at its
own dates through the services, so /insights/ and the forecasts have a believable history.

Each provider has its own pace for Provisioning (median days), and is slower at its second location,
so the scorecard shows who is slow where. Circuits created lately are still on their way (the
forecasts' subjects); a few are deprovisioned before ever being used."""

import math
import random
import uuid
from datetime import timedelta

import time_machine

from circuits import services
from circuits.choices import ConnectionStatusChoices
from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from circuits.models import ServiceProvider
from core.actors import SIMULATOR, Actor
from peerings import services as peering_services
from peerings.choices import BgpStateChoices, PeeringTypeChoices

HISTORY_COUNT = 80
HISTORY_DAYS = 450
# Median days in Provisioning per provider; its second location takes SLOW_LOCATION times longer.
PROVIDER_PACE = {
    "Equinix": 4,
    "Megaport": 3,
    "Colt": 9,
    "AT&T NetBond": 6,
}
SLOW_LOCATION = 1.8
# Median days for the other steps: order → Provisioning, Provisioned → BGP up, BGP up → VNet Connected.
ORDER_DAYS, ROUTING_DAYS, LINK_DAYS = 2.0, 1.5, 1.0
UNUSED_SHARE = 0.08  # deprovisioned before ever being onboarded


class _Timeline:
    """The moments of one circuit's history; the story stops at `now`, leaving the circuit mid-way."""

    def __init__(self, *, start, now, rng):
        self.moment, self.now, self.rng = start, now, rng

    def wait(self, median_days, sigma=0.5):
        days = self.rng.lognormvariate(math.log(median_days), sigma)
        self.moment += timedelta(days=days)
        return self.moment < self.now

    def travel(self):
        return time_machine.travel(self.moment, tick=False)


def _groups():
    providers = ServiceProvider.objects.filter(name__in=PROVIDER_PACE).prefetch_related("peering_locations")
    for provider in providers.order_by("name"):
        locations = sorted(provider.peering_locations.all(), key=lambda location: location.name)[:2]
        for rank, location in enumerate(locations):
            yield provider, location, PROVIDER_PACE[provider.name] * (SLOW_LOCATION if rank else 1.0)


def seed_demo_history(*, teams, engineers, now, rng: random.Random) -> int:
    """Create HISTORY_COUNT circuits (er-hist-*), each played from its creation day on; returns how many."""
    groups = list(_groups())
    for index in range(HISTORY_COUNT):
        provider, location, pace = groups[index % len(groups)]
        team = "Network Engineering" if index % 3 else "Cloud Platform"
        timeline = _Timeline(start=now - timedelta(days=rng.uniform(5, HISTORY_DAYS)), now=now, rng=rng)
        person = Actor.person(engineers[team])
        with timeline.travel():
            circuit = services.circuit_create(
                actor=person,
                name=f"er-hist-{location.name.lower().replace(' ', '')}-{index:03d}",
                subscription_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                resource_group="rg-network-history",
                region=location.azure_region or "westeurope",
                service_provider=provider,
                peering_location=location,
                bandwidth_mbps=rng.choice([b for b in provider.bandwidths_offered if 200 <= b <= 10000] or [1000]),
                team=teams[team],
                sku_family=rng.choice(["MeteredData", "MeteredData", "UnlimitedData"]),
                created_at=timeline.moment,
            )
        _play(circuit, timeline, pace, person, unused=rng.random() < UNUSED_SHARE)
    return HISTORY_COUNT


def _play(circuit, timeline, pace, person, *, unused):
    for step in (_order, _provision(pace), _route, _link) if not unused else (_order, _provision(pace), _abandon):
        if not step(circuit, timeline, person):
            return


def _order(circuit, timeline, person):
    if not timeline.wait(ORDER_DAYS):
        return False
    with timeline.travel():
        services.circuit_set_provider_state(circuit=circuit, to=ProviderState.PROVISIONING, actor=SIMULATOR)
    return True


def _provision(pace):
    def provision(circuit, timeline, person):
        if not timeline.wait(pace):
            return False
        with timeline.travel():
            services.circuit_set_provider_state(circuit=circuit, to=ProviderState.PROVISIONED, actor=SIMULATOR)
        return True

    return provision


def _route(circuit, timeline, person):
    if not timeline.wait(ROUTING_DAYS):
        return False
    octet = circuit.pk % 250
    actor = SIMULATOR if circuit.service_provider.is_layer3 else person
    with timeline.travel():
        peering = peering_services.peering_configure(
            circuit=circuit,
            actor=actor,
            peering_type=PeeringTypeChoices.AZURE_PRIVATE,
            peer_asn=64600 + octet,
            primary_peer_address_prefix=f"172.{16 + octet % 16}.{octet}.0/30",
            secondary_peer_address_prefix=f"172.{16 + octet % 16}.{octet}.4/30",
            vlan_id=300 + octet,
        )
        for session in peering.bgp_sessions.all():
            peering_services.bgp_session_set_state(session=session, to=BgpStateChoices.ESTABLISHED, actor=SIMULATOR)
    return True


def _link(circuit, timeline, person):
    if not timeline.wait(LINK_DAYS):
        return False
    with timeline.travel():
        link = services.vnet_link_create(
            circuit=circuit,
            name=f"vnet-{circuit.name}",
            actor=person,
            subscription_id=circuit.subscription_id,
            vnet_resource_id=f"/subscriptions/{circuit.subscription_id}/resourceGroups/rg-vnets/providers/"
            f"Microsoft.Network/virtualNetworks/vnet-{circuit.name}",
            gateway_name="ergw-history",
        )
        services.vnet_link_set_status(link=link, to=ConnectionStatusChoices.CONNECTED, actor=SIMULATOR)
    return True


def _abandon(circuit, timeline, person):
    """The site was cancelled: deprovisioned before anything ran over it, then deleted."""
    if not timeline.wait(10):
        return False
    with timeline.travel():
        services.circuit_request_deprovision(circuit=circuit, actor=person, reason="Site project cancelled.")
        services.circuit_set_provider_state(circuit=circuit, to=ProviderState.DEPROVISIONING, actor=SIMULATOR)
    if not timeline.wait(2):
        return False
    with timeline.travel():
        services.circuit_set_provider_state(circuit=circuit, to=ProviderState.NOT_PROVISIONED, actor=SIMULATOR)
        services.circuit_delete(circuit=circuit, actor=person, reason="Never used.")
    return True
