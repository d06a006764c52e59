"""Background work that the unit tests run eagerly, run here for real: queued through the outbox,
relayed by beat to a real Redis, and done by a real worker process."""

import pytest

from audit.models import AuditEvent
from circuits.models import Circuit
from notifications.models import Notification
from outbox.models import OutboxMessage
from peerings.models import AdvertisedPrefix
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import PeeringLocationFactory, ServiceProviderFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.registry.factories import RouteObjectFactory
from tests.support import azure_worker
from tests.support.processes import Workers, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def start_worker(broker, tmp_path):
    """Start one `celery worker --beat` whose beat relays the outbox every 0.3 s."""
    started = []

    def start(*, include=(), **env):
        workers = Workers(broker, tmp_path, include=include)
        workers.env.update(ONRAMP_OUTBOX_RELAY_INTERVAL="0.3", **env)
        started.append(workers)
        workers.start()
        return workers

    yield start
    for workers in started:
        workers.stop_all()


def test_a_revalidation_queued_by_its_old_task_name_is_done_by_the_worker(start_worker):
    peering = PeeringFactory(microsoft=True, peer_asn=13335, routing_registry_name="RADB")
    AdvertisedPrefixFactory(peering=peering, prefix="80.10.5.0/24", validation_state="Configured")
    RouteObjectFactory(prefix="80.10.0.0/16", origin=64500)  # the registry says someone else originates it
    # The name messages already in an outbox carry (the validation app answers to it too).
    OutboxMessage.objects.create(task="registry.tasks.peering_revalidate", args=[peering.pk, "Registry refreshed."])
    workers = start_worker()

    prefix = AdvertisedPrefix.objects.filter(peering=peering)
    wait_for(
        lambda: prefix.get().validation_state == "AsnValidationFailed",
        timeout=60,
        what="the prefix revalidated against the registry",
        logs_of=workers,
    )
    (event,) = AuditEvent.objects.filter(circuit=peering.circuit, field="validation_state")
    assert (event.from_value, event.to_value, event.actor_kind) == ("Configured", "AsnValidationFailed", "system")
    assert "AS13335" in event.reason


def test_an_e_mail_that_fails_is_retried_by_the_worker_and_sent_once(start_worker, tmp_path):
    mail = tmp_path / "mail"
    mail.mkdir()
    user = UserFactory(username="eng", email="eng@example.net", role="engineer", team=TeamFactory())
    notification = Notification.objects.create(user=user, kind="test", title="Circuit provisioned")
    OutboxMessage.objects.create(task="notifications.send_email", args=[notification.pk])
    workers = start_worker(
        ONRAMP_EMAIL_BACKEND="tests.support.mail.FailOnceBackend",
        ONRAMP_TEST_MAIL_DIR=str(mail),
        ONRAMP_EMAIL_RETRY_BASE_DELAY="1",
    )

    attempts = Notification.objects.filter(pk=notification.pk).values_list("email_attempts", flat=True)
    wait_for(lambda: attempts.get() == 1, timeout=60, what="the first attempt recorded", logs_of=workers)
    notification.refresh_from_db()
    assert notification.email_status == "pending" and (mail / "failed-once").exists()
    assert "Connection refused" in notification.email_error
    # The task retries itself after its backoff (1 s here, 30 s by default), in the worker. It records
    # the sending after the mail is out: wait for the record, not the file, or a busy machine reads
    # the notification between the two.
    statuses = Notification.objects.filter(pk=notification.pk).values_list("email_status", flat=True)
    wait_for(lambda: statuses.get() == "sent", timeout=90, what="the retry to send the e-mail", logs_of=workers)
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts, notification.email_error) == ("sent", 2, "")
    (sent,) = mail.glob("sent-*")
    assert "Subject: [Onramp] Circuit provisioned" in sent.read_text()


def test_the_azure_sync_run_by_the_worker_adds_the_circuits_azure_lists(start_worker):
    team = TeamFactory(name="Cloud Networking")
    # The catalog entries the migrations seed (a flush by an earlier test may have removed them).
    frankfurt = PeeringLocationFactory(name="Frankfurt", zone="Zone 1", azure_region="germanywestcentral")
    ServiceProviderFactory(name="Equinix", peering_locations=[frankfurt])
    OutboxMessage.objects.create(task="circuits.azure_sync")
    workers = start_worker(include=[azure_worker.__name__], ONRAMP_AZURE_TEAM=team.name)

    wait_for(lambda: Circuit.objects.count() == 2, timeout=60, what="the listed circuits imported", logs_of=workers)
    assert set(Circuit.objects.values_list("name", "team__name")) == {
        ("er-fra-prod", team.name),
        ("er-fra-dr", team.name),
    }
    assert OutboxMessage.objects.get(task="circuits.azure_sync").sent_at is not None
