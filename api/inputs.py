"""What the API accepts for each write: fields for the schema, validated by the page's own form.

`FormInput.validate` runs the form the page uses on the same data and returns its cleaned_data,
which the view hands to the same service the page calls."""

from django.http import QueryDict
from rest_framework import serializers

from circuits.choices import ProviderOrderStatusChoices
from circuits.forms import (
    AuthorizationForm,
    CircuitCreateForm,
    ConfirmForm,
    ProviderOrderForm,
    UpgradeForm,
    VNetLinkForm,
)
from circuits.models import ProviderOrder
from peerings.choices import PeeringTypeChoices, RoutingRegistryChoices
from peerings.forms import PeeringForm, PeeringPrefixesForm, RouteFilterForm
from validation.forms import TicketDecisionForm, TicketOpenForm
from webhooks.choices import EventTypeChoices
from webhooks.forms import EndpointForm

PREFIX_LISTS = ("advertised_public_prefixes", "address_space")  # lists in JSON, text lines in the forms


class FormInput(serializers.Serializer):
    form_class = None

    def form_kwargs(self):
        return self.context.get("form_kwargs", {})

    def form_data(self):
        data, defaults = self.initial_data, self.context.get("form_defaults", {})
        if isinstance(data, QueryDict):  # multipart: a field may repeat (prefixes), as in the page's POST
            data = data.copy()
            for name, value in defaults.items():
                data.setdefault(name, value)
            for name in PREFIX_LISTS:
                if name in data:
                    data[name] = "\n".join(data.getlist(name))
            return data
        data = {**defaults, **data}
        for name in PREFIX_LISTS:
            if isinstance(data.get(name), list):
                data[name] = "\n".join(str(item) for item in data[name])
        return data

    def validate(self, attrs):
        files = self.context.get("files")
        form = self.form_class(self.form_data(), files, **self.form_kwargs())
        if not form.is_valid():
            raise serializers.ValidationError({name: list(messages) for name, messages in form.errors.items()})
        return form.cleaned_data


class ReasonInput(FormInput):
    form_class = ConfirmForm
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Recorded in the circuit's timeline.")


class CircuitCreateInput(FormInput):
    form_class = CircuitCreateForm
    name = serializers.CharField(help_text="Azure's naming rules: 1–80 letters, digits, periods, underscores, hyphens.")
    team = serializers.IntegerField(help_text="One of your teams.")
    subscription_id = serializers.UUIDField()
    resource_group = serializers.CharField()
    region = serializers.CharField(help_text="e.g. westeurope")
    service_provider = serializers.IntegerField(help_text="A provider id from /api/providers/.")
    peering_location = serializers.IntegerField(help_text="A location id from /api/locations/ the provider offers.")
    bandwidth_mbps = serializers.IntegerField()
    sku_tier = serializers.CharField(required=False, help_text="Standard (default), Premium or Local.")
    sku_family = serializers.CharField(required=False, help_text="MeteredData (default) or UnlimitedData.")

    def form_data(self):
        return {"sku_tier": "Standard", "sku_family": "MeteredData", **super().form_data()}


class UpgradeInput(FormInput):
    """PATCH a circuit: the fields not given keep their current values (the form needs all three)."""

    form_class = UpgradeForm
    sku_tier = serializers.CharField(required=False)
    sku_family = serializers.CharField(required=False)
    bandwidth_mbps = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


class ProviderOrderInput(FormInput):
    form_class = ProviderOrderForm
    status = serializers.ChoiceField(choices=ProviderOrderStatusChoices.choices(), required=False)
    provider_reference = serializers.CharField(required=False, allow_blank=True)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    requested_on = serializers.DateField(required=False, allow_null=True)
    promised_on = serializers.DateField(required=False, allow_null=True)
    completed_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


def order_form_defaults(order: ProviderOrder | None) -> dict:
    """A new order starts as the page's form does; a PATCH keeps the fields it does not name."""
    if order is None:
        return {"status": "ordered"}
    return {name: getattr(order, name) for name in ProviderOrderForm.base_fields}


