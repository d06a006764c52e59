"""Configuring a peering: allowed for whom and when, its fields refused next to the field, and what the
database refuses on its own (tickets: tests/validation)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.actors import AZURE, SIMULATOR
from core.errors import DomainError
from peerings import services
from peerings.models import Peering
from registry.choices import RoutingRegistryChoices
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory
from tests.peerings.factories import PeeringFactory

pytestmark = pytest.mark.django_db


NOT_PROVISIONED_STATES = ("NotProvisioned", "Provisioning", "Deprovisioning", "DeProvisioned")
PREFIXES_STATES = ("NotConfigured", "Configuring", "Configured", "ValidationNeeded")
PUBLIC_ASN = 3320
PRIVATE_ASN = 65010


def private_fields(**overrides):
    return {
        "peering_type": "AzurePrivatePeering",
        "peer_asn": PRIVATE_ASN,
        "primary_peer_address_prefix": "192.168.100.128/30",
        "secondary_peer_address_prefix": "192.168.100.132/30",
        "vlan_id": 100,
        **overrides,
    }


def microsoft_fields(**overrides):
    return {
        "peering_type": "MicrosoftPeering",
        "peer_asn": PUBLIC_ASN,
        "primary_peer_address_prefix": "80.1.1.0/30",
        "secondary_peer_address_prefix": "80.1.1.4/30",
        "vlan_id": 200,
        "advertised_public_prefixes": ["80.1.16.0/22", "80.1.20.0/24"],
        "routing_registry_name": "RIPENCC",
        **overrides,
    }


@pytest.fixture
def layer2_circuit(db):
    return CircuitFactory(provisioned=True)


@pytest.fixture
def layer3_circuit(db):
    return CircuitFactory(provisioned=True, service_provider=ServiceProviderFactory(layer="Layer3"))


# Configuring a peering --------------------------------------------------------------------------


def test_layer2_engineer_configures_private_peering_once_provisioned(audited, engineer_actor, layer2_circuit):
    peering, event = audited(
        services.peering_configure, circuit=layer2_circuit, actor=engineer_actor, **private_fields()
    )

    assert (peering.configured_by, peering.advertised_public_prefixes_state) == ("user", "NotConfigured")
    assert sorted(peering.bgp_sessions.values_list("link", "state")) == [("primary", "Idle"), ("secondary", "Idle")]
    assert (event.circuit_id, event.field, event.to_value, event.actor_user) == (
        layer2_circuit.pk,
        "configured",
        "AzurePrivatePeering",
        engineer_actor.user,
    )


@pytest.mark.parametrize("state", NOT_PROVISIONED_STATES)
@pytest.mark.parametrize("fields", [private_fields, microsoft_fields], ids=["private", "microsoft"])
def test_layer2_peering_is_refused_until_the_circuit_is_provisioned(refused, engineer_actor, state, fields):
    circuit = CircuitFactory(service_provider_provisioning_state=state)

    refused(services.peering_configure, circuit=circuit, actor=engineer_actor, match="not Provisioned", **fields())


def test_peering_is_refused_while_microsofts_status_is_not_enabled(refused, engineer_actor):
    circuit = CircuitFactory(provisioned=True, circuit_provisioning_state="Disabled")

    refused(services.peering_configure, circuit=circuit, actor=engineer_actor, **private_fields())


def test_layer3_peering_is_refused_for_people_even_when_provisioned(refused, engineer_actor, layer3_circuit):
    refused(
        services.peering_configure,
        circuit=layer3_circuit,
        actor=engineer_actor,
        match="Layer 3 provider",
        **private_fields(),
    )


@pytest.mark.parametrize("source", [SIMULATOR, AZURE], ids=["provider-simulator", "azure"])
def test_layer3_peering_is_recorded_when_a_source_reports_it(audited, layer3_circuit, source):
    peering, event = audited(services.peering_configure, circuit=layer3_circuit, actor=source, **private_fields())

    assert peering.configured_by == source.kind
    assert (event.actor_kind, event.circuit_id) == (source.kind, layer3_circuit.pk)


def test_layer3_peering_from_the_provider_still_needs_a_provisioned_circuit(refused):
    circuit = CircuitFactory(
        service_provider=ServiceProviderFactory(layer="Layer3"), service_provider_provisioning_state="Provisioning"
    )

    refused(services.peering_configure, circuit=circuit, actor=SIMULATOR, **private_fields())


def test_peering_on_a_deleted_circuit_is_refused(refused, engineer_actor):
    circuit = CircuitFactory(created_at=timezone.now() - timedelta(days=3), deleted_at=timezone.now())

    refused(services.peering_configure, circuit=circuit, actor=engineer_actor, **private_fields())


def test_second_peering_of_the_same_type_is_refused(refused, engineer_actor, layer2_circuit):
    services.peering_configure(circuit=layer2_circuit, actor=engineer_actor, **private_fields())

    error = refused(
        services.peering_configure, circuit=layer2_circuit, actor=engineer_actor, **private_fields(vlan_id=101)
    )

    assert error.field == "peering_type"


def test_vlan_id_is_unique_among_the_peerings_of_a_circuit(refused, engineer_actor, layer2_circuit):
    services.peering_configure(circuit=layer2_circuit, actor=engineer_actor, **private_fields(vlan_id=300))

    error = refused(
        services.peering_configure, circuit=layer2_circuit, actor=engineer_actor, **microsoft_fields(vlan_id=300)
    )

    assert error.field == "vlan_id"


def test_same_vlan_id_on_another_circuit_is_fine(engineer_actor, layer2_circuit):
    services.peering_configure(circuit=layer2_circuit, actor=engineer_actor, **private_fields(vlan_id=300))

    services.peering_configure(circuit=CircuitFactory(provisioned=True), actor=engineer_actor, **private_fields())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"peering_type": "AzurePublicPeering"}, "peering_type"),
        ({"peer_asn": 65517}, "peer_asn"),
        ({"peer_asn": 12076}, "peer_asn"),
        ({"vlan_id": 4095}, "vlan_id"),
        ({"shared_key": "k" * 26}, "shared_key"),
        ({"primary_peer_address_prefix": "192.168.100.128/29"}, "primary_peer_address_prefix"),
        ({"secondary_peer_address_prefix": "192.168.100.128/30"}, "secondary_peer_address_prefix"),
        ({"ipv6_primary_peer_address_prefix": "2001:db8::/126"}, "ipv6_secondary_peer_address_prefix"),
    ],
)
def test_private_peering_fields_are_validated(refused, engineer_actor, layer2_circuit, overrides, field):
    error = refused(
        services.peering_configure, circuit=layer2_circuit, actor=engineer_actor, **private_fields(**overrides)
    )

    assert error.field == field


def test_md5_key_is_stored_only_as_a_digest(engineer_actor, layer2_circuit):
    peering = services.peering_configure(
        circuit=layer2_circuit, actor=engineer_actor, **private_fields(shared_key="s3cret-md5")
    )

    assert peering.has_shared_key
    assert "s3cret-md5" not in str(Peering.objects.filter(pk=peering.pk).values().get())


def test_microsoft_peering_with_a_public_asn_waits_for_registry_validation(engineer_actor, layer2_circuit):
    peering = services.peering_configure(circuit=layer2_circuit, actor=engineer_actor, **microsoft_fields())

    assert peering.advertised_public_prefixes_state == "Configuring"
    assert set(peering.advertised_prefixes.values_list("validation_state", flat=True)) == {"Configuring"}


@pytest.mark.parametrize(
    "asns", [{"peer_asn": PRIVATE_ASN}, {"customer_asn": 4200000000}], ids=["private-peer-asn", "private-customer-asn"]
)
def test_microsoft_peering_with_a_private_asn_needs_manual_validation(engineer_actor, layer2_circuit, asns):
    peering = services.peering_configure(circuit=layer2_circuit, actor=engineer_actor, **microsoft_fields(**asns))

    assert peering.advertised_public_prefixes_state == "ValidationNeeded"
    assert set(peering.advertised_prefixes.values_list("validation_state", flat=True)) == {"ManualValidationNeeded"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"primary_peer_address_prefix": "10.0.0.0/30"}, "primary_peer_address_prefix"),
        ({"secondary_peer_address_prefix": "100.64.0.4/30"}, "secondary_peer_address_prefix"),
        ({"ipv6_primary_peer_address_prefix": "fd00::/126", "ipv6_secondary_peer_address_prefix": "fd00::4/126"}, None),
        ({"advertised_public_prefixes": ["192.168.0.0/24"]}, "advertised_public_prefixes"),
        ({"advertised_public_prefixes": []}, "advertised_public_prefixes"),
        ({"customer_asn": 65535}, "customer_asn"),
        ({"routing_registry_name": ""}, "routing_registry_name"),
    ],
)
def test_microsoft_peering_fields_are_validated(refused, engineer_actor, layer2_circuit, overrides, field):
    error = refused(
        services.peering_configure, circuit=layer2_circuit, actor=engineer_actor, **microsoft_fields(**overrides)
    )

    assert error.field == (field or "ipv6_primary_peer_address_prefix")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=12).filter(lambda name: name not in RoutingRegistryChoices.values()))
def test_microsoft_peering_refuses_any_routing_registry_but_azures_eight(engineer_actor, layer2_circuit, name):
    with pytest.raises(DomainError) as refusal:
        services.peering_configure(
            circuit=layer2_circuit, actor=engineer_actor, **microsoft_fields(routing_registry_name=name)
        )

    assert refusal.value.field == "routing_registry_name"


@pytest.mark.parametrize("name", RoutingRegistryChoices.values())
def test_microsoft_peering_accepts_each_of_azures_routing_registries(engineer_actor, layer2_circuit, name):
    peering = services.peering_configure(
        circuit=layer2_circuit, actor=engineer_actor, **microsoft_fields(routing_registry_name=name)
    )

    assert peering.routing_registry_name == name


# What the database enforces on its own ----------------------------------------------------------


def test_database_refuses_a_vlan_id_used_twice_on_a_circuit():
    peering = PeeringFactory(vlan_id=100)

    with pytest.raises(IntegrityError):
        PeeringFactory(circuit=peering.circuit, microsoft=True, vlan_id=100)


def test_database_refuses_a_second_peering_of_the_same_type():
    peering = PeeringFactory(vlan_id=100)

    with pytest.raises(IntegrityError):
        PeeringFactory(circuit=peering.circuit, vlan_id=101)


@pytest.mark.parametrize(("field", "value"), [("vlan_id", 0), ("vlan_id", 4095), ("peer_asn", 0), ("peer_asn", 2**32)])
def test_database_refuses_vlan_ids_and_asns_out_of_range(field, value):
    peering = PeeringFactory()

    with pytest.raises(IntegrityError):
        Peering.objects.filter(pk=peering.pk).update(**{field: value})


def test_route_filter_attach_and_detach_are_each_audited(audited, engineer_actor):
    peering = PeeringFactory(microsoft=True, route_filter="")

    peering, event = audited(
        services.peering_set_route_filter, peering=peering, route_filter="rf-m365", actor=engineer_actor
    )
    assert (event.field, event.from_value, event.to_value) == ("route_filter", "", "rf-m365")
    peering, event = audited(services.peering_set_route_filter, peering=peering, route_filter="", actor=engineer_actor)
    assert peering.route_filter == ""


def test_route_filter_on_private_peering_is_refused(refused, engineer_actor):
    peering = PeeringFactory()
    error = refused(services.peering_set_route_filter, peering=peering, route_filter="rf", actor=engineer_actor)
    assert error.field == "route_filter"


def test_a_reported_peering_provisioning_state_is_recorded_as_reported():
    peering = PeeringFactory(provisioning_state="Succeeded")
    services.peering_record_provisioning_state(peering=peering, to="Updating", actor=AZURE)
    peering.refresh_from_db()
    assert peering.provisioning_state == "Updating"
    event = peering.circuit.audit_events.get(field="provisioning_state", to_value="Updating")
    assert (event.from_value, event.actor_kind, event.reason) == ("Succeeded", "azure", f"Reported by {AZURE}.")


def test_peerings_configured_together_are_each_refused_by_peering_configures_rules():
    circuit = CircuitFactory()
    deleted = CircuitFactory(created_at=timezone.now() - timedelta(days=30), deleted_at=timezone.now())
    PeeringFactory(circuit=circuit, peering_type="MicrosoftPeering", vlan_id=300)

    made = services.peerings_configure_observed(
        actor=AZURE,
        peerings=[
            {"circuit": circuit, **private_fields()},
            {"circuit": circuit, **private_fields(vlan_id=101)},  # a second private peering
            {"circuit": circuit, **private_fields(peering_type="AzurePublicPeering", vlan_id=300)},
            {"circuit": deleted, **private_fields()},
        ],
    )

    configured, second, vlan_taken, on_deleted = made
    assert isinstance(configured, Peering) and configured.pk
    assert [session.link for session in configured.observed_bgp_sessions] == ["primary", "secondary"]
    assert "already has AzurePrivatePeering" in second.message
    assert "VLAN ID is already used" in vlan_taken.message
    assert on_deleted.message == "This circuit was deleted."
    assert circuit.peerings.count() == 2
    assert list(circuit.audit_events.values_list("field", "to_value")) == [("configured", "AzurePrivatePeering")]


def test_only_machine_sources_configure_peerings_together():
    with pytest.raises(ValueError, match="people"):
        services.peerings_configure_observed(
            actor=SIMULATOR, peerings=[{"circuit": CircuitFactory(), **private_fields()}]
        )
