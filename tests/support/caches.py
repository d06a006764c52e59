"""A cache shared like production's: Redis (this xdist worker's ONRAMP_TEST_REDIS_URL), under a key prefix of its own
per test, so tests neither see nor clear each other's keys."""

import uuid

import pytest

from tests.support.processes import REDIS_URL

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": REDIS_CACHE,
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "TIMEOUT": 60,
        }
    }
