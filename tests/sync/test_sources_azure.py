"""The Azure source against recorded ARM responses, through azure-core's own pipeline (no network)."""

from unittest import mock

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from circuits.models import Circuit
from sync import polling, tasks
from sync.sources import get_source
from sync.sources.azure import AzureSource
from sync.sources.base import SourceError
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory, VNetLinkFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.support.azure import (
    BASE,
    CIRCUIT_PATH,
    CONNECTION_PATH,
    LIST_PATH,
    PORTS_PATH,
    SUBSCRIPTION,
    arm_ok,
    recorded_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def circuit():
    provider = ServiceProviderFactory(name="Equinix")
    return CircuitFactory(
        name="er-fra-prod",
        subscription_id=SUBSCRIPTION,
        resource_group="rg-network-gwc",
        service_provider=provider,
        service_provider_provisioning_state="Provisioning",
    )


def test_a_circuit_is_read_with_its_peerings_and_authorizations(circuit):
    source, _ = recorded_source({CIRCUIT_PATH: [arm_ok("circuit_get.json")]})
    observation = source.observe(circuit, now=timezone.now())
    assert (observation.provider_state, observation.circuit_provisioning_state) == ("Provisioned", "Enabled")
    (peering,) = observation.peerings
    assert (peering.peering_type, peering.config["vlan_id"]) == ("MicrosoftPeering", 300)
    assert peering.prefixes["80.1.16.0/24"][0] == "Configured"
    assert observation.authorizations == {"spoke-b": "InUse"}
    assert peering.route_filter.endswith("/routeFilters/rf-m365")


def test_vnet_links_are_read_from_their_expressroute_connections(circuit):
    circuit.service_provider_provisioning_state = "Provisioned"
    circuit.save()
    VNetLinkFactory(
        circuit=circuit,
        name="conn-hub",
        vnet_resource_id=f"{BASE}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub",
        subscription_id=SUBSCRIPTION,
    )
    source, _ = recorded_source(
        {CIRCUIT_PATH: [arm_ok("circuit_get.json")], CONNECTION_PATH: [arm_ok("connection_get.json")]}
    )
    assert source.observe(circuit, now=timezone.now()).vnet_links == {"conn-hub": "Connected"}


def test_throttling_is_retried_after_the_time_azure_asks_for(circuit):
    throttled = (429, {"Retry-After": "7"}, {"error": {"code": "TooManyRequests", "message": "Throttled"}})
    source, transport = recorded_source({CIRCUIT_PATH: [throttled, arm_ok("circuit_get.json")]})
    assert source.observe(circuit, now=timezone.now()).provider_state == "Provisioned"
    assert transport.sleeps == [7]
    assert len(transport.requests) == 2


def test_an_azure_that_keeps_failing_is_a_retryable_source_error(circuit):
    failing = (503, {"Retry-After": "1"}, {"error": {"code": "ServiceUnavailable", "message": "Try later"}})
    source, transport = recorded_source({CIRCUIT_PATH: [failing]})
    with pytest.raises(SourceError, match="Azure Resource Manager"):
        source.observe(circuit, now=timezone.now())
    assert len(transport.requests) > 1  # azure-core retried before giving up


def test_a_circuit_azure_does_not_know_is_a_source_error(circuit):
    source, _ = recorded_source({})
    with pytest.raises(SourceError, match="Azure does not know"):
        source.observe(circuit, now=timezone.now())


def test_listing_follows_the_next_link_across_pages():
    page2 = f"{LIST_PATH}?api-version=2026-03-01&%24skiptoken=page2"
    source, transport = recorded_source(
        {LIST_PATH: [arm_ok("circuits_list_page1.json")], page2: [arm_ok("circuits_list_page2.json")]}
    )
    records = source.list_circuits()
    assert [record.name for record in records] == ["er-fra-prod", "er-fra-dr"]
    assert len(transport.requests) == 2


def test_a_check_records_what_azure_says_with_azure_as_actor_and_keeps_unknown_values(circuit):
    circuit.service_provider_provisioning_state = "Provisioned"
    circuit.save()
    peering = PeeringFactory(circuit=circuit, microsoft=True, vlan_id=300)
    known = AdvertisedPrefixFactory(peering=peering, prefix="80.1.16.0/24")
    odd = AdvertisedPrefixFactory(peering=peering, prefix="80.1.17.0/24")
    source, _ = recorded_source({CIRCUIT_PATH: [arm_ok("circuit_get.json")]})
    polling.circuit_check(circuit_id=circuit.pk, source=source)
    known.refresh_from_db()
    odd.refresh_from_db()
    assert (known.validation_state, odd.validation_state) == ("Configured", "RoaMissingInRpki")
    assert set(AuditEvent.objects.filter(circuit=circuit).values_list("actor_kind", flat=True)) == {"azure"}
    peering.refresh_from_db()
    assert peering.advertised_public_prefixes_state == "ValidationNeeded"


def test_the_azure_sync_adds_new_circuits_for_the_configured_team(settings, team):
    settings.ONRAMP_AZURE_TEAM = team.name
    page2 = f"{LIST_PATH}?api-version=2026-03-01&%24skiptoken=page2"
    source, _ = recorded_source(
        {
            LIST_PATH: [arm_ok("circuits_list_page1.json")],
            page2: [arm_ok("circuits_list_page2.json")],
            PORTS_PATH: [arm_ok("express_route_ports_list.json")],
        }
    )
    with mock.patch("sync.sources.azure.AzureSource.from_settings", return_value=source):
        assert tasks.azure_sync() == "2 created, 0 updated, 0 unchanged"
        assert tasks.azure_sync() == "0 created, 0 updated, 2 unchanged"
    assert set(Circuit.objects.values_list("name", "team__name")) == {
        ("er-fra-prod", team.name),
        ("er-fra-dr", team.name),
    }


def test_the_configured_source_is_azure_with_the_configured_subscriptions(settings):
    settings.ONRAMP_STATE_SOURCE, settings.ONRAMP_AZURE_SUBSCRIPTIONS = "azure", [SUBSCRIPTION]
    source = get_source()
    assert (type(source), source.subscriptions, source.actor.kind) == (AzureSource, [SUBSCRIPTION], "azure")


def test_an_unknown_source_name_is_a_clear_configuration_error(settings):
    settings.ONRAMP_STATE_SOURCE = "carrier-pigeon"
    with pytest.raises(ValueError, match="ONRAMP_STATE_SOURCE must be one of simulator, azure"):
        get_source()


def test_the_express_route_direct_ports_are_listed_with_their_peering_location():
    source, _ = recorded_source({PORTS_PATH: [arm_ok("express_route_ports_list.json")]})
    [port] = source.list_ports()
    assert port.peering_location_name == "Equinix-Amsterdam-AM5"
    assert port.resource_id.endswith("/expressRoutePorts/erport-ams-1")
