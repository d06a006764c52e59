"""Filters for the resources the pages have no filterset for (circuits use circuits.filtersets.CircuitFilterSet,
the list page's own)."""

import django_filters

from audit.models import AuditEvent
from notifications.models import Notification
from peerings.choices import TicketStatusChoices
from peerings.models import PrefixValidationTicket


class TicketFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TicketStatusChoices.choices())
    circuit = django_filters.NumberFilter(field_name="peering__circuit")
    peering = django_filters.NumberFilter()

    class Meta:
        model = PrefixValidationTicket
        fields = ["status"]


# Ids as plain numbers, never ModelChoiceFilters: "no such choice" for an id outside the user's scope
# would tell which ids exist.
class AuditEventFilterSet(django_filters.FilterSet):
    circuit = django_filters.NumberFilter()
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    object_type = django_filters.CharFilter(method="filter_object_type", help_text="app.model, e.g. circuits.circuit")

    class Meta:
        model = AuditEvent
        fields = ["field", "actor_kind", "object_id"]

    def filter_object_type(self, queryset, name, value):
        app_label, _, model = value.partition(".")
        return queryset.filter(object_type__app_label=app_label, object_type__model=model)


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    circuit = django_filters.NumberFilter()

    class Meta:
        model = Notification
        fields = ["kind"]
