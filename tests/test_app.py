"""AppTest smoke tests over every page, and interactions that must change the numbers."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import config
from dashboard.ingest import ingest_file
from dashboard.reference import provinces
from dashboard.store import db
from dashboard.text_safety import markdown_text
from tests.conftest import HEADER, receipt, write

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py")
PAGES = ["app_pages/ringkasan.py", "app_pages/jangkauan.py", "app_pages/kanal.py",
         "app_pages/partisipasi.py", "app_pages/hoaks.py",
         "app_pages/kualitas_data.py", "app_pages/ringkasan_mingguan.py"]
TITLES = {
    "app_pages/ringkasan.py": {"id": "Ringkasan", "en": "Overview"},
    "app_pages/jangkauan.py": {"id": "Jangkauan", "en": "Reach"},
    "app_pages/kanal.py": {"id": "Kanal", "en": "Channels"},
    "app_pages/kualitas_data.py": {"id": "Kualitas data", "en": "Data quality"},
    "app_pages/hoaks.py": {"id": "Hoaks", "en": "Hoaxes"},
    "app_pages/partisipasi.py": {"id": "Partisipasi", "en": "Participation"},
    "app_pages/ringkasan_mingguan.py": {"id": "Ringkasan mingguan", "en": "Weekly summary"},
}
OPERATORS = {"telkomsel": "0812", "indosat": "0815", "xl": "0817", "smartfren": "0881"}


@pytest.fixture(scope="module")
def campaign_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("app")
    path = folder / "app.duckdb"
    lines = [HEADER]
    codes = [c for c in provinces()["province_code"] if c != 96]  # 96 stays without data
    for n in range(400):
        operator = list(OPERATORS)[n % 4]
        status = "UNDELIV" if n % 9 == 0 else "DELIVRD"
        lines.append(receipt(f"M{n}", msisdn=f"{OPERATORS[operator]}{n % 170:08d}",
                             operator=operator, province=str(codes[n % len(codes)]),
                             status=status, wave=f"SMS0{n % 3 + 1}",
                             submitted=f"2024-01-0{n % 3 + 1} 10:00:00",
                             done=f"2024-01-0{n % 3 + 1} 10:0{n % 10}:00",
                             error="027" if status == "UNDELIV" else "000"))
    lines.append(receipt("BAD", msisdn="08ABC"))
    with db.connect(path) as conn:
        ingest_file(conn, write(folder, "receipts.csv", lines))
        ingest_file(conn, write(folder, "waves.csv", [
            "wave_id,channel,sent_date,theme,message_text",
            "SMS01,sms,2024-01-01,turnout,Ayo ke TPS 14 Februari",
            "SMS02,sms,2024-01-02,anti_hoax,Cek fakta sebelum berbagi",
            "SMS03,sms,2024-01-03,valid_ballot,Coblos dengan benar"]))
        for name in ("hoax_register.csv", "election_results.csv", "survey_responses.csv"):
            ingest_file(conn, config.SAMPLE_DIR / name)
        xl_counts = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'DELIVRD') FROM receipts "
            "WHERE operator = 'xl'").fetchall()[0]
    return path, xl_counts


@pytest.fixture
def app(campaign_db, monkeypatch):
    monkeypatch.setenv("PEMILU_DB", str(campaign_db[0]))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    yield at
    st.cache_resource.clear()


def metric_value(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_page_renders_without_error(app, page, lang):
    app.run()
    app.button_group(key="lang").set_value(lang).run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value == TITLES[page][lang]


def test_overview_tiles_show_indonesian_numbers(app):
    app.run()
    assert metric_value(app, "Terkirim") == "400"
    assert metric_value(app, "Tingkat keberhasilan") == "88,8%"  # 355 of 400 delivered


def test_choosing_an_operator_changes_the_kpis_to_its_numbers(app, campaign_db):
    app.run()
    app.multiselect(key="operator").set_value(["xl"]).run()
    assert campaign_db[1] == (100, 89)  # counted directly from the receipts table
    assert metric_value(app, "Terkirim") == "100"
    assert metric_value(app, "Diterima") == "89"


def test_a_filter_that_matches_nothing_says_what_to_do(app):
    app.run()
    app.multiselect(key="provinsi").set_value([96]).run()
    assert not app.exception
    assert any("Filter" in w.value for w in app.warning)


def test_data_quality_page_shows_counts_that_add_up(app):
    app.run()
    app.switch_page("app_pages/kualitas_data.py").run()
    # 401 receipts, 3 waves, 545 hoaxes, 72 election rows, 5,000 respondents
    assert metric_value(app, "Baris dibaca") == "6.021"
    assert metric_value(app, "Ditolak") == "4"  # 1 receipt, 3 register rows
    assert any("cocok" in c.value for c in app.caption)


def test_empty_database_tells_the_user_to_load_files(tmp_path, monkeypatch):
    monkeypatch.setenv("PEMILU_DB", str(tmp_path / "empty.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page(page).run()
        assert not at.exception
        assert any("Belum ada" in i.value for i in at.info), page
    st.cache_resource.clear()


def test_hoax_page_search_filters_the_latest_issues(app):
    app.run()
    app.switch_page("app_pages/hoaks.py").run()
    everything = len(app.dataframe[-1].value)
    app.text_input(key="hoaks_cari").set_value("zzz-no-such-title").run()
    assert not app.exception
    assert len(app.dataframe[-1].value) == 0 < everything


def test_participation_page_explains_its_numbers_and_can_drop_noken(app):
    app.run()
    app.switch_page("app_pages/partisipasi.py").run()
    assert not app.exception
    sentences = " ".join(m.value for m in app.markdown)
    assert "bukan sebab-akibat" in sentences and "ekologis" in sentences
    assert "nan" not in sentences.lower().replace("nanggroe", "")
    app.toggle(key="tanpa_noken").set_value(True).run()
    assert not app.exception
    assert "33 provinsi" in " ".join(m.value for m in app.markdown)


@pytest.mark.parametrize(("lang", "text"), [("id", "Tanpa surat suara terpakai"),
                                            ("en", "No ballots cast")])
def test_participation_page_names_a_province_without_ballots(tmp_path, monkeypatch, lang, text):
    # Banten's 2024 count not in yet, written as 0: loaded with a warning, kept in the tests
    path = tmp_path / "zero.duckdb"
    with db.connect(path) as conn:
        ingest_file(conn, config.SAMPLE_DIR / "election_results.csv")
        ingest_file(conn, write(tmp_path, "kpu_banten.csv", [
            "year,province,dpt,ballots_cast,valid_votes,invalid_votes,source",
            "2024,Banten,8842646,0,0,0,KPU"]))
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.button_group(key="lang").set_value(lang).run()
    at.switch_page("app_pages/partisipasi.py").run()
    assert not at.exception, at.exception
    [named] = [w.value for w in at.warning if text in w.value]
    assert "Banten 2024" in named
    st.cache_resource.clear()


SNAKE_CASE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


@pytest.mark.parametrize(
    ("page", "lang", "labels"),
    [
        ("app_pages/partisipasi.py", "id", {"Uji", "Paparan", "p terkoreksi (BH)", "Kelompok"}),
        ("app_pages/partisipasi.py", "en", {"Test", "Exposure", "Adjusted p (BH)", "Group"}),
        ("app_pages/hoaks.py", "id", {"Uji", "Tanggal teridentifikasi", "Tema"}),
        ("app_pages/hoaks.py", "en", {"Test", "Identified on", "Theme"}),
        ("app_pages/kualitas_data.py", "id", {"Baris dibaca", "Kode alasan", "Alasan"}),
        ("app_pages/kualitas_data.py", "en", {"Rows read", "Reason code", "Reason"}),
    ],
)
def test_tables_show_labelled_columns_in_the_page_language(app, page, lang, labels):
    app.run()
    app.button_group(key="lang").set_value(lang).run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    columns = [str(c) for table in app.dataframe for c in table.value.columns]
    assert labels <= set(columns), columns
    assert not [c for c in columns if SNAKE_CASE.match(c)]
    assert all(table.proto.placeholder == "–" for table in app.dataframe)  # not "None"


@pytest.mark.parametrize(("page", "lang"), [
    ("app_pages/partisipasi.py", "id"), ("app_pages/partisipasi.py", "en"),
    ("app_pages/hoaks.py", "id"),
])
def test_statistics_tables_have_a_phone_form_with_effect_interval_and_p(app, page, lang):
    """Each statistics table also comes as a static table whose one cell holds the effect, its
    95% interval and p (shown at 640 px and below, phone.py): on a phone the full table's upper
    bound and p lay beyond the screen's edge (visual review of 7 Dec)."""
    app.run()
    app.button_group(key="lang").set_value(lang).run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    # st.table renders Markdown: the header is escaped as every cell (text_safety)
    header = markdown_text("Efek (IK 95%); p" if lang == "id" else "Effect (95% CI); p")
    phone = [table.value for table in app.table if header in table.value.columns]
    full = [table.value for table in app.dataframe
            if {"Uji", "Test"} & {str(c) for c in table.value.columns}]
    assert phone and len(phone) == len(full)
    for form, table in zip(phone, full, strict=True):
        assert len(form) == len(table)
        word = " sampai " if lang == "id" else " to "
        assert all(word in cell and markdown_text("; p ") in cell for cell in form[header])