class AuthorizationInput(FormInput):
    form_class = AuthorizationForm
    name = serializers.CharField()


class VNetLinkInput(FormInput):
    form_class = VNetLinkForm
    name = serializers.CharField()
    vnet_resource_id = serializers.CharField()
    gateway_name = serializers.CharField()
    address_space = serializers.ListField(child=serializers.CharField(), required=False)
    authorization_key = serializers.CharField(
        required=False, allow_blank=True, write_only=True, help_text="For a VNet in another subscription."
    )


class PeeringInput(FormInput):
    form_class = PeeringForm
    peering_type = serializers.ChoiceField(choices=PeeringTypeChoices.choices())
    peer_asn = serializers.IntegerField()
    vlan_id = serializers.IntegerField()
    primary_peer_address_prefix = serializers.CharField()
    secondary_peer_address_prefix = serializers.CharField()
    ipv6_primary_peer_address_prefix = serializers.CharField(required=False, allow_blank=True)
    ipv6_secondary_peer_address_prefix = serializers.CharField(required=False, allow_blank=True)
    shared_key = serializers.CharField(required=False, allow_blank=True, write_only=True, help_text="Never shown back.")
    advertised_public_prefixes = serializers.ListField(child=serializers.CharField(), required=False)
    customer_asn = serializers.IntegerField(required=False, allow_null=True)
    routing_registry_name = serializers.ChoiceField(choices=RoutingRegistryChoices.choices(), required=False)


class RouteFilterInput(FormInput):
    form_class = RouteFilterForm
    route_filter = serializers.CharField(allow_blank=True, help_text="Empty detaches it.")


class PeeringPrefixesInput(FormInput):
    """PATCH a Microsoft peering's prefixes: the fields not given keep their current values."""

    form_class = PeeringPrefixesForm
    advertised_public_prefixes = serializers.ListField(child=serializers.CharField(), required=False)
    customer_asn = serializers.IntegerField(required=False, allow_null=True)
    routing_registry_name = serializers.ChoiceField(choices=RoutingRegistryChoices.choices(), required=False)


NOT_A_PEERING_ID = "Give the id of a Microsoft peering."


class TicketPeeringInput(serializers.Serializer):
    """A new ticket's peering, read before the rest of the body: the form checks the prefixes against it."""

    peering = serializers.IntegerField(
        min_value=1, error_messages=dict.fromkeys(("required", "null", "invalid"), NOT_A_PEERING_ID)
    )


class TicketOpenInput(FormInput):
    form_class = TicketOpenForm
    peering = serializers.IntegerField(help_text="The Microsoft peering whose prefixes need validation.")
    prefixes = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    evidence = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="multipart/form-data only: PDF, PNG or JPEG files."
    )


class TicketDecisionInput(FormInput):
    form_class = TicketDecisionForm
    reason = serializers.CharField(required=False, allow_blank=True)


class NotificationsReadInput(serializers.Serializer):
    notifications = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="Omit to mark all read."
    )


class EndpointInput(FormInput):
    """A webhook endpoint, as its page's form takes it; a PATCH keeps the fields it does not name."""

    form_class = EndpointForm
    name = serializers.CharField(required=False, allow_blank=True)
    url = serializers.CharField(
        required=False, allow_blank=True, help_text="A public http(s) URL; Onramp POSTs JSON there."
    )
    teams = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Team ids (yours) whose circuits it hears about."
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventTypeChoices.choices()), required=False, help_text="What it hears."
    )


class EndpointDisableInput(ReasonInput):
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Shown on the endpoint and told to its owners."
    )


def endpoint_form_defaults(endpoint) -> dict:
    return {
        "name": endpoint.name,
        "url": endpoint.url,
        "teams": [team.pk for team in endpoint.teams.all()],
        "event_types": endpoint.event_types,
    }
