"""Template helpers for the dashboard: NetBox-style state badges and short relative times."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from circuits import choices as circuit_choices
from peerings import choices as peering_choices

register = template.Library()

BADGE_KINDS = {
    "provider_state": circuit_choices.ServiceProviderProvisioningStateChoices,
    "circuit_status": circuit_choices.CircuitProvisioningStateChoices,
    "provisioning": circuit_choices.ProvisioningStateChoices,
    "sku_tier": circuit_choices.SkuTierChoices,
    "sku_family": circuit_choices.SkuFamilyChoices,
    "layer": circuit_choices.ProviderLayerChoices,
    "order": circuit_choices.ProviderOrderStatusChoices,
    "authorization": circuit_choices.AuthorizationUseStatusChoices,
    "connection": circuit_choices.ConnectionStatusChoices,
    "zone": circuit_choices.ZoneChoices,
    "peering_type": peering_choices.PeeringTypeChoices,
    "peering_state": peering_choices.PeeringStateChoices,
    "bgp": peering_choices.BgpStateChoices,
    "prefixes": peering_choices.AdvertisedPublicPrefixesStateChoices,
    "prefix": peering_choices.PrefixValidationStateChoices,
    "ticket": peering_choices.TicketStatusChoices,
}


@register.simple_tag
def badge(value, kind, label=""):
    """A coloured state badge; the text is the state itself, so colour is never the only signal."""
    choice_set = BADGE_KINDS[kind]
    return format_html(
        '<span class="badge badge-{}">{}</span>', choice_set.color(value), label or choice_set.label(value)
    )


@register.filter
def ago(moment):
    """'3 days', '40 seconds': the first unit of the time since `moment`."""
    if not moment:
        return ""
    delta = (timezone.now() - moment).total_seconds()
    if delta < 60:
        return f"{max(int(delta), 0)} s"
    return timesince(moment, timezone.now()).split(",")[0].replace("\xa0", " ")


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
