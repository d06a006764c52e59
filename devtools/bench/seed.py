"""Seed a benchmark estate fast: N circuits in a realistic mix of states, with orders, peerings, BGP
sessions, prefixes, VNet links and audit history, written with bulk_create (no per-row services).

The mix (by share of circuits): deleted 8%, not ordered 12%, ordered 10%, Provisioning 15%,
Deprovisioning 2%, Provisioned without routing 10%, BGP coming up 10%, Microsoft prefixes needing
validation 5%, VNet links connecting 8%, onboarded 20%. Plus one showcase circuit with 2 peerings,
10 VNet links and 200 audit events for the circuit-page measurement.
"""

import random
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Team
from audit.models import AuditEvent
from circuits.models import Circuit, ProviderOrder, ServiceProvider, VNetLink
from insights.services import insights_refresh
from peerings.models import AdvertisedPrefix, BgpSession, Peering

USERNAME, PASSWORD = "bench", "bench-password-not-secret"
BATCH = 5000
EVENTS_PER_CIRCUIT = 4
SHOWCASE_LINKS, SHOWCASE_EVENTS = 10, 200
PRIVATE, MICROSOFT = "AzurePrivatePeering", "MicrosoftPeering"
MIX = (
    ("deleted", 8),
    ("not_ordered", 12),
    ("ordered", 10),
    ("provisioning", 15),
    ("deprovisioning", 2),
    ("no_routing", 10),
    ("bgp_down", 10),
    ("prefixes_pending", 5),
    ("links_connecting", 8),
    ("onboarded", 20),
)
PROVISIONED_KINDS = ("no_routing", "bgp_down", "prefixes_pending", "links_connecting", "onboarded")


def _kinds(count, rng):
    kinds = [kind for kind, share in MIX for _ in range(share)]
    return [rng.choice(kinds) for _ in range(count)]


def _user(team):
    user, _ = get_user_model().objects.get_or_create(username=USERNAME, defaults={"email": "bench@example.com"})
    user.set_password(PASSWORD)
    user.is_staff = True  # the admin changelist is measured as the same (non-superuser) person
    user.save()
    user.groups.set(Group.objects.filter(name__in=("engineer", "manager")))
    team.members.add(user)
    return user


def _circuit(index, kind, provider, rng, teams, now):
    created = now - timedelta(days=rng.randint(1, 700))
    provisioned = kind in PROVISIONED_KINDS
    state = {
        "provisioning": "Provisioning",
        "deprovisioning": "Deprovisioning",
    }.get(kind, "Provisioned" if provisioned else "NotProvisioned")
    return Circuit(
        name=f"er-bench-{index:06d}",
        subscription_id=uuid.UUID(int=rng.getrandbits(128)),
        resource_group=f"rg-network-{index % 40}",
        region="westeurope",
        service_provider=provider,
        peering_location=rng.choice(provider.locations),
        bandwidth_mbps=rng.choice(provider.bandwidths_offered or [1000]),
        service_key=uuid.UUID(int=rng.getrandbits(128)),
        service_provider_provisioning_state=state,
        team=teams[index % len(teams)],
        created_at=created,
        state_changed_at=created + timedelta(days=rng.randint(0, 30)),
        deleted_at=now - timedelta(hours=1) if kind == "deleted" else None,
        deprovision_requested_at=now - timedelta(hours=3) if kind == "deprovisioning" else None,
        last_checked_at=now - timedelta(hours=1),
        last_good_read_at=now - timedelta(hours=1),
        version=1 + EVENTS_PER_CIRCUIT,
    )


def _routing(circuit, kind, rng):
    """Peerings, BGP sessions, prefixes and VNet links for a provisioned circuit of this kind."""
    peerings, sessions, prefixes, links = [], [], [], []
    if kind not in ("bgp_down", "prefixes_pending", "links_connecting", "onboarded"):
        return peerings, sessions, prefixes, links
    octet, block = circuit.pk % 250, circuit.pk // 250 % 250
    private = Peering(
        circuit=circuit,
        peering_type=PRIVATE,
        peer_asn=65000 + octet,
        primary_peer_address_prefix=f"10.{block}.{octet}.0/30",
        secondary_peer_address_prefix=f"10.{block}.{octet}.4/30",
        vlan_id=100,
        configured_by="user",
    )
    peerings.append(private)
    bgp = "Idle" if kind == "bgp_down" else "Established"
    sessions += [(private, link, bgp) for link in ("primary", "secondary")]
    if kind == "prefixes_pending" or rng.random() < 0.3:
        microsoft = Peering(
            circuit=circuit,
            peering_type=MICROSOFT,
            peer_asn=3300 + octet,
            primary_peer_address_prefix=f"80.{block}.{octet}.0/30",
            secondary_peer_address_prefix=f"80.{block}.{octet}.4/30",
            vlan_id=200,
            configured_by="user",
            routing_registry_name="RIPENCC",
            advertised_public_prefixes_state="ValidationNeeded" if kind == "prefixes_pending" else "Configured",
        )
        peerings.append(microsoft)
        state = "ValidationNeeded" if kind == "prefixes_pending" else "Configured"
        prefixes += [(microsoft, f"81.{block}.{octet}.{n * 64}/26", state) for n in range(2)]
        sessions += [
            (microsoft, link, "Established" if state == "Configured" else "Idle") for link in ("primary", "secondary")
        ]
    if kind in ("links_connecting", "onboarded"):
        status = "Connecting" if kind == "links_connecting" else "Connected"
        links += [(circuit, f"vnet-{n}", status) for n in range(rng.randint(1, 3))]
    return peerings, sessions, prefixes, links


