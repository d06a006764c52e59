"""Production settings (DEBUG off, secrets from the environment) pass Django's deployment checks."""

import secrets

import pytest

from tests.support.processes import manage


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
