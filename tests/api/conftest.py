import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.circuits.factories import CircuitFactory

from .factories import token_with_key


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The per-token request budget lives in the cache: each test starts with a full one."""
    cache.clear()
    yield
    cache.clear()


def client_with_token(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_with_key(user).key}")
    return client


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


def problem_fields(response):
    """The fields the problem's `errors` name, to assert where a refusal was put."""
    return {error["field"] for error in response.json().get("errors", [])}
