"""Log forging: text people send (a username, a header) can never write a line of its own into the log."""

import io
import json
import logging
import logging.config

import pytest
from django.urls import reverse
from structlog.processors import JSONRenderer

from config.logs import escape_control_characters, logging_config

pytestmark = pytest.mark.django_db

FORGED = "x\nFORGED line\r\n2026-12-02 INFO login succeeded for root\u2028"


@pytest.fixture(params=[True, False], ids=["json", "console"])
def log_output(request, caplog):
    """What the configured handler writes while the test runs, in either output format."""
    config = logging_config(json=request.param, level="INFO")
    formatter = logging.config.DictConfigurator(config).configure_formatter(config["formatters"]["structured"])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    with caplog.at_level(logging.INFO):
        yield request.param, stream
    root.removeHandler(handler)


def test_a_newline_in_a_login_username_never_forges_a_log_line(client, log_output):
    as_json, stream = log_output
    client.post(reverse("login"), {"username": FORGED, "password": "wrong"}, headers={"User-Agent": "ua\nFORGED"})

    lines = stream.getvalue().splitlines()
    assert any("login failure" in line for line in lines)  # axes logged the attempt, with the username
    assert not [line for line in lines if line.startswith(("FORGED", "2026-12-02 INFO", "\u2028"))]
    if as_json:
        events = [json.loads(line) for line in lines]  # every line is one whole JSON object
        assert any("x\nFORGED line" in event["event"] for event in events)
        assert all(event.get("ip") in (None, "127.0.0.1") for event in events)
    else:
        assert any("x\\nFORGED line\\r\\n2026-12-02" in line for line in lines)


def test_control_characters_are_escaped_for_the_console():
    escaped = escape_control_characters(None, "info", {"event": "a\nb\x1b[31m\u2028", "count": 3})
    assert escaped == {"event": "a\\nb\\x1b[31m\\u2028", "count": 3}


def test_production_logs_one_json_object_per_line(settings):
    renderer = settings.LOGGING["formatters"]["structured"]["processors"][-1]
    assert isinstance(renderer, JSONRenderer)
    assert "django_structlog.middlewares.RequestMiddleware" in settings.MIDDLEWARE
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False  # Celery keeps these handlers, not its own
