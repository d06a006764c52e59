"""Celery beat's schedule file, kept in `dbm.dumb`.

Beat's default PersistentScheduler opens its file with `shelve`, whose default on Python 3.13 is
`dbm.sqlite3` in WAL mode; there beat died with `dbm.sqlite3.error: locking protocol` under a
worker's embedded beat (seen in CI), and with it the outbox relay. `dbm.dumb` is plain files,
written by the one beat process, which is all a schedule needs; a corrupt file is still removed
and rebuilt by PersistentScheduler."""

import dbm.dumb
import shelve

from celery.beat import PersistentScheduler


class _DumbShelve:
    @staticmethod
    def open(filename, writeback=False):
        return shelve.Shelf(dbm.dumb.open(filename, "c"), writeback=writeback)


class DumbDbmScheduler(PersistentScheduler):
    persistence = _DumbShelve
