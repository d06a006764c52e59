"""Parts of pages drawn once, then taken from the cache (the circuit list's rows, the circuit page's
live regions: ARCHITECTURE.md, "Live pages").

A fragment is cached under a key of everything it shows: the rows it was drawn from, what of the
viewer it shows, the templates and code that draw it (`drawn_by`), and, when it says how long ago
things happened ("3 days", "for 2 hours"), a time bucket (`time_bucket`). Such keys change with every
write, so old fragments are never looked for again: they only wait to expire. A cache that fails is
read as empty and not written: every fragment is drawn, as if it had never been cached.
"""

import functools
import hashlib
import importlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template

logger = logging.getLogger(__name__)


def drawn_by(templates, modules) -> str:
    """A digest of the templates and modules a cached fragment is drawn by, for its key: a deploy that
    changes them never shows a fragment drawn by the old ones. Read once per process, but on every
    call while DEBUG reloads edited templates."""
    return _sources_digest.__wrapped__(templates, modules) if settings.DEBUG else _sources_digest(templates, modules)


@functools.cache
def _sources_digest(templates, modules) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for name in templates:
        digest.update(get_template(name).template.source.encode())
    for name in modules:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())  # a .pyc where sources are not shipped
    return digest.hexdigest()


def time_bucket(now: int, *, seconds: int, spread: int) -> int:
    """The period of `seconds` that `now` (a Unix time) falls in, for the key of a fragment that says how
    long ago things happened: its relative times are then at most `seconds` old. Each fragment's period
    starts at a second of its own (`spread`, its row's id), so a page's fragments are not all drawn
    again at once."""
    return (now + spread) // seconds


def fragment_key(prefix: str, shown) -> str:
    """The cache key of a fragment showing `shown` (a tuple of plain values: its repr is hashed)."""
    return f"{prefix}:{hashlib.blake2b(repr(shown).encode(), digest_size=12).hexdigest()}"


def fragments_get(keys, *, what: str) -> dict:
    """The fragments found under `keys`; none while the cache fails (`what` names them in the log)."""
    try:
        return cache.get_many(keys)
    except Exception:  # any cache failure: draw every fragment
        logger.warning("%s: cache unavailable", what, exc_info=True)
        return {}


def fragments_set(fragments: dict, *, timeout: int, what: str) -> None:
    try:
        cache.set_many(fragments, timeout)
    except Exception:
        logger.warning("%s: cache unavailable", what, exc_info=True)
