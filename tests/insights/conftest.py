from datetime import UTC, datetime

import pytest

from tests.circuits.factories import PeeringLocationFactory, ServiceProviderFactory

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def amsterdam(db):
    return PeeringLocationFactory(name="Amsterdam")


@pytest.fixture
def equinix(db, amsterdam):
    return ServiceProviderFactory(name="Equinix", peering_locations=[amsterdam])
