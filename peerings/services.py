"""Every write to peerings, their BGP sessions, advertised prefixes and validation tickets."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audit.services import audit_event_record
from audit.statemachine import circuit_touch, lock, transition
from core.actors import Actor
from core.errors import DomainError, ErrorCollector
from core.secrets import secret_digest
from notifications.services import notify_circuit_watchers

from .approval_selectors import DECIDE_PERMISSION
from .choices import (
    AdvertisedPublicPrefixesStateChoices as PrefixesState,
)
from .choices import (
    BgpStateChoices,
    LinkChoices,
    PeeringTypeChoices,
    RoutingRegistryChoices,
    TicketStatusChoices,
)
from .choices import (
    PrefixValidationStateChoices as PrefixState,
)
from .evidence import evidence_check
from .models import AdvertisedPrefix, BgpSession, Peering, PrefixValidationTicket, TicketEvidence
from .validators import (
    is_private_asn,
    parse_advertised_prefixes,
    validate_asn,
    validate_peer_subnets,
    validate_shared_key,
    validate_vlan_id,
)

PASSING_PREFIX_STATES = {PrefixState.CONFIGURED}
WAITING_REASON = "Waiting for validation against the routing registry."
IN_PROGRESS_PREFIX_STATES = {PrefixState.CONFIGURING, PrefixState.NOT_CONFIGURED}
TICKET_TRANSITIONS = {
    TicketStatusChoices.OPEN: {
        TicketStatusChoices.APPROVED,
        TicketStatusChoices.REJECTED,
        TicketStatusChoices.WITHDRAWN,
    },
}


def peering_fields_check(
    *,
    circuit,
    peering_type=None,
    peer_asn=None,
    primary_peer_address_prefix=None,
    secondary_peer_address_prefix=None,
    vlan_id=None,
    ipv6_primary_peer_address_prefix="",
    ipv6_secondary_peer_address_prefix="",
    shared_key="",
    advertised_public_prefixes=(),
    customer_asn=None,
    routing_registry_name="",
) -> list[str]:
    """Every rule a new peering's fields break, all at once (DomainErrors); returns the advertised
    prefixes. A field given as None failed its shape check already and is not judged again."""
    errors = ErrorCollector()
    microsoft = peering_type == PeeringTypeChoices.MICROSOFT
    with errors.check():
        if peering_type is not None and peering_type not in PeeringTypeChoices.values():
            raise DomainError(
                f"“{peering_type}” is not a peering type for new circuits; "
                "use AzurePrivatePeering or MicrosoftPeering.",
                field="peering_type",
            )
        if peering_type and circuit.peerings.filter(peering_type=peering_type).exists():
            raise DomainError(f"This circuit already has {peering_type}.", field="peering_type")
    with errors.check():
        if peer_asn is not None:
            validate_asn(peer_asn, field="peer_asn")
    with errors.check():
        if vlan_id is not None:
            validate_vlan_id(vlan_id)
            if circuit.peerings.filter(vlan_id=vlan_id).exists():
                raise DomainError("This VLAN ID is already used by another peering of this circuit.", field="vlan_id")
    with errors.check():
        validate_shared_key(shared_key)
    with errors.check():
        if primary_peer_address_prefix is not None and secondary_peer_address_prefix is not None:
            validate_peer_subnets(
                primary_peer_address_prefix,
                secondary_peer_address_prefix,
                version=4,
                public_only=microsoft,
                fields=("primary_peer_address_prefix", "secondary_peer_address_prefix"),
            )
    with errors.check():
        _validate_ipv6_subnets(ipv6_primary_peer_address_prefix, ipv6_secondary_peer_address_prefix, microsoft)
    prefixes = []
    if microsoft:
        with errors.check():
            if customer_asn is not None:
                validate_asn(customer_asn, field="customer_asn")
        with errors.check():
            if routing_registry_name is not None and routing_registry_name not in RoutingRegistryChoices.values():
                raise DomainError(
                    "Choose the routing registry where your prefixes are registered.", field="routing_registry_name"
                )
        with errors.check():
            if advertised_public_prefixes is not None:
                prefixes = parse_advertised_prefixes(advertised_public_prefixes)
    errors.raise_any()
    return prefixes


def _validate_ipv6_subnets(primary, secondary, microsoft):
    if primary is None or secondary is None:
        return
    if bool(primary) != bool(secondary):
        raise DomainError("Give both IPv6 subnets or neither.", field="ipv6_secondary_peer_address_prefix")
    if primary:
        validate_peer_subnets(
            primary,
            secondary,
            version=6,
            public_only=microsoft,
            fields=("ipv6_primary_peer_address_prefix", "ipv6_secondary_peer_address_prefix"),
        )


def _refuse_people_on_layer3(circuit, actor):
    provider = circuit.service_provider
    if provider.is_layer3 and actor.is_person:
        raise DomainError(
            f"{provider} is a Layer 3 provider: it configures the peerings itself, and Onramp records them "
            "when the provider reports them. Ask the provider for the routing you need."
        )


@transaction.atomic
def peering_configure(
    *,
    circuit,
    actor: Actor,
    peering_type: str,
    peer_asn: int,
    primary_peer_address_prefix: str,
    secondary_peer_address_prefix: str,
    vlan_id: int,
    ipv6_primary_peer_address_prefix: str = "",
    ipv6_secondary_peer_address_prefix: str = "",
    shared_key: str = "",
    advertised_public_prefixes=(),
    customer_asn: int | None = None,
    routing_registry_name: str = "",
) -> Peering:
    """Step 4: configure a peering. Layer 2: the engineer, once Provisioned. Layer 3: the provider."""
    circuit = lock(circuit)
    if circuit.is_deleted:
        raise DomainError("This circuit was deleted.")
    _refuse_people_on_layer3(circuit, actor)
    # Azure and the importer report peerings that exist, whatever the circuit's state: recorded,
    # and the circuit page explains why they cannot carry traffic yet.
    if not circuit.is_provisioned and actor.kind not in (Actor.AZURE, Actor.IMPORT):
        raise DomainError(
            f"The circuit is {circuit.service_provider_provisioning_state}, not Provisioned: routing can be "
            "configured only once the provider has provisioned it (configuring earlier fails or hangs)."
        )
    prefixes = peering_fields_check(
        circuit=circuit,
        peering_type=peering_type,
        peer_asn=peer_asn,
        primary_peer_address_prefix=primary_peer_address_prefix,
        secondary_peer_address_prefix=secondary_peer_address_prefix,
        vlan_id=vlan_id,
        ipv6_primary_peer_address_prefix=ipv6_primary_peer_address_prefix,
        ipv6_secondary_peer_address_prefix=ipv6_secondary_peer_address_prefix,
        shared_key=shared_key,
        advertised_public_prefixes=advertised_public_prefixes,
        customer_asn=customer_asn,
        routing_registry_name=routing_registry_name,
    )
    microsoft = peering_type == PeeringTypeChoices.MICROSOFT
    # A private validation ASN can never match a registry: its prefixes need manual validation at once.
    manual = microsoft and is_private_asn(customer_asn or peer_asn)
    if not microsoft:
        prefixes_state = PrefixesState.NOT_CONFIGURED
    else:
        prefixes_state = PrefixesState.VALIDATION_NEEDED if manual else PrefixesState.CONFIGURING
    peering = Peering.objects.create(
        circuit=circuit,
        peering_type=peering_type,
        peer_asn=peer_asn,
        primary_peer_address_prefix=primary_peer_address_prefix.strip(),
        secondary_peer_address_prefix=secondary_peer_address_prefix.strip(),
        ipv6_primary_peer_address_prefix=ipv6_primary_peer_address_prefix.strip(),
        ipv6_secondary_peer_address_prefix=ipv6_secondary_peer_address_prefix.strip(),
        vlan_id=vlan_id,
        shared_key_digest=secret_digest(shared_key) if shared_key else "",
        configured_by=actor.kind,
        customer_asn=customer_asn if microsoft else None,
        routing_registry_name=routing_registry_name if microsoft else "",
        advertised_public_prefixes_state=prefixes_state,
    )
    BgpSession.objects.bulk_create([BgpSession(peering=peering, link=link) for link in LinkChoices.values()])
    if microsoft:
        AdvertisedPrefix.objects.bulk_create(
            [
                AdvertisedPrefix(
                    peering=peering,
                    prefix=prefix,
                    validation_state=PrefixState.MANUAL_VALIDATION_NEEDED if manual else PrefixState.CONFIGURING,
                    reason=(
                        f"AS{peering.validation_asn} is a private AS number: request manual validation."
                        if manual
                        else WAITING_REASON
                    ),
                )
                for prefix in prefixes
            ]
        )
        _revalidate_on_commit(peering, "New Microsoft peering.")
    circuit_touch(circuit.pk)
    audit_event_record(
        obj=peering,
        field="configured",
        to_value=peering.peering_type,
        actor=actor,
        reason=f"VLAN {vlan_id}, peer AS{peer_asn}" + (f", {len(prefixes)} advertised prefixes" if microsoft else ""),
        circuit_id=circuit.pk,
    )
    return peering


def _derived_prefixes_state(states: list[str]) -> str:
    if not states:
        return PrefixesState.NOT_CONFIGURED
    if all(state in PASSING_PREFIX_STATES for state in states):
        return PrefixesState.CONFIGURED
    if any(state not in PASSING_PREFIX_STATES | IN_PROGRESS_PREFIX_STATES for state in states):
        return PrefixesState.VALIDATION_NEEDED
    return PrefixesState.CONFIGURING


def _prefix_record(*, prefix, to, actor, reason, circuit_id, extra=None):
    """Move one prefix to `to` (audited); a new reason for the same state replaces the old sentence."""
    prefix, event = transition(
        obj=prefix,
        field="validation_state",
        to=to,
        actor=actor,
        reason=reason,
        extra={"reason": reason, **(extra or {})},
        circuit_id=circuit_id,
    )
    if event is None and (prefix.reason != reason or extra):
        AdvertisedPrefix.objects.filter(pk=prefix.pk).update(reason=reason, **(extra or {}))
    return prefix


@transaction.atomic
def prefix_set_validation_state(
    *, prefix: AdvertisedPrefix, to: str, actor: Actor, reason: str = ""
) -> AdvertisedPrefix:
    """Set one prefix's own validation state, then the peering's advertisedPublicPrefixesState follows."""
    prefix = _prefix_record(prefix=prefix, to=to, actor=actor, reason=reason, circuit_id=prefix.peering.circuit_id)
    peering_refresh_prefixes_state(peering=prefix.peering, actor=actor)
    return prefix


@transaction.atomic
def peering_record_validation(*, peering: Peering, verdicts: dict, actor: Actor, reason: str = "") -> Peering:
    """Record the registry validator's verdicts, {prefix: (validationState, reason)}; the peering follows."""
    peering = lock(peering)
    for prefix in peering.advertised_prefixes.filter(prefix__in=list(verdicts)):
        to, why = verdicts[prefix.prefix]
        _prefix_record(prefix=prefix, to=to, actor=actor, reason=why, circuit_id=peering.circuit_id)
    return peering_refresh_prefixes_state(peering=peering, actor=actor, reason=reason)


