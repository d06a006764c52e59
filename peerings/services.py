"""Every write to peerings, their BGP sessions and advertised prefixes (their validation states included).

Validation (the registry verdicts and the ticket workflow, in the validation app) records its
outcomes through `peering_record_validation` and `peering_record_manual_validation`, and is asked
to re-validate by name through the outbox: peerings imports nothing of it.
"""

from django.db import transaction
from django.utils import timezone

from audit.services import audit_event_record, audit_events_record, circuit_touch
from audit.statemachine import lock, transition
from core.actors import Actor
from core.errors import DomainError, ErrorCollector
from core.net import is_private_asn
from core.secrets import secret_digest
from outbox.services import enqueue_gathered
from registry.choices import RoutingRegistryChoices

from .choices import (
    AdvertisedPublicPrefixesStateChoices as PrefixesState,
)
from .choices import (
    BgpStateChoices,
    LinkChoices,
    PeeringTypeChoices,
    TicketStatusChoices,
)
from .choices import (
    PrefixValidationStateChoices as PrefixState,
)
from .models import AdvertisedPrefix, BgpSession, Peering, PrefixValidationTicket
from .validators import (
    parse_advertised_prefixes,
    validate_asn,
    validate_peer_subnets,
    validate_shared_key,
    validate_vlan_id,
)

PASSING_PREFIX_STATES = {PrefixState.CONFIGURED}
WAITING_REASON = "Waiting for validation against the routing registry."
IN_PROGRESS_PREFIX_STATES = {PrefixState.CONFIGURING, PrefixState.NOT_CONFIGURED}


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
    existing=None,
) -> list[str]:
    """Every rule a new peering's fields break, all at once (DomainErrors); returns the advertised
    prefixes. A field given as None failed its shape check already and is not judged again.
    `existing`: the circuit's peerings, when the caller has read them (else they are queried)."""
    errors = ErrorCollector()
    microsoft = peering_type == PeeringTypeChoices.MICROSOFT
    with errors.check():
        if peering_type is not None and peering_type not in PeeringTypeChoices.values():
            raise DomainError(
                f"“{peering_type}” is not a peering type for new circuits; "
                "use AzurePrivatePeering or MicrosoftPeering.",
                field="peering_type",
            )
        if peering_type and _taken(circuit, existing, peering_type=peering_type):
            raise DomainError(f"This circuit already has {peering_type}.", field="peering_type")
    with errors.check():
        if peer_asn is not None:
            validate_asn(peer_asn, field="peer_asn")
    with errors.check():
        if vlan_id is not None:
            validate_vlan_id(vlan_id)
            if _taken(circuit, existing, vlan_id=vlan_id):
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


def _taken(circuit, existing, **field) -> bool:
    """Whether one of the circuit's peerings has this field's value (`existing`, else a query)."""
    if existing is None:
        return circuit.peerings.filter(**field).exists()
    ((name, value),) = field.items()
    return any(getattr(peering, name) == value for peering in existing)


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
    if not actor.is_person:  # a machine source reports what a provider did: its provider is not read
        return
    provider = circuit.service_provider
    if provider.is_layer3:
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
    existing: list[Peering] | None = None,
) -> Peering:
    """Step 4: configure a peering. Layer 2: the engineer, once Provisioned. Layer 3: the provider.
    `existing`: the circuit's peerings, when the caller has read them with the circuit's row locked."""
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
    config = {
        "peering_type": peering_type,
        "peer_asn": peer_asn,
        "primary_peer_address_prefix": primary_peer_address_prefix,
        "secondary_peer_address_prefix": secondary_peer_address_prefix,
        "vlan_id": vlan_id,
        "ipv6_primary_peer_address_prefix": ipv6_primary_peer_address_prefix,
        "ipv6_secondary_peer_address_prefix": ipv6_secondary_peer_address_prefix,
        "shared_key": shared_key,
        "advertised_public_prefixes": advertised_public_prefixes,
        "customer_asn": customer_asn,
        "routing_registry_name": routing_registry_name,
    }
    peering, prefixes = _peering_new(circuit=circuit, actor=actor, config=config, existing=existing)
    peering.save(force_insert=True)
    _peering_rows_create([peering], [prefixes])
    circuit_touch(circuit.pk)
    audit_event_record(**_configured_event(peering, prefixes, actor))
    return peering


