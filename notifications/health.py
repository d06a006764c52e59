"""Is Onramp's background work alive? Database, broker, beat's last tick, the workers' heartbeat.

Beat records a tick when it starts and each time it sends the heartbeat task; a worker records its
heartbeat when it starts and each time it runs that task. /healthz reports all four; pages show a
banner when either heartbeat is older than ONRAMP_BACKGROUND_LATE_AFTER seconds.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import current_app
from celery.signals import beat_init, before_task_publish, worker_ready
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from outbox.selectors import outbox_backlog

from .models import Heartbeat
from .services import heartbeat_record

HEARTBEAT_TASK = "notifications.heartbeat"
BROKER_TIMEOUT_SECONDS = 2


@dataclass
class BackgroundState:
    beat_at: datetime | None
    worker_at: datetime | None

    @property
    def last_run(self):
        times = [t for t in (self.beat_at, self.worker_at) if t]
        return min(times) if len(times) == 2 else None

    @property
    def is_late(self):
        late_before = timezone.now() - timedelta(seconds=settings.ONRAMP_BACKGROUND_LATE_AFTER)
        return self.last_run is None or self.last_run < late_before


def background_state() -> BackgroundState:
    beats = dict(Heartbeat.objects.values_list("name", "at"))
    return BackgroundState(beat_at=beats.get("beat"), worker_at=beats.get("worker"))


def _age(moment):
    return None if moment is None else round((timezone.now() - moment).total_seconds(), 1)


def database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"error: {error}".strip()[:300]
    return "ok"


def broker_check() -> str:
    app = current_app  # the project's app, loaded with Django (config/__init__.py)
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as error:  # any transport failure means "broker down", reported not raised
        return f"error: {error}"[:300]
    return "ok"


def health_report() -> tuple[int, dict]:
    """(HTTP status, body): 503 only when the database is down; the rest is reported."""
    database = database_check()
    report = {"database": database, "broker": broker_check()}
    if database != "ok":
        return 503, {"status": "error", **report, "beat": None, "worker": None, "outbox": None}
    state = background_state()
    report["beat"] = {"last_tick": state.beat_at, "age_seconds": _age(state.beat_at)}
    report["worker"] = {"last_heartbeat": state.worker_at, "age_seconds": _age(state.worker_at)}
    report["outbox"] = outbox = outbox_backlog()  # tasks queued while the broker was down
    outbox_late = (outbox["oldest_age_seconds"] or 0) > settings.ONRAMP_BACKGROUND_LATE_AFTER
    healthy = report["broker"] == "ok" and not state.is_late and not outbox_late
    return 200, {"status": "ok" if healthy else "degraded", **report}


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
