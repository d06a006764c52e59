"""Rules the test suite keeps about itself."""

import ast
from pathlib import Path

from hypothesis import settings

TESTS = Path(__file__).parent


def test_no_test_module_imports_from_a_conftest_or_another_test_module():
    """Shared helpers live in tests/support/ (or an app's factories); a conftest only declares
    fixtures, and a test module only tests."""
    offenders = []
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            imported = (node.module or "").split(".")[-1]
            if imported == "conftest" or imported.startswith("test_"):
                offenders.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    assert offenders == []


def test_the_ci_hypothesis_profile_runs_the_same_examples_every_time():
    ci = settings.get_profile("ci")
    assert (ci.derandomize, ci.database, ci.deadline) == (True, None, None)
