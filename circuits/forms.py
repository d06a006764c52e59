"""Forms for the engineer's actions. They check the shape of the input; the services check the rules,
and a refusal (DomainError) is shown next to the field it names (see `form_add_domain_error`)."""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.html import format_html

from accounts.models import Team
from core.errors import DomainError, DomainErrors
from core.forms import UncutForm
from core.net import split_prefixes

from .choices import ProviderOrderStatusChoices, SkuFamilyChoices, SkuTierChoices
from .models import PeeringLocation, ProviderOrder, ServiceProvider
from .validators import PROVIDER_BANDWIDTHS_MBPS

# Azure's naming rules for the resources named in these forms.
circuit_name_validator = RegexValidator(
    r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$",
    "1–80 letters, digits, periods, underscores or hyphens; start with a letter or digit, "
    "end with a letter, digit or underscore.",
)
resource_group_validator = RegexValidator(
    r"^[-\w.()]{0,89}[-\w()]$", "1–90 letters, digits, underscores, hyphens, periods or parentheses; no final period."
)
region_validator = RegexValidator(r"^[a-z0-9]{2,50}$", "An Azure region name such as westeurope or eastus2.")
VNET_ID_PATTERN = re.compile(
    r"^/subscriptions/(?P<subscription>[0-9a-fA-F-]{36})/resourceGroups/[^/]+"
    r"/providers/Microsoft\.Network/virtualNetworks/[^/]+$"
)
BANDWIDTH_CHOICES = [
    (mbps, f"{mbps // 1000} Gbps" if mbps >= 1000 else f"{mbps} Mbps") for mbps in PROVIDER_BANDWIDTHS_MBPS
]


def form_add_domain_error(form, error, *, skip=()):
    """Show each refusal next to the field it names, or above the form when it names none the form has.
    Fields in `skip` keep only the errors they have."""
    if isinstance(error, DomainErrors):
        for refusal in error.errors:
            form_add_domain_error(form, refusal, skip=skip)
        return
    if isinstance(error, DomainError):
        field = error.field if error.field in form.fields else None
        if field not in skip:
            form.add_error(field, _html_message(error))
        return
    for field, messages in getattr(error, "message_dict", {None: error.messages}).items():
        form.add_error(field if field in form.fields else None, messages)


def _html_message(error):
    """The refusal as shown in a form: one naming an existing circuit links to it."""
    circuit = getattr(error, "circuit", None)
    if circuit is None:
        return error.message
    return format_html('{} <a href="{}">Open {}</a>.', error.message, circuit.get_absolute_url(), circuit.name)


ACTION_ERRORS = (DomainError, ValidationError)


class DateInput(forms.DateInput):
    input_type = "date"


class CircuitCreateForm(UncutForm):
    name = forms.CharField(max_length=80, validators=[circuit_name_validator], help_text="e.g. er-ams-prod-01")
    team = forms.ModelChoiceField(queryset=Team.objects.none(), help_text="The team that owns and watches it.")
    subscription_id = forms.UUIDField(label="Subscription ID")
    resource_group = forms.CharField(max_length=90, validators=[resource_group_validator])
    region = forms.CharField(max_length=50, validators=[region_validator], initial="westeurope")
    service_provider = forms.ModelChoiceField(queryset=ServiceProvider.objects.all(), label="Service provider")
    peering_location = forms.ModelChoiceField(queryset=PeeringLocation.objects.all(), label="Peering location")
    bandwidth_mbps = forms.TypedChoiceField(choices=BANDWIDTH_CHOICES, coerce=int, label="Bandwidth", initial=1000)
    sku_tier = forms.ChoiceField(choices=SkuTierChoices.choices(), label="SKU tier", initial=SkuTierChoices.STANDARD)
    sku_family = forms.ChoiceField(
        choices=SkuFamilyChoices.choices(), label="SKU family", initial=SkuFamilyChoices.METERED_DATA
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.all() if user.is_superuser else Team.objects.filter(members=user)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]


class ProviderOrderForm(UncutForm):
    status = forms.ChoiceField(choices=ProviderOrderStatusChoices.choices(), initial=ProviderOrderStatusChoices.ORDERED)
    provider_reference = forms.CharField(max_length=100, required=False, help_text="The provider's order number.")
    contact_name = forms.CharField(max_length=100, required=False)
    contact_email = forms.EmailField(required=False)
    requested_on = forms.DateField(required=False, widget=DateInput)
    promised_on = forms.DateField(required=False, widget=DateInput, help_text="The provider's promised delivery date.")
    completed_on = forms.DateField(required=False, widget=DateInput)
    notes = forms.CharField(
        required=False, max_length=ProviderOrder._meta.get_field("notes").max_length, widget=forms.Textarea({"rows": 3})
    )

    def clean(self):
        data = super().clean()
        requested, promised = data.get("requested_on"), data.get("promised_on")
        if requested and promised and promised < requested:
            self.add_error("promised_on", "The promised date cannot be before the requested date.")
        return data


class AuthorizationForm(UncutForm):
    name = forms.CharField(
        max_length=80, validators=[circuit_name_validator], help_text="e.g. the subscription or team it is for."
    )


class VNetLinkForm(UncutForm):
    name = forms.CharField(max_length=80, validators=[circuit_name_validator], help_text="The connection's name.")
    vnet_resource_id = forms.CharField(
        max_length=400,
        label="VNet resource ID",
        help_text="/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/…",
    )
    gateway_name = forms.CharField(max_length=80, help_text="The VNet's ExpressRoute gateway.")
    address_space = forms.CharField(
        required=False,
        max_length=2000,
        label="VNet address space (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The VNet's address prefixes, e.g. 10.20.0.0/16, one per line: checked against the peering subnets.",
    )
    authorization_key = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Only for a VNet in another subscription. Never shown again.",
    )

    def clean_address_space(self):
        return split_prefixes(self.cleaned_data["address_space"])

    def clean_vnet_resource_id(self):
        value = self.cleaned_data["vnet_resource_id"].strip()
        match = VNET_ID_PATTERN.match(value)
        if not match:
            raise ValidationError("Enter a virtual network's resource ID, as shown in its Properties in Azure.")
        try:
            self.cleaned_data["subscription_id"] = uuid.UUID(match["subscription"])
        except ValueError:
            raise ValidationError("The subscription in this resource ID is not a valid GUID.") from None
        return value


class UpgradeForm(UncutForm):
    """SKU and bandwidth changes Azure allows: bandwidth up, MeteredData to UnlimitedData."""

    sku_tier = forms.ChoiceField(choices=SkuTierChoices.choices(), label="SKU tier")
    sku_family = forms.ChoiceField(choices=SkuFamilyChoices.choices(), label="SKU family")
    bandwidth_mbps = forms.TypedChoiceField(choices=BANDWIDTH_CHOICES, coerce=int, label="Bandwidth")
    reason = forms.CharField(max_length=200, required=False)


class ConfirmForm(UncutForm):
    reason = forms.CharField(max_length=200, required=False, help_text="Recorded in the circuit's timeline.")
