"""Opening registry files as their publishers write them: gzip or not, with or without a UTF-8 BOM.

What a download saved in place of the data (an empty body, an HTML error page) is refused here,
before any reader could take it for a set with no objects in it.
"""

import gzip
import io
from contextlib import contextmanager

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"
HEAD = 512


class NotRegistryData(ValueError):
    """The whole file is refused: it is not the kind of data it was given as."""


@contextmanager
def open_binary(path):
    """Open a file for reading bytes after any UTF-8 BOM, gunzipping it when its content (not its name) says gzip."""
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == GZIP_MAGIC
    with gzip.open(path, "rb") if gzipped else open(path, "rb") as handle:
        if handle.read(len(UTF8_BOM)) != UTF8_BOM:
            handle.seek(0)
        yield handle


def first_bytes(handle, *, what: str) -> bytes:
    """The first non-blank bytes of an open file (left at its start): refuse an empty body or an HTML page."""
    start = handle.tell()
    head = handle.read(HEAD).lstrip()
    handle.seek(start)
    if not head:
        raise NotRegistryData(f"is empty: an empty body is not {what}")
    if head.startswith(b"<"):
        shown = head[:40].decode("utf-8", "replace").splitlines()[0]
        raise NotRegistryData(f"starts with “{shown}”: an HTML or XML page (an error page?) is not {what}")
    return head


def text_reader(handle, *, newline: str):
    # Registry dumps are mostly ASCII with stray Latin-1 in remarks; never fail on a byte.
    return io.TextIOWrapper(handle, encoding="utf-8", errors="replace", newline=newline)