def _revalidate_on_commit(peering, reason):
    # registry builds on peerings, so it is imported here, where it is needed, not at module load.
    from registry.tasks import peering_revalidate_on_commit

    peering_revalidate_on_commit(peering.pk, reason=reason)


def _audit_change(*, peering, field, old, new, actor, reason=""):
    if old != new:
        audit_event_record(
            obj=peering,
            field=field,
            from_value=old,
            to_value=new,
            actor=actor,
            reason=reason or f"{field}: {old or '∅'} → {new or '∅'}",
            circuit_id=peering.circuit_id,
        )


@transaction.atomic
def peering_set_route_filter(*, peering: Peering, route_filter: str, actor: Actor, reason: str = "") -> Peering:
    """Attach (or detach, with "") the route filter that lets Microsoft advertise routes on Microsoft peering."""
    peering = lock(peering)
    if not peering.is_microsoft:
        raise DomainError("Route filters apply to Microsoft peering only.", field="route_filter")
    if peering.circuit.is_deleted:
        raise DomainError("This circuit was deleted.")
    route_filter = (route_filter or "").strip()
    if len(route_filter) > Peering._meta.get_field("route_filter").max_length:
        raise DomainError("Give the route filter's name or resource ID (at most 400 characters).", field="route_filter")
    peering, _ = transition(
        obj=peering,
        field="route_filter",
        to=route_filter,
        actor=actor,
        reason=reason or ("Route filter attached." if route_filter else "Route filter detached."),
    )
    return peering


