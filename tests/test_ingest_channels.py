"""Status-bar impressions and the WhatsApp Channel (issue 17) through the real ingest: what is
rejected and why, what loads with a warning, the spellings accepted, duplicates, superseded
rows and replacement across files, and every row accounted for."""

from __future__ import annotations

import gzip
import re

import pandas as pd
import pytest

from dashboard.cli import build_parser
from dashboard.i18n import TRANSLATIONS
from dashboard.ingest import KINDS, dates, ingest_file, tabular
from tests.conftest import write

SB_HEADER = "operator,wave_id,date,province,impressions,unique_devices,clicks"
WA_HEADER = "update_id,wave_id,posted_at,views,reactions,forwards"
DAILY_HEADER = "date,followers,gained,lost,accounts_reached_30d"
HEADERS = {"status_bar": SB_HEADER, "wa_updates": WA_HEADER, "wa_daily": DAILY_HEADER}
# the catalogue: the campaign runs 2024-01-10 (first wave) to 2024-02-15 (SB02 + 14 days)
WAVES = ["wave_id,channel,sent_date,theme,message_text",
         "SMS01,sms,2024-01-10,damai,a", "SB01,status_bar,2024-01-12,damai,b",
         "SB02,status_bar,2024-02-01,damai,c", "WA01,whatsapp_channel,2024-01-15,damai,d"]
SB = "telkomsel,SB01,2024-01-12,32,1000,800,50"
WA = "U1,WA01,2024-01-15T10:00:00+07:00,900,40,12"
DAILY = "2024-01-15,5000,120,7,20000"
STORED = {
    "status_bar": "SELECT operator, wave_id, strftime(impression_date, '%Y-%m-%d'), "
                  "province_code, impressions, unique_devices, clicks "
                  "FROM status_bar_impressions ORDER BY ALL",
    "wa_updates": "SELECT update_id, wave_id, "
                  "strftime(timezone('UTC', posted_at), '%Y-%m-%d %H:%M:%S'), views, "
                  "reactions, forwards FROM wa_updates ORDER BY ALL",
    "wa_daily": "SELECT strftime(insight_date, '%Y-%m-%d'), followers, gained, lost, "
                "accounts_reached_30d FROM wa_daily ORDER BY ALL",
}


def load(conn, tmp_path, kind: str | None, rows: list[str], name: str = "f.csv",
         catalogue: bool = True, header: str | None = None):
    """Load the waves catalogue (once) and one file of the kind; check the counts add up."""
    if catalogue and not conn.execute("SELECT count(*) FROM waves").fetchall()[0][0]:
        assert ingest_file(conn, write(tmp_path, "waves.csv", WAVES)).ok
    path = write(tmp_path, name, [header or HEADERS[kind], *rows])
    result = ingest_file(conn, path, kind=kind)
    c = result.counts
    if result.outcome == "loaded":
        assert c.rows_read == len(rows) == c.loaded + c.duplicate + c.superseded + c.rejected
        logged = conn.execute(
            "SELECT rows_read, loaded, duplicate, superseded, rejected, replaced, warnings "
            "FROM ingest_log WHERE ingest_id = $id", {"id": result.ingest_id}).fetchall()
        assert logged == [(c.rows_read, c.loaded, c.duplicate, c.superseded, c.rejected,
                           c.replaced, c.warnings)]
    return result


def stored(conn, kind: str) -> list[tuple]:
    return conn.execute(STORED[kind]).fetchall()


def rejects(conn, result) -> list[tuple]:
    return conn.execute("SELECT line, reason, raw_line FROM rejects WHERE ingest_id = $id "
                        "ORDER BY line", {"id": result.ingest_id}).fetchall()


def warnings(conn, result) -> list[tuple]:
    return conn.execute("SELECT line, kind, field, value FROM load_warnings "
                        "WHERE ingest_id = $id ORDER BY line, kind", {"id": result.ingest_id}
                        ).fetchall()


BAD_DAY = f"bad_date: date is not a day written {dates.FORMS}"
# (case, kind, row, the reject reason written out)
REJECTS = [
    ("negative impressions", "status_bar", "telkomsel,SB01,2024-01-12,32,-5,0,0",
     "negative_count: impressions is below 0"),
    ("impressions not a number", "status_bar", "telkomsel,SB01,2024-01-12,32,banyak,800,50",
     "bad_count: impressions is not a whole number"),
    ("unique devices 1.5", "status_bar", "telkomsel,SB01,2024-01-12,32,1000,1.5,50",
     "bad_count: unique_devices is not a whole number"),
    ("impressions in other digits", "status_bar", "telkomsel,SB01,2024-01-12,32,١٢,1,1",
     "bad_count: impressions is not a whole number"),
    ("impressions past a BIGINT", "status_bar",
     "telkomsel,SB01,2024-01-12,32,99999999999999999999,1,1",
     "bad_count: impressions is too large (more than 18 digits)"),
    ("empty impressions", "status_bar", "telkomsel,SB01,2024-01-12,32,,800,50",
     "missing_count: impressions is empty"),
    ("empty unique devices", "status_bar", "telkomsel,SB01,2024-01-12,32,1000, ,50",
     "missing_count: unique_devices is empty"),
    ("unique devices above impressions", "status_bar", "telkomsel,SB01,2024-01-12,32,10,11,0",
     "devices_exceed_impressions: unique_devices is more than impressions"),
    # clicks above impressions cost the row nothing (OPTIONAL_COUNTS); a needed count still
    # rejects it, and its reason is the needed count's
    ("devices and clicks above impressions", "status_bar",
     "telkomsel,SB01,2024-01-12,32,10,11,12",
     "devices_exceed_impressions: unique_devices is more than impressions"),
    ("clicks above unusable impressions", "status_bar", "telkomsel,SB01,2024-01-12,32,x,5,11",
     "bad_count: impressions is not a whole number"),
    ("impossible date", "status_bar", "telkomsel,SB01,2024-02-30,32,1000,800,50", BAD_DAY),
    ("no 13th month either way", "status_bar", "telkomsel,SB01,13/13/2024,32,1000,800,50",
     BAD_DAY),
    ("two-digit year", "status_bar", "telkomsel,SB01,12/01/24,32,1000,800,50", BAD_DAY),
    ("empty date", "status_bar", "telkomsel,SB01,,32,1000,800,50", "bad_date: date is empty"),
    ("unknown operator", "status_bar", "Telkomsol,SB01,2024-01-12,32,1000,800,50",
     "unknown_operator: not one of the four operators"),
    ("empty operator", "status_bar", ",SB01,2024-01-12,32,1000,800,50",
     "unknown_operator: operator is empty"),
    ("phone number as operator", "status_bar", "081234567890,SB01,2024-01-12,32,1000,800,50",
     "unknown_operator: not one of the four operators"),
    ("empty wave id", "status_bar", "telkomsel,,2024-01-12,32,1000,800,50",
     "missing_wave_id: wave_id is empty"),
    ("markup wave id", "status_bar", "telkomsel,<b>SB01</b>,2024-01-12,32,1000,800,50",
     "bad_wave_id: not 1-32 letters, digits, - or _, or shaped like a phone number"),
    ("phone number as wave id", "status_bar", "telkomsel,0812-3456-7890,2024-01-12,32,1,1,1",
     "bad_wave_id: not 1-32 letters, digits, - or _, or shaped like a phone number"),
    ("first failing check wins", "status_bar", "foo,,bad,32,-1,x,y",
     "unknown_operator: not one of the four operators"),
    ("empty update id", "wa_updates", ",WA01,2024-01-15T10:00:00,900,40,12",
     "missing_update_id: update_id is empty"),
    ("phone number as update id", "wa_updates", "6281234567890,WA01,2024-01-15,900,40,12",
     "bad_update_id: not 1-64 letters, digits, '.', ':', '-' or '_', or shaped like a "
     "phone number"),
    ("unreadable posted_at", "wa_updates", "U1,WA01,kemarin sore,900,40,12",
     "bad_posted_at: not an ISO 8601 date and time"),
    ("day-first posted_at", "wa_updates", "U1,WA01,15/01/2024 10:00,900,40,12",
     "bad_posted_at: not an ISO 8601 date and time"),
    ("empty posted_at", "wa_updates", "U1,WA01,,900,40,12", "bad_posted_at: posted_at is empty"),
    ("empty views", "wa_updates", "U1,WA01,2024-01-15T10:00:00,,40,12",
     "missing_count: views is empty"),
    ("unreadable day", "wa_daily", "2024-1-15x,5000,120,7,20000", BAD_DAY),
    # an empty day is said to be empty, not unreadable (its own check, before the day rule)
    ("empty day", "wa_daily", ",5000,120,7,20000", "bad_date: date is empty"),
    ("empty followers", "wa_daily", "2024-01-15,,120,7,20000",
     "missing_count: followers is empty"),
    # a total of the file's province rows of the same (operator, wave, day)
    ("a 'Jumlah' subtotal row", "status_bar", "telkomsel,SB01,2024-01-12,Jumlah,1000,800,50",
     "total_row: a total of other rows, not counted twice"),
    ("a grand total in capitals", "status_bar",
     "Telkomsel,SB01,2024-01-12,  GRAND  TOTAL ,1000,800,50",
     "total_row: a total of other rows, not counted twice"),
    ("a total with an unusable count is still a total", "status_bar",
     "telkomsel,SB01,2024-01-12,Nasional,1000,x,50",
     "total_row: a total of other rows, not counted twice"),
    # a sheet's total row under the updates or the days: counted, it doubles the figures
    ("a 'Total' update", "wa_updates", "Total,,,1800,80,24",
     "total_row: a total of other rows, not counted twice"),
    ("a 'Jumlah' day", "wa_daily", "Jumlah,5000,240,14,40000",
     "total_row: a total of other rows, not counted twice"),
    # a total label in any column that names the row's unit: it sums operators or waves, so
    # it is no figure of one operator and wave (a wave 'Total' loaded as a wave unknown to
    # the catalogue; an operator 'Total' was refused as an unknown operator)
    ("a 'Total' wave", "status_bar", "telkomsel,Total,2024-01-12,,1000,800,50",
     "total_row: a total of other rows, not counted twice"),
    ("a 'Jumlah' wave with a province", "status_bar", "telkomsel,Jumlah,2024-01-12,32,1,1,1",
     "total_row: a total of other rows, not counted twice"),
    ("a 'TOTAL' operator", "status_bar", "TOTAL,SB01,2024-01-12,32,1000,800,50",
     "total_row: a total of other rows, not counted twice"),
]


