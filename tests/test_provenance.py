"""Every output says where its numbers come from, read from the data it shows (issue 15, point
1): the source per kind of data, the days covered, the as-of stamp, and a visible mark when any
of it is sample data. Expected values are read from the sample's files with the csv module,
not from our queries."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re

import pytest

from dashboard import config
from dashboard.export.provenance import data_of_figure, filter_parts, provenance
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import figures_registry
from dashboard.store import db
from tests.conftest import receipt, write

MANIFEST = json.loads((config.SAMPLE_DIR / "MANIFEST.json").read_text(encoding="utf-8"))


def _column(name: str, column: str) -> list[str]:
    with (config.SAMPLE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def _indonesian(day: str) -> str:
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    value = dt.date.fromisoformat(day)
    return f"{value.day} {months[value.month - 1]} {value.year}"


SMS_DAYS = sorted(d for d, c in zip(_column("waves.csv", "sent_date"),
                                    _column("waves.csv", "channel"), strict=True)
                  if c.lower() == "sms")
def _parses(day: str) -> bool:
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return False
    return True


HOAX_DAYS = [d for d in sorted(_column("hoax_register.csv", "identified_date")) if _parses(d)]
SURVEY_DAYS = sorted(_column("survey_responses.csv", "interview_date"))

# (figure, language, source words, first day, last day): the period is the data's own
FIGURE_CASES = [
    ("wave_trend", "id", "Sumber: laporan pengiriman Telkomsel, Indosat, XL, Smartfren (SMS01–",
     SMS_DAYS[0], SMS_DAYS[-1]),
    ("hoax_weekly", "id", "Sumber: register hoaks pemilu (komdigi.go.id)", HOAX_DAYS[0],
     HOAX_DAYS[-1]),
    ("survey_shares", "id", "Sumber: survei survey_responses.csv", SURVEY_DAYS[0],
     SURVEY_DAYS[-1]),
    ("participation_scatter", "id", "Sumber: hasil pemilu presiden 2019 dan 2024", SMS_DAYS[0],
     SMS_DAYS[-1]),
]


@pytest.mark.parametrize(("name", "lang", "source", "first", "last"), FIGURE_CASES,
                         ids=[c[0] for c in FIGURE_CASES])
def test_each_figure_names_its_own_source_and_period(sample_db, name, lang, source, first,
                                                    last):
    with db.connect(sample_db, read_only=True) as conn:
        origin = provenance(conn, data_of_figure(name), Filters(), lang)
    assert source in origin.footer
    assert f"Periode: {_indonesian(first)} – {_indonesian(last)}" in origin.period
    if name.startswith("hoax") or name.startswith("survey"):  # not the operators' reports
        assert "pengiriman" not in origin.footer


@pytest.mark.parametrize("lang", ["id", "en"])
def test_press_figures_of_the_sample_are_marked(sample_db, lang):
    mark = "DATA CONTOH" if lang == "id" else "SAMPLE DATA"
    with db.connect(sample_db, read_only=True) as conn:
        for name in figures_registry.FIGURES:
            press = figures_registry.press(conn, name, None, lang, "social")
            texts = {a.name: str(a.text) for a in press.layout.annotations if a.name}
            assert texts["press_subtitle"].startswith(mark), name
            other = "Sumber" if lang == "en" else "Source"
            assert other not in texts["press_source"], name


def test_as_of_names_the_last_load_and_the_last_send_day(sample_db):
    with db.connect(sample_db, read_only=True) as conn:
        loaded = conn.execute("SELECT max(finished_at) FROM ingest_log WHERE kind = 'receipts' "
                              "AND outcome = 'loaded'").fetchall()[0][0]
        origin = provenance(conn, ("receipts",), Filters(), "en")
    wib = loaded.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert f"{wib:%H:%M} WIB" in origin.as_of
    last = dt.date.fromisoformat(SMS_DAYS[-1])
    assert origin.as_of.endswith(f"last sent {last.day} {last:%b} {last.year}")


def test_filters_narrow_the_period_and_are_named(sample_db):
    chosen = Filters(date_from=dt.date(2024, 1, 1), operators=("xl",), provinces=(32,))
    after = [d for d in SMS_DAYS if d >= "2024-01-01"]
    with db.connect(sample_db, read_only=True) as conn:
        origin = provenance(conn, ("receipts",), chosen, "en")
    first, last = dt.date.fromisoformat(after[0]), dt.date.fromisoformat(after[-1])
    assert origin.period == (f"Period: {first.day} {first:%b} {first.year} – {last.day} "
                             f"{last:%b} {last.year} · Operator: XL Axiata · "
                             "Province: Jawa Barat")
    assert "Source: delivery reports of XL (SMS" in origin.footer


@pytest.mark.parametrize(("filters", "lang", "expected"), [
    (Filters(), "id", []),
    (Filters(operators=("xl",)), "en", ["Operator: XL Axiata"]),
    (Filters(provinces=(32,), waves=("SMS10",)), "id",
     ["Gelombang: SMS10", "Provinsi: Jawa Barat"]),
    (Filters(date_from=dt.date(2024, 2, 1)), "en", ["Period: 1 Feb 2024 – …"]),
])
def test_filter_words(filters, lang, expected):
    assert filter_parts(filters, lang) == expected


def _real_receipts(tmp_path):
    """A receipts file that is not the sample's (its hash is in no manifest)."""
    return write(tmp_path, "real.csv", [
        "operator,message_id,wave_id,msisdn,province,submitted_at,done_at,status,error_code",
        receipt("m1"), receipt("m2", msisdn="081234567891")])


