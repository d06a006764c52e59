from django.core.management.base import BaseCommand

from registry.management.commands._reporting import add_refusal_arguments, import_reporting
from registry.services import roas_import


class Command(BaseCommand):
    help = (
        "Import RPKI validated ROA payloads (Routinator csv, csvcompat, csvext, json, jsonext; rpki-client "
        "JSON or CSV; plain or gzip), replacing the previous set. A file that is not such an export, holds "
        "no ROA or too many malformed ones is refused and the previous set kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="e.g. vrps.json or routinator.csv")
        add_refusal_arguments(parser)

    def handle(self, *args, files, allow_empty, max_malformed, **options):
        record = import_reporting(self, roas_import, paths=files, allow_empty=allow_empty, max_malformed=max_malformed)
        self.stdout.write(f"{record.imported} ROAs imported, {record.malformed} malformed.")
