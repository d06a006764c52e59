"""Re-validation of Microsoft peerings, queued after the transaction that changed their inputs commits."""

from celery import shared_task

from core.actors import SYSTEM
from outbox.services import enqueue
from peerings.choices import PeeringTypeChoices
from peerings.models import Peering

from .validator import peering_validate


@shared_task
def peering_revalidate(peering_id: int, reason: str = ""):
    peering = Peering.objects.filter(pk=peering_id, peering_type=PeeringTypeChoices.MICROSOFT).first()
    if peering is not None and not peering.circuit.is_deleted:
        peering_validate(peering=peering, actor=SYSTEM, reason=reason)


@shared_task
def microsoft_peerings_revalidate(reason: str = ""):
    peerings = Peering.objects.filter(peering_type=PeeringTypeChoices.MICROSOFT, circuit__deleted_at__isnull=True)
    for peering_id in peerings.values_list("pk", flat=True).iterator():
        peering_revalidate(peering_id, reason)


def peering_revalidate_on_commit(peering_id: int, *, reason: str):
    enqueue(peering_revalidate, peering_id, reason)


def microsoft_peerings_revalidate_on_commit(*, reason: str):
    enqueue(microsoft_peerings_revalidate, reason)
