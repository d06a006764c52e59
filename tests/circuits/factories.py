import uuid
from datetime import timedelta

import factory
from django.utils import timezone

from circuits.models import Authorization, Circuit, PeeringLocation, ProviderOrder, ServiceProvider, VNetLink
from core.secrets import secret_digest
from tests.accounts.factories import TeamFactory


class PeeringLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeeringLocation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Metro {n}")
    zone = "Zone 1"
    azure_region = "westeurope"


class ServiceProviderFactory(factory.django.DjangoModelFactory):
    """A Layer 2 provider offering every bandwidth at one location; `layer="Layer3"` for Layer 3."""

    class Meta:
        model = ServiceProvider
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Provider {n}")
    layer = "Layer2"
    bandwidths_offered = [50, 100, 200, 500, 1000, 2000, 5000, 10000]

    @factory.post_generation
    def peering_locations(self, create, extracted, **kwargs):
        self.peering_locations.add(*(extracted or [PeeringLocationFactory()]))


class CircuitFactory(factory.django.DjangoModelFactory):
    """A circuit row written directly (no audit event): for tests that set up a situation.

    Tests of the rules themselves go through circuits.services."""

    class Meta:
        model = Circuit

    name = factory.Sequence(lambda n: f"er-test-{n:03d}")
    subscription_id = factory.LazyFunction(uuid.uuid4)
    resource_group = "rg-network"
    region = "westeurope"
    service_provider = factory.SubFactory(ServiceProviderFactory)
    peering_location = factory.LazyAttribute(lambda c: c.service_provider.peering_locations.first())
    bandwidth_mbps = 1000
    # The `team` fixture's team unless a test says otherwise: everyone sees only their teams' circuits.
    team = factory.SubFactory(TeamFactory, name="Network Engineering")
    created_at = factory.LazyFunction(timezone.now)
    state_changed_at = factory.LazyAttribute(lambda c: c.created_at)

    class Params:
        provisioned = factory.Trait(service_provider_provisioning_state="Provisioned")


class ProviderOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderOrder

    circuit = factory.SubFactory(CircuitFactory)
    provider_reference = factory.Sequence(lambda n: f"ORD-{n:05d}")
    status = "ordered"


class AuthorizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorization

    circuit = factory.SubFactory(CircuitFactory)
    name = factory.Sequence(lambda n: f"auth-{n}")
    authorization_key_digest = factory.LazyAttribute(lambda a: secret_digest(f"key-{a.name}"))


class VNetLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VNetLink

    circuit = factory.SubFactory(CircuitFactory, provisioned=True)
    name = factory.Sequence(lambda n: f"link-{n}")
    vnet_resource_id = factory.LazyAttribute(
        lambda link: (
            f"/subscriptions/{link.circuit.subscription_id}/resourceGroups/rg/providers/"
            f"Microsoft.Network/virtualNetworks/{link.name}"
        )
    )
    subscription_id = factory.LazyAttribute(lambda link: link.circuit.subscription_id)
    gateway_name = "ergw"


def deleted_circuit():
    """A circuit created a month ago and deleted now."""
    return CircuitFactory(created_at=timezone.now() - timedelta(days=30), deleted_at=timezone.now())