def test_hoax_register_shows_theme_names_and_dates(app):
    app.run()
    app.switch_page("app_pages/hoaks.py").run()
    latest = app.dataframe[-1].value
    themes = set(latest["Tema"].dropna())
    assert themes and not {th for th in themes if SNAKE_CASE.match(th)}, themes
    assert "Kecurangan pemilu" in themes or "Penyelenggaraan pemilu" in themes
    dates = latest["Tanggal teridentifikasi"].dropna()
    assert len(dates) and all(type(d) is datetime.date for d in dates)  # not 2024-04-30 00:00:00


@pytest.mark.parametrize(("page", "marked"), [
    # the sample's WhatsApp insights are the only data: the pages that show them say "sample"
    ("app_pages/kualitas_data.py", True), ("app_pages/kanal.py", True),
    ("app_pages/ringkasan_mingguan.py", True), ("app_pages/hoaks.py", False),
])
def test_a_page_showing_sample_channel_data_carries_the_banner(tmp_path, monkeypatch, page,
                                                               marked):
    path = tmp_path / "channels.duckdb"
    with db.connect(path) as conn:
        assert ingest_file(conn, config.SAMPLE_DIR / "wa_daily.csv").ok
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert any("DATA CONTOH" in w.value for w in at.warning) is marked, page
    st.cache_resource.clear()
