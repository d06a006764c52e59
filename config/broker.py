"""The embedded demo's broker: Kombu's SQLAlchemy transport on a SQLite file of its own.

Kombu's filesystem transport, the demo's former broker, lets a worker read a message file before
its publisher has finished writing it: the worker dies of a JSONDecodeError (an open Kombu issue;
tests/integration/test_broker_stress.py shows it). In SQLite a message is a row, visible to readers
only once its insert has committed, and Kombu takes it under SQLite's write lock.

A broker URL `sqlite:///<path>` selects it: config.celery registers the scheme with Kombu, as
Kombu documents for third-party transports.
"""

import os
from functools import partial

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport import sqlalchemy as kombu_sqlalchemy
from sqlalchemy import create_engine, event

# Wait for the write lock (the web server, beat and worker share the file) instead of failing at
# once; WAL lets readers go on meanwhile and survives in the file once set.
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=20000", "PRAGMA synchronous=NORMAL")


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


class Channel(kombu_sqlalchemy.Channel):
    def _engine_from_config(self):
        # Kombu hands every transport option to create_engine, which refuses the ones meant for
        # the channel (polling_interval) or for Redis (the outbox's socket timeouts): none is passed.
        engine = create_engine(self.connection.client.hostname)
        event.listen(engine, "connect", _sqlite_pragmas)
        # A worker's forked children must open their own SQLite handles, not share the parent's.
        os.register_at_fork(after_in_child=partial(engine.dispose, close=False))
        return engine


class Transport(kombu_sqlalchemy.Transport):
    Channel = Channel


def register():
    TRANSPORT_ALIASES.setdefault("sqlite", f"{__name__}:Transport")