@pytest.mark.parametrize(("case", "kind", "row", "reason"), REJECTS,
                         ids=[r[0] for r in REJECTS])
def test_a_row_whose_count_cannot_be_used_is_rejected(conn, tmp_path, case, kind, row,
                                                      reason):
    good = {"status_bar": SB, "wa_updates": WA.replace("U1", "U0"), "wa_daily": DAILY.replace(
        "2024-01-15", "2024-01-14")}[kind]
    result = load(conn, tmp_path, kind, [good, row])
    assert (result.counts.loaded, result.counts.rejected) == (1, 1)
    [(line, stored_reason, raw)] = rejects(conn, result)
    assert (line, stored_reason) == (3, reason)
    assert "081234567890" not in raw and "6281234567890" not in raw
    assert "0812-3456-7890" not in raw
    assert len(stored(conn, kind)) == 1
    assert conn.execute("SELECT reason, rows FROM reject_tally WHERE ingest_id = $id",
                        {"id": result.ingest_id}).fetchall() == [(reason.split(":")[0], 1)]


# (case, kind, row, expected warnings (kind, field, value), the stored row)
WARNINGS = [
    ("unknown wave", "status_bar", "xl,SB99,2024-01-20,32,10,5,1",
     [("unknown_wave", "wave_id", "SB99")], ("xl", "SB99", "2024-01-20", 32, 10, 5, 1)),
    ("an SMS wave on the status bar", "status_bar", "xl,SMS01,2024-01-20,32,10,5,1",
     [("wave_channel_mismatch", "wave_id", "SMS01 (sms)")],
     ("xl", "SMS01", "2024-01-20", 32, 10, 5, 1)),
    ("unknown province", "status_bar", "xl,SB01,2024-01-20,Atlantis,10,5,1",
     [("unknown_province", "province", "Atlantis")],
     ("xl", "SB01", "2024-01-20", None, 10, 5, 1)),
    ("a phone number as province", "status_bar", "xl,SB01,2024-01-20,081234567890,10,5,1",
     [("unknown_province", "province", "[nomor disamarkan]")],
     ("xl", "SB01", "2024-01-20", None, 10, 5, 1)),
    ("a day after the campaign", "status_bar", "xl,SB02,2024-02-16,32,10,5,1",
     [("outside_campaign", "date", "2024-02-16")], ("xl", "SB02", "2024-02-16", 32, 10, 5, 1)),
    ("a day before the campaign", "status_bar", "xl,SB01,2024-01-09,32,10,5,1",
     [("outside_campaign", "date", "2024-01-09")], ("xl", "SB01", "2024-01-09", 32, 10, 5, 1)),
    ("the campaign's last day", "status_bar", "xl,SB02,2024-02-15,32,10,5,1",
     [], ("xl", "SB02", "2024-02-15", 32, 10, 5, 1)),
    ("the campaign's first day", "status_bar", "xl,SB01,2024-01-10,32,10,5,1",
     [], ("xl", "SB01", "2024-01-10", 32, 10, 5, 1)),
    # a day as spreadsheets kept in Indonesia write it (ingest/dates.py; rejected until 7 Dec
    # 2026, so an operator's Excel export lost every row): day first, or the month named
    ("a day written day first", "status_bar", "xl,SB01,20/01/2024,32,10,5,1",
     [], ("xl", "SB01", "2024-01-20", 32, 10, 5, 1)),
    ("a day with dashes, day first", "status_bar", "xl,SB01,05-02-2024,32,10,5,1",
     [], ("xl", "SB01", "2024-02-05", 32, 10, 5, 1)),
    ("a month named in Indonesian", "status_bar", "xl,SB01,20 Januari 2024,32,10,5,1",
     [], ("xl", "SB01", "2024-01-20", 32, 10, 5, 1)),
    ("a day with a time", "status_bar", "xl,SB01,2024-01-20 00:00:00,32,10,5,1",
     [], ("xl", "SB01", "2024-01-20", 32, 10, 5, 1)),
    ("day first, after the campaign", "status_bar", "xl,SB02,16/02/2024,32,10,5,1",
     [("outside_campaign", "date", "16/02/2024")], ("xl", "SB02", "2024-02-16", 32, 10, 5, 1)),
    ("a follower count's day, day first", "wa_daily", "20/01/2024,5000,120,7,20000",
     [], ("2024-01-20", 5000, 120, 7, 20000)),
    # month first, shown by the day itself: read so, nothing to warn (no other reading)
    ("a day only month first reads", "status_bar", "xl,SB01,01/20/2024,32,10,5,1",
     [], ("xl", "SB01", "2024-01-20", 32, 10, 5, 1)),
    ("three at once", "status_bar", "xl,WA01,2024-03-01,Lemuria,10,5,1",
     [("outside_campaign", "date", "2024-03-01"), ("unknown_province", "province", "Lemuria"),
      ("wave_channel_mismatch", "wave_id", "WA01 (whatsapp_channel)")],
     ("xl", "WA01", "2024-03-01", None, 10, 5, 1)),
    # a post that names no wave is an ordinary post of the channel: kept, nothing to warn
    ("empty WhatsApp wave id", "wa_updates", "U2,,2024-01-20T09:00:00+07:00,5,1,0",
     [], ("U2", None, "2024-01-20 02:00:00", 5, 1, 0)),
    ("phone number as WhatsApp wave id", "wa_updates",
     "U2,081234567890,2024-01-20T09:00:00+07:00,5,1,0",
     [("bad_wave_id", "wave_id", "[nomor disamarkan]")],
     ("U2", None, "2024-01-20 02:00:00", 5, 1, 0)),
    ("unknown WhatsApp wave", "wa_updates", "U2,WA09,2024-01-20T09:00:00+07:00,5,1,0",
     [("unknown_wave", "wave_id", "WA09")], ("U2", "WA09", "2024-01-20 02:00:00", 5, 1, 0)),
    ("a status-bar wave on WhatsApp", "wa_updates", "U2,SB01,2024-01-20T09:00:00+07:00,5,1,0",
     [("wave_channel_mismatch", "wave_id", "SB01 (status_bar)")],
     ("U2", "SB01", "2024-01-20 02:00:00", 5, 1, 0)),
    # 17:30 UTC on the 15th is 00:30 WIB on the 16th: the day after the campaign
    ("posted after the campaign in WIB", "wa_updates", "U2,WA01,2024-02-15T17:30:00Z,5,1,0",
     [("outside_campaign", "posted_at", "2024-02-15T17:30:00Z")],
     ("U2", "WA01", "2024-02-15 17:30:00", 5, 1, 0)),
    ("posted on the last day in WIB", "wa_updates", "U2,WA01,2024-02-15T16:30:00Z,5,1,0",
     [], ("U2", "WA01", "2024-02-15 16:30:00", 5, 1, 0)),
    ("insights after the campaign", "wa_daily", "2024-03-01,6000,1,1,1",
     [("outside_campaign", "date", "2024-03-01")], ("2024-03-01", 6000, 1, 1, 1)),
    # a total row alone for its key: an operator that reports national figures only
    ("an operator's national figure", "status_bar", "xl,SB01,2024-01-20,Nasional,10,5,1",
     [("national_total", "province", "Nasional")], ("xl", "SB01", "2024-01-20", None, 10, 5, 1)),
    ("a national figure written Indonesia", "status_bar",
     "xl,SB01,2024-01-20,indonesia,10,5,1",
     [("national_total", "province", "indonesia")],
     ("xl", "SB01", "2024-01-20", None, 10, 5, 1)),
]


@pytest.mark.parametrize(("case", "kind", "row", "expected", "row_stored"), WARNINGS,
                         ids=[w[0] for w in WARNINGS])
def test_a_row_with_something_odd_loads_with_a_warning(conn, tmp_path, case, kind, row,
                                                       expected, row_stored):
    result = load(conn, tmp_path, kind, [row])
    assert (result.counts.loaded, result.counts.rejected) == (1, 0)
    assert warnings(conn, result) == [(2, *w) for w in expected]
    assert result.counts.warnings == len(expected)
    assert stored(conn, kind) == [row_stored]
    by_kind = dict(conn.execute("SELECT kind, rows FROM warning_tally WHERE ingest_id = $id",
                                {"id": result.ingest_id}).fetchall())
    assert by_kind == {w[0]: 1 for w in expected}
    unknown_province = sum(w[0] == "unknown_province" for w in expected)
    assert conn.execute("SELECT unknown_province FROM ingest_log WHERE ingest_id = $id",
                        {"id": result.ingest_id}).fetchall() == [(unknown_province,)]


