"""Input safety: gzip bombs, file names, upload limits, and text from files shown as text."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import string
import threading
import time

import psutil
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import config
from dashboard.ingest import ingest_file
from dashboard.ingest.files import safe_file_name
from dashboard.reports import brief, display, tables, weekly
from dashboard.store import db
from dashboard.web import ui
from tests.conftest import HEADER, receipt, write
from tests.test_app import APP, PAGES

PUNCTUATION = frozenset(string.punctuation)
WORD_JOINER = "\u2060"

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
    # shown as written: the message escapes the name for Markdown (_x_ would be emphasis)
    assert any("_img src_x onerror_alert_1__.csv" in _shown(s.value) for s in at.success)
    log = at.dataframe[0].value  # the screen's table: columns carry their labels
    assert "_img src_x onerror_alert_1__.csv" in set(log[display.column_label("file", "id")])


@pytest.mark.parametrize("name", ["www.evil.example.csv", "__PALSU__.csv"])
def test_an_uploaded_file_name_is_shown_as_text(hostile_db, name):
    """What safe_file_name keeps (letters, digits, . - _) is still Markdown: a www. name
    is a link, __x__ bold (issue 13, finding 4)."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/kualitas_data.py").run()
    data = ("\n".join([HEADER, receipt("UP1")]) + "\n").encode()
    at.file_uploader(key="upload").set_value((name, data, "text/csv")).run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    messages = [s.value for s in at.success if name in _shown(s.value).replace(WORD_JOINER, "")]
    assert messages and [live_markup(m) for m in messages] == [[]]


def test_an_upload_over_the_limit_is_refused(hostile_db, monkeypatch):
    monkeypatch.setattr(ui, "MAX_UPLOAD_MB", 0)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/kualitas_data.py").run()
    at.file_uploader(key="upload").set_value(("big.csv", (HEADER + "\n").encode() * 10,
                                              "text/csv")).run()
    at.button[0].click().run()
    assert any("big.csv" in _shown(e.value) for e in at.error)
    files = ui.connection().cursor().execute("SELECT file_name FROM ingest_log").fetchall()
    assert len(files) == 5 and ("big.csv",) not in files  # the app's own database


