"""The day rule of the tabular kinds (ingest/dates.py): the forms people write a day in a
register, day first, and nothing ambiguous."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.ingest.dates import FORMS, MONTHS, parse_days, read_day

D = dt.date

# (as written, the day read or None)
DAYS = [
    # ISO, as systems export it; a time after it (spreadsheets keep one) is ignored
    ("2024-01-05", D(2024, 1, 5)), ("2024-1-5", D(2024, 1, 5)),
    ("2024-01-05 10:00", D(2024, 1, 5)), ("2024-01-05 10:00:59", D(2024, 1, 5)),
    ("2024-01-05T10:00:00", D(2024, 1, 5)), ("2024-01-05T23:30:00+07:00", D(2024, 1, 5)),
    ("2024-01-05T10:00:00.123Z", D(2024, 1, 5)), (" 2024-01-05 ", D(2024, 1, 5)),
    # day, month name, year: Kominfo's weekly reports and Indonesian registers write
    # '5 Januari 2024'; spreadsheets '14 Feb 2024' or, in Excel's dd-mmm-yyyy, '14-Feb-2024'
    ("5 Januari 2024", D(2024, 1, 5)), ("05 januari 2024", D(2024, 1, 5)),
    ("5 JANUARI 2024", D(2024, 1, 5)), ("5  Januari   2024", D(2024, 1, 5)),
    ("14 Feb 2024", D(2024, 2, 14)), ("14 Feb. 2024", D(2024, 2, 14)),
    ("14-Feb-2024", D(2024, 2, 14)), ("29 Februari 2024", D(2024, 2, 29)),
    ("1 Maret 2024", D(2024, 3, 1)), ("1 March 2024", D(2024, 3, 1)),
    ("2 Mei 2024", D(2024, 5, 2)), ("2 May 2024", D(2024, 5, 2)),
    ("17 Agustus 2024", D(2024, 8, 17)), ("17 Agu 2024", D(2024, 8, 17)),
    ("17 Agt 2024", D(2024, 8, 17)), ("17 Aug 2024", D(2024, 8, 17)),
    ("3 Okt 2023", D(2023, 10, 3)), ("3 Oct 2023", D(2023, 10, 3)),
    ("30 Nop 2023", D(2023, 11, 30)), ("25 Des 2023", D(2023, 12, 25)),
    ("25 December 2023", D(2023, 12, 25)),
    # DD/MM/YYYY and DD-MM-YYYY, day first as in Indonesia: 05/01 is 5 January
    ("05/01/2024", D(2024, 1, 5)), ("5/1/2024", D(2024, 1, 5)), ("05-01-2024", D(2024, 1, 5)),
    ("13/01/2024", D(2024, 1, 13)),
    # not a day, or not an unambiguous one
    ("", None), ("2024-02-30", None), ("2024-13-01", None), ("30 Februari 2024", None),
    ("01/13/2024", None),  # month first (US order) is not read
    ("05/01-2024", None), ("5 Januari 24", None), ("5 Jan", None), ("Januari 5, 2024", None),
    ("14 Foo 2024", None), ("2024/01/05", None), ("20240105", None), ("45296", None),
    ("2024-01-05 junk", None), ("2024-01-05T25", None), ("x", None),
    ("\u0661\u0664/\u0660\u0662/\u0662\u0660\u0662\u0664", None),  # other scripts' digits
    ("\uff12\uff10\uff12\uff14-01-05", None),
]


@pytest.mark.parametrize(("text", "day"), DAYS)
def test_read_day(text, day):
    assert read_day(text) == day


def test_every_month_has_its_names():
    names = {m: sorted(n for n, v in MONTHS.items() if v == m) for m in range(1, 13)}
    assert names[1] == ["jan", "januari", "january"]
    assert names[8] == ["agt", "agu", "agustus", "aug", "august"]
    assert names[11] == ["nop", "nov", "november"]
    assert all(names.values())


def test_parse_days_keeps_index_and_type():
    text = pd.Series(["5 Januari 2024", "", None, "05/01/2024", "x"], index=[7, 8, 9, 10, 11],
                     dtype="string")
    days = parse_days(text)
    assert days.index.tolist() == [7, 8, 9, 10, 11]
    assert days.tolist()[0] == pd.Timestamp("2024-01-05") == days.tolist()[3]
    assert days.isna().tolist() == [False, True, True, False, True]
    same_type = pd.to_datetime(pd.Series(["2024-01-05"]), format="%Y-%m-%d").dtype
    assert days.dtype == same_type
    assert parse_days(pd.Series(["x"], dtype="string")).dtype == same_type


def test_the_forms_are_named_for_a_reason():
    assert "5 Januari 2024" in FORMS and "DD/MM/YYYY" in FORMS and "day first" in FORMS
