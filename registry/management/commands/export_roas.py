from django.core.management.base import BaseCommand

from registry.exports import roas_json


class Command(BaseCommand):
    help = "Write the imported ROAs in Routinator's json format (what import_roas reads back unchanged)."

    def handle(self, *args, **options):
        for chunk in roas_json():
            self.stdout.write(chunk, ending="")
