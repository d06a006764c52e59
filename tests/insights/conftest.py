import pytest

from tests.circuits.factories import PeeringLocationFactory, ServiceProviderFactory

from .factories import NOW


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def amsterdam(db):
    return PeeringLocationFactory(name="Amsterdam")


@pytest.fixture
def equinix(db, amsterdam):
    return ServiceProviderFactory(name="Equinix", peering_locations=[amsterdam])
