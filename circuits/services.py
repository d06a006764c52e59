"""Every write to circuits, provider orders, authorizations and VNet links (HackSoft style).

Each function runs in one transaction, locks the rows it changes, enforces the rules and records
an audit event; refusals raise DomainError with a message that says what to do instead.
"""

import secrets as std_secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.utils import timezone

from audit.services import audit_event_record, audit_events_record, circuit_touch
from audit.statemachine import lock, transition
from core.actors import SYSTEM, Actor
from core.errors import DomainError, full_clean_or_refuse
from core.secrets import secret_digest, secret_matches

from .choices import (
    AuthorizationUseStatusChoices,
    ProviderOrderStatusChoices,
)
from .choices import (
    ServiceProviderProvisioningStateChoices as ProviderState,
)
from .models import Authorization, Circuit, GlobalReachConnection, ProviderOrder, ServiceProvider, VNetLink
from .stuck import StuckRule, stuck_past_provider_threshold
from .validators import (
    validate_bandwidth,
    validate_bandwidth_change,
    validate_sku,
    validate_sku_change,
    validate_vnet_address_space,
    vnet_link_limit,
)

PROVIDER_STATE_TRANSITIONS = {
    ProviderState.NOT_PROVISIONED: {ProviderState.PROVISIONING},
    ProviderState.PROVISIONING: {ProviderState.PROVISIONED, ProviderState.NOT_PROVISIONED},
    ProviderState.PROVISIONED: {ProviderState.DEPROVISIONING},
    ProviderState.DEPROVISIONING: {ProviderState.NOT_PROVISIONED, ProviderState.DEPROVISIONED},
    ProviderState.DEPROVISIONED: {ProviderState.NOT_PROVISIONED, ProviderState.PROVISIONING},
}
UNDELETABLE_PROVIDER_STATES = {ProviderState.PROVISIONING, ProviderState.PROVISIONED}
# Provider states from which going back to NotProvisioned means the provider deprovisioned the circuit.
LIVE_PROVIDER_STATES = {ProviderState.PROVISIONED, ProviderState.DEPROVISIONING}
# Sources that report what already happened in Azure: their observations are recorded, not refused.
OBSERVING_ACTORS = {Actor.AZURE, Actor.IMPORT}


def _refuse_if_deleted(circuit):
    """Refuse any change to a deleted circuit, saying who deleted it (the loser of a race learns who won)."""
    if circuit.is_deleted:
        raise DomainError(
            f"{circuit} was deleted{_by_whom(circuit, 'deleted')} on {circuit.deleted_at:%Y-%m-%d %H:%M}; "
            "it can no longer change.",
            code="conflict",
        )


def _by_whom(circuit, field):
    """ " by <who>" from the latest audit event of `field` on the circuit, for telling the loser of a race."""
    event = circuit.audit_events.filter(field=field).select_related("actor_user").first()
    return f" by {event.actor_display}" if event else ""


def _record(*, obj, field, actor, reason="", from_value="", to_value="", circuit_id):
    circuit_touch(circuit_id)
    return audit_event_record(
        obj=obj,
        field=field,
        from_value=from_value,
        to_value=to_value,
        actor=actor,
        reason=reason,
        circuit_id=circuit_id,
    )


class CircuitAlreadyExists(DomainError):
    """The Azure resource already has an undeleted circuit; carries it so a page can link to it."""

    def __init__(self, circuit):
        super().__init__(
            f"Circuit {circuit.name} (#{circuit.pk}) is already this Azure resource: the same name, subscription "
            "and resource group. Open it, or choose another name.",
            field="name",
            code="conflict",
        )
        self.circuit = circuit


def _refuse_second_circuit_for_resource(*, name, subscription_id, resource_group):
    """Azure names a circuit by subscription, resource group and name, comparing names ignoring case."""
    # LOWER, as the unique index circuit_one_undeleted_per_azure_resource, which then serves the lookup
    # (`__iexact` is UPPER: it read every index entry of the subscription, and an import of many circuits
    # into one subscription grew with the square of their number).
    existing = (
        Circuit.objects.alias(lower_name=Lower("name"), lower_group=Lower("resource_group"))
        .filter(
            lower_name=Lower(Value(name)),
            subscription_id=subscription_id,
            lower_group=Lower(Value(resource_group)),
            deleted_at=None,
        )
        .first()
    )
    if existing:
        raise CircuitAlreadyExists(existing)


