"""Contract tests of the Kanal page's marts (issue 17): status-bar and WhatsApp Channel rows
inserted straight into their tables on a fresh database (the ingest is tested on its own),
SMS receipts loaded as files. Every expected number is worked out by hand from the rows
below, never by the code under test."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.export.provenance import data_of_table, provenance
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import channels, tables
from dashboard.store import db
from tests.conftest import HEADER, receipt, write

WAVES = [  # wave_id, channel, sent_date, theme
    ("SMS01", "sms", "2023-12-05", "turnout"),
    ("SMS02", "sms", "2023-12-12", "anti_hoax"),
    ("SB01", "status_bar", "2023-12-15", "turnout"),
    ("SB02", "status_bar", "2024-01-15", "valid_ballot"),
    ("WA01", "whatsapp_channel", "2023-12-01", "anti_hoax"),
]
STATUS_BAR = [  # operator, wave, day, province, impressions, unique devices, clicks
    ("telkomsel", "SB01", "2023-12-15", 32, 1000, 800, 20),
    ("telkomsel", "SB01", "2023-12-16", 32, 600, 500, 10),
    ("telkomsel", "SB01", "2023-12-15", 31, 400, 300, 5),
    ("xl", "SB01", "2023-12-15", 32, 300, 250, None),
    ("xl", "SB01", "2023-12-15", None, 100, 90, None),  # unknown province
    ("indosat", "SB02", "2024-01-15", 11, 2000, 1500, None),  # a text without a link
    ("indosat", "SB02", "2024-01-16", 11, 1000, 900, None),
    ("smartfren", "SB99", "2024-01-20", 51, 50, 40, 1),  # not in the catalogue
]
WA_UPDATES = [  # update id, wave, posted at, views, reactions, forwards
    ("u1", "WA01", "2023-12-01 09:00:00+07", 1000, 50, 20),
    ("u2", "WA01", "2023-12-02 10:00:00+07", 500, 10, 5),
    ("u3", None, "2023-12-02 23:30:00+00", 300, None, None),  # 3 Dec 06:30 WIB, no wave
    ("u4", "WA77", "2024-01-10 12:00:00+07", 200, 4, 1),  # not in the catalogue
]
WA_DAILY = [  # day, followers, gained, lost, accounts reached in 30 days
    ("2023-12-01", 100, 100, 0, None),
    ("2023-12-02", 180, 90, 10, 500),
    ("2023-12-03", 150, 5, 35, 900),
]
# SMS: SMS01 to A and B (delivered), SMS02 to A (delivered) and C (failed), SMS99 (a wave
# the catalogue lacks) to D (delivered)
RECEIPTS = [
    receipt("M1", msisdn="081200000001"),
    receipt("M2", msisdn="081200000002"),
    receipt("M3", msisdn="081200000001", wave="SMS02", submitted="2023-12-12 10:00:00",
            done="2023-12-12 10:00:30"),
    receipt("M4", msisdn="081200000003", wave="SMS02", status="UNDELIV", error="027",
            submitted="2023-12-12 10:00:00", done="2023-12-12 10:00:30"),
    receipt("M5", msisdn="081200000004", wave="SMS99"),
]


def insert(conn, table: str, rows: list[tuple]) -> None:
    """Rows straight into a table, ingest_id 1 appended (values bound, never formatted)."""
    if not rows:
        return
    marks = ", ".join(["?"] * (len(rows[0]) + 1))
    conn.executemany(f"INSERT INTO {table} VALUES ({marks})",  # noqa: S608 - names above
                     [(*row, 1) for row in rows])


def load_channels(conn) -> None:
    insert(conn, "waves", [(*w, None) for w in WAVES])
    insert(conn, "status_bar_impressions", STATUS_BAR)
    insert(conn, "wa_updates", WA_UPDATES)
    insert(conn, "wa_daily", WA_DAILY)


@pytest.fixture
def loaded(conn, tmp_path):
    load_channels(conn)
    assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *RECEIPTS])).ok
    return conn


def by_wave(frame: pd.DataFrame, channel: str, column: str) -> dict:
    rows = frame[frame["channel"] == channel]
    return {w if isinstance(w, str) else None: (None if pd.isna(v) else v)
            for w, v in zip(rows["wave_id"], rows[column], strict=True)}


# --- channel_wave --------------------------------------------------------------------------

# (channel, wave, in catalogue, delivered, unique reach, impressions, unique devices, clicks,
#  click rate, updates, views, reactions, forwards); None: the measure does not apply
EVERY_WAVE = [
    ("sms", "SMS01", True, 2, 2, None, None, None, None, None, None, None, None),
    ("sms", "SMS02", True, 1, 1, None, None, None, None, None, None, None, None),
    ("sms", "SMS99", False, 1, 1, None, None, None, None, None, None, None, None),
    ("status_bar", "SB01", True, None, None, 2400, 1940, 35, 35 / 2000, None, None, None, None),
    ("status_bar", "SB02", True, None, None, 3000, 2400, None, None, None, None, None, None),
    ("status_bar", "SB99", False, None, None, 50, 40, 1, 1 / 50, None, None, None, None),
    ("whatsapp_channel", "WA01", True, None, None, None, None, None, None, 2, 1500, 60, 25),
    ("whatsapp_channel", "WA77", False, None, None, None, None, None, None, 1, 200, 4, 1),
    ("whatsapp_channel", None, False, None, None, None, None, None, None, 1, 300, None, None),
]
MEASURE_COLUMNS = ["delivered", "unique_reach", "impressions", "unique_devices", "clicks",
                   "click_rate", "updates", "views", "reactions", "forwards"]


def _plain(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 9) if isinstance(value, float) else int(value) if not isinstance(
        value, (str, bool)) else value


def test_channel_wave_has_one_row_per_channel_and_wave_with_its_own_measures(loaded):
    frame = tables.table(loaded, "channel_wave", Filters(), approximate=False)
    assert list(frame.columns) == list(channels.CHANNEL_WAVE_COLUMNS)
    got = sorted((tuple(_plain(v) for v in row) for row in frame[
        ["channel", "wave_id", "in_catalogue", *MEASURE_COLUMNS]].itertuples(index=False)),
        key=lambda r: (r[0], r[1] or "~"))
    expected = sorted((tuple(_plain(v) for v in row) for row in EVERY_WAVE),
                      key=lambda r: (r[0], r[1] or "~"))
    assert got == expected


def test_channel_wave_takes_the_catalogue_date_and_theme_else_the_first_day(loaded):
    frame = tables.table(loaded, "channel_wave", Filters(), approximate=False)
    dates = {(c, w): d.date() for c, w, d in
             zip(frame["channel"], frame["wave_id"], frame["sent_date"], strict=True)}
    assert dates[("status_bar", "SB01")] == dt.date(2023, 12, 15)  # the catalogue's
    assert dates[("status_bar", "SB99")] == dt.date(2024, 1, 20)  # its first impression day
    assert dates[("whatsapp_channel", "WA77")] == dt.date(2024, 1, 10)  # its day posted (WIB)
    assert by_wave(frame, "status_bar", "theme") == {"SB01": "turnout", "SB02": "valid_ballot",
                                                     "SB99": None}


# (filters, {(channel, wave): headline measure}): status bar impressions, WhatsApp views, SMS
# delivered. Operators and provinces narrow SMS and the status bar, never the WhatsApp
# Channel (national); the wave filter is SMS's alone; days are WIB days.
FILTER_CASES = [
    (Filters(), {("sms", "SMS01"): 2, ("sms", "SMS02"): 1, ("sms", "SMS99"): 1,
                 ("status_bar", "SB01"): 2400, ("status_bar", "SB02"): 3000,
                 ("status_bar", "SB99"): 50, ("whatsapp_channel", "WA01"): 1500,
                 ("whatsapp_channel", "WA77"): 200, ("whatsapp_channel", None): 300}),
    (Filters(operators=("xl",)), {("status_bar", "SB01"): 400,
                                  ("whatsapp_channel", "WA01"): 1500,
                                  ("whatsapp_channel", "WA77"): 200,
                                  ("whatsapp_channel", None): 300}),
    (Filters(provinces=(32,)), {("sms", "SMS01"): 2, ("sms", "SMS02"): 1, ("sms", "SMS99"): 1,
                                ("status_bar", "SB01"): 1900,
                                ("whatsapp_channel", "WA01"): 1500,
                                ("whatsapp_channel", "WA77"): 200,
                                ("whatsapp_channel", None): 300}),
    (Filters(date_from=dt.date(2023, 12, 3)),
     {("sms", "SMS01"): 2, ("sms", "SMS02"): 1, ("sms", "SMS99"): 1,
      ("status_bar", "SB01"): 2400, ("status_bar", "SB02"): 3000, ("status_bar", "SB99"): 50,
      ("whatsapp_channel", "WA77"): 200, ("whatsapp_channel", None): 300}),
    (Filters(date_to=dt.date(2023, 12, 2)), {("whatsapp_channel", "WA01"): 1500}),
    (Filters(date_from=dt.date(2023, 12, 15), date_to=dt.date(2023, 12, 15)),
     {("status_bar", "SB01"): 1800}),
    (Filters(waves=("SMS02",)), {("sms", "SMS02"): 1, ("status_bar", "SB01"): 2400,
                                 ("status_bar", "SB02"): 3000, ("status_bar", "SB99"): 50,
                                 ("whatsapp_channel", "WA01"): 1500,
                                 ("whatsapp_channel", "WA77"): 200,
                                 ("whatsapp_channel", None): 300}),
    # a user scoped to Jawa Barat: its status-bar rows only; WhatsApp stays national
    (Filters().within((32,)), {("sms", "SMS01"): 2, ("sms", "SMS02"): 1, ("sms", "SMS99"): 1,
                               ("status_bar", "SB01"): 1900,
                               ("whatsapp_channel", "WA01"): 1500,
                               ("whatsapp_channel", "WA77"): 200,
                               ("whatsapp_channel", None): 300}),
    # a choice wholly outside the scope: no status bar (never the whole country)
    (Filters(provinces=(31,)).within((32,)), {("whatsapp_channel", "WA01"): 1500,
                                              ("whatsapp_channel", "WA77"): 200,
                                              ("whatsapp_channel", None): 300}),
]
HEADLINE = {"sms": "delivered", "status_bar": "impressions", "whatsapp_channel": "views"}


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_filters_apply_to_the_channels_they_can(loaded, filters, expected):
    frame = tables.table(loaded, "channel_wave", filters, approximate=False)
    got = {}
    for channel, column in HEADLINE.items():
        got |= {(channel, w): v for w, v in by_wave(frame, channel, column).items()}
    assert got == expected


@pytest.mark.parametrize(("filters", "expected"), [
    (Filters(), [("u1", "2023-12-01"), ("u2", "2023-12-02"), ("u3", "2023-12-03"),
                 ("u4", "2024-01-10")]),
    (Filters(operators=("xl",), provinces=(32,)).within((32,)),
     [("u1", "2023-12-01"), ("u2", "2023-12-02"), ("u3", "2023-12-03"), ("u4", "2024-01-10")]),
    (Filters(date_from=dt.date(2023, 12, 3), date_to=dt.date(2023, 12, 31)),
     [("u3", "2023-12-03")]),
])
def test_wa_updates_are_national_and_dated_by_their_wib_day(loaded, filters, expected):
    frame = tables.table(loaded, "wa_updates", filters)
    assert [(u, str(d.date() if hasattr(d, "date") else d)) for u, d in
            zip(frame["update_id"], frame["posted_date"], strict=True)] == expected


def test_wa_updates_mark_unknown_and_missing_waves(loaded):
    frame = tables.table(loaded, "wa_updates", Filters())
    marks = dict(zip(frame["update_id"], frame["in_catalogue"], strict=True))
    assert (marks["u1"], marks["u4"]) == (True, False)
    assert pd.isna(marks["u3"])  # names no wave: neither known nor unknown


@pytest.mark.parametrize(("filters", "expected"), [
    (Filters(), [("2023-12-01", 100, 1), ("2023-12-02", 180, 1), ("2023-12-03", 150, 1)]),
    (Filters(operators=("xl",), provinces=(11,)),
     [("2023-12-01", 100, 1), ("2023-12-02", 180, 1), ("2023-12-03", 150, 1)]),
    (Filters(date_from=dt.date(2023, 12, 2)), [("2023-12-02", 180, 1), ("2023-12-03", 150, 1)]),
])
def test_wa_daily_has_the_followers_and_the_posting_days(loaded, filters, expected):
    frame = tables.table(loaded, "wa_daily", filters)
    assert [(str(d.date()), f, p) for d, f, p in zip(
        pd.to_datetime(frame["insight_date"]), frame["followers"], frame["updates_posted"],
        strict=True)] == expected


# --- the status bar's parts add up ---------------------------------------------------------

@pytest.mark.parametrize(("filters", "overall"), [
    # (impressions, unique devices, clicks, impressions with a click count)
    (Filters(), (5450, 4380, 36, 2050)),
    (Filters(operators=("telkomsel", "xl")), (2400, 1940, 35, 2000)),
    (Filters(provinces=(32, 31)), (2300, 1850, 35, 2000)),
    (Filters(date_from=dt.date(2024, 1, 1)), (3050, 2440, 1, 50)),
    (Filters().within((11,)), (3000, 2400, None, 0)),
])
def test_province_sums_equal_wave_totals_equal_the_overall_total(loaded, filters, overall):
    rows = tables.table(loaded, "status_bar_province", filters)
    waves = channels.channel_rows(tables.table(loaded, "channel_wave", filters,
                                               approximate=False), "status_bar")
    provinces = channels.status_bar_sums(rows, ["province_code"])
    total = channels.status_bar_sums(rows).iloc[0]
    got = (int(total["impressions"]), int(total["unique_devices"]),
           None if pd.isna(total["clicks"]) else int(total["clicks"]),
           int(total["impressions_with_link"]))
    assert got == overall
    for column in ("impressions", "unique_devices"):
        assert int(provinces[column].sum()) == int(waves[column].sum()) == got[
            ("impressions", "unique_devices").index(column)]
    clicks = waves["clicks"].dropna()
    assert (int(clicks.sum()) if len(clicks) else None) == got[2]


@pytest.mark.parametrize(("by", "expected"), [
    # (key, impressions, clicks, click rate): no rate where no row has a click count
    (["province_code"], [(11, 3000, None, None), (31, 400, 5, 5 / 400),
                         (32, 1900, 30, 30 / 1600), (51, 50, 1, 1 / 50),
                         (None, 100, None, None)]),
    (["operator"], [("indosat", 3000, None, None), ("smartfren", 50, 1, 1 / 50),
                    ("telkomsel", 2000, 35, 35 / 2000), ("xl", 400, None, None)]),
    (["wave_id"], [("SB01", 2400, 35, 35 / 2000), ("SB02", 3000, None, None),
                   ("SB99", 50, 1, 1 / 50)]),
])
def test_status_bar_sums_by_one_key(loaded, by, expected):
    sums = channels.status_bar_sums(tables.table(loaded, "status_bar_province", Filters()), by)
    got = [(_plain(k), int(i), _plain(c), _plain(r)) for k, i, c, r in zip(
        sums[by[0]], sums["impressions"], sums["clicks"], sums["click_rate"], strict=True)]
    assert got == [(k, i, c, None if r is None else round(r, 9)) for k, i, c, r in expected]


@pytest.mark.parametrize("filters", [case[0] for case in FILTER_CASES])
def test_unique_devices_are_never_above_impressions(loaded, filters):
    rows = tables.table(loaded, "status_bar_province", filters)
    waves = tables.table(loaded, "channel_wave", filters, approximate=False)
    waves = waves[waves["channel"] == "status_bar"]
    for frame in (rows, waves, channels.status_bar_sums(rows, ["province_code"])):
        assert (frame["unique_devices"] <= frame["impressions"]).all()
    assert not set(rows["province_code"].dropna().astype(int)) - set(
        filters.effective_provinces or range(100))


def test_a_status_bar_wave_listed_for_another_channel_is_unknown(conn):
    insert(conn, "waves", [("SMS01", "sms", "2023-12-05", "turnout", "x")])
    insert(conn, "status_bar_impressions", [("xl", "SMS01", "2023-12-05", 32, 10, 9, None)])
    frame = tables.table(conn, "channel_wave", Filters(), approximate=False)
    assert frame[["channel", "wave_id", "in_catalogue", "impressions"]].values.tolist() == [
        ["status_bar", "SMS01", False, 10]]


# --- empty tables ----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "columns"), [
    ("channel_wave", list(channels.CHANNEL_WAVE_COLUMNS)),
    ("status_bar_province", ["wave_id", "operator", "province_code", "impressions",
                             "unique_devices", "clicks", "impressions_with_link",
                             "click_rate"]),
    ("wa_updates", ["update_id", "wave_id", "in_catalogue", "theme", "posted_at",
                    "posted_date", "views", "reactions", "forwards"]),
    ("wa_daily", ["insight_date", "followers", "gained", "lost", "accounts_reached_30d",
                  "updates_posted"]),
])
@pytest.mark.parametrize("filters", [Filters(), Filters(provinces=(32,), operators=("xl",))])
def test_empty_tables_give_empty_results_not_errors(conn, name, columns, filters):
    frame = tables.table(conn, name, filters, **(
        {"approximate": False} if name in tables.EXACT_OPTION else {}))
    assert frame.empty and list(frame.columns) == columns


def test_empty_status_bar_sums_and_whatsapp_summary(conn):
    rows = tables.table(conn, "status_bar_province", Filters())
    assert channels.status_bar_sums(rows, ["province_code"]).empty
    total = channels.status_bar_sums(rows).iloc[0]
    assert (int(total["impressions"]), pd.isna(total["clicks"]),
            pd.isna(total["click_rate"])) == (0, True, True)
    summary = channels.whatsapp_summary(tables.table(conn, "wa_updates", Filters()),
                                        tables.table(conn, "wa_daily", Filters()))
    assert summary == {"updates": 0, "views": None, "reactions": None, "forwards": None,
                       "followers": None, "followers_date": None, "followers_change": None}
    assert channels.has_channel_data(conn) == {"sms": False, "status_bar": False,
                                               "whatsapp_channel": False}


def test_whatsapp_summary_of_the_loaded_rows(loaded):
    summary = channels.whatsapp_summary(tables.table(loaded, "wa_updates", Filters()),
                                        tables.table(loaded, "wa_daily", Filters()))
    assert {k: summary[k] for k in ("updates", "views", "reactions", "forwards", "followers",
                                    "followers_change")} == {
        "updates": 4, "views": 2000, "reactions": 64, "forwards": 26, "followers": 150,
        "followers_change": 50}
    assert str(pd.Timestamp(summary["followers_date"]).date()) == "2023-12-03"
    assert channels.has_channel_data(loaded) == {"sms": True, "status_bar": True,
                                                 "whatsapp_channel": True}


# --- exports ------------------------------------------------------------------------------

@pytest.fixture
def loaded_file(tmp_path):
    path = tmp_path / "kanal.duckdb"
    with db.connect(path) as conn:
        load_channels(conn)
        assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *RECEIPTS])).ok
    return path


@pytest.mark.parametrize(("table", "rows", "totals"), [
    ("channel_wave", 9, {"impressions": 5450, "views": 2000, "delivered": 4}),
    ("status_bar_province", 6, {"impressions": 5450, "unique_devices": 4380}),
    ("wa_updates", 4, {"views": 2000, "reactions": 64}),
    ("wa_daily", 3, {"followers": 430, "updates_posted": 3}),
])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_cli_export_writes_snake_case_english_columns(loaded_file, tmp_path, table, rows,
                                                     totals, fmt):
    out = tmp_path / f"{table}.{fmt}"
    assert main(["export", table, "--format", fmt, "--out", str(out), "--db",
                 str(loaded_file), "--lang", "en"]) == 0
    got = (pd.read_csv(out, encoding="utf-8-sig") if fmt == "csv"
           else pd.DataFrame(json.loads(out.read_text(encoding="utf-8"))))
    assert len(got) == rows
    assert all(c == c.lower() and " " not in c for c in got.columns), list(got.columns)
    assert {c: int(got[c].sum()) for c in totals} == totals


def test_cli_export_filters_the_status_bar_and_not_whatsapp(loaded_file, tmp_path):
    out = tmp_path / "cw.json"
    assert main(["export", "channel_wave", "--format", "json", "--out", str(out), "--db",
                 str(loaded_file), "--operator", "xl"]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {(r["channel"], r["wave_id"]): r["impressions"] or r["views"] for r in rows
            if r["channel"] != "sms"} == {("status_bar", "SB01"): 400,
                                          ("whatsapp_channel", "WA01"): 1500,
                                          ("whatsapp_channel", "WA77"): 200,
                                          ("whatsapp_channel", None): 300}


# --- provenance ---------------------------------------------------------------------------

@pytest.mark.parametrize(("kinds", "filters", "lang", "source", "period"), [
    (("status_bar",), Filters(), "id",
     "Sumber: laporan tayangan status bar Telkomsel, Indosat, XL, Smartfren (SB01, SB02, "
     "SB99).",
     "Periode: 15 Des 2023 – 20 Jan 2024"),
    (("status_bar",), Filters(operators=("xl",)), "en",
     "Source: status-bar impression reports of XL (SB01).", "Period: 15 Dec 2023"),
    (("wa_updates",), Filters(), "id",
     "Sumber: ekspor statistik Saluran WhatsApp (4 unggahan).",
     "Periode: 1 Des 2023 – 10 Jan 2024"),
    (("wa_daily",), Filters(provinces=(32,)), "en",
     "Source: WhatsApp Channel daily insights, 1 Dec 2023 – 3 Dec 2023.",
     "Period: 1 Dec 2023 – 3 Dec 2023"),
])
def test_each_channel_names_its_own_source_and_period(loaded, kinds, filters, lang, source,
                                                     period):
    origin = provenance(loaded, kinds, filters, lang)
    assert origin.sources == (source,)
    assert origin.period.startswith(period)


@pytest.mark.parametrize(("table", "kinds"), [
    ("channel_wave", ("receipts", "status_bar", "wa_updates")),
    ("status_bar_province", ("status_bar",)),
    ("wa_updates", ("wa_updates",)),
    ("wa_daily", ("wa_daily", "wa_updates")),
    ("reach_wave", ("receipts",)),
])
def test_each_export_table_says_its_data(table, kinds):
    assert data_of_table(table) == kinds


def test_an_empty_channel_has_no_source_line(conn):
    assert provenance(conn, ("status_bar", "wa_updates", "wa_daily"), Filters()).sources == ()


# --- charts -------------------------------------------------------------------------------

def _frames(conn) -> dict[str, pd.DataFrame]:
    return {name: tables.table(conn, name, Filters(), **(
        {"approximate": False} if name == "channel_wave" else {}))
        for name in ("channel_wave", "status_bar_province", "wa_updates", "wa_daily")}


@pytest.mark.parametrize("name", sorted(channels.FIGURE_TABLES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_kanal_chart_of_empty_tables_says_no_data_with_its_title(conn, name, lang):
    fig = channels.figure_from(name, _frames(conn), lang)
    assert fig.layout.title.text
    assert [a.name for a in fig.layout.annotations] == ["no_data"]


@pytest.mark.parametrize(("name", "lang", "labels"), [
    # in the order sent, then by id; a wave the catalogue does not know last (SMS99's first
    # send day is SMS01's: not placed among the campaign's waves)
    ("sms_waves", "id", ["SMS01", "SMS02", "SMS99<br>(tak dikenal)"]),
    ("status_bar_waves", "en", ["SB01", "SB02", "SB99<br>(unknown)"]),
    ("wa_waves", "id", ["WA01", "tanpa gelombang", "WA77<br>(tak dikenal)"]),
    ("status_bar_operators", "en", ["SB01", "SB02", "SB99<br>(unknown)"]),
])
def test_wave_charts_name_unknown_waves_and_posts_without_a_wave(loaded, name, lang, labels):
    fig = channels.figure_from(name, _frames(loaded), lang)
    assert list(fig.data[0].y) == labels


def test_the_click_rate_chart_has_no_bar_where_the_text_had_no_link(loaded):
    fig = channels.figure_from("status_bar_click_rate", _frames(loaded), "id")
    bars = {trace.name: dict(zip(trace.y, trace.x, strict=True)) for trace in fig.data}
    assert list(bars) == ["Telkomsel", "Indosat Ooredoo Hutchison", "XL Axiata", "Smartfren"]
    assert bars["Telkomsel"]["SB01"] == pytest.approx(35 / 2000)
    assert math.isnan(bars["Indosat Ooredoo Hutchison"]["SB02"])  # no link: no click rate
    assert math.isnan(bars["XL Axiata"]["SB01"])
    indosat = next(trace for trace in fig.data if trace.name.startswith("Indosat"))
    assert "tanpa tautan" in indosat.hovertemplate[1]
    # one colour per operator, the house's
    from dashboard.charts.style import operator_color
    assert [trace.marker.color for trace in fig.data] == [
        operator_color(o) for o in ("telkomsel", "indosat", "xl", "smartfren")]


def test_the_follower_curve_marks_the_wib_posting_days(loaded):
    fig = channels.figure_from("wa_followers", _frames(loaded), "en")
    followers, posted = fig.data
    assert list(followers.y) == [100, 180, 150]
    # u1 on 1 Dec, u2 on 2 Dec, u3 at 23:30 UTC on 2 Dec = 06:30 WIB on 3 Dec; u4 (10 Jan)
    # is after the last insight day
    assert [str(pd.Timestamp(d).date()) for d in posted.x] == [
        "2023-12-01", "2023-12-02", "2023-12-03"]
    assert posted.name == "Posting day"


def test_the_tile_map_colours_the_provinces_with_impressions(loaded):
    fig = channels.figure_from("status_bar_tile_map", _frames(loaded), "id", in_filter=None)
    tiles = next(trace for trace in fig.data if trace.name == "tiles")
    assert dict(zip(tiles.customdata, tiles.marker.color, strict=True)) == {
        11: 3000.0, 31: 400.0, 32: 1900.0, 51: 50.0}
    assert fig.layout.title.text == "Status bar: tayangan per provinsi"


# --- an impossible click count, through the real ingest ------------------------------------

SB_FILE_HEADER = "operator,wave_id,date,province,impressions,unique_devices,clicks"
# (case, status-bar rows, by, expected (key, impressions, clicks, impressions with a click
# count, click rate)): a row whose clicks exceed its impressions loads, its impressions count,
# and no published click rate passes 100 % (its clicks NULL: no rate of its own, and its
# impressions are not in any rate's denominator)
IMPOSSIBLE_CLICKS = [
    ("alone", ["xl,SB01,2023-12-15,32,10,5,11"], ["province_code"],
     [(32, 10, None, 0, None)]),
    ("beside a province with a link", ["xl,SB01,2023-12-15,32,10,5,11",
                                       "xl,SB01,2023-12-15,31,1000,800,50"], ["province_code"],
     [(31, 1000, 50, 1000, 0.05), (32, 10, None, 0, None)]),
    ("in the same province's sum", ["xl,SB01,2023-12-15,32,10,5,11",
                                    "xl,SB01,2023-12-16,32,1000,800,50"], ["province_code"],
     [(32, 1010, 50, 1000, 0.05)]),
    ("the total", ["xl,SB01,2023-12-15,32,10,5,11", "xl,SB01,2023-12-15,31,1000,800,50"], [],
     [(None, 1010, 50, 1000, 0.05)]),
    # every click on an impression is possible: 100 % is published
    ("clicks equal to impressions", ["xl,SB01,2023-12-15,32,10,5,10"], ["province_code"],
     [(32, 10, 10, 10, 1.0)]),
]


@pytest.mark.parametrize(("case", "rows", "by", "expected"), IMPOSSIBLE_CLICKS,
                         ids=[c[0] for c in IMPOSSIBLE_CLICKS])
def test_clicks_above_impressions_count_the_impressions_and_publish_no_rate_above_100(
        conn, tmp_path, case, rows, by, expected):
    result = ingest_file(conn, write(tmp_path, "sb.csv", [SB_FILE_HEADER, *rows]),
                         kind="status_bar")
    assert (result.counts.loaded, result.counts.rejected) == (len(rows), 0)
    sums = channels.status_bar_sums(tables.table(conn, "status_bar_province", Filters()), by)
    keys = sums[by[0]] if by else [None] * len(sums)
    got = [(_plain(k), int(i), _plain(c), int(w), _plain(r)) for k, i, c, w, r in zip(
        keys, sums["impressions"], sums["clicks"], sums["impressions_with_link"],
        sums["click_rate"], strict=True)]
    assert got == expected
    assert not (sums["click_rate"] > 1).any()
