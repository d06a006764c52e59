"""A real Redis broker and real `celery worker --beat` processes against the test database
(the processes themselves: tests/support/processes.py)."""

import pytest
import redis

from tests.support.processes import REDIS_URL, Workers


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
def workers(broker, tmp_path, transactional_db):
    started = Workers(broker, tmp_path)
    yield started
    started.stop_all()
