"""python manage.py import_circuits FILE... [--team NAME] [--dry-run]: circuits from Azure's JSON."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import ijson
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Team
from core.actors import IMPORTER
from sync.importer import ImportRefused, circuits_import
from sync.sources.arm import (
    CircuitRecord,
    PortRecord,
    RecordError,
    is_port,
    parse_circuit,
    parse_port,
    records_streamed,
)


def _record_label(index, raw):
    name = raw.get("name") if isinstance(raw, dict) else None
    return f"record {index + 1}" + (f" ({name})" if name else "")


@contextmanager
def _read(path):
    """The file's records, streamed (sync.sources.arm.records_streamed), or CommandError naming it."""
    try:
        with open(path, "rb") as handle:
            yield enumerate(records_streamed(handle))
    except OSError as error:
        raise CommandError(f"{path}: cannot read it: {error.strerror}") from error
    except (ijson.JSONError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: not valid JSON: {str(error).splitlines()[0]}") from error
    except RecordError as error:
        raise CommandError(f"{path}: {error}") from error


def read_ports(path) -> list[PortRecord]:
    """A first pass over the file: every record checked, the Direct ports kept (circuits on a port
    need them, wherever they sit in the file), no circuit held. CommandError names every bad record."""
    ports, errors = [], []
    with _read(path) as records:
        for index, raw in records:
            try:
                if is_port(raw):
                    ports.append(parse_port(raw))
                else:
                    parse_circuit(raw)
            except RecordError as error:
                errors.append(f"{path}: {_record_label(index, raw)}: {error}.")
    if errors:
        raise CommandError("\n".join([*errors, f"{path}: nothing from this file was saved."]))
    return ports


def circuit_records(path) -> Iterator[CircuitRecord]:
    """The second pass: the file's circuits one at a time, so memory stays flat whatever its size."""
    with _read(path) as records:
        for _, raw in records:
            if not is_port(raw):
                yield parse_circuit(raw)


@contextmanager
def _refusals_reported_once():
    """The sources log each refused change; here the command reports them, once, per record."""
    polling_log = logging.getLogger("sync.polling")
    level = polling_log.level
    polling_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        polling_log.setLevel(level)


class Command(BaseCommand):
    help = (
        "Import ExpressRoute circuits (and the ExpressRoute Direct ports they run on) from the JSON "
        "`az network express-route list/show -o json` prints, the REST form or the SDK's. A circuit is "
        "its resource id; re-importing changes nothing. Each file is all or nothing: records that cannot "
        "be applied are listed with the reason and the command fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--team", help="Owner team of circuits not known yet.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what the import would change, per circuit; save nothing."
        )

    def handle(self, *args, files, team=None, dry_run=False, **options):
        owner = self._team(team)
        failed = []
        with _refusals_reported_once():
            for path in files:
                try:
                    ports = read_ports(path)
                    result = circuits_import(
                        records=circuit_records(path), ports=ports, actor=IMPORTER, team=owner, dry_run=dry_run
                    )
                except ImportRefused as refused:
                    failed += [f"{path}: {line}" for line in refused.result.refused]
                    failed.append(f"{path}: nothing from this file was saved.")
                    continue
                except CommandError as error:
                    failed.append(str(error))
                    continue
                self._report(path, result, dry_run)
                failed += [f"{path}: refused: {line}" for line in result.refused]
        if failed:
            raise CommandError("\n".join(failed))

    def _team(self, name):
        if not name:
            return None
        if not name.isprintable():  # e.g. bytes that are not UTF-8, which no team name holds
            raise CommandError(f"No team named {name!r}: that is not a name.")
        owner = Team.objects.filter(name=name).first()
        if owner is None:
            raise CommandError(
                f"No team named {name!r}; teams: {', '.join(Team.objects.values_list('name', flat=True))}."
            )
        return owner

    def _report(self, path, result, dry_run):
        if dry_run:
            for circuit, lines in result.changes.items():
                self.stdout.write(f"{circuit}:")
                for line in lines:
                    self.stdout.write(f"  {line}")
        summary = f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"
        if result.deleted:
            summary += f", {result.deleted} deleted"
        self.stdout.write(f"{path}: {summary}" + (" (dry run: nothing saved)" if dry_run else ""))
