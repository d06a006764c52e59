import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from billing.services import accruals_complete
from billing.verify import accrual_differences


class Command(BaseCommand):
    help = (
        "Compare the billing page's figures from the stored accrual runs with the direct computation from "
        "the price table and each circuit's history; exit 1 with every difference listed when they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=lambda text: timezone.datetime.fromisoformat(text).date())
        parser.add_argument(
            "--no-refresh",
            action="store_true",
            help="Compare the runs and totals as stored, without the nightly task's refresh first.",
        )

    def handle(self, *args, as_of=None, no_refresh=False, **options):
        as_of = as_of or timezone.localdate()
        if not no_refresh:
            self.stdout.write(f"Refreshed the runs of {accruals_complete()} stale circuits.")
        differences = accrual_differences(as_of=as_of)
        for difference in differences:
            self.stdout.write(
                f"{difference.subject} {difference.field}: direct {difference.direct}, stored {difference.stored}"
            )
        if differences:
            self.stderr.write(f"{len(differences)} figures differ as of {as_of}.")
            sys.exit(1)
        self.stdout.write(f"Stored accruals equal the direct computation as of {as_of}.")
