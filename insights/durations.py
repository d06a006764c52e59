"""Each circuit's stays in the onboarding steps and provider states, read from the audit log.

The database orders each circuit's events and pairs each with its neighbours (window functions:
LAG/LEAD over the circuit's events by time), on PostgreSQL and SQLite alike; Python only folds runs
of events that leave the circuit in the same step into one stay.

Steps follow circuits.checklist: the circuit is in step 2 (order) from its creation and whenever the
provider state is NotProvisioned/DeProvisioned, in 3 (provisioning) while Provisioning or
Deprovisioning, in 4 (routing) once Provisioned, in 5 (VNet links) once a BGP session is
Established, and onboarded ("6") once a VNet link is Connected. Step 1 (create) is done at the
`created` event itself, so it takes no time in the log. Once onboarded, later changes (a
deprovisioning) are not onboarding and end no further step stays; the deletion ends every open stay.
"""

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import Lag, Lead

from audit.models import AuditEvent
from circuits.choices import ConnectionStatusChoices
from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from peerings.choices import BgpStateChoices

from .choices import StayKindChoices

STATE_FIELD = "service_provider_provisioning_state"
CREATED, DELETED = "created", "deleted"
GONE = 0  # the "step" a deletion moves the circuit to
ONBOARDED = 6
STEPS = (2, 3, 4, 5)

STEP_AFTER_EVENT = Case(
    When(field=CREATED, then=Value(2)),
    When(field=DELETED, then=Value(GONE)),
    When(field=STATE_FIELD, to_value__in=[ProviderState.NOT_PROVISIONED, ProviderState.DEPROVISIONED], then=Value(2)),
    When(field=STATE_FIELD, to_value__in=[ProviderState.PROVISIONING, ProviderState.DEPROVISIONING], then=Value(3)),
    When(field=STATE_FIELD, to_value=ProviderState.PROVISIONED, then=Value(4)),
    When(
        field="state",
        object_type__app_label="peerings",
        object_type__model="bgpsession",
        to_value=BgpStateChoices.ESTABLISHED,
        then=Value(5),
    ),
    When(
        field="connection_status",
        object_type__model="vnetlink",
        to_value=ConnectionStatusChoices.CONNECTED,
        then=Value(ONBOARDED),
    ),
    default=None,
    output_field=IntegerField(),
)
STEP_EVENTS = (
    Q(field__in=[CREATED, DELETED, STATE_FIELD])
    | Q(field="state", to_value=BgpStateChoices.ESTABLISHED)
    | Q(field="connection_status", to_value=ConnectionStatusChoices.CONNECTED)
)


def _in_order(expression):
    return Window(expression, partition_by=[F("circuit_id")], order_by=[F("created_at").asc(), F("id").asc()])


def _events(circuit_ids):
    events = AuditEvent.objects.filter(circuit__isnull=False).order_by()
    return events if circuit_ids is None else events.filter(circuit_id__in=circuit_ids)


def step_rows(circuit_ids=None):
    """(circuit, step, at, previous step, next step, next event's time) for each step-changing event."""
    return (
        _events(circuit_ids)
        .filter(STEP_EVENTS)
        .annotate(step=STEP_AFTER_EVENT)
        .filter(step__isnull=False)
        .annotate(
            previous_step=_in_order(Lag("step")),
            next_step=_in_order(Lead("step")),
            next_at=_in_order(Lead("created_at")),
        )
        .order_by("circuit_id", "created_at", "id")
        .values_list("circuit_id", "step", "created_at", "previous_step", "next_step", "next_at")
    )


def state_rows(circuit_ids=None):
    """(circuit, field, state entered, at, next event's field, next event's time) for each provider state change."""
    return (
        _events(circuit_ids)
        .filter(field__in=[CREATED, DELETED, STATE_FIELD])
        .annotate(next_field=_in_order(Lead("field")), next_at=_in_order(Lead("created_at")))
        .order_by("circuit_id", "created_at", "id")
        .values_list("circuit_id", "field", "to_value", "created_at", "next_field", "next_at")
    )


def step_stays(circuit_ids=None):
    """Stays in steps 2-5 and the onboarded "step" 6, as dicts for Stay(**...)."""
    stays, onboarded, entered = [], {}, None
    for circuit_id, step, at, previous_step, next_step, next_at in step_rows(circuit_ids):
        if circuit_id in onboarded:
            if step == GONE:  # onboarded stays onboarded until the circuit is deleted
                onboarded[circuit_id]["left_at"] = at
            continue
        if step == GONE:
            continue
        if previous_step != step:
            entered = at
        if step == ONBOARDED:
            onboarded[circuit_id] = _stay(circuit_id, StayKindChoices.STEP, str(step), entered, None, False)
            stays.append(onboarded[circuit_id])
        elif next_step != step:  # else the run of events in this step goes on
            finished = next_step is not None and next_step != GONE and next_step > step
            stays.append(_stay(circuit_id, StayKindChoices.STEP, str(step), entered, next_at, finished))
    return stays


def state_stays(circuit_ids=None):
    """Stays in each provider state; a state entered twice counts twice."""
    stays = []
    for circuit_id, field, to_value, at, next_field, next_at in state_rows(circuit_ids):
        if field == DELETED:
            continue
        state = ProviderState.NOT_PROVISIONED if field == CREATED else to_value
        finished = next_field == STATE_FIELD
        stays.append(_stay(circuit_id, StayKindChoices.STATE, state, at, next_at, finished))
    return stays


def _stay(circuit_id, kind, name, entered_at, left_at, finished):
    return {
        "circuit_id": circuit_id,
        "kind": kind,
        "name": name,
        "entered_at": entered_at,
        "left_at": left_at,
        "finished": finished,
    }


def changes_steps(field: str, to_value: str) -> bool:
    """Whether an audit event can start or end a stay (STEP_EVENTS, for one event in Python)."""
    return (
        field in (CREATED, DELETED, STATE_FIELD)
        or (field == "state" and to_value == BgpStateChoices.ESTABLISHED)
        or (field == "connection_status" and to_value == ConnectionStatusChoices.CONNECTED)
    )
