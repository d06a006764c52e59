"""BGP sessions and advertised prefixes: each change audited on the peering's circuit; a Microsoft
peering's BGP comes up only once its prefixes are Configured."""

import pytest

from core.actors import AZURE, SIMULATOR
from peerings import services
from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory

pytestmark = pytest.mark.django_db


NOT_PROVISIONED_STATES = ("NotProvisioned", "Provisioning", "Deprovisioning", "DeProvisioned")
PREFIXES_STATES = ("NotConfigured", "Configuring", "Configured", "ValidationNeeded")
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


def test_a_new_reason_for_the_same_prefix_state_bumps_the_circuits_version_without_an_event():
    prefix = AdvertisedPrefixFactory(validation_state="ValidationNeeded", reason="no route object")
    circuit = prefix.peering.circuit
    version = type(circuit).objects.get(pk=circuit.pk).version
    services.prefix_set_validation_state(prefix=prefix, to="ValidationNeeded", actor=AZURE, reason="origin differs")
    prefix.refresh_from_db()
    assert prefix.reason == "origin differs"
    assert type(circuit).objects.get(pk=circuit.pk).version > version
    assert not circuit.audit_events.filter(field="validation_state").exists()


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