def _refuse_over_subscription_quota(*, subscription_id, region):
    """Azure refuses a circuit past its quota (default 50 a subscription, 10 a region in it)."""
    live = Circuit.objects.filter(subscription_id=subscription_id, deleted_at__isnull=True)
    per_subscription = settings.ONRAMP_CIRCUITS_PER_SUBSCRIPTION
    per_region = settings.ONRAMP_CIRCUITS_PER_REGION
    if live.count() >= per_subscription:
        raise DomainError(
            f"Subscription {subscription_id} already has {per_subscription} circuits, Azure's limit: delete unused "
            "circuits or ask Microsoft to raise the quota (then set ONRAMP_CIRCUITS_PER_SUBSCRIPTION).",
            field="subscription_id",
        )
    if live.filter(region__iexact=region).count() >= per_region:
        raise DomainError(
            f"Subscription {subscription_id} already has {per_region} circuits in {region}, Azure's limit per "
            "region: choose another region or ask Microsoft to raise the quota (then set ONRAMP_CIRCUITS_PER_REGION).",
            field="region",
        )


def _circuit_new(
    *,
    actor: Actor,
    name: str,
    subscription_id,
    resource_group: str,
    region: str,
    service_provider,
    peering_location,
    bandwidth_mbps: int,
    team,
    sku_tier: str = "Standard",
    sku_family: str = "MeteredData",
    express_route_direct: bool = False,
    resource_id: str | None = None,
    created_at=None,
    service_key=None,
    awaiting_service_key: bool = False,
) -> Circuit:
    """The circuit circuit_create saves, judged by the rules that read nothing else."""
    if actor.kind not in OBSERVING_ACTORS:  # Azure's enums are open: what it reports is recorded
        validate_sku(tier=sku_tier, family=sku_family)
    validate_bandwidth(
        bandwidth_mbps=bandwidth_mbps, provider=service_provider, express_route_direct=express_route_direct
    )
    now = created_at or timezone.now()
    circuit = Circuit(
        name=name,
        subscription_id=subscription_id,
        resource_group=resource_group,
        region=region,
        service_provider=service_provider,
        peering_location=peering_location,
        bandwidth_mbps=bandwidth_mbps,
        express_route_direct=express_route_direct,
        sku_tier=sku_tier,
        sku_family=sku_family,
        team=team,
        resource_id=resource_id or None,
        created_at=now,
        state_changed_at=now,
    )
    if service_key or awaiting_service_key:
        circuit.service_key = service_key
    return circuit


def _offer_refused(circuit) -> DomainError:
    return DomainError(
        f"{circuit.service_provider} does not offer {circuit.peering_location}.", field="peering_location"
    )


def _unchecked(actor) -> list[str]:
    """Fields full_clean leaves alone: Azure's SKU values are open, an observed one Onramp does not
    know yet is recorded as it is; the service key's uniqueness is the database's."""
    return ["service_key"] + (["sku_tier", "sku_family"] if actor.kind in OBSERVING_ACTORS else [])


def _created_event(circuit, actor) -> dict:
    return {
        "obj": circuit,
        "field": "created",
        "to_value": str(circuit.service_key or ""),
        "from_value": "",
        "actor": actor,
        "reason": "Circuit created; "
        + ("Azure has not issued its service key yet" if circuit.service_key is None else "service key issued")
        + ", billing starts.",
        "circuit_id": circuit.pk,
    }


@transaction.atomic
def circuit_create(**values) -> Circuit:
    """Step 1: create the circuit; Azure issues the service key and billing starts now.

    Keyword-only, those of _circuit_new. `awaiting_service_key`: an observed circuit Azure has not
    issued a key for yet (no key stored).
    """
    actor = values["actor"]
    circuit = _circuit_new(**values)
    # A Direct circuit runs on the customer's own port: no provider has to offer its location.
    if (
        not circuit.express_route_direct
        and not circuit.service_provider.peering_locations.filter(pk=circuit.peering_location.pk).exists()
    ):
        raise _offer_refused(circuit)
    resource = {
        "name": circuit.name,
        "subscription_id": circuit.subscription_id,
        "resource_group": circuit.resource_group,
    }
    _refuse_second_circuit_for_resource(**resource)
    if actor.kind not in OBSERVING_ACTORS:
        _refuse_over_subscription_quota(subscription_id=circuit.subscription_id, region=circuit.region)
    full_clean_or_refuse(circuit, exclude=_unchecked(actor))
    try:
        with transaction.atomic():
            circuit.save()
    except IntegrityError:  # created by someone else since the check above
        _refuse_second_circuit_for_resource(**resource)
        raise
    audit_event_record(**_created_event(circuit, actor))
    return circuit


# Checked for a whole batch by circuits_create_observed instead of by full_clean's query per field
# and constraint: the catalog entries and team are rows the caller read; the unique constraints are
# read below. The model's check constraints judge the SKU (open for machine sources, as in
# circuit_create) and the deletion time (a new circuit has none); the database enforces them all.
_CHECKED_IN_BULK = ["team", "service_provider", "peering_location"]


@transaction.atomic
def circuits_create_observed(
    *, actor: Actor, circuits: list[dict], reported: list[dict] | None = None
) -> list[Circuit | DomainError]:
    """circuit_create for many circuits a machine source reports (an import's batch), by the same
    rules: those that read the database read it once for all of them (the providers' locations, the
    live circuits of the same Azure resources), then one INSERT and one of their "created" events.
    `circuits`: circuit_create's keyword arguments but the actor. `reported`: for each circuit, the
    fields the source reports of it, recorded in order as reported_fields_record, and
    circuit_set_provider_state for the provider state, record them on a circuit just created (one
    event each, before the INSERT writes the circuit as they leave it). Returns, in order, each
    circuit created or the DomainError that refused it (nothing written for that one)."""
    if actor.kind not in OBSERVING_ACTORS:
        raise ValueError("Only machine sources create circuits in bulk: people are held to the quota.")
    outcomes = []
    for values in circuits:
        try:
            outcomes.append(_circuit_new(actor=actor, **values))
        except DomainError as error:
            outcomes.append(error)
    new = [circuit for circuit in outcomes if isinstance(circuit, Circuit)]
    offered = set(
        ServiceProvider.peering_locations.through.objects.filter(
            serviceprovider_id__in={circuit.service_provider_id for circuit in new}
        ).values_list("serviceprovider_id", "peeringlocation_id")
    )
    live = Circuit.objects.alias(lower_name=Lower("name")).filter(
        Q(lower_name__in=[Lower(Value(circuit.name)) for circuit in new])
        | Q(resource_id__in=[circuit.resource_id for circuit in new if circuit.resource_id]),
        deleted_at=None,
    )
    resources, resource_ids = {}, {}
    for circuit in live:
        resources[_resource(circuit)] = circuit
        resource_ids[circuit.resource_id] = circuit
    created, seconds, changes = [], [], []
    for index, circuit in enumerate(outcomes):
        if not isinstance(circuit, Circuit):
            continue
        try:
            if (
                not circuit.express_route_direct
                and (circuit.service_provider_id, circuit.peering_location_id) not in offered
            ):
                raise _offer_refused(circuit)
            if _resource(circuit) in resources:
                seconds.append(index)  # refused once the first is saved and can be named
                continue
            if circuit.resource_id and circuit.resource_id in resource_ids:
                raise DomainError(
                    f"Circuit {resource_ids[circuit.resource_id]} is already Azure resource {circuit.resource_id}.",
                    field="resource_id",
                )
            full_clean_or_refuse(
                circuit, exclude=_unchecked(actor) + _CHECKED_IN_BULK, validate_unique=False, validate_constraints=False
            )
        except DomainError as error:
            outcomes[index] = error
            continue
        resources[_resource(circuit)] = resource_ids[circuit.resource_id] = circuit
        created.append(circuit)
        changes.append(_reported_on_new(circuit, reported[index] if reported else {}, actor))
    Circuit.objects.bulk_create(created)
    for index in seconds:
        outcomes[index] = CircuitAlreadyExists(resources[_resource(outcomes[index])])
    audit_events_record(
        [
            event
            for circuit, changed in zip(created, changes, strict=True)
            for event in [_created_event(circuit, actor), *({**change, "circuit_id": circuit.pk} for change in changed)]
        ]
    )
    return outcomes