def test_a_refused_upload_says_why_in_indonesian(hostile_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/kualitas_data.py").run()
    # an Excel workbook renamed .csv (the uploader takes only text files' names)
    at.file_uploader(key="upload").set_value(("laporan.csv", b"PK\x03\x04rest",
                                              "text/csv")).run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert [_shown(e.value) for e in at.error] == [
        "laporan.csv: ini arsip ZIP (berkas Excel .xlsx?), bukan berkas CSV atau JSON Lines. "
        "Simpan sebagai CSV UTF-8, lalu unggah lagi."]


# --- Markdown and chart labels from file text (issue 13, finding 4) ------------------------

EVIL_LINK = "[Klik verifikasi DPT](https://evil.example/phish)"
EVIL_IMAGE = "![px](https://evil.example/pixel.png)"
EVIL_COLOUR = ":red[**PALSU: pemilu ditunda**]"
EVIL_ANCHOR = '<a href="https://evil.example/x">SMSX</a>'
EVIL_BARE = ("Cek www.evil.example, https://evil.example/y atau lapor@evil.example "
             ":material/verified:")
# wave id, theme, message text: every wave goes out in 2023-W51, the sample's latest week
SPOOF_WAVES = [(EVIL_LINK, EVIL_COLOUR, EVIL_BARE), (EVIL_IMAGE, EVIL_BARE, EVIL_LINK),
               (EVIL_COLOUR, EVIL_LINK, EVIL_IMAGE), (EVIL_ANCHOR, EVIL_ANCHOR, EVIL_COLOUR),
               ("SMS90", EVIL_IMAGE, EVIL_ANCHOR)]
MARKERS = ("evil.example", "PALSU", "SMSX")  # text of the payloads, in whatever form shown


@pytest.fixture
def spoofing_db(tmp_path, monkeypatch):
    """The sample's waves and hoax register plus waves and hoaxes whose ids, themes, texts,
    titles and categories are Markdown and HTML."""
    import csv

    path = tmp_path / "spoofing.duckdb"
    waves = tmp_path / "waves.csv"
    waves.write_text((config.SAMPLE_DIR / "waves.csv").read_text(encoding="utf-8"),
                     encoding="utf-8")
    register = tmp_path / "hoax_register.csv"
    register.write_text((config.SAMPLE_DIR / "hoax_register.csv").read_text(encoding="utf-8"),
                        encoding="utf-8")
    with waves.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for day, (wave_id, theme, text) in enumerate(SPOOF_WAVES, start=19):
            writer.writerow([wave_id, "sms", f"2023-12-{day}", theme, text])
    with register.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for number, payload in enumerate((EVIL_LINK, EVIL_IMAGE, EVIL_COLOUR, EVIL_ANCHOR)):
            writer.writerow([f"HX2023-9{number:03d}", "2023-12-20", payload, payload, "yes",
                             "electoral_fraud", "Facebook", "2", "1", "", ""])
    with db.connect(path) as conn:
        for file in (waves, register):
            assert ingest_file(conn, file).ok
        # An ingest may refuse such wave ids; a database loaded before it holds them all
        # the same, and the pages must show them as text.
        for day, (wave_id, theme, text) in enumerate(SPOOF_WAVES, start=19):
            conn.execute("INSERT INTO waves (wave_id, channel, sent_date, theme, message_text) "
                         "SELECT $id, 'sms', $day, $theme, $text WHERE NOT EXISTS "
                         "(SELECT 1 FROM waves WHERE wave_id = $id)",
                         {"id": wave_id, "day": f"2023-12-{day}", "theme": theme,
                          "text": text}).fetchall()
        for name in ("election_results.csv", "survey_responses.csv",
                     "receipts_telkomsel_sms01-03.csv.gz"):
            shutil.copy(config.SAMPLE_DIR / name, tmp_path / name)
            assert ingest_file(conn, tmp_path / name).ok
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()


def _markdown_view(source: str) -> tuple[str, str]:
    """(structure, text) of Markdown source after backslash escapes: in `structure` an
    escaped character is a blank that opens and closes nothing; `text` is what shows."""
    structure, text, position = [], [], 0
    while position < len(source):
        char = source[position]
        if char == "\\" and position + 1 < len(source) and source[position + 1] in PUNCTUATION:
            structure.append("\x00")
            text.append(source[position + 1])
            position += 2
        else:
            structure.append(char)
            text.append(char)
            position += 1
    return "".join(structure), "".join(text)


# What Streamlit's Markdown (CommonMark, GFM, its directives and emoji) makes live: syntax in
# the structure, and GFM's autolinks and the emoji/icon short codes in the text it shows.
LIVE_SYNTAX = {
    "link or image": re.compile(r"\[[^\[\]]*\]\("),
    "directive such as :red[]": re.compile(r":[A-Za-z][\w-]*\["),
    "HTML or <autolink>": re.compile(r"<[A-Za-z/!?]"),
    "emphasis": re.compile(r"\*\*|__"),
}
LIVE_TEXT = {
    "autolink": re.compile(r"(?:https?://|www\.)[-.\w]", re.IGNORECASE | re.ASCII),
    "e-mail autolink": re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII),
    "emoji or icon": re.compile(r":[\w+-]+(?:/[\w+-]+)?:", re.ASCII),
}


def live_markup(source: str) -> list[str]:
    """The live constructs in `source` as Streamlit's Markdown would render it."""
    structure, text = _markdown_view(source)
    return ([name for name, pattern in LIVE_SYNTAX.items() if pattern.search(structure)]
            + [name for name, pattern in LIVE_TEXT.items() if pattern.search(text)])


LIVE_CASES = [
    ("link", EVIL_LINK, ["link or image", "autolink"]),
    ("plain", "SMS01 (4 Des)", []),
    ("escaped link", r"\[Klik\]\(x\)", []),
    ("escaped colour", r"\:red\[\*\*PALSU\*\*\]", []),
    ("bare url", "lihat https://evil.example", ["autolink"]),
    ("icon", ":material/verified:", ["emoji or icon"]),
]


@pytest.mark.parametrize(("case", "source", "expected"), LIVE_CASES,
                         ids=[c[0] for c in LIVE_CASES])
def test_the_markdown_model_sees_live_markup(case, source, expected):
    assert live_markup(source) == expected  # the checker below can fail


def _markdown_sources(at: AppTest) -> list[str]:
    """Every text of the page that Streamlit renders as Markdown, tables' cells included."""
    texts = _rendered_as_markdown(at) + [m.delta or "" for m in at.metric]
    for table in at.table:
        frame = table.value
        texts += [str(v) for v in frame.columns] + [str(v) for v in frame.index]
        texts += [str(v) for v in frame.to_numpy().ravel()]
    return texts


def _shown(source: str) -> str:
    return _markdown_view(source)[1]


