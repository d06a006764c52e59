"""The bulk check's shortcut: a check that finds no change only records that it ran, so
observation_changes_something must see every kind of change, or the change is never applied
(a BGP session dropping would go unnoticed). And circuits_flag_stuck's filters and count.
Found by mutation testing: each of these comparisons could be broken with every test green."""

from datetime import datetime, timedelta

import pytest

from circuits import services as circuit_services
from circuits.models import Circuit
from sync import polling
from sync.sources.base import Observation, PeeringObservation
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory

pytestmark = pytest.mark.django_db

AS_RECORDED = {
    "bgp": {"primary": "Established", "secondary": "Established"},
    "prefixes": {"80.10.5.0/24": ("Configuring", "Reported by Azure.")},
    "provisioning_state": "Succeeded",
    "route_filter": "rf-microsoft-365",
}


@pytest.fixture
def circuit():
    peering = PeeringFactory(microsoft=True, sessions="Established", provisioning_state="Succeeded")
    AdvertisedPrefixFactory(peering=peering, prefix="80.10.5.0/24", validation_state="Configuring")
    return Circuit.objects.prefetch_related(*polling.OBSERVED_RELATIONS).get(pk=peering.circuit_id)


def _changes(circuit, **seen):
    peering = PeeringObservation("MicrosoftPeering", **{**AS_RECORDED, **seen})
    return polling.observation_changes_something(circuit, Observation(peerings=[peering]))


@pytest.mark.parametrize(
    "seen",
    [
        pytest.param({}, id="everything as recorded"),
        pytest.param({"route_filter": None}, id="route filter not reported"),
        pytest.param({"bgp": {}}, id="sessions not reported"),
        pytest.param({"prefixes": {}}, id="prefixes not reported"),
        pytest.param({"prefixes": {"80.99.0.0/24": ("Configured", "")}}, id="only an unknown prefix reported"),
        pytest.param({"provisioning_state": None}, id="provisioning state not reported"),
    ],
)
def test_a_peering_reported_as_recorded_is_no_change(circuit, seen):
    assert not _changes(circuit, **seen)


@pytest.mark.parametrize(
    "seen",
    [
        pytest.param({"prefixes": {"80.10.5.0/24": ("Configured", "Validated.")}}, id="a prefix validated"),
        pytest.param({"route_filter": ""}, id="the route filter detached"),
        pytest.param({"provisioning_state": "Updating"}, id="provisioning state"),
        pytest.param({"bgp": {"primary": "Idle", "secondary": "Established"}}, id="a BGP session dropped"),
    ],
)
def test_each_kind_of_peering_change_alone_is_seen(circuit, seen):
    assert _changes(circuit, **seen)


MONDAY = datetime.fromisoformat("2026-11-16T10:00:00+00:00")


def _provisioning_since(start, **circuit):
    provider = ServiceProviderFactory(stuck_after_business_days=1)
    circuit = {"service_provider_provisioning_state": "Provisioning", **circuit}
    return CircuitFactory(service_provider=provider, state_changed_at=start, created_at=start, **circuit)


def test_a_one_business_day_provider_is_stuck_one_day_later_and_each_flag_is_counted():
    _provisioning_since(MONDAY)
    _provisioning_since(MONDAY - timedelta(days=1))
    assert circuit_services.circuits_flag_stuck(now=MONDAY + timedelta(days=1, hours=1)) == 2


def test_deleted_or_no_longer_provisioning_circuits_are_never_flagged_stuck():
    _provisioning_since(MONDAY - timedelta(days=30), deleted_at=MONDAY - timedelta(days=29))
    _provisioning_since(MONDAY - timedelta(days=30), service_provider_provisioning_state="Provisioned")
    assert circuit_services.circuits_flag_stuck(now=MONDAY) == 0
    assert not Circuit.objects.filter(is_stuck=True).exists()
