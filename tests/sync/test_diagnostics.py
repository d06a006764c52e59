"""Step 4's verification: each link's ARP table and BGP summary, read on demand ("Check now") from the
simulator or Azure, shown with its read time; failures are messages, never a 500.

The recorded Azure answers (data/arm/circuit_arp_table_list.json, circuit_routes_table_summary_list.json)
follow ExpressRouteCircuitsArpTableListResult and ExpressRouteCircuitsRoutesTableSummaryListResult as in
azure-rest-api-specs' ExpressRouteCircuitARPTableList.json / ExpressRouteCircuitRouteTableSummaryList.json.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from circuits.models import Circuit
from circuits.selectors import circuit_last_reading
from sync import diagnostics
from sync.sources import RouteSummary, SourceError
from sync.sources.simulator import Simulator, bgp_up_down
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.support.azure import CIRCUIT_PATH, SUBSCRIPTION, arm_ok, recorded_source
from tests.sync.sources import DiagnosingSource

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _read(circuit, link="primary", peering_type="AzurePrivatePeering", now=NOW):
    circuit = Circuit.objects.get(pk=circuit.pk)
    return Simulator().read_link_diagnostics(circuit, peering_type=peering_type, device_path=link, now=now)


def test_the_simulator_shows_both_ends_of_the_link_and_the_prefixes_received_when_bgp_is_up():
    peering = PeeringFactory(sessions="Established")
    reading = _read(peering.circuit, "secondary")
    assert [(entry.interface, entry.ip_address) for entry in reading.arp_table] == [
        ("On-Prem", "192.168.100.133"),
        ("Microsoft", "192.168.100.134"),
    ]
    (route,) = reading.routes
    assert (route.neighbor, route.asn, route.version, route.is_established) == ("192.168.100.133", 65010, 4, True)
    assert route.prefixes_received >= 1


def test_the_simulator_reports_the_bgp_state_instead_of_prefixes_when_the_session_is_down():
    peering = PeeringFactory(sessions="Idle")
    reading = _read(peering.circuit)
    assert [entry.interface for entry in reading.arp_table] == ["Microsoft"]
    (route,) = reading.routes
    assert (route.state_or_prefixes, route.prefixes_received) == ("Idle", None)


def test_the_simulator_counts_the_configured_microsoft_prefixes_as_received():
    peering = PeeringFactory(microsoft=True, sessions="Established")
    AdvertisedPrefixFactory(peering=peering, prefix="80.1.16.0/24", validation_state="Configured")
    AdvertisedPrefixFactory(peering=peering, prefix="80.1.17.0/24", validation_state="ValidationNeeded")
    (route,) = _read(peering.circuit, peering_type="MicrosoftPeering").routes
    assert route.prefixes_received == 1


def test_the_simulator_reading_is_reproducible():
    peering = PeeringFactory(sessions="Established")
    assert _read(peering.circuit) == _read(peering.circuit)


def test_a_peering_the_circuit_does_not_have_is_a_source_error():
    with pytest.raises(SourceError, match="MicrosoftPeering is not configured"):
        _read(PeeringFactory().circuit, peering_type="MicrosoftPeering")


@pytest.mark.parametrize(
    ("elapsed", "printed"),
    [
        (timedelta(hours=1, minutes=2, seconds=3), "01:02:03"),
        (timedelta(days=3, hours=4), "3d04h"),
        (timedelta(days=16), "2w2d"),
        (None, "never"),
    ],
)
def test_up_down_time_is_printed_as_a_router_prints_it(elapsed, printed):
    assert bgp_up_down(elapsed) == printed


def test_azure_reads_each_link_with_list_arp_table_and_list_routes_table_summary(circuit_in_azure):
    operation = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Network/locations/gwc/operationResults/op-arp"
    arp_path = f"{CIRCUIT_PATH}/peerings/AzurePrivatePeering/arpTables/primary"
    source, transport = recorded_source(
        {
            # listArpTable is a long-running POST: accepted first, its result read from Location.
            arp_path: [(202, {"location": f"https://management.azure.com{operation}", "retry-after": "1"}, {})],
            operation: [arm_ok("circuit_arp_table_list.json")],
            f"{CIRCUIT_PATH}/peerings/AzurePrivatePeering/routeTablesSummary/primary": [
                arm_ok("circuit_routes_table_summary_list.json")
            ],
        }
    )
    reading = source.read_link_diagnostics(
        circuit_in_azure, peering_type="AzurePrivatePeering", device_path="primary", now=NOW
    )
    assert [(entry.interface, entry.mac_address) for entry in reading.arp_table] == [
        ("On-Prem", "00:22:bd:f8:1c:4a"),
        ("Microsoft", "3c:8a:b0:12:7e:01"),
    ]
    assert reading.routes == (RouteSummary("192.168.100.129", 4, 65010, "3d04h", "12"),)
    assert [request.path for request in transport.requests][0] == arp_path


def test_an_azure_diagnostics_failure_is_a_source_error(circuit_in_azure):
    source, _ = recorded_source({})
    with pytest.raises(SourceError, match="Azure does not know AzurePrivatePeering"):
        source.read_link_diagnostics(
            circuit_in_azure, peering_type="AzurePrivatePeering", device_path="primary", now=NOW
        )


@pytest.fixture
def circuit_in_azure():
    return CircuitFactory(name="er-fra-prod", subscription_id=SUBSCRIPTION, resource_group="rg-network-gwc")


def test_check_now_checks_the_circuit_and_keeps_the_reading(engineer_actor):
    peering = PeeringFactory(sessions="Established")
    reading = diagnostics.circuit_check_now(
        circuit_id=peering.circuit.pk, source=DiagnosingSource(), actor=engineer_actor
    )
    circuit = Circuit.objects.get(pk=peering.circuit.pk)
    assert circuit.last_good_read_at is not None
    assert (reading.check_error, reading.read_by) == ("", str(engineer_actor))
    assert [link.diagnostics.routes[0].prefixes_received for link in reading.peerings[0].links] == [7, 7]
    assert circuit_last_reading(circuit_id=circuit.pk) == reading


def test_a_failed_check_is_counted_and_shown_with_the_reading(engineer_actor):
    peering = PeeringFactory()
    source = DiagnosingSource(failures=1)
    reading = diagnostics.circuit_check_now(circuit_id=peering.circuit.pk, source=source, actor=engineer_actor)
    assert reading.check_error == "read 1 failed"
    assert Circuit.objects.get(pk=peering.circuit.pk).check_failures == 1


def test_a_failed_link_read_shows_on_that_link_only(engineer_actor):
    peering = PeeringFactory()
    source = DiagnosingSource(failing_links=("secondary",))
    reading = diagnostics.circuit_check_now(circuit_id=peering.circuit.pk, source=source, actor=engineer_actor)
    primary, secondary = reading.peerings[0].links
    assert (primary.error, secondary.error, secondary.diagnostics) == ("", "secondary edge did not answer", None)


# The pages


@pytest.fixture
def team_circuit(team):
    return PeeringFactory(circuit=CircuitFactory(team=team, provisioned=True), sessions="Established").circuit


@pytest.fixture
def simulated(settings):
    settings.ONRAMP_STATE_SOURCE = "simulator"
    settings.ONRAMP_SIMULATOR_SEED = 0


def check_url(circuit):
    return reverse("sync:circuit_check", args=[circuit.pk])


def test_check_now_answers_htmx_with_the_section_and_shows_the_reading(engineer_client, team_circuit, simulated):
    response = engineer_client.post(check_url(team_circuit), headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="diagnostics"')
    assert "192.168.100.129" in html and "AS65010" in html and "Read <time" in html


def test_a_plain_check_now_returns_to_the_circuit_page_which_shows_the_reading(
    engineer_client, team_circuit, simulated
):
    response = engineer_client.post(check_url(team_circuit), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"{team_circuit.get_absolute_url()}#diagnostics")
    assert "On-Prem" in response.content.decode()


def test_check_now_is_a_post(engineer_client, team_circuit):
    assert engineer_client.get(check_url(team_circuit)).status_code == 405


def test_check_now_is_for_the_engineers_of_the_team(client, team, team_circuit, simulated):
    client.force_login(UserFactory(role="manager", team=team))
    assert client.post(check_url(team_circuit)).status_code == 403
    client.force_login(UserFactory(role="engineer", team=TeamFactory()))
    assert client.post(check_url(team_circuit)).status_code == 404
    assert circuit_last_reading(circuit_id=team_circuit.pk) is None


def test_a_source_failure_shows_as_a_message_in_the_section(engineer_client, team_circuit, simulated, monkeypatch):
    monkeypatch.setattr("sync.views.get_source", lambda: DiagnosingSource(failures=1, failing_links=("primary",)))
    response = engineer_client.post(check_url(team_circuit), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The check did not go through: read 1 failed" in html and "primary edge did not answer" in html


def test_the_section_alone_answers_htmx_and_a_plain_load_gets_the_page(engineer_client, team_circuit):
    url = reverse("circuits:circuit_diagnostics", args=[team_circuit.pk])
    assert "Not checked yet" in engineer_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert engineer_client.get(url)["Location"].endswith("#diagnostics")


def test_the_circuit_page_offers_check_now_to_its_engineers_only(client, engineer_client, team, team_circuit):
    assert 'id="action-check-now"' in engineer_client.get(team_circuit.get_absolute_url()).content.decode()
    client.force_login(UserFactory(role="manager", team=team))
    page = client.get(team_circuit.get_absolute_url()).content.decode()
    assert 'id="diagnostics"' in page and 'id="action-check-now"' not in page


def test_a_deleted_circuit_is_not_checked(engineer_client, team_circuit, simulated):
    Circuit.objects.filter(pk=team_circuit.pk).update(deleted_at=timezone.now())
    response = engineer_client.post(check_url(team_circuit), follow=True)
    assert "there is nothing left to check" in response.content.decode()
    assert circuit_last_reading(circuit_id=team_circuit.pk) is None
