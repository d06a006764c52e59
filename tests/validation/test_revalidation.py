"""Prefix and ASN changes on Microsoft peering, and the re-validation they queue."""

from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from circuits.models import Circuit
from core.actors import SYSTEM, Actor
from core.errors import DomainError
from outbox.models import OutboxMessage
from outbox.services import circuit_batch
from peerings import services
from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory, PrefixValidationTicketFactory
from tests.registry.factories import RouteObjectFactory
from validation import tasks
from validation.services import ticket_approve, ticket_open

pytestmark = pytest.mark.django_db


def _microsoft_peering():
    peering = PeeringFactory(
        microsoft=True, peer_asn=13335, routing_registry_name="RADB", advertised_public_prefixes_state="Configured"
    )
    AdvertisedPrefixFactory(peering=peering, prefix="80.10.5.0/24", validation_state="Configured")
    return peering


@pytest.fixture
def peering():
    return _microsoft_peering()


def update(peering, actor, *prefixes, customer_asn=None, registry="RADB"):
    return services.peering_update_prefixes(
        peering=peering,
        actor=actor,
        advertised_public_prefixes=prefixes,
        customer_asn=customer_asn,
        routing_registry_name=registry,
    )


def test_changing_prefixes_adds_and_removes_rows_and_is_audited(peering, engineer_actor, audited):
    peering, event = audited(
        services.peering_update_prefixes,
        events=2,
        peering=peering,
        actor=engineer_actor,
        advertised_public_prefixes=["80.10.6.0/24"],
        routing_registry_name="RADB",
    )
    assert list(peering.advertised_prefixes.values_list("prefix", "validation_state")) == [
        ("80.10.6.0/24", "Configuring")
    ]
    assert [e.field for e in event] == ["advertised_public_prefixes", "advertised_public_prefixes_state"]


def test_a_change_the_peerings_state_does_not_show_still_bumps_the_circuits_version(peering, engineer_actor):
    # Still ValidationNeeded after the change, but the checklist names the new prefix and registry.
    peering.advertised_prefixes.update(validation_state="ValidationNeeded")
    services.peering_refresh_prefixes_state(peering=peering, actor=SYSTEM)
    version = Circuit.objects.get(pk=peering.circuit_id).version
    peering = update(peering, engineer_actor, "80.10.5.0/24", "80.10.6.0/24", registry="RIPENCC")
    assert peering.advertised_public_prefixes_state == "ValidationNeeded"
    assert Circuit.objects.get(pk=peering.circuit_id).version == version + 1


def test_resubmitting_the_same_prefixes_bumps_nothing(peering, engineer_actor):
    version = Circuit.objects.get(pk=peering.circuit_id).version
    update(peering, engineer_actor, "80.10.5.0/24")
    assert Circuit.objects.get(pk=peering.circuit_id).version == version


def test_a_change_queues_revalidation_after_commit(peering, engineer_actor, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.revalidate_peerings, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        update(peering, engineer_actor, "80.10.5.0/24", customer_asn=3356)
    queued.assert_called_once()
    reason = "The peering's prefixes, ASN or registry changed."
    assert queued.call_args.args == ([], {"peering_ids": [peering.pk], "reason": reason})
    assert OutboxMessage.objects.get().task == "validation.revalidate_peerings"  # by name: peerings imports no task


def test_revalidation_after_an_asn_change_judges_against_the_new_asn(peering, engineer_actor):
    RouteObjectFactory(prefix="80.10.0.0/16", origin=13335)
    update(peering, engineer_actor, "80.10.5.0/24", customer_asn=3356)
    tasks.revalidate_peering(peering.pk)
    prefix = peering.advertised_prefixes.get()
    assert prefix.validation_state == "AsnValidationFailed" and "not AS3356" in prefix.reason


def test_a_prefix_under_an_open_ticket_cannot_be_removed(peering, engineer_actor, refused):
    ticket = PrefixValidationTicketFactory(peering=peering)
    ticket.prefixes.set(peering.advertised_prefixes.all())
    refused(
        services.peering_update_prefixes,
        match="withdraw it first",
        peering=peering,
        actor=engineer_actor,
        advertised_public_prefixes=["80.10.6.0/24"],
        routing_registry_name="RADB",
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"advertised_public_prefixes": ["10.0.0.0/24"]}, "advertised_public_prefixes"),
        ({"routing_registry_name": "NONE"}, "routing_registry_name"),
        ({"customer_asn": 65515}, "customer_asn"),
    ],
)
def test_bad_changes_are_refused_next_to_the_field(peering, engineer_actor, refused, kwargs, field):
    values = {"advertised_public_prefixes": ["80.10.5.0/24"], "routing_registry_name": "RADB", **kwargs}
    assert refused(services.peering_update_prefixes, peering=peering, actor=engineer_actor, **values).field == field


