"""The Azure source against recorded ARM responses, through azure-core's own pipeline (no network)."""

import json
from pathlib import Path
from unittest import mock
from urllib.parse import urlparse

import pytest
from azure.core.credentials import AccessToken, AccessTokenInfo
from azure.core.pipeline.transport import HttpTransport
from azure.core.rest._http_response_impl import HttpResponseImpl
from django.utils import timezone

from audit.models import AuditEvent
from circuits.models import Circuit
from sync import polling, tasks
from sync.sources import get_source
from sync.sources.azure import AzureSource
from sync.sources.base import SourceError
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory, VNetLinkFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory

pytestmark = pytest.mark.django_db
ARM = Path(__file__).parent / "data" / "arm"
SUBSCRIPTION = "8f3c2a4e-1b5d-4c6e-9f7a-0b1c2d3e4f50"
BASE = f"/subscriptions/{SUBSCRIPTION}"
CIRCUIT_PATH = f"{BASE}/resourceGroups/rg-network-gwc/providers/Microsoft.Network/expressRouteCircuits/er-fra-prod"
CONNECTION_PATH = f"{BASE}/resourceGroups/rg-hub/providers/Microsoft.Network/connections/conn-hub"
LIST_PATH = f"{BASE}/providers/Microsoft.Network/expressRouteCircuits"
PORTS_PATH = f"{BASE}/providers/Microsoft.Network/ExpressRoutePorts"


class FakeCredential:
    def get_token(self, *scopes, **kwargs):
        return AccessToken("test-token", 4102444800)

    def get_token_info(self, *scopes, options=None):
        return AccessTokenInfo("test-token", 4102444800)


class RecordedTransport(HttpTransport):
    """Answers each request path with the next recorded (status, headers, body); sleeps are noted."""

    def __init__(self, responses):
        self.responses = {path: list(answers) for path, answers in responses.items()}
        self.requests, self.sleeps = [], []

    def __enter__(self):
        return self

    def __exit__(self, *args):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def sleep(self, seconds):
        self.sleeps.append(seconds)

    def send(self, request, **kwargs):
        url = urlparse(request.url)
        self.requests.append(url)
        key = f"{url.path}?{url.query}" if f"{url.path}?{url.query}" in self.responses else url.path
        answers = self.responses.get(key) or [(404, {}, {"error": {"code": "NotFound", "message": key}})]
        status, headers, body = answers.pop(0) if len(answers) > 1 else answers[0]
        response = HttpResponseImpl(
            request=request,
            internal_response=None,
            status_code=status,
            headers={"Content-Type": "application/json", "x-ms-request-id": "test", **headers},
            reason="recorded",
            content_type="application/json",
            stream_download_generator=None,
        )
        response._content = json.dumps(body).encode()
        response._is_closed = True
        return response


def _ok(name):
    return (200, {}, json.loads((ARM / name).read_text()))


def _source(responses):
    transport = RecordedTransport(responses)
    return AzureSource(credential=FakeCredential(), subscriptions=[SUBSCRIPTION], transport=transport), transport


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
    source, _ = _source({CIRCUIT_PATH: [_ok("circuit_get.json")]})
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
    source, _ = _source({CIRCUIT_PATH: [_ok("circuit_get.json")], CONNECTION_PATH: [_ok("connection_get.json")]})
    assert source.observe(circuit, now=timezone.now()).vnet_links == {"conn-hub": "Connected"}


def test_throttling_is_retried_after_the_time_azure_asks_for(circuit):
    throttled = (429, {"Retry-After": "7"}, {"error": {"code": "TooManyRequests", "message": "Throttled"}})
    source, transport = _source({CIRCUIT_PATH: [throttled, _ok("circuit_get.json")]})
    assert source.observe(circuit, now=timezone.now()).provider_state == "Provisioned"
    assert transport.sleeps == [7]
    assert len(transport.requests) == 2


def test_an_azure_that_keeps_failing_is_a_retryable_source_error(circuit):
    failing = (503, {"Retry-After": "1"}, {"error": {"code": "ServiceUnavailable", "message": "Try later"}})
    source, transport = _source({CIRCUIT_PATH: [failing]})
    with pytest.raises(SourceError, match="Azure Resource Manager"):
        source.observe(circuit, now=timezone.now())
    assert len(transport.requests) > 1  # azure-core retried before giving up


def test_a_circuit_azure_does_not_know_is_a_source_error(circuit):
    source, _ = _source({})
    with pytest.raises(SourceError, match="Azure does not know"):
        source.observe(circuit, now=timezone.now())


def test_listing_follows_the_next_link_across_pages():
    page2 = f"{LIST_PATH}?api-version=2026-03-01&%24skiptoken=page2"
    source, transport = _source(
        {LIST_PATH: [_ok("circuits_list_page1.json")], page2: [_ok("circuits_list_page2.json")]}
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
    source, _ = _source({CIRCUIT_PATH: [_ok("circuit_get.json")]})
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
    source, _ = _source(
        {
            LIST_PATH: [_ok("circuits_list_page1.json")],
            page2: [_ok("circuits_list_page2.json")],
            PORTS_PATH: [_ok("express_route_ports_list.json")],
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
    source, _ = _source({PORTS_PATH: [_ok("express_route_ports_list.json")]})
    [port] = source.list_ports()
    assert port.peering_location_name == "Equinix-Amsterdam-AM5"
    assert port.resource_id.endswith("/expressRoutePorts/erport-ams-1")
