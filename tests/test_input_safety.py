"""Input safety: gzip bombs, file names, upload limits, and text from files shown as text."""

from __future__ import annotations

import gzip
import shutil
import threading
import time

import psutil
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import brief, config, db, display, tables, ui, weekly
from dashboard.ingest import ingest_file
from dashboard.ingest.files import safe_file_name
from tests.conftest import HEADER, receipt, write
from tests.test_app import APP, PAGES

# --- gzip bombs -----------------------------------------------------------------------------


def _bomb(path, megabytes: int) -> None:
    """Valid receipts, one line repeated: tiny compressed, huge unpacked."""
    line = (receipt("M1") + "\n").encode()
    block = line * (1_000_000 // len(line))
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write((HEADER + "\n").encode())
        for _ in range(megabytes):
            handle.write(block)


def _peak_rss_during(work) -> tuple[object, int]:
    """Run `work`, sampling this process's resident memory; (result, peak growth in bytes)."""
    process = psutil.Process()
    base = process.memory_info().rss
    peak = [base]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = work()
    finally:
        done.set()
        sampler.join()
    return result, peak[0] - base


def test_a_gzip_bomb_is_refused_with_bounded_memory(conn, tmp_path):
    path = tmp_path / "receipts.csv.gz"
    _bomb(path, 300)  # 300 MB unpacked
    assert path.stat().st_size < 2_000_000
    result, growth = _peak_rss_during(lambda: ingest_file(conn, path))
    assert result.outcome == "failed"
    assert "gzip bomb" in result.message and "receipts.csv.gz" in result.message
    assert growth < 100_000_000  # read in 1 MB chunks, not unpacked into memory
    assert conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0] == 0
    logged = conn.execute("SELECT outcome, message FROM ingest_log").fetchall()
    assert logged and logged[0][0] == "failed" and "gzip bomb" in logged[0][1]


def test_the_unpacked_ceiling_is_configurable(conn, tmp_path, monkeypatch):
    lines = [HEADER] + [receipt(f"M{n}", msisdn=f"0812{n:08d}") for n in range(2000)]
    path = write(tmp_path, "receipts.csv.gz", lines, compress=True)
    monkeypatch.setenv(config.MAX_UNCOMPRESSED_ENV, "0.00005")  # 50 kB
    refused = ingest_file(conn, path)
    assert refused.outcome == "failed" and config.MAX_UNCOMPRESSED_ENV in refused.message
    monkeypatch.delenv(config.MAX_UNCOMPRESSED_ENV)
    assert ingest_file(conn, path).counts.loaded == 2000


def test_a_gzip_damaged_past_its_head_is_refused_before_loading(conn, tmp_path):
    lines = [HEADER] + [receipt(f"M{n}", msisdn=f"0812{n:08d}") for n in range(50_000)]
    path = write(tmp_path, "receipts.csv.gz", lines, compress=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 4])  # the first 64 kB still unpack fine
    result = ingest_file(conn, path)
    assert result.outcome == "failed" and "damaged gzip" in result.message
    assert conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0] == 0


# --- file names -----------------------------------------------------------------------------

NAMES = [
    ("plain", "receipts_xl.csv", "receipts_xl.csv"),
    ("unix path", "../../etc/passwd", "passwd"),
    ("windows path", "C:\\Users\\ana\\data.csv.gz", "data.csv.gz"),
    ("html", "<img src=x onerror=alert(1)>.csv", "_img src_x onerror_alert_1__.csv"),
    ("markdown link", "[x](javascript:alert(1)).csv", "_x__javascript_alert_1__.csv"),
    ("control characters", "a\r\nb\x00.csv", "a__b_.csv"),
    ("only dots", "..", "file"),
    ("empty", "", "file"),
    ("very long", "a" * 300 + ".csv", "a" * 116 + ".csv"),
]


@pytest.mark.parametrize(("case", "name", "expected"), NAMES, ids=[c[0] for c in NAMES])
def test_file_names_are_sanitised(case, name, expected):
    assert safe_file_name(name) == expected


def test_a_stored_file_name_is_the_sanitised_one(conn, tmp_path):
    path = write(tmp_path, "x.csv", [HEADER, receipt("M1")])
    result = ingest_file(conn, path, display_name="..\\<i>evil.csv")
    assert result.file_name == "_i_evil.csv"
    assert tables.table(conn, "data_quality")["file"].tolist() == ["_i_evil.csv"]


# --- the app: uploads and text shown as text -------------------------------------------------

PAYLOADS = ("<script>alert('x')</script>", "<img src=x onerror=alert(1)>",
            "[klik](javascript:alert(1))")


