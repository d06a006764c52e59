import pytest

from tests.support.webhook_receiver import Receiver

from .factories import SECRET


@pytest.fixture
def receiver():
    started = Receiver(SECRET).start()
    yield started
    started.stop()