def _link(circuit, name, status):
    return VNetLink(
        circuit=circuit,
        name=name,
        vnet_resource_id=f"/subscriptions/{circuit.subscription_id}/resourceGroups/rg-{name}"
        f"/providers/Microsoft.Network/virtualNetworks/{name}",
        subscription_id=circuit.subscription_id,
        gateway_name=f"gw-{name}",
        connection_status=status,
    )


def _events(circuit, count, content_type, rng):
    states = ("NotProvisioned", "Provisioning", "Provisioned")
    return [
        AuditEvent(
            circuit=circuit,
            object_type=content_type,
            object_id=circuit.pk,
            object_repr=circuit.name,
            field="service_provider_provisioning_state",
            from_value=states[n % 3],
            to_value=states[(n + 1) % 3],
            actor_kind=rng.choice(("simulator", "azure", "system")),
            reason="Seeded by the benchmark.",
        )
        for n in range(count)
    ]


@transaction.atomic
def seed_estate(count: int, *, seed: int = 7) -> dict:
    """Create `count` circuits (plus the showcase) and everything around them; returns ids for the bench."""
    rng = random.Random(seed)
    now = timezone.now()
    teams = [Team.objects.get_or_create(name=f"Bench team {n}")[0] for n in range(5)]
    user = _user(teams[0])
    providers = list(ServiceProvider.objects.prefetch_related("peering_locations"))
    for provider in providers:
        provider.locations = list(provider.peering_locations.all())
    providers = [provider for provider in providers if provider.locations]
    # Reads never fail here, so a sweep's duration is the work, not retry back-off.
    ServiceProvider.objects.update(simulated_failure_rate=0)

    kinds = _kinds(count, rng)
    circuits = [_circuit(n, kind, rng.choice(providers), rng, teams, now) for n, kind in enumerate(kinds)]
    layer2 = next(p for p in providers if not p.is_layer3)
    showcase = _circuit(count, "links_connecting", layer2, rng, teams, now)
    showcase.name = "er-bench-showcase"
    showcase.team = teams[0]  # the bench user's team: it is measured as that user
    Circuit.objects.bulk_create([*circuits, showcase], batch_size=BATCH)

    orders = [
        ProviderOrder(
            circuit=c, provider_reference=f"ORD-{c.pk}", status="ordered", service_key_handed_over_at=c.created_at
        )
        for c, kind in zip(circuits, kinds, strict=True)
        if kind not in ("not_ordered",)
    ]
    ProviderOrder.objects.bulk_create(orders, batch_size=BATCH)

    peerings, sessions, prefixes, links = [], [], [], []
    for circuit, kind in zip([*circuits, showcase], [*kinds, "showcase"], strict=True):
        routing = _routing(circuit, "prefixes_pending" if kind == "showcase" else kind, rng)
        for bucket, items in zip((peerings, sessions, prefixes, links), routing, strict=True):
            bucket += items
    links += [(showcase, f"vnet-showcase-{n}", "Connected" if n else "Connecting") for n in range(SHOWCASE_LINKS)]
    Peering.objects.bulk_create(peerings, batch_size=BATCH)
    BgpSession.objects.bulk_create(
        [BgpSession(peering=p, link=link, state=s) for p, link, s in sessions], batch_size=BATCH
    )
    AdvertisedPrefix.objects.bulk_create(
        [AdvertisedPrefix(peering=p, prefix=prefix, validation_state=s) for p, prefix, s in prefixes], batch_size=BATCH
    )
    VNetLink.objects.bulk_create([_link(*link) for link in links], batch_size=BATCH)

    content_type = ContentType.objects.get_for_model(Circuit)
    AuditEvent.objects.bulk_create(
        [event for c in circuits for event in _events(c, EVENTS_PER_CIRCUIT, content_type, rng)], batch_size=BATCH
    )
    AuditEvent.objects.bulk_create(_events(showcase, SHOWCASE_EVENTS, content_type, rng), batch_size=BATCH)
    Circuit.objects.filter(pk=showcase.pk).update(version=SHOWCASE_EVENTS + 1)
    insights_refresh()  # bulk_create sends no signals: the stays, statistics and forecasts in one go
    # Only circuits the bench user may see: the others' pages answer 404, by design (docs/SCOPING.md).
    visible = [c.pk for c, kind in zip(circuits, kinds, strict=True) if kind != "deleted" and c.team == teams[0]]
    visible.append(showcase.pk)
    own_orders = [(o.circuit_id, o.pk) for o in orders if o.circuit.team == teams[0] and o.circuit.deleted_at is None]
    return {
        "user": user.username,
        "password": PASSWORD,
        "showcase": showcase.pk,
        "circuits": rng.sample(visible, min(200, len(visible))),
        "orders": own_orders[:50],
    }
