"""Production settings (DEBUG off, secrets from the environment) pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def manage(*args, tmp_path, **environment):
    """Run manage.py with production settings: a clean environment with only what production sets."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ONRAMP_", "DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", ONRAMP_VAR_DIR=str(tmp_path), **environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        ONRAMP_DEBUG="0",
        ONRAMP_SECRET_KEY=secrets.token_urlsafe(64),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage("check", tmp_path=tmp_path, ONRAMP_DEBUG="0")

    assert result.returncode != 0
    assert "ONRAMP_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("environment", "check_id"),
    [({"ONRAMP_SECRET_KEY": "short"}, "security.W009"), ({"ONRAMP_HTTPS": "0"}, "security.W008")],
    ids=["weak-secret", "https-off"],
)
def test_check_deploy_catches_a_weakened_production_setup(tmp_path, environment, check_id):
    environment = {"ONRAMP_SECRET_KEY": secrets.token_urlsafe(64), **environment}

    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, ONRAMP_DEBUG="0", **environment)

    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout
