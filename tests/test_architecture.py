"""The apps form layers (ARCHITECTURE.md): every import between apps points down, and no app's
modules import each other in a cycle. The contracts are .importlinter's, run by import-linter."""

import configparser
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(config: Path, *, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _contract_option(section: str, option: str) -> set[str]:
    parser = configparser.ConfigParser()
    parser.read(CONTRACTS)
    lines = parser[section][option].splitlines()
    return {name.strip() for line in lines for name in line.split("|") if name.strip() and not name.startswith("#")}


def test_every_import_between_apps_points_down_and_no_app_has_an_import_cycle():
    result = _lint(CONTRACTS, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_app_of_the_project_has_its_place_in_the_layers():
    project_apps = {config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT}
    assert project_apps | {"config"} == _contract_option("importlinter", "root_packages")
    assert _contract_option("importlinter:contract:layers", "layers") == _contract_option(
        "importlinter", "root_packages"
    )


def test_the_contracts_catch_an_upward_import_and_a_cycle_hidden_in_a_function(tmp_path):
    """What these contracts would say of the services<->tasks cycle issue 13 found in notifications."""
    modules = {
        "high/__init__.py": "",
        "high/pages.py": "",
        "low/__init__.py": "",
        "low/services.py": "def notify():\n    from .tasks import send  # noqa\n",
        "low/tasks.py": "from . import services\n\ndef send():\n    pass\n",
        "low/views.py": "from high import pages  # noqa\n",
    }
    for path, text in modules.items():
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_text(text)
    config = tmp_path / ".importlinter"
    config.write_text(
        textwrap.dedent(
            """
            [importlinter]
            root_packages =
                high
                low

            [importlinter:contract:layers]
            name = layers
            type = layers
            layers =
                high
                low

            [importlinter:contract:cycles]
            name = cycles
            type = acyclic_siblings
            ancestors =
                low
            """
        )
    )
    result = _lint(config, cwd=tmp_path)
    assert result.returncode == 1
    assert "low is not allowed to import high" in result.stdout
    assert "No cycles are allowed in low" in result.stdout
