"""The peering configuration form (step 4). Shapes only; peerings.services checks the rules."""

from django import forms

from core.forms import UncutForm
from core.net import split_prefixes
from registry.choices import RoutingRegistryChoices

from .choices import PeeringTypeChoices
from .validators import MD5_KEY_MAX_LENGTH


class PeeringForm(UncutForm):
    peering_type = forms.ChoiceField(choices=PeeringTypeChoices.choices(), label="Peering type")
    peer_asn = forms.IntegerField(
        label="Peer ASN", min_value=1, max_value=4294967295, help_text="Your side's AS number (not 12076)."
    )
    vlan_id = forms.IntegerField(label="VLAN ID", min_value=1, max_value=4094, help_text="1–4094, unique per circuit.")
    primary_peer_address_prefix = forms.CharField(
        max_length=43, label="Primary peer subnet (IPv4 /30)", help_text="e.g. 192.168.100.128/30"
    )
    secondary_peer_address_prefix = forms.CharField(
        max_length=43, label="Secondary peer subnet (IPv4 /30)", help_text="e.g. 192.168.100.132/30"
    )
    ipv6_primary_peer_address_prefix = forms.CharField(
        max_length=43, required=False, label="Primary peer subnet (IPv6 /126, optional)"
    )
    ipv6_secondary_peer_address_prefix = forms.CharField(
        max_length=43, required=False, label="Secondary peer subnet (IPv6 /126, optional)"
    )
    shared_key = forms.CharField(
        required=False,
        max_length=MD5_KEY_MAX_LENGTH,
        label="BGP MD5 key (optional)",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=f"At most {MD5_KEY_MAX_LENGTH} characters. Stored as a digest, never shown again.",
        error_messages={
            "max_length": f"Azure accepts a BGP MD5 key of at most {MD5_KEY_MAX_LENGTH} characters; this one has "
            "%(show_value)d. Nothing was cut: choose a shorter key and set it on your routers too."
        },
    )
    advertised_public_prefixes = forms.CharField(
        required=False,
        max_length=10_000,
        label="Advertised public prefixes",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Microsoft peering: public prefixes you own, one per line.",
    )
    customer_asn = forms.IntegerField(
        required=False,
        label="Customer ASN (optional)",
        min_value=1,
        max_value=4294967295,
        help_text="Microsoft peering: when the prefixes are registered to another AS than the peer ASN.",
    )
    routing_registry_name = forms.ChoiceField(
        required=False,
        choices=[("", "Choose a registry")] + RoutingRegistryChoices.choices(),
        label="Routing registry",
        help_text="Microsoft peering: where your route objects are registered.",
    )

    def clean_advertised_public_prefixes(self):
        return split_prefixes(self.cleaned_data["advertised_public_prefixes"])

    def clean(self):
        data = super().clean()
        for name in ("primary_peer_address_prefix", "secondary_peer_address_prefix"):
            if name in data:
                data[name] = data[name].strip()
        return data


class RouteFilterForm(UncutForm):
    route_filter = forms.CharField(
        required=False,
        max_length=400,
        label="Route filter",
        help_text="Name or resource ID of the route filter (its rules select the BGP communities Microsoft "
        "advertises). Leave empty to detach it.",
    )


class PeeringPrefixesForm(UncutForm):
    """Change what a Microsoft peering advertises; its fields are PeeringForm's own."""

    advertised_public_prefixes = PeeringForm.base_fields["advertised_public_prefixes"]
    customer_asn = PeeringForm.base_fields["customer_asn"]
    routing_registry_name = PeeringForm.base_fields["routing_registry_name"]

    def clean_advertised_public_prefixes(self):
        return split_prefixes(self.cleaned_data["advertised_public_prefixes"])

    @staticmethod
    def initial_for(peering) -> dict:
        """The peering's current values, as the form starts from them (a change names only what differs)."""
        return {
            "advertised_public_prefixes": "\n".join(p.prefix for p in peering.advertised_prefixes.all()),
            "customer_asn": peering.customer_asn,
            "routing_registry_name": peering.routing_registry_name,
        }
