"""Cached answers that stay true until what they were read from is written: stamps.

A stamp is a random token in the cache naming one thing that can change (a circuit, who may read
what). A reader takes the stamps of what it is about to read *before* it reads the database, and
stores its answer with them; a writer forgets those stamps once its transaction has committed. An
answer is used only while every stamp it was stored with is still current, so an answer read before
a write (even a read racing with the write) is never used after the write.

Only a cache every process shares (Redis, ONRAMP_CACHE_URL) can carry stamps: with a per-process
cache another process's write would go unseen, so there every lookup misses. A cache that fails is
treated as empty, and answers expire, which bounds what a write made while the cache was unreachable
can leave behind.
"""

import logging
import secrets
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

_local = threading.local()  # the stamps this thread's transaction forgets when it commits

logger = logging.getLogger(__name__)

PROCESS_LOCAL_BACKENDS = frozenset(
    {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"}
)


def cache_is_shared() -> bool:
    """Whether every process (web workers, Celery workers) reads and writes the same cache."""
    return settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL_BACKENDS


def stamps_take(keys) -> tuple | None:
    """The current stamp of each key, made where there is none; None when stamps cannot be used."""
    if not cache_is_shared():
        return None
    try:
        found = cache.get_many(keys)
        for key in set(keys) - found.keys():
            # add() loses to a concurrent reader's stamp: then that one is current.
            token = secrets.token_hex(8)
            found[key] = token if cache.add(key, token, timeout=None) else cache.get(key)
    except Exception:  # any cache failure: answer from the database
        logger.warning("stamps: cache unavailable", exc_info=True)
        return None
    stamps = tuple(found[key] for key in keys)
    return None if None in stamps else stamps  # a writer forgot one meanwhile: store nothing


def stamped_get(key, stamp_keys):
    """The answer stored under `key`, if every stamp it was stored with is still current; else None."""
    if not cache_is_shared():
        return None
    try:
        found = cache.get_many([key, *stamp_keys])
    except Exception:
        logger.warning("stamps: cache unavailable", exc_info=True)
        return None
    if key not in found:
        return None
    stamps, answer = found[key]
    current = tuple(found.get(stamp_key) for stamp_key in stamp_keys)
    return answer if None not in current and current == stamps else None


def stamped_set(key, answer, stamps, *, timeout):
    """Store `answer` with the stamps taken before it was read (nothing when they were not taken)."""
    if stamps is None:
        return
    try:
        cache.set(key, (stamps, answer), timeout)
    except Exception:
        logger.warning("stamps: cache unavailable", exc_info=True)


def stamps_forget(keys):
    """Make every answer stored with these stamps stale, once the current transaction commits.

    A sweep chunk writes each changing circuit several times: the keys of a transaction are
    gathered and its first on_commit callback deletes them all in one round trip (the later ones
    find none). Keys left by a rolled-back transaction go with the next one: forgetting a stamp
    too often only costs a re-render."""
    if not cache_is_shared():
        return
    _pending().update(keys)
    transaction.on_commit(_forget_pending)


def _pending() -> set:
    if not hasattr(_local, "keys"):
        _local.keys = set()
    return _local.keys


def _forget_pending():
    keys, _local.keys = list(_pending()), set()
    if not keys:
        return
    try:
        cache.delete_many(keys)
    except Exception:  # answers expire: see the module's docstring
        logger.warning("stamps: could not forget %s", keys[:5], exc_info=True)
