"""A realistic demo estate, built through the same services users and sources go through."""

import json
import random
import tempfile
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import Team
from accounts.roles import APPROVER, ENGINEER, MANAGER
from circuits import services
from circuits.choices import ConnectionStatusChoices
from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from circuits.models import Circuit, PeeringLocation, ServiceProvider
from core.actors import SIMULATOR, SYSTEM, Actor
from insights.receivers import refreshes_deferred
from insights.selectors import learned_stuck_rule
from insights.services import insights_refresh
from peerings import services as peering_services
from peerings.choices import BgpStateChoices, PeeringTypeChoices
from registry.services import irr_import, roas_import
from validation.services import peering_validate, ticket_open

from .demo_history import seed_demo_history
from .demo_showcase import seed_demo_showcase

DEMO_USERS = {
    # username: (role, password, team)
    "engineer": (ENGINEER, "demo-engineer-pass", "Network Engineering"),
    "engineer2": (ENGINEER, "demo-engineer2-pass", "Cloud Platform"),
    "approver": (APPROVER, "demo-approver-pass", None),
    "manager": (MANAGER, "demo-manager-pass", None),
}
ADMIN = ("admin", "demo-admin-pass")
# How far each demo circuit has got; the estate cycles through these so every state is present.
STAGES = (
    "new",
    "ordered",
    "provisioning",
    "stuck",
    "provisioned",
    "private_peering",
    "onboarded",
    "microsoft_onboarded",
    "microsoft_validation",
    "microsoft_ticket",
    "deprovisioning",
    "deprovisioned",
    "deleted",
)
CIRCUIT_COUNT = 48
# Azure publishes (docs/DOMAIN.md) only Standard MeteredData Zone 1 prices. So that the demo's billing
# page has figures, the demo adds illustrative rows derived from them, labelled as such; Zone 4 and
# Premium outside Zone 1 stay unpriced to show how "price unknown" is counted apart.
DEMO_PRICE_SOURCE = "Onramp demo: illustrative, not a published Azure price"
DEMO_PRICE_FACTORS = {("Standard", "Zone 2"): "1.25", ("Standard", "Zone 3"): "1.5", ("Premium", "Zone 1"): "1.6"}


def _users():
    User = get_user_model()
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in ("Network Engineering", "Cloud Platform")}
    users = {}
    for username, (role, password, team) in DEMO_USERS.items():
        # No address while the history is played: months-old changes notify in the app, not by e-mail.
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        # Without a team of their own, a reader (approver, manager) answers for the whole estate: a
        # member of every team, since everyone sees only their teams' circuits (circuits_visible_to).
        for member_of in [teams[team]] if team else teams.values():
            member_of.members.add(user)
        users[username] = user
    admin, created = User.objects.get_or_create(username=ADMIN[0], defaults={"is_staff": True, "is_superuser": True})
    if created:
        admin.set_password(ADMIN[1])
        admin.save()
    return users, teams


class _HistoricalClock:
    """Plays one circuit's history at the times it happened, so its timeline agrees with its dates:
    each step some days after the last, never later than the seed's "now"."""

    def __init__(self, *, start, now, rng):
        self.moment, self.now, self.rng = start, now, rng

    def at(self, moment):
        self.moment = min(moment, self.now)
        return time_machine.travel(self.moment, tick=False)

    def after(self, *, days):
        return self.at(self.moment + timedelta(days=days, hours=self.rng.randint(1, 9)))


def _create(clock, **fields):
    with clock.at(clock.moment):
        return services.circuit_create(created_at=clock.moment, **fields)


