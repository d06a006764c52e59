"""Step 4's verification, as the Azure portal offers it per peering and link: the ARP table (is the
provider's side answering on the /30?) and the route table summary (BGP neighbour, state, up/down
time, prefixes received), read from the state source on demand.

A reading is a snapshot, not state: it is never stored in the database nor taken on every sweep.
The last one per circuit is kept in the cache (read back by circuits.selectors.circuit_last_reading),
so every open page of the circuit shows it with its
read time until the next "Check now".
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from circuits import services
from circuits.models import Circuit
from circuits.selectors import diagnostics_cache_key
from core.actors import Actor
from core.errors import DomainError

from . import polling
from .sources import LinkDiagnostics, SourceError, StateSource

DEVICE_PATHS = ("primary", "secondary")
READING_KEPT_SECONDS = 24 * 3600  # an older snapshot says more about then than about now


@dataclass(frozen=True)
class LinkReading:
    device_path: str
    diagnostics: LinkDiagnostics | None
    error: str = ""


@dataclass(frozen=True)
class PeeringReading:
    peering_type: str
    links: tuple[LinkReading, ...]


@dataclass(frozen=True)
class CircuitReading:
    read_at: datetime
    read_by: str
    check_error: str  # the circuit check's failure or refusals, "" when it went through
    peerings: tuple[PeeringReading, ...]


def circuit_read_diagnostics(*, circuit: Circuit, source: StateSource, now: datetime) -> tuple[PeeringReading, ...]:
    """Read every link of every peering; a failed read is shown on its link, the others still count."""
    peerings = []
    for peering in circuit.peerings.all():
        links = []
        for device_path in DEVICE_PATHS:
            try:
                diagnostics = source.read_link_diagnostics(
                    circuit, peering_type=peering.peering_type, device_path=device_path, now=now
                )
            except SourceError as error:
                links.append(LinkReading(device_path, None, str(error)))
            else:
                links.append(LinkReading(device_path, diagnostics))
        peerings.append(PeeringReading(peering.peering_type, tuple(links)))
    return tuple(peerings)


def circuit_check_now(*, circuit_id: int, source: StateSource, actor: Actor) -> CircuitReading:
    """Check the circuit at once (as the poller would, recording what changed), then read its
    diagnostics and keep them as the circuit's last reading. A deleted circuit is refused: there is
    nothing left to check (DomainError, code conflict)."""
    deleted = Circuit.objects.filter(pk=circuit_id, deleted_at__isnull=False).values_list("name", flat=True).first()
    if deleted is not None:
        raise DomainError(f"{deleted} is deleted: there is nothing left to check.", code="conflict")
    try:
        problems = polling.circuit_check(circuit_id=circuit_id, source=source)
        check_error = "; ".join(problems)
    except SourceError as error:
        services.circuit_record_failed_check(circuit_id=circuit_id, error=str(error), actor=source.actor)
        check_error = str(error)
    now = timezone.now()
    circuit = (
        Circuit.objects.select_related("service_provider")
        .prefetch_related("peerings__bgp_sessions", "peerings__advertised_prefixes")
        .get(pk=circuit_id)
    )
    reading = CircuitReading(
        read_at=now,
        read_by=str(actor),
        check_error=check_error,
        peerings=circuit_read_diagnostics(circuit=circuit, source=source, now=now),
    )
    cache.set(diagnostics_cache_key(circuit_id), reading, READING_KEPT_SECONDS)
    return reading
