from datetime import timedelta

import pytest
from django.utils import timezone

from sync.sources.base import SourceError
from sync.sources.simulator import SLOW_FACTOR, Simulator, outcome_validator
from tests.circuits.factories import CircuitFactory, ProviderOrderFactory, ServiceProviderFactory, VNetLinkFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def provider():
    return ServiceProviderFactory(
        simulated_start_delay=timedelta(days=1),
        simulated_provisioning_delay=timedelta(days=4),
        simulated_jitter=0,
        simulated_slow_rate=0,
        simulated_failure_rate=0,
    )


def _ordered(provider, **kwargs):
    circuit = CircuitFactory(service_provider=provider, **kwargs)
    ProviderOrderFactory(circuit=circuit, service_key_handed_over_at=NOW - timedelta(hours=1))
    return circuit


def _plan(circuit, observation):
    circuit.simulator_step, circuit.simulator_step_due_at = observation.plan
    return circuit


def test_an_ordered_circuit_is_planned_to_start_provisioning_after_the_provider_delay(provider):
    circuit = _ordered(provider)
    observation = Simulator().observe(circuit, now=NOW)
    assert observation.provider_state is None
    assert observation.plan == ("provisioning", NOW + timedelta(days=1))


def test_a_planned_step_is_reported_once_due_and_not_before(provider):
    circuit = _ordered(provider)
    circuit = _plan(circuit, Simulator().observe(circuit, now=NOW))
    assert Simulator().observe(circuit, now=NOW + timedelta(hours=23)).provider_state is None
    observation = Simulator().observe(circuit, now=NOW + timedelta(days=1))
    assert observation.provider_state == "Provisioning"
    assert observation.plan == ("", None)


def test_speed_divides_every_delay(provider):
    observation = Simulator(speed=86400).observe(_ordered(provider), now=NOW)
    assert observation.plan == ("provisioning", NOW + timedelta(seconds=1))


def test_a_provisioning_circuit_becomes_provisioned_after_the_provisioning_delay(provider):
    circuit = CircuitFactory(service_provider=provider, service_provider_provisioning_state="Provisioning")
    circuit = _plan(circuit, Simulator().observe(circuit, now=NOW))
    assert circuit.simulator_step_due_at == NOW + timedelta(days=4)
    assert Simulator().observe(circuit, now=NOW + timedelta(days=4)).provider_state == "Provisioned"


def test_jitter_is_seeded_per_circuit_and_stays_within_bounds(provider):
    provider.simulated_jitter = 0.3
    circuit = _ordered(provider)
    first = Simulator(seed=7).observe(circuit, now=NOW).plan[1]
    assert Simulator(seed=7).observe(circuit, now=NOW).plan[1] == first
    assert NOW + timedelta(days=0.7) <= first <= NOW + timedelta(days=1.3)
    assert {Simulator(seed=seed).observe(circuit, now=NOW).plan[1] for seed in range(5)} != {first}


def test_a_slow_provider_takes_many_times_longer(provider):
    provider.simulated_slow_rate = 1
    observation = Simulator().observe(_ordered(provider), now=NOW)
    assert observation.plan[1] == NOW + timedelta(days=SLOW_FACTOR)


def test_a_failing_provider_raises_a_retryable_error(provider):
    provider.simulated_failure_rate = 1
    with pytest.raises(SourceError, match="did not answer"):
        Simulator().observe(_ordered(provider), now=NOW)


def test_without_an_open_order_nothing_happens(provider):
    circuit = CircuitFactory(service_provider=provider)
    assert Simulator().observe(circuit, now=NOW).plan == ("", None)


def test_an_order_older_than_the_last_deprovisioning_does_not_provision_again(provider):
    circuit = _ordered(provider, deprovisioned_at=NOW)
    assert Simulator().observe(circuit, now=NOW).plan == ("", None)


def test_a_deprovision_request_goes_deprovisioning_then_not_provisioned(provider):
    circuit = CircuitFactory(service_provider=provider, provisioned=True, deprovision_requested_at=NOW)
    circuit.simulator_step, circuit.simulator_step_due_at = "deprovisioning", NOW
    assert Simulator().observe(circuit, now=NOW).provider_state == "Deprovisioning"
    circuit.service_provider_provisioning_state = "Deprovisioning"
    circuit.simulator_step = "deprovisioned"
    assert Simulator().observe(circuit, now=NOW).provider_state == "NotProvisioned"


def _due(circuit, step):
    circuit.simulator_step, circuit.simulator_step_due_at = step, NOW
    return circuit


