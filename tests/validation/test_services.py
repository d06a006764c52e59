"""Prefix validation tickets: opened by an engineer with evidence, decided by another person holding
the decide permission (four eyes); approval configures the prefixes through peerings' services.

Allowed changes write their audit events on the peering's circuit; refused ones raise DomainError
and leave the database unchanged.
"""

import pytest
from django.utils import timezone

from core.actors import SIMULATOR, Actor
from tests.accounts.factories import UserFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory, PrefixValidationTicketFactory
from validation import services

pytestmark = pytest.mark.django_db

PREFIXES_STATES = ("NotConfigured", "Configuring", "Configured", "ValidationNeeded")


@pytest.fixture
def needs_validation(db):
    """A Microsoft peering whose two prefixes failed registry validation."""
    peering = PeeringFactory(microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    AdvertisedPrefixFactory.create_batch(2, peering=peering, validation_state="ValidationNeeded")
    return peering


def open_ticket(peering, actor):
    return services.ticket_open(
        peering=peering, prefixes=list(peering.advertised_prefixes.all()), note="LOA", actor=actor
    )


def test_ticket_opened_by_an_engineer_for_prefixes_needing_validation(audited, engineer_actor, needs_validation):
    ticket, event = audited(
        services.ticket_open,
        peering=needs_validation,
        prefixes=list(needs_validation.advertised_prefixes.all()),
        note="LOA attached",
        actor=engineer_actor,
    )

    assert (ticket.status, ticket.requested_by, ticket.prefixes.count()) == ("open", engineer_actor.user, 2)
    assert (event.field, event.from_value, event.to_value, event.circuit_id) == (
        "status",
        "",
        "open",
        needs_validation.circuit_id,
    )


@pytest.mark.parametrize("prefixes_state", [s for s in PREFIXES_STATES if s != "ValidationNeeded"])
def test_ticket_needs_a_peering_in_validation_needed(refused, engineer_actor, prefixes_state):
    peering = PeeringFactory(microsoft=True, advertised_public_prefixes_state=prefixes_state)
    prefix = AdvertisedPrefixFactory(peering=peering)

    refused(services.ticket_open, peering=peering, prefixes=[prefix], note="", actor=engineer_actor)


def test_ticket_is_refused_for_private_peering(refused, engineer_actor):
    refused(services.ticket_open, peering=PeeringFactory(), prefixes=["80.0.0.0/24"], note="", actor=engineer_actor)


def test_ticket_is_refused_for_a_prefix_already_configured(refused, engineer_actor, needs_validation):
    configured = AdvertisedPrefixFactory(peering=needs_validation, validation_state="Configured")

    refused(
        services.ticket_open,
        peering=needs_validation,
        prefixes=[configured],
        note="",
        actor=engineer_actor,
        match="no ticket needed",
    )


def test_ticket_is_refused_for_a_prefix_not_on_the_peering(refused, engineer_actor, needs_validation):
    refused(services.ticket_open, peering=needs_validation, prefixes=["81.0.0.0/24"], note="", actor=engineer_actor)


def test_second_open_ticket_for_the_same_prefixes_is_refused(refused, engineer_actor, needs_validation):
    open_ticket(needs_validation, engineer_actor)

    refused(open_ticket, peering=needs_validation, actor=engineer_actor, match="already open")


def test_ticket_is_opened_by_a_person_not_a_machine(refused, needs_validation):
    refused(open_ticket, peering=needs_validation, actor=SIMULATOR)


def test_approval_configures_the_prefixes_and_the_peering(audited, engineer_actor, approver, needs_validation):
    ticket = open_ticket(needs_validation, engineer_actor)

    approved, events = audited(services.ticket_approve, ticket=ticket, actor=Actor.person(approver), events=4)

    assert (approved.status, approved.decided_by) == ("approved", approver)
    assert approved.decided_at is not None
    assert [(e.field, e.from_value, e.to_value) for e in events] == [
        ("status", "open", "approved"),
        ("validation_state", "ValidationNeeded", "Configured"),
        ("validation_state", "ValidationNeeded", "Configured"),
        ("advertised_public_prefixes_state", "ValidationNeeded", "Configured"),
    ]
    assert {(e.circuit_id, e.actor_user) for e in events} == {(needs_validation.circuit_id, approver)}


def test_rejection_keeps_the_prefixes_in_validation_needed(audited, engineer_actor, approver, needs_validation):
    ticket = open_ticket(needs_validation, engineer_actor)

    rejected, event = audited(
        services.ticket_reject, ticket=ticket, actor=Actor.person(approver), reason="LOA is for another AS."
    )

    assert (rejected.status, rejected.decision_reason) == ("rejected", "LOA is for another AS.")
    assert (event.from_value, event.to_value, event.actor_user) == ("open", "rejected", approver)
    needs_validation.refresh_from_db()
    assert needs_validation.advertised_public_prefixes_state == "ValidationNeeded"


def test_rejection_needs_a_reason(refused, engineer_actor, approver, needs_validation):
    ticket = open_ticket(needs_validation, engineer_actor)

    refused(services.ticket_reject, ticket=ticket, actor=Actor.person(approver), reason="  ", match="Say why")


@pytest.mark.parametrize("decide", [services.ticket_approve, services.ticket_reject], ids=["approve", "reject"])
def test_four_eyes_the_requester_cannot_decide_their_own_ticket(refused, needs_validation, decide):
    requester = UserFactory(role="approver")
    ticket = open_ticket(needs_validation, Actor.person(requester))

    refused(decide, ticket=ticket, actor=Actor.person(requester), reason="mine", match="four eyes")


@pytest.mark.parametrize("decide", [services.ticket_approve, services.ticket_reject], ids=["approve", "reject"])
def test_engineers_cannot_decide_tickets(refused, engineer_actor, needs_validation, decide):
    ticket = open_ticket(needs_validation, engineer_actor)
    other_engineer = UserFactory(username="eng2", role="engineer")

    refused(decide, ticket=ticket, actor=Actor.person(other_engineer), reason="looks fine")


@pytest.mark.parametrize("decide", [services.ticket_approve, services.ticket_reject], ids=["approve", "reject"])
def test_machines_cannot_decide_tickets(refused, engineer_actor, needs_validation, decide):
    ticket = open_ticket(needs_validation, engineer_actor)

    refused(decide, ticket=ticket, actor=SIMULATOR, reason="auto")


def test_requester_withdraws_their_ticket(audited, engineer_actor, needs_validation):
    ticket = open_ticket(needs_validation, engineer_actor)

    withdrawn, event = audited(services.ticket_withdraw, ticket=ticket, actor=engineer_actor)

    assert withdrawn.status == "withdrawn"
    assert (event.from_value, event.to_value, event.actor_user) == ("open", "withdrawn", engineer_actor.user)


def test_only_the_requester_withdraws(refused, engineer_actor, approver, needs_validation):
    ticket = open_ticket(needs_validation, engineer_actor)

    refused(services.ticket_withdraw, ticket=ticket, actor=Actor.person(approver), match="Only the engineer")


@pytest.mark.parametrize("status", ["approved", "rejected", "withdrawn"])
@pytest.mark.parametrize("action", ["approve", "reject", "withdraw"])
def test_a_decided_ticket_cannot_be_decided_again(refused, approver, status, action):
    ticket = PrefixValidationTicketFactory(status=status, decided_by=approver, decided_at=timezone.now())
    actor = Actor.person(ticket.requested_by if action == "withdraw" else UserFactory(role="approver"))

    error = refused(getattr(services, f"ticket_{action}"), ticket=ticket, actor=actor, reason="again")

    assert error.code == "conflict"