def _advance(circuit, stage, rng, engineer, clock):
    person = Actor.person(engineer)
    if stage == "new":
        return
    with clock.after(days=1):
        services.provider_order_save(
            circuit=circuit,
            actor=person,
            provider_reference=f"{circuit.service_provider.name[:3].upper()}-{rng.randint(10000, 99999)}",
            contact_name="Provider NOC",
            contact_email="noc@provider.example",
            requested_on=circuit.created_at.date(),
            promised_on=(circuit.created_at + timedelta(days=21)).date(),
            status="ordered",
        )
    if stage == "ordered":
        return
    # Circuits still provisioning started recently (the stuck ones 25 days ago, for circuits_flag_stuck).
    started = clock.now - timedelta(days=25 if stage == "stuck" else rng.randint(1, 6), hours=rng.randint(0, 23))
    with clock.at(started) if stage in ("provisioning", "stuck") else clock.after(days=2):
        services.circuit_set_provider_state(circuit=circuit, to=ProviderState.PROVISIONING, actor=SIMULATOR)
    if stage in ("provisioning", "stuck"):
        return
    with clock.after(days=rng.randint(3, 12)):
        services.circuit_set_provider_state(circuit=circuit, to=ProviderState.PROVISIONED, actor=SIMULATOR)
    if stage == "provisioned":
        return
    if stage in ("deprovisioning", "deprovisioned", "deleted"):
        with clock.after(days=rng.randint(20, 90)):
            services.circuit_request_deprovision(circuit=circuit, actor=person, reason="Site closed.")
        with clock.after(days=1):
            services.circuit_set_provider_state(circuit=circuit, to=ProviderState.DEPROVISIONING, actor=SIMULATOR)
        if stage == "deprovisioning":
            return
        with clock.after(days=3):
            services.circuit_set_provider_state(circuit=circuit, to=ProviderState.NOT_PROVISIONED, actor=SIMULATOR)
        if stage == "deleted":
            with clock.after(days=2):
                services.circuit_delete(circuit=circuit, actor=person, reason="No longer needed.")
        return
    peer_actor = SIMULATOR if circuit.service_provider.is_layer3 else person
    octet = circuit.pk % 250
    if stage in ("private_peering", "onboarded"):
        peering = _configure_peering(
            clock, circuit, peer_actor, PeeringTypeChoices.AZURE_PRIVATE, asn=65010 + octet, network=f"10.{octet}.0"
        )
        _establish_sessions(peering, clock)
        if stage == "onboarded":
            with clock.after(days=1):
                link = services.vnet_link_create(
                    circuit=circuit,
                    name=f"vnet-hub-{octet}",
                    actor=person,
                    subscription_id=circuit.subscription_id,
                    vnet_resource_id=f"{circuit.azure_resource_id.rsplit('/providers/', 1)[0]}"
                    f"/providers/Microsoft.Network/virtualNetworks/vnet-hub-{octet}",
                    gateway_name=f"ergw-hub-{octet}",
                )
            with clock.after(days=0):
                services.vnet_link_set_status(link=link, to=ConnectionStatusChoices.CONNECTED, actor=SIMULATOR)
        return
    # Microsoft peering: validated against the demo's routing data once every circuit exists.
    return _configure_peering(
        clock,
        circuit,
        peer_actor,
        PeeringTypeChoices.MICROSOFT,
        asn=13335 + octet,
        network=f"80.{octet}.1",
        advertised_public_prefixes=[f"80.{octet}.16.0/22", f"80.{octet}.20.0/24"],
        routing_registry_name="RIPENCC",
    )


def _configure_peering(clock, circuit, actor, peering_type, *, asn, network, **microsoft):
    """A peering two days on, its two /30 links in `network` (a.b.c), VLAN by type and circuit."""
    vlan_base = 200 if peering_type == PeeringTypeChoices.MICROSOFT else 100
    with clock.after(days=2):
        return peering_services.peering_configure(
            circuit=circuit,
            actor=actor,
            peering_type=peering_type,
            peer_asn=asn,
            primary_peer_address_prefix=f"{network}.0/30",
            secondary_peer_address_prefix=f"{network}.4/30",
            vlan_id=vlan_base + circuit.pk % 250,
            **microsoft,
        )


def _establish_sessions(peering, clock):
    with clock.after(days=0):
        for session in peering.bgp_sessions.all():
            peering_services.bgp_session_set_state(session=session, to=BgpStateChoices.ESTABLISHED, actor=SIMULATOR)


def _route(prefix, asn, source):
    return f"route:  {prefix}\ndescr:  Onramp demo\norigin: AS{asn}\nmnt-by: DEMO-MNT\nsource: {source}\n\n"


def _demo_routing_data(microsoft_peerings):
    """RPSL and ROA files that give each Microsoft peering stage its verdicts: all registered
    (onboarded), one prefix under another origin and one only in RADB (validation), nothing (ticket)."""
    ripe, radb, roas = [], [], []
    for stage, peering in microsoft_peerings:
        first, second = peering.advertised_prefixes.values_list("prefix", flat=True).order_by("prefix")
        asn = peering.validation_asn
        if stage == "microsoft_onboarded":
            ripe += [_route(first, asn, "RIPE"), _route(second, asn, "RIPE")]
            roas += [{"asn": f"AS{asn}", "prefix": first, "maxLength": 24, "ta": "ripe"}]
        elif stage == "microsoft_validation":
            ripe.append(_route(first, 3320, "RIPE"))
            radb.append(_route(second, asn, "RADB"))
    with tempfile.TemporaryDirectory() as folder:
        paths = {name: Path(folder) / name for name in ("ripe.db", "radb.db", "roas.json")}
        paths["ripe.db"].write_text("".join(ripe))
        paths["radb.db"].write_text("".join(radb))
        paths["roas.json"].write_text(json.dumps({"roas": roas}))
        irr_import(paths=[paths["ripe.db"]], source="RIPE")
        irr_import(paths=[paths["radb.db"]], source="RADB")
        roas_import(paths=[paths["roas.json"]])


