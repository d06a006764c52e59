"""The benchmark command runs end to end at a tiny size (figures are its output, never asserted)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the benchmark needs PostgreSQL"
)
def test_the_bench_command_measures_every_page_and_a_short_load_at_tiny_n():
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    database = f"{server}/{settings.DATABASES['default']['NAME']}_bench_smoke"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "devtools.settings_bench"}
    command = [sys.executable, "manage.py", "bench", "--circuits", "20", "--rounds", "1", "--no-sweep"]
    command += ["--load", "--load-users", "2", "--load-seconds", "1", "--port", str(_free_port())]
    command += ["--database-url", database]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    for page in ("floor", "circuit list", "admin changelist", "circuit page", "poll, unchanged", "billing"):
        assert f"\n{page} " in result.stdout
    assert "errors 0 " in result.stdout
