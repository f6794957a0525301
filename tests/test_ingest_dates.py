"""The day rule of the tabular kinds (ingest/dates.py): the forms people write a day in a
register, day first, and nothing ambiguous."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import config
from dashboard.ingest.dates import FORMS, MONTHS, parse_days, read_day

D = dt.date

# (as written, the day read or None)
DAYS = [
    # ISO, as systems export it; a time after it (spreadsheets keep one) is ignored
    ("2024-01-05", D(2024, 1, 5)), ("2024-1-5", D(2024, 1, 5)),
    ("2024-01-05 10:00", D(2024, 1, 5)), ("2024-01-05 10:00:59", D(2024, 1, 5)),
    ("2024-01-05T10:00:00", D(2024, 1, 5)), ("2024-01-05T23:30:00+07:00", D(2024, 1, 5)),
    ("2024-01-05T10:00:00.123Z", D(2024, 1, 5)), (" 2024-01-05 ", D(2024, 1, 5)),
    # a time with an offset (RFC 3339, as systems export instants) is an instant: its day in
    # WIB (UTC+7), the campaign's clock. 17:00Z is midnight in Jakarta
    ("2024-01-05T16:59:59Z", D(2024, 1, 5)), ("2024-01-05T17:00:00Z", D(2024, 1, 6)),
    ("2024-01-05T18:00:00z", D(2024, 1, 6)), ("2023-12-31T20:00:00Z", D(2024, 1, 1)),
    ("2024-01-05 01:00-05:00", D(2024, 1, 5)), ("2024-01-05T20:00-05:00", D(2024, 1, 6)),
    ("2024-01-06T00:30+08:00", D(2024, 1, 5)), ("2024-01-05T23:59+07", D(2024, 1, 5)),
    ("2024-01-05T10:00+0530", D(2024, 1, 5)), ("2024-01-05T12:00:00-12:00", D(2024, 1, 6)),
    # offsets with minutes, hours only and positive ones, each at the WIB midnight
    ("2024-01-05T22:29+05:30", D(2024, 1, 5)), ("2024-01-05T22:31+05:30", D(2024, 1, 6)),
    ("2024-01-05T22:32+05:30", D(2024, 1, 6)), ("2024-01-06T00:00+07", D(2024, 1, 6)),
    ("2024-01-05T20:00+02:00", D(2024, 1, 6)), ("2024-01-05T18:59+02:00", D(2024, 1, 5)),
    ("2024-01-05T10:00:60Z", D(2024, 1, 5)),  # a leap second
    # a time or offset no clock has is ignored, as a time without offset is: the day written
    # (a valid record never becomes a reject for its time); an impossible day is none
    ("2024-01-05T25:00Z", D(2024, 1, 5)), ("2024-01-05T10:00+2400", D(2024, 1, 5)),
    ("2024-02-30T10:00Z", None),
    # instants beyond the calendar in WIB ('no date yet' in some systems): the day written, no
    # crash (attack 4, finding 01: OverflowError ended the whole load)
    ("9999-12-31T23:59:59Z", D(9999, 12, 31)), ("0001-01-01T03:00:00+07:00", D(1, 1, 1)),
    ("9999-12-31T10:00:00Z", D(9999, 12, 31)),
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


# (a column's days as written, the days read, the rows a load warns about as read month
# first): a column is read month first only when one of its days can only be read so and none
# only day first (Excel with US regional settings writes 12/18/2023; attack 2, finding 03:
# such a file's other days were read day first without a warning, SMS01 on 12 Apr 2023)
COLUMNS = [
    (["12/04/2023", "12/18/2023", "01/08/2024"],
     [D(2023, 12, 4), D(2023, 12, 18), D(2024, 1, 8)], [True, False, True]),
    (["04/12/2023", "18/12/2023", "08/01/2024"],  # day first, shown by 18/12
     [D(2023, 12, 4), D(2023, 12, 18), D(2024, 1, 8)], [False, False, False]),
    (["04/12/2023", "08/01/2024"],  # no day shows the order: day first (Indonesian)
     [D(2023, 12, 4), D(2024, 1, 8)], [False, False]),
    (["12/18/2023", "18/12/2023", "04/12/2023"],  # both orders shown: day first, 12/18 unread
     [None, D(2023, 12, 18), D(2023, 12, 4)], [False, False, False]),
    (["12/18/2023", "05/05/2024", "2024-01-08", "8 Januari 2024", None],  # one order only
     [D(2023, 12, 18), D(2024, 5, 5), D(2024, 1, 8), D(2024, 1, 8), None],
     [False, False, False, False, False]),  # 05/05 reads alike in both orders: no warning
    (["12-18-2023", "01-08-2024"], [D(2023, 12, 18), D(2024, 1, 8)], [False, True]),
    ([], [], []),
]


@pytest.mark.parametrize(("written", "days", "warned"), COLUMNS)
def test_a_column_shows_its_order_of_day_and_month(written, days, warned):
    from dashboard.ingest.dates import read_month_first

    column = pd.Series(written, dtype="string")
    read = parse_days(column)
    assert [None if pd.isna(d) else d.date() for d in read] == days
    assert read_month_first(column).tolist() == warned


def test_a_month_first_waves_file_loads_its_days_with_a_warning_each(conn, tmp_path):
    from dashboard.ingest import ingest_file
    from tests.conftest import write

    rows = [("SMS01", "12/04/2023"), ("SMS02", "12/18/2023"), ("SMS05", "01/08/2024"),
            ("SMS06", "01/15/2024")]
    path = write(tmp_path, "waves.csv", ["wave_id,channel,sent_date,theme,message_text",
                                         *(f"{w},sms,{d},damai,teks" for w, d in rows)])
    result = ingest_file(conn, path)
    assert (result.counts.loaded, result.counts.rejected) == (4, 0)
    assert conn.execute("SELECT wave_id, strftime(sent_date, '%Y-%m-%d') FROM waves "
                        "ORDER BY 1").fetchall() == [
        ("SMS01", "2023-12-04"), ("SMS02", "2023-12-18"), ("SMS05", "2024-01-08"),
        ("SMS06", "2024-01-15")]
    assert conn.execute("SELECT line, kind, field, value FROM load_warnings ORDER BY line"
                        ).fetchall() == [(2, "month_first", "sent_date", "12/04/2023"),
                                         (4, "month_first", "sent_date", "01/08/2024")]


# (as written, whether its day in WIB is another than the one written: a load warns)
MOVED = [("2024-01-05T18:00:00Z", True), ("2024-01-05T16:59:59Z", False),
         ("2024-01-05 18:00:00Z", True), ("2024-01-05  18:00:00Z", True),  # runs of spaces
         ("2024-01-06T00:30+08:00", True), ("2024-01-05T10:00", False), ("2024-01-05", False),
         ("2024-02-30T10:00Z", False), ("2024-02-30T20:00Z", False), ("05/01/2024", False),
         ("x", False), (None, False), ("9999-12-31T23:59:59Z", False)]


def test_moved_to_wib_names_the_days_an_offset_moved():
    from dashboard.ingest.dates import moved_to_wib

    column = pd.Series([w for w, _ in MOVED], dtype="string", index=range(5, 5 + len(MOVED)))
    found = moved_to_wib(column)
    assert found.index.tolist() == column.index.tolist()
    assert found.tolist() == [m for _, m in MOVED]
    assert moved_to_wib(pd.Series([], dtype="string")).tolist() == []


def test_a_status_bar_day_written_as_an_instant_is_its_day_in_wib(conn, tmp_path):
    """A status-bar export that writes its day as a UTC instant (attack 2 noted it was the
    UTC day while posted_at is placed in WIB): the WIB day, warned where it moved."""
    from dashboard.ingest import ingest_file
    from tests.conftest import write

    assert ingest_file(conn, config.SAMPLE_DIR / "waves.csv").ok
    path = write(tmp_path, "status_bar.csv", [
        "operator,wave_id,date,province,impressions,unique_devices,clicks",
        "telkomsel,SB01,2023-12-15T18:00:00Z,32,1000,800,",
        "telkomsel,SB01,2023-12-15T09:00:00Z,31,500,400,"])
    result = ingest_file(conn, path)
    assert (result.counts.loaded, result.counts.rejected) == (2, 0), result.message
    assert conn.execute("SELECT province_code, strftime(impression_date, '%Y-%m-%d') "
                        "FROM status_bar_impressions "
                        "ORDER BY 1").fetchall() == [(31, "2023-12-15"), (32, "2023-12-16")]
    assert conn.execute("SELECT line, kind, field, value FROM load_warnings ORDER BY line"
                        ).fetchall() == [(2, "day_in_wib", "date", "2023-12-15T18:00:00Z")]
