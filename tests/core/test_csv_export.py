"""The one CSV writer: cells a spreadsheet would run as formulas are written as text."""

from decimal import Decimal

import pytest

from core.csv_export import csv_cell, csv_response


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_a_spreadsheet_would_run_is_written_as_text(text):
    assert csv_cell(text) == f"'{text}"


@pytest.mark.parametrize("value", [-5, Decimal("-391.93"), -0.5, 0])
def test_numbers_stay_numbers_even_when_negative(value):
    assert csv_cell(value) == value


def test_none_is_an_empty_cell_and_plain_text_is_untouched():
    assert (csv_cell(None), csv_cell("er-ams-01"), csv_cell("a=b")) == ("", "er-ams-01", "a=b")


def test_the_response_streams_a_named_attachment():
    response = csv_response([["name"], ["=cmd"]], filename="x.csv")
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert b"".join(response.streaming_content).decode() == "name\r\n'=cmd\r\n"