# An optional count (clicks, reactions, forwards, gained, lost, accounts_reached_30d) that
# cannot be read never costs the row its needed counts: the row loads, that count is NULL and
# warned (a lone dash is a zero: numbers.nil_dashes). (case, kind, row, warnings (kind, field,
# value), the stored row)
OPTIONAL_COUNTS = [
    ("clicks written '-' (Excel's accounting zero)", "status_bar",
     "telkomsel,SB01,2024-01-12,32,1000,800,-",
     [("dash_read_as_zero", "clicks", "-")], ("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 0)),
    ("a dash with spaces around it", "status_bar", "telkomsel,SB01,2024-01-12,32,1000,800, - ",
     [("dash_read_as_zero", "clicks", "-")], ("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 0)),
    ("an en dash", "status_bar", "telkomsel,SB01,2024-01-12,32,1000,800,\u2013",
     [("dash_read_as_zero", "clicks", "\u2013")],
     ("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 0)),
    ("clicks 'n/a'", "status_bar", "telkomsel,SB01,2024-01-12,32,1000,800,n/a",
     [("unusable_optional_count", "clicks", "n/a")],
     ("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, None)),
    ("clicks 2.5", "status_bar", "telkomsel,SB01,2024-01-12,32,1000,800,2.5",
     [("unusable_optional_count", "clicks", "2.5")],
     ("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, None)),
    ("negative clicks", "status_bar", "telkomsel,SB01,2024-01-12,32,1000,800,-3",
     [("unusable_optional_count", "clicks", "-3")],
     ("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, None)),
    ("clicks past a BIGINT", "status_bar",
     "telkomsel,SB01,2024-01-12,32,1000,800,99999999999999999999",
     [("unusable_optional_count", "clicks", "99999999999999999999")],
     ("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, None)),
    # the value is shown masked, as every warning's value is
    ("a phone number as clicks", "status_bar", "telkomsel,SB01,2024-01-12,32,1000,800,"
     "0812-3456-7890", [("unusable_optional_count", "clicks", "[nomor disamarkan]")],
     ("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, None)),
    # clicks above impressions are impossible, but optional: the row's impressions and
    # devices count, its clicks are NULL (kept, the click rate would pass 100 %)
    ("clicks above impressions", "status_bar", "telkomsel,SB01,2024-01-12,32,10,5,11",
     [("clicks_exceed_impressions", "clicks", "11")],
     ("telkomsel", "SB01", "2024-01-12", 32, 10, 5, None)),
    ("clicks one above impressions, grouped", "status_bar",
     'telkomsel,SB01,2024-01-12,32,"1.000",800,"1.001"',
     [("clicks_exceed_impressions", "clicks", "1.001")],
     ("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, None)),
    ("clicks on zero impressions", "status_bar", "telkomsel,SB01,2024-01-12,32,0,0,1",
     [("clicks_exceed_impressions", "clicks", "1")],
     ("telkomsel", "SB01", "2024-01-12", 32, 0, 0, None)),
    ("a national row's clicks above its impressions", "status_bar",
     "telkomsel,SB01,2024-01-12,Nasional,10,5,11",
     [("clicks_exceed_impressions", "clicks", "11"), ("national_total", "province", "Nasional")],
     ("telkomsel", "SB01", "2024-01-12", None, 10, 5, None)),
    ("reactions and forwards '-'", "wa_updates", "U1,WA01,2024-01-15T10:00:00+07:00,900,-,-",
     [("dash_read_as_zero", "forwards", "-"), ("dash_read_as_zero", "reactions", "-")],
     ("U1", "WA01", "2024-01-15 03:00:00", 900, 0, 0)),
    ("negative forwards", "wa_updates", "U1,WA01,2024-01-15T10:00:00+07:00,900,40,-2",
     [("unusable_optional_count", "forwards", "-2")],
     ("U1", "WA01", "2024-01-15 03:00:00", 900, 40, None)),
    ("reactions 'banyak'", "wa_updates", "U1,WA01,2024-01-15T10:00:00+07:00,900,banyak,12",
     [("unusable_optional_count", "reactions", "banyak")],
     ("U1", "WA01", "2024-01-15 03:00:00", 900, None, 12)),
    ("a net unfollow written as -7", "wa_daily", "2024-01-15,5000,120,-7,20000",
     [("unusable_optional_count", "lost", "-7")], ("2024-01-15", 5000, 120, None, 20000)),
    ("lost '-'", "wa_daily", "2024-01-16,5100,100,-,",
     [("dash_read_as_zero", "lost", "-")], ("2024-01-16", 5100, 100, 0, None)),
    ("fractional gained", "wa_daily", "2024-01-15,5000,1.5,7,20000",
     [("unusable_optional_count", "gained", "1.5")], ("2024-01-15", 5000, None, 7, 20000)),
    ("negative reach", "wa_daily", "2024-01-15,5000,120,7,-1",
     [("unusable_optional_count", "accounts_reached_30d", "-1")],
     ("2024-01-15", 5000, 120, 7, None)),
    ("all three unusable", "wa_daily", "2024-01-15,5000,x,y,z",
     [("unusable_optional_count", "accounts_reached_30d", "z"),
      ("unusable_optional_count", "gained", "x"), ("unusable_optional_count", "lost", "y")],
     ("2024-01-15", 5000, None, None, None)),
]


@pytest.mark.parametrize(("case", "kind", "row", "expected", "row_stored"), OPTIONAL_COUNTS,
                         ids=[o[0] for o in OPTIONAL_COUNTS])
def test_an_unusable_optional_count_is_null_and_warned_never_a_reject(conn, tmp_path, case,
                                                                      kind, row, expected,
                                                                      row_stored):
    result = load(conn, tmp_path, kind, [row])
    assert (result.counts.loaded, result.counts.rejected) == (1, 0)
    assert sorted(warnings(conn, result)) == [(2, *w) for w in expected]
    assert result.counts.warnings == len(expected)
    assert stored(conn, kind) == [row_stored]


# A needed count is never read from a dash: it stays a reject (what the row is for)
@pytest.mark.parametrize(("kind", "row", "reason"), [
    ("status_bar", "telkomsel,SB01,2024-01-12,32,-,800,5",
     "bad_count: impressions is not a whole number"),
    ("wa_updates", "U1,WA01,2024-01-15T10:00:00+07:00,-,4,1",
     "bad_count: views is not a whole number"),
    ("wa_daily", "2024-01-15,-,120,7,20000", "bad_count: followers is not a whole number"),
])
def test_a_needed_count_written_as_a_dash_is_rejected(conn, tmp_path, kind, row, reason):
    result = load(conn, tmp_path, kind, [row])
    assert [r[1] for r in rejects(conn, result)] == [reason]


@pytest.mark.parametrize(("kind", "row", "expected"), [
    ("status_bar", "xl,SB01,2024-03-01,32,10,5,1", []),
    ("status_bar", "xl,SB01,2019-03-01,32,10,5,1", []),
    ("wa_daily", "2030-03-01,6000,1,1,1", []),
])
def test_without_a_catalogue_no_day_is_outside_the_campaign(conn, tmp_path, kind, row,
                                                            expected):
    result = load(conn, tmp_path, kind, [row], catalogue=False)
    kinds = [w[1] for w in warnings(conn, result)]
    assert "outside_campaign" not in kinds
    assert kinds == (["unknown_wave"] if kind == "status_bar" else [])


# (kind, rows): without a catalogue no row is outside the campaign, in a file of several rows
# too, and after a line the reader set aside (a gap in the frame's index): the "none outside"
# answer has one value per row of the file, not a single one
CATALOGUE_LESS_FILES = [
    ("status_bar", ["xl,SB01,2024-03-01,32,10,5,1", "xl,SB01,2019-03-01,32,10,5,1"]),
    ("wa_daily", ["2030-03-01,6000,1,1,1", "2030-03-02,6001,1,1,1"]),
    ("wa_daily", ["only,two", "2030-03-01,6000,1,1,1"]),
]


@pytest.mark.parametrize(("kind", "rows"), CATALOGUE_LESS_FILES)
def test_without_a_catalogue_every_row_of_a_file_loads_inside_the_campaign(conn, tmp_path,
                                                                          kind, rows):
    result = load(conn, tmp_path, kind, rows, catalogue=False)
    assert result.outcome == "loaded", result.message
    good = [r for r in rows if r != "only,two"]
    assert result.counts.loaded == len(good)
    assert "outside_campaign" not in [w[1] for w in warnings(conn, result)]


@pytest.mark.parametrize(("province", "code", "warned"), [
    ("JAWA BARAT", 32, []), ("Jabar", 32, []), ("32", 32, []), ("Prov. Jawa Barat", 32, []),
    ("dki jakarta", 31, []),
    # an empty province is no province: kept, and said (it may be a total left unlabelled)
    ("", None, [(2, "blank_province", "province", None)])])
def test_province_spellings_the_receipts_accept(conn, tmp_path, province, code, warned):
    result = load(conn, tmp_path, "status_bar", [f"xl,SB01,2024-01-20,{province},10,5,1"])
    assert stored(conn, "status_bar") == [("xl", "SB01", "2024-01-20", code, 10, 5, 1)]
    assert warnings(conn, result) == warned


@pytest.mark.parametrize(("operator", "stored_as"), [
    ("Telkomsel", "telkomsel"), ("TELKOMSEL", "telkomsel"), (" XL Axiata ", "xl"),
    ("Axis", "xl"), ("Tri (3)", "indosat"), ("Indosat Ooredoo Hutchison", "indosat"),
    ("smartfren", "smartfren")])
def test_operator_spellings_the_receipts_accept(conn, tmp_path, operator, stored_as):
    load(conn, tmp_path, "status_bar", [f'"{operator}",SB01,2024-01-20,32,10,5,1'])
    assert [r[0] for r in stored(conn, "status_bar")] == [stored_as]


@pytest.mark.parametrize(("cells", "counts"), [
    ("1.234,1.000,12", (1234, 1000, 12)),
    ('"1,234","1,000",12', (1234, 1000, 12)),
    ("3.742.037,1 000 000,0", (3742037, 1000000, 0)),
    ("1234,1000,", (1234, 1000, None)),  # no link in the text: clicks NULL, not 0
    ("1234,1000, ", (1234, 1000, None)),
    # pandas/R write a count column that holds a blank (clicks) as floats: '1000.0'
    ("1000.0,800.0,", (1000, 800, None)),
    ("1000.0,800.0,2.0", (1000, 800, 2)),
    # a spreadsheet's number cells with two decimals and grouping
    ('"1,234.00",1000.00,12', (1234, 1000, 12)),
    # each device saw it once, and every impression was clicked: equal is not "more than"
    ("10,10,10", (10, 10, 10)),
    # the same cells from a spreadsheet with Indonesian settings: decimal comma, dot grouping
    ('"1.234.567,00","800.000,00",12', (1234567, 800000, 12)),
    ('"1234,0","800,0","2,00"', (1234, 800, 2)),
])
def test_counts_with_thousands_separators_and_empty_clicks(conn, tmp_path, cells, counts):
    load(conn, tmp_path, "status_bar", [f"xl,SB01,2024-01-20,32,{cells}"])
    assert stored(conn, "status_bar") == [("xl", "SB01", "2024-01-20", 32, *counts)]


def test_a_file_without_the_optional_counts_loads_them_as_null(conn, tmp_path):
    load(conn, tmp_path, "status_bar", ["xl,SB01,2024-01-20,32,10,5"],
         header="operator,wave_id,date,province,impressions,unique_devices")
    load(conn, tmp_path, "wa_daily", ["2024-01-20,10"], name="d.csv", header="date,followers")
    assert stored(conn, "status_bar") == [("xl", "SB01", "2024-01-20", 32, 10, 5, None)]
    assert stored(conn, "wa_daily") == [("2024-01-20", 10, None, None, None)]


@pytest.mark.parametrize(("posted_at", "utc"), [
    ("2024-01-15 10:00", "2024-01-15 03:00:00"),  # no offset: WIB
    ("2024-01-15T10:00:00", "2024-01-15 03:00:00"),
    ("2024-01-15T00:30:00", "2024-01-14 17:30:00"),  # the day before in UTC
    ("2024-01-15T10:00:00+07:00", "2024-01-15 03:00:00"),
    ("2024-01-15T10:00:00+08:00", "2024-01-15 02:00:00"),  # WITA
    ("2024-01-15T10:00:00Z", "2024-01-15 10:00:00"),
    ("2024-01-15T10:00:00+00:00", "2024-01-15 10:00:00"),
])
def test_posted_at_is_stored_as_its_utc_instant(conn, tmp_path, posted_at, utc):
    load(conn, tmp_path, "wa_updates", [f"U1,WA01,{posted_at},900,,"])
    assert stored(conn, "wa_updates") == [("U1", "WA01", utc, 900, None, None)]


TOTAL_ROW = "total_row: a total of other rows, not counted twice"
# (case, rows, rejects (line, reason), warnings (line, kind, value), what is stored); the
# rows of a status-bar file after its header (line 1)
TOTALS = [
    ("the subtotal of the key is set aside",
     ["xl,SB01,2024-01-12,32,10,5,1", "xl,SB01,2024-01-12,33,20,5,1",
      "xl,SB01,2024-01-12,Jumlah,30,10,2"],
     [(4, TOTAL_ROW)], [], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1),
                            ("xl", "SB01", "2024-01-12", 33, 20, 5, 1)]),
    ("the total comes first", ["xl,SB01,2024-01-12,Jumlah Total,30,10,2",
                               "xl,SB01,2024-01-12,32,30,10,2"],
     [(2, TOTAL_ROW)], [], [("xl", "SB01", "2024-01-12", 32, 30, 10, 2)]),
    ("each day's total goes with its day's rows",
     ["xl,SB01,2024-01-12,32,10,5,1", "xl,SB01,2024-01-12,Total,10,5,1",
      "xl,SB01,2024-01-13,32,7,5,1", "xl,SB01,2024-01-13,Total,7,5,1"],
     [(3, TOTAL_ROW), (5, TOTAL_ROW)], [], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1),
                                          ("xl", "SB01", "2024-01-13", 32, 7, 5, 1)]),
    ("another day's total is national", ["xl,SB01,2024-01-12,32,10,5,1",
                                         "xl,SB01,2024-01-13,Total,7,5,1"],
     [], [(3, "national_total", "Total")], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1),
                                            ("xl", "SB01", "2024-01-13", None, 7, 5, 1)]),
    ("another wave's total is national", ["xl,SB01,2024-01-12,32,10,5,1",
                                          "xl,SB02,2024-01-12,Total,7,5,1"],
     [], [(3, "national_total", "Total")], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1),
                                            ("xl", "SB02", "2024-01-12", None, 7, 5, 1)]),
    ("another operator's total is national", ["xl,SB01,2024-01-12,32,10,5,1",
                                              "smartfren,SB01,2024-01-12,Nasional,7,5,1"],
     [], [(3, "national_total", "Nasional")],
     [("smartfren", "SB01", "2024-01-12", None, 7, 5, 1),
      ("xl", "SB01", "2024-01-12", 32, 10, 5, 1)]),
    # the province rows it sums are all rejected: the total is the only usable figure
    ("a total beside rejected rows is national", ["xl,SB01,2024-01-12,32,x,5,1",
                                                  "xl,SB01,2024-01-12,Jumlah,7,5,1"],
     [(2, "bad_count: impressions is not a whole number")],
     [(3, "national_total", "Jumlah")], [("xl", "SB01", "2024-01-12", None, 7, 5, 1)]),
    # a line the reader sets aside (a gap in the frame's index) before the rows: the total
    # still meets its province row
    ("a total after a line set aside", ["only,two", "xl,SB01,2024-01-12,32,10,5,1",
                                        "xl,SB01,2024-01-12,Jumlah,10,5,1"],
     [(2, "wrong_column_count: 2 columns, header has 7"), (4, TOTAL_ROW)], [],
     [("xl", "SB01", "2024-01-12", 32, 10, 5, 1)]),
    # the key holds the whole year: a day a century later is another day
    ("a total a century later is national", ["xl,SB01,2024-01-12,32,10,5,1",
                                             "xl,SB01,2124-01-12,Total,7,5,1"],
     [], [(3, "national_total", "Total"), (3, "outside_campaign", "2124-01-12")],
     [("xl", "SB01", "2024-01-12", 32, 10, 5, 1), ("xl", "SB01", "2124-01-12", None, 7, 5, 1)]),
    # national labels beyond the plain words: 'TOTAL INDONESIA', LibreOffice's pivot total
    ("'TOTAL INDONESIA' beside its provinces", ["xl,SB01,2024-01-12,32,10,5,1",
                                               "xl,SB01,2024-01-12,33,20,5,1",
                                               "xl,SB01,2024-01-12,TOTAL INDONESIA,30,10,2"],
     [(4, TOTAL_ROW)], [], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1),
                            ("xl", "SB01", "2024-01-12", 33, 20, 5, 1)]),
    ("LibreOffice's 'Total Result'", ["xl,SB01,2024-01-12,32,10,5,1",
                                      "xl,SB01,2024-01-12,Total Result,10,5,1"],
     [(3, TOTAL_ROW)], [], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1)]),
    ("'Total Indonesia' alone is national", ["xl,SB01,2024-01-12,Total Indonesia,7,5,1"],
     [], [(2, "national_total", "Total Indonesia")],
     [("xl", "SB01", "2024-01-12", None, 7, 5, 1)]),
    # a wave total sums the waves of its operator and day; alone it is still no wave's figure
    ("a wave 'Total' after its waves", ["xl,SB01,2024-01-12,32,10,5,1",
                                        "xl,SB02,2024-01-12,32,20,5,1",
                                        "xl,Total,2024-01-12,,30,10,2"],
     [(4, TOTAL_ROW)], [], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1),
                            ("xl", "SB02", "2024-01-12", 32, 20, 5, 1)]),
    ("a wave 'Total' alone", ["xl,Total,2024-01-12,32,30,10,2"], [(2, TOTAL_ROW)], [], []),
    # LibreOffice's Data > Subtotals grand row (totals.py), as the wave or the province
    ("a wave 'Grand Sum'", ["xl,SB01,2024-01-12,32,10,5,1", "xl,Grand Sum,2024-01-12,32,10,5,1"],
     [(3, TOTAL_ROW)], [], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1)]),
    ("a province 'Sum' beside its provinces", ["xl,SB01,2024-01-12,32,10,5,1",
                                               "xl,SB01,2024-01-12,33,20,5,1",
                                               "xl,SB01,2024-01-12,Sum,30,10,2"],
     [(4, TOTAL_ROW)], [], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1),
                            ("xl", "SB01", "2024-01-12", 33, 20, 5, 1)]),
    # A blank province: impressions no province could take, or a total whose label was left
    # out. Its impressions the sum of two or more province rows of its (operator, wave, day)
    # (and its devices no more than theirs): a total, set aside; else kept, warned
    ("a blank-province total of two rows", ["xl,SB01,2024-01-12,32,10,5,1",
                                            "xl,SB01,2024-01-12,33,20,5,1",
                                            "xl,SB01,2024-01-12,,30,10,2"],
     [(4, TOTAL_ROW)], [], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1),
                            ("xl", "SB01", "2024-01-12", 33, 20, 5, 1)]),
    ("a blank-province total first, devices below the sum", [
        "xl,SB01,2024-01-12,,30,9,", "xl,SB01,2024-01-12,32,10,5,1",
        "xl,SB01,2024-01-12,Atlantis,20,5,1"],
     [(2, TOTAL_ROW)], [(4, "unknown_province", "Atlantis")],
     [("xl", "SB01", "2024-01-12", 32, 10, 5, 1), ("xl", "SB01", "2024-01-12", None, 20, 5, 1)]),
    ("a blank province of another sum is kept", ["xl,SB01,2024-01-12,32,10,5,1",
                                                 "xl,SB01,2024-01-12,33,20,5,1",
                                                 "xl,SB01,2024-01-12,,31,10,2"],
     [], [(4, "blank_province", None)],
     [("xl", "SB01", "2024-01-12", 32, 10, 5, 1), ("xl", "SB01", "2024-01-12", 33, 20, 5, 1),
      ("xl", "SB01", "2024-01-12", None, 31, 10, 2)]),
    ("a blank province equal to one row is kept", ["xl,SB01,2024-01-12,32,10,5,1",
                                                   "xl,SB01,2024-01-12,,10,5,1"],
     [], [(3, "blank_province", None)],
     [("xl", "SB01", "2024-01-12", 32, 10, 5, 1), ("xl", "SB01", "2024-01-12", None, 10, 5, 1)]),
    ("a blank province with more devices than the sum is kept", [
        "xl,SB01,2024-01-12,32,10,5,1", "xl,SB01,2024-01-12,33,20,5,1",
        "xl,SB01,2024-01-12,,30,11,2"],
     [], [(4, "blank_province", None)],
     [("xl", "SB01", "2024-01-12", 32, 10, 5, 1), ("xl", "SB01", "2024-01-12", 33, 20, 5, 1),
      ("xl", "SB01", "2024-01-12", None, 30, 11, 2)]),
    ("a blank province of another day's sum is kept", ["xl,SB01,2024-01-12,32,10,5,1",
                                                       "xl,SB01,2024-01-12,33,20,5,1",
                                                       "xl,SB01,2024-01-13,,30,10,2"],
     [], [(4, "blank_province", None)],
     [("xl", "SB01", "2024-01-12", 32, 10, 5, 1), ("xl", "SB01", "2024-01-12", 33, 20, 5, 1),
      ("xl", "SB01", "2024-01-13", None, 30, 10, 2)]),
    ("a blank province alone is kept", ["xl,SB01,2024-01-12,,30,10,2"],
     [], [(2, "blank_province", None)], [("xl", "SB01", "2024-01-12", None, 30, 10, 2)]),
    # the sum is of the rows that load: a superseded line is not added
    ("a blank-province total of the latest lines", ["xl,SB01,2024-01-12,32,99,5,1",
                                                    "xl,SB01,2024-01-12,32,10,5,1",
                                                    "xl,SB01,2024-01-12,33,20,5,1",
                                                    "xl,SB01,2024-01-12,,30,10,2"],
     [(5, TOTAL_ROW)], [], [("xl", "SB01", "2024-01-12", 32, 10, 5, 1),
                            ("xl", "SB01", "2024-01-12", 33, 20, 5, 1)]),
    ("a rejected row is not added", ["xl,SB01,2024-01-12,32,10,5,1",
                                     "xl,SB01,2024-01-12,33,20,25,1",
                                     "xl,SB01,2024-01-12,,30,10,2"],
     [(3, "devices_exceed_impressions: unique_devices is more than impressions")],
     [(4, "blank_province", None)],
     [("xl", "SB01", "2024-01-12", 32, 10, 5, 1), ("xl", "SB01", "2024-01-12", None, 30, 10, 2)]),
    # an unknown province is no total: both load (the receipts' rule)
    ("an unknown province beside a province", ["xl,SB01,2024-01-12,32,10,5,1",
                                               "xl,SB01,2024-01-12,Jumlahan,7,5,1"],
     [], [(3, "unknown_province", "Jumlahan")],
     [("xl", "SB01", "2024-01-12", 32, 10, 5, 1), ("xl", "SB01", "2024-01-12", None, 7, 5, 1)]),
]


