"""The five-step onboarding checklist, derived from a circuit's data and never stored.

Expects the circuit with the prefetches of selectors.circuit_onboarding_queryset (no queries here).
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.timesince import timesince

from peerings.choices import (
    AdvertisedPublicPrefixesStateChoices as PrefixesState,
)
from peerings.choices import (
    PeeringTypeChoices,
    TicketStatusChoices,
)

from .choices import (
    CircuitProvisioningStateChoices,
    ConnectionStatusChoices,
)
from .choices import (
    ProviderOrderStatusChoices as OrderStatus,
)
from .choices import (
    ServiceProviderProvisioningStateChoices as ProviderState,
)

DONE, IN_PROGRESS, WAITING, BLOCKED, NOT_STARTED = "done", "in_progress", "waiting", "blocked", "not_started"
STATUS_COLORS = {DONE: "green", IN_PROGRESS: "blue", WAITING: "orange", BLOCKED: "red", NOT_STARTED: "gray"}
STATUS_LABELS = {
    DONE: "Done",
    IN_PROGRESS: "In progress",
    WAITING: "Waiting",
    BLOCKED: "Blocked",
    NOT_STARTED: "Not started",
}
ENGINEER, PROVIDER, APPROVER, MICROSOFT = "engineer", "provider", "approver", "Microsoft"
TITLES = (
    "Create the circuit",
    "Order connectivity",
    "Verify provisioning",
    "Configure routing",
    "Link virtual networks",
)


@dataclass(frozen=True)
class Step:
    number: int
    status: str
    reason: str
    next_action: str = ""
    who: str = ""

    @property
    def title(self):
        return TITLES[self.number - 1]

    @property
    def color(self):
        return STATUS_COLORS[self.status]

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Checklist:
    steps: tuple[Step, ...]

    @property
    def current(self) -> Step | None:
        return next((step for step in self.steps if step.status != DONE), None)

    @property
    def is_complete(self):
        return self.current is None

    @property
    def done_count(self):
        return sum(step.status == DONE for step in self.steps)


def _since(moment):
    return timesince(moment, timezone.now()).split(",")[0]


def _step_create(circuit):
    # The key itself is not repeated here: the page shows it only to the team's engineers.
    issued = "service key issued" if circuit.service_key else "Azure has not issued its service key yet"
    return Step(1, DONE, f"Created {circuit.created_at:%Y-%m-%d}; {issued}.")


def _active_order(circuit):
    orders = [o for o in circuit.provider_orders.all() if o.status != OrderStatus.CANCELLED]
    return orders[0] if orders else None


def _deprovisioned_since(circuit):
    """When the provider deprovisioned the circuit, if it is deprovisioned and nobody has ordered again."""
    state = circuit.service_provider_provisioning_state
    if state == ProviderState.NOT_PROVISIONED and circuit.deprovisioned_at is None:
        return None
    if state not in (ProviderState.NOT_PROVISIONED, ProviderState.DEPROVISIONED):
        return None
    since = circuit.deprovisioned_at or circuit.state_changed_at
    order = _active_order(circuit)
    return None if order and order.created_at > since else since


def _step_order(circuit):
    provider = circuit.service_provider
    state = circuit.service_provider_provisioning_state
    order = _active_order(circuit)
    deprovisioned_since = _deprovisioned_since(circuit)
    if deprovisioned_since:
        return Step(
            2,
            BLOCKED,
            f"{provider} deprovisioned the circuit {_since(deprovisioned_since)} ago.",
            "Order again from the provider, or delete the circuit to stop billing.",
            ENGINEER,
        )
    if state not in (ProviderState.NOT_PROVISIONED, ProviderState.DEPROVISIONED):
        ref = f" (ref {order.provider_reference})" if order and order.provider_reference else ""
        return Step(2, DONE, f"Ordered from {provider}{ref}.")
    if order is None:
        return Step(
            2,
            NOT_STARTED,
            "No order recorded yet.",
            f"Give the service key to {provider} and record the order.",
            ENGINEER,
        )
    if order.status == OrderStatus.DRAFT:
        return Step(
            2, IN_PROGRESS, "The order is a draft.", f"Send the order to {provider} and mark it ordered.", ENGINEER
        )
    since = order.service_key_handed_over_at or order.created_at
    return Step(
        2,
        WAITING,
        f"Ordered from {provider} {_since(since)} ago; the provider has not started yet.",
        f"Wait for {provider} to start provisioning"
        + (f" (promised {order.promised_on:%Y-%m-%d})." if order.promised_on else "."),
        PROVIDER,
    )


def _step_provisioning(circuit):
    provider = circuit.service_provider
    state = circuit.service_provider_provisioning_state
    if state == ProviderState.PROVISIONED:
        if circuit.circuit_provisioning_state != CircuitProvisioningStateChoices.ENABLED:
            return Step(
                3,
                BLOCKED,
                f"Provisioned, but Microsoft's status is {circuit.circuit_provisioning_state}.",
                "Contact Microsoft support about the circuit status.",
                MICROSOFT,
            )
        if circuit.deprovision_requested_at:
            return Step(3, WAITING, "Deprovisioning requested.", f"Wait for {provider} to deprovision.", PROVIDER)
        return Step(3, DONE, "Provisioned and Enabled.")
    if state == ProviderState.PROVISIONING:
        reason = f"{provider} has been provisioning for {_since(circuit.state_changed_at)}."
        if circuit.is_stuck:
            return Step(3, BLOCKED, "Stuck: " + reason, f"Chase {provider}: provisioning is overdue.", ENGINEER)
        return Step(3, WAITING, reason, f"Wait for {provider} to finish provisioning.", PROVIDER)
    if state == ProviderState.DEPROVISIONING:
        return Step(3, WAITING, f"{provider} is deprovisioning.", "Then delete the circuit or order again.", PROVIDER)
    if _deprovisioned_since(circuit):
        return Step(
            3,
            BLOCKED,
            "Deprovisioned by the provider; Azure bills until the circuit is deleted.",
            "Delete the circuit, or order again.",
            ENGINEER,
        )
    if state == ProviderState.NOT_PROVISIONED:
        return Step(3, NOT_STARTED, f"NotProvisioned: {provider} has not started provisioning.", "", PROVIDER)
    return Step(
        3,
        BLOCKED,
        f"The provider state is {state}, which Azure does not document "
        "(NotProvisioned, Provisioning, Provisioned, Deprovisioning).",
        f"Check the circuit in the Azure portal and ask {provider} what it means.",
        ENGINEER,
    )


def _open_ticket(peering):
    return next((t for t in peering.validation_tickets.all() if t.status == TicketStatusChoices.OPEN), None)


def _peering_step(circuit, peering):
    """The routing step's status for one peering (None when it is fully up)."""
    layer3 = circuit.service_provider.is_layer3
    label = PeeringTypeChoices.label(peering.peering_type)
    if peering.is_microsoft:
        state = peering.advertised_public_prefixes_state
        if state == PrefixesState.VALIDATION_NEEDED:
            pending = [p.prefix for p in peering.advertised_prefixes.all() if p.validation_state != "Configured"]
            count = _count(len(pending), "prefix", "prefixes")
            ticket = _open_ticket(peering)
            if ticket:
                return Step(
                    4,
                    WAITING,
                    f"{label}: {count} {_verb(len(pending), 'awaits', 'await')} manual validation "
                    f"(ticket #{ticket.pk}).",
                    "An approver decides the ticket.",
                    APPROVER,
                )
            return Step(
                4,
                BLOCKED,
                f"{label}: {count} {_verb(len(pending), 'needs', 'need')} validation ({', '.join(pending[:3])}).",
                f"Register route objects in {peering.routing_registry_name} or request manual validation.",
                ENGINEER,
            )
        if state in (PrefixesState.CONFIGURING, PrefixesState.NOT_CONFIGURED):
            return Step(4, WAITING, f"{label}: Azure is validating the advertised prefixes.", "", MICROSOFT)
    down = [s.link for s in peering.bgp_sessions.all() if not s.is_established]
    if down:
        who = PROVIDER if layer3 else ENGINEER
        return Step(
            4,
            WAITING,
            f"{label}: BGP not established on the {' and '.join(down)} link.",
            "Bring up BGP on the provider's routers." if layer3 else "Bring up BGP on your routers.",
            who,
        )
    if peering.needs_route_filter:
        return Step(
            4,
            BLOCKED,
            f"{label}: BGP is up, but no route filter is attached, so Microsoft advertises no routes.",
            "Attach a route filter with the BGP communities of the services you need.",
            ENGINEER,
        )
    return None


