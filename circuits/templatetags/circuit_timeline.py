"""The circuit page's timeline: audit events as people say them. `{% load circuit_timeline %}`."""

from django import template

register = template.Library()

EVENT_FIELDS = {
    "created": "Created",
    "deleted": "Deleted",
    "removed": "Removed",
    "configured": "Configured",
    "deprovision_requested": "Deprovisioning requested",
    "service_provider_provisioning_state": "Provider state",
    "circuit_provisioning_state": "Status",
    "provisioning_state": "Provisioning state",
    "connection_status": "Connection",
    "authorization_use_status": "Authorization",
    "order_status": "Order",
    "state": "State",
    "validation_state": "Validation",
    "advertised_public_prefixes_state": "Advertised prefixes",
    "status": "Status",
    "sku_tier": "SKU tier",
    "sku_family": "SKU family",
    "bandwidth_mbps": "Bandwidth (Mbps)",
    "is_stuck": "Stuck",
    "is_stale": "Stale",
}


@register.filter
def event_field(field):
    """An audit event's field as people say it ("Provider state", not the column name)."""
    return EVENT_FIELDS.get(field, field.replace("_", " ").capitalize())


# Yes/no fields read as what happened ("flagged stuck"), not as "Stuck: False → True".
FLAG_CHANGES = {
    "is_stuck": ("flagged stuck", "no longer stuck"),
    "is_stale": ("marked stale: its source keeps failing", "no longer stale"),
}
BOOLEAN_VALUES = ("True", "False")


@register.filter
def event_flag_change(event):
    """A yes/no change in words, or "" when the event changed something else."""
    if event.to_value not in BOOLEAN_VALUES or (event.from_value or "False") not in BOOLEAN_VALUES:
        return ""
    label = event_field(event.field)
    turned_on, turned_off = FLAG_CHANGES.get(event.field, (f"{label}: on", f"{label}: off"))
    return turned_on if event.to_value == "True" else turned_off


@register.filter
def event_subject(event, circuit):
    """What the event is about, without repeating the circuit's own name on its own page."""
    text = event.object_repr
    if text == circuit.name:
        return "Circuit"
    for separator in (" / ", " "):
        if text.startswith(circuit.name + separator):
            return text[len(circuit.name) + len(separator) :]
    return text
