"""Settings for `manage.py bench`: production settings over plain HTTP on 127.0.0.1, plus the floor
view (devtools.urls_bench) and a middleware reporting server time and SQL query count per response."""

import os

os.environ.setdefault("ONRAMP_SECRET_KEY", "bench-secret-key-" + "x" * 50)
os.environ.setdefault("ONRAMP_HTTPS", "0")
# The bench host runs no mail server: e-mails are rendered and handed to a backend that drops them,
# instead of failing to connect and being retried into the next measurement.
os.environ.setdefault("ONRAMP_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

from config.settings import *  # noqa: F403

ROOT_URLCONF = "devtools.urls_bench"
MIDDLEWARE = ["devtools.bench.timing.ServerTimingMiddleware", *MIDDLEWARE]  # noqa: F405
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