def _reported_on_new(circuit: Circuit, values: dict, actor: Actor) -> list[dict]:
    """Record `values` on a circuit not saved yet as transition() would on the saved one (the version
    bumped, the provider state's own fields with it); returns the changes' audit events' arguments."""
    changes, reason = [], f"Reported by {actor}."
    for field, to in values.items():
        current = getattr(circuit, field)
        if current == to:
            continue
        if field == "service_provider_provisioning_state":
            for name, value in _provider_state_extra(circuit, to, timezone.now()).items():
                setattr(circuit, name, value)
        setattr(circuit, field, to)
        circuit.version += 1
        changes.append(
            {"obj": circuit, "field": field, "from_value": current, "to_value": to, "actor": actor, "reason": reason}
        )
    return changes


def _resource(circuit) -> tuple:
    """The Azure resource a circuit is, as the unique index circuit_one_undeleted_per_azure_resource
    compares it."""
    return circuit.name.lower(), circuit.subscription_id, circuit.resource_group.lower()


def _provider_state_extra(circuit: Circuit, to: str, now) -> dict:
    """What changes with the provider state: when it changed, the stuck flag, the deprovisioning."""
    extra = {"state_changed_at": now, "is_stuck": False}
    was_live = circuit.service_provider_provisioning_state in LIVE_PROVIDER_STATES
    # A source may report DeProvisioned (or NotProvisioned) without the Deprovisioning step in between.
    if to == ProviderState.DEPROVISIONED or (to == ProviderState.NOT_PROVISIONED and was_live):
        extra.update(deprovision_requested_at=None, deprovisioned_at=circuit.deprovisioned_at or now)
    elif to in (ProviderState.PROVISIONING, ProviderState.PROVISIONED):
        extra["deprovisioned_at"] = None  # ordered again (Azure may report Provisioned straight away)
    return extra


@transaction.atomic
def circuit_set_provider_state(*, circuit: Circuit, to: str, actor: Actor, reason: str = "") -> Circuit:
    """Move serviceProviderProvisioningState along the provider lifecycle (docs/DOMAIN.md)."""
    circuit = lock(circuit)
    _refuse_if_deleted(circuit)
    extra = _provider_state_extra(circuit, to, timezone.now())
    circuit, _ = transition(
        obj=circuit,
        field="service_provider_provisioning_state",
        to=to,
        actor=actor,
        reason=reason,
        allowed=PROVIDER_STATE_TRANSITIONS,
        enforce=actor.kind not in OBSERVING_ACTORS,
        extra=extra,
        locked=True,
    )
    return circuit


@transaction.atomic
def circuit_set_status(*, circuit: Circuit, field: str, to: str, actor: Actor, reason: str = "") -> Circuit:
    """Record Microsoft's side (circuitProvisioningState) or the ARM operation (provisioningState).

    Both are Azure's to set: open strings recorded as observed.
    """
    if field not in ("circuit_provisioning_state", "provisioning_state"):
        raise ValueError(field)
    circuit, _ = transition(obj=circuit, field=field, to=to, actor=actor, reason=reason)
    return circuit


@transaction.atomic
def circuit_request_deprovision(*, circuit: Circuit, actor: Actor, reason: str = "") -> Circuit:
    """Ask the provider to deprovision; the provider then moves the state to Deprovisioning."""
    circuit = lock(circuit)
    _refuse_if_deleted(circuit)
    if circuit.service_provider_provisioning_state != ProviderState.PROVISIONED:
        raise DomainError(
            f"Only a Provisioned circuit can be deprovisioned; this one is "
            f"{circuit.service_provider_provisioning_state}."
        )
    if circuit.deprovision_requested_at:
        raise DomainError(
            f"Deprovisioning was already requested{_by_whom(circuit, 'deprovision_requested')} "
            f"on {circuit.deprovision_requested_at:%Y-%m-%d %H:%M}.",
            code="conflict",
        )
    if circuit.vnet_links.exists():
        raise DomainError("Remove the VNet links first: deprovisioning cuts them off.")
    circuit.deprovision_requested_at = timezone.now()
    circuit.save(update_fields=["deprovision_requested_at"])
    _record(
        obj=circuit, field="deprovision_requested", to_value="yes", actor=actor, reason=reason, circuit_id=circuit.pk
    )
    return circuit


