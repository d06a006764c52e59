"""Every allowed and refused change of peerings, BGP sessions and advertised prefixes (tickets: tests/validation).

Allowed changes write their audit events on the peering's circuit (BGP sessions and prefixes have
no circuit of their own); refused ones raise DomainError and leave the database unchanged.
"""

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
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory

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


# BGP sessions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefixes_state", PREFIXES_STATES)
def test_microsoft_peering_bgp_is_established_only_when_prefixes_are_configured(audited, refused, prefixes_state):
    peering = PeeringFactory(microsoft=True, advertised_public_prefixes_state=prefixes_state)
    session = peering.bgp_sessions.get(link="primary")

    if prefixes_state == "Configured":
        updated, event = audited(services.bgp_session_set_state, session=session, to="Established", actor=AZURE)
        assert updated.state == "Established"
        assert (event.circuit_id, event.from_value, event.to_value) == (peering.circuit_id, "Idle", "Established")
    else:
        refused(services.bgp_session_set_state, session=session, to="Established", actor=AZURE, match="Configured")


@pytest.mark.parametrize("prefixes_state", PREFIXES_STATES)
def test_bgp_states_short_of_established_are_recorded_whatever_the_prefixes(audited, prefixes_state):
    peering = PeeringFactory(microsoft=True, advertised_public_prefixes_state=prefixes_state)

    audited(services.bgp_session_set_state, session=peering.bgp_sessions.first(), to="Active", actor=AZURE)


def test_private_peering_bgp_event_lands_on_the_peerings_circuit(audited):
    CircuitFactory.create_batch(3)  # so a session's own pk cannot pass for the circuit's by luck
    peering = PeeringFactory()
    session = peering.bgp_sessions.get(link="secondary")

    _, event = audited(services.bgp_session_set_state, session=session, to="Established", actor=SIMULATOR)

    assert (event.circuit_id, event.object_id, event.actor_kind) == (peering.circuit_id, session.pk, "simulator")


@pytest.mark.parametrize("state", NOT_PROVISIONED_STATES)
def test_bgp_cannot_come_up_on_a_circuit_that_is_not_provisioned(refused, state):
    peering = PeeringFactory(circuit=CircuitFactory(service_provider_provisioning_state=state))

    refused(services.bgp_session_set_state, session=peering.bgp_sessions.first(), to="Established", actor=AZURE)


def test_bgp_state_reapplied_writes_nothing(audited):
    peering = PeeringFactory(sessions="Established")

    audited(
        services.bgp_session_set_state, session=peering.bgp_sessions.first(), to="Established", actor=AZURE, events=0
    )


# Advertised prefixes ----------------------------------------------------------------------------


def test_prefix_needing_validation_moves_the_peering_to_validation_needed(audited):
    prefix = AdvertisedPrefixFactory()
    peering = prefix.peering

    _, (prefix_event, peering_event) = audited(
        services.prefix_set_validation_state, prefix=prefix, to="ValidationNeeded", actor=AZURE, events=2
    )

    assert (prefix_event.field, prefix_event.circuit_id) == ("validation_state", peering.circuit_id)
    assert (peering_event.field, peering_event.from_value, peering_event.to_value) == (
        "advertised_public_prefixes_state",
        "Configuring",
        "ValidationNeeded",
    )
    assert peering_event.circuit_id == peering.circuit_id


PEERING_STATE_FOR_ONE_PREFIX = {
    "NotConfigured": "Configuring",
    "Configuring": "Configuring",
    "Configured": "Configured",
    **dict.fromkeys(
        [
            "ValidationNeeded",
            "ValidationFailed",
            "ManualValidationNeeded",
            "AsnValidationFailed",
            "CertificateMissingInRoutingRegistry",
            "InvalidSignatureEncoding",
            "SignatureVerificationFailed",
        ],
        "ValidationNeeded",
    ),
}


@pytest.mark.parametrize(("prefix_state", "peering_state"), sorted(PEERING_STATE_FOR_ONE_PREFIX.items()))
def test_peering_prefixes_state_follows_its_prefix(prefix_state, peering_state):
    prefix = AdvertisedPrefixFactory(validation_state="Configuring" if prefix_state != "Configuring" else "Configured")

    services.prefix_set_validation_state(prefix=prefix, to=prefix_state, actor=AZURE, reason="registry says so")

    prefix.refresh_from_db()
    prefix.peering.refresh_from_db()
    assert (prefix.reason, prefix.peering.advertised_public_prefixes_state) == ("registry says so", peering_state)


def test_peering_is_configured_only_when_every_prefix_is(audited):
    first = AdvertisedPrefixFactory()
    second = AdvertisedPrefixFactory(peering=first.peering)

    audited(services.prefix_set_validation_state, prefix=first, to="Configured", actor=AZURE)
    audited(services.prefix_set_validation_state, prefix=second, to="Configured", actor=AZURE, events=2)

    first.peering.refresh_from_db()
    assert first.peering.advertised_public_prefixes_state == "Configured"


def test_prefix_losing_validation_takes_established_bgp_down(audited):
    prefix = AdvertisedPrefixFactory(
        validation_state="Configured",
        peering=PeeringFactory(microsoft=True, advertised_public_prefixes_state="Configured", sessions="Established"),
    )

    _, events = audited(
        services.prefix_set_validation_state, prefix=prefix, to="ValidationNeeded", actor=AZURE, events=4
    )

    assert set(prefix.peering.bgp_sessions.values_list("state", flat=True)) == {"Idle"}
    assert {event.circuit_id for event in events} == {prefix.peering.circuit_id}


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
