"""Is Onramp's background work alive? Database, broker, cache, beat's last tick, the workers' heartbeat.

/healthz reports them all; pages show a banner when either heartbeat is older than
ONRAMP_BACKGROUND_LATE_AFTER seconds. A check of a component that is down must fail fast, not
hang the monitor asking: each one connects once (no retries) with a short timeout.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from notifications.models import Heartbeat  # the model stays in notifications: no model moves
from outbox.selectors import outbox_backlog

CHECK_TIMEOUT_SECONDS = 0.5
BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": CHECK_TIMEOUT_SECONDS,
    "socket_timeout": CHECK_TIMEOUT_SECONDS,
}
NO_RETRY = Retry(NoBackoff(), retries=0)
REDIS_CACHE_BACKEND = "django.core.cache.backends.redis.RedisCache"


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


def _error(error: Exception) -> str:
    return f"error: {error}".strip()[:300]


def database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return _error(error)
    return "ok"


def broker_check() -> str:
    app = current_app  # the project's app, loaded with Django (config/__init__.py)
    try:
        with app.connection_for_write(
            connect_timeout=CHECK_TIMEOUT_SECONDS, transport_options=BROKER_TRANSPORT_OPTIONS
        ) as broker:
            broker.ensure_connection(max_retries=0, timeout=CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # any transport failure means "broker down", reported not raised
        return _error(error)
    return "ok"


def cache_check() -> str:
    """The shared Redis cache (sessions, throttles), when one is configured; else "none"."""
    cache = settings.CACHES["default"]
    if cache["BACKEND"] != REDIS_CACHE_BACKEND:
        return "none"  # a per-process cache cannot be down
    client = redis.Redis.from_url(
        cache["LOCATION"],
        socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        socket_timeout=CHECK_TIMEOUT_SECONDS,
        retry=NO_RETRY,
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return _error(error)
    finally:
        client.close()
    return "ok"


def health_report() -> tuple[int, dict]:
    """(HTTP status, body): 503 only when the database is down; the rest is reported."""
    database = database_check()
    report = {"database": database, "broker": broker_check(), "cache": cache_check()}
    if database != "ok":
        return 503, {"status": "error", **report, "beat": None, "worker": None, "outbox": None}
    state = background_state()
    report["beat"] = {"last_tick": state.beat_at, "age_seconds": _age(state.beat_at)}
    report["worker"] = {"last_heartbeat": state.worker_at, "age_seconds": _age(state.worker_at)}
    report["outbox"] = outbox = outbox_backlog()  # tasks queued while the broker was down
    outbox_late = (outbox["oldest_age_seconds"] or 0) > settings.ONRAMP_BACKGROUND_LATE_AFTER
    reachable = report["broker"] == "ok" and report["cache"] in ("ok", "none")
    healthy = reachable and not state.is_late and not outbox_late
    return 200, {"status": "ok" if healthy else "degraded", **report}