def circuit_delete_blockers(circuit: Circuit) -> list[str]:
    """Why Azure would refuse to delete this circuit now; empty when it may be deleted."""
    blockers = []
    if circuit.service_provider_provisioning_state in UNDELETABLE_PROVIDER_STATES:
        blockers.append(
            f"The provider state is {circuit.service_provider_provisioning_state}: ask the provider to deprovision "
            "first; Azure bills until the circuit is deleted."
        )
    if circuit.vnet_links.exists():
        blockers.append("Remove its VNet links first.")
    if circuit.authorizations.exists():
        blockers.append("Remove its authorizations first.")
    if circuit.peerings.exclude(route_filter="").exists():
        blockers.append("Detach the route filter from Microsoft peering first.")
    if circuit.global_reach_enabled:
        blockers.append("Remove its Global Reach connections first.")
    return blockers


@transaction.atomic
def circuit_delete(*, circuit: Circuit, actor: Actor, reason: str = "", deleted_at=None) -> Circuit:
    """Delete in Azure; the row stays (deleted_at) for billing and audit. Billing stops here.

    A source that found the circuit already deleted in Azure records it (Azure's own checks ran),
    at `deleted_at` when it knows better than now.
    """
    circuit = lock(circuit)
    _refuse_if_deleted(circuit)
    blockers = circuit_delete_blockers(circuit) if actor.kind not in OBSERVING_ACTORS else []
    if blockers:
        raise DomainError("Azure would refuse the deletion (ConflictError). " + " ".join(blockers), code="conflict")
    circuit.deleted_at = max(deleted_at or timezone.now(), circuit.created_at)
    circuit.version += 1
    circuit.save(update_fields=["deleted_at", "version"])
    audit_event_record(
        obj=circuit,
        field="deleted",
        from_value="",
        to_value=circuit.deleted_at.isoformat(),
        actor=actor,
        reason=reason or "Circuit deleted; billing stops.",
        circuit_id=circuit.pk,
    )
    return circuit


@transaction.atomic
def circuit_change_sku(*, circuit: Circuit, sku_tier: str, sku_family: str, actor: Actor, reason: str = "") -> Circuit:
    """Change tier and family: Metered → Unlimited only; Local stays UnlimitedData."""
    circuit = lock(circuit)
    _refuse_if_deleted(circuit)
    validate_sku(tier=sku_tier, family=sku_family)
    validate_sku_change(from_family=circuit.sku_family, to_family=sku_family)
    if sku_tier != circuit.sku_tier and circuit.vnet_links.count() > vnet_link_limit(
        sku_tier=sku_tier, bandwidth_mbps=circuit.bandwidth_mbps
    ):
        raise DomainError(
            "The circuit has more VNet links than the new tier allows; remove some first.", field="sku_tier"
        )
    # Family first: a circuit becoming Local must already be UnlimitedData when its tier changes
    # (the database checks Local ⇒ UnlimitedData on every write).
    for field, value in (("sku_family", sku_family), ("sku_tier", sku_tier)):
        circuit, _ = transition(obj=circuit, field=field, to=value, actor=actor, reason=reason)
    return circuit


@transaction.atomic
def circuit_change_bandwidth(*, circuit: Circuit, bandwidth_mbps: int, actor: Actor, reason: str = "") -> Circuit:
    """Bandwidth may only go up, and only to what the provider (or Direct port) offers."""
    circuit = lock(circuit)
    _refuse_if_deleted(circuit)
    validate_bandwidth(
        bandwidth_mbps=bandwidth_mbps,
        provider=circuit.service_provider,
        express_route_direct=circuit.express_route_direct,
    )
    validate_bandwidth_change(from_mbps=circuit.bandwidth_mbps, to_mbps=bandwidth_mbps)
    circuit, _ = transition(obj=circuit, field="bandwidth_mbps", to=bandwidth_mbps, actor=actor, reason=reason)
    return circuit


