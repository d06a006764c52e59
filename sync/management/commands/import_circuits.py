"""python manage.py import_circuits FILE... [--team NAME] [--dry-run]: circuits from Azure's JSON."""

import json
import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Team
from core.actors import IMPORTER
from sync.importer import ImportRefused, circuits_import
from sync.sources.arm import RecordError, is_port, parse_circuit, parse_port, records_in


def _record_label(index, raw):
    name = raw.get("name") if isinstance(raw, dict) else None
    return f"record {index + 1}" + (f" ({name})" if name else "")


def read_records(path):
    """(circuits, Direct ports) of one file, or CommandError naming the file and every bad record."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise CommandError(f"{path}: cannot read it: {error.strerror}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: not valid JSON: {error}") from error
    try:
        raws = records_in(data)
    except RecordError as error:
        raise CommandError(f"{path}: {error}") from error
    circuits, ports, errors = [], [], []
    for index, raw in enumerate(raws):
        try:
            if is_port(raw):
                ports.append(parse_port(raw))
            else:
                circuits.append(parse_circuit(raw))
        except RecordError as error:
            errors.append(f"{path}: {_record_label(index, raw)}: {error}.")
    if errors:
        raise CommandError("\n".join([*errors, f"{path}: nothing from this file was saved."]))
    return circuits, ports


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
                    circuits, ports = read_records(path)
                    result = circuits_import(records=circuits, ports=ports, actor=IMPORTER, team=owner, dry_run=dry_run)
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
