"""Every channel of the campaign on Ringkasan, in the weekly summary and in the brief (issue
17): per channel its own numbers for the week and the campaign so far, the filters where they
apply (SMS and the status bar; not the national WhatsApp Channel), "no data" in words for an
empty channel, the caveat in both languages, and never one total across channels.

The status-bar and WhatsApp rows are inserted straight into their tables (their ingest is
tested in its own file); the expected numbers are summed by hand from the rows below."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.export.figures import chromium_available
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.ingest import ingest_file
from dashboard.reports import brief, channels, tables, weekly
from dashboard.store import db
from tests.conftest import HEADER, receipt, write
from tests.test_app import APP

W07 = (dt.date(2024, 2, 12), dt.date(2024, 2, 18))  # Monday to Sunday
# (message id, operator, number, province, submitted (WIB), state, wave)
RECEIPTS = [
    ("M1", "telkomsel", "081200000001", "32", "2024-02-05 10:00:00", "DELIVRD", "SMS01"),  # W06
    ("M2", "telkomsel", "081200000001", "32", "2024-02-12 10:00:00", "DELIVRD", "SMS02"),
    ("M3", "xl", "081700000002", "31", "2024-02-13 10:00:00", "DELIVRD", "SMS02"),
    ("M4", "xl", "081700000003", "31", "2024-02-13 10:00:00", "UNDELIV", "SMS02"),
]
WAVES = ["wave_id,channel,sent_date,theme,message_text",
         "SMS01,sms,2024-02-05,turnout,Ayo ke TPS",
         "SMS02,sms,2024-02-12,valid_ballot,Coblos dengan benar",
         "SB02,status_bar,2024-02-12,turnout,Pemilu Damai 2024",
         "WA04,whatsapp_channel,2024-02-15,thanks,Terima kasih"]
# operator, wave, day, province (None = unknown), impressions, unique devices, clicks
STATUS_BAR = [
    ("telkomsel", "SB01", "2024-02-11", 32, 1000, 400, 10),  # Sunday of W06
    ("telkomsel", "SB02", "2024-02-12", 32, 200, 80, None),
    ("xl", "SB02", "2024-02-14", 31, 300, 120, 5),
    ("xl", "SB02", "2024-02-18", None, 50, 20, None),  # unknown province, last day of W07
    ("indosat", "SB02", "2024-02-19", 32, 7000, 7000, None),  # Monday of W08
]
# update, wave, posted at (the WIB day decides the week), views, reactions, forwards
WA_UPDATES = [
    ("u1", "WA03", "2024-02-11 23:59:00+07:00", 5000, 50, 5),  # Sunday of W06 in WIB
    ("u2", "WA04", "2024-02-11 17:30:00+00:00", 1200, 12, 2),  # 12 Feb 00:30 WIB: W07
    ("u3", None, "2024-02-18 16:59:00+00:00", 300, None, None),  # 18 Feb 23:59 WIB: W07
    ("u4", "WA05", "2024-02-18 17:00:00+00:00", 9999, 1, 1),  # 19 Feb 00:00 WIB: W08
]
# day, followers (national)
WA_DAILY = [("2024-01-31", 800), ("2024-02-10", 900), ("2024-02-16", 1000),
            ("2024-02-17", 1040), ("2024-02-20", 1100)]
CHANNEL_KINDS = ("status_bar", "wa_updates", "wa_daily")


def insert_channels(conn, sample: tuple[str, ...] = ()) -> None:
    """The rows above, and one loaded file per kind (`sample`: the kinds marked sample)."""
    for number, kind in enumerate(CHANNEL_KINDS, start=900):
        conn.execute("INSERT INTO ingest_log (ingest_id, file_name, kind, started_at, "
                     "finished_at, outcome, sample) VALUES (?, ?, ?, now(), now(), 'loaded', ?)",
                     [number, f"{kind}.csv", kind, kind in sample])
    conn.executemany("INSERT INTO status_bar_impressions VALUES (?, ?, ?, ?, ?, ?, ?, 900)",
                     STATUS_BAR)
    conn.executemany("INSERT INTO wa_updates VALUES (?, ?, ?::TIMESTAMPTZ, ?, ?, ?, 901)",
                     WA_UPDATES)
    conn.executemany("INSERT INTO wa_daily VALUES (?, ?, NULL, NULL, NULL, 902)", WA_DAILY)


def load_receipts(conn, folder: Path) -> None:
    lines = [HEADER] + [receipt(m, msisdn=n, operator=o, province=p, submitted=s,
                                done=s.replace(":00:00", ":00:30"), status=state, wave=w,
                                error="000" if state == "DELIVRD" else "027")
                        for m, o, n, p, s, state, w in RECEIPTS]
    assert ingest_file(conn, write(folder, "receipts.csv", lines)).ok
    assert ingest_file(conn, write(folder, "waves.csv", WAVES)).ok


@pytest.fixture(scope="module")
def channels_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("channels")
    path = folder / "channels.duckdb"
    with db.connect(path) as conn:
        load_receipts(conn, folder)
        insert_channels(conn)
    return path


@pytest.fixture(scope="module")
def reader(channels_db):
    with db.connect(channels_db, read_only=True) as conn:
        yield conn


def figures_for(conn, **chosen) -> dict[str, weekly.ChannelFigures]:
    """channel_figures for W07 under the chosen operators/provinces, SMS from reach_totals."""
    week = Filters(*W07, **chosen)
    to_date = Filters(None, W07[1], **chosen)
    sms = tables.table(conn, "reach_totals", week).iloc[0]
    sms_to_date = tables.table(conn, "reach_totals", to_date).iloc[0]
    return {f.channel: f for f in weekly.channel_figures(conn, week, sms, sms_to_date)}


# --- the numbers ---------------------------------------------------------------------------

N = None  # no data (not zero)
# filters, then per channel (first measure, second measure) for the week and the campaign
# to date (up to 18 Feb), summed by hand from the rows above
NUMBER_CASES = [
    pytest.param({}, {"sms": (2, 2), "status_bar": (550, 220), "whatsapp_channel": (1500, 1040)},
                 {"sms": (3, 2), "status_bar": (1550, 620), "whatsapp_channel": (6500, 1040)},
                 id="no-filter"),
    # the operator filter narrows SMS and the status bar; WhatsApp stays national
    pytest.param({"operators": ("xl",)},
                 {"sms": (1, 1), "status_bar": (350, 140), "whatsapp_channel": (1500, 1040)},
                 {"sms": (1, 1), "status_bar": (350, 140), "whatsapp_channel": (6500, 1040)},
                 id="operator"),
    # a province filter leaves out the unknown province, as for receipts
    pytest.param({"provinces": (32,)},
                 {"sms": (1, 1), "status_bar": (200, 80), "whatsapp_channel": (1500, 1040)},
                 {"sms": (2, 1), "status_bar": (1200, 480), "whatsapp_channel": (6500, 1040)},
                 id="province"),
    pytest.param({"operators": ("telkomsel",), "provinces": (31,)},
                 {"sms": (N, N), "status_bar": (N, N), "whatsapp_channel": (1500, 1040)},
                 {"sms": (N, N), "status_bar": (N, N), "whatsapp_channel": (6500, 1040)},
                 id="nothing-but-whatsapp"),
    # the wave filter is SMS's alone: SMS01 has no receipt in W07, the others keep theirs
    pytest.param({"waves": ("SMS01",)},
                 {"sms": (N, N), "status_bar": (550, 220), "whatsapp_channel": (1500, 1040)},
                 {"sms": (1, 1), "status_bar": (1550, 620), "whatsapp_channel": (6500, 1040)},
                 id="wave"),
]


@pytest.mark.parametrize(("chosen", "week", "to_date"), NUMBER_CASES)
def test_each_channels_week_is_the_hand_summed_rows(reader, chosen, week, to_date):
    figures = figures_for(reader, **chosen)
    assert list(figures) == ["sms", "status_bar", "whatsapp_channel"]
    for channel, measures in weekly.CHANNEL_MEASURES.items():
        assert tuple(figures[channel].period[m] for m in measures) == week[channel], channel
        assert tuple(figures[channel].campaign[m] for m in measures) == to_date[channel], channel


@pytest.mark.parametrize(("scope", "status_bar", "sms"), [
    ((), (550, 220), (2, 2)),
    ((32,), (200, 80), (1, 1)),  # a user's province scope narrows SMS and the status bar
])
def test_the_weekly_summary_carries_every_channel(reader, scope, status_bar, sms):
    summary = weekly.weekly_summary(reader, "2024-W07", "id", scope)
    figures = {f.channel: f for f in summary.channels}
    assert (figures["sms"].period["delivered"], figures["sms"].period["unique_reach"]) == sms
    assert (figures["status_bar"].period["impressions"],
            figures["status_bar"].period["unique_devices"]) == status_bar
    # national: the same whatever the scope, counted on 17 Feb (the week's last insight day)
    assert figures["whatsapp_channel"].period == {"views": 1500, "followers": 1040}
    assert figures["whatsapp_channel"].followers_dates["period"] == dt.date(2024, 2, 17)
    assert figures["whatsapp_channel"].national and not figures["status_bar"].national
    assert figures["status_bar"].waves == ("SB02",)
    assert figures["whatsapp_channel"].waves == ("WA04",)  # u3 names no wave
    assert figures["sms"].waves == ("SMS02",)


# --- no data, in words ---------------------------------------------------------------------


@pytest.mark.parametrize(("chosen", "channel", "lang", "week", "expected"), [
    ({"operators": ("telkomsel",), "provinces": (31,)}, "status_bar", "id", True,
     "Tanpa data pekan ini."),
    ({"operators": ("telkomsel",), "provinces": (31,)}, "status_bar", "en", True,
     "No data this week."),
    ({"operators": ("telkomsel",), "provinces": (31,)}, "sms", "id", False,
     "Tanpa data dalam filter ini."),
    ({}, "status_bar", "id", True, ""),  # a channel with data gives no reason
])
def test_an_empty_channel_says_so(reader, chosen, channel, lang, week, expected):
    figures = figures_for(reader, **chosen)[channel]
    assert figures.absence(lang, week=week) == expected
    if expected:
        assert not figures.has_data
        shown = [figures.value_text(m, lang) for m in weekly.CHANNEL_MEASURES[channel]]
        assert shown == [t("allch.no_value", lang)] * 2  # never "0" or a blank


@pytest.mark.parametrize(("lang", "expected"), [("id", "Belum ada data yang dimuat."),
                                                ("en", "No data loaded yet.")])
def test_a_channel_never_loaded_says_so(conn, tmp_path, lang, expected):
    load_receipts(conn, tmp_path)  # receipts only
    summary = weekly.weekly_summary(conn, "2024-W07", lang)
    absences = [f.absence(lang) for f in summary.channels]
    assert absences == ["", expected, expected]


@pytest.mark.parametrize(("week", "lang", "views", "followers"), [
    ("2024-W05", "id", "tanpa unggahan", "800"),  # insights on 31 Jan, no update posted
    ("2024-W05", "en", "no update posted", "800"),
    ("2024-W08", "en", "9,999", "1,100"),
])
def test_whatsapp_without_an_update_has_no_views_not_zero(reader, week, lang, views, followers):
    figures = weekly.weekly_summary(reader, week, lang).channels[2]
    assert figures.value_text("views", lang) == views
    assert figures.value_text("followers", lang) == followers


# --- the caveat and no total ---------------------------------------------------------------

CAVEATS = {"id": "tidak dijumlahkan menjadi satu total",
           "en": "are not added into one total"}
# every sum of two or three channels' numbers (week, then campaign to date): none may show
SUMS = [552, 1502, 2050, 2052, 222, 1042, 1060, 1262,
        1553, 6503, 8050, 8053, 622, 1660, 1662]


def page_text(html: bytes) -> str:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.stack: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.stack.append(tag)

        def handle_data(self, data):
            if not self.stack or self.stack[-1] not in ("script", "style"):
                self.parts.append(data)

    parser = Text()
    parser.feed(html.decode("utf-8"))
    return " ".join(" ".join(parser.parts).split())


@pytest.mark.parametrize(("lang", "numbers", "title"), [
    ("id", ["550", "220", "1.500", "1.040", "Sejak awal kampanye: 6.500"], "Semua kanal pekan ini"),
    ("en", ["550", "220", "1,500", "1,040", "Campaign to date: 6,500"], "All channels this week"),
])
def test_the_brief_shows_each_channel_with_the_caveat_and_no_total(reader, lang, numbers, title):
    from dashboard.i18n import format_number

    summary = weekly.weekly_summary(reader, "2024-W07", lang)
    text = page_text(brief.brief_html(summary, static=False))
    assert title in text
    assert CAVEATS[lang] in text
    for number in numbers:
        assert number in text, number
    for total in SUMS:
        assert not re.search(rf"(?<![\d.,]){re.escape(format_number(total, 0, lang))}(?![\d.,])",
                             text), total
    assert "total reach" not in text.lower() and "jangkauan total" not in text.lower()


@pytest.mark.parametrize(("lang", "sentence"), [
    ("id", "Gelombang baru pekan ini, semua kanal: SB02 (Status bar, 12 Feb), SMS02 (SMS, "
           "12 Feb), WA04 (Saluran WhatsApp, 15 Feb)."),
    ("en", "New waves this week, all channels: SB02 (Status bar, 12 Feb), SMS02 (SMS, 12 Feb), "
           "WA04 (WhatsApp Channel, 15 Feb)."),
])
def test_waves_of_every_channel_are_named_with_their_channel(reader, lang, sentence):
    summary = weekly.weekly_summary(reader, "2024-W07", lang)
    assert sentence in summary.narrative
    assert summary.kpis["waves_sent"].value == 3  # the tile counts the three as the list does
    shown = brief.display_frame(summary.waves, brief.WAVE_COLUMNS, lang)
    assert shown.iloc[:, 1].tolist() == [weekly.channel_name(c, lang) for c in
                                         ("status_bar", "sms", "whatsapp_channel")]


# --- provenance ----------------------------------------------------------------------------


STATUS_BAR_SOURCE = "laporan tayangan status bar Telkomsel, XL (SB01, SB02)"
WA_SOURCES = ["Saluran WhatsApp (3 unggahan)",
              "insight harian Saluran WhatsApp, 31 Jan 2024 – 17 Feb 2024"]


# (kinds loaded as sample data, marked, what the sources say): a sample channel's sentence
# says synthetic in place of the real source it imitates (review item 2)
@pytest.mark.parametrize(("sample", "marked", "sources"), [
    ((), False, [STATUS_BAR_SOURCE, *WA_SOURCES]),
    (("status_bar",), True,
     ["DATA CONTOH SINTETIS (tayangan status bar gelombang SB01, SB02), bukan laporan "
      "operator", *WA_SOURCES]),
    (("wa_daily",), True,
     [STATUS_BAR_SOURCE, WA_SOURCES[0],
      "DATA CONTOH SINTETIS (insight harian Saluran WhatsApp), bukan ekspor Saluran WhatsApp"]),
])
def test_the_summary_names_the_channels_sources_and_marks_sample_data(conn, sample, marked,
                                                                      sources):
    insert_channels(conn, sample)
    summary = weekly.weekly_summary(conn, "2024-W07", "id")
    # the channels' cards show the campaign to date too: their sources run to 18 Feb
    footer = summary.provenance.footer
    for source in sources:
        assert source in footer, footer
    assert summary.provenance.sample is marked
    page = brief.brief_html(summary, static=False).decode("utf-8")
    assert ("DATA CONTOH" in page) is marked
    assert all(source in page_text(page.encode()) for source in sources)


@pytest.mark.skipif(not chromium_available(), reason="no Chromium")
def test_the_pdf_cover_holds_every_channel_and_the_caveat(reader, tmp_path):
    summary = weekly.weekly_summary(reader, "2024-W07", "id")
    path = brief.brief_pdf(summary, tmp_path / "brief.pdf")
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    cover = " ".join(pages[0].split())
    for text in ("Semua kanal pekan ini", "Status bar", "Saluran WhatsApp", "550", "1.500",
                 CAVEATS["id"]):
        assert text in cover, text


# --- the pages (AppTest) ---------------------------------------------------------------------


@pytest.fixture
def app(channels_db, monkeypatch):
    monkeypatch.setenv("PEMILU_DB", str(channels_db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    yield at
    st.cache_resource.clear()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def shown_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


# Ringkasan: the whole campaign (the sidebar's period at its bounds is open: the status bar's
# 19 Feb and the WhatsApp insights of 20 Feb come after the last SMS and still count)
RINGKASAN_CASES = [
    ("id", {}, {"SMS diterima": "3", "Nomor unik terjangkau": "2", "Tayangan": "8.550",
                "Perangkat unik (jumlah harian)": "7.620", "Tayangan unggahan": "16.499",
                "Pengikut per 20 Feb 2024": "1.100"}),
    ("en", {}, {"SMS delivered": "3", "Unique numbers reached": "2", "Impressions": "8,550",
                "Unique devices (daily counts summed)": "7,620", "Update views": "16,499",
                "Followers on 20 Feb 2024": "1,100"}),
    ("id", {"operator": ["xl"]}, {"SMS diterima": "1", "Tayangan": "350",
                                  "Tayangan unggahan": "16.499",
                                  "Pengikut per 20 Feb 2024": "1.100"}),
]


@pytest.mark.parametrize(("lang", "widgets", "expected"), RINGKASAN_CASES)
def test_ringkasan_shows_every_channel_side_by_side(app, lang, widgets, expected):
    app.run()
    app.button_group(key="lang").set_value(lang).run()
    for key, value in widgets.items():
        app.multiselect(key=key).set_value(value).run()
    assert not app.exception, app.exception
    shown = metrics(app)
    for label, value in expected.items():
        assert shown.get(label) == value, (label, shown)
    text = shown_text(app)
    assert CAVEATS[lang] in text
    assert ("nasional" if lang == "id" else "national") in text
    assert not [label for label in shown if "total" in label.lower()]
    assert not set(shown.values()) & {"8.553", "8,553", "25.052", "25,052"}  # no sums


@pytest.mark.parametrize(("lang", "expected", "to_date"), [
    ("id", {"Tayangan": "550", "Perangkat unik (jumlah harian)": "220",
            "Tayangan unggahan": "1.500", "Pengikut per 17 Feb 2024": "1.040"},
     "Sejak awal kampanye: 6.500"),
    ("en", {"Impressions": "550", "Unique devices (daily counts summed)": "220",
            "Update views": "1,500", "Followers on 17 Feb 2024": "1,040"},
     "Campaign to date: 6,500"),
])
def test_the_weekly_page_shows_every_channels_week(app, lang, expected, to_date):
    app.run()
    app.button_group(key="lang").set_value(lang).run()
    app.switch_page("app_pages/ringkasan_mingguan.py").run()
    assert not app.exception, app.exception
    assert app.selectbox(key="pekan").value == "2024-W07"
    shown = metrics(app)
    for label, value in expected.items():
        assert shown.get(label) == value, (label, shown)
    text = shown_text(app)
    assert CAVEATS[lang] in text and to_date in text
    assert not [label for label in shown if "total" in label.lower()]


# --- an older WhatsApp export loaded after a newer one ------------------------------------

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
NEWER, OLDER = "wa_updates_2024-02-29.csv.gz", "wa_updates_2024-02-16.csv"


def _newest_views() -> tuple[int, int]:
    """The newest sample export's views, all and of the week of 12-18 Feb (WIB), read here
    with gzip and csv, not by the product."""
    rows = list(csv.DictReader(io.StringIO(
        gzip.decompress((SAMPLE / NEWER).read_bytes()).decode("utf-8-sig"))))
    in_w07 = [r for r in rows if W07[0] <= dt.datetime.fromisoformat(r["posted_at"]).astimezone(
        dt.timezone(dt.timedelta(hours=7))).date() <= W07[1]]
    return sum(int(r["views"]) for r in rows), sum(int(r["views"]) for r in in_w07)


@pytest.mark.parametrize("order", [(NEWER, OLDER), (OLDER, NEWER)],
                         ids=["newer then older", "older then newer"])
def test_kanal_and_the_week_show_the_newest_exports_views_whatever_the_order(tmp_path, order):
    with db.memory_connection() as conn:
        assert ingest_file(conn, SAMPLE / "waves.csv").ok
        for name in order:
            assert ingest_file(conn, write(tmp_path, name, (SAMPLE / name).read_bytes()),
                               kind="wa_updates").ok
        views, week_views = _newest_views()
        kanal = channels.whatsapp_summary(channels.wa_updates(conn, Filters()),
                                          channels.wa_daily(conn, Filters()))
        assert kanal["views"] == views
        sms = {"sent": 0, "delivered": 0, "unique_reach": 0}
        [whatsapp] = [f for f in weekly.channel_figures(conn, Filters(*W07), pd.Series(sms))
                      if f.channel == "whatsapp_channel"]
        assert whatsapp.period["views"] == week_views
