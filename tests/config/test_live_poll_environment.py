"""ONRAMP_LIVE_POLL_SECONDS and ONRAMP_LIVE_POLL_ONBOARDED_SECONDS come from the environment, as the
README says, in production and under the test settings alike (which must not pin them)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a Python process per case
BASE_DIR = Path(__file__).resolve().parents[2]
READ = "import django; django.setup(); from django.conf import settings as s; "
READ += "print(s.ONRAMP_LIVE_POLL_SECONDS, s.ONRAMP_LIVE_POLL_ONBOARDED_SECONDS)"


def _poll_seconds(settings_module, tmp_path, **environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith("ONRAMP_LIVE_POLL")}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, ONRAMP_VAR_DIR=str(tmp_path), **environment)
    env.setdefault("ONRAMP_SECRET_KEY", "poll-test-secret-key-" + "x" * 50)
    result = subprocess.run([sys.executable, "-c", READ], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize("settings_module", ["config.settings", "config.settings_test"])
def test_the_live_poll_intervals_are_read_from_the_environment(settings_module, tmp_path):
    assert _poll_seconds(
        settings_module, tmp_path, ONRAMP_LIVE_POLL_SECONDS="60", ONRAMP_LIVE_POLL_ONBOARDED_SECONDS="90"
    ) == ["60", "90"]


@pytest.mark.parametrize("settings_module", ["config.settings", "config.settings_test"])
def test_the_live_poll_intervals_default_to_5_and_30_seconds(settings_module, tmp_path):
    assert _poll_seconds(settings_module, tmp_path) == ["5", "30"]
