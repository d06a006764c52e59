"""circuit_upgrade: bandwidth and SKU in one transaction, both or neither."""

from circuits import services
from tests.circuits.factories import CircuitFactory


def test_an_upgrade_changes_bandwidth_and_sku_with_one_event_per_field(audited, engineer_actor):
    circuit = CircuitFactory(bandwidth_mbps=1000, sku_tier="Standard", sku_family="MeteredData")

    updated, events = audited(
        services.circuit_upgrade,
        circuit=circuit,
        sku_tier="Premium",
        sku_family="UnlimitedData",
        bandwidth_mbps=10000,
        actor=engineer_actor,
        reason="more traffic",
        events=3,
    )

    assert (updated.bandwidth_mbps, updated.sku_tier, updated.sku_family) == (10000, "Premium", "UnlimitedData")
    assert [event.field for event in events] == ["bandwidth_mbps", "sku_family", "sku_tier"]
    assert {event.reason for event in events} == {"more traffic"}


def test_an_upgrade_to_what_the_circuit_has_writes_nothing(audited, engineer_actor):
    circuit = CircuitFactory(bandwidth_mbps=1000, sku_tier="Standard", sku_family="MeteredData")

    result, _ = audited(
        services.circuit_upgrade,
        circuit=circuit,
        sku_tier="Standard",
        sku_family="MeteredData",
        bandwidth_mbps=1000,
        actor=engineer_actor,
        events=0,
    )

    assert result is None


def test_a_refused_sku_change_rolls_back_the_bandwidth_change(refused, engineer_actor):
    circuit = CircuitFactory(bandwidth_mbps=1000, sku_tier="Standard", sku_family="UnlimitedData")

    error = refused(
        services.circuit_upgrade,
        circuit=circuit,
        sku_tier="Standard",
        sku_family="MeteredData",
        bandwidth_mbps=10000,
        actor=engineer_actor,
    )

    assert error.field == "sku_family"
