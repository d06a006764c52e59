"""The ways another tool may have saved a data file (the registry conftest's `encoded` fixture makes them)."""

ENCODINGS = {
    "plain": {},
    "bom": {"bom": True},
    "crlf": {"crlf": True},
    "bom-crlf-gzip": {"bom": True, "crlf": True, "compress": True},
}
