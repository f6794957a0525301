"""The count rule every tabular kind shares (ingest/numbers.py): what count_problems says is
wrong with a cell, with and without a column's own ceiling (the hoax register's INTEGER)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.ingest import numbers

N = None
# (as written, the ceiling, the count read or None, the problem or None)
CASES = [
    ("12", N, 12, N), ("  12  ", N, 12, N),
    # grouped by spaces, as some spreadsheets and PDF exports write thousands
    ("1 000 000", N, 1000000, N), ("1.000.000", N, 1000000, N), ("1,000,000", N, 1000000, N),
    ("28289413.0", N, 28289413, N),  # pandas/R: a count column holding a blank, as floats
    ("", N, N, numbers.MISSING), ("   ", N, N, numbers.MISSING), (None, N, N, numbers.MISSING),
    ("-5", N, N, numbers.NEGATIVE_COUNT), ("- 1.234", N, N, numbers.NEGATIVE_COUNT),
    ("12.5", N, N, numbers.NOT_WHOLE), ("x", N, N, numbers.NOT_WHOLE),
    # 18 digits and a fraction: unusable for the fraction, not for its length
    ("12345678901234567.5", N, N, numbers.NOT_WHOLE),
    ("9" * 18, N, int("9" * 18), N), ("9" * 19, N, N, numbers.TOO_LARGE),
    ("9.999.999.999.999.999.999", N, N, numbers.TOO_LARGE),
    # a column's own ceiling: at it is a count, above it too large
    ("2147483647", 2**31 - 1, 2**31 - 1, N), ("2.147.483.648", 2**31 - 1, N, numbers.TOO_LARGE),
    ("2147483648", N, 2147483648, N),  # no ceiling given: a BIGINT holds it
    # a zero fraction after the Indonesian decimal comma, as a spreadsheet with Indonesian
    # settings shows a number cell with decimals: the same count as its English form
    ("1.234.567,00", N, 1234567, N), ("1,234,567.00", N, 1234567, N),
    ("1234,0", N, 1234, N), ("1234.0", N, 1234, N), ("1234,00", N, 1234, N),
    ("1.234,0", N, 1234, N), ("0,00", N, 0, N), ("12,0", N, 12, N),
    # unchanged: three digits after one mark are thousands, in either style
    ("1.234", N, 1234, N), ("1,234", N, 1234, N), ("1,000", N, 1000, N),
    # not whole, or the marks of both styles mixed: no count
    ("1.234,50", N, N, numbers.NOT_WHOLE), ("1234,5", N, N, numbers.NOT_WHOLE),
    ("1,234,567,00", N, N, numbers.NOT_WHOLE), ("1.234.567.00", N, N, numbers.NOT_WHOLE),
    ("1,234.567,00", N, N, numbers.NOT_WHOLE), ("1.234,000", N, N, numbers.NOT_WHOLE),
    # four digits before ',000': no grouping (that takes 1-3) and not a 1-2 digit fraction
    ("1234,000", N, N, numbers.NOT_WHOLE), ("1234.000", N, N, numbers.NOT_WHOLE),
    (",0", N, N, numbers.NOT_WHOLE), ("1234,", N, N, numbers.NOT_WHOLE),
]


@pytest.mark.parametrize(("text", "largest", "value", "problem"), CASES)
def test_count_problems(text, largest, value, problem):
    values, problems = numbers.count_problems(pd.Series([text], dtype="string"), largest)
    assert str(values.dtype) == "Int64" and str(problems.dtype) == "string"
    assert values.tolist() == [pd.NA if value is None else value]
    assert problems.tolist() == [pd.NA if problem is None else problem]


def test_count_problems_keeps_the_index():
    values, problems = numbers.count_problems(pd.Series(["1", "x"], index=[5, 9]))
    assert values.index.tolist() == [5, 9] and problems.index.tolist() == [5, 9]