@pytest.mark.parametrize("page", PAGES)
def test_file_text_is_never_live_markdown(spoofing_db, page):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    hostile = [s for s in _markdown_sources(at) if any(m in _shown(s) for m in MARKERS)]
    assert {s: live_markup(s) for s in hostile if live_markup(s)} == {}
    if page == "app_pages/ringkasan_mingguan.py":  # shown, as text, not dropped
        shown = "\n".join(_shown(s) for s in hostile)
        for text in ("[Klik verifikasi DPT](https://evil.example/phish)", EVIL_COLOUR,
                     EVIL_ANCHOR):
            assert text in shown.replace(WORD_JOINER, "")


@pytest.mark.parametrize("page", PAGES)
def test_file_text_is_never_live_in_a_chart(spoofing_db, page):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    strings = [text for chart in at.get("plotly_chart")
               for text in _strings(json.loads(chart.proto.spec))]
    assert [text for text in strings if "<a" in text.lower()] == []
    if page in ("app_pages/ringkasan_mingguan.py", "app_pages/hoaks.py"):
        assert any("SMSX" in text for text in strings)  # the waves' hover: shown, as text


def _strings(value: object) -> list[str]:
    """Every string a figure's JSON draws (labels, hover, names, titles, annotations); not
    customdata, the raw ids a click hands back to the app, which plotly never draws."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "customdata" for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "tolist"):
        return _strings(value.tolist())
    return []


def _chart_cases() -> list[tuple[str, object]]:
    import pandas as pd

    from dashboard.charts import hoax, participation, reach
    from dashboard.export.figures import press_figure

    evil = EVIL_ANCHOR
    operators = pd.DataFrame({"operator": [evil, "xl"], "sent": [10, 5], "delivered": [9, 4],
                              "delivery_rate": [0.9, 0.8], "latency_p50_s": [5.0, 6.0],
                              "latency_p90_s": [50.0, 60.0], "latency_p99_s": [90.0, 99.0]})
    week = pd.Timestamp("2023-12-18")
    return [
        ("wave trend: wave id", lambda: reach.wave_trend(pd.DataFrame(
            {"wave_id": [evil, "SMS01"], "sent": [10, 5], "delivered": [9, 4],
             "delivery_rate": [0.9, 0.8]}))),
        ("operator bars: operator", lambda: reach.operator_bars(operators, "delivered")),
        ("latency: operator", lambda: reach.latency_chart(operators)),
        ("daily by operator: operator", lambda: reach.daily_trend(pd.DataFrame(
            {"send_date": [week.date()] * 2, "operator": [evil, "xl"],
             "delivered": [9, 4]}))),
        ("heatmap: operator", lambda: reach.operator_province_heatmap(
            operators.assign(province_code=[32, 33]), "delivery_rate")),
        ("error codes: code and meaning", lambda: reach.error_code_bars(pd.DataFrame(
            {"error_code": [evil], "n": [3], "meaning_id": [evil]}))),
        ("hoax weekly: theme and wave id", lambda: hoax.weekly_hoax_bars(
            pd.DataFrame({"week_start": [week], "theme": [evil], "issues": [3]}),
            waves=pd.DataFrame({"wave_id": [evil], "channel": ["sms"],
                                "sent_date": [week.date()]}))),
        ("platform mix: platform", lambda: hoax.platform_mix(pd.DataFrame(
            {"week_start": [week], "platform": [evil], "issues": [3]}))),
        ("take-downs: theme", lambda: hoax.takedown_bars(pd.DataFrame(
            {"theme": [evil], "takedown_rate": [0.5], "ci_low": [0.2], "ci_high": [0.8],
             "content_items": [4]}))),
        ("scatter: province name", lambda: participation.exposure_scatter(pd.DataFrame(
            {"name": [evil, "Jawa Barat"], "x": [0.1, 0.2], "y": [0.5, 0.6],
             "noken": [True, False]}), "x", "y")),
        ("press layout: subtitle", lambda: press_figure(
            reach.operator_bars(operators.tail(1), "delivered"), "Judul", subtitle=evil,
            date_text="")),
    ]


CHART_CASES = _chart_cases()


@pytest.mark.parametrize(("case", "build"), CHART_CASES, ids=[c[0] for c in CHART_CASES])
def test_file_text_in_a_chart_is_escaped(case, build):
    """plotly renders <a href>, <b>, <br> and entities in ticks, hover, names and titles."""
    strings = _strings(build().to_plotly_json())
    assert [s for s in strings if "<a" in s.lower()] == []
    assert any("&lt;a href" in s for s in strings)  # kept, as text


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
