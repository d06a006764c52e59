"""The circuit list's filters, search and sort: everything lives in the query string (shareable)."""

import functools

import django_filters
from django import forms
from django.db.models import Q, Value

from accounts.models import Team

from .checklist import TITLES
from .choices import ServiceProviderProvisioningStateChoices, SkuFamilyChoices, SkuTierChoices
from .models import Circuit, PeeringLocation, ServiceProvider
from .selectors import ONBOARDED

MY_TEAMS = "mine"
STEP_CHOICES = [(str(number), f"{number}. {title}") for number, title in enumerate(TITLES, start=1)] + [
    (str(ONBOARDED), "Onboarded")
]
DELETED_CHOICES = [("include", "Include deleted"), ("only", "Only deleted")]
YES_NO = [("true", "Yes"), ("false", "No")]
SORTS = (
    ("name", "name"),
    ("service_provider__name", "provider"),
    ("peering_location__name", "location"),
    ("bandwidth_mbps", "bandwidth"),
    ("service_provider_provisioning_state", "state"),
    ("workflow_step", "step"),
    ("state_changed_at", "changed"),
    ("team__name", "team"),
    ("created_at", "created"),
    ("forecast__ready_by", "ready"),  # insights.CircuitForecast, through its relation name
)


SORT_VALUES = {prefix + name for _, name in SORTS for prefix in ("", "-")}


def known_sorts(value: str) -> tuple[list[str], list[str]]:
    """The parts of a ?sort= value the list can sort by, and the ones it cannot (to be ignored and
    said so, rather than turning the whole list into "0 circuits")."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    return [part for part in parts if part in SORT_VALUES], [part for part in parts if part not in SORT_VALUES]


def uses_workflow_step(params) -> bool:
    """Whether these filters need the workflow_step alias (filtering or sorting by step): building it
    costs more than the rest of the list's query, so it is added only then."""
    sorts = {part.strip().lstrip("-") for part in params.get("sort", "").split(",")}
    return bool(params.get("step")) or "step" in sorts


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sort as asked, then by id, so pages never repeat or skip a circuit."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


def menu_choices():
    """The provider, location and team menus' choices, in one query (a UNION of the three tables)."""

    def named(model, kind):
        return model.objects.annotate(kind=Value(kind)).values_list("kind", "pk", "name").order_by()

    rows = named(ServiceProvider, "provider").union(named(PeeringLocation, "location"), named(Team, "team"), all=True)
    menus = {"provider": [], "location": [], "team": [(MY_TEAMS, "My teams")]}
    for kind, pk, name in sorted(rows, key=lambda row: row[2]):
        menus[kind].append((str(pk), name))
    return menus


class CircuitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", help_text="Name, service key or resource id")
    provider_state = django_filters.ChoiceFilter(
        field_name="service_provider_provisioning_state",
        choices=ServiceProviderProvisioningStateChoices.choices(),
        label="Provider state",
        empty_label="Any provider state",
    )
    service_provider = django_filters.ChoiceFilter(label="Provider", empty_label="Any provider")
    peering_location = django_filters.ChoiceFilter(label="Peering location", empty_label="Any location")
    sku_tier = django_filters.ChoiceFilter(choices=SkuTierChoices.choices(), label="SKU tier", empty_label="Any tier")
    sku_family = django_filters.ChoiceFilter(
        choices=SkuFamilyChoices.choices(), label="SKU family", empty_label="Any family"
    )
    step = django_filters.ChoiceFilter(
        field_name="workflow_step", choices=STEP_CHOICES, label="Workflow step", empty_label="Any step"
    )
    stuck = django_filters.ChoiceFilter(
        field_name="is_stuck", method="filter_flag", choices=YES_NO, label="Stuck", empty_label="Stuck or not"
    )
    late = django_filters.ChoiceFilter(
        field_name="forecast__is_late",
        method="filter_flag",
        choices=YES_NO,
        label="Late",
        empty_label="Late or not",
        help_text="Longer in its step than 90% of similar circuits (the forecast's p90).",
    )
    stale = django_filters.ChoiceFilter(
        field_name="is_stale", method="filter_flag", choices=YES_NO, label="Stale", empty_label="Stale or not"
    )
    team = django_filters.ChoiceFilter(method="filter_team", label="Team", empty_label="Any team")
    watching = django_filters.ChoiceFilter(
        method="filter_watching",
        choices=YES_NO,
        label="Watched by me",
        empty_label="Watched or not",
        help_text="Circuits you chose to watch (notifications.Watch).",
    )
    subscription = django_filters.UUIDFilter(field_name="subscription_id", label="Subscription ID")
    deleted = django_filters.ChoiceFilter(
        method="filter_deleted", choices=DELETED_CHOICES, label="Deleted", empty_label="Hide deleted"
    )
    sort = StableOrderingFilter(fields=SORTS, label="Sort by")

    class Meta:
        model = Circuit
        fields = []

    def __init__(self, data=None, *args, request=None, **kwargs):
        self.ignored_sorts = []
        if data is not None and data.get("sort"):
            data = data.copy()
            sorts, self.ignored_sorts = known_sorts(data["sort"])
            data["sort"] = ",".join(sorts)
        super().__init__(data, *args, request=request, **kwargs)
        # Read when the form is shown or one of these filters is used, so a live poll does not pay for it.
        menus = functools.cache(menu_choices)
        for name, kind in (("service_provider", "provider"), ("peering_location", "location"), ("team", "team")):
            self.filters[name].extra["choices"] = functools.partial(lambda kind: menus()[kind], kind)
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": "Name, service key or resource id"}
        )

    def search(self, queryset, name, value):
        value = value.strip()
        matches = Q(name__icontains=value) | Q(resource_id__icontains=value) | Q(resource_group__icontains=value)
        if self._sees_service_keys():
            matches |= Q(service_key__icontains=value)
        return queryset.filter(matches)

    def _sees_service_keys(self):
        """SECURITY: searching by service key would let a reader guess masked keys piece by piece. The
        listed circuits are the user's teams' (circuits_visible_to), whose keys their engineers see."""
        user = getattr(self.request, "user", None)
        return user is None or user.is_superuser or user.has_perm("circuits.change_circuit")

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{name: value == "true"})

    def filter_team(self, queryset, name, value):
        if value == MY_TEAMS:
            return queryset.filter(team__members=self.request.user) if self.request else queryset.none()
        return queryset.filter(team_id=value)

    def filter_watching(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        watched = Q(watches__user=user) if user is not None and user.is_authenticated else Q(pk__in=[])
        return queryset.filter(watched) if value == "true" else queryset.exclude(watched)

    def filter_deleted(self, queryset, name, value):
        # "Hide deleted" (the default) is applied in filter_queryset, since an empty value skips this method.
        return queryset.filter(deleted_at__isnull=False) if value == "only" else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("deleted"):
            queryset = queryset.filter(deleted_at__isnull=True)
        return queryset

    @property
    def applied_sort(self) -> str:
        """The sort actually applied (unknown parts dropped)."""
        return self.data.get("sort", "")

    @property
    def active_count(self):
        """How many filters narrow the list (search and sort excluded), for the 'Clear' link."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return sum(1 for name, value in data.items() if value not in (None, "", []) and name not in ("q", "sort"))
