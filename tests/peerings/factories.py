import factory

from peerings.models import AdvertisedPrefix, BgpSession, Peering, PrefixValidationTicket
from tests.accounts.factories import UserFactory
from tests.circuits.factories import CircuitFactory


class PeeringFactory(factory.django.DjangoModelFactory):
    """An Azure private peering with both BGP sessions; `microsoft=True` for Microsoft peering."""

    class Meta:
        model = Peering
        skip_postgeneration_save = True

    circuit = factory.SubFactory(CircuitFactory, provisioned=True)
    peering_type = "AzurePrivatePeering"
    peer_asn = 65010
    primary_peer_address_prefix = "192.168.100.128/30"
    secondary_peer_address_prefix = "192.168.100.132/30"
    vlan_id = factory.Sequence(lambda n: 100 + n % 3900)
    configured_by = "user"

    class Params:
        microsoft = factory.Trait(
            peering_type="MicrosoftPeering",
            peer_asn=8075 + 1,
            primary_peer_address_prefix="80.1.1.0/30",
            secondary_peer_address_prefix="80.1.1.4/30",
            routing_registry_name="RIPENCC",
            advertised_public_prefixes_state="Configuring",
            route_filter="rf-microsoft-365",
        )

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        for link in ("primary", "secondary"):
            BgpSession.objects.create(peering=self, link=link, state=extracted or "Idle")


class AdvertisedPrefixFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvertisedPrefix

    peering = factory.SubFactory(PeeringFactory, microsoft=True)
    prefix = factory.Sequence(lambda n: f"80.{n // 256 % 256}.{n % 256}.0/24")
    validation_state = "Configuring"


class PrefixValidationTicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrefixValidationTicket

    peering = factory.SubFactory(PeeringFactory, microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    requested_by = factory.SubFactory(UserFactory, role="engineer")
    note = "LOA attached."
