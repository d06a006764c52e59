"""A cache shared like production's: Redis (ONRAMP_TEST_REDIS_URL), under a key prefix of its own
per test, so tests neither see nor clear each other's keys."""

import os
import uuid

import pytest

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": REDIS_CACHE,
            "LOCATION": os.environ["ONRAMP_TEST_REDIS_URL"],
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "TIMEOUT": 60,
        }
    }
