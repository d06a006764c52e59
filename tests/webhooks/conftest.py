import pytest

# Real workers and Redis, from the integration and fault tests: for test_delivery_faults and the latency measure.
from tests.faults.conftest import redis_server, start_workers  # noqa: F401
from tests.integration.conftest import broker, workers  # noqa: F401
from tests.support.webhook_receiver import Receiver

from .factories import SECRET


@pytest.fixture
def receiver():
    started = Receiver(SECRET).start()
    yield started
    started.stop()