@pytest.mark.parametrize(("declared", "marked"), [(False, False), (True, True)])
def test_a_file_is_sample_data_only_when_declared_or_listed(conn, tmp_path, declared, marked):
    assert ingest_file(conn, _real_receipts(tmp_path), sample=declared).ok
    origin = provenance(conn, ("receipts",), Filters(), "id")
    assert origin.sample is marked
    assert origin.subtitle.startswith("DATA CONTOH") is marked
    assert ("DATA CONTOH" in " ".join(origin.lines())) is marked


def test_a_sample_file_is_known_by_its_hash_also_in_an_old_database(conn, tmp_path):
    """Renamed and loaded without --sample, the sample's waves file is still sample data, and
    so it stays when the flag is missing (a database loaded before the flag existed)."""
    copy = tmp_path / "katalog.csv"
    copy.write_bytes((config.SAMPLE_DIR / "waves.csv").read_bytes())
    assert ingest_file(conn, _real_receipts(tmp_path)).ok
    assert not provenance(conn, ("receipts",), Filters(), "id").sample
    assert ingest_file(conn, copy).ok
    conn.execute("UPDATE ingest_log SET sample = false")
    assert provenance(conn, ("receipts",), Filters(), "id").sample


def test_every_manifest_file_carries_its_hash():
    import hashlib

    entries = [*MANIFEST["files"], MANIFEST["survey"], MANIFEST["election"], MANIFEST["hoax"]]
    for entry in entries:
        data = (config.SAMPLE_DIR / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), entry["file"]


def test_no_data_no_source(conn):
    origin = provenance(conn, ("receipts", "hoax", "survey", "election"), Filters(), "en")
    assert (origin.sources, origin.period, origin.as_of, origin.sample) == ((), "", "", False)


@pytest.mark.parametrize(("name", "data"), [
    ("reach_operator", ("receipts",)), ("hoax_weekly", ("hoax",)),
    ("hoax_wave_rate_ratios", ("hoax",)), ("survey_tests", ("survey",)),
    ("participation_provinces", ("receipts", "status_bar", "election")),
    ("participation_tests", ("receipts", "status_bar", "election")),
    ("data_quality", ("receipts", "election", "survey", "hoax", "status_bar", "wa_updates",
                      "wa_daily")),
    ("channel_wave", ("receipts", "status_bar", "wa_updates")),
    ("status_bar_province", ("status_bar",)), ("wa_daily", ("wa_daily", "wa_updates")),
    ("weekly_operators_2024-W06", ("receipts",)),
])
def test_a_table_s_data_is_told_by_its_name(name, data):
    from dashboard.export.provenance import data_of_table

    assert data_of_table(name) == data


@pytest.mark.parametrize(("table", "fmt", "lang", "source"), [
    ("hoax_weekly", "xlsx", "id", "Sumber: register hoaks pemilu"),
    ("reach_operator", "xlsx", "en", "Source: delivery reports of"),
    ("survey_tests", "csv", "en", "Source: survey survey_responses.csv"),
])
def test_cli_exports_carry_their_provenance(sample_db, tmp_path, table, fmt, lang, source):
    from openpyxl import load_workbook

    from dashboard.cli import main

    out = tmp_path / f"{table}.{fmt}"
    assert main(["export", table, "--format", fmt, "--lang", lang, "--out", str(out),
                 "--db", str(sample_db)]) == 0
    mark = "DATA CONTOH" if lang == "id" else "SAMPLE DATA"
    if fmt == "xlsx":
        book = load_workbook(out)
        assert book.sheetnames == ["data", "sumber" if lang == "id" else "source"]
        lines = [row[0] for row in book.worksheets[1].iter_rows(values_only=True)]
    else:  # the rows alone, as the contract says; the notes beside them
        assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("test,")
        lines = (tmp_path / f"{table}.{fmt}.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(mark)
    assert any(line.startswith(source) for line in lines), lines


@pytest.mark.parametrize(("lang", "mark", "source", "foreign"), [
    ("id", "DATA CONTOH", "Sumber: laporan pengiriman", "Source:"),
    ("en", "SAMPLE DATA", "Source: delivery reports of", "Sumber:"),
])
def test_the_brief_says_its_sources_and_marks_sample_data(sample_db, lang, mark, source,
                                                          foreign):
    from dashboard.reports.brief import brief_html
    from dashboard.reports.weekly import weekly_summary

    with db.connect(sample_db, read_only=True) as conn:
        summary = weekly_summary(conn, "2024-W07", lang)
    page = brief_html(summary, static=False).decode("utf-8")  # plotly charts, no Chromium
    page = re.sub(r"<script.*?</script>", "", page, flags=re.DOTALL)  # plotly.js itself
    cover = page.split('<section class="page">')[1]
    assert mark in cover.split('class="masthead"')[0]  # above the title
    assert source in page
    assert foreign not in page
