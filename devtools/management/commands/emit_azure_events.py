import time

import requests
from django.core.management.base import BaseCommand
from django.utils import timezone

from devtools.azure_events import due_changes, write_success_event


class Command(BaseCommand):
    help = "Post the Event Grid events Azure would publish as simulated changes come due (to /hooks/azure/)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/hooks/azure/")
        parser.add_argument("--key", required=True, help="ONRAMP_EVENTGRID_SECRET of the server posted to")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between two looks for due changes")

    def handle(self, *args, url, key, interval, **options):
        seen_until = timezone.now()
        while True:
            now = timezone.now()
            circuits = due_changes(after=seen_until, until=now)
            seen_until = now
            if circuits:
                events = [write_success_event(circuit, at=circuit.simulator_step_due_at) for circuit in circuits]
                response = requests.post(url, json=events, headers={"X-Onramp-Event-Key": key}, timeout=10)
                self.stdout.write(f"{len(events)} events: {response.status_code} {response.text[:200]}")
            time.sleep(interval)
