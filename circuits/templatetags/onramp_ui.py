"""The old name of `{% load ui %}` (badges, relative times) and `{% load circuit_timeline %}`, for
templates not yet moved to them (templates/approvals). Delete once nothing loads it."""

from django import template

from core.templatetags import ui

from . import circuit_timeline

register = template.Library()
for library in (ui.register, circuit_timeline.register):
    register.tags.update(library.tags)
    register.filters.update(library.filters)
