from django.core.management.base import BaseCommand

from registry.management.commands._reporting import import_reporting
from registry.services import irr_import


class Command(BaseCommand):
    help = (
        "Import route/route6 objects from RPSL dumps (plain or gzip), replacing everything previously "
        "imported for the same source. Malformed objects are reported by line and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="RPSL dump files, e.g. radb.db.gz ripe.db.route.gz")
        parser.add_argument("--source", required=True, help="Registry name: RADB, RIPE (Azure's RIPENCC), ARIN, ...")

    def handle(self, *args, files, source, **options):
        record = import_reporting(self, irr_import, paths=files, source=source)
        self.stdout.write(
            f"{record.source}: {record.imported} route objects imported, {record.skipped} objects of other "
            f"classes skipped, {record.malformed} malformed."
        )
