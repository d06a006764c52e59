"""Template helpers for every page, of no app in particular: `{% load ui %}`."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

register = template.Library()


def choice_badge(choice_set, value, label=""):
    """A coloured state badge for `value` of a core.choices.ChoiceSet; the text is the state itself, so
    colour is never the only signal."""
    text = label or choice_set.label(value)
    return format_html('<span class="badge badge-{}">{}</span>', choice_set.color(value), text)


@register.filter
def ago(moment):
    """'3 days', '40 seconds': the first unit of the time since `moment`."""
    if not moment:
        return ""
    delta = (timezone.now() - moment).total_seconds()
    if delta < 60:
        return f"{max(int(delta), 0)} s"
    return timesince(moment, timezone.now()).split(",")[0].replace("\xa0", " ")


# Badge kinds by name ("provider_state", "bgp"): each app registers its own choice sets in its
# AppConfig.ready(), so this library knows no app.
BADGE_KINDS = {}


def badge_kinds_register(**kinds):
    """Name choice sets for `{% badge value "kind" %}`."""
    BADGE_KINDS.update(kinds)


@register.simple_tag
def badge(value, kind, label=""):
    """`value`'s state badge, coloured by the choice set registered as `kind`."""
    return choice_badge(BADGE_KINDS[kind], value, label)
