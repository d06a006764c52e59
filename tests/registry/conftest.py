import gzip
import shutil
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parents[1] / "data" / "registry"


@pytest.fixture
def sample():
    """Path of a file in tests/data/registry (its README names the published format each follows)."""
    return lambda name: SAMPLES / name


@pytest.fixture
def gzipped(tmp_path):
    """A gzip copy of a file, named without .gz: the content, not the name, says gzip."""

    def make(path):
        target = tmp_path / f"{Path(path).name}.dump"
        with open(path, "rb") as source, gzip.open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        return target

    return make