@transaction.atomic
def circuit_upgrade(
    *, circuit: Circuit, sku_tier: str, sku_family: str, bandwidth_mbps: int, actor: Actor, reason: str = ""
) -> Circuit | None:
    """Bandwidth and SKU in one go, both or neither: a refused SKU change rolls back the bandwidth
    change. None when the circuit already has this SKU and bandwidth (nothing is written)."""
    circuit = lock(circuit)
    if (circuit.sku_tier, circuit.sku_family, circuit.bandwidth_mbps) == (sku_tier, sku_family, bandwidth_mbps):
        return None
    circuit = circuit_change_bandwidth(circuit=circuit, bandwidth_mbps=bandwidth_mbps, actor=actor, reason=reason)
    return circuit_change_sku(circuit=circuit, sku_tier=sku_tier, sku_family=sku_family, actor=actor, reason=reason)


ORDER_FIELDS = (
    "provider_reference",
    "contact_name",
    "contact_email",
    "service_key_handed_over_at",
    "requested_on",
    "promised_on",
    "completed_on",
    "status",
    "notes",
)


@transaction.atomic
def provider_order_save(
    *, circuit: Circuit, actor: Actor, order: ProviderOrder | None = None, **fields
) -> ProviderOrder:
    """Step 2: record or update the order placed with the provider."""
    circuit = lock(circuit)
    _refuse_if_deleted(circuit)
    unknown = set(fields) - set(ORDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown order fields: {sorted(unknown)}")
    if order is None:
        order = ProviderOrder(circuit=circuit)
        previous_status = ""
    else:
        order = lock(order)
        if order.circuit_id != circuit.pk:
            raise DomainError(f"Order {order.provider_reference or order.pk} belongs to another circuit.")
        previous_status = order.status
    for name, value in fields.items():
        setattr(order, name, value)
    if order.status == ProviderOrderStatusChoices.ORDERED and not order.service_key_handed_over_at:
        order.service_key_handed_over_at = timezone.now()
    full_clean_or_refuse(order, exclude=["circuit"])
    order.save()
    _record(
        obj=order,
        field="order_status",
        from_value=previous_status,
        to_value=order.status,
        actor=actor,
        reason="Order updated." if previous_status else "Order recorded; its notes are on the order.",
        circuit_id=circuit.pk,
    )
    return order


@transaction.atomic
def authorization_create(*, circuit: Circuit, name: str, actor: Actor, authorization_key: str | None = None):
    """Create an authorization; returns (authorization, key). The key is shown once, never again."""
    circuit = lock(circuit)
    _refuse_if_deleted(circuit)
    if circuit.authorizations.filter(name=name).exists():
        raise DomainError(f"This circuit already has an authorization named “{name}”.", field="name")
    key = authorization_key or str(std_secrets.SystemRandom().getrandbits(128).to_bytes(16).hex())
    authorization = Authorization(circuit=circuit, name=name, authorization_key_digest=secret_digest(key))
    full_clean_or_refuse(authorization, exclude=["circuit"])
    authorization.save()
    _record(
        obj=authorization,
        field="authorization_use_status",
        to_value=authorization.authorization_use_status,
        actor=actor,
        reason="Authorization created.",
        circuit_id=circuit.pk,
    )
    return authorization, key


@transaction.atomic
def authorization_delete(*, authorization: Authorization, actor: Actor, reason: str = "") -> None:
    authorization = lock(authorization)
    if VNetLink.objects.filter(authorization=authorization).exists():
        raise DomainError("This authorization is in use by a VNet link; remove the link first.")
    _record(
        obj=authorization,
        field="removed",
        from_value=authorization.authorization_use_status,
        to_value="",
        actor=actor,
        reason=reason or "Authorization removed.",
        circuit_id=authorization.circuit_id,
    )
    authorization.delete()


def _redeem_authorization(*, circuit: Circuit, authorization_key: str, actor: Actor) -> Authorization:
    """Find the circuit's authorization with this key and mark it InUse (one key per connection)."""
    if not authorization_key:
        raise DomainError(
            "This VNet is in another subscription: enter an authorization key created on the circuit.",
            field="authorization_key",
        )
    for candidate in circuit.authorizations.select_for_update():
        if secret_matches(authorization_key, candidate.authorization_key_digest):
            if candidate.authorization_use_status != AuthorizationUseStatusChoices.AVAILABLE:
                raise DomainError(
                    "This authorization key is already in use; keys are single use, create a new one.",
                    field="authorization_key",
                )
            authorization, _ = transition(
                obj=candidate,
                field="authorization_use_status",
                to=AuthorizationUseStatusChoices.IN_USE,
                actor=actor,
                reason="Redeemed by a VNet link.",
            )
            return authorization
    raise DomainError("No authorization of this circuit has that key.", field="authorization_key")


@transaction.atomic
def vnet_link_create(
    *,
    circuit: Circuit,
    name: str,
    vnet_resource_id: str,
    subscription_id,
    gateway_name: str,
    actor: Actor,
    authorization_key: str = "",
    address_space=(),
) -> VNetLink:
    """Step 5: link a VNet. Needs private peering, stays within the link limit, its address space
    stays clear of the peering subnets, and a VNet in another subscription redeems an Available
    authorization."""
    from peerings.choices import PeeringTypeChoices

    circuit = lock(circuit)
    _refuse_if_deleted(circuit)
    if not circuit.is_provisioned:
        raise DomainError("The circuit is not Provisioned/Enabled yet: a VNet link needs a working circuit.")
    private_peering = circuit.peerings.filter(peering_type=PeeringTypeChoices.AZURE_PRIVATE).first()
    if private_peering is None:
        raise DomainError("Configure Azure private peering first: VNet links run over it.")
    address_space = validate_vnet_address_space(address_space, peering=private_peering)
    limit = vnet_link_limit(sku_tier=circuit.sku_tier, bandwidth_mbps=circuit.bandwidth_mbps)
    if circuit.vnet_links.count() >= limit:
        raise DomainError(
            f"A {circuit.sku_tier} {circuit.bandwidth_display} circuit allows at most {limit} VNet links; "
            "remove one or upgrade to Premium."
        )
    if circuit.vnet_links.filter(vnet_resource_id__iexact=vnet_resource_id).exists():
        raise DomainError("This VNet is already linked to the circuit.", field="vnet_resource_id")
    authorization = None
    if str(subscription_id).lower() != str(circuit.subscription_id).lower():
        authorization = _redeem_authorization(circuit=circuit, authorization_key=authorization_key, actor=actor)
    link = VNetLink(
        circuit=circuit,
        name=name,
        vnet_resource_id=vnet_resource_id,
        subscription_id=subscription_id,
        gateway_name=gateway_name,
        address_space=address_space,
        authorization=authorization,
    )
    full_clean_or_refuse(link, exclude=["circuit", "authorization"])
    link.save()
    _record(
        obj=link,
        field="connection_status",
        to_value=link.connection_status,
        actor=actor,
        reason="VNet link created.",
        circuit_id=circuit.pk,
    )
    return link


@transaction.atomic
def vnet_link_set_status(*, link: VNetLink, to: str, actor: Actor, reason: str = "") -> VNetLink:
    link, _ = transition(obj=link, field="connection_status", to=to, actor=actor, reason=reason)
    return link


@transaction.atomic
def vnet_link_delete(*, link: VNetLink, actor: Actor, reason: str = "") -> None:
    """Remove a link; its authorization (if any) stays InUse: keys are single use."""
    link = lock(link)
    _record(
        obj=link,
        field="removed",
        from_value=link.connection_status,
        to_value="",
        actor=actor,
        reason=reason or "VNet link removed.",
        circuit_id=link.circuit_id,
    )
    link.delete()


# What Azure or an import reports of a circuit, recorded as reported (no transition table).


@transaction.atomic
def reported_fields_record(*, obj, values: dict, actor: Actor, circuit_id: int):
    """Record each field a machine source reports differently, one audit event each (`transition`)."""
    for name, value in values.items():
        if getattr(obj, name) != value:
            obj, _ = transition(
                obj=obj, field=name, to=value, actor=actor, reason=f"Reported by {actor}.", circuit_id=circuit_id
            )
    return obj


@transaction.atomic
def authorizations_record(*, circuit: Circuit, keys: dict[str, str], actor: Actor) -> None:
    """Make the circuit's authorizations the ones Azure lists; a key is kept only as its digest."""
    known = {authorization.name: authorization for authorization in circuit.authorizations.all()}
    for name, key in keys.items():
        if name not in known:
            authorization_create(circuit=circuit, name=name, actor=actor, authorization_key=key or None)
    for name, authorization in known.items():
        if name not in keys:
            authorization_delete(authorization=authorization, actor=actor, reason="No longer in Azure.")


@transaction.atomic
def global_reach_record(*, circuit: Circuit, connections: list[dict], actor: Actor) -> None:
    """Make the circuit's Global Reach connections the ones Azure lists, one audit event per change."""
    known = {connection.name: connection for connection in circuit.global_reach_connections.all()}
    for values in connections:
        connection = known.pop(values["name"], None)
        if connection is None:
            connection = GlobalReachConnection.objects.create(circuit=circuit, **values)
            _global_reach_event(connection, "created", to_value=connection.peer_circuit_name, actor=actor)
        else:
            reported_fields_record(obj=connection, values=values, actor=actor, circuit_id=circuit.pk)
    for connection in known.values():
        _global_reach_event(connection, "removed", from_value=connection.peer_circuit_name, actor=actor)
        connection.delete()


def _global_reach_event(connection, what, *, actor, **values):
    circuit_touch(connection.circuit_id)
    audit_event_record(
        obj=connection,
        field=what,
        actor=actor,
        reason=f"Reported by {actor}.",
        circuit_id=connection.circuit_id,
        **values,
    )


# What the sources report about a circuit's health (sync.polling reads them; these record them).


@transaction.atomic
def authorization_record_state(*, authorization: Authorization, to: str, actor: Actor) -> Authorization:
    """Record authorizationUseStatus as Azure reports it."""
    authorization, _ = transition(
        obj=authorization, field="authorization_use_status", to=to, actor=actor, reason=f"Reported by {actor}."
    )
    return authorization


@transaction.atomic
def circuit_record_failed_check(*, circuit_id: int, error: str, actor: Actor, now: datetime | None = None) -> Circuit:
    """Count a failed read; after ONRAMP_STALE_AFTER_FAILURES in a row the circuit is marked stale."""
    now = now or timezone.now()
    circuit = Circuit.objects.select_for_update().get(pk=circuit_id)
    circuit.check_failures += 1
    circuit.last_checked_at = now
    circuit.last_check_error = error[:500]
    circuit.save(update_fields=["check_failures", "last_checked_at", "last_check_error"])
    if circuit.check_failures >= settings.ONRAMP_STALE_AFTER_FAILURES and not circuit.is_stale:
        last_good = f"{circuit.last_good_read_at:%Y-%m-%d %H:%M} UTC" if circuit.last_good_read_at else "never"
        circuit, _ = transition(
            obj=circuit,
            field="is_stale",
            to=True,
            actor=actor,
            reason=f"{circuit.check_failures} failed reads in a row (last good read: {last_good}): {error}"[:1000],
        )
    return circuit


@transaction.atomic
def circuit_clear_stale(*, circuit: Circuit, actor: Actor) -> Circuit:
    """A stale circuit was read again successfully."""
    circuit, _ = transition(obj=circuit, field="is_stale", to=False, actor=actor, reason="Read again successfully.")
    return circuit


@transaction.atomic
def circuit_flag_stuck(*, circuit: Circuit, reason: str) -> Circuit:
    circuit, _ = transition(obj=circuit, field="is_stuck", to=True, actor=SYSTEM, reason=reason)
    return circuit


@transaction.atomic
def circuits_flag_stuck(*, now: datetime | None = None, rule: StuckRule = stuck_past_provider_threshold) -> int:
    """Flag the circuits in Provisioning that `rule` says are stuck; returns how many were flagged."""
    now = now or timezone.now()
    candidates = Circuit.objects.filter(
        deleted_at__isnull=True,
        is_stuck=False,
        service_provider_provisioning_state=ProviderState.PROVISIONING,
        # Any threshold is at least a day: a cheap filter before asking the rule.
        state_changed_at__lte=now - timedelta(days=1),
    ).select_related("service_provider", "peering_location")  # what a learned rule groups by
    flagged = 0
    for circuit in candidates:
        reason = rule(circuit, now=now)
        if reason is not None:
            circuit_flag_stuck(circuit=circuit, reason=reason)
            flagged += 1
    return flagged
