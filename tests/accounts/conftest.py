import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits and "last seen" marks live in the cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def log_in():
    """Log a test client in through the real log-in form (a real session, as a browser gets)."""

    def post(client, user, password="pass-for-tests", headers=None):
        response = client.post("/accounts/login/", {"username": user.username, "password": password}, headers=headers)
        assert response.status_code == 302, response.content
        return client

    return post
