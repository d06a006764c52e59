"""Two approvers deciding one ticket at the same moment, on real PostgreSQL connections."""

import threading
import time
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission
from django.db import connection

from core.actors import Actor
from core.errors import DomainError
from peerings.models import PrefixValidationTicket
from tests.accounts.factories import UserFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from validation import services


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_exactly_one_decision_stands_and_the_other_sees_who():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what is under test: PostgreSQL only")
    # Earlier transactional tests may have flushed the role groups (and even the permissions).
    create_permissions(apps.get_app_config("peerings"), verbosity=0)
    decide = Permission.objects.get(codename="decide_prefixvalidationticket")
    engineer = UserFactory(username="eng")
    peering = PeeringFactory(microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    AdvertisedPrefixFactory(peering=peering, prefix="80.10.5.0/24", validation_state="ValidationNeeded")
    ticket = services.ticket_open(peering=peering, prefixes=["80.10.5.0/24"], note="LOA", actor=Actor.person(engineer))
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    for approver in (alice, bob):
        approver.user_permissions.add(decide)
    start = threading.Barrier(2)
    outcomes = {}
    notify = services._ticket_notify

    def slow_notify(**kwargs):
        notify(**kwargs)
        time.sleep(0.3)  # hold the row lock so the other approver's decision has to wait for it

    def decide(user, service, **kwargs):
        try:
            start.wait()
            service(ticket=PrefixValidationTicket.objects.get(pk=ticket.pk), actor=Actor.person(user), **kwargs)
            outcomes[user.username] = "decided"
        except DomainError as refusal:
            outcomes[user.username] = refusal.message
        finally:
            connection.close()

    with mock.patch.object(services, "_ticket_notify", side_effect=slow_notify):
        threads = [
            threading.Thread(target=decide, args=(alice, services.ticket_approve)),
            threading.Thread(target=decide, args=(bob, services.ticket_reject), kwargs={"reason": "Unsigned LOA."}),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    ticket.refresh_from_db()
    winner = ticket.decided_by.username
    loser = "bob" if winner == "alice" else "alice"
    assert outcomes[winner] == "decided"
    assert f"was already {ticket.status} by {winner}" in outcomes[loser]
    assert ticket.status == ("approved" if winner == "alice" else "rejected")