def test_private_peering_has_no_prefixes_to_change(engineer_actor):
    with pytest.raises(DomainError, match="Only Microsoft peering"):
        update(PeeringFactory(), engineer_actor, "80.10.5.0/24")


def test_an_import_revalidates_every_microsoft_peering(peering):
    peering.advertised_prefixes.update(validation_state="Configuring")
    RouteObjectFactory(prefix="80.10.0.0/16")
    tasks.revalidate_microsoft_peerings("New RADB data.")
    peering.refresh_from_db()
    assert peering.advertised_public_prefixes_state == "Configured"


def test_approving_a_ticket_lets_bgp_come_up(peering, approver, engineer):
    peering.advertised_prefixes.update(validation_state="ValidationNeeded")
    services.peering_refresh_prefixes_state(peering=peering, actor=SYSTEM)
    ticket = ticket_open(peering=peering, prefixes=["80.10.5.0/24"], note="LOA", actor=Actor.person(engineer))
    session = peering.bgp_sessions.first()
    with pytest.raises(DomainError, match="only when its prefixes are Configured"):
        services.bgp_session_set_state(session=session, to="Established", actor=SYSTEM)
    ticket_approve(ticket=ticket, actor=Actor.person(approver))
    assert services.bgp_session_set_state(session=session, to="Established", actor=SYSTEM).is_established


def test_a_new_microsoft_peering_is_validated_after_commit(engineer_actor, django_capture_on_commit_callbacks):
    RouteObjectFactory(prefix="80.10.0.0/16", source="RIPE")
    circuit = CircuitFactory(provisioned=True)
    with django_capture_on_commit_callbacks(execute=True):
        peering = services.peering_configure(
            circuit=circuit,
            actor=engineer_actor,
            peering_type="MicrosoftPeering",
            peer_asn=13335,
            primary_peer_address_prefix="80.1.1.0/30",
            secondary_peer_address_prefix="80.1.1.4/30",
            vlan_id=300,
            advertised_public_prefixes=["80.10.5.0/24"],
            routing_registry_name="RIPENCC",
        )
    peering.refresh_from_db()
    assert peering.advertised_public_prefixes_state == "Configured"


def test_a_sweep_chunks_new_peerings_are_validated_by_one_task(engineer_actor, django_capture_on_commit_callbacks):
    first, second = _microsoft_peering(), _microsoft_peering()
    with (
        mock.patch.object(tasks.revalidate_peerings, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
        circuit_batch(),
    ):
        for peering in (first, second):
            update(peering, engineer_actor, "80.10.5.0/24", customer_asn=3356)
    queued.assert_called_once()
    assert sorted(queued.call_args.args[1]["peering_ids"]) == sorted([first.pk, second.pk])


def test_revalidating_many_peerings_judges_each_and_skips_deleted_circuits(engineer_actor):
    RouteObjectFactory(prefix="80.10.0.0/16", origin=13335)
    judged, gone = _microsoft_peering(), _microsoft_peering()
    for peering in (judged, gone):
        update(peering, engineer_actor, "80.10.5.0/24", customer_asn=3356)
    Circuit.objects.filter(pk=gone.circuit_id).update(deleted_at=timezone.now())
    tasks.revalidate_peerings([judged.pk, gone.pk])
    assert judged.advertised_prefixes.get().validation_state == "AsnValidationFailed"
    assert gone.advertised_prefixes.get().validation_state != "AsnValidationFailed"
