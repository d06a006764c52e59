from core.choices import ChoiceSet


class EventTypeChoices(ChoiceSet):
    """What an endpoint can subscribe to; docs/WEBHOOKS.md says which audit events signal each."""

    CIRCUIT_CREATED = "circuit.created"
    PROVIDER_STATE_CHANGED = "circuit.provider_state_changed"
    STEP_COMPLETED = "circuit.step_completed"
    CIRCUIT_STUCK = "circuit.stuck"
    BGP_SESSION_UP = "bgp_session.up"
    BGP_SESSION_DOWN = "bgp_session.down"
    PREFIXES_NEED_VALIDATION = "peering.prefixes_need_validation"
    TICKET_OPENED = "ticket.opened"
    TICKET_DECIDED = "ticket.decided"
    CIRCUIT_DELETED = "circuit.deleted"
    BILLING_IDLE = "billing.idle"
    BILLING_ORPHANED = "billing.orphaned"
    PING = "webhook.ping"
    CHOICES = (
        (CIRCUIT_CREATED, "Circuit created", "blue"),
        (PROVIDER_STATE_CHANGED, "Provider state changed", "blue"),
        (STEP_COMPLETED, "Onboarding step completed", "green"),
        (CIRCUIT_STUCK, "Circuit stuck", "orange"),
        (BGP_SESSION_UP, "BGP session up", "green"),
        (BGP_SESSION_DOWN, "BGP session down", "red"),
        (PREFIXES_NEED_VALIDATION, "Prefixes need validation", "orange"),
        (TICKET_OPENED, "Validation ticket opened", "blue"),
        (TICKET_DECIDED, "Validation ticket decided", "green"),
        (CIRCUIT_DELETED, "Circuit deleted", "gray"),
        (BILLING_IDLE, "Billing: became idle", "red"),
        (BILLING_ORPHANED, "Billing: became orphaned", "purple"),
    )
    # PING is not subscribable: it is sent to one endpoint on demand ("Send a test event").


class DeliveryStatusChoices(ChoiceSet):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    CHOICES = (
        (PENDING, "Pending", "blue"),
        (DELIVERED, "Delivered", "green"),
        (FAILED, "Failed (gave up)", "red"),
    )


class InboundOutcomeChoices(ChoiceSet):
    """What became of one inbound Azure event."""

    MATCHED = "matched"
    COALESCED = "coalesced"
    UNKNOWN = "unknown"
    IGNORED = "ignored"
    CHOICES = (
        (MATCHED, "Matched: check queued", "green"),
        (COALESCED, "Matched: check already queued", "blue"),
        (UNKNOWN, "Unknown resource", "gray"),
        (IGNORED, "Ignored event type", "gray"),
    )
