"""python manage.py export_circuits [--team NAME] [--output FILE]: live circuits as ARM JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Team
from sync.sources.export import circuit_to_arm, circuits_for_export


class Command(BaseCommand):
    help = (
        'Write the live circuits as ARM JSON ({"value": [...]}, the REST shape of ExpressRouteCircuits_List), '
        "which import_circuits reads back unchanged. Authorization and BGP keys are never exported."
    )

    def add_arguments(self, parser):
        parser.add_argument("--team", help="Only this team's circuits.")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, team=None, output=None, **options):
        owner = None
        if team:
            owner = Team.objects.filter(name=team).first()
            if owner is None:
                raise CommandError(f"No team named {team!r}.")
        document = json.dumps({"value": [circuit_to_arm(c) for c in circuits_for_export(team=owner)]}, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(document + "\n")
        else:
            self.stdout.write(document)
