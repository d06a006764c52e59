"""The worker's heartbeat: beat sends it every ONRAMP_HEARTBEAT_INTERVAL seconds, a worker records it."""

import socket

from celery import shared_task

from .services import heartbeat_record

HEARTBEAT_TASK = "health.heartbeat"


@shared_task(name=HEARTBEAT_TASK)
def heartbeat() -> None:
    heartbeat_record(name="worker", detail=socket.gethostname())


@shared_task(name="notifications.heartbeat")
def heartbeat_under_its_old_name() -> None:
    """The name the task had in notifications, kept so messages already queued under it still run."""
    heartbeat()