@pytest.mark.parametrize(("case", "rows", "expected_rejects", "expected_warnings", "kept"),
                         TOTALS, ids=[c[0] for c in TOTALS])
def test_a_status_bar_total_row_is_never_counted_twice(conn, tmp_path, case, rows,
                                                       expected_rejects, expected_warnings,
                                                       kept):
    result = load(conn, tmp_path, "status_bar", rows)
    assert [r[:2] for r in rejects(conn, result)] == expected_rejects
    assert [(w[0], w[1], w[3]) for w in warnings(conn, result)] == expected_warnings
    assert stored(conn, "status_bar") == sorted(kept, key=lambda r: (r[0], r[1], r[2],
                                                                     r[3] is None, r[3] or 0))
    assert conn.execute("SELECT unknown_province FROM ingest_log WHERE ingest_id = $id",
                        {"id": result.ingest_id}).fetchall() == [(
                            sum(w[1] == "unknown_province" for w in expected_warnings),)]


# (case, rows of a WhatsApp updates file, rejects (line, reason), views stored by update): a
# total label as the wave sums waves, so the row is no update's figure: set aside with its
# line and raw line, whatever else it gives (the status bar's wave rule), never loaded as a
# post without a wave or refused for a missing update id
WA_TOTALS = [
    ("a 'Total' wave under its updates", [WA, "U2,WA01,2024-01-16T10:00:00,600,10,2",
                                          ",Total,,1500,50,14"],
     [(4, TOTAL_ROW)], {"U1": 900, "U2": 600}),
    # LibreOffice's Data > Subtotals grand row, with the update's cells filled in
    ("LibreOffice's 'Grand Sum' wave", [WA, "Sum1,Grand Sum,2024-01-15T10:00:00,900,40,12"],
     [(3, TOTAL_ROW)], {"U1": 900}),
    ("a 'Sum' wave", [WA, ",Sum,,900,40,12"], [(3, TOTAL_ROW)], {"U1": 900}),
    ("'TOTAL INDONESIA' as the wave", [WA, "X9,TOTAL INDONESIA,2024-01-15,900,,"],
     [(3, TOTAL_ROW)], {"U1": 900}),
    ("a total wave first", ["T,Jumlah,2024-01-15,900,40,12", WA], [(2, TOTAL_ROW)],
     {"U1": 900}),
    ("a total wave alone", ["T,Total,2024-01-15,900,40,12"], [(2, TOTAL_ROW)], {}),
    # a total label as the update id, as before; a wave that is only like a label loads
    ("a 'Total' update id", [WA, "Total,,,900,40,12"], [(3, TOTAL_ROW)], {"U1": 900}),
    ("a wave 'Summary' is no total", [WA, "U2,Summary,2024-01-16T10:00:00,600,10,2"], [],
     {"U1": 900, "U2": 600}),
    ("a post without a wave is no total", [WA, "U2,,2024-01-16T10:00:00,600,10,2"], [],
     {"U1": 900, "U2": 600}),
]


