"""Azure Event Grid resource events: a hint that a circuit changed, so it is checked at once.

The event is never the truth: it only queues the normal check (`circuits.check_circuit`, through
the outbox), which reads the source and applies what it finds through the services. A circuit whose
check is already queued and not yet run is not queued again (check_queued_at, as the sweep does),
so a flood of events for one circuit costs one check. Events for resources that are no circuit of
Onramp's are ignored and counted.
"""

import re
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from circuits.models import Circuit
from outbox.services import enqueue

from .choices import InboundOutcomeChoices as Outcome
from .models import InboundTally

CHECK_TASK = "circuits.check_circuit"
RESOURCE_EVENTS = {"Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Resources.ResourceDeleteSuccess"}
VALIDATION_EVENT = "Microsoft.EventGrid.SubscriptionValidationEvent"
# A circuit's id, or the id of anything inside it (peerings, authorizations, connections).
CIRCUIT_ID = re.compile(
    r"^/subscriptions/(?P<subscription>[0-9a-f-]{36})/resourcegroups/(?P<group>[^/]+)"
    r"/providers/microsoft\.network/expressroutecircuits/(?P<name>[^/]+)",
    re.IGNORECASE,
)


def event_type(event: dict) -> str:
    """The type in either schema: Event Grid's `eventType`, CloudEvents' `type`."""
    return str(event.get("eventType") or event.get("type") or "")


def resource_id(event: dict) -> str:
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    return str(data.get("resourceUri") or event.get("subject") or "")


def validation_code(events: list[dict]) -> str | None:
    """The code of Event Grid's subscription validation event, if this delivery is one."""
    for event in events:
        if event_type(event) == VALIDATION_EVENT and isinstance(event.get("data"), dict):
            return str(event["data"].get("validationCode", ""))
    return None


def circuit_matching(resource: str) -> int | None:
    match = CIRCUIT_ID.match(resource.strip())
    if match is None:
        return None
    circuit_id = match.group(0)
    by_parts = Q(
        subscription_id=match["subscription"], resource_group__iexact=match["group"], name__iexact=match["name"]
    )
    found = Circuit.objects.filter(Q(resource_id__iexact=circuit_id) | by_parts, deleted_at__isnull=True)
    return found.values_list("pk", flat=True).first()


def _not_queued(now):
    """As the sweep's: no check queued, or the last one ran, or it looks lost."""
    return (
        Q(check_queued_at__isnull=True)
        | Q(last_checked_at__gte=F("check_queued_at"))
        | Q(check_queued_at__lte=now - timedelta(seconds=settings.ONRAMP_POLL_REQUEUE_AFTER))
    )


@transaction.atomic
def events_receive(*, events: list[dict]) -> Counter:
    """Queue a check of each circuit the events name (once per circuit); returns the outcome counts."""
    now, outcomes, queued = timezone.now(), Counter(), set()
    for event in events:
        if event_type(event) not in RESOURCE_EVENTS:
            outcomes[Outcome.IGNORED] += 1
            continue
        circuit_id = circuit_matching(resource_id(event))
        if circuit_id is None:
            outcomes[Outcome.UNKNOWN] += 1
        elif circuit_id not in queued and Circuit.objects.filter(_not_queued(now), pk=circuit_id).update(
            check_queued_at=now
        ):
            queued.add(circuit_id)
            enqueue(CHECK_TASK, circuit_id)
            outcomes[Outcome.MATCHED] += 1
        else:
            outcomes[Outcome.COALESCED] += 1
    inbound_tally(outcomes=outcomes)
    return outcomes


def inbound_tally(*, outcomes: Counter) -> None:
    for outcome, count in outcomes.items():
        if not InboundTally.objects.filter(outcome=outcome).update(count=F("count") + count):
            try:
                with transaction.atomic():
                    InboundTally.objects.create(outcome=outcome, count=count)
            except IntegrityError:  # created by another request meanwhile
                InboundTally.objects.filter(outcome=outcome).update(count=F("count") + count)
