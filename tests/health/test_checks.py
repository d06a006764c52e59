"""Issue 14: with Redis down /healthz answers at once and names what is down.

No timed asserts: the checks are shown to connect once (no retries) with timeouts of at most
CHECK_TIMEOUT_SECONDS, against a Redis URL whose port nothing listens on.
"""

import socket
from unittest import mock

import kombu
import pytest
import redis
from celery import current_app

from health import checks
from tests.support.processes import REDIS_URL

pytestmark = pytest.mark.django_db

REDIS_CACHE = checks.REDIS_CACHE_BACKEND


@pytest.fixture
def closed_redis_url():
    with socket.socket() as probe:  # a port just freed: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def broker_at(closed_redis_url):
    """The project's Celery app, its write connections pointed at the closed port; records their options."""
    opened = []

    class Broker:
        def connection_for_write(self, **options):
            opened.append(options)
            return current_app.connection_for_write(closed_redis_url, **options)

    with mock.patch.object(checks, "current_app", Broker()):
        yield opened


def test_the_check_timeout_is_at_most_half_a_second():
    assert checks.CHECK_TIMEOUT_SECONDS <= 0.5


def test_a_broker_on_a_closed_port_is_reported_down_after_one_short_attempt(broker_at):
    real_ensure = kombu.Connection.ensure_connection
    with mock.patch.object(kombu.Connection, "ensure_connection", autospec=True, side_effect=real_ensure) as ensured:
        assert checks.broker_check().startswith("error: ")
    (options,) = broker_at
    assert options["connect_timeout"] <= checks.CHECK_TIMEOUT_SECONDS
    transport = options["transport_options"]
    assert transport["max_retries"] == 0
    assert max(transport["socket_connect_timeout"], transport["socket_timeout"]) <= checks.CHECK_TIMEOUT_SECONDS
    asked = ensured.call_args.kwargs
    assert ensured.call_count == 1 and asked["max_retries"] == 0 and asked["timeout"] <= checks.CHECK_TIMEOUT_SECONDS


def test_a_cache_on_a_closed_port_is_reported_down_after_one_short_attempt(settings, closed_redis_url):
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": closed_redis_url}}
    with mock.patch.object(redis.Redis, "from_url", wraps=redis.Redis.from_url) as from_url:
        assert checks.cache_check().startswith("error: ")
    ((url,), options) = from_url.call_args
    assert url == closed_redis_url
    assert max(options["socket_connect_timeout"], options["socket_timeout"]) <= checks.CHECK_TIMEOUT_SECONDS
    assert options["retry"].get_retries() == 0


def test_a_per_process_cache_is_reported_as_none_and_never_down(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert checks.cache_check() == "none"


def test_a_reachable_redis_cache_is_ok(settings):
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": REDIS_URL}}
    assert checks.cache_check() == "ok"


def test_with_redis_down_healthz_answers_degraded_and_names_the_broker_and_the_cache(
    client, settings, broker_at, closed_redis_url
):
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": closed_redis_url}}
    response = client.get("/healthz")
    body = response.json()
    assert (response.status_code, body["status"], body["database"]) == (200, "degraded", "ok")
    assert body["broker"].startswith("error: ") and body["cache"].startswith("error: ")
    assert len(broker_at) == 1  # one connection attempt, not a retry loop
