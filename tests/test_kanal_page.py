"""The Kanal page (issue 17) run with Streamlit's AppTest: in both languages with every channel
loaded, with the status-bar and WhatsApp tables empty, on an empty database, and under the
sidebar's filters. Channel rows are inserted straight into their tables (as in
tests/test_channel_marts.py, whose rows and hand-worked totals these are)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.ingest import ingest_file
from dashboard.store import db
from tests.conftest import HEADER, write
from tests.test_channel_marts import RECEIPTS, load_channels

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py")
PAGE = "app_pages/kanal.py"


def _database(folder: Path, with_channels: bool, with_receipts: bool = True) -> Path:
    path = folder / "kanal.duckdb"
    with db.connect(path) as conn:
        if with_channels:
            load_channels(conn)
        if with_receipts:
            assert ingest_file(conn, write(folder, "r.csv", [HEADER, *RECEIPTS])).ok
    return path


@pytest.fixture(scope="module")
def full_db(tmp_path_factory) -> Path:
    return _database(tmp_path_factory.mktemp("kanal_full"), with_channels=True)


def run_page(monkeypatch, path: Path, lang: str = "id") -> AppTest:
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    if lang != "id":
        at.button_group(key="lang").set_value(lang).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    return " ".join([*(i.value for i in at.info), *(c.value for c in at.caption)])


# (language, title, tiles as the page writes them: Indonesian or English number formats)
@pytest.mark.parametrize(("lang", "title", "tiles", "national"), [
    # A, B and D reached (A by two waves, counted once); WhatsApp from 1 Dec, before the
    # first SMS day: the period picker's own bounds leave the period open
    ("id", "Kanal", {"Diterima": "4", "Jangkauan unik": "3", "Tayangan": "5.450",
                     "Perangkat unik": "4.380", "Rasio klik": "1,76%", "Dilihat": "2.000",
                     "Pengikut pada 3 Des 2023": "150"},
     "Saluran WhatsApp hanya punya angka nasional"),
    ("en", "Channels", {"Delivered": "4", "Unique reach": "3", "Impressions": "5,450",
                        "Unique devices": "4,380", "Click rate": "1.76%", "Views": "2,000",
                        "Followers on 3 Dec 2023": "150"},
     "The WhatsApp Channel has national numbers only"),
])
def test_the_page_shows_every_channel_in_both_languages(monkeypatch, full_db, lang, title,
                                                        tiles, national):
    at = run_page(monkeypatch, full_db, lang)
    assert at.title[0].value == title
    shown = metrics(at)
    assert {label: shown.get(label) for label in tiles} == tiles
    # clicks 36 over the 2,050 impressions of texts with a link: 1.76 %
    assert national in texts(at)
    assert len(at.get("plotly_chart")) >= 8  # 3 per wave, 2 + map + ranking, 2 WhatsApp
    # tables labelled in the page's language, never with export column names
    columns = [str(c) for table in at.dataframe for c in table.value.columns]
    assert len(at.dataframe) == 4 and not [c for c in columns if "_" in c], columns
    # every table offered for download, by its export name
    keys = {b.key for b in at.get("download_button")}
    assert {"download_channel_wave", "download_status_bar_province", "download_wa_updates",
            "download_wa_daily"} <= keys


def test_a_province_narrows_the_status_bar_and_not_the_whatsapp_channel(monkeypatch, full_db):
    at = run_page(monkeypatch, full_db)
    at.multiselect(key="provinsi").set_value([32]).run()
    assert not at.exception, at.exception
    shown = metrics(at)
    # Jawa Barat: 1,000 + 600 + 300 impressions, clicks 30 over 1,600; WhatsApp national
    assert (shown["Tayangan"], shown["Rasio klik"], shown["Dilihat"]) == (
        "1.900", "1,88%", "2.000")


def test_empty_channel_tables_say_no_data_yet(monkeypatch, tmp_path):
    at = run_page(monkeypatch, _database(tmp_path, with_channels=False))
    said = texts(at)
    assert "Belum ada data tayangan status bar yang dimuat." in said
    assert "Belum ada data Saluran WhatsApp yang dimuat." in said
    assert metrics(at)["Diterima"] == "4"  # SMS still shown


def test_an_empty_database_says_what_to_load(monkeypatch, tmp_path):
    at = run_page(monkeypatch, _database(tmp_path, with_channels=False, with_receipts=False),
                  "en")
    assert any("No channel data loaded yet" in i.value for i in at.info)


def test_the_period_spans_every_channel_s_days_and_a_status_bar_only_span_can_be_chosen(
        monkeypatch, full_db):
    import datetime as dt

    at = run_page(monkeypatch, full_db)
    # SMS went out on 5 and 12 Dec; WhatsApp from 1 Dec; the status bar until 20 Jan
    picker = at.date_input(key="periode")
    assert tuple(picker.value) == (dt.date(2023, 12, 1), dt.date(2024, 1, 20))
    assert not any("Data tersedia sampai" in c.value for c in at.sidebar.caption)
    picker.set_value((dt.date(2024, 1, 15), dt.date(2024, 1, 20))).run()
    assert not at.exception
    # SB02 on 15 and 16 Jan (2,000 + 1,000) and SB99 on 20 Jan (50); no SMS in those days
    assert metrics(at)["Tayangan"] == "3.050"


def test_a_period_ending_before_the_data_says_so(monkeypatch, full_db):
    # a period that ends before the last day with data (chosen, or kept by a session that
    # was open while a load added later days) says what it leaves out
    import datetime as dt

    at = run_page(monkeypatch, full_db)
    at.date_input(key="periode").set_value((dt.date(2023, 12, 1), dt.date(2024, 1, 10))).run()
    assert not at.exception
    assert ("Data tersedia sampai 20 Jan 2024; hari sesudah 10 Jan 2024 tidak dihitung."
            in [c.value for c in at.sidebar.caption])


# one status-bar row dated a year before the campaign (a year typo, as the sample's SB03 row
# of 2023-02-07; the load flags it outside_campaign): 70 impressions
STRAY = ("telkomsel", "SB01", "2023-02-07", 32, 70, 60, None)


@pytest.fixture(scope="module")
def stray_db(tmp_path_factory) -> Path:
    from tests.test_channel_marts import insert

    path = _database(tmp_path_factory.mktemp("kanal_stray"), with_channels=True)
    with db.connect(path) as conn:
        insert(conn, "status_bar_impressions", [STRAY])
    return path


# (period chosen: None = the default, impressions shown, captions the sidebar must and must
# not show). The catalogue's campaign is 1 Dec 2023 (WA01) to 29 Jan 2024 (SB02 + 14 days).
DEFAULT_SAID = "Periode bawaan: masa kampanye menurut katalog gelombang, 1 Des 2023 – 20 Jan 2024."
STRAY_SAID = ("Data tersedia sejak 7 Feb 2023; hari sebelum 1 Des 2023 tidak dihitung (pilih "
              "periode lain untuk melihatnya; lihat Kualitas data).")


@pytest.mark.parametrize(("chosen", "impressions", "said", "not_said"), [
    (None, "5.450", [DEFAULT_SAID, STRAY_SAID], []),
    ((dt.date(2023, 2, 7), dt.date(2024, 1, 20)), "5.520", [], [DEFAULT_SAID, STRAY_SAID]),
    ((dt.date(2023, 12, 15), dt.date(2024, 1, 20)), "5.450", [], [DEFAULT_SAID, STRAY_SAID]),
], ids=["default", "every-day", "chosen-later"])
def test_the_default_period_is_the_campaign_s_and_a_stray_day_can_still_be_chosen(
        monkeypatch, stray_db, chosen, impressions, said, not_said):
    # review item 9: one row dated 2023-02-07 made every page start its period a year early
    at = run_page(monkeypatch, stray_db)
    picker = at.date_input(key="periode")
    assert tuple(picker.value) == (dt.date(2023, 12, 1), dt.date(2024, 1, 20))
    assert (picker.min, picker.max) == (dt.date(2023, 2, 7), dt.date(2024, 1, 20))
    if chosen is not None:
        picker.set_value(chosen).run()
        assert not at.exception, at.exception
    assert metrics(at)["Tayangan"] == impressions
    captions = [c.value for c in at.sidebar.caption]
    assert [s for s in said if s not in captions] == [], captions
    assert [s for s in not_said if s in captions] == [], captions
