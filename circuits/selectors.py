"""Reads for circuits: querysets shaped so pages cost a constant number of queries."""

import functools
import hashlib
from datetime import UTC, datetime, time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404

from audit.models import AuditEvent
from core.stamps import stamped_get, stamped_set, stamps_take
from peerings.choices import AdvertisedPublicPrefixesStateChoices as PrefixesState
from peerings.choices import BgpStateChoices, PeeringTypeChoices, TicketStatusChoices
from peerings.models import ROUTE_FILTER_REQUIRED_SINCE, BgpSession, Peering, PrefixValidationTicket

from .choices import CircuitProvisioningStateChoices, ConnectionStatusChoices
from .choices import ServiceProviderProvisioningStateChoices as ProviderState
from .models import Circuit, VNetLink
from .stamps import ACCESS_STAMP, LIST_STAMP, circuit_stamp

ONBOARDED = 6  # the workflow_step of a circuit whose five steps are all done
TIMELINE_LENGTH = 50


def circuit_row_queryset():
    """Circuits with the rows a list row names beside them (provider, location, team, forecast), and
    nothing the checklist reads: the list adds circuit_onboarding_prefetches() to the rows it renders."""
    # "forecast" is insights.CircuitForecast, reached by its relation name (circuits does not import insights).
    return Circuit.objects.select_related("service_provider", "peering_location", "team", "forecast")


def circuit_onboarding_prefetches():
    """What the checklist reads beyond the circuit's own row, for prefetch_related() or
    prefetch_related_objects() (a fixed number of queries for any number of circuits)."""
    return (
        "provider_orders",
        "vnet_links",
        Prefetch(
            "peerings",
            queryset=Peering.objects.prefetch_related(
                "bgp_sessions",
                "advertised_prefixes",
                Prefetch(
                    "validation_tickets",
                    queryset=PrefixValidationTicket.objects.filter(status=TicketStatusChoices.OPEN),
                ),
            ),
        ),
    )


def circuit_onboarding_queryset():
    """Circuits with everything the checklist reads, prefetched (a fixed number of queries)."""
    return circuit_row_queryset().prefetch_related(*circuit_onboarding_prefetches())


def circuit_list(*, include_deleted=False):
    queryset = circuit_onboarding_queryset()
    return queryset if include_deleted else queryset.filter(deleted_at__isnull=True)


def circuits_visible_to(user, queryset=None):
    """SECURITY: who may VIEW a circuit (and everything reached through it).

    Superusers see every circuit. Anyone holding a role (circuits.view_circuit: engineer, approver,
    manager) sees the circuits of the teams they are a member of, and nothing else; a user with no
    role sees nothing. An estate-wide reader is a member of every team.
    """
    queryset = Circuit.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    if not user.has_perm("circuits.view_circuit"):
        return queryset.none()
    return queryset.filter(team__members=user)


def circuits_readable_by(user, queryset):
    """circuits_visible_to with the permission check inside the query itself, for live polls: a poll
    then costs one query (plus the user), where has_perm would read the permissions first."""
    if user.is_superuser:
        return queryset
    permission = {"permission__content_type__app_label": "circuits", "permission__codename": "view_circuit"}
    own = get_user_model().user_permissions.through.objects.filter(user_id=user.pk, **permission)
    via_group = Group.permissions.through.objects.filter(group__user=user.pk, **permission)
    return queryset.filter(Q(Exists(own)) | Q(Exists(via_group)), team__members=user.pk)


def circuits_changeable_by(user, queryset=None):
    """SECURITY: who may CHANGE a circuit: engineers (circuits.change_circuit) of its team; superusers."""
    queryset = Circuit.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    if not user.has_perm("circuits.change_circuit"):
        return queryset.none()
    return queryset.filter(team__members=user)


CIRCUIT_SCOPES = {"view": circuits_visible_to, "change": circuits_changeable_by}


def circuit_for(user, pk, *, action="view", queryset=None):
    """The one entry point for a circuit named by id: 404 unless `user` may `action` ("view" or
    "change") it, so ids outside the user's teams cannot even be probed. Child objects are looked up
    through the circuit scope (`circuits_in_scope`)."""
    return get_object_or_404(CIRCUIT_SCOPES[action](user, queryset), pk=pk)


