"""What reading the session costs a request, per session engine (docs/PERFORMANCE.md, "Sessions").

    ONRAMP_DEBUG=1 DATABASE_URL=postgres://... ONRAMP_CACHE_URL=redis://... python -m devtools.bench.sessions

Each round is what one request does with a signed-in session: build the store from the cookie's
value and load it. Run after `manage.py migrate`; the rows it makes are deleted."""

import os
import statistics
import time
from importlib import import_module

import django

ENGINES = ("signed_cookies", "db", "cached_db")
ROUNDS = 2000


def load_microseconds(engine):
    store_class = import_module(f"django.contrib.sessions.backends.{engine}").SessionStore
    session = store_class()
    session.update({"_auth_user_id": "1", "_auth_user_backend": "accounts.backends.OnrampBackend"})
    session["_auth_user_hash"] = "0" * 64
    session.save()
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        store_class(session_key=session.session_key).load()
        timings.append((time.perf_counter() - started) * 1e6)
    session.delete()
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95)]


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(f"{'engine':<16}{'median µs':>12}{'p95 µs':>10}")
    for engine in ENGINES:
        median, p95 = load_microseconds(engine)
        print(f"{engine:<16}{median:>12.0f}{p95:>10.0f}")
