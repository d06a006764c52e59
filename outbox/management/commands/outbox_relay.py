from django.core.management.base import BaseCommand

from outbox.beat import relay_forever
from outbox.services import outbox_relay


class Command(BaseCommand):
    help = "Publish the background tasks still pending in the outbox (queued while the broker was down)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, metavar="SECONDS", help="keep relaying every SECONDS seconds")

    def handle(self, *args, loop=None, **options):
        if loop:
            relay_forever(interval=loop)
        delivered = outbox_relay()
        self.stdout.write(f"{delivered} outbox messages published.")