def _step_routing(circuit, peerings):
    """Done once a routing domain carries traffic: a peering added later to a working circuit shows
    what it still needs without undoing the onboarding."""
    layer3 = circuit.service_provider.is_layer3
    if not peerings and not circuit.is_provisioned:
        who = "the provider configures" if layer3 else "you configure"
        return Step(4, NOT_STARTED, f"Once the circuit is Provisioned, {who} the peerings.")
    if not peerings:
        if layer3:
            return Step(
                4,
                WAITING,
                f"{circuit.service_provider} (Layer 3) configures the peerings.",
                "Wait for the provider to configure routing.",
                PROVIDER,
            )
        return Step(
            4,
            NOT_STARTED,
            "No peering configured.",
            "Configure Azure private peering and/or Microsoft peering.",
            ENGINEER,
        )
    steps = [(peering, _peering_step(circuit, peering)) for peering in peerings]
    pending = [step for _, step in steps if step]
    up = [peering.peering_type for peering, step in steps if step is None]
    if not up:
        return pending[0]
    if not pending:
        return Step(4, DONE, "BGP established on every peering: " + ", ".join(up) + ".")
    first = pending[0]
    return Step(4, DONE, f"BGP established on {', '.join(up)}. {first.reason}", first.next_action, first.who)


def _step_links(circuit, peerings, routing):
    """Follows the VNet links themselves: a link Connected is done whatever happens to routing."""
    links = list(circuit.vnet_links.all())
    if links:
        return _links_status(links)
    if peerings and not any(p.peering_type == PeeringTypeChoices.AZURE_PRIVATE for p in peerings):
        return Step(5, DONE, "Microsoft peering only: no VNet links needed.")
    if routing.status != DONE:
        return Step(5, NOT_STARTED, "Once routing is up, link virtual networks.")
    return Step(
        5,
        NOT_STARTED,
        "No VNet linked.",
        "Link a VNet (another subscription needs an authorization key).",
        ENGINEER,
    )


