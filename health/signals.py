"""Beat records a tick when it starts and each time it sends the heartbeat task; a worker records
its heartbeat when it starts (and each time it runs that task, health.tasks)."""

from celery.signals import beat_init, before_task_publish, worker_ready

from .services import heartbeat_record
from .tasks import HEARTBEAT_TASK


@beat_init.connect
def _beat_started(sender=None, **kwargs):
    heartbeat_record(name="beat", detail="beat started")


@before_task_publish.connect
def _beat_ticked(sender=None, **kwargs):
    # Only beat sends the heartbeat task, so its publication is beat's tick.
    if sender == HEARTBEAT_TASK:
        heartbeat_record(name="beat")


@worker_ready.connect
def _worker_started(sender=None, **kwargs):
    heartbeat_record(name="worker", detail="worker started")
