from django.core.management.base import BaseCommand

from registry.management.commands._reporting import import_reporting
from registry.services import roas_import


class Command(BaseCommand):
    help = (
        "Import RPKI validated ROA payloads (rpki-client/Routinator JSON or Routinator CSV, plain or gzip), "
        "replacing the previous set."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="e.g. vrps.json or routinator.csv")

    def handle(self, *args, files, **options):
        record = import_reporting(self, roas_import, paths=files)
        self.stdout.write(f"{record.imported} ROAs imported, {record.malformed} malformed.")