def test_a_layer3_provider_configures_private_peering_once_provisioned(provider):
    provider.layer = "Layer3"
    circuit = _due(CircuitFactory(service_provider=provider, provisioned=True), "configure:AzurePrivatePeering")
    (peering,) = Simulator().observe(circuit, now=NOW).peerings
    assert peering.peering_type == "AzurePrivatePeering"
    assert peering.config["vlan_id"] == 100


def test_a_layer2_provider_leaves_routing_to_the_customer(provider):
    circuit = CircuitFactory(service_provider=provider, provisioned=True)
    assert Simulator().observe(circuit, now=NOW).plan == ("", None)


def test_microsoft_prefixes_get_the_validators_outcome(provider):
    prefix = AdvertisedPrefixFactory(peering__circuit__service_provider=provider)
    circuit = _due(prefix.peering.circuit, "validate:MicrosoftPeering")
    simulator = Simulator(prefix_validator=outcome_validator("ValidationNeeded"))
    (peering,) = simulator.observe(circuit, now=NOW).peerings
    state, reason = peering.prefixes[prefix.prefix]
    assert state == "ValidationNeeded"
    assert "request manual validation" in reason


def test_a_registry_validator_plugs_in_through_the_setting(provider, settings):
    settings.ONRAMP_PREFIX_VALIDATOR = "tests.sync.test_sources_simulator.everything_rejected"
    prefix = AdvertisedPrefixFactory(peering__circuit__service_provider=provider)
    circuit = _due(prefix.peering.circuit, "validate:MicrosoftPeering")
    (peering,) = Simulator.from_settings().observe(circuit, now=NOW).peerings
    assert peering.prefixes == {prefix.prefix: ("AsnValidationFailed", "rejected by test")}


def everything_rejected(peering):
    return {p.prefix: ("AsnValidationFailed", "rejected by test") for p in peering.advertised_prefixes.all()}


def test_bgp_comes_up_on_a_configured_private_peering(provider):
    peering = PeeringFactory(circuit__service_provider=provider)
    circuit = _due(peering.circuit, "bgp:AzurePrivatePeering")
    (seen,) = Simulator().observe(circuit, now=NOW).peerings
    assert seen.bgp == {"primary": "Established", "secondary": "Established"}


def test_microsoft_bgp_waits_for_configured_prefixes(provider):
    peering = PeeringFactory(circuit__service_provider=provider, microsoft=True)
    AdvertisedPrefixFactory(peering=peering, validation_state="ValidationNeeded")
    assert Simulator().observe(peering.circuit, now=NOW).plan == ("", None)


def test_a_connecting_vnet_link_connects(provider):
    link = VNetLinkFactory(circuit__service_provider=provider)
    circuit = _due(link.circuit, f"link:{link.name}")
    assert Simulator().observe(circuit, now=NOW).vnet_links == {link.name: "Connected"}


def test_by_default_the_routing_registry_validator_judges_the_prefixes(provider, settings):
    settings.ONRAMP_PREFIX_VALIDATOR, settings.ONRAMP_SIMULATOR_PREFIX_OUTCOME = "", "registry"
    prefix = AdvertisedPrefixFactory(peering__circuit__service_provider=provider)
    circuit = _due(prefix.peering.circuit, "validate:MicrosoftPeering")
    (peering,) = Simulator.from_settings().observe(circuit, now=NOW).peerings
    state, reason = peering.prefixes[prefix.prefix]
    assert state == "ValidationNeeded"  # the registry holds no route object for it
    assert "route object" in reason


def test_a_fixed_outcome_can_replace_the_registry(provider, settings):
    settings.ONRAMP_PREFIX_VALIDATOR, settings.ONRAMP_SIMULATOR_PREFIX_OUTCOME = "", "Configured"
    prefix = AdvertisedPrefixFactory(peering__circuit__service_provider=provider)
    circuit = _due(prefix.peering.circuit, "validate:MicrosoftPeering")
    (peering,) = Simulator.from_settings().observe(circuit, now=NOW).peerings
    assert peering.prefixes[prefix.prefix][0] == "Configured"


def test_prefixes_already_decided_are_left_alone(provider):
    waiting = AdvertisedPrefixFactory(peering__circuit__service_provider=provider)
    decided = AdvertisedPrefixFactory(peering=waiting.peering, validation_state="Configured")
    circuit = _due(waiting.peering.circuit, "validate:MicrosoftPeering")
    simulator = Simulator(prefix_validator=outcome_validator("ValidationNeeded"))
    (peering,) = simulator.observe(circuit, now=NOW).peerings
    assert set(peering.prefixes) == {waiting.prefix} != {decided.prefix}