@transaction.atomic
def peering_update_prefixes(
    *,
    peering: Peering,
    actor: Actor,
    advertised_public_prefixes,
    customer_asn: int | None = None,
    routing_registry_name: str,
) -> Peering:
    """Change a Microsoft peering's advertised prefixes, customer ASN or registry; re-validation follows."""
    peering = lock(peering)
    if not peering.is_microsoft:
        raise DomainError("Only Microsoft peering advertises public prefixes.")
    _refuse_people_on_layer3(peering.circuit, actor)
    if customer_asn is not None:
        validate_asn(customer_asn, field="customer_asn")
    if routing_registry_name not in RoutingRegistryChoices.values():
        raise DomainError(
            "Choose the routing registry where your prefixes are registered.", field="routing_registry_name"
        )
    wanted = parse_advertised_prefixes(advertised_public_prefixes)
    current = {row.prefix: row for row in peering.advertised_prefixes.all()}
    removed = [row for prefix, row in current.items() if prefix not in wanted]
    ticketed = PrefixValidationTicket.objects.filter(status=TicketStatusChoices.OPEN, prefixes__in=removed).first()
    if ticketed:
        raise DomainError(
            f"{ticketed} is open for a prefix you are removing: withdraw it first.", field="advertised_public_prefixes"
        )
    AdvertisedPrefix.objects.filter(pk__in=[row.pk for row in removed]).delete()
    AdvertisedPrefix.objects.bulk_create(
        [
            AdvertisedPrefix(peering=peering, prefix=prefix, reason=WAITING_REASON)
            for prefix in wanted
            if prefix not in current
        ]
    )
    _audit_change(
        peering=peering,
        field="advertised_public_prefixes",
        old=" ".join(sorted(current)),
        new=" ".join(sorted(wanted)),
        actor=actor,
        reason=f"Advertised prefixes now: {', '.join(wanted)}.",
    )
    for field, new in (("customer_asn", customer_asn), ("routing_registry_name", routing_registry_name)):
        old = getattr(peering, field)
        _audit_change(peering=peering, field=field, old=old or "", new=new or "", actor=actor)
        setattr(peering, field, new)
    peering.save(update_fields=["customer_asn", "routing_registry_name"])
    peering = peering_refresh_prefixes_state(peering=peering, actor=actor)
    _revalidate_on_commit(peering, "The peering's prefixes, ASN or registry changed.")
    return peering


