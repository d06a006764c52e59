"""Rules the test suite keeps about itself."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def test_no_test_module_imports_from_a_conftest():
    """Shared helpers live in tests/support/; a conftest only declares fixtures."""
    offenders = []
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "conftest":
                offenders.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    assert offenders == []
