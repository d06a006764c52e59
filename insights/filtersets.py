"""The /insights/ filters: provider, location, team, period (of creation). Everything in the query string."""

import django_filters

from accounts.models import Team
from circuits.models import Circuit, PeeringLocation, ServiceProvider


def _teams(request):
    user = getattr(request, "user", None)
    if user is None:
        return Team.objects.none()
    return Team.objects.all() if user.is_superuser else Team.objects.filter(members=user)


class InsightsFilterSet(django_filters.FilterSet):
    provider = django_filters.ModelChoiceFilter(
        field_name="service_provider",
        queryset=ServiceProvider.objects.all(),
        label="Provider",
        empty_label="Any provider",
    )
    location = django_filters.ModelChoiceFilter(
        field_name="peering_location",
        queryset=PeeringLocation.objects.all(),
        label="Peering location",
        empty_label="Any location",
    )
    team = django_filters.ModelChoiceFilter(queryset=_teams, label="Team", empty_label="Any of my teams")
    period = django_filters.DateFromToRangeFilter(
        field_name="created_at",
        label="Created between",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Circuit
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["period"].help_text = "Circuits created in this period (either end may be left open)."
        self.form.fields["period"].widget.widgets[0].attrs["aria-label"] = "From"
        self.form.fields["period"].widget.widgets[1].attrs["aria-label"] = "To"