@pytest.mark.parametrize(("case", "rows", "expected_rejects", "views"), WA_TOTALS,
                         ids=[c[0] for c in WA_TOTALS])
def test_a_whatsapp_total_row_is_never_counted_twice(conn, tmp_path, case, rows,
                                                     expected_rejects, views):
    result = load(conn, tmp_path, "wa_updates", rows)
    found = rejects(conn, result)
    assert [r[:2] for r in found] == expected_rejects
    for line, _, raw in found:  # the raw line kept beside the reason
        assert raw == rows[line - 2]
    assert {r[0]: r[3] for r in stored(conn, "wa_updates")} == views
    assert (result.counts.loaded, result.counts.rejected) == (len(views), len(expected_rejects))


def test_two_total_labels_of_one_national_key_are_one_row(conn, tmp_path):
    result = load(conn, tmp_path, "status_bar", ["xl,SB01,2024-01-12,Nasional,7,5,1",
                                                 "xl,SB01,2024-01-12,Indonesia,7,5,1"])
    assert (result.counts.loaded, result.counts.duplicate) == (1, 1)
    assert stored(conn, "status_bar") == [("xl", "SB01", "2024-01-12", None, 7, 5, 1)]


# (case, kind, rows, loaded, duplicate, superseded, what is stored)
SAME_KEY = [
    ("identical rows", "status_bar", [SB, SB], 1, 1, 0,
     [("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 50)]),
    ("the later line wins", "status_bar", [SB, SB.replace("1000", "1500")], 1, 0, 1,
     [("telkomsel", "SB01", "2024-01-12", 32, 1500, 800, 50)]),
    ("a repeat, then a change", "status_bar", [SB, SB, SB.replace("1000", "1500")], 1, 1, 1,
     [("telkomsel", "SB01", "2024-01-12", 32, 1500, 800, 50)]),
    ("a change, then back", "status_bar", [SB, SB.replace("1000", "1500"), SB], 1, 1, 1,
     [("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 50)]),
    ("the same numbers spelled otherwise", "status_bar",
     [SB, "Telkomsel,SB01,2024-01-12,Jawa Barat,1.000,800,50"], 1, 1, 0,
     [("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 50)]),
    ("empty clicks is another value than 0", "status_bar",
     [SB.replace(",50", ","), SB.replace(",50", ",0")], 1, 0, 1,
     [("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 0)]),
    ("two provinces are two rows", "status_bar", [SB, SB.replace(",32,", ",31,")], 2, 0, 0,
     [("telkomsel", "SB01", "2024-01-12", 31, 1000, 800, 50),
      ("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 50)]),
    ("two unknown provinces are two rows", "status_bar",
     [SB.replace(",32,", ",Atlantis,"), SB.replace(",32,", ",Lemuria,")], 2, 0, 0,
     [("telkomsel", "SB01", "2024-01-12", None, 1000, 800, 50)] * 2),
    # spellings are one province when they differ only in case, as lower case reads them:
    # 'Atlantıs' (a dotless ı) and 'Atlantis' are two (upper case makes both 'ATLANTIS')
    ("unknown provinces differing beyond case are two rows", "status_bar",
     [SB.replace(",32,", ",Atlantıs,"), SB.replace(",32,", ",Atlantis,")], 2, 0, 0,
     [("telkomsel", "SB01", "2024-01-12", None, 1000, 800, 50)] * 2),
    ("unknown provinces differing in case only are one", "status_bar",
     [SB.replace(",32,", ",Atlantis,"), SB.replace(",32,", ",ATLANTIS,")], 1, 1, 0,
     [("telkomsel", "SB01", "2024-01-12", None, 1000, 800, 50)]),
    ("a rejected row is no earlier state", "status_bar", [SB.replace("1000", "-1"), SB],
     1, 0, 0, [("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 50)]),
    ("an update exported twice", "wa_updates", [WA, WA.replace("900", "950")], 1, 0, 1,
     [("U1", "WA01", "2024-01-15 03:00:00", 950, 40, 12)]),
    ("an update repeated", "wa_updates", [WA, WA], 1, 1, 0,
     [("U1", "WA01", "2024-01-15 03:00:00", 900, 40, 12)]),
    ("an update given another wave", "wa_updates", [WA, WA.replace("WA01", "")], 1, 0, 1,
     [("U1", None, "2024-01-15 03:00:00", 900, 40, 12)]),
    ("a day given twice", "wa_daily", [DAILY, DAILY.replace("5000", "5100"), DAILY], 1, 1, 1,
     [("2024-01-15", 5000, 120, 7, 20000)]),
]


@pytest.mark.parametrize(("case", "kind", "rows", "loaded", "duplicate", "superseded",
                          "expected"), SAME_KEY, ids=[s[0] for s in SAME_KEY])
def test_duplicate_and_superseded_rows_within_a_file(conn, tmp_path, case, kind, rows, loaded,
                                                     duplicate, superseded, expected):
    result = load(conn, tmp_path, kind, rows)
    c = result.counts
    assert (c.loaded, c.duplicate, c.superseded) == (loaded, duplicate, superseded)
    assert stored(conn, kind) == expected


def test_warnings_are_of_the_loaded_row_only(conn, tmp_path):
    result = load(conn, tmp_path, "status_bar", [SB.replace("SB01", "SB99"),
                                                  SB.replace("SB01", "SB99").replace("50", "60")])
    assert warnings(conn, result) == [(3, "unknown_wave", "wave_id", "SB99")]


# (case, kind, first file, second file, replaced, what is stored after both)
LATER_FILES = [
    ("the operator, wave and day given again: all its provinces replaced", "status_bar",
     ["telkomsel,SB01,2024-01-12,32,1000,800,50", "telkomsel,SB01,2024-01-12,31,500,400,5",
      "telkomsel,SB01,2024-01-13,32,700,600,7", "xl,SB01,2024-01-12,32,300,200,3"],
     ["telkomsel,SB01,2024-01-12,32,1200,900,60"], 2,
     [("telkomsel", "SB01", "2024-01-12", 32, 1200, 900, 60),
      ("telkomsel", "SB01", "2024-01-13", 32, 700, 600, 7),
      ("xl", "SB01", "2024-01-12", 32, 300, 200, 3)]),
    ("another wave or day is added", "status_bar", ["telkomsel,SB01,2024-01-12,32,1000,800,50"],
     ["telkomsel,SB02,2024-01-12,32,10,8,1", "telkomsel,SB01,2024-01-14,32,20,8,1"], 0,
     [("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 50),
      ("telkomsel", "SB01", "2024-01-14", 32, 20, 8, 1),
      ("telkomsel", "SB02", "2024-01-12", 32, 10, 8, 1)]),
    ("a later export of an update", "wa_updates",
     ["U1,WA01,2024-01-15T10:00:00,100,4,1", "U2,WA01,2024-01-16T10:00:00,50,2,0"],
     ["U1,WA01,2024-01-15T10:00:00,180,9,3"], 1,
     [("U1", "WA01", "2024-01-15 03:00:00", 180, 9, 3),
      ("U2", "WA01", "2024-01-16 03:00:00", 50, 2, 0)]),
    ("a later export of a day", "wa_daily",
     ["2024-01-15,5000,120,7,20000", "2024-01-16,5100,110,10,21000"],
     ["2024-01-16,5110,120,10,21500", "2024-01-17,5200,95,5,22000"], 1,
     [("2024-01-15", 5000, 120, 7, 20000), ("2024-01-16", 5110, 120, 10, 21500),
      ("2024-01-17", 5200, 95, 5, 22000)]),
]


@pytest.mark.parametrize(("case", "kind", "first", "second", "replaced", "expected"),
                         LATER_FILES, ids=[f[0] for f in LATER_FILES])
def test_a_later_file_replaces_the_stored_rows_of_its_keys(conn, tmp_path, case, kind, first,
                                                           second, replaced, expected):
    assert load(conn, tmp_path, kind, first, name="a.csv").counts.replaced == 0
    result = load(conn, tmp_path, kind, second, name="b.csv")
    assert result.counts.replaced == replaced
    assert (f"replaced {replaced} stored rows" in result.message) == (replaced > 0)
    assert stored(conn, kind) == expected
    # the totals are those of the latest counts, not the two files added up
    count = {"status_bar": "impressions", "wa_updates": "views", "wa_daily": "followers"}[kind]
    table = {"status_bar": "status_bar_impressions"}.get(kind, kind)
    assert conn.execute(f"SELECT sum({count}) FROM {table}").fetchall() == [  # noqa: S608
        (sum(row[{"status_bar": 4, "wa_updates": 3, "wa_daily": 1}[kind]] for row in expected),)]


# An update's views, reactions and forwards only grow: a file that gives a stored update
# lower counts is an older export (loaded late, or to fill a gap). The higher stored count is
# kept and each lowered count warned `older_export` (value: the count given and the one
# kept); a count the file leaves empty lowers nothing and keeps the stored one.
# (case, first file, second file, warnings of the second (line, field, value), stored)
OLDER_EXPORTS = [
    ("an older export of an update", ["U1,WA01,2024-01-15T10:00:00,180,9,3"],
     ["U1,WA01,2024-01-15T10:00:00,100,4,1"],
     [(2, "forwards", "1 (kept 3)"), (2, "reactions", "4 (kept 9)"),
      (2, "views", "100 (kept 180)")], [("U1", "WA01", "2024-01-15 03:00:00", 180, 9, 3)]),
    ("only the reactions lower", ["U1,WA01,2024-01-15T10:00:00,100,9,1"],
     ["U1,WA01,2024-01-15T10:00:00,180,4,3"], [(2, "reactions", "4 (kept 9)")],
     [("U1", "WA01", "2024-01-15 03:00:00", 180, 9, 3)]),
    ("the same counts again", ["U1,WA01,2024-01-15T10:00:00,100,9,1"],
     ["U1,WA01,2024-01-15T10:00:00,100,9,1", "U2,WA01,2024-01-16T10:00:00,5,,"], [],
     [("U1", "WA01", "2024-01-15 03:00:00", 100, 9, 1),
      ("U2", "WA01", "2024-01-16 03:00:00", 5, None, None)]),
    ("one lower by one", ["U1,WA01,2024-01-15T10:00:00,100,9,1"],
     ["U1,WA01,2024-01-15T10:00:00,99,9,1"], [(2, "views", "99 (kept 100)")],
     [("U1", "WA01", "2024-01-15 03:00:00", 100, 9, 1)]),
    ("an empty count keeps the stored one", ["U1,WA01,2024-01-15T10:00:00,100,9,1"],
     ["U1,WA01,2024-01-15T10:00:00,120,,"], [],
     [("U1", "WA01", "2024-01-15 03:00:00", 120, 9, 1)]),
    ("a count given where none was stored", ["U1,WA01,2024-01-15T10:00:00,100,,"],
     ["U1,WA01,2024-01-15T10:00:00,90,3,0"], [(2, "views", "90 (kept 100)")],
     [("U1", "WA01", "2024-01-15 03:00:00", 100, 3, 0)]),
    # each update by its own stored counts; a line after a set-aside line keeps its own
    ("two updates, one older", ["U1,WA01,2024-01-15T10:00:00,100,9,1",
                                "U2,WA01,2024-01-16T10:00:00,50,2,0"],
     ["only,two", "U2,WA01,2024-01-16T10:00:00,70,2,0", "U1,WA01,2024-01-15T10:00:00,80,9,1"],
     [(4, "views", "80 (kept 100)")],
     [("U1", "WA01", "2024-01-15 03:00:00", 100, 9, 1),
      ("U2", "WA01", "2024-01-16 03:00:00", 70, 2, 0)]),
]


@pytest.mark.parametrize(("case", "first", "second", "expected", "kept"), OLDER_EXPORTS,
                         ids=[o[0] for o in OLDER_EXPORTS])
def test_an_older_export_never_lowers_an_updates_counts(conn, tmp_path, case, first, second,
                                                         expected, kept):
    load(conn, tmp_path, "wa_updates", first, name="newer.csv")
    result = load(conn, tmp_path, "wa_updates", second, name="older.csv")
    usable = [r for r in second if r != "only,two"]
    # every row still accounted for: loaded (with the higher counts kept), nothing lost
    assert (result.counts.loaded, result.counts.replaced) == (
        len(usable), sum(r.split(",")[0] in {f.split(",")[0] for f in first} for r in usable))
    assert sorted(w for w in warnings(conn, result) if w[1] == "older_export") == [
        (line, "older_export", field, value) for line, field, value in expected]
    assert stored(conn, "wa_updates") == kept


@pytest.mark.parametrize("kind", ["status_bar", "wa_updates", "wa_daily"])
def test_loading_the_same_file_again_changes_nothing(conn, tmp_path, kind):
    rows = {"status_bar": [SB], "wa_updates": [WA], "wa_daily": [DAILY]}[kind]
    first = load(conn, tmp_path, kind, rows)
    before = stored(conn, kind)
    again = ingest_file(conn, tmp_path / "f.csv", kind=kind)
    assert again.outcome == "already_loaded"
    assert stored(conn, kind) == before
    assert conn.execute("SELECT count(*), max(ingest_id) FROM ingest_log WHERE kind = $k",
                        {"k": kind}).fetchall() == [(1, first.ingest_id)]


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def _bom(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def _gzip_crlf_bom(data: bytes) -> bytes:
    return gzip.compress(_bom(_crlf(data)), mtime=0)


@pytest.mark.parametrize("kind", ["status_bar", "wa_updates", "wa_daily"])
@pytest.mark.parametrize("encode", [lambda d: gzip.compress(d, mtime=0), _crlf, _bom,
                                    _gzip_crlf_bom], ids=["gzip", "crlf", "bom", "all three"])
def test_gzip_crlf_and_bom_give_the_same_stored_rows(conn, tmp_path, kind, encode):
    rows = {"status_bar": [SB, "xl,SB01,2024-01-13,Jabar,1.500,900,", SB],
            "wa_updates": [WA, "U2,,2024-01-16 08:00,10,,"],
            "wa_daily": [DAILY, "2024-01-16,5100,,,"]}[kind]
    plain = load(conn, tmp_path, kind, rows, name="plain.csv")
    expected = stored(conn, kind)
    conn.execute(f"DELETE FROM {STORED[kind].split('FROM ')[1].split()[0]}")  # noqa: S608
    text = ("\n".join([HEADERS[kind], *rows]) + "\n").encode()
    path = write(tmp_path, "other.csv.gz", encode(text))
    result = ingest_file(conn, path)  # the kind told from the header, behind BOM and gzip
    assert result.kind == kind
    c, p = result.counts, plain.counts
    assert (c.rows_read, c.loaded, c.duplicate, c.superseded, c.warnings) == (
        p.rows_read, p.loaded, p.duplicate, p.superseded, p.warnings)
    assert stored(conn, kind) == expected


@pytest.mark.parametrize(("header", "kind"), [
    (SB_HEADER, "status_bar"),
    ("OPERATOR,Wave_ID,DATE,Province,Impressions,Unique_Devices,Clicks,Notes", "status_bar"),
    ("date,wave_id,province,operator,impressions,unique_devices", "status_bar"),
    (WA_HEADER, "wa_updates"),
    ("Update_ID,Posted_At,Views,Wave_ID,Channel_Name", "wa_updates"),
    (DAILY_HEADER, "wa_daily"),
    ("Date,Followers", "wa_daily"),
])
def test_the_kind_is_told_from_the_header(conn, tmp_path, header, kind):
    path = write(tmp_path, "x.csv", [header])
    result = ingest_file(conn, path)
    assert (result.outcome, result.kind) == ("loaded", kind)
    assert result.counts.rows_read == 0


def test_the_cli_takes_the_new_kinds():
    assert KINDS[-3:] == ("status_bar", "wa_updates", "wa_daily")
    for kind in KINDS[-3:]:
        assert build_parser().parse_args(["ingest", "--kind", kind, "f.csv"]).kind == kind


def test_a_failing_file_stores_nothing(conn, tmp_path, monkeypatch):
    first = load(conn, tmp_path, "status_bar", [SB, SB.replace(",32,", ",31,")], name="a.csv")
    before = stored(conn, "status_bar")
    # the replacing file's delete runs, then its insert fails: the delete must be undone
    monkeypatch.setitem(tabular.CHANNEL_WRITES, "status_bar", [
        tabular.CHANNEL_WRITES["status_bar"][0],
        "INSERT INTO status_bar_impressions SELECT operator, NULL, impression_date, "
        "province_code, impressions, unique_devices, clicks, $id FROM frame"])
    result = load(conn, tmp_path, "status_bar",
                  [SB.replace("1000", "2000"), "xl,SB99,2024-01-12,32,-1,1,1"], name="b.csv")
    assert result.outcome == "failed"
    # the message is the insert's own error, not the aborted transaction's refusal after it
    assert "NOT NULL constraint" in result.message, result.message
    assert stored(conn, "status_bar") == before
    assert conn.execute("SELECT count(*) FROM rejects").fetchall() == [(0,)]
    assert conn.execute("SELECT count(*) FROM load_warnings").fetchall() == [(0,)]
    assert conn.execute("SELECT ingest_id, outcome FROM ingest_log WHERE kind = 'status_bar' "
                        "ORDER BY 1").fetchall() == [(first.ingest_id, "loaded"),
                                                     (result.ingest_id, "failed")]


def test_rows_that_do_not_add_up_store_nothing(conn, tmp_path, monkeypatch):
    from dashboard.ingest import channels

    def losing(*args):
        checked = validate(*args)
        checked.superseded -= 1
        return checked

    validate = channels.validate_wa_updates
    monkeypatch.setattr(channels, "validate_wa_updates", losing)
    result = load(conn, tmp_path, "wa_updates", [WA, WA.replace("900", "901")])
    assert result.outcome == "failed"
    assert result.message == ("f.csv: could not be loaded: the file has 2 records but 1 "
                              "loaded, 0 duplicate and 0 rejected; nothing was stored")
    assert stored(conn, "wa_updates") == []


def test_a_mixed_file_accounts_for_every_row(conn, tmp_path):
    rows = [SB, SB,  # duplicate
            "xl,SB01,2024-01-12,32,10,5,1", "xl,SB01,2024-01-12,32,11,5,1",  # superseded
            "xl,SB01,2024-01-12,32,x,5,1", "xl,SB01,2024-01-12",  # rejected, wrong columns
            "indosat,SB99,2024-01-12,Atlantis,10,5,"]  # two warnings
    result = load(conn, tmp_path, "status_bar", rows)
    c = result.counts
    assert (c.rows_read, c.loaded, c.duplicate, c.superseded, c.rejected, c.warnings) == (
        7, 3, 1, 1, 2, 2)
    assert [r[:2] for r in rejects(conn, result)] == [
        (6, "bad_count: impressions is not a whole number"),
        (7, "wrong_column_count: 3 columns, header has 7")]
    assert re.match(r"7 rows: 3 loaded, 1 duplicate, 1 superseded, 2 rejected$",
                    result.message)


@pytest.mark.parametrize("key", sorted(
    {f"reason.{r[3].split(':')[0]}" for r in REJECTS}
    | {f"warning.{w[0]}" for case in (*WARNINGS, *OPTIONAL_COUNTS) for w in case[3]}
    | {f"warning.{w[1]}" for case in TOTALS for w in case[3]} | {"warning.older_export"}))
def test_every_reason_and_warning_is_shown_in_both_languages(key):
    assert set(TRANSLATIONS.get(key, {})) == {"id", "en"}


@pytest.mark.parametrize(("kind", "good", "expected"), [
    ("status_bar", SB, [("telkomsel", "SB01", "2024-01-12", 32, 1000, 800, 50)]),
    ("wa_updates", WA, [("U1", "WA01", "2024-01-15 03:00:00", 900, 40, 12)]),
    ("wa_daily", DAILY, [("2024-01-15", 5000, 120, 7, 20000)]),
])
def test_a_line_the_reader_sets_aside_does_not_shift_the_next_rows(conn, tmp_path, kind, good,
                                                                   expected):
    # line 2 cannot be split into the header's columns: the rows after it keep their values
    # (the reader's frame then has a gap in its index)
    result = load(conn, tmp_path, kind, ["only,two", good])
    assert (result.counts.loaded, result.counts.rejected) == (1, 1)
    assert stored(conn, kind) == expected
    assert [r[:2] for r in rejects(conn, result)] == [
        (2, f"wrong_column_count: 2 columns, header has {len(HEADERS[kind].split(','))}")]


@pytest.mark.parametrize(("text", "value", "reason"), [
    ("1.234", 1234, None), ("", None, "missing_count: impressions is empty"),
    ("-5", None, "negative_count: impressions is below 0"),
    ("1234567890123456789", None,
     "bad_count: impressions is too large (more than 18 digits)"),
    # separators do not count as digits: 11 digits in 20 characters is not "too large"
    ("1.2.3.4.5.6.7.8.9.10", None, "bad_count: impressions is not a whole number"),
])
def test_count_column_reasons(text, value, reason):
    from dashboard.ingest.channels import count_column

    values, reasons, _ = count_column(pd.Series([text], dtype="string"), "impressions",
                                      nullable=False)
    assert (None if pd.isna(values[0]) else values[0]) == value
    assert (None if pd.isna(reasons[0]) else reasons[0]) == reason


# an optional count: (as written, the value stored, the warning kind); never a reason
@pytest.mark.parametrize(("text", "value", "warning"), [
    ("12", 12, None), ("", None, None), (None, None, None), ("-", 0, "dash_read_as_zero"),
    ("\u2014", 0, "dash_read_as_zero"), ("--", None, "unusable_optional_count"),
    ("-7", None, "unusable_optional_count"), ("n/a", None, "unusable_optional_count"),
    ("9" * 19, None, "unusable_optional_count"), ("1.5", None, "unusable_optional_count"),
])
def test_count_column_of_an_optional_count(text, value, warning):
    from dashboard.ingest.channels import count_column

    values, reasons, warnings_ = count_column(pd.Series([text, "3"], index=[5, 9],
                                                        dtype="string"), "clicks", nullable=True)
    assert [str(s.dtype) for s in (values, reasons, warnings_)] == ["Int64", "string",
                                                                    "string"]
    assert [s.index.tolist() for s in (values, reasons, warnings_)] == [[5, 9]] * 3
    assert values.tolist() == [pd.NA if value is None else value, 3]
    assert reasons.isna().all()
    assert warnings_.tolist() == [pd.NA if warning is None else warning, pd.NA]



# A rejected row's stored raw line quotes a cell as CSV does, so a cell holding the
# delimiter reads as one cell, not two. (kind, the rejected row as written, its raw line)
RAW_LINES = [
    ("status_bar", 'telkomsel,SB01,2024-01-12,32,"1.234,50",800,', None),
    ("status_bar", 'telkomsel,SB01,2024-01-12,"Jawa Barat, Kab. Bogor",x,800,', None),
    ("wa_updates", 'U1,WA01,"15 Jan, 10:00",900,40,12', None),
    ("wa_daily", '2024-01-15,"5,000.5",120,7,20000', None),
    # a cell holding a quote is written with the quote doubled, as csv writes it
    ("status_bar", 'telkomsel,SB01,2024-01-12,32,"12""",800,', None),
    # spaces around a cell are not kept (the reader strips cells); no quote where none needed
    ("status_bar", "telkomsel,SB01,2024-01-12,32, -5 ,800,",
     "telkomsel,SB01,2024-01-12,32,-5,800,"),
]


@pytest.mark.parametrize(("kind", "row", "raw"), RAW_LINES)
def test_a_rejected_rows_raw_line_keeps_its_cells_apart(conn, tmp_path, kind, row, raw):
    result = load(conn, tmp_path, kind, [row])
    [(line, _, stored_raw)] = rejects(conn, result)
    assert (line, stored_raw) == (2, raw or row)


# (kind, its table, a good row, a rejected row): Checked holds the rows to store as "line and
# the table's columns", rejects as (line, reason, raw) and warnings as (line, kind, field,
# value). DuckDB binds a registered frame's columns by name whatever their case and the loader
# rebuilds a missing raw column, so only the frames themselves show a column named otherwise
# (mutants renamed PROVINCE_CODE, WAVE_ID, RAW, ... or kept an 'index' column, and loaded the
# same rows)
CHECKED_FRAMES = [
    ("status_bar", "status_bar_impressions", SB, "telkomsel,SB01,2024-01-12,32,-5,0,0"),
    ("wa_updates", "wa_updates", WA, ",WA01,2024-01-15T10:00:00,900,40,12"),
    ("wa_daily", "wa_daily", DAILY, "2024-01-16,,120,7,20000"),
]


@pytest.mark.parametrize(("kind", "table", "good", "bad"), CHECKED_FRAMES)
def test_the_checked_frames_carry_their_columns_by_name(conn, kind, table, good, bad):
    from dashboard import reference
    from dashboard.ingest import channels

    frame = pd.DataFrame([good.split(","), bad.split(",")], columns=HEADERS[kind].split(","),
                         dtype="string")
    catalogue = channels.Catalogue.of(pd.DataFrame({  # a catalogue without the row's wave
        "wave_id": ["X1"], "channel": ["sms"], "sent_date": ["2030-01-01"]}))
    checked = (channels.validate_status_bar(frame, catalogue, {"telkomsel": "telkomsel"},
                                            reference.province_code)
               if kind == "status_bar" else
               getattr(channels, f"validate_{kind}")(frame, catalogue))
    assert (len(checked.clean), len(checked.rejects)) == (1, 1)
    columns = [c for (c,) in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $t "
        "AND column_name <> 'ingest_id' ORDER BY ordinal_position", {"t": table}).fetchall()]
    assert list(checked.clean.columns) == ["line", *columns]
    assert list(checked.rejects.columns) == ["line", "reason", "raw"]
    assert checked.rejects["raw"].tolist() == [bad]
    assert list(checked.warnings.columns) == ["line", "kind", "field", "value"]
    assert len(checked.warnings) > 0 and set(checked.warnings["line"]) == {2}


# keep_higher_counts alone: (case, the file's (update, views, reactions, forwards), the stored
# ones, what is kept, warnings (line, field, value)); the file's lines are 2, 3, ...
KEEP_HIGHER = [
    ("nothing stored", [("U1", 5, 1, 0)], [], [("U1", 5, 1, 0)], []),
    ("a higher file", [("U1", 6, 2, 1)], [("U1", 5, 1, 0)], [("U1", 6, 2, 1)], []),
    ("equal", [("U1", 5, 1, 0)], [("U1", 5, 1, 0)], [("U1", 5, 1, 0)], []),
    ("every count lower", [("U1", 4, 0, 0)], [("U1", 5, 1, 1)], [("U1", 5, 1, 1)],
     [(2, "views", "4 (kept 5)"), (2, "reactions", "0 (kept 1)"),
      (2, "forwards", "0 (kept 1)")]),
    ("empty in the file", [("U1", 5, None, None)], [("U1", 5, 1, 0)], [("U1", 5, 1, 0)], []),
    ("empty in both", [("U1", 5, None, None)], [("U1", 5, None, None)],
     [("U1", 5, None, None)], []),
    ("empty stored", [("U1", 5, 1, 0)], [("U1", 5, None, None)], [("U1", 5, 1, 0)], []),
    ("another update stored", [("U1", 4, 1, 0)], [("U2", 9, 9, 9)], [("U1", 4, 1, 0)], []),
    ("the second line lower", [("U1", 9, 1, 0), ("U2", 1, 1, 0)],
     [("U1", 5, 1, 0), ("U2", 3, 1, 0)], [("U1", 9, 1, 0), ("U2", 3, 1, 0)],
     [(3, "views", "1 (kept 3)")]),
]


@pytest.mark.parametrize(("case", "given", "stored_rows", "kept", "expected"), KEEP_HIGHER,
                         ids=[k[0] for k in KEEP_HIGHER])
def test_keep_higher_counts(case, given, stored_rows, kept, expected):
    from dashboard.ingest import channels

    def frame(rows):
        return pd.DataFrame(rows, columns=["update_id", *channels.GROWING_COUNTS]).astype(
            {c: "Int64" for c in channels.GROWING_COUNTS})

    clean = frame(given)
    clean.insert(0, "line", range(2, 2 + len(given)))
    result, found = channels.keep_higher_counts(clean, frame(stored_rows))
    assert list(result.columns) == list(clean.columns)
    assert result["line"].tolist() == clean["line"].tolist()
    assert [tuple(None if pd.isna(v) else v for v in row)
            for row in result.drop(columns="line").itertuples(index=False)] == kept
    assert [tuple(w) for w in found.itertuples(index=False)] == [
        (line, "older_export", field, value) for line, field, value in expected]
    assert list(found.columns) == ["line", "kind", "field", "value"]
    assert found.index.tolist() == list(range(len(expected)))  # one frame, not three pasted
