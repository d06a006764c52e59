"""Re-validation of Microsoft peerings, queued by name (outbox) after the change to their inputs commits:
peerings queues `validation.revalidate_peerings` when a peering's prefixes, ASN or registry change
(a sweep chunk's new peerings in one message; `revalidate_peering`, one peering, is what it queued before),
registry queues `validation.revalidate_microsoft_peerings` after an import of routing data.
"""

from celery import shared_task

from core.actors import SYSTEM
from peerings.choices import PeeringTypeChoices
from peerings.models import Peering

from .services import peering_validate, peerings_validate


@shared_task(name="validation.revalidate_peering")
def revalidate_peering(peering_id: int, reason: str = ""):
    peering = Peering.objects.filter(pk=peering_id, peering_type=PeeringTypeChoices.MICROSOFT).first()
    if peering is not None and not peering.circuit.is_deleted:
        peering_validate(peering=peering, actor=SYSTEM, reason=reason)


@shared_task(name="validation.revalidate_peerings")
def revalidate_peerings(peering_ids: list[int], reason: str = ""):
    peerings_validate(peering_ids=peering_ids, actor=SYSTEM, reason=reason)


@shared_task(name="validation.revalidate_microsoft_peerings")
def revalidate_microsoft_peerings(reason: str = ""):
    peerings = Peering.objects.filter(peering_type=PeeringTypeChoices.MICROSOFT, circuit__deleted_at__isnull=True)
    for peering_id in peerings.values_list("pk", flat=True).iterator():
        revalidate_peering(peering_id, reason)


# The names these tasks had while they lived in registry/tasks.py (Celery's automatic module.function
# names). Messages queued under them before the move may still wait in the outbox or the broker; the
# outbox prunes what it sent after a day, so these can go once no release older than the move runs.
@shared_task(name="registry.tasks.peering_revalidate")
def revalidate_peering_by_old_name(peering_id: int, reason: str = ""):
    revalidate_peering(peering_id, reason)


@shared_task(name="registry.tasks.microsoft_peerings_revalidate")
def revalidate_microsoft_peerings_by_old_name(reason: str = ""):
    revalidate_microsoft_peerings(reason)
