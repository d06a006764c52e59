"""Simulated providers: circuits move the way real providers move them, only faster if asked.

A circuit ordered from a provider goes NotProvisioned → Provisioning → Provisioned after that
provider's delays (ServiceProvider.simulated_*, with jitter); a Layer 3 provider then configures
the peerings; Microsoft peering prefixes get validated; BGP sessions come up; VNet links connect;
a deprovision request goes Deprovisioning → NotProvisioned. Some circuits are slow, some reads fail.

One step at a time per circuit: the simulator plans the next step with a due time (kept on the
circuit) and reports it once due. Every random draw is seeded by (seed, circuit, step), so a run
is reproducible; ONRAMP_SIMULATOR_SPEED divides every delay so a demo moves in seconds.

Prefix outcomes, for Microsoft peering prefixes still waiting for validation: by default the
routing-registry validator (validation.verdicts) judges them; ONRAMP_SIMULATOR_PREFIX_OUTCOME set to
`Configured`, `ValidationNeeded` or `mixed` gives that outcome instead, and ONRAMP_PREFIX_VALIDATOR
may name any callable `(peering) -> {prefix: (state, reason)}`.
"""

import ipaddress
import random
from datetime import timedelta

from django.conf import settings
from django.utils.module_loading import import_string

from circuits.choices import ConnectionStatusChoices, ProviderOrderStatusChoices
from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from core.actors import SIMULATOR
from peerings.choices import AdvertisedPublicPrefixesStateChoices, BgpStateChoices, PeeringTypeChoices
from peerings.choices import PrefixValidationStateChoices as PrefixState
from validation.verdicts import prefixes_check

from .base import ArpEntry, LinkDiagnostics, Observation, PeeringObservation, RouteSummary, SourceError, observed

BGP_VERSION = 4
SIMULATED_PRIVATE_ROUTES = (1, 40)  # how many routes a simulated on-premises network announces
# Below Active, no packet crossed the link yet: the edge knows only its own address (Azure's sign
# of a provider-side problem in the portal's ARP view).
LAYER2_DOWN = (BgpStateChoices.IDLE,)
SLOW_FACTOR = 20  # a slow provider takes this many times its usual delay
# Writes that bypass the services (a shell, a data migration) move no circuit's version: a plan kept
# from the row alone (observe_settled) is drawn again from everything once in this many minutes.
SETTLED_FULL_READ_MINUTES = 10
MICROSOFT_PEERING_SHARE = 0.5  # share of Layer 3 circuits that also get Microsoft peering
OPEN_ORDER_STATUSES = (ProviderOrderStatusChoices.ORDERED, ProviderOrderStatusChoices.ACKNOWLEDGED)
PENDING_PREFIX_STATES = (PrefixState.NOT_CONFIGURED, PrefixState.CONFIGURING)


def registry_verdicts(peering):
    """The routing-registry validator's verdict on each advertised prefix of a Microsoft peering."""
    prefixes = [prefix.prefix for prefix in peering.advertised_prefixes.all()]
    findings = prefixes_check(prefixes, asn=peering.validation_asn, registry=peering.routing_registry_name)
    return {finding.prefix: (finding.state, finding.reason) for finding in findings}


def outcome_validator(outcome: str):
    """A stand-in for the routing-registry validator: every prefix gets `outcome`, or a mix."""

    def validate(peering):
        results = {}
        for index, prefix in enumerate(peering.advertised_prefixes.order_by("prefix")):
            state = outcome
            if outcome == "mixed":
                state = PrefixState.CONFIGURED if index % 2 == 0 else PrefixState.VALIDATION_NEEDED
            reason = (
                f"Route object for {prefix.prefix} with origin AS{peering.validation_asn} found (simulated)."
                if state == PrefixState.CONFIGURED
                else f"No route object for {prefix.prefix} with origin AS{peering.validation_asn} in "
                f"{peering.routing_registry_name} (simulated): register one or request manual validation."
            )
            results[prefix.prefix] = (state, reason)
        return results

    return validate


