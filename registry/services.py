"""Imports of routing data. Each replaces what it supersedes atomically, then re-validation is queued
(by task name, through the outbox)."""

import csv
import itertools
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import ijson
from django.db import connection, transaction

from audit.services import audit_event_record
from core.actors import IMPORTER, Actor
from core.errors import DomainError
from outbox.services import enqueue

from .files import NotRegistryData
from .models import RegistryImport, Roa, RouteObject
from .registries import rpsl_source
from .roas import roa_payloads
from .rpsl import ROUTE_CLASSES, route_from_object, rpsl_dump_lines, rpsl_objects

BATCH_SIZE = 5000
MALFORMED_SAMPLE = 100
# A real dump has a few objects its registry should have refused; a garbled or wrong file has many.
MALFORMED_ALLOWED_MINIMUM = 10
MALFORMED_ALLOWED_PER_MILLE = 10
ROUTE_FIELDS = ("source", "family", "network", "length", "prefix", "origin", "mnt_by")
ROA_FIELDS = ("family", "network", "length", "prefix", "max_length", "asn", "trust_anchor")


@dataclass
class ImportCounts:
    imported: int = 0
    skipped: int = 0
    malformed: int = 0
    reformatted: int = 0
    malformed_sample: list[str] = field(default_factory=list)

    def refuse(self, message: str, on_malformed):
        message = _storable(message)
        self.malformed += 1
        if len(self.malformed_sample) < MALFORMED_SAMPLE:
            self.malformed_sample.append(message)
        if on_malformed:
            on_malformed(message)


def _storable(text: str) -> str:
    """Text quoting a malformed file, made fit for a text column: no NUL, no unpaired surrogate."""
    return text.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode()


def _bulk_load(model, fields, rows):
    """Insert tuples in `fields` order: one streamed COPY on PostgreSQL, batched INSERTs elsewhere."""
    if connection.vendor == "postgresql":
        columns = ", ".join(model._meta.get_field(name).column for name in fields)
        sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    for batch in itertools.batched(rows, BATCH_SIZE):
        model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in batch])


# A file that breaks off or is not what it claims: a truncated gzip, a corrupt stream, JSON that does not parse.
UNREADABLE = (EOFError, zlib.error, ijson.JSONError, UnicodeDecodeError, csv.Error)  # OSError: the command reports it


@contextmanager
def _reading(path):
    """Refuse the whole import (the transaction rolls back) when a file cannot be read to its end."""
    try:
        yield
    except NotRegistryData as error:
        raise DomainError(f"{Path(path).name} {error}; nothing was imported.", field="files") from error
    except UNREADABLE as error:
        raise DomainError(
            f"{Path(path).name} cannot be read to the end ({error}); nothing was imported.", field="files"
        ) from error


