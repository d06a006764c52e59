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

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Upper

from audit.models import AuditEvent
from audit.services import audit_batch
from circuits import services
from circuits.choices import ProviderLayerChoices
from circuits.models import Circuit, PeeringLocation, ServiceProvider
from core.actors import Actor
from core.errors import DomainError
from outbox.services import circuit_batch
from peerings import services as peering_services
from peerings.models import Peering

from .polling import OBSERVED_RELATIONS, circuit_apply_observation
from .sources.arm import CircuitRecord, PortRecord
from .sources.base import observed

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


class _Catalog:
    """The service providers and peering locations, read once per import: a file names the same few
    over and over (a query each per record was a tenth of an import's queries). Names match ignoring
    case, as `__iexact` (UPPER) matched them."""

    def __init__(self):
        self._by_name = {}
        for model in (ServiceProvider, PeeringLocation):
            for entry in model.objects.order_by("-name"):  # the first by name wins, as .first() chose
                self._by_name[model, entry.name.upper()] = entry
        self._direct = None

    def entry(self, record, model, name, what):
        match = self._by_name.get((model, name.upper()))
        if match is None:
            raise ImportRecordError(record, f"{what} {name!r} is not in the catalog: add it in /admin/ first.")
        return match

    def direct_provider(self) -> ServiceProvider:
        if self._direct is None:
            self._direct, _ = ServiceProvider.objects.get_or_create(
                name=DIRECT_PROVIDER_NAME,
                defaults={"layer": ProviderLayerChoices.LAYER_2, "simulated_failure_rate": 0, "simulated_slow_rate": 0},
            )
        return self._direct


def _placement(record: CircuitRecord, ports: dict[str, PortRecord], catalog: _Catalog, circuit: Circuit | None = None):
    """(provider, peering location) of a circuit: from the provider properties, or the Direct port
    (a known Direct circuit keeps its location when the file does not hold its port)."""
    if not record.express_route_direct:
        provider = catalog.entry(record, ServiceProvider, record.service_provider_name, "Service provider")
        return provider, catalog.entry(record, PeeringLocation, record.peering_location_name, "Peering location")
    port_id = record.attributes["express_route_port_id"]
    port = ports.get(port_id.lower())
    if port is None and circuit is not None:
        return catalog.direct_provider(), circuit.peering_location
    if port is None:
        raise ImportRecordError(
            record,
            f"an ExpressRoute Direct circuit on port {port_id or '(none given)'}, which the file does not hold: "
            "add the port (`az network express-route port show -o json`) so its peering location is known.",
        )
    location = catalog.entry(record, PeeringLocation, port.peering_location_name, "Peering location")
    return catalog.direct_provider(), location