def circuits_in_scope(user, *, action="view"):
    """The circuits `user` may `action`, as a subquery for child objects (peering__circuit__in=...)."""
    return CIRCUIT_SCOPES[action](user).values("pk")


def user_can_change_circuit(user, circuit) -> bool:
    return user.is_superuser or (
        user.has_perm("circuits.change_circuit") and any(member.pk == user.pk for member in circuit.team.members.all())
    )


def service_key_for(user, circuit) -> str:
    """SECURITY: a circuit's service key as `user` may see it. Only the engineers of its team (who hand
    it to the provider) and superusers see it in full; everyone else sees it masked, enough to tell
    circuits apart on a call, not to order one. No query once `team__members` is prefetched."""
    return service_key_shown(circuit, full=user_can_change_circuit(user, circuit))


def service_key_shown(circuit, *, full: bool) -> str:
    """The service key in full, for who may change the circuit (service_key_for, circuit_page_for), else masked."""
    return _full_key(circuit) if full else mask_service_key(circuit)


def service_key_display(user):
    """service_key_for as a function of the circuit, for lists: one query, whatever their length."""
    if user.is_superuser:
        return _full_key
    own_teams = set(user.teams.values_list("pk", flat=True)) if user.has_perm("circuits.change_circuit") else set()
    return lambda circuit: _full_key(circuit) if circuit.team_id in own_teams else mask_service_key(circuit)


def _full_key(circuit) -> str:
    # No key until Azure issues one (imported circuits still being created): nothing to show or mask.
    return str(circuit.service_key) if circuit.service_key else ""


def mask_service_key(circuit) -> str:
    return f"••••-{str(circuit.service_key)[-4:]}" if circuit.service_key else ""


def _routing_done():
    """Some peering carries traffic: its BGP is up and, for Microsoft peering, its prefixes are Configured."""
    session_down = BgpSession.objects.filter(peering=OuterRef("pk")).exclude(state=BgpStateChoices.ESTABLISHED)
    prefixes_pending = Q(peering_type=PeeringTypeChoices.MICROSOFT) & ~Q(
        advertised_public_prefixes_state=PrefixesState.CONFIGURED
    )
    since = datetime.combine(ROUTE_FILTER_REQUIRED_SINCE, time.min, tzinfo=UTC)  # Peering.needs_route_filter
    filter_missing = Q(peering_type=PeeringTypeChoices.MICROSOFT, route_filter="", circuit__created_at__gte=since)
    up = (
        Peering.objects.filter(circuit=OuterRef("pk"))
        .exclude(prefixes_pending)
        .exclude(filter_missing)
        .exclude(Exists(session_down))
    )
    return Q(Exists(up))


def _links_done():
    """Links, if any, all Connected (they count even on a Microsoft-peering-only circuit, as in
    the checklist); without links, done only when there is no private peering to link."""
    private = Peering.objects.filter(circuit=OuterRef("pk"), peering_type=PeeringTypeChoices.AZURE_PRIVATE)
    links = VNetLink.objects.filter(circuit=OuterRef("pk"))
    unconnected = links.exclude(connection_status=ConnectionStatusChoices.CONNECTED)
    return (Q(Exists(links)) & ~Q(Exists(unconnected))) | (~Q(Exists(links)) & ~Q(Exists(private)))


def with_workflow_step(queryset, *, selected=True):
    """Annotate `workflow_step`: the checklist's current step (1-5), ONBOARDED when all are done.

    The same rules as circuits.checklist, expressed in SQL so the list can filter and sort by
    step without computing every circuit's checklist (tests pin the two to agree). With
    selected=False it is only an alias for filters and sorting: not computed for every row of
    the estate when the page neither filters nor sorts by it.
    """
    state = "service_provider_provisioning_state"
    return (queryset.annotate if selected else queryset.alias)(
        workflow_step=Case(
            When(deleted_at__isnull=False, then=Value(2)),
            When(**{state: ProviderState.NOT_PROVISIONED}, then=Value(2)),
            When(**{state: ProviderState.DEPROVISIONED}, then=Value(2)),
            When(~Q(**{state: ProviderState.PROVISIONED}), then=Value(3)),
            When(~Q(circuit_provisioning_state=CircuitProvisioningStateChoices.ENABLED), then=Value(3)),
            When(deprovision_requested_at__isnull=False, then=Value(3)),
            When(~_routing_done(), then=Value(4)),
            When(~_links_done(), then=Value(5)),
            default=Value(ONBOARDED),
            output_field=IntegerField(),
        )
    )


