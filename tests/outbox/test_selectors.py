from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Heartbeat
from outbox.models import OutboxMessage
from outbox.selectors import outbox_backlog

pytestmark = pytest.mark.django_db


def test_the_backlog_counts_pending_messages_and_the_oldest_wait():
    assert outbox_backlog() == {"pending": 0, "oldest_age_seconds": None}
    OutboxMessage.objects.create(task="t", sent_at=timezone.now())
    pending = OutboxMessage.objects.create(task="t")
    OutboxMessage.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(seconds=90))
    backlog = outbox_backlog()
    assert backlog["pending"] == 1 and 89 < backlog["oldest_age_seconds"] < 100


def test_healthz_shows_the_backlog_and_is_degraded_when_it_waits_too_long(client, settings):
    for name in ("beat", "worker"):
        Heartbeat.objects.create(name=name, at=timezone.now())
    pending = OutboxMessage.objects.create(task="t")
    assert client.get("/healthz").json()["outbox"]["pending"] == 1
    OutboxMessage.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.ONRAMP_BACKGROUND_LATE_AFTER + 1)
    )
    body = client.get("/healthz").json()
    assert body["status"] == "degraded" and body["outbox"]["pending"] == 1