def malformed_allowed(records: int) -> int:
    """How many malformed records a file of `records` may hold and still be imported: 10, or 1% when more."""
    return max(MALFORMED_ALLOWED_MINIMUM, records * MALFORMED_ALLOWED_PER_MILLE // 1000)


def _refuse_unless_complete(counts, *, kept: int, what: str, allow_empty: bool, max_malformed: int | None):
    """Never replace a good set with nothing or with the readable part of a bad file: roll the import back."""
    records = counts.imported + counts.malformed
    allowed = malformed_allowed(records) if max_malformed is None else max_malformed
    keeping = f"nothing was imported and the {kept} {what} already there are kept" if kept else "nothing was imported"
    if counts.malformed > allowed:
        raise DomainError(
            f"{counts.malformed} of {records} records are malformed, more than the {allowed} allowed "
            f"(--max-malformed); {keeping}.",
            field="files",
        )
    if not counts.imported and not allow_empty:
        raise DomainError(
            f"the files hold no {what}; {keeping}. If the source really is empty, import it with --allow-empty.",
            field="files",
        )


def _route_rows(paths, source, counts, on_malformed, on_note):
    for path in paths:
        with _reading(path), rpsl_dump_lines(path) as lines:
            # A NUL byte is garbage like any undecodable byte (the text reader replaces those); the database takes none.
            for obj in rpsl_objects(line.replace("\x00", "\ufffd") for line in lines):
                if obj.object_class not in ROUTE_CLASSES and not obj.error:
                    counts.skipped += 1
                    continue
                try:
                    route = route_from_object(obj, source=source)
                except DomainError as error:
                    counts.refuse(f"{Path(path).name}: {error.message}", on_malformed)
                    continue
                counts.imported += 1
                network = route.network
                if route.written != str(network):
                    counts.reformatted += 1
                    if on_note:
                        on_note(f"{Path(path).name}: line {route.line}: {route.written} imported as {network}")
                yield (
                    source,
                    network.version,
                    network.network_address.packed,
                    network.prefixlen,
                    str(network),
                    route.origin,
                    route.mnt_by,
                )


def _roa_rows(paths, counts, on_malformed):
    for path in paths:
        with _reading(path):
            for payload in roa_payloads(path):
                if isinstance(payload, DomainError):
                    counts.refuse(f"{Path(path).name}: {payload.message}", on_malformed)
                    continue
                counts.imported += 1
                network = payload.network
                yield (
                    network.version,
                    network.network_address.packed,
                    network.prefixlen,
                    str(network),
                    payload.max_length,
                    payload.asn,
                    payload.trust_anchor,
                )


def _check_files(paths):
    if not paths:
        raise DomainError("Give at least one file to import.", field="files")
    for path in paths:
        if not Path(path).is_file():
            raise DomainError(f"{path} is not a readable file.", field="files")


def _record(*, kind, source, paths, counts, actor, what):
    record = RegistryImport.objects.create(
        kind=kind,
        source=source,
        files="\n".join(str(path) for path in paths),
        imported=counts.imported,
        skipped=counts.skipped,
        malformed=counts.malformed,
        reformatted=counts.reformatted,
        malformed_sample="\n".join(counts.malformed_sample),
    )
    audit_event_record(
        obj=record,
        field="imported",
        to_value=f"{counts.imported} {what}",
        actor=actor,
        reason=f"{source}: {counts.imported} imported, {counts.skipped} skipped, {counts.malformed} malformed "
        f"from {', '.join(Path(path).name for path in paths)}.",
    )
    # By name: validation (above registry) registers the task and judges peerings against the new data.
    enqueue("validation.revalidate_microsoft_peerings", f"New {source} routing data imported.")
    return record


@transaction.atomic
def irr_import(
    *,
    paths,
    source: str,
    actor: Actor = IMPORTER,
    on_malformed=None,
    on_note=None,
    allow_empty: bool = False,
    max_malformed: int | None = None,
) -> RegistryImport:
    """Replace every route object of `source` with the route/route6 objects in the RPSL dumps `paths`.

    Readers keep seeing the previous data until the transaction commits. Malformed objects are
    counted and reported by line (`on_malformed` receives each message; `on_note` each prefix
    imported in irrd's normal form rather than as written). A file that is not a dump,
    holds no route object (unless `allow_empty`) or more malformed ones than `max_malformed`
    (default: `malformed_allowed`) is refused with DomainError and nothing changes.
    """
    source = rpsl_source(source)
    _check_files(paths)
    counts = ImportCounts()
    kept, _ = RouteObject.objects.filter(source=source).delete()
    _bulk_load(RouteObject, ROUTE_FIELDS, _route_rows(paths, source, counts, on_malformed, on_note))
    _refuse_unless_complete(
        counts, kept=kept, what=f"{source} route objects", allow_empty=allow_empty, max_malformed=max_malformed
    )
    return _record(
        kind=RegistryImport.IRR, source=source, paths=paths, counts=counts, actor=actor, what="route objects"
    )


@transaction.atomic
def roas_import(
    *, paths, actor: Actor = IMPORTER, on_malformed=None, allow_empty: bool = False, max_malformed: int | None = None
) -> RegistryImport:
    """Replace the whole validated ROA payload set with the one in `paths` (JSON or CSV, gzip or plain).

    Refused, leaving the previous set, on the same terms as `irr_import`.
    """
    _check_files(paths)
    counts = ImportCounts()
    kept, _ = Roa.objects.all().delete()
    _bulk_load(Roa, ROA_FIELDS, _roa_rows(paths, counts, on_malformed))
    _refuse_unless_complete(counts, kept=kept, what="ROAs", allow_empty=allow_empty, max_malformed=max_malformed)
    return _record(kind=RegistryImport.RPKI, source="RPKI", paths=paths, counts=counts, actor=actor, what="ROAs")