def _peering_new(*, circuit, actor, config: dict, existing=None) -> tuple[Peering, list]:
    """The peering peering_configure saves (its circuit locked and judged live by the caller), after
    every rule of peering_fields_check; with the advertised prefixes to create."""
    prefixes = peering_fields_check(circuit=circuit, existing=existing, **config)
    peering_type, peer_asn, customer_asn = config["peering_type"], config["peer_asn"], config["customer_asn"]
    microsoft = peering_type == PeeringTypeChoices.MICROSOFT
    # A private validation ASN can never match a registry: its prefixes need manual validation at once.
    manual = microsoft and is_private_asn(customer_asn or peer_asn)
    if not microsoft:
        prefixes_state = PrefixesState.NOT_CONFIGURED
    else:
        prefixes_state = PrefixesState.VALIDATION_NEEDED if manual else PrefixesState.CONFIGURING
    peering = Peering(
        circuit=circuit,
        peering_type=peering_type,
        peer_asn=peer_asn,
        primary_peer_address_prefix=config["primary_peer_address_prefix"].strip(),
        secondary_peer_address_prefix=config["secondary_peer_address_prefix"].strip(),
        ipv6_primary_peer_address_prefix=config["ipv6_primary_peer_address_prefix"].strip(),
        ipv6_secondary_peer_address_prefix=config["ipv6_secondary_peer_address_prefix"].strip(),
        vlan_id=config["vlan_id"],
        shared_key_digest=secret_digest(config["shared_key"]) if config["shared_key"] else "",
        configured_by=actor.kind,
        customer_asn=customer_asn if microsoft else None,
        routing_registry_name=config["routing_registry_name"] if microsoft else "",
        advertised_public_prefixes_state=prefixes_state,
    )
    return peering, prefixes


def _peering_rows_create(peerings: list[Peering], prefixes: list[list]) -> None:
    """The BGP sessions (one per link) and advertised prefixes of peerings just saved, by one INSERT
    each; a Microsoft peering is queued for validation. Each peering keeps its rows as
    `observed_bgp_sessions` and `observed_advertised_prefixes` (sync.sources.base.observed)."""
    sessions, rows = [], []
    for peering, advertised in zip(peerings, prefixes, strict=True):
        peering.observed_bgp_sessions = [BgpSession(peering=peering, link=link) for link in LinkChoices.values()]
        peering.observed_advertised_prefixes = []
        sessions += peering.observed_bgp_sessions
        if peering.peering_type != PeeringTypeChoices.MICROSOFT:
            continue
        manual = peering.advertised_public_prefixes_state == PrefixesState.VALIDATION_NEEDED
        peering.observed_advertised_prefixes = [
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
            for prefix in advertised
        ]
        rows += peering.observed_advertised_prefixes
        _revalidate_on_commit(peering, "New Microsoft peering.")
    BgpSession.objects.bulk_create(sessions)
    AdvertisedPrefix.objects.bulk_create(rows)


def _configured_event(peering: Peering, prefixes: list, actor: Actor) -> dict:
    microsoft = peering.peering_type == PeeringTypeChoices.MICROSOFT
    return {
        "obj": peering,
        "field": "configured",
        "to_value": peering.peering_type,
        "actor": actor,
        "reason": f"VLAN {peering.vlan_id}, peer AS{peering.peer_asn}"
        + (f", {len(prefixes)} advertised prefixes" if microsoft else ""),
        "circuit_id": peering.circuit_id,
    }


@transaction.atomic
def peerings_configure_observed(
    *, actor: Actor, peerings: list[dict], circuits_new: bool = False
) -> list[Peering | DomainError]:
    """peering_configure for many peerings a machine source reports (an import's new circuits), by
    the same rules: their circuits locked by one query, the peerings they have read by one, then one
    INSERT each for the peerings, their BGP sessions and their prefixes, and one of their
    "configured" events. `peerings`: peering_configure's keyword arguments but the actor. Returns,
    in order, each peering configured (its rows as in _peering_rows_create) or the DomainError that
    refused it (nothing written for that one). `circuits_new`: the circuits were created in this
    transaction, so no page has drawn them: their version is left alone (bumping it named each
    circuit's cached answers to forget on commit, memory that grew with an import's size)."""
    if actor.kind not in (Actor.AZURE, Actor.IMPORT):
        raise ValueError("Only machine sources configure peerings in bulk: people are held to the circuit's state.")
    given = [values["circuit"] for values in peerings]
    circuits = (
        {
            circuit.pk: circuit
            for circuit in type(given[0]).objects.select_for_update().filter(pk__in={c.pk for c in given})
        }
        if given
        else {}
    )
    existing = {pk: [] for pk in circuits}
    for peering in Peering.objects.filter(circuit_id__in=circuits):
        existing[peering.circuit_id].append(peering)
    outcomes, made, prefixes = [], [], []
    for values in peerings:
        circuit = circuits[values["circuit"].pk]
        config = {name: value for name, value in values.items() if name != "circuit"}
        try:
            if circuit.is_deleted:
                raise DomainError("This circuit was deleted.")
            peering, advertised = _peering_new(
                circuit=circuit, actor=actor, config=_CONFIG_DEFAULTS | config, existing=existing[circuit.pk]
            )
        except DomainError as error:
            outcomes.append(error)
            continue
        existing[circuit.pk].append(peering)  # a second of the same type or VLAN is refused
        outcomes.append(peering)
        made.append(peering)
        prefixes.append(advertised)
    Peering.objects.bulk_create(made)
    _peering_rows_create(made, prefixes)
    for circuit_id in sorted({peering.circuit_id for peering in made}) if not circuits_new else ():
        circuit_touch(circuit_id)
    audit_events_record(
        [_configured_event(peering, advertised, actor) for peering, advertised in zip(made, prefixes, strict=True)]
    )
    return outcomes