def circuit_page_prefetches():
    """What the circuit page's regions read beyond the circuit and the rows beside it (circuit_row_queryset):
    the checklist's prefetches plus authorizations, Global Reach connections and the links' authorizations
    (its billing panel and timeline come after it: circuit_history_queryset)."""
    return (*circuit_onboarding_prefetches(), "authorizations", "global_reach_connections", "vnet_links__authorization")


def circuit_page_queryset():
    """One circuit with everything its page draws and its team's members (user_can_change_circuit), for
    the actions on it."""
    return circuit_row_queryset().prefetch_related(*circuit_page_prefetches(), "team__members")


def circuit_page_for(user, pk) -> tuple[Circuit, bool]:
    """circuit_for(user, pk) for the circuit page, in one query: the circuit with the rows beside it
    (circuit_row_queryset; what its regions read beyond them is prefetched only when they are drawn:
    circuit_page_prefetches), and whether `user` may change it (user_can_change_circuit).

    SECURITY: only a member of the circuit's team may view it (circuits_visible_to), or a superuser, who
    may change any circuit: whether the viewer may change it is then their permission alone, with no
    read of the team's members (tests/circuits/test_page_regions.py pins the two to agree)."""
    circuit = circuit_for(user, pk, queryset=circuit_row_queryset())
    return circuit, user.is_superuser or user.has_perm("circuits.change_circuit")


def circuit_history_queryset():
    """What the circuit page's history (billing panel, timeline) reads of the circuit: its team's
    members decide whether the service key in the "created" event is shown."""
    return Circuit.objects.select_related("team").prefetch_related("team__members")


def circuit_timeline(*, circuit_id: int) -> list[AuditEvent]:
    """The circuit's latest audit events, newest first (its index: circuit, -created_at)."""
    return list(AuditEvent.objects.filter(circuit_id=circuit_id).select_related("actor_user")[:TIMELINE_LENGTH])


def _fingerprint(rows) -> str:
    text = "|".join(f"{pk}.{version}.{checked.timestamp() if checked else 0:.0f}" for pk, version, checked in rows)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


EMPTY_FINGERPRINT = _fingerprint([])


def circuits_fingerprint(circuits) -> str:
    """What a page showing these circuits was rendered from: each one's version and last check."""
    return _fingerprint((c.pk, c.version, c.last_checked_at) for c in circuits)


def circuit_poll_fingerprint(queryset) -> str:
    """The same fingerprint read straight from the database in one small query, for live polls."""
    return _fingerprint(
        queryset.select_related(None).prefetch_related(None).values_list("pk", "version", "last_checked_at")
    )


@functools.cache
def _readable_circuit_sql() -> str:
    """One circuit's fingerprint columns, if the user (the three %s) is a member of its team and holds
    circuits.view_circuit (circuits_visible_to)."""
    user_model, circuit = get_user_model(), Circuit._meta.db_table
    members = Circuit._meta.get_field("team").related_model.members.through._meta.db_table
    own, groups = user_model.user_permissions.through._meta, user_model.groups.through._meta
    group_permissions = Group.permissions.through._meta
    permission = (
        f"SELECT p.id FROM {Permission._meta.db_table} p JOIN {ContentType._meta.db_table} t"
        " ON t.id = p.content_type_id WHERE t.app_label = 'circuits' AND p.codename = 'view_circuit'"
    )
    return (
        f"SELECT c.id, c.version, c.last_checked_at FROM {circuit} c WHERE c.id = %s"
        f" AND EXISTS (SELECT 1 FROM {members} m WHERE m.team_id = c.team_id AND m.user_id = %s) AND EXISTS ("
        f"SELECT 1 FROM {own.db_table} o WHERE o.user_id = %s AND o.permission_id IN ({permission})"
        f" UNION ALL SELECT 1 FROM {group_permissions.db_table} gp JOIN {groups.db_table} ug"
        f" ON ug.group_id = gp.group_id WHERE ug.user_id = %s AND gp.permission_id IN ({permission}))"
    )


