"""What reading the session costs a request, per session engine (docs/PERFORMANCE.md, "Sessions"):
the `sessions` section of `manage.py bench`.

Each round is what one request does with a signed-in session: build the store from the cookie's
value and load it. Run after `manage.py migrate`; the rows it makes are deleted."""

import statistics
import time
from importlib import import_module

ENGINES = ("signed_cookies", "db", "cached_db")
ROUNDS = 2000


def load_microseconds(engine, rounds=ROUNDS):
    store_class = import_module(f"django.contrib.sessions.backends.{engine}").SessionStore
    session = store_class()
    session.update({"_auth_user_id": "1", "_auth_user_backend": "accounts.backends.OnrampBackend"})
    session["_auth_user_hash"] = "0" * 64
    session.save()
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        store_class(session_key=session.session_key).load()
        timings.append((time.perf_counter() - started) * 1e6)
    session.delete()
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95)]


def sessions_figures(rounds=ROUNDS) -> dict:
    """{engine: {"median_us": …, "p95_us": …}}"""
    figures = {}
    for engine in ENGINES:
        median, p95 = load_microseconds(engine, rounds)
        figures[engine] = {"median_us": median, "p95_us": p95}
    return figures
