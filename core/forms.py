import re

_SEPARATORS = re.compile(r"[\s,;]+")


def split_prefixes(text):
    """Prefixes typed one per line, or separated by commas, semicolons or spaces."""
    return [item for item in _SEPARATORS.split(text) if item]