@transaction.atomic
def peering_refresh_prefixes_state(*, peering: Peering, actor: Actor, reason: str = "") -> Peering:
    """advertisedPublicPrefixesState follows its prefixes: Configured only when every one passes."""
    states = list(peering.advertised_prefixes.values_list("validation_state", flat=True))
    to = _derived_prefixes_state(states)
    peering, _ = transition(
        obj=peering,
        field="advertised_public_prefixes_state",
        to=to,
        actor=actor,
        reason=reason or f"{states.count(PrefixState.CONFIGURED)} of {len(states)} prefixes configured.",
    )
    if to != PrefixesState.CONFIGURED:
        for session in peering.bgp_sessions.exclude(state=BgpStateChoices.IDLE):
            transition(
                obj=session,
                field="state",
                to=BgpStateChoices.IDLE,
                actor=actor,
                reason="Microsoft peering prefixes are not Configured: the BGP session stays disabled.",
                circuit_id=peering.circuit_id,
            )
    return peering


@transaction.atomic
def bgp_session_set_state(*, session: BgpSession, to: str, actor: Actor, reason: str = "") -> BgpSession:
    """A link's BGP session changes state; Microsoft peering comes up only once its prefixes are Configured."""
    # Locked so the prefixes state cannot leave Configured between this check and the write.
    peering = lock(session.peering)
    if to == BgpStateChoices.ESTABLISHED:
        if peering.is_microsoft and peering.advertised_public_prefixes_state != PrefixesState.CONFIGURED:
            raise DomainError(
                f"Microsoft peering's BGP session is enabled only when its prefixes are Configured; "
                f"they are {peering.advertised_public_prefixes_state}."
            )
        if not peering.circuit.is_provisioned:
            raise DomainError("The circuit is not Provisioned: BGP cannot come up.")
    session, _ = transition(
        obj=session,
        field="state",
        to=to,
        actor=actor,
        reason=reason,
        extra={"changed_at": timezone.now()},
        circuit_id=peering.circuit_id,
    )
    return session


