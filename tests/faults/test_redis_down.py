"""Redis down: pages render, actions commit, and the work they queue waits in the outbox until
Redis is back, then is delivered; nothing is lost."""

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.utils import timezone

from billing.models import PortPrice
from core.actors import Actor
from notifications.models import Heartbeat, Notification
from outbox.models import OutboxMessage
from peerings.models import PrefixValidationTicket
from tests.accounts.factories import TeamFactory, UserFactory
from tests.billing.factories import PortPriceFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.support.processes import database_url, wait_for
from validation import services

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def estate():
    """A circuit with a Microsoft peering whose prefix waits for an approver's decision."""
    create_permissions(apps.get_app_config("peerings"), verbosity=0)  # a flush before may have removed them
    team = TeamFactory(name="Network Engineering")
    engineer = UserFactory(username="eng", role="engineer", team=team)
    peering = PeeringFactory(microsoft=True, circuit__team=team, advertised_public_prefixes_state="ValidationNeeded")
    AdvertisedPrefixFactory(peering=peering, prefix="80.10.5.0/24", validation_state="ValidationNeeded")
    ticket = services.ticket_open(peering=peering, prefixes=["80.10.5.0/24"], note="LOA", actor=Actor.person(engineer))
    for name in ("beat", "worker"):
        Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
    if not PortPrice.objects.exists():  # prices as seeded in production (a flush before may have removed them)
        PortPriceFactory()
    return {
        "circuit": peering.circuit,
        "ticket": ticket,
        "engineer": engineer,
        "approver": UserFactory(username="appr", role="approver", team=peering.circuit.team),
        "manager": UserFactory(username="mgr", role="manager", team=peering.circuit.team),
    }


def _pages(estate):
    circuit, ticket = estate["circuit"].pk, estate["ticket"].pk
    return {
        "engineer": [
            "/circuits/",
            f"/circuits/{circuit}/",
            f"/circuits/{circuit}/delete/",
            f"/circuits/{circuit}/order/",
            "/circuits/add/",
            "/notifications/",
            "/notifications/health-banner/",
            f"/approvals/tickets/{ticket}/",
        ],
        "approver": ["/approvals/", f"/approvals/tickets/{ticket}/"],
        "manager": ["/billing/", "/circuits/export.csv"],
    }


def test_with_redis_down_pages_render_actions_commit_and_queued_work_is_delivered_when_it_is_back(
    estate, redis_server, start_web, start_workers
):
    OutboxMessage.objects.all().delete()  # what setting up the estate queued is not under test
    web = start_web(broker_url=redis_server.url, database_url=database_url())
    redis_server.kill()

    for role, paths in _pages(estate).items():
        browser = web.session(estate[role])
        for path in paths:
            response = web.get(browser, path)
            assert response.status_code == 200, f"{role} GET {path}: {response.status_code}\n{web.logs()}"
    health = web.get(web.session(), "/healthz")
    assert health.status_code == 200
    assert (health.json()["status"], health.json()["broker"][:6]) == ("degraded", "error:")

    approver = web.session(estate["approver"])
    response = web.post(approver, f"/approvals/tickets/{estate['ticket'].pk}/approve/", {"reason": "LOA checked"})
    assert response.status_code == 200 and "approved" in response.text, web.logs()
    assert PrefixValidationTicket.objects.get().status == "approved"
    pending = OutboxMessage.objects.filter(sent_at=None)
    assert pending.count() >= 1 and not OutboxMessage.objects.filter(sent_at__isnull=False).exists()
    assert all("Connection refused" in message.last_error for message in pending)
    queued = Notification.objects.filter(email_status="pending")
    assert queued.filter(user=estate["engineer"]).exists()  # the requester is told by e-mail, once Redis is back

    redis_server.start()
    workers = start_workers(broker_url=redis_server.url, database_url=database_url())
    wait_for(
        lambda: not OutboxMessage.objects.filter(sent_at=None).exists() and not queued.exists(),
        timeout=30,
        what="the outbox relayed and the e-mails sent",
        logs_of=workers,
    )
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {2}  # refused once, then delivered
    assert set(Notification.objects.values_list("email_attempts", flat=True)) <= {0, 1}  # each e-mail sent once
