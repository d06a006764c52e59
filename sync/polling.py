"""Polling: which circuits are due, reading them from the state source, applying what it reports.

Polling only reads and schedules: each change is applied by the service of the app that owns it
(circuits.services, peerings.services), which also flags stale and stuck circuits; what is
written here is the check's own bookkeeping. A sweep's chunk is read in bulk
(circuits_check) and the checks that find nothing new only record that they ran. The chunk's
changes are applied by circuits_apply (one circuit: circuit_check), which locks the circuit rows
and uses a bulk reading only if its circuit has not changed since (else it reads the source again
under that lock), so two workers polling the same circuit at once serialise: the second one sees
the first one's result and finds nothing left to change (one event, not two).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from audit.services import audit_batch
from audit.statemachine import refusable_change, rows_held
from circuits import services
from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from circuits.models import Circuit, ServiceProvider, VNetLink
from core.actors import Actor
from core.errors import DomainError
from outbox.services import circuit_batch
from peerings import services as peering_services
from peerings.models import BgpSession, Peering

from .sources.base import Observation, SourceError, StateSource, observed

logger = logging.getLogger(__name__)

STATES_IN_MOTION = (ProviderState.PROVISIONING, ProviderState.DEPROVISIONING)


def circuits_due_for_check(*, now: datetime | None = None) -> list[int]:
    """Ids of undeleted circuits whose last check is older than their interval.

    Circuits in motion (provider working on them, a step planned, never checked, stale) are
    checked every ONRAMP_POLL_MOTION_INTERVAL seconds, the rest every ONRAMP_POLL_INTERVAL.
    """
    now = now or timezone.now()
    in_motion = (
        Q(service_provider_provisioning_state__in=STATES_IN_MOTION)
        | Q(deprovision_requested_at__isnull=False)
        | Q(simulator_step_due_at__isnull=False)
        | Q(is_stale=True)
    )
    due = (
        Q(last_checked_at__isnull=True)
        | Q(last_checked_at__lte=now - timedelta(seconds=settings.ONRAMP_POLL_INTERVAL))
        | (in_motion & Q(last_checked_at__lte=now - timedelta(seconds=settings.ONRAMP_POLL_MOTION_INTERVAL)))
        | Q(simulator_step_due_at__lte=now)
    )
    # A check already queued is not queued again until it ran, or looks lost (its worker died).
    not_queued = (
        Q(check_queued_at__isnull=True)
        | Q(last_checked_at__gte=F("check_queued_at"))
        | Q(check_queued_at__lte=now - timedelta(seconds=settings.ONRAMP_POLL_REQUEUE_AFTER))
    )
    circuits = Circuit.objects.filter(due, not_queued, deleted_at__isnull=True)
    return list(circuits.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def circuits_mark_queued(*, circuit_ids: list[int], now: datetime | None = None) -> None:
    Circuit.objects.filter(pk__in=circuit_ids).update(check_queued_at=now or timezone.now())


# What sources and observation_changes_something read, fetched for a whole chunk of circuits at once.
# Read through sources.base.observed().
OBSERVED_RELATIONS = (
    Prefetch("provider_orders", to_attr="observed_provider_orders"),
    Prefetch("vnet_links", to_attr="observed_vnet_links"),
    Prefetch("authorizations", to_attr="observed_authorizations"),
    Prefetch(
        "peerings",
        queryset=Peering.objects.prefetch_related(
            Prefetch("bgp_sessions", to_attr="observed_bgp_sessions"),
            Prefetch("advertised_prefixes", to_attr="observed_advertised_prefixes"),
        ),
        to_attr="observed_peerings",
    ),
)
PLAN_FIELDS = ("simulator_step", "simulator_step_due_at", "simulator_planned_version")
# What a check that applied a reading writes of its own, besides the changes (those go through services).
CHECK_FIELDS = ("last_checked_at", "last_good_read_at", "check_failures", "last_check_error", *PLAN_FIELDS)


@dataclass(frozen=True)
class Reading:
    """What the source said about a circuit at a given version: an observation, or a failed read."""

    version: int
    observation: Observation | None = None
    error: SourceError | None = None
    # The circuit as read (OBSERVED_RELATIONS prefetched): circuits_apply uses it while its version holds.
    circuit: Circuit | None = None


def circuits_check(
    *, circuit_ids: list[int], source: StateSource, now: datetime | None = None
) -> list[tuple[int, Reading]]:
    """Check many circuits in a few queries; returns those that need circuit_check one by one.

    Most checks find nothing new. Those are read together (no lock: nothing is changed but the
    check's own bookkeeping) and recorded in one UPDATE. A check that finds a change, fails, or
    clears a stale flag is returned with its reading, and circuit_check then locks the row and
    applies each change through its service, with one audit event each.
    """
    now = now or timezone.now()
    quiet, replanned, eventful = [], [], []
    for circuit, observation in _observations(circuit_ids, source=source, now=now):
        if isinstance(observation, SourceError):
            eventful.append((circuit.pk, Reading(circuit.version, error=observation, circuit=circuit)))
            continue
        if circuit.is_stale or observation_changes_something(circuit, observation):
            eventful.append((circuit.pk, Reading(circuit.version, observation, circuit=circuit)))
            continue
        quiet.append(circuit.pk)
        if observation.plan is not None and (
            observation.plan != (circuit.simulator_step, circuit.simulator_step_due_at)
            or circuit.simulator_planned_version != circuit.version
        ):
            circuit.simulator_step, circuit.simulator_step_due_at = observation.plan
            # As read, without a lock: a change made since bumped the version, so the plan is made again.
            circuit.simulator_planned_version = circuit.version
            replanned.append(circuit)
    with transaction.atomic():
        Circuit.objects.filter(pk__in=quiet).update(
            last_checked_at=now, last_good_read_at=now, check_failures=0, last_check_error=""
        )
        Circuit.objects.bulk_update(replanned, PLAN_FIELDS)  # few once every circuit has its plan
    return eventful


def _observations(circuit_ids, *, source, now):
    """(circuit, observation or SourceError) for each undeleted circuit of `circuit_ids`. A source that
    can answer from the circuit's row alone (`observe_settled`: the simulator, for a circuit whose
    plan stands) is asked that first; the related rows are read, for the chunk at once, only for the
    circuits it cannot answer, which in a quiet sweep are the few whose plan is due or was outdated."""
    settled = getattr(source, "observe_settled", lambda circuit, now: None)
    circuits = list(Circuit.objects.filter(pk__in=circuit_ids, deleted_at__isnull=True))
    # A handful of providers for hundreds of circuits: read once each, not joined to every row.
    providers = ServiceProvider.objects.in_bulk({circuit.service_provider_id for circuit in circuits})
    answered, unsettled = [], []
    for circuit in circuits:
        circuit.service_provider = providers[circuit.service_provider_id]
        try:
            observation = settled(circuit, now=now)
        except SourceError as error:
            observation = error
        (unsettled if observation is None else answered).append((circuit, observation))
    prefetch_related_objects([circuit for circuit, _ in unsettled], *OBSERVED_RELATIONS)
    for circuit, _ in unsettled:
        try:
            answered.append((circuit, source.observe(circuit, now=now)))
        except SourceError as error:
            answered.append((circuit, error))
    return answered


def _differs(reported, current) -> bool:
    """A source reported a value (None or empty: not reported) other than the one recorded."""
    return bool(reported) and reported != current


def _peering_changes(peering, seen) -> bool:
    if peering is None:
        return bool(seen.config)
    return (
        any(
            _differs(seen.prefixes.get(prefix.prefix, (None, ""))[0], prefix.validation_state)
            for prefix in observed(peering, "advertised_prefixes")
        )
        or (seen.route_filter is not None and seen.route_filter != peering.route_filter)
        or _differs(seen.provisioning_state, peering.provisioning_state)
        or any(_differs(seen.bgp.get(session.link), session.state) for session in observed(peering, "bgp_sessions"))
    )


def observation_changes_something(circuit: Circuit, observation: Observation) -> bool:
    """Whether circuit_apply_observation would change anything: the same comparisons, on the
    circuit's prefetched data (OBSERVED_RELATIONS), without a query. Related rows are looked at only
    when the source reported on them, so a circuit observed without them (observe_settled) needs none."""
    peerings = (
        {peering.peering_type: peering for peering in observed(circuit, "peerings")} if observation.peerings else {}
    )
    return (
        _differs(observation.provider_state, circuit.service_provider_provisioning_state)
        or any(
            _differs(getattr(observation, field), getattr(circuit, field))
            for field in ("circuit_provisioning_state", "provisioning_state")
        )
        or any(_peering_changes(peerings.get(seen.peering_type), seen) for seen in observation.peerings)
        or any(
            _differs(observation.vnet_links.get(link.name), link.connection_status)
            for link in (observed(circuit, "vnet_links") if observation.vnet_links else ())
        )
        or any(
            _differs(observation.authorizations.get(authorization.name), authorization.authorization_use_status)
            for authorization in (observed(circuit, "authorizations") if observation.authorizations else ())
        )
    )


@transaction.atomic
def circuit_check(
    *, circuit_id: int, source: StateSource, now: datetime | None = None, reading: Reading | None = None
) -> list[str]:
    """Read one circuit from `source` and record what changed; returns the refusals met, if any.

    `reading` (from circuits_check) is used instead of reading again when the circuit has not
    changed since; else the source is read under the row lock, as two checks must not both apply.
    Raises SourceError (nothing written) when the read fails; see circuits.services.circuit_record_failed_check.
    """
    circuit = _locked_circuits().get(pk=circuit_id)
    problems, check = _circuit_apply_reading(circuit, source=source, now=now or timezone.now(), reading=reading)
    Circuit.objects.bulk_update([check] if check else [], CHECK_FIELDS)
    return problems


def circuits_apply(
    *, readings: list[tuple[int, Reading]], source: StateSource, now: datetime | None = None
) -> list[tuple[int, SourceError]]:
    """circuit_check for a chunk's circuits with something new, in one transaction: their rows
    locked by one query (in id order, as every chunk locks, so two never deadlock), each reading
    applied as circuit_check applies it, the checks' bookkeeping written by one UPDATE, what follows
    the chunk's audit events (notifications, webhooks, billing) done once for all of them, and the
    per-circuit follow-up tasks the changes queue (billing, insights) queued once for the chunk.
    Returns the failed reads, nothing written for them.
    """
    now = now or timezone.now()
    by_id = dict(readings)
    failed, checks = [], []
    with transaction.atomic(), circuit_batch(), audit_batch(deferred=True):
        circuits = _locked_for_readings(by_id)
        # The services' lock() hands back these instances: a change no longer reads its rows again.
        with rows_held([*circuits, *_related_rows_locked(circuits)]):
            for circuit in circuits:
                try:
                    _, check = _circuit_apply_reading(circuit, source=source, now=now, reading=by_id[circuit.pk])
                except SourceError as error:  # raised before anything of this circuit was written
                    failed.append((circuit.pk, error))
                    continue
                checks += [check] if check else []
        Circuit.objects.bulk_update(checks, CHECK_FIELDS)
    return failed


def _locked_for_readings(by_id: dict[int, Reading]) -> list[Circuit]:
    """The circuits of `by_id`'s readings, their rows locked by one query in id order (as every chunk
    locks, so two never deadlock). A circuit still at the version it was read at is the instance read
    then, not read twice: every write through the services bumps the version, and the plan, which
    checks write without one, is taken from the locked row. A circuit a person changed since is read
    again. Related rows are as prefetched, not locked: they only decide which services to call, and
    each service re-reads what it changes under its own lock."""
    rows = (
        Circuit.objects.select_for_update()
        .filter(pk__in=by_id)
        .order_by("pk")
        .values_list("pk", "version", *PLAN_FIELDS)
    )
    circuits, changed = {}, []
    for pk, version, *plan in rows:
        read = by_id[pk].circuit
        if read is not None and read.version == version:
            for name, value in zip(PLAN_FIELDS, plan, strict=True):
                setattr(read, name, value)
            circuits[pk] = read
        else:
            changed.append(pk)
    if changed:
        circuits.update(
            (circuit.pk, circuit)
            for circuit in _locked_circuits().filter(pk__in=changed).prefetch_related(*OBSERVED_RELATIONS)
        )
    return [circuits[pk] for pk in sorted(circuits)]


def _related_rows_locked(circuits: list[Circuit]) -> list:
    """The peerings, BGP sessions and VNet links read with `circuits` (OBSERVED_RELATIONS), their rows
    locked by one query per table, in id order. As with the circuits, the rows are as read: every
    write through the services to one of them bumps its circuit's version, which was found unchanged
    (else the circuit and its rows were read again under the lock)."""
    peerings = [peering for circuit in circuits for peering in getattr(circuit, "observed_peerings", ())]
    sessions = [session for peering in peerings for session in peering.observed_bgp_sessions]
    links = [link for circuit in circuits for link in getattr(circuit, "observed_vnet_links", ())]
    for model, rows in ((Peering, peerings), (BgpSession, sessions), (VNetLink, links)):
        if rows:
            locking = model.objects.select_for_update().filter(pk__in=[row.pk for row in rows]).order_by("pk")
            list(locking.values_list("pk", flat=True))
    return [*peerings, *sessions, *links]


def _locked_circuits():
    """Circuits with their rows locked, and only theirs: FOR UPDATE alone would lock the joined
    provider rows too, which every chunk shares (two workers' chunks would wait for each other, or
    deadlock locking them in different orders)."""
    return Circuit.objects.select_for_update(of=("self",)).select_related("service_provider")


def _circuit_apply_reading(
    circuit: Circuit, *, source: StateSource, now: datetime, reading: Reading | None
) -> tuple[list[str], Circuit | None]:
    """Apply what the source says of a circuit whose row this transaction has locked: the bulk
    reading if the circuit is still at its version, else a new read (a person acted meanwhile).
    Returns the refusals met and the check's bookkeeping (CHECK_FIELDS) for the caller to write;
    nothing for a deleted circuit."""
    if circuit.is_deleted:
        return [], None
    if reading is not None and reading.version == circuit.version:
        if reading.error is not None:
            raise reading.error
        observation = reading.observation
    else:
        observation = source.observe(circuit, now=now)
    problems = circuit_apply_observation(circuit=circuit, observation=observation, actor=source.actor)
    check = Circuit(
        pk=circuit.pk,
        last_checked_at=now,
        last_good_read_at=now,
        check_failures=0,
        last_check_error="; ".join(problems)[:500],
        simulator_step=circuit.simulator_step,  # the services leave the plan alone: as locked
        simulator_step_due_at=circuit.simulator_step_due_at,
        # Not kept: a change applied here, or refused, has the plan made again at the next check.
        simulator_planned_version=None,
    )
    if observation.plan is not None:
        check.simulator_step, check.simulator_step_due_at = observation.plan
    if circuit.is_stale:
        services.circuit_clear_stale(circuit=circuit, actor=source.actor)
    return problems, check


def _attempt(problems, change, *args, **kwargs):
    """Apply one change; a refusal is recorded as a problem instead of undoing the whole check."""
    try:
        with refusable_change():
            return change(*args, **kwargs)
    except DomainError as error:
        problems.append(error.message)
        logger.warning("Source change refused: %s", error.message)
        return None


def circuit_apply_observation(*, circuit: Circuit, observation: Observation, actor: Actor) -> list[str]:
    """Apply each difference between `observation` and the database through its service."""
    problems: list[str] = []
    reason = f"Reported by {actor}."
    if observation.provider_state and observation.provider_state != circuit.service_provider_provisioning_state:
        _attempt(
            problems,
            services.circuit_set_provider_state,
            circuit=circuit,
            to=observation.provider_state,
            actor=actor,
            reason=reason,
        )
    for field in ("circuit_provisioning_state", "provisioning_state"):
        value = getattr(observation, field)
        if value and value != getattr(circuit, field):
            _attempt(
                problems,
                services.circuit_set_status,
                circuit=circuit,
                field=field,
                to=value,
                actor=actor,
                reason=reason,
            )
    for seen in observation.peerings:
        _apply_peering(circuit=circuit, seen=seen, actor=actor, reason=reason, problems=problems)
    # Links and authorizations are read only when the source reported some (a query each saved).
    for link in observed(circuit, "vnet_links") if observation.vnet_links else ():
        status = observation.vnet_links.get(link.name)
        if status and status != link.connection_status:
            _attempt(problems, services.vnet_link_set_status, link=link, to=status, actor=actor, reason=reason)
    for authorization in observed(circuit, "authorizations") if observation.authorizations else ():
        status = observation.authorizations.get(authorization.name)
        if status and status != authorization.authorization_use_status:
            _attempt(problems, services.authorization_record_state, authorization=authorization, to=status, actor=actor)
    return problems


def _apply_peering(*, circuit, seen, actor, reason, problems):
    peering = next((p for p in observed(circuit, "peerings") if p.peering_type == seen.peering_type), None)
    if peering is None:
        if not seen.config:
            return
        peerings = observed(circuit, "peerings")  # under the circuit's lock: as they are
        peering = _attempt(
            problems,
            peering_services.peering_configure,
            circuit=circuit,
            actor=actor,
            peering_type=seen.peering_type,
            existing=list(peerings),
            **seen.config,
        )
        if peering is None:
            return
        if isinstance(peerings, list):  # the next peering of this check is judged with this one
            peerings.append(peering)
    # Prefixes and sessions are read only when the source reported some (a query each saved).
    for prefix in observed(peering, "advertised_prefixes") if seen.prefixes else ():
        state, why = seen.prefixes.get(prefix.prefix, (None, ""))
        if state and state != prefix.validation_state:
            _attempt(
                problems, peering_services.prefix_set_validation_state, prefix=prefix, to=state, actor=actor, reason=why
            )
    if seen.route_filter is not None and seen.route_filter != peering.route_filter:
        _attempt(
            problems,
            peering_services.peering_set_route_filter,
            peering=peering,
            route_filter=seen.route_filter,
            actor=actor,
            reason=reason,
        )
    if seen.provisioning_state and seen.provisioning_state != peering.provisioning_state:
        _attempt(
            problems,
            peering_services.peering_record_provisioning_state,
            peering=peering,
            to=seen.provisioning_state,
            actor=actor,
        )
    if not seen.bgp:
        return
    # The prefixes' states just applied may have changed what BGP may do: bgp_session_set_state
    # judges by the peering it re-reads under its lock (this instance only saves fetching it).
    for session in observed(peering, "bgp_sessions"):
        session.peering = peering
        state = seen.bgp.get(session.link)
        if state and state != session.state:
            _attempt(
                problems, peering_services.bgp_session_set_state, session=session, to=state, actor=actor, reason=reason
            )
