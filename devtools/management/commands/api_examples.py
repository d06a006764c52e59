from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

from devtools.api_examples import EXAMPLES_PATH, examples_text, record_examples


class Command(BaseCommand):
    help = (
        "Play the API tour (devtools/api_tour.py) in a test database of its own and write its requests and "
        "answers to api/examples.json, the schema's examples (docs/API.md, Examples)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Write nothing; fail if api/examples.json differs.")
        parser.add_argument("--keepdb", action="store_true", help="Keep the test database for the next run.")

    def handle(self, *args, check, keepdb, **options):
        # The tour empties the database it runs in: never this one, always a test database of its own.
        settings_dict = connection.settings_dict
        settings_dict.setdefault("TEST", {})["NAME"] = f"test_{settings_dict['NAME']}_api_examples"
        setup_test_environment()  # as the test runner: the test client's host is allowed, mail stays local
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keepdb)
        try:
            examples = record_examples()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=keepdb)
            teardown_test_environment()
        text = examples_text(examples)
        if check:
            if not EXAMPLES_PATH.exists() or EXAMPLES_PATH.read_text() != text:
                raise CommandError(f"{EXAMPLES_PATH} is not what the tour records now: run manage.py api_examples.")
            self.stdout.write("api/examples.json is up to date.")
            return
        EXAMPLES_PATH.write_text(text)
        self.stdout.write(f"{len(examples)} operations recorded in {EXAMPLES_PATH}.")
