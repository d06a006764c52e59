"""Import circuits from ARM JSON (a file, or the Azure sync): create or update, through the services."""

from dataclasses import dataclass, field

from django.db import transaction

from core.actors import Actor
from core.errors import DomainError

from .. import services
from ..models import Circuit, PeeringLocation, ServiceProvider
from ..polling import circuit_apply_observation
from .arm import CircuitRecord


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


class ImportRecordError(DomainError):
    def __init__(self, record: CircuitRecord, message: str):
        super().__init__(f"{record.name} ({record.resource_id}): {message}")


def _catalog(record, model, name, what):
    match = model.objects.filter(name__iexact=name).first()
    if match is None:
        raise ImportRecordError(record, f"{what} {name!r} is not in the catalog: add it in /admin/ first.")
    return match


def circuit_match(record: CircuitRecord) -> Circuit | None:
    """The circuit a record describes: by resource id first, then by service key."""
    by_id = Circuit.objects.filter(resource_id__iexact=record.resource_id).first()
    return by_id or Circuit.objects.filter(service_key=record.service_key).first()


def _create(record: CircuitRecord, *, team, actor) -> Circuit:
    if team is None:
        raise ImportRecordError(record, "a new circuit needs an owner team (--team).")
    try:
        return services.circuit_create(
            actor=actor,
            name=record.name,
            subscription_id=record.subscription_id,
            resource_group=record.resource_group,
            region=record.region,
            service_provider=_catalog(record, ServiceProvider, record.service_provider_name, "Service provider"),
            peering_location=_catalog(record, PeeringLocation, record.peering_location_name, "Peering location"),
            bandwidth_mbps=record.bandwidth_mbps,
            express_route_direct=record.express_route_direct,
            sku_tier=record.sku_tier,
            sku_family=record.sku_family,
            team=team,
            resource_id=record.resource_id,
            service_key=record.service_key,
        )
    except DomainError as error:
        if isinstance(error, ImportRecordError):
            raise
        raise ImportRecordError(record, error.message) from error


@transaction.atomic
def circuits_import(*, records: list[CircuitRecord], actor: Actor, team=None) -> ImportResult:
    """Create the circuits not known yet and record what changed on the others; all or nothing.

    Re-importing the same records changes nothing. Refusals of a whole circuit raise
    ImportRecordError naming the record; a refused peering change is a warning.
    """
    result = ImportResult()
    for record in records:
        circuit = circuit_match(record)
        created = circuit is None
        if created:
            circuit = _create(record, team=team, actor=actor)
        elif circuit.is_deleted:
            result.unchanged += 1
            continue
        version = Circuit.objects.get(pk=circuit.pk).version
        if not circuit.resource_id:
            Circuit.objects.filter(pk=circuit.pk).update(resource_id=record.resource_id)
        problems = circuit_apply_observation(circuit=circuit, observation=record.observation, actor=actor)
        result.warnings += [f"{record.name}: {problem}" for problem in problems]
        if created:
            result.created += 1
        elif Circuit.objects.get(pk=circuit.pk).version != version:
            result.updated += 1
        else:
            result.unchanged += 1
    return result
