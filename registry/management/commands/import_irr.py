from django.core.management.base import BaseCommand

from registry.management.commands._reporting import add_refusal_arguments, import_reporting
from registry.services import irr_import


class Command(BaseCommand):
    help = (
        "Import route/route6 objects from RPSL dumps (RADB, RIPE, ARIN, ... ; plain or gzip), replacing "
        "everything previously imported for the same source. Malformed objects are reported by line and "
        "skipped; a file that is not a dump, holds no route object or too many malformed ones is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="RPSL dump files, e.g. radb.db.gz ripe.db.route.gz")
        parser.add_argument("--source", required=True, help="Registry name: RADB, RIPE (Azure's RIPENCC), ARIN, ...")
        add_refusal_arguments(parser)

    def handle(self, *args, files, source, allow_empty, max_malformed, **options):
        record = import_reporting(
            self,
            irr_import,
            paths=files,
            source=source,
            on_note=self.stderr.write,
            allow_empty=allow_empty,
            max_malformed=max_malformed,
        )
        reformatted = f" ({record.reformatted} prefixes normalised as irrd does)" if record.reformatted else ""
        self.stdout.write(
            f"{record.source}: {record.imported} route objects imported{reformatted}, {record.skipped} objects of "
            f"other classes skipped, {record.malformed} malformed."
        )