def _links_status(links):
    by_status = {}
    for link in links:
        by_status.setdefault(link.connection_status, []).append(link.name)
    if ConnectionStatusChoices.NOT_CONNECTED in by_status:
        names = ", ".join(by_status[ConnectionStatusChoices.NOT_CONNECTED])
        return Step(5, BLOCKED, f"NotConnected: {names}.", "Check the VNet gateway and the connection.", ENGINEER)
    pending = [
        f"{status}: {', '.join(by_status[status])}"
        for status in (ConnectionStatusChoices.CONNECTING, ConnectionStatusChoices.UNKNOWN)
        if status in by_status
    ]
    if pending:
        return Step(5, WAITING, "; ".join(pending) + ".", "Azure is connecting the links.", MICROSOFT)
    return Step(5, DONE, f"{_count(len(links), 'VNet link', 'VNet links')} Connected.")


def _count(number, singular, plural):
    return f"{number} {singular if number == 1 else plural}"


def _verb(number, singular, plural):
    return singular if number == 1 else plural


def circuit_checklist(circuit) -> Checklist:
    if circuit.is_deleted:
        reason = f"The circuit was deleted on {circuit.deleted_at:%Y-%m-%d}."
        return Checklist((_step_create(circuit), *(Step(n, BLOCKED, reason) for n in range(2, 6))))
    peerings = list(circuit.peerings.all())
    routing = _step_routing(circuit, peerings)
    return Checklist(
        (
            _step_create(circuit),
            _step_order(circuit),
            _step_provisioning(circuit),
            routing,
            _step_links(circuit, peerings, routing),
        )
    )