def _finish_microsoft_peering(stage, peering, engineer, clock):
    with clock.after(days=1):
        peering_validate(peering=peering, actor=SYSTEM, reason="Demo routing data imported.")
    if stage == "microsoft_onboarded":
        with clock.after(days=1):
            peering_services.peering_set_route_filter(
                peering=peering,
                route_filter=f"{peering.circuit.azure_resource_id.rsplit('/providers/', 1)[0]}"
                "/providers/Microsoft.Network/routeFilters/rf-microsoft-365",
                actor=Actor.person(engineer),
            )
        _establish_sessions(peering, clock)
    elif stage == "microsoft_ticket":
        with clock.after(days=1):
            ticket_open(
                peering=peering,
                prefixes=list(peering.advertised_prefixes.all()),
                actor=Actor.person(engineer),
                note="The prefixes are ours; a Letter of Authorization from the holder is attached to our case.",
            )


def _demo_prices():
    from billing.models import PortPrice

    published = PortPrice.objects.filter(sku_tier="Standard", sku_family="MeteredData", zone="Zone 1")
    for price in published:
        for (tier, zone), factor in DEMO_PRICE_FACTORS.items():
            PortPrice.objects.get_or_create(
                sku_tier=tier,
                sku_family=price.sku_family,
                bandwidth_mbps=price.bandwidth_mbps,
                zone=zone,
                currency=price.currency,
                valid_from=price.valid_from,
                defaults={
                    "monthly_fee": (price.monthly_fee * Decimal(factor)).quantize(Decimal("1")),
                    "source": DEMO_PRICE_SOURCE,
                },
            )


@transaction.atomic
def seed_demo_estate() -> tuple[int, dict]:
    """Create the demo users and circuits unless they exist; returns (circuits created, users)."""
    users, teams = _users()
    _demo_prices()
    if Circuit.objects.filter(name__startswith="er-demo-").exists():
        return 0, users
    # One full insights refresh at the end instead of one queued per circuit; the stuck sweep after it
    # learns from the history.
    with refreshes_deferred():
        created = _seed_circuits(users, teams)
    insights_refresh()
    services.circuits_flag_stuck(rule=learned_stuck_rule())
    _give_addresses()
    return created, users


def _give_addresses():
    """The demo users' e-mail addresses, once their history is written: from now on they hear by mail."""
    for user in get_user_model().objects.filter(username__in=[*DEMO_USERS, ADMIN[0]], email=""):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])


def _seed_circuits(users, teams) -> int:
    rng = random.Random(42)
    providers = list(ServiceProvider.objects.prefetch_related("peering_locations"))
    subscriptions = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(4)]
    now = timezone.now()
    microsoft_peerings = []
    for index in range(CIRCUIT_COUNT):
        provider = providers[index % len(providers)]
        location: PeeringLocation = rng.choice(list(provider.peering_locations.all()))
        stage = STAGES[index % len(STAGES)]
        team_name = "Network Engineering" if index % 3 else "Cloud Platform"
        engineer = users["engineer" if team_name == "Network Engineering" else "engineer2"]
        age = rng.randint(40, 400)
        if stage in ("provisioning", "stuck"):  # ordered lately: months of waiting would skew the insights
            age = 30 + age % 20
        clock = _HistoricalClock(start=now - timedelta(days=age), now=now, rng=rng)
        circuit = _create(
            clock,
            actor=Actor.person(engineer),
            name=f"er-demo-{location.name.lower().replace(' ', '')}-{index:02d}",
            subscription_id=rng.choice(subscriptions),
            resource_group=f"rg-network-{location.azure_region or 'global'}",
            region=location.azure_region or "westeurope",
            service_provider=provider,
            peering_location=location,
            bandwidth_mbps=rng.choice([b for b in provider.bandwidths_offered if b <= 2000]),
            team=teams[team_name],
            sku_tier=rng.choice(["Standard", "Standard", "Premium"]),
        )
        peering = _advance(circuit, stage, rng, engineer, clock)
        if stage.startswith("microsoft_"):
            microsoft_peerings.append((stage, peering, engineer, clock))
    _demo_routing_data([(stage, peering) for stage, peering, _, _ in microsoft_peerings])
    for stage, peering, engineer, clock in microsoft_peerings:
        _finish_microsoft_peering(stage, peering, engineer, clock)
    engineers = {"Network Engineering": users["engineer"], "Cloud Platform": users["engineer2"]}
    history = seed_demo_history(teams=teams, engineers=engineers, now=now, rng=rng)
    showcase = seed_demo_showcase(team=teams["Network Engineering"], engineer=users["engineer"], now=now)
    return CIRCUIT_COUNT + history + len(showcase)