def _circuit_poll_fingerprint_read(user, circuit_id) -> str:
    """circuit_poll_fingerprint(circuits_readable_by(user, that circuit)) as one written-out query.

    Building and compiling the ORM query with its two permission subqueries cost more than the rest
    of an unchanged poll, so it is written once. Empty (EMPTY_FINGERPRINT) when there is no such
    circuit or the user may not view circuits.
    """
    if user.is_superuser:
        return circuit_poll_fingerprint(Circuit.objects.filter(pk=circuit_id))
    rows = Circuit.objects.raw(_readable_circuit_sql(), [circuit_id, user.pk, user.pk, user.pk])
    return _fingerprint((row.pk, row.version, row.last_checked_at) for row in rows)


# How long a cached poll answer may live: bounds what a write made while the cache was unreachable
# can leave behind (core.stamps); a page polls every 5 to 30 seconds.
POLL_ANSWER_SECONDS = 60


def _stamped_fingerprint(key, stamp_keys, read) -> str:
    """The fingerprint cached under `key` while its stamps are current, else `read()` (cached)."""
    fingerprint = stamped_get(key, stamp_keys)
    if fingerprint is None:
        stamps = stamps_take(stamp_keys)  # before reading: a write racing with the read forgets them
        fingerprint = read()
        if fingerprint != EMPTY_FINGERPRINT:
            stamped_set(key, fingerprint, stamps, timeout=POLL_ANSWER_SECONDS)
    return fingerprint


def circuit_poll_fingerprint_for(user, circuit_id) -> str:
    """The circuit page poll's fingerprint, if `user` may view the circuit (EMPTY_FINGERPRINT if not).

    A page polls every few seconds all day: the answer comes from the cache (one round trip, no
    query) until the circuit or anyone's access is written (circuits.stamps), else from one query.
    """
    stamps = (circuit_stamp(circuit_id), ACCESS_STAMP)
    read = functools.partial(_circuit_poll_fingerprint_read, user, circuit_id)
    return _stamped_fingerprint(f"circuits:poll:{user.pk}:{circuit_id}", stamps, read)


def circuit_list_poll_fingerprint_for(user, query, read) -> str:
    """The list poll's fingerprint for `user` and the list's parameters (`query` but `v`): from the
    cache until any circuit or anyone's access is written (circuits.stamps), else `read()`."""
    digest = _query_digest(_without(query, ("v",)))
    return _stamped_fingerprint(f"circuits:listpoll:{user.pk}:{digest}", (LIST_STAMP, ACCESS_STAMP), read)


def _without(query, names):
    params = query.copy()
    for name in names:
        params.pop(name, None)
    return params


def _query_digest(params) -> str:
    return hashlib.blake2b(params.urlencode().encode(), digest_size=12).hexdigest()


# Filters that read rows whose writes leave circuits alone (a watch, insights' forecast): a count
# under them could outlive what it counted, so it is read every time.
COUNT_UNSTAMPED_FILTERS = frozenset({"watching", "late"})
COUNT_IGNORED_PARAMS = ("v", "page", "sort", "per_page", "density")


class ListCount:
    """How many circuits `user`'s list matches under the query's filters: from the cache until any
    circuit or anyone's access is written (circuits.stamps), as the list poll's fingerprint. Looked
    up before the list is read; `store` the count read otherwise. Counting is the one part of the
    list that grows with the estate (the page itself comes from an index)."""

    def __init__(self, user, query):
        params = _without(query, COUNT_IGNORED_PARAMS)
        self.key = self.stamps = self.found = None
        if COUNT_UNSTAMPED_FILTERS.isdisjoint(name for name, values in params.lists() if any(values)):
            self.key = f"circuits:listcount:{user.pk}:{_query_digest(params)}"
            self.found = stamped_get(self.key, (LIST_STAMP, ACCESS_STAMP))
            self.stamps = None if self.found is not None else stamps_take((LIST_STAMP, ACCESS_STAMP))

    def store(self, count: int) -> None:
        if self.key is not None and self.found is None:
            stamped_set(self.key, count, self.stamps, timeout=POLL_ANSWER_SECONDS)


def diagnostics_cache_key(circuit_id: int) -> str:
    return f"circuits:diagnostics:{circuit_id}"


def circuit_last_reading(*, circuit_id: int):
    """Step 4's last verification reading of the circuit (sync.diagnostics takes it), while it is kept."""
    return cache.get(diagnostics_cache_key(circuit_id))
