"""Import circuits from ARM JSON (a file, or the Azure sync): create, update or replace, through the services.

A circuit is its ARM resource id. The service key confirms it once Azure has issued one (create
responses carry all zeros, which match nothing): the same resource id with another key is a circuit
deleted and re-created in Azure, so the old one is recorded deleted (its billing stops) and a new
one created. Every change goes through a service and leaves one audit event, which is also how a
dry run tells what an import would change. A file is all or nothing: any record that cannot be
applied is reported with its reason and nothing from the file is kept.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import batched

from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_batch
from circuits import services
from circuits.choices import ProviderLayerChoices
from circuits.models import Circuit, PeeringLocation, ServiceProvider
from core.actors import Actor
from core.errors import DomainError
from outbox.services import circuit_batch
from peerings.models import Peering

from .polling import circuit_apply_observation
from .sources.arm import CircuitRecord, PortRecord

# The catalog entry ExpressRoute Direct circuits hang from: they have no connectivity provider,
# and the customer configures their routing, as with a Layer 2 provider.
DIRECT_PROVIDER_NAME = "ExpressRoute Direct"
IMPORT_BATCH = 200  # records whose audit events' follow-ups are done together


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    refused: list[str] = field(default_factory=list)  # "<record>: <reason>", one per record
    changes: dict[str, list[str]] = field(default_factory=dict)  # circuit → what changed, in order (dry run)


class ImportRecordError(DomainError):
    def __init__(self, record: CircuitRecord, message: str):
        super().__init__(f"{_label(record)}: {message}")


class ImportRefused(DomainError):
    """Some records could not be applied; nothing was saved. `result` lists each with its reason."""

    def __init__(self, result: ImportResult):
        super().__init__("\n".join(result.refused))
        self.result = result


class _RolledBack(Exception):
    def __init__(self, result: ImportResult):
        self.result = result


def _label(record: CircuitRecord) -> str:
    return f"{record.name} ({record.resource_id})"


def _catalog(record, model, name, what):
    match = model.objects.filter(name__iexact=name).first()
    if match is None:
        raise ImportRecordError(record, f"{what} {name!r} is not in the catalog: add it in /admin/ first.")
    return match


def _direct_provider() -> ServiceProvider:
    provider, _ = ServiceProvider.objects.get_or_create(
        name=DIRECT_PROVIDER_NAME,
        defaults={"layer": ProviderLayerChoices.LAYER_2, "simulated_failure_rate": 0, "simulated_slow_rate": 0},
    )
    return provider


def _placement(record: CircuitRecord, ports: dict[str, PortRecord], circuit: Circuit | None = None):
    """(provider, peering location) of a circuit: from the provider properties, or the Direct port
    (a known Direct circuit keeps its location when the file does not hold its port)."""
    if not record.express_route_direct:
        provider = _catalog(record, ServiceProvider, record.service_provider_name, "Service provider")
        return provider, _catalog(record, PeeringLocation, record.peering_location_name, "Peering location")
    port_id = record.attributes["express_route_port_id"]
    port = ports.get(port_id.lower())
    if port is None and circuit is not None:
        return _direct_provider(), circuit.peering_location
    if port is None:
        raise ImportRecordError(
            record,
            f"an ExpressRoute Direct circuit on port {port_id or '(none given)'}, which the file does not hold: "
            "add the port (`az network express-route port show -o json`) so its peering location is known.",
        )
    return _direct_provider(), _catalog(record, PeeringLocation, port.peering_location_name, "Peering location")


def _create(record: CircuitRecord, *, team, actor, ports) -> Circuit:
    if team is None:
        raise ImportRecordError(record, "a new circuit needs an owner team (--team).")
    provider, location = _placement(record, ports)
    return services.circuit_create(
        actor=actor,
        name=record.name,
        subscription_id=record.subscription_id,
        resource_group=record.resource_group,
        region=record.region,
        service_provider=provider,
        peering_location=location,
        bandwidth_mbps=record.bandwidth_mbps,
        express_route_direct=record.express_route_direct,
        sku_tier=record.sku_tier,
        sku_family=record.sku_family,
        team=team,
        resource_id=record.resource_id,
        service_key=record.service_key,
        awaiting_service_key=record.service_key is None,
    )


def _recreated(circuit: Circuit, record: CircuitRecord) -> bool:
    """Azure issued another key under the same resource id: the old circuit was deleted."""
    return bool(circuit.service_key and record.service_key and circuit.service_key != record.service_key)


def circuit_is_known(record: CircuitRecord) -> bool:
    """Whether Onramp has the circuit a record describes (live, by resource id or issued service key)."""
    live = Circuit.objects.filter(deleted_at__isnull=True)
    by_key = live.filter(service_key=record.service_key).exists() if record.service_key else False
    return by_key or live.filter(resource_id__iexact=record.resource_id).exists()


def circuit_match(record: CircuitRecord, *, actor: Actor) -> Circuit | None:
    """The live circuit a record describes, by resource id, else by service key (never an empty or
    all-zero one); a live circuit the record shows deleted and re-created is recorded deleted."""
    circuit = Circuit.objects.filter(resource_id__iexact=record.resource_id, deleted_at__isnull=True).first()
    if circuit is not None and _recreated(circuit, record):
        services.circuit_delete(
            circuit=circuit,
            actor=actor,
            reason=f"Deleted in Azure: {record.resource_id} now has service key {record.service_key} instead of "
            f"{circuit.service_key}; billing of this circuit stops.",
        )
        return None
    if circuit is None and record.service_key:
        circuit = Circuit.objects.filter(service_key=record.service_key).first()
        if circuit is not None and circuit.is_deleted:
            raise ImportRecordError(
                record,
                f"Onramp recorded the circuit with service key {record.service_key} deleted on "
                f"{circuit.deleted_at:%Y-%m-%d}, but the file still holds it: check it in Azure.",
            )
    return circuit


def _circuit_fields(circuit: Circuit, record: CircuitRecord, ports) -> dict:
    provider, location = _placement(record, ports, circuit)
    values = {
        **record.attributes,
        "service_provider": provider,
        "peering_location": location,
        "sku_tier": record.sku_tier,
        "sku_family": record.sku_family,
        "bandwidth_mbps": record.bandwidth_mbps,
        "express_route_direct": record.express_route_direct,
    }
    if record.service_key:
        values["service_key"] = record.service_key  # issued since Onramp saw the circuit without one
    if (circuit.resource_id or "").lower() != record.resource_id.lower():
        values["resource_id"] = record.resource_id
    return values


def _record_peerings(circuit: Circuit, record: CircuitRecord, actor: Actor) -> None:
    connections = []
    for seen in record.observation.peerings:
        connections += seen.connections or []
        peering = Peering.objects.filter(circuit=circuit, peering_type=seen.peering_type).first()
        if peering is not None:
            services.reported_fields_record(obj=peering, values=seen.recorded, actor=actor, circuit_id=circuit.pk)
    services.global_reach_record(circuit=circuit, connections=connections, actor=actor)


@transaction.atomic
def circuit_import(*, record: CircuitRecord, actor: Actor, team=None, ports=None) -> tuple[Circuit, bool, list[str]]:
    """Create or update the circuit one record describes: (circuit, created, refusals met)."""
    circuit = circuit_match(record, actor=actor)
    created = circuit is None
    try:
        if created:
            circuit = _create(record, team=team, actor=actor, ports=ports or {})
        fields = _circuit_fields(circuit, record, ports or {})
        services.reported_fields_record(obj=circuit, values=fields, actor=actor, circuit_id=circuit.pk)
        if record.authorization_keys is not None:
            services.authorizations_record(circuit=circuit, keys=record.authorization_keys, actor=actor)
        circuit.refresh_from_db()
        problems = circuit_apply_observation(circuit=circuit, observation=record.observation, actor=actor)
        _record_peerings(circuit, record, actor)
    except DomainError as error:
        if isinstance(error, ImportRecordError):
            raise
        raise ImportRecordError(record, error.message) from error
    return circuit, created, problems


def _change_lines(events) -> dict[str, list[str]]:
    """What the audit events of an import say changed, per circuit, as "field: old → new"."""
    lines = defaultdict(list)
    for event in events:
        circuit = event.circuit.name
        what = event.object_repr.removeprefix(f"{circuit} / ") if event.object_repr != circuit else ""
        change = event.field
        if change not in ("created", "deleted", "removed"):
            change = f"{event.field}: {event.from_value or '∅'} → {event.to_value or '∅'}"
        lines[circuit].append(f"{what}: {change}" if what else change)
    return dict(lines)


def _import_one(record, result, this_import, last_event, *, actor, team, ports) -> int:
    """Import one record into `result` (its own savepoint: a refused record leaves nothing); returns
    the newest audit event so far."""
    try:
        with transaction.atomic():
            _, created, problems = circuit_import(record=record, actor=actor, team=team, ports=ports)
    except ImportRecordError as error:
        result.refused.append(error.message)
        return last_event
    result.refused += [f"{_label(record)}: {problem}" for problem in problems]
    # Whether this record wrote events: the newest one since the last record's, by the primary
    # key's index (a count over the whole import would grow with every record).
    newest = this_import.filter(pk__gt=last_event).order_by("-pk").values_list("pk", flat=True).first()
    if created:
        result.created += 1
    elif newest is not None:
        result.updated += 1
    else:
        result.unchanged += 1
    return newest or last_event


@transaction.atomic
def _import_all(*, records, actor, team, ports, dry_run) -> ImportResult:
    result = ImportResult()
    first_event = (AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    this_import = AuditEvent.objects.filter(pk__gte=first_event, actor_kind=actor.kind)
    last_event = first_event - 1
    # What follows the audit events (notifications, webhooks, billing, refreshes) is done once per
    # batch of records, as for a sweep chunk; a batch, not the file, so memory stays flat.
    for batch in batched(records, IMPORT_BATCH):
        with circuit_batch(), audit_batch():
            for record in batch:
                last_event = _import_one(record, result, this_import, last_event, actor=actor, team=team, ports=ports)
    result.deleted = this_import.filter(field="deleted").count()
    if dry_run:  # only a dry run prints them; a real import of 100,000 circuits keeps none in memory
        result.changes = _change_lines(this_import.select_related("circuit").order_by("pk").iterator())
    if dry_run or result.refused:
        raise _RolledBack(result)
    return result


def circuits_import(
    *, records: Iterable[CircuitRecord], actor: Actor, team=None, ports: list[PortRecord] = (), dry_run: bool = False
) -> ImportResult:
    """Create the circuits not known yet and record what changed on the others; all or nothing.

    Re-importing the same records changes nothing. Raises ImportRefused (nothing saved) naming each
    record that could not be applied. `dry_run` computes the same result and saves nothing.
    """
    by_id = {port.resource_id.lower(): port for port in ports}
    try:
        return _import_all(records=records, actor=actor, team=team, ports=by_id, dry_run=dry_run)
    except _RolledBack as rolled_back:
        if rolled_back.result.refused and not dry_run:
            raise ImportRefused(rolled_back.result) from None
        return rolled_back.result
