"""Real processes as fixtures, for every suite that needs them (registered in tests/conftest.py):
the test Redis as a broker (and publishing to it), `celery worker --beat` processes, and a throwaway
`redis-server`."""

import shutil

import pytest
import redis
from celery import current_app

from outbox.services import _drop_broker_connection as drop_broker_connection
from tests.support.processes import REDIS_URL, RedisServer, Workers, stop


@pytest.fixture
def broker():
    """The test Redis database, emptied before and after."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not answering at {REDIS_URL} (ONRAMP_TEST_REDIS_URL); ./scripts/test starts it.")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


@pytest.fixture
def publishing(broker):
    """This process (and its live server) publishes queued work to the test Redis instead of running
    it eagerly: a real worker runs it."""
    saved = current_app.conf.task_always_eager, current_app.conf.broker_url
    current_app.conf.task_always_eager, current_app.conf.broker_url = False, broker
    drop_broker_connection()  # a connection an earlier test left cached in this thread goes to its broker
    yield broker
    current_app.conf.task_always_eager, current_app.conf.broker_url = saved
    drop_broker_connection()


@pytest.fixture
def workers(broker, tmp_path, transactional_db):
    started = Workers(broker, tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed; ./scripts/test installs it.")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    stop(server.process)


@pytest.fixture
def start_workers(tmp_path):
    """`celery worker --beat` processes (tests.integration's) on a broker and database of our choice."""
    started = []

    def start(*, broker_url, database_url, **env):
        workers = Workers(broker_url, tmp_path)
        workers.env.update(DATABASE_URL=database_url, ONRAMP_OUTBOX_RELAY_INTERVAL="0.3", **env)
        started.append(workers)
        workers.start()
        return workers

    yield start
    for workers in started:
        workers.stop_all()
