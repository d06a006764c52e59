"""The state-source interface: read what a circuit really is now, as an `Observation`.

An observation holds only what the source reported; `None` (or an empty mapping) means "not
reported, leave as is". sync.polling applies it through the state-machine services, so each
change found becomes exactly one audit event with the source as actor.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.actors import Actor


def observed(obj, relation: str):
    """`obj`'s `relation` rows (e.g. a circuit's "peerings"): the list a sweep chunk read for all its
    circuits at once (sync.polling.OBSERVED_RELATIONS, to_attr "observed_<relation>"), else a query.
    Plain lists, not Django's prefetch cache: that builds a queryset per row and relation, which was
    most of the cost of a check that finds nothing new (docs/PERFORMANCE.md)."""
    rows = getattr(obj, f"observed_{relation}", None)
    return rows if rows is not None else getattr(obj, relation).all()


class SourceError(Exception):
    """A read failed in a way worth retrying (network, throttling, a provider's hiccup)."""


@dataclass
class PeeringObservation:
    peering_type: str
    # Everything peerings.services.peering_configure needs, when the source reports a peering
    # Onramp does not know yet (a Layer 3 provider configured it, or it was set up in Azure).
    config: dict | None = None
    bgp: dict[str, str] = field(default_factory=dict)  # link → state
    prefixes: dict[str, tuple[str, str]] = field(default_factory=dict)  # prefix → (state, reason)
    provisioning_state: str | None = None
    route_filter: str | None = None  # Microsoft peering: the attached route filter's id ("" when none)
    # Peering fields recorded as reported (ARM import): state, IPv6 configuration, unknown fields.
    recorded: dict = field(default_factory=dict)
    connections: list[dict] | None = None  # Global Reach connections; None when not reported


@dataclass
class Observation:
    provider_state: str | None = None
    circuit_provisioning_state: str | None = None
    provisioning_state: str | None = None
    peerings: list[PeeringObservation] = field(default_factory=list)
    vnet_links: dict[str, str] = field(default_factory=dict)  # link name → connectionStatus
    authorizations: dict[str, str] = field(default_factory=dict)  # name → authorizationUseStatus
    # The simulator's next planned step (name, due time), kept on the circuit between reads.
    plan: tuple[str, datetime | None] | None = None


@dataclass(frozen=True)
class ArpEntry:
    """One row of a link's ARP table (listArpTable): `interface` is "On-Prem" or "Microsoft"."""

    age: int  # minutes
    interface: str
    ip_address: str
    mac_address: str


@dataclass(frozen=True)
class RouteSummary:
    """One BGP neighbour of a link (listRoutesTableSummary). `state_or_prefixes` is Azure's
    statePfxRcd: the number of prefixes received while Established, else the BGP state ("Idle")."""

    neighbor: str
    version: int | None
    asn: int | None
    up_down: str
    state_or_prefixes: str

    @property
    def is_established(self) -> bool:
        return self.state_or_prefixes.isdecimal()

    @property
    def prefixes_received(self) -> int | None:
        return int(self.state_or_prefixes) if self.is_established else None


@dataclass(frozen=True)
class LinkDiagnostics:
    """What the Microsoft edge of one link (device path "primary"/"secondary") of a peering reports."""

    arp_table: tuple[ArpEntry, ...] = ()
    routes: tuple[RouteSummary, ...] = ()


class StateSource(Protocol):
    actor: Actor

    @classmethod
    def from_settings(cls) -> "StateSource": ...

    def observe(self, circuit, *, now: datetime) -> Observation:
        """Read the circuit's state; raise SourceError when the read should be retried."""
        ...

    # Optional: `observe_settled(circuit, *, now) -> Observation | None`, what observe() would answer
    # read from the circuit's own row alone, or None (the simulator, sync.polling._observations).

    def read_link_diagnostics(self, circuit, *, peering_type: str, device_path: str, now: datetime) -> LinkDiagnostics:
        """The ARP table and route table summary of one link of a peering, read now (Step 4's
        verification); raise SourceError when the read failed."""
        ...