@pytest.fixture
def hostile_db(tmp_path, monkeypatch):
    """A database whose waves' messages and hoax titles carry markup."""
    path = tmp_path / "hostile.duckdb"
    register = (config.SAMPLE_DIR / "hoax_register.csv").read_text(encoding="utf-8")
    rows = [f"HX2024-8{n:03d},2024-02-0{n + 1},{payload} [HOAKS],Politik,yes,,Facebook,1,1,,"
            for n, payload in enumerate(PAYLOADS)]
    (tmp_path / "hoax_register.csv").write_text(register.rstrip("\n") + "\n"
                                                + "\n".join(rows) + "\n", encoding="utf-8")
    waves = (config.SAMPLE_DIR / "waves.csv").read_text(encoding="utf-8").splitlines()
    waves[1] = waves[1].rsplit(",", 1)[0] + ',"' + " ".join(PAYLOADS) + '"'
    (tmp_path / "waves.csv").write_text("\n".join(waves) + "\n", encoding="utf-8")
    with db.connect(path) as conn:
        for name in ("waves.csv", "hoax_register.csv"):
            assert ingest_file(conn, tmp_path / name).outcome == "loaded"
        for name in ("election_results.csv", "survey_responses.csv",
                     "receipts_telkomsel_sms01-03.csv.gz"):
            shutil.copy(config.SAMPLE_DIR / name, tmp_path / name)
            assert ingest_file(conn, tmp_path / name).ok
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()


def _rendered_as_markdown(at: AppTest) -> list[str]:
    """Every text the app passes through Markdown (which would interpret markup)."""
    texts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader",
                                  "success", "info", "warning", "error")
             for e in getattr(at, kind)]
    return texts + [m.label for m in at.metric]


@pytest.mark.parametrize("page", PAGES)
def test_markup_from_files_never_reaches_markdown(hostile_db, page):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    for text in _rendered_as_markdown(at):
        assert "<script" not in text and "onerror" not in text and "javascript:" not in text


def test_hoax_titles_are_shown_as_data(hostile_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/hoaks.py").run()
    at.text_input(key="hoaks_cari").input("alert").run()
    shown = "\n".join(df.value.to_csv() for df in at.dataframe)
    assert all(payload in shown for payload in PAYLOADS)  # kept, as plain data


def test_the_brief_escapes_markup(hostile_db):
    with db.connect(hostile_db, read_only=True) as conn:
        week = weekly.weeks_with_data(conn)[0]
        html = brief.brief_html(weekly.weekly_summary(conn, week, "id")).decode("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html


def test_an_upload_with_a_hostile_name_is_stored_sanitised(hostile_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/kualitas_data.py").run()
    data = ("\n".join([HEADER, receipt("UP1"), receipt("UP2", msisdn="081298765432")])
            + "\n").encode()
    at.file_uploader(key="upload").set_value(("../<img src=x onerror=alert(1)>.csv", data,
                                              "text/csv")).run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("_img src_x onerror_alert_1__.csv" in s.value for s in at.success)
    log = at.dataframe[0].value  # the screen's table: columns carry their labels
    assert "_img src_x onerror_alert_1__.csv" in set(log[display.column_label("file", "id")])


def test_an_upload_over_the_limit_is_refused(hostile_db, monkeypatch):
    monkeypatch.setattr(ui, "MAX_UPLOAD_MB", 0)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/kualitas_data.py").run()
    at.file_uploader(key="upload").set_value(("big.csv", (HEADER + "\n").encode() * 10,
                                              "text/csv")).run()
    at.button[0].click().run()
    assert any("big.csv" in e.value for e in at.error)
    files = ui.connection().cursor().execute("SELECT file_name FROM ingest_log").fetchall()
    assert len(files) == 5 and ("big.csv",) not in files  # the app's own database


# --- SQL injection through URL parameters -----------------------------------------------------

INJECTIONS = ["xl' OR '1'='1", "1; DROP TABLE receipts; --", "31) OR (1=1",
              "2024-01-01'; DELETE FROM receipts; --", "' UNION SELECT * FROM rejects --"]
URL_KEYS = ("periode", "gelombang", "operator", "provinsi", "lang", "paparan", "hasil",
            "tanpa_noken", "pekan")


@pytest.mark.parametrize("page", ["app_pages/ringkasan.py", "app_pages/partisipasi.py",
                                  "app_pages/ringkasan_mingguan.py"])
def test_sql_in_url_parameters_has_no_effect(hostile_db, page):
    count = "SELECT count(*) FROM receipts"
    before = ui.connection().cursor().execute(count).fetchall()
    at = AppTest.from_file(APP, default_timeout=60)
    for key in URL_KEYS:
        at.query_params[key] = INJECTIONS
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert ui.connection().cursor().execute(count).fetchall() == before
    sent = [m.value for m in at.metric if m.label == "Terkirim"]
    if sent:  # the filters fell back to "all": the whole table, not a widened or empty one
        assert int(sent[0].replace(".", "")) == before[0][0]
