"""The one CSV writer every export uses: streamed, and safe to open in a spreadsheet.

Spreadsheets run a cell starting with = + - @ (or a tab or carriage return, which they strip first)
as a formula (CSV injection, OWASP). Text cells starting so get a leading apostrophe, which the
spreadsheet shows as plain text; numbers are written as they are, so a negative amount stays a number.
"""

import csv
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """One cell: empty for None, numbers untouched, text neutralised when a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file-like object whose write returns the line, so csv.writer output can be streamed."""

    def write(self, value):
        return value


def csv_response(rows, *, filename: str) -> StreamingHttpResponse:
    """Stream `rows` (an iterable of lists, headers first) as a CSV attachment named `filename`."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([csv_cell(value) for value in row]) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