class Simulator:
    actor = SIMULATOR

    def __init__(self, *, seed=0, speed=1.0, prefix_validator=None):
        self.seed = seed
        self.speed = speed
        self.prefix_validator = prefix_validator or outcome_validator(PrefixState.CONFIGURED)

    def _verdicts(self, peering):
        """The validator's verdicts on the prefixes still waiting; decided ones (e.g. manually) stay."""
        pending = set(
            peering.advertised_prefixes.filter(validation_state__in=PENDING_PREFIX_STATES).values_list(
                "prefix", flat=True
            )
        )
        return {prefix: verdict for prefix, verdict in self.prefix_validator(peering).items() if prefix in pending}

    @classmethod
    def from_settings(cls):
        outcome = settings.ONRAMP_SIMULATOR_PREFIX_OUTCOME
        if settings.ONRAMP_PREFIX_VALIDATOR:
            validator = import_string(settings.ONRAMP_PREFIX_VALIDATOR)
        else:
            validator = registry_verdicts if outcome == "registry" else outcome_validator(outcome)
        return cls(
            seed=settings.ONRAMP_SIMULATOR_SEED, speed=settings.ONRAMP_SIMULATOR_SPEED, prefix_validator=validator
        )

    def _rng(self, circuit, *parts):
        return random.Random(":".join(str(part) for part in (self.seed, circuit.pk, *parts)))

    def observe(self, circuit, *, now):
        self._read(circuit)
        step = self._next_step(circuit)
        if step is None:
            return Observation(plan=("", None))
        name, delay, report = step
        if circuit.simulator_step != name or circuit.simulator_step_due_at is None:
            due = now + self._wait(circuit, name, delay)
            if due > now:
                return Observation(plan=(name, due))
        elif circuit.simulator_step_due_at > now:
            return Observation(plan=(name, circuit.simulator_step_due_at))  # the plan stands
        observation = report()
        observation.plan = ("", None)
        return observation

    def observe_settled(self, circuit, *, now):
        """What observe() answers, from the circuit's own row, when its plan was made at its current
        version (nothing the plan was drawn from changed since) and is not due: nothing new. None
        when the related rows must be read (sync.polling then prefetches them for observe()), and in
        one minute out of SETTLED_FULL_READ_MINUTES."""
        if circuit.simulator_planned_version != circuit.version:
            return None
        if (int(now.timestamp()) // 60 + circuit.pk) % SETTLED_FULL_READ_MINUTES == 0:  # each in its own minute
            return None
        if circuit.simulator_step and (circuit.simulator_step_due_at is None or circuit.simulator_step_due_at <= now):
            return None
        self._read(circuit)
        return Observation(plan=(circuit.simulator_step, circuit.simulator_step_due_at))

    def _read(self, circuit):
        provider = circuit.service_provider
        draw = self._rng(circuit, "read", circuit.last_checked_at, circuit.check_failures).random()
        if draw < provider.simulated_failure_rate:
            raise SourceError(f"{provider} did not answer (simulated outage).")

    def _wait(self, circuit, step, delay: timedelta) -> timedelta:
        provider = circuit.service_provider
        jitter = 1 + self._rng(circuit, step).uniform(-provider.simulated_jitter, provider.simulated_jitter)
        # A provider already late with a circuit (flagged stuck) stays late, as real ones do.
        slow = circuit.is_stuck or self._rng(circuit, "slow").random() < provider.simulated_slow_rate
        return delay * max(jitter, 0) * (SLOW_FACTOR if slow else 1) / self.speed

    def _next_step(self, circuit):
        """(step name, delay, report) for what the provider does next with this circuit, or None."""
        provider = circuit.service_provider
        state = circuit.service_provider_provisioning_state
        if state == ProviderState.PROVISIONED and circuit.deprovision_requested_at:
            return (
                "deprovisioning",
                provider.simulated_routing_delay,
                _report(provider_state=ProviderState.DEPROVISIONING),
            )
        if state == ProviderState.DEPROVISIONING:
            return (
                "deprovisioned",
                provider.simulated_deprovisioning_delay,
                _report(provider_state=ProviderState.NOT_PROVISIONED),
            )
        if state in (ProviderState.NOT_PROVISIONED, ProviderState.DEPROVISIONED) and _has_open_order(circuit):
            return "provisioning", provider.simulated_start_delay, _report(provider_state=ProviderState.PROVISIONING)
        if state == ProviderState.PROVISIONING:
            return (
                "provisioned",
                provider.simulated_provisioning_delay,
                _report(provider_state=ProviderState.PROVISIONED),
            )
        if circuit.is_provisioned:
            return self._next_routing_step(circuit)
        return None

    def _next_routing_step(self, circuit):
        delay = circuit.service_provider.simulated_routing_delay
        peerings = {peering.peering_type: peering for peering in observed(circuit, "peerings")}
        if circuit.service_provider.is_layer3:
            for peering_type in self._peerings_wanted(circuit):
                if peering_type not in peerings:
                    config = _peering_config(circuit, peering_type, used_vlans={p.vlan_id for p in peerings.values()})
                    return (
                        f"configure:{peering_type}",
                        delay,
                        lambda t=peering_type, c=config: Observation(peerings=[PeeringObservation(t, config=c)]),
                    )
        # Related rows are read whole (observed()) and filtered here, so a chunk prefetched together
        # (sync.polling.circuits_check) costs no query per circuit.
        for peering in peerings.values():
            states = (prefix.validation_state for prefix in observed(peering, "advertised_prefixes"))
            if peering.is_microsoft and any(state in PENDING_PREFIX_STATES for state in states):
                return (
                    f"validate:{peering.peering_type}",
                    delay,
                    lambda p=peering: Observation(
                        peerings=[PeeringObservation(p.peering_type, prefixes=self._verdicts(p))]
                    ),
                )
        for peering in peerings.values():
            ready = (
                not peering.is_microsoft
                or peering.advertised_public_prefixes_state == AdvertisedPublicPrefixesStateChoices.CONFIGURED
            )
            if ready and any(
                session.state != BgpStateChoices.ESTABLISHED for session in observed(peering, "bgp_sessions")
            ):
                established = {link: BgpStateChoices.ESTABLISHED for link in ("primary", "secondary")}
                return (
                    f"bgp:{peering.peering_type}",
                    delay,
                    lambda p=peering, e=established: Observation(peerings=[PeeringObservation(p.peering_type, bgp=e)]),
                )
        waiting = ConnectionStatusChoices.CONNECTING, ConnectionStatusChoices.UNKNOWN
        link = next((link for link in observed(circuit, "vnet_links") if link.connection_status in waiting), None)
        if link is not None:
            return (
                f"link:{link.name}",
                delay,
                _report(vnet_links={link.name: ConnectionStatusChoices.CONNECTED}),
            )
        return None

    def read_link_diagnostics(self, circuit, *, peering_type, device_path, now):
        """The ARP table and BGP summary the Microsoft edge would show, derived from the peering's
        /30 (peer router .1, Microsoft .2), its ASN and the BGP session Onramp knows for the link."""
        peering = next((p for p in circuit.peerings.all() if p.peering_type == peering_type), None)
        if peering is None:
            raise SourceError(f"{peering_type} is not configured on {circuit.name}.")
        subnet = ipaddress.ip_network(getattr(peering, f"{device_path}_peer_address_prefix"), strict=False)
        peer_address, microsoft_address = str(subnet[1]), str(subnet[2])
        session = next((s for s in peering.bgp_sessions.all() if s.link == device_path), None)
        state = session.state if session else BgpStateChoices.IDLE
        rng = self._rng(circuit, "edge", peering_type, device_path)
        arp = [ArpEntry(age=0, interface="Microsoft", ip_address=microsoft_address, mac_address=_mac(rng))]
        if circuit.is_provisioned and state not in LAYER2_DOWN:
            arp.insert(
                0, ArpEntry(age=rng.randint(0, 59), interface="On-Prem", ip_address=peer_address, mac_address=_mac(rng))
            )
        route = RouteSummary(
            neighbor=peer_address,
            version=BGP_VERSION,
            asn=peering.peer_asn,
            up_down=bgp_up_down(now - session.changed_at if session else None),
            # Azure's statePfxRcd: the prefix count while Established, else the state's name.
            state_or_prefixes=str(_prefixes_received(peering, rng)) if state == BgpStateChoices.ESTABLISHED else state,
        )
        return LinkDiagnostics(arp_table=tuple(arp), routes=(route,))

    def _peerings_wanted(self, circuit):
        wanted = [PeeringTypeChoices.AZURE_PRIVATE]
        if self._rng(circuit, "microsoft").random() < MICROSOFT_PEERING_SHARE:
            wanted.append(PeeringTypeChoices.MICROSOFT)
        return wanted


def _report(**fields):
    return lambda: Observation(**fields)


def _has_open_order(circuit):
    # An order from before the last deprovisioning is history, not a request to provision again.
    since = circuit.deprovisioned_at
    for order in observed(circuit, "provider_orders"):
        handed_over = order.service_key_handed_over_at
        if order.status in OPEN_ORDER_STATUSES and (since is None or (handed_over and handed_over > since)):
            return True
    return False


def _peering_config(circuit, peering_type, *, used_vlans):
    """The routing a Layer 3 provider sets up: addresses and VLANs derived from the circuit."""
    octet, block = circuit.pk % 250, circuit.pk // 250 % 250
    vlan = next(
        v for v in range(100 if peering_type == PeeringTypeChoices.AZURE_PRIVATE else 200, 4095) if v not in used_vlans
    )
    if peering_type == PeeringTypeChoices.AZURE_PRIVATE:
        return {
            "peer_asn": 65000 + octet,
            "primary_peer_address_prefix": f"10.{block}.{octet}.0/30",
            "secondary_peer_address_prefix": f"10.{block}.{octet}.4/30",
            "vlan_id": vlan,
        }
    return {
        "peer_asn": 3300 + octet,
        "primary_peer_address_prefix": f"80.{block}.{octet}.0/30",
        "secondary_peer_address_prefix": f"80.{block}.{octet}.4/30",
        "vlan_id": vlan,
        "advertised_public_prefixes": [f"81.{block}.{octet}.0/24"],
        "routing_registry_name": "RIPENCC",
    }


def _prefixes_received(peering, rng) -> int:
    """Microsoft peering: the advertised prefixes Microsoft accepted; private: a simulated network."""
    if peering.is_microsoft:
        return sum(
            1 for prefix in peering.advertised_prefixes.all() if prefix.validation_state == PrefixState.CONFIGURED
        )
    return rng.randint(*SIMULATED_PRIVATE_ROUTES)


def _mac(rng):
    # A unicast, locally administered address (first octet xxxxxx10), as no real vendor's.
    octets = [rng.randrange(256) for _ in range(6)]
    octets[0] = octets[0] & 0xFC | 0x02
    return ":".join(f"{octet:02x}" for octet in octets)


def bgp_up_down(elapsed: timedelta | None) -> str:
    """A duration as a router's BGP summary prints it: hh:mm:ss within a day, then 3d04h, then 2w1d."""
    if elapsed is None:
        return "never"
    seconds = max(int(elapsed.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    if days >= 7:
        return f"{days // 7}w{days % 7}d"
    if days:
        return f"{days}d{rest // 3600:02d}h"
    return f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
