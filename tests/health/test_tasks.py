"""The heartbeat task, under its name and the one it had in notifications, and beat's tick."""

import pytest
from celery import current_app

from health import signals, tasks
from notifications.models import Heartbeat
from outbox.models import OutboxMessage
from outbox.services import outbox_publish

pytestmark = pytest.mark.django_db


def test_the_heartbeat_task_is_named_health_heartbeat():
    assert tasks.heartbeat.name == "health.heartbeat" == tasks.HEARTBEAT_TASK


def test_a_heartbeat_records_the_worker():
    tasks.heartbeat()
    assert Heartbeat.objects.get(name="worker").detail


def test_a_message_queued_under_the_old_name_is_published_and_runs():
    assert current_app.tasks["notifications.heartbeat"].name == tasks.heartbeat_under_its_old_name.name
    message = OutboxMessage.objects.create(task="notifications.heartbeat")
    assert outbox_publish(ids=[message.pk]) == 1  # eager in tests: it runs as it is published
    assert Heartbeat.objects.filter(name="worker").exists()


def test_publishing_the_heartbeat_is_beats_tick_and_nothing_else_is():
    signals._beat_ticked(sender="circuits.sweep")
    assert not Heartbeat.objects.filter(name="beat").exists()
    signals._beat_ticked(sender=tasks.HEARTBEAT_TASK)
    assert Heartbeat.objects.filter(name="beat").exists()
