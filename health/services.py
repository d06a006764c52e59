"""Writes for health: the heartbeats of the background components."""

from django.utils import timezone

from notifications.models import Heartbeat  # the model stays in notifications: no model moves


def heartbeat_record(*, name: str, detail: str = "") -> None:
    """Record that a background component ran just now (one row per component, upserted)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now(), "detail": detail[:200]})