def _new_circuit(record: CircuitRecord, placement, *, team) -> dict:
    """circuit_create's arguments for the circuit a record describes, but the actor."""
    if team is None:
        raise ImportRecordError(record, "a new circuit needs an owner team (--team).")
    provider, location = placement
    return dict(
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


def _created_together(batch, known: "_Known", *, actor, team, ports, catalog) -> tuple[dict, dict]:
    """The circuits of a batch's records that Onramp does not know, created together, as circuit_import
    would one by one: each circuit with the fields and states its record reports
    (circuits_create_observed), then their peerings (peerings_configure_observed), one INSERT and one
    of audit events for each. Returns record index → the circuit (its peerings as `observed_peerings`)
    or the ImportRecordError refusing it, and record index → the refusals its peerings met. A record
    naming a known circuit, even a deleted one, or authorizations (recorded before its states) is
    applied on its own (circuit_import)."""
    values, reported, indexes, outcomes = [], [], [], {}
    for index, record in enumerate(batch):
        if record.authorization_keys or known.live(record.resource_id):
            continue
        if record.service_key and known.keyed(record.service_key):
            continue
        try:
            placement = _placement(record, ports, catalog)
            values.append(_new_circuit(record, placement, team=team))
        except ImportRecordError as error:
            outcomes[index] = error
            continue
        observation = record.observation
        states = {
            field: getattr(observation, state)
            for field, state in (
                ("service_provider_provisioning_state", "provider_state"),
                ("circuit_provisioning_state", "circuit_provisioning_state"),
                ("provisioning_state", "provisioning_state"),
            )
            if getattr(observation, state)  # an empty state is one the source did not report
        }
        reported.append(_circuit_fields(None, record, placement) | states)
        indexes.append(index)
    peerings, owners = [], []
    made = services.circuits_create_observed(actor=actor, circuits=values, reported=reported)
    for index, circuit in zip(indexes, made, strict=True):
        if isinstance(circuit, DomainError):
            outcomes[index] = ImportRecordError(batch[index], circuit.message)
            continue
        outcomes[index] = _created_bare(circuit)
        configured = set()
        for seen in batch[index].observation.peerings:
            if seen.config and seen.peering_type not in configured:  # a second of a type: its first's
                configured.add(seen.peering_type)
                peerings.append({"circuit": circuit, "peering_type": seen.peering_type, **seen.config})
                owners.append(index)
    problems = defaultdict(list)
    for index, peering in zip(
        owners,
        peering_services.peerings_configure_observed(actor=actor, peerings=peerings, circuits_new=True),
        strict=True,
    ):
        if isinstance(peering, DomainError):
            problems[index].append(peering.message)
        else:
            outcomes[index].observed_peerings.append(peering)
    return outcomes, problems


def _recreated(circuit: Circuit, record: CircuitRecord) -> bool:
    """Azure issued another key under the same resource id: the old circuit was deleted."""
    return bool(circuit.service_key and record.service_key and circuit.service_key != record.service_key)


def circuit_is_known(record: CircuitRecord) -> bool:
    """Whether Onramp has the circuit a record describes (live, by resource id or issued service key)."""
    live = Circuit.objects.filter(deleted_at__isnull=True)
    by_key = live.filter(service_key=record.service_key).exists() if record.service_key else False
    return by_key or live.filter(resource_id__iexact=record.resource_id).exists()


class _Known:
    """The circuits a batch of records describes, read by one query with what importing them reads
    (the provider and location, OBSERVED_RELATIONS, Global Reach connections): live ones by resource
    id (the index on UPPER(resource_id)), any by issued service key. A record of the batch that has
    been imported may have created, deleted or re-keyed circuits: their ids and keys are then looked
    up again in the database, so a file that holds a circuit twice reads what the first one wrote."""

    def __init__(self, records: list[CircuitRecord]):
        resource_ids = {record.resource_id.upper() for record in records}
        keys = {record.service_key for record in records if record.service_key}
        circuits = (
            Circuit.objects.alias(upper_resource_id=Upper("resource_id"))
            .filter(Q(upper_resource_id__in=resource_ids, deleted_at__isnull=True) | Q(service_key__in=keys))
            .select_related("service_provider", "peering_location")
            .prefetch_related(*OBSERVED_RELATIONS, "authorizations", "global_reach_connections")
        )
        self._live, self._keyed, self._stale = {}, {}, set()
        for circuit in circuits:
            if circuit.service_key:
                self._keyed[circuit.service_key] = circuit
            if circuit.resource_id and not circuit.is_deleted:
                self._live[circuit.resource_id.upper()] = circuit

    def live(self, resource_id: str) -> Circuit | None:
        if resource_id.upper() in self._stale:
            return Circuit.objects.filter(resource_id__iexact=resource_id, deleted_at__isnull=True).first()
        return self._live.get(resource_id.upper())

    def keyed(self, key) -> Circuit | None:
        if key in self._stale:
            return Circuit.objects.filter(service_key=key).first()
        return self._keyed.get(key)

    def importing(self, record: CircuitRecord, circuit: Circuit | None) -> None:
        """`record` is being imported onto `circuit` (None: a new one): what it may change is read again."""
        self._stale |= {record.resource_id.upper(), record.service_key}
        if circuit is not None:
            self._stale |= {(circuit.resource_id or "").upper(), circuit.service_key}


def circuit_match(record: CircuitRecord, *, actor: Actor, known: _Known) -> Circuit | None:
    """The live circuit a record describes, by resource id, else by service key (never an empty or
    all-zero one); a live circuit the record shows deleted and re-created is recorded deleted."""
    circuit = known.live(record.resource_id)
    if circuit is not None and _recreated(circuit, record):
        services.circuit_delete(
            circuit=circuit,
            actor=actor,
            reason=f"Deleted in Azure: {record.resource_id} now has service key {record.service_key} instead of "
            f"{circuit.service_key}; billing of this circuit stops.",
        )
        return None
    if circuit is None and record.service_key:
        circuit = known.keyed(record.service_key)
        if circuit is not None and circuit.is_deleted:
            raise ImportRecordError(
                record,
                f"Onramp recorded the circuit with service key {record.service_key} deleted on "
                f"{circuit.deleted_at:%Y-%m-%d}, but the file still holds it: check it in Azure.",
            )
    return circuit


def _circuit_fields(circuit: Circuit | None, record: CircuitRecord, placement) -> dict:
    """What the record reports of the circuit's own fields (`circuit`: None, one about to be created)."""
    provider, location = placement
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
    if circuit is not None and (circuit.resource_id or "").lower() != record.resource_id.lower():
        values["resource_id"] = record.resource_id
    return values


def _record_peerings(circuit: Circuit, record: CircuitRecord, actor: Actor, *, created: bool) -> None:
    connections = []
    peerings = {peering.peering_type: peering for peering in observed(circuit, "peerings")}
    if any(seen.peering_type not in peerings for seen in record.observation.peerings):
        # configured by this import (or not read with the batch): the circuit's peerings, in one query
        peerings = {peering.peering_type: peering for peering in Peering.objects.filter(circuit=circuit)}
    for seen in record.observation.peerings:
        connections += seen.connections or []
        peering = peerings.get(seen.peering_type)
        if peering is not None:
            _reported(peering, seen.recorded, actor=actor, circuit_id=circuit.pk)
    if connections or (not created and circuit.global_reach_connections.all()):  # else none to record or remove
        services.global_reach_record(circuit=circuit, connections=connections, actor=actor)


def _reported(obj, values: dict, *, actor, circuit_id):
    """reported_fields_record, called only when a field differs: most records change nothing, and
    the service's savepoint was two queries for nothing."""
    if all(getattr(obj, name) == value for name, value in values.items()):
        return obj
    return services.reported_fields_record(obj=obj, values=values, actor=actor, circuit_id=circuit_id)


OBSERVED = ("observed_provider_orders", "observed_vnet_links", "observed_authorizations", "observed_peerings")


def _created_bare(circuit: Circuit) -> Circuit:
    """A circuit just created has no related rows yet: what the import reads of them is known."""
    for name in OBSERVED:
        setattr(circuit, name, [])
    return circuit


def _related_kept(read: Circuit, current: Circuit) -> Circuit:
    """`current`, the circuit as reported_fields_record left it (a locked copy when it changed a field),
    with the related rows read with `read`: recording the circuit's own fields changes none of them."""
    for name in OBSERVED if current is not read else ():
        setattr(current, name, getattr(read, name, None))
    return current


@transaction.atomic
def circuit_import(
    *,
    record: CircuitRecord,
    actor: Actor,
    known: _Known,
    catalog: _Catalog,
    team=None,
    ports=None,
    new: Circuit | None = None,
) -> tuple[Circuit, bool, list[str]]:
    """Create or update the circuit one record describes: (circuit, created, refusals met). `new`:
    the circuit created for it with its batch (_created_together)."""
    circuit = None if new else circuit_match(record, actor=actor, known=known)
    known.importing(record, circuit)
    created = circuit is None
    try:
        placement = _placement(record, ports or {}, catalog, circuit)
        if new:
            circuit = new
        elif created:
            values = _new_circuit(record, placement, team=team)
            circuit = _created_bare(services.circuit_create(actor=actor, **values))
        fields = _circuit_fields(circuit, record, placement)
        circuit = _related_kept(circuit, _reported(circuit, fields, actor=actor, circuit_id=circuit.pk))
        keys = record.authorization_keys
        if keys is not None and set(keys) != {auth.name for auth in observed(circuit, "authorizations")}:
            services.authorizations_record(circuit=circuit, keys=keys, actor=actor)
            circuit.observed_authorizations = None  # changed: read again, with their use status to record
        problems = circuit_apply_observation(circuit=circuit, observation=record.observation, actor=actor)
        _record_peerings(circuit, record, actor, created=created)
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


def _import_batch(batch, result, this_import, *, actor, team, ports, catalog) -> None:
    """Import a batch of records into `result`: the circuits Onramp does not know created together,
    then each record applied in its own savepoint (circuit_import's: a refused record leaves nothing
    but the circuit created for it, which the refusal rolls back with its whole file). Whether a known
    circuit's record changed it is told by the audit events after the batch, one query for all."""
    known = _Known(batch)
    newest = this_import.order_by("-pk").values_list("pk", flat=True).first() or 0
    new, problems_met = _created_together(batch, known, actor=actor, team=team, ports=ports, catalog=catalog)
    imported = []  # (circuit id, created) of each record applied
    for index, record in enumerate(batch):
        try:
            if isinstance(new.get(index), ImportRecordError):
                raise new[index]
            circuit, created, problems = circuit_import(
                record=record, actor=actor, known=known, catalog=catalog, team=team, ports=ports, new=new.get(index)
            )
        except ImportRecordError as error:
            result.refused.append(error.message)
            continue
        problems = problems_met.get(index, []) + problems
        result.refused += [f"{_label(record)}: {problem}" for problem in problems]
        imported.append((circuit.pk, created))
    changed = set(this_import.filter(pk__gt=newest).order_by().values_list("circuit_id", flat=True).distinct())
    for circuit_id, created in imported:
        if created:
            result.created += 1
        elif circuit_id in changed:
            result.updated += 1
        else:
            result.unchanged += 1


def _batches(records):
    """Batches of IMPORT_BATCH records, each naming a circuit (resource id, service key) once: a
    record's changes are told by its circuit's audit events in the batch, which a file holding a
    circuit twice would otherwise count for both records."""
    batch, named = [], set()
    for record in records:
        names = {record.resource_id.upper(), record.service_key} - {None}
        if len(batch) == IMPORT_BATCH or names & named:
            yield batch
            batch, named = [], set()
        batch.append(record)
        named |= names
    if batch:
        yield batch


@transaction.atomic
def _import_all(*, records, actor, team, ports, dry_run) -> ImportResult:
    result = ImportResult()
    first_event = (AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    this_import = AuditEvent.objects.filter(pk__gte=first_event, actor_kind=actor.kind)
    catalog = _Catalog()
    # What follows the audit events (notifications, webhooks, billing, refreshes) is done once per
    # batch of records, as for a sweep chunk; a batch, not the file, so memory stays flat.
    for batch in _batches(records):
        with circuit_batch(), audit_batch():
            _import_batch(batch, result, this_import, actor=actor, team=team, ports=ports, catalog=catalog)
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