# Audit events (append-only, kept for ever) and notifications (e-mailed) point at the ticket rather
# than copy its note or decision reason: people's text stays in one place, with its length limit.
def _see_ticket(ticket):
    return f"See ticket #{ticket.pk} for its note, evidence and decision."


def _refuse_too_long(text, *, model_field, field):
    """People's text is bounded (stored, shown and e-mailed): refuse more than the column holds."""
    limit = PrefixValidationTicket._meta.get_field(model_field).max_length
    if len(text) > limit:
        raise DomainError(f"Keep this under {limit} characters (it has {len(text)}).", field=field)


def _ticket_notify(*, ticket, actor, title, body, also=()):
    """Tell the circuit's watchers and the requester (and `also`) what happened, except whoever did it."""
    notify_circuit_watchers(
        circuit=ticket.peering.circuit,
        kind=f"ticket_{ticket.status}",
        title=title,
        body=body,
        also=[ticket.requested_by, *also],
        skip_user=actor.user,
    )


def _ticket_prefixes(peering, prefixes):
    wanted = {str(p) for p in prefixes}
    rows = list(peering.advertised_prefixes.filter(prefix__in=wanted))
    if not rows or len(rows) != len(wanted):
        raise DomainError("Choose prefixes advertised on this peering.", field="prefixes")
    passing = [row.prefix for row in rows if row.validation_state in PASSING_PREFIX_STATES]
    if passing:
        raise DomainError(f"Already validated, no ticket needed: {', '.join(passing)}.", field="prefixes")
    return rows


@transaction.atomic
def ticket_open(*, peering: Peering, prefixes, note: str, actor: Actor, evidence_files=()) -> PrefixValidationTicket:
    """An engineer asks for manual validation of prefixes, with evidence (e.g. a Letter of Authorization)."""
    if actor.user is None:
        raise DomainError("A ticket is opened by a person, who answers for its evidence.")
    _refuse_too_long(note, model_field="note", field="note")
    peering = lock(peering)
    if not peering.is_microsoft:
        raise DomainError("Only Microsoft peering prefixes need validation.")
    if peering.advertised_public_prefixes_state != PrefixesState.VALIDATION_NEEDED:
        raise DomainError(
            f"The prefixes are {peering.advertised_public_prefixes_state}; a ticket is for ValidationNeeded."
        )
    rows = _ticket_prefixes(peering, [getattr(p, "prefix", p) for p in prefixes])
    already = PrefixValidationTicket.objects.filter(
        peering=peering, status=TicketStatusChoices.OPEN, prefixes__in=rows
    ).first()
    if already:
        raise DomainError(f"{already} is already open for some of these prefixes.", field="prefixes")
    checked = [evidence_check(upload) for upload in evidence_files]
    ticket = PrefixValidationTicket.objects.create(peering=peering, note=note, requested_by=actor.user)
    ticket.prefixes.set(rows)
    for upload, content_type in checked:
        TicketEvidence.objects.create(
            ticket=ticket, file=upload, original_name=upload.name, content_type=content_type, size=upload.size
        )
    circuit_touch(peering.circuit_id)
    audit_event_record(
        obj=ticket,
        field="status",
        from_value="",
        to_value=ticket.status,
        actor=actor,
        reason=f"Manual validation requested for {len(rows)} prefixes. {_see_ticket(ticket)}",
        circuit_id=peering.circuit_id,
    )
    _ticket_notify(
        ticket=ticket,
        actor=actor,
        title=f"{ticket} opened: manual validation of {', '.join(row.prefix for row in rows)}",
        body=f"{actor} asks for manual validation. {_see_ticket(ticket)}",
        also=get_user_model().objects.with_perm(DECIDE_PERMISSION, include_superusers=False),
    )
    return ticket


