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


@pytest.fixture
def encoded(tmp_path):
    """A copy of a file as another tool may have saved it: with a UTF-8 BOM, CRLF line ends, gzipped."""

    def make(path, *, bom=False, crlf=False, compress=False):
        content = Path(path).read_bytes()
        if crlf:
            content = content.replace(b"\n", b"\r\n")
        if bom:
            content = b"\xef\xbb\xbf" + content
        if compress:
            content = gzip.compress(content)
        target = tmp_path / f"encoded-{Path(path).name}"
        target.write_bytes(content)
        return target

    return make
