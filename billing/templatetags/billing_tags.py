from django import template

from billing.selectors import circuit_billing

register = template.Library()


@register.filter
def money(value):
    """An amount with thousands separators and cents; "price unknown" rather than a false zero."""
    return "price unknown" if value is None else f"{value:,.2f}"


@register.inclusion_tag("billing/_circuit_panel.html", takes_context=True)
def billing_panel(context, circuit):
    """The circuit page's billing panel, one query: `{% load billing_tags %}{% billing_panel circuit %}`.
    Managers (and superusers) see every circuit's; engineers their own team's; others none."""
    user = context["request"].user
    if user.has_perm("circuits.view_billing"):
        return {"billing": circuit_billing(circuit)}
    if user.has_perm("circuits.change_circuit"):
        return {"billing": circuit_billing(circuit, team_member=user)}
    return {"billing": None}
