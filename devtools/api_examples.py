"""Real examples for the OpenAPI schema: a scripted tour of the API, recorded.

`record_examples()` empties the database it runs in (sequences restarted, so ids repeat from run
to run), seeds what a fresh install has (role groups, the provider catalog, list prices) plus
three people with API tokens, then plays `devtools.api_tour.tour` with DRF's test client at a
frozen, stepped clock. Every request and its answer is recorded under its operation
("POST /api/circuits/{id}/orders/"); `manage.py api_examples` writes them to api/examples.json,
which api.schema attaches to the schema. Only what would churn from run to run is replaced:
random keys Azure or Onramp issue (service keys, authorization keys) by fixed stand-ins of the
same shape. See docs/API.md, "Examples".
"""

import json
import logging
import tempfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import time_machine
from celery import current_app
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.models import Team
from accounts.roles import APPROVER, ENGINEER, MANAGER, sync_role_groups
from api.services import api_token_create
from webhooks import transport

EXAMPLES_PATH = Path(settings.BASE_DIR) / "api" / "examples.json"
STARTS_AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EACH_REQUEST_TAKES = timedelta(seconds=20)
# What a fresh install has: the data migrations that seed rows (their functions, run again after the flush).
INSTALL_SEEDS = (("circuits.migrations.0002_catalog", "seed_catalog"), ("billing.migrations.0002_list_prices", "seed"))
PEOPLE = {"engineer": ENGINEER, "approver": APPROVER, "manager": MANAGER}
TEAM = "Network Engineering"
# The tour's webhook receiver, with no network: its host is taken as public and every POST answered so.
RECEIVER_ANSWERS = transport.Outcome(succeeded=True, status_code=204, latency_ms=87)


class TourError(AssertionError):
    """A tour step got another answer than it expects: the tour, or the API, changed."""


class Tour:
    """Plays requests as the seeded people and records each (request, answer) under its operation.

    `tour.post("/api/circuits/{id}/orders/", "An order placed", id=7, body={...}, expect=201)`: the
    path is the schema's path template (filled from the keyword ids), the text names the example in
    the schema, `expect` is the status the step must get; `by` is who asks (the engineer unless
    "approver", "manager" or "nobody", without a token).
    """

    def __init__(self, clock, clients):
        self.clock = clock
        self.clients = clients
        self.examples = defaultdict(list)
        self.stand_ins = {}

    def request(self, method, template, summary, *, expect, by="engineer", body=None, query=None, headers=None, **ids):
        path = template.format(**ids) + (f"?{urlencode(query)}" if query else "")
        call = getattr(self.clients[by], method.lower())
        response = call(path, body, format="json", headers=headers or {})
        if response.status_code != expect:
            raise TourError(f"{method} {path} as {by}: {response.status_code}, expected {expect}: {response.content!r}")
        operation = f"{method} {template}"
        if any(example["summary"] == summary for example in self.examples[operation]):
            raise TourError(f"{operation} has two examples named {summary!r}: name each differently.")
        self.examples[operation].append(
            {
                "summary": summary,
                "by": by,
                "parameters": {**(query or {}), **(headers or {})},
                "request": body,
                "status": response.status_code,
                **_answer(response),
            }
        )
        self.clock.shift(EACH_REQUEST_TAKES)
        return response

    def get(self, template, summary, **kwargs):
        return self.request("GET", template, summary, **kwargs)

    def post(self, template, summary, **kwargs):
        return self.request("POST", template, summary, **kwargs)

    def patch(self, template, summary, **kwargs):
        return self.request("PATCH", template, summary, **kwargs)

    def delete(self, template, summary, **kwargs):
        return self.request("DELETE", template, summary, **kwargs)

    def wait(self, **duration):
        """Let time pass (a provider's days of work) between two steps."""
        self.clock.shift(timedelta(**duration))

    def stand_in(self, value, replacement):
        """`value` churns from run to run (a random key): the examples show `replacement` instead."""
        self.stand_ins[str(value)] = str(replacement)

    def stand_in_service_key(self, key):
        """A service key Azure issued (a random UUID), full and masked as the API shows it to others."""
        number = len(self.stand_ins) + 1
        replacement = f"00000000-0000-4000-8000-{number:012d}"
        self.stand_in(key, replacement)
        self.stand_in(f"••••-{str(key)[-4:]}", f"••••-{replacement[-4:]}")

    def recorded(self) -> dict:
        text = json.dumps(self.examples, ensure_ascii=False, sort_keys=True)
        for value, replacement in self.stand_ins.items():
            text = text.replace(value, replacement)
        return json.loads(text)


def _answer(response) -> dict:
    """The answer's content type and JSON body; a file (evidence) by its type only, not its bytes."""
    content_type = response.get("Content-Type", "").split(";")[0]
    if response.streaming:
        response.close()
        return {"content_type": content_type, "response": None}
    if not response.content:
        return {"content_type": None, "response": None}
    return {"content_type": content_type, "response": response.json()}


def _install_estate():
    """The database as a fresh install leaves it, with sequences restarted: ids repeat every run."""
    call_command("flush", interactive=False, verbosity=0)  # re-creates content types and permissions
    sync_role_groups(apps)
    for module, function in INSTALL_SEEDS:
        getattr(import_module(module), function)(apps, None)
    cache.clear()  # the per-token throttle


def _people():
    """The team's engineer, approver and manager, each with an API token; their clients."""
    team = Team.objects.create(name=TEAM)
    clients = {}
    for username, role in PEOPLE.items():
        user = get_user_model().objects.create_user(username=username, email=f"{username}@example.com")
        user.groups.add(Group.objects.get(name=role))
        user.teams.add(team)
        _, key = api_token_create(user=user, name="examples", days=30)
        clients[username] = APIClient()
        clients[username].credentials(HTTP_AUTHORIZATION=f"Token {key}")
    clients["nobody"] = APIClient()
    return clients


def record_examples() -> dict:
    """Empty this database, play the tour and return its examples by operation (api/examples.json)."""
    from devtools.api_tour import tour

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True  # follow-up work (validation, billing) runs in the request
    mail = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    logging.disable(logging.WARNING)  # a log line per step (refusals are warnings) would bury the answer
    try:
        with (
            tempfile.TemporaryDirectory() as media,  # the evidence the tour uploads
            override_settings(MAILERS=mail, SECURE_SSL_REDIRECT=False, MEDIA_ROOT=media),
            mock.patch.object(transport, "destination_check"),
            mock.patch.object(transport, "send", return_value=RECEIVER_ANSWERS),
            time_machine.travel(STARTS_AT, tick=False) as clock,
        ):
            _install_estate()
            recording = Tour(clock, _people())
            tour(recording)
            return recording.recorded()
    finally:
        current_app.conf.task_always_eager = eager
        logging.disable(logging.NOTSET)


def examples_text(examples: dict) -> str:
    return json.dumps(examples, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
