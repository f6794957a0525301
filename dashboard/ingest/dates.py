"""Calendar days as people write them in registers and spreadsheets: the one rule a tabular
kind reads a written day by (the hoax register's identified_date and taken_down_date).

Only unambiguous forms are read, in Indonesian order (day before month):

- ISO 8601: '2024-01-05', with an optional time after it ('2024-01-05 10:00'), which is
  ignored: the day is the one written; a time with an offset ('2024-01-05T18:00:00Z') writes
  an instant, whose day is the day in WIB (UTC+7), the campaign's clock, as a receipt's
  time is read: 6 January there (moved_to_wib says which rows, so a load can warn); a time
  or offset no clock has ('25:00Z', '+2400', beyond the calendar in WIB) is ignored;
- day, month name, year: '5 Januari 2024', '14 Feb 2024', '14-Feb-2024', with the month in
  Indonesian or English, full or abbreviated (MONTHS);
- DD/MM/YYYY or DD-MM-YYYY: '05/01/2024' is 5 January (a register kept in Indonesia
  writes the day first), unless the file shows it is written month first: one of its days
  (in any of its day columns) can only be read so ('12/18/2023') and none only day first.
  Then every numeric day of the file is read month first (parse_days; read_month_first says
  which rows were, so a load can warn). A file that shows both orders is read day first
  ('01/13/2024' in it is not a date).

A two-digit year, a day without a year and other scripts' digits are not read.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

# month names and abbreviations, Indonesian and English, lower case
MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "feb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
# the forms, as a reject reason names them
FORMS = ("YYYY-MM-DD (a time after it is ignored; with an offset, its day in WIB), "
         "D Month YYYY (5 Januari 2024, 14 Feb 2024) or DD/MM/YYYY, DD-MM-YYYY "
         "(day first, or month first where the file shows it)")
# [0-9], not \d: \d takes other scripts' digits, which int() would read
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
                  r"(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?"
                  r"(z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?", re.IGNORECASE)  # read lower case
WIB = dt.timezone(dt.timedelta(hours=7))
_NAMED = re.compile(r"([0-9]{1,2})[ -]+([a-z]+)\.?[ -]+([0-9]{4})")
_NUMERIC = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{4})")
# the type pandas gives a column of days it reads (its resolution differs by version)
_DAY_TYPE = pd.to_datetime(pd.Series(["2024-01-05"]), format="%Y-%m-%d").dtype


def read_day(text: str, month_first: bool = False) -> dt.date | None:
    """The day a cell writes in one of the accepted forms (see the module), None when it
    writes none or an impossible day ('2024-02-30'); month_first: DD/MM/YYYY is MM/DD/YYYY."""
    value = " ".join(text.split()).lower()  # runs of spaces, as a spreadsheet may leave
    if found := _ISO.fullmatch(value):
        # an instant's day in WIB; a time or offset no clock has (25:00, +2400) is ignored as a
        # time without offset is: the day written stays usable
        if found.group(7) and (moved := _day_in_wib(found)) is not None:
            return moved
        year, month, day = (int(g) for g in found.group(1, 2, 3))
    elif (found := _NAMED.fullmatch(value)) and found.group(2) in MONTHS:
        year, month, day = int(found.group(3)), MONTHS[found.group(2)], int(found.group(1))
    elif found := _NUMERIC.fullmatch(value):
        first, second = int(found.group(1)), int(found.group(3))
        year, month, day = (int(found.group(4)), *((first, second) if month_first
                                                  else (second, first)))
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_in_wib(found: re.Match) -> dt.date | None:
    """The WIB day of an ISO 8601 instant (_ISO's groups: date, time and offset); None when
    it is no instant (2024-02-30, 25:00, an offset of a day or more)."""
    offset = found.group(7)
    minutes = 0
    if offset != "z":
        digits = offset[1:].replace(":", "")
        minutes = (int(digits[:2]) * 60 + int(digits[2:] or 0)) * (-1 if offset[0] == "-"
                                                                    else 1)
    try:
        written = dt.datetime(*(int(g) for g in found.group(1, 2, 3, 4, 5)),
                              min(int(found.group(6) or 0), 59),  # a leap second's 60
                              tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    except ValueError:
        return None
    try:
        return written.astimezone(WIB).date()
    except OverflowError:  # 9999-12-31T23:59:59Z ('no date yet' in some systems) in WIB
        return None


def moved_to_wib(text: pd.Series) -> pd.Series:
    """The rows whose day is an instant's day in WIB and not the day written before its time
    ('2024-01-05T18:00:00Z' is 6 January): what a load warns about."""
    def moved(value: object) -> bool:
        if not isinstance(value, str):
            return False
        found = _ISO.fullmatch(" ".join(value.split()).lower())
        if not (found and found.group(7)):
            return False
        day = _day_in_wib(found)
        return day is not None and day != _written_day(found)

    return text.map(moved).astype(bool)


def _written_day(found: re.Match) -> dt.date | None:
    try:
        return dt.date(*(int(g) for g in found.group(1, 2, 3)))
    except ValueError:
        return None


def _numeric_parts(value: str) -> tuple[int, int] | None:
    found = _NUMERIC.fullmatch(" ".join(value.split()))
    return None if found is None else (int(found.group(1)), int(found.group(3)))


def month_first(cells: pd.Series) -> bool:
    """Whether a column's numeric days are written month first: one can only be read so (its
    second number over 12) and none only day first (its first number over 12)."""
    parts = [p for v in cells.dropna().astype(str).unique() if (p := _numeric_parts(v))]
    return (any(second > 12 for _, second in parts)
            and not any(first > 12 for first, _ in parts))


def read_month_first(text: pd.Series, order: bool | None = None) -> pd.Series:
    """The rows whose day parse_days read month first (a numeric day of a column written
    so), where the other order would have read another day: what a load warns about.
    order: the file's, when its days are in several columns (default: the column's)."""
    if not (month_first(text) if order is None else order):
        return pd.Series(False, index=text.index)
    return text.map(lambda v: isinstance(v, str) and (p := _numeric_parts(v)) is not None
                    and p[0] != p[1] and max(p) <= 12).astype(bool)


def parse_days(text: pd.Series, order: bool | None = None) -> pd.Series:
    """read_day over a column, in the column's order of day and month (month_first), or the
    file's (order: month first or not, when the file writes days in several columns, as the
    hoax register does): datetime64 at midnight (as pandas reads '2024-01-05'), NaT where
    empty, unreadable or beyond what pandas holds. Each distinct spelling is read once."""
    cells = text.astype("string").fillna("")
    order = month_first(cells) if order is None else order
    iso = {v: (None if (day := read_day(v, order)) is None else day.isoformat())
           for v in cells.unique()}
    return pd.to_datetime(pd.Series([iso[v] for v in cells], index=text.index,
                                    dtype="object"), format="%Y-%m-%d", errors="coerce"
                          ).astype(_DAY_TYPE)  # one type, even when no cell is a day