# peering_configure's optional arguments, as it defaults them.
_CONFIG_DEFAULTS = {
    "ipv6_primary_peer_address_prefix": "",
    "ipv6_secondary_peer_address_prefix": "",
    "shared_key": "",
    "advertised_public_prefixes": (),
    "customer_asn": None,
    "routing_registry_name": "",
}


def _derived_prefixes_state(states: list[str]) -> str:
    if not states:
        return PrefixesState.NOT_CONFIGURED
    if all(state in PASSING_PREFIX_STATES for state in states):
        return PrefixesState.CONFIGURED
    if any(state not in PASSING_PREFIX_STATES | IN_PROGRESS_PREFIX_STATES for state in states):
        return PrefixesState.VALIDATION_NEEDED
    return PrefixesState.CONFIGURING


def _prefix_record(*, prefix, to, actor, reason, circuit_id, extra=None):
    """Move one prefix to `to` (audited); a new reason for the same state replaces the old sentence,
    not a state change (no event), but shown on the circuit's page: its version is bumped for the live poll."""
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
        circuit_touch(circuit_id)
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


@transaction.atomic
def peering_record_manual_validation(
    *, peering: Peering, prefixes, actor: Actor, prefix_reason: str, reason: str = ""
) -> Peering:
    """Prefixes an approver validated by hand become Configured for the peering's current ASN, which
    they remember (re-validation leaves them Configured until that ASN changes); the peering follows."""
    asn = peering.validation_asn
    for prefix in prefixes:
        _prefix_record(
            prefix=prefix,
            to=PrefixState.CONFIGURED,
            actor=actor,
            reason=prefix_reason,
            circuit_id=peering.circuit_id,
            extra={"manual_validation_asn": asn},
        )
    return peering_refresh_prefixes_state(peering=peering, actor=actor, reason=reason)


def _revalidate_on_commit(peering, reason):
    # Queued by name: the validation app (above peerings) registers the task.
    enqueue_gathered("validation.revalidate_peerings", into="peering_ids", item=peering.pk, reason=reason)


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
        locked=True,
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
    added = [
        AdvertisedPrefix(peering=peering, prefix=prefix, reason=WAITING_REASON)
        for prefix in wanted
        if prefix not in current
    ]
    AdvertisedPrefix.objects.filter(pk__in=[row.pk for row in removed]).delete()
    AdvertisedPrefix.objects.bulk_create(added)
    _audit_change(
        peering=peering,
        field="advertised_public_prefixes",
        old=" ".join(sorted(current)),
        new=" ".join(sorted(wanted)),
        actor=actor,
        reason=f"Advertised prefixes now: {', '.join(wanted)}.",
    )
    changed = bool(removed or added)
    for field, new in (("customer_asn", customer_asn), ("routing_registry_name", routing_registry_name)):
        old = getattr(peering, field)
        _audit_change(peering=peering, field=field, old=old or "", new=new or "", actor=actor)
        changed |= (old or "") != (new or "")
        setattr(peering, field, new)
    peering.save(update_fields=["customer_asn", "routing_registry_name"])
    if changed:
        # The checklist names the prefixes awaiting validation and the registry: pages drawn before are stale,
        # even when the peering's state stays the same (and its transition below bumps nothing).
        circuit_touch(peering.circuit_id)
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
    # Locked so the prefixes state cannot leave Configured between this check and the write; its
    # circuit (for the Provisioned rule) read fresh by the same query, not locked.
    peering = lock(Peering(pk=session.peering_id), related=("circuit",))
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


@transaction.atomic
def peering_record_provisioning_state(*, peering: Peering, to: str, actor: Actor) -> Peering:
    """Record a peering's ARM provisioningState as Azure reports it (an open string)."""
    peering, _ = transition(obj=peering, field="provisioning_state", to=to, actor=actor, reason=f"Reported by {actor}.")
    return peering
