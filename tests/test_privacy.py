"""No raw phone number survives ingest: every value of every table (rejects included), the
database's files, the logs, every export, figure and the brief of the loaded sample are
scanned for anything shaped like an Indonesian mobile number."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys

import pytest

from dashboard import config, db, tables
from dashboard.cli import sample_files
from dashboard.export.figures import chromium_available
from dashboard.export.tables import to_csv_bytes
from dashboard.ingest.privacy import PHONE_IN_TEXT


def text_values(conn) -> list[tuple[str, str, str]]:
    columns = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall()
    found = []
    for table, column in columns:
        quoted_table, quoted_column = f'"{table}"', f'"{column}"'  # names from the catalogue
        for (value,) in conn.execute(
                f"SELECT DISTINCT {quoted_column} FROM {quoted_table} "  # noqa: S608
                f"WHERE {quoted_column} IS NOT NULL").fetchall():
            found.append((table, column, value))
    return found


@pytest.mark.parametrize("text", ["x,081234567890,y", "+62 812-3456-7890", "6281234567890",
                                  '"msisdn": "0812 3456 7890"'])
def test_the_scan_finds_a_number(text):
    assert PHONE_IN_TEXT.search(text)


def test_no_phone_number_in_any_stored_text(sample_db):
    with db.connect(sample_db, read_only=True) as conn:
        values = text_values(conn)
    assert len(values) > 1000  # the scan saw the data, rejects included
    # Indosat's message ids are 12 hex digits, a few of them all digits starting with 08:
    # an operator's id is not a subscriber's number, so that column is not scanned
    leaks = [(t, c, v) for t, c, v in values
             if c != "message_id" and PHONE_IN_TEXT.search(str(v))]
    assert leaks == []


@pytest.mark.parametrize("name", sorted(tables.TABLES))
def test_no_phone_number_in_any_export(sample_db, name):
    with db.connect(sample_db, read_only=True) as conn:
        data = to_csv_bytes(tables.table(conn, name)).decode("utf-8-sig")
    assert PHONE_IN_TEXT.search(data) is None


# --- every other place a number could end up ------------------------------------------------

def _digits(text: str) -> str:
    """A number's national significant part (8...), however it was written."""
    digits = re.sub(r"\D", "", text)
    return digits[2:] if digits.startswith("62") else digits.lstrip("0")


@pytest.fixture(scope="module")
def sample_numbers(sample_db) -> set[str]:
    """Every subscriber number written in the sample's input files (operator message ids
    that happen to look like numbers are taken out: they are stored as they are)."""
    with db.connect(sample_db, read_only=True) as conn:
        ids = {_digits(v) for (v,) in conn.execute(
            "SELECT DISTINCT message_id FROM receipts").fetchall()}
    numbers = set()
    for file in sample_files(config.SAMPLE_DIR):
        opener = gzip.open if file.name.endswith(".gz") else open
        with opener(file, "rt", encoding="utf-8", errors="replace") as handle:
            numbers |= {_digits(m) for m in PHONE_IN_TEXT.findall(handle.read())}
    numbers -= ids
    assert len(numbers) > 1000  # the sample has many subscribers
    return numbers


def _leaked(text: str, numbers: set[str]) -> set[str]:
    return {_digits(m) for m in PHONE_IN_TEXT.findall(text)} & numbers


def test_no_phone_number_in_any_column_of_any_type(sample_db):
    """Numbers stored as integers would escape a text-only scan."""
    with db.connect(sample_db, read_only=True) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND column_name <> 'message_id'").fetchall()
        leaks = []
        for table, column in columns:
            rows = conn.execute(f'SELECT DISTINCT "{column}"::VARCHAR FROM "{table}" '  # noqa: S608
                                f'WHERE "{column}" IS NOT NULL').fetchall()
            leaks += [(table, column, v) for (v,) in rows if PHONE_IN_TEXT.search(v)]
    assert leaks == []


def test_no_sample_number_in_the_database_files(sample_db, sample_numbers):
    """The file, its write-ahead log and temp spill files, byte by byte. DuckDB compresses
    stored strings, so this complements the scans above: it catches what is written
    uncompressed (the log, spilled temp tables, a checkpoint that kept a raw copy)."""
    paths = [p for p in sample_db.parent.rglob("*") if p.is_file()]
    assert sample_db in paths
    for path in paths:
        text = path.read_bytes().decode("latin-1")
        assert not _leaked(text, sample_numbers), path.name


def test_no_phone_number_in_the_logs(tmp_path, sample_numbers):
    """The CLI's output and log lines while loading the sample, rejects included."""
    env = {**os.environ, "PEMILU_SECRET": "test-secret"}
    done = subprocess.run([sys.executable, "-m", "dashboard", "init", "--sample",
                           "--db", str(tmp_path / "log.duckdb")],
                          cwd=config.REPO_ROOT, env=env, capture_output=True, text=True,
                          timeout=600, check=True)
    output = done.stdout + done.stderr
    assert "rejected" in output
    assert not _leaked(output, sample_numbers)
    assert PHONE_IN_TEXT.search(output) is None


def test_no_phone_number_in_the_brief_or_the_figures(sample_db, tmp_path, sample_numbers):
    from dashboard import brief, weekly
    from dashboard.figures_registry import FIGURES, figure

    with db.connect(sample_db, read_only=True) as conn:
        for week in weekly.weeks_with_data(conn)[:3]:
            summary = weekly.weekly_summary(conn, week, "id")
            html = brief.brief_html(summary).decode("utf-8")
            assert "<h2>" in html and PHONE_IN_TEXT.search(html) is None, week
        if chromium_available() and shutil.which("pdftotext"):
            pdf = tmp_path / "brief.pdf"
            pdf.write_bytes(brief.brief_pdf_bytes(summary))
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout
            assert summary.iso_week in text and PHONE_IN_TEXT.search(text) is None
        for name in FIGURES:
            fig = figure(conn, name)
            assert not _leaked(fig.to_json(), sample_numbers), name
