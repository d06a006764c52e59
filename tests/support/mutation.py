"""Run mutmut over the modules listed in pyproject's [tool.mutmut], from a scratch copy of the repo.

mutmut 3 leaves decorated functions alone (a decorator runs at import, so it will not copy one), and
nearly every service is `@transaction.atomic`. The copy in var/mutation/ therefore spells those
decorators as the assignment they stand for (`name = transaction.atomic(name)` after the function),
which is the same program, so mutmut mutates the services too. The working tree is never changed.

    python -m tests.support.mutation                    # copy, then `mutmut run`
    python -m tests.support.mutation "audit.statemachine*"  # only these mutants (mutmut's globs)
    cd var/mutation && ../../.venv/bin/mutmut results   # what survived; `mutmut show <name>` for one

Set DATABASE_URL to a database of its own first: its tests run with --reuse-db.
"""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COPY = ROOT / "var" / "mutation"
LEFT_BEHIND = shutil.ignore_patterns(".git", ".venv", "var", "mutants", "__pycache__", "node_modules", "*.pyc")
UNWRAPPED = "transaction.atomic"


def undecorate(source: str) -> str:
    """Rewrite each module-level `@transaction.atomic def f` as `def f` followed by `f = transaction.atomic(f)`."""
    lines = source.splitlines(keepends=True)
    functions = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
        and [ast.unparse(decorator) for decorator in node.decorator_list] == [UNWRAPPED]
    ]
    for function in reversed(functions):  # bottom up, so the line numbers above stay right
        lines.insert(function.end_lineno, f"\n\n{function.name} = {UNWRAPPED}({function.name})\n")
        del lines[function.decorator_list[0].lineno - 1]
    return "".join(lines)


def prepare() -> Path:
    if COPY.exists():
        shutil.rmtree(COPY)
    shutil.copytree(ROOT, COPY, ignore=LEFT_BEHIND, symlinks=True)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    for module in config["only_mutate"]:
        path = COPY / module
        path.write_text(undecorate(path.read_text()))
    return COPY


def main(argv: list[str]) -> int:
    copy = prepare()
    mutmut = Path(sys.executable).with_name("mutmut")
    return subprocess.call([str(mutmut), "run", "--max-children", "1", *argv], cwd=copy)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