def _refuse_unless_another_approver(ticket, actor):
    """Tickets are decided by a person holding the decide permission, never the requester (four eyes)."""
    if actor.user is None or not actor.user.has_perm(DECIDE_PERMISSION):
        raise DomainError("Only an approver can approve or reject prefix validation tickets.", code="forbidden")
    if actor.user.pk == ticket.requested_by_id:
        raise DomainError("You opened this ticket: another approver must decide it (four eyes).")


def _ticket_decide(*, ticket, to, actor, reason):
    _refuse_too_long(reason, model_field="decision_reason", field="reason")
    locked = lock(ticket)
    if not locked.is_open:
        who = locked.decided_by or locked.requested_by
        raise DomainError(
            f"{locked} was already {locked.status} by {who} at {locked.decided_at:%Y-%m-%d %H:%M}.", code="conflict"
        )
    locked, _ = transition(
        obj=locked,
        field="status",
        to=to,
        actor=actor,
        reason=_see_ticket(locked),
        allowed=TICKET_TRANSITIONS,
        extra={"decided_by": actor.user, "decided_at": timezone.now(), "decision_reason": reason},
        circuit_id=locked.peering.circuit_id,
    )
    _ticket_notify(ticket=locked, actor=actor, title=f"{locked} {locked.status} by {actor}", body=_see_ticket(locked))
    return locked


@transaction.atomic
def ticket_approve(*, ticket: PrefixValidationTicket, actor: Actor, reason: str = "") -> PrefixValidationTicket:
    """Approve: the ticket's prefixes become Configured; when all are, BGP may come up."""
    _refuse_unless_another_approver(ticket, actor)
    ticket = _ticket_decide(ticket=ticket, to=TicketStatusChoices.APPROVED, actor=actor, reason=reason or "Approved.")
    asn = ticket.peering.validation_asn
    for prefix in ticket.prefixes.all():
        _prefix_record(
            prefix=prefix,
            to=PrefixState.CONFIGURED,
            actor=actor,
            reason=f"Manually validated for AS{asn} by ticket #{ticket.pk} ({actor}).",
            circuit_id=ticket.peering.circuit_id,
            extra={"manual_validation_asn": asn},
        )
    peering_refresh_prefixes_state(peering=ticket.peering, actor=actor, reason=f"Ticket #{ticket.pk} approved.")
    return ticket


@transaction.atomic
def ticket_reject(*, ticket: PrefixValidationTicket, actor: Actor, reason: str) -> PrefixValidationTicket:
    """Reject with a reason; the prefixes stay in ValidationNeeded."""
    if not (reason or "").strip():
        raise DomainError("Say why the ticket is rejected, so the engineer knows what to fix.", field="reason")
    _refuse_unless_another_approver(ticket, actor)
    return _ticket_decide(ticket=ticket, to=TicketStatusChoices.REJECTED, actor=actor, reason=reason.strip())


@transaction.atomic
def ticket_withdraw(*, ticket: PrefixValidationTicket, actor: Actor, reason: str = "") -> PrefixValidationTicket:
    if actor.user is None or actor.user.pk != ticket.requested_by_id:
        raise DomainError("Only the engineer who opened the ticket can withdraw it.")
    return _ticket_decide(ticket=ticket, to=TicketStatusChoices.WITHDRAWN, actor=actor, reason=reason or "Withdrawn.")
