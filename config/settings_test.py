"""pytest settings: the real settings, over plain HTTP, with a fast password hasher."""

import os

os.environ.setdefault("ONRAMP_SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("ONRAMP_HTTPS", "0")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = str(VAR_DIR / "test-media")  # noqa: F405
# Production reads sessions through the Redis cache (cached_db); the tests' single process does the
# same with the local-memory cache, so query counts match production's.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
ONRAMP_WEBHOOK_ALLOW_PRIVATE = ["127.0.0.1/32"]  # the tests' own webhook receiver
ONRAMP_EVENTGRID_SECRET = "test-eventgrid-key"
ONRAMP_METRICS_TOKEN = "test-metrics-token"
