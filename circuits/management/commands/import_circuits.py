"""python manage.py import_circuits FILE... [--team NAME]: circuits from az CLI or REST JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Team
from circuits.sources.arm import RecordError, parse_circuit, records_in
from circuits.sources.importer import ImportRecordError, circuits_import
from core.actors import IMPORTER


def _record_label(index, raw):
    name = raw.get("name") if isinstance(raw, dict) else None
    return f"record {index + 1}" + (f" ({name})" if name else "")


def read_records(path):
    """Parse every record of one file, or raise CommandError naming the file and the record."""
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
    records = []
    for index, raw in enumerate(raws):
        try:
            records.append(parse_circuit(raw))
        except RecordError as error:
            raise CommandError(
                f"{path}: {_record_label(index, raw)}: {error}. Nothing from this file was saved."
            ) from error
    return records


class Command(BaseCommand):
    help = (
        "Import ExpressRoute circuits from the JSON `az network express-route list/show -o json` prints, "
        "or the REST form. Matches existing circuits by resource id, then service key; re-importing "
        "changes nothing. Each file is all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--team", help="Owner team of circuits not known yet.")

    def handle(self, *args, files, team=None, **options):
        owner = None
        if team:
            if not team.isprintable():  # e.g. bytes that are not UTF-8, which no team name holds
                raise CommandError(f"No team named {team!r}: that is not a name.")
            owner = Team.objects.filter(name=team).first()
            if owner is None:
                raise CommandError(
                    f"No team named {team!r}; teams: {', '.join(Team.objects.values_list('name', flat=True))}."
                )
        failed = []
        for path in files:
            try:
                records = read_records(path)
                result = circuits_import(records=records, actor=IMPORTER, team=owner)
            except ImportRecordError as error:
                failed.append(f"{path}: {error.message} Nothing from this file was saved.")
                continue
            except CommandError as error:
                failed.append(str(error))
                continue
            for warning in result.warnings:
                self.stderr.write(f"{path}: warning: {warning}")
            self.stdout.write(
                f"{path}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
            )
        if failed:
            raise CommandError("\n".join(failed))
