import pytest
from django.core.cache import cache

from tests.circuits.factories import CircuitFactory

from .factories import client_with_token


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The per-token request budget lives in the cache: each test starts with a full one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(engineer):
    """An API client holding the engineer's token (the engineer is a member of `team`)."""
    return client_with_token(engineer)


@pytest.fixture
def approver_api(approver):
    return client_with_token(approver)


@pytest.fixture
def circuit(team):
    return CircuitFactory(team=team, provisioned=True)
