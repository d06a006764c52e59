import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from billing.services import prices_import


class Command(BaseCommand):
    help = (
        "Refresh the port price table from Azure Retail Prices API responses saved as JSON, e.g. "
        "https://prices.azure.com/api/retail/prices?$filter=serviceName eq 'ExpressRoute' (one file per page)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", type=Path)

    def handle(self, *args, files, **options):
        pages = [(path, self._items(path)) for path in files]
        for path, items in pages:
            result = prices_import(items=items, source=f"Azure Retail Prices API ({path.name})")
            self.stdout.write(
                f"{path}: {result.created} added, {result.updated} updated, {result.unchanged} unchanged, "
                f"{len(result.skipped)} skipped."
            )
            for reason in result.skipped:
                self.stdout.write(f"  skipped: {reason}")

    def _items(self, path):
        try:
            page = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path} is not JSON ({error}); save the API's response body as is.") from error
        items = page.get("Items") if isinstance(page, dict) else None
        if not isinstance(items, list):
            raise CommandError(f'{path} has no "Items" list: it is not a Retail Prices API response.')
        return items
