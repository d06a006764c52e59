import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from io import StringIO

import pytest
from django.core.management import call_command

from health.tasks import heartbeat
from outbox.models import OutboxMessage
from tests.support.processes import ROOT, database_url


@pytest.mark.django_db
def test_outbox_relay_publishes_what_is_pending():
    OutboxMessage.objects.create(task=heartbeat.name)
    out = StringIO()
    call_command("outbox_relay", stdout=out)
    assert out.getvalue() == "1 outbox messages published.\n"
    assert not OutboxMessage.objects.filter(sent_at=None).exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_outbox_relay_in_a_fresh_process_finds_tasks_no_module_of_it_imported_yet(tmp_path):
    OutboxMessage.objects.create(task="circuits.flag_stuck")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": f"sqlite:///{tmp_path / 'broker.sqlite3'}",  # the demo's broker (config.broker)
        "ONRAMP_VAR_DIR": str(tmp_path),
    }
    relay = subprocess.run(
        [sys.executable, "manage.py", "outbox_relay"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert relay.stdout == "1 outbox messages published.\n", relay.stderr
    with closing(sqlite3.connect(tmp_path / "broker.sqlite3")) as broker:
        assert broker.execute("SELECT count(*) FROM kombu_message").fetchone() == (1,)  # waiting for a worker
