from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from registry.exports import routes_rpsl
from registry.registries import rpsl_source


class Command(BaseCommand):
    help = "Write the imported route objects of one source as an RPSL dump (what import_irr reads back unchanged)."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="Registry name: RADB, RIPE (Azure's RIPENCC), ARIN, ...")

    def handle(self, *args, source, **options):
        try:
            source = rpsl_source(source)
        except DomainError as error:
            raise CommandError(error.message) from error
        for chunk in routes_rpsl(source=source):
            self.stdout.write(chunk, ending="")
