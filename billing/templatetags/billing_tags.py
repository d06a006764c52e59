from django import template

from billing.selectors import circuit_billing

register = template.Library()


@register.filter
def money(value):
    """An amount with thousands separators and cents; "price unknown" rather than a false zero."""
    return "price unknown" if value is None else f"{value:,.2f}"


def can_see_billing(user, circuit) -> bool:
    """Managers (and superusers) see every circuit's billing; engineers their own team's."""
    if user.has_perm("circuits.view_billing"):
        return True
    return user.has_perm("circuits.view_circuit") and user.teams.filter(pk=circuit.team_id).exists()


@register.inclusion_tag("billing/_circuit_panel.html", takes_context=True)
def billing_panel(context, circuit):
    """The circuit page's billing panel: `{% load billing_tags %}{% billing_panel circuit %}`."""
    user = context["request"].user
    visible = can_see_billing(user, circuit)
    return {"billing": circuit_billing(circuit) if visible else None, "visible": visible}
