"""No raw phone number survives ingest: every value of every table (rejects included), the
database's files, the logs, every export, figure and the brief of the loaded sample are
scanned for anything shaped like an Indonesian mobile number. And the one masking function
(mask_phone_numbers, its SQL twin PHONE_SHAPE_SQL, and file names) against every way a number
can be written: tests/test_privacy_scanner.py puts these spellings through the whole app."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import config
from dashboard.cli import sample_files
from dashboard.export.figures import chromium_available
from dashboard.export.tables import to_csv_bytes
from dashboard.ingest import ingest_file
from dashboard.ingest.files import safe_file_name
from dashboard.ingest.privacy import (
    MASK,
    MASK_SQL,
    PHONE_IN_TEXT,
    PHONE_SHAPE_SQL,
    contains_phone_number,
    fold_text,
    mask_phone_numbers,
    mask_raw_line,
    normalise_msisdn,
)
from dashboard.reports import tables
from dashboard.store import db

# --- how a number can be written -------------------------------------------------------------

FULL_WIDTH = {ord(d): 0xFF10 + int(d) for d in "0123456789"}
ARABIC_INDIC = {ord(d): 0x0660 + int(d) for d in "0123456789"}
# (case, template, digits translated to another script or None); {a} is 0812, {a8} 812, {b}
# and {c} four digits each. The first group is what the ingest's parser takes as a number
# (digits with spaces, dots, dashes, parentheses, '+', a +62/62/0 prefix); the others are
# what a file can hold all the same: a number to a reader, so never to be shown.
SPELLINGS = [
    ("plain digits", "{a}{b}{c}", None),
    ("parentheses and dash", "({a}) {b}-{c}", None),
    ("+62 and parentheses", "+62 ({a8}) {b} {c}", None),
    ("62 and spaces", "62 {a8} {b} {c}", None),
    ("spaced dashes", "{a} - {b} - {c}", None),
    ("dots", "{a}.{b}.{c}", None),
    ("plus signs", "{a}+{b}+{c}", None),  # the SQL parser takes '+' anywhere
    ("runs of spaces", "{a}      {b}   {c}", None),
    ("slashes", "{a}/{b}/{c}", None),
    ("full-width digits", "{a}{b}{c}", FULL_WIDTH),
    ("full-width punctuation", "\uff08{a}\uff09{b}\uff0d{c}", FULL_WIDTH),
    ("Arabic-Indic digits", "{a} {b} {c}", ARABIC_INDIC),
    ("non-breaking spaces", "{a}\u00a0{b}\u00a0{c}", None),
    ("thin spaces", "{a}\u2009{b}\u2009{c}", None),
    ("narrow no-break spaces", "{a}\u202f{b}\u202f{c}", None),
    ("ideographic spaces", "{a}\u3000{b}\u3000{c}", None),
    ("zero-width spaces", "{a}\u200b{b}\u200b{c}", None),
    ("en dashes", "{a}\u2013{b}\u2013{c}", None),
    ("minus signs", "{a}\u2212{b}\u2212{c}", None),
    # (finding 03) DuckDB's cast to an integer reads 0812_3456_7890 as a number
    ("underscores", "{a}_{b}_{c}", None),
    ("full-width low lines", "{a}\uff3f{b}\uff3f{c}", None),
    # (finding 07) invisible marks: Mn, render as nothing
    ("combining grapheme joiners", "{a}\u034f{b}\u034f{c}", None),
    ("variation selectors", "{a}\ufe0f{b}\ufe0f{c}", None),
    ("keycaps", "{a}\ufe0f\u20e3{b}\u20e3{c}", None),
    ("middle dots", "{a}\u00b7{b}\u00b7{c}", None),
    ("bullets", "{a}\u2022{b}\u2022{c}", None),
    ("commas", "{a},{b},{c}", None),
    ("thousands grouping", "{g}", None),
    # prefixes before the 8 (a bare 8 never starts a number right after a digit)
    ("international 00 62", "0062 {a8} {b} {c}", None),
    ("+62 (0)", "+62 (0){a8}-{b}-{c}", None),
]
# the spellings the leak scan (PHONE_IN_TEXT, stricter) leaves to the mask: a comma between
# a CSV export's cells would make every row of counts a number to it; it knows one prefix
NOT_SCANNED = ("commas", "thousands grouping", "international 00 62", "+62 (0)")
SPELLING_IDS = [case for case, _, _ in SPELLINGS]


def spelled(spelling: int, serial: int) -> tuple[str, str]:
    """Test number `serial` written the `spelling`-th way, and its core (the national
    significant number, 8...): the digits a leak would show however it is written."""
    _, template, script = SPELLINGS[spelling]
    b, c = f"{9000 + serial:04d}", f"{7700 + spelling:04d}"
    core = f"812{b}{c}"
    grouped = ",".join(core[max(0, i - 3):i] for i in range(len(core) % 3 or 3, len(core) + 1, 3))
    written = template.format(a="0812", a8="812", b=b, c=c, g=grouped)
    return (written.translate(script) if script else written), f"812{b}{c}"


def digits_of(text: str) -> str:
    """Every digit of a text, however written: NFKC (full-width, superscript), then any
    script's decimal digit as its value; everything else dropped. Independent of the code
    under test on purpose."""
    return "".join(str(unicodedata.decimal(ch)) for ch in unicodedata.normalize("NFKC", text)
                   if ch.isdecimal())


def sql_mask(conn: duckdb.DuckDBPyConnection, text: str) -> str:
    """The SQL twin of mask_phone_numbers, as exports and the wave-id rule use it."""
    return conn.execute("SELECT regexp_replace($text, $shape, $mask, 'g')",
                        {"text": text, "shape": PHONE_SHAPE_SQL, "mask": MASK_SQL}).fetchall()[0][0]


@pytest.fixture(scope="module")
def sql() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as conn:
        yield conn


NUMBERS = [spelled(i, 0) for i in range(len(SPELLINGS))]


@pytest.mark.parametrize(("written", "core"), NUMBERS, ids=SPELLING_IDS)
def test_every_spelling_is_masked(written, core):
    masked = mask_phone_numbers(f"id:{written};x")
    assert core not in digits_of(masked)
    assert masked.startswith("id:") and masked.endswith(";x") and MASK in masked


@pytest.mark.parametrize(("written", "core"), NUMBERS, ids=SPELLING_IDS)
def test_the_check_agrees_with_the_mask(written, core):
    assert contains_phone_number(f"x {written} y")
    assert not contains_phone_number(mask_phone_numbers(f"x {written} y"))


@pytest.mark.parametrize(("written", "core"), [
    n for n, case in zip(NUMBERS, SPELLING_IDS, strict=True) if case not in NOT_SCANNED],
    ids=[case for case in SPELLING_IDS if case not in NOT_SCANNED])
def test_the_leak_scan_finds_every_spelling(written, core):
    found = PHONE_IN_TEXT.findall(f'{{"msisdn": "{written}", "n": 1}}')
    assert [core in digits_of(f) for f in found] == [True]


@pytest.mark.parametrize(("written", "core"), NUMBERS, ids=SPELLING_IDS)
def test_the_sql_pattern_masks_every_spelling(sql, written, core):
    masked = sql_mask(sql, f"id:{written};x")
    assert core not in digits_of(masked)
    assert masked.startswith("id:") and masked.endswith(";x") and MASK in masked


ASCII_TEXTS = [
    *(w for w, _ in NUMBERS if w.isascii()),
    "2023-12-05 10:00:00", "id:XL0000123", "SMS01", "err:027", "0.8123456789",
    "indosat\tA0812\tSMS08\t\t32\t2023-12-04 09:00:00", "a8123456b", "8 8 8 8 8 8 8 8",
    "tel: +62 812-3456-7890; 0812 3456 7890 or 62812 3456 789", "(((0)))8(1)2/3.4-5+6 7 8",
    "TS0081234567", "0 0 0 0 0 8", "6 2 8 1 2 3 4 5 6 7", "+ + + 8123456789 + +",
    "0812_3456_7890", "81,234,567,876", "28289413.0", "2019,JAWA TENGAH,28289413.0,2889859",
    "0062 812 3456 7890", "+62 (0)812-3456-7890", "628_1234_5678_9", "x_0812_3456_7890_y",
    "x1081234567890", "x18123456789", "1-8123456789",
]


@pytest.mark.parametrize("text", ASCII_TEXTS)
def test_the_sql_pattern_is_the_python_one_on_ascii(sql, text):
    assert sql_mask(sql, text) == mask_phone_numbers(text)


@settings(deadline=None, derandomize=True, database=None, max_examples=300)
@given(st.text(alphabet="0123456789862 .()/+-x|,\t", max_size=40))
def test_the_sql_pattern_is_the_python_one_on_any_ascii(text):
    with duckdb.connect() as conn:
        assert sql_mask(conn, text) == mask_phone_numbers(text)


# a run of separators the parsers take (and the spaces and dashes a file may hold instead)
SEPARATORS = st.text(alphabet=" ().+-/\u00a0\u2009\u202f\u200b\u3000\u2013\u2212", max_size=3)


@settings(deadline=None, derandomize=True, database=None, max_examples=300)
@given(prefix=st.sampled_from(["", "0", "62", "+62"]),
       number=st.from_regex(r"8[0-9]{7,11}", fullmatch=True),
       gaps=st.lists(SEPARATORS, min_size=16, max_size=16))
def test_any_number_written_with_separators_is_masked(prefix, number, gaps):
    """Whatever separators sit between the digits: what the parser reads as a number (and
    the same with other spaces and dashes) leaves no digit of it in the masked text."""
    written = "".join(ch + gap for ch, gap in zip(prefix + number, gaps, strict=False))
    if normalise_msisdn(written.strip()) is not None:
        assert contains_phone_number(written)
    masked = mask_phone_numbers(f"x|{written}|y")
    assert number not in digits_of(masked)
    with duckdb.connect() as conn:
        assert number not in digits_of(sql_mask(conn, f"x|{written}|y"))


def _non_ascii_characters() -> Iterator[str]:
    """Every non-ASCII character of Unicode's planes that hold digits, spaces and dashes
    (0, 1) and the invisible tag characters (plane 14)."""
    for code in (*range(0x80, 0xD800), *range(0xE000, 0x20000), *range(0xE0000, 0xE0080)):
        yield chr(code)


def test_the_sql_pattern_reads_every_character_python_reads(sql):
    """Every non-ASCII character that fold_text reads as a digit or a separator, the SQL
    pattern reads as one too, in each place of a number: so SQL masks at least what
    mask_phone_numbers masks, whatever the script."""
    texts = []
    for char in _non_ascii_characters():
        folded = fold_text(char)
        if folded.isdigit():
            texts.append("8" + char + "123456")  # a digit after the 8
            if folded in "0268":  # the prefix's 0, 6 and 2, and the 8 itself
                texts.append({"0": char + "81234567", "6": char + "2812345678",
                              "2": "6" + char + "812345678", "8": char + "1234567"}[folded])
        elif folded == " " or folded in ".()/+-":
            texts.append("8" + char + "1234567")
    assert len(texts) > 1000  # the scripts' digits and the spaces and dashes were seen
    unread = sql.execute("SELECT list(t) FROM unnest($texts) AS u(t) "
                         "WHERE NOT regexp_full_match(t, $shape)",
                         {"texts": texts, "shape": PHONE_SHAPE_SQL}).fetchall()[0][0]
    assert unread is None, unread[:20]


@pytest.mark.parametrize("text", ["2023-12-05 10:00:00", "id:XL0000123", "SMS01", "err:027",
                                  "SMS08-10", "0812", "Rp 8.000", "+62 21 555 0100",
                                  # counts: the 8 inside a number's run starts none
                                  "28289413.0", "2019,JAWA TENGAH,28289413.0,2889859",
                                  "dpt 128289413", "3.742.037", "35,714,901",
                                  "wave_2024_01_15", "SMS_08_10"])
def test_ordinary_values_are_not_masked(sql, text):
    assert mask_phone_numbers(text) == text == sql_mask(sql, text)
    assert not contains_phone_number(text)


# (finding 12) a rejected JSON line whose number is written with \u escapes, which the
# JSON reader decodes: its kept raw line is masked as the reader sees it
ESCAPED = "".join(f"\\u{ord(c):04x}" for c in "081234567912")
RAW_LINES = [
    ("escaped dashes", '{"msisdn": "0812\\u002d3456\\u002d7911", "x": 1}', "81234567911"),
    ("every digit escaped", '{"msisdn": "' + ESCAPED + '"}', "81234567912"),
    ("escaped spaces", '{"msisdn": "0812\\u00203456\\u00207913"}', "81234567913"),
    ("escaped full-width digits", '{"msisdn": "\\uff10\\uff18' + "1234567914" + '"}',
     "81234567914"),
]


def _json_decoded(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


@pytest.mark.parametrize(("case", "line", "core"), RAW_LINES, ids=[c[0] for c in RAW_LINES])
def test_a_kept_raw_line_is_masked_as_its_reader_sees_it(conn, tmp_path, case, line, core):
    assert core in digits_of(_json_decoded(line))  # the case holds the number
    receipt = ("id:X1 sub:001 dlvrd:001 submit date:2312051000 done date:2312051001 "
               "stat:BOGUS err:000 text:hi")  # rejected: an unknown state
    record = line.replace("}", ', "operator": "xl", "region": "Aceh", "wave_id": "SMS01", '
                          f'"receipt": "{receipt}"}}')
    path = tmp_path / "smpp.jsonl"
    path.write_text(record + "\n", encoding="utf-8")
    result = ingest_file(conn, path)
    assert result.counts.rejected == 1, result.summary()
    (raw,) = conn.execute("SELECT raw_line FROM rejects").fetchone()
    assert "stat:BOGUS" in raw and core not in digits_of(_json_decoded(raw))


def test_other_escapes_of_a_raw_line_stay_as_written():
    line = '{"text": "caf\\u00e9 \\u003cb\\u003e 10:17", "n": "\\u0031\\u0032"}'
    assert mask_raw_line(line) == '{"text": "caf\\u00e9 \\u003cb\\u003e 10:17", "n": "12"}'


# Lines a hostile file can hold (a reject's line is masked, up to the reader's line limit):
# a pattern that rescans a run from each of its characters takes minutes on these
HOSTILE = [("spaces after a 0", "0" + " " * 400_000 + "x"), ("eights", "8" * 400_000),
           ("plus signs", "+" * 400_000), ("a 0 then plus signs", "0" + "+" * 400_000),
           ("short digit groups", "8123456x" * 50_000), ("spaced zeros", "0 " * 200_000),
           ("full-width digits", "\uff10\uff18" * 200_000), ("6 then spaces", "6" + " " * 400_000)]


@pytest.mark.parametrize(("case", "text"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_masking_and_scanning_take_linear_time(case, text):
    started = time.perf_counter()
    mask_phone_numbers(text)
    PHONE_IN_TEXT.search(text)
    assert time.perf_counter() - started < 5  # about 0.1 s; quadratic: minutes


# --- file names ------------------------------------------------------------------------------

FILE_NAMES = [
    ("digits", "receipts_081299887724.csv", "receipts_nomor-disamarkan.csv"),
    ("spaces", "receipts 0812 9988 7724.csv", "receipts nomor-disamarkan.csv"),
    ("underscores", "receipts_0812_9988_7724.csv", "receipts_nomor-disamarkan.csv"),
    ("parentheses", "(0812) 9988-7724 receipts.csv", "_nomor-disamarkan receipts.csv"),
    ("+62 in a path", "C:\\data\\+62 812 9988 7724.csv.gz", "_nomor-disamarkan.csv.gz"),
    ("full-width", "receipts_\uff10\uff18\uff11\uff12\uff19\uff19\uff18\uff18\uff17\uff17"
     "\uff12\uff14.csv", "receipts_nomor-disamarkan.csv"),
    ("non-breaking spaces", "receipts_0812\u00a09988\u00a07724.csv",
     "receipts_nomor-disamarkan.csv"),
    ("commas", "receipts_0812,9988,7724.csv", "receipts_nomor-disamarkan.csv"),
    ("markup", "<i>081299887724<i>.csv", "_i_nomor-disamarkan_i_.csv"),
    ("two numbers", "0812-9988-7724 to 0813 1111 2222.txt",
     "nomor-disamarkan to nomor-disamarkan.txt"),
    ("ordinary name", "receipts_telkomsel_sms01-03.csv.gz", "receipts_telkomsel_sms01-03.csv.gz"),
    ("date and time", "receipts_2024-02-14_0800.csv", "receipts_2024-02-14_0800.csv"),
]


@pytest.mark.parametrize(("case", "name", "expected"), FILE_NAMES, ids=[c[0] for c in FILE_NAMES])
def test_file_names_lose_their_numbers(case, name, expected):
    safe = safe_file_name(name)
    assert safe == expected
    assert safe_file_name(safe) == safe  # the upload page cleans a name, then ingest again


# --- the loaded sample -----------------------------------------------------------------------


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


# an instant as an export writes it: its seconds, fraction and offset can read as a number
# ('2026-12-06 14:59:08.933295+07:00' holds 08 933295 07), so instants are taken out first
INSTANT_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?"
                          r"(?:[+-]\d{2}(?::?\d{2})?)?")


@pytest.mark.parametrize(("text", "found"), [
    ('"2026-12-06 14:59:08.933295+07:00",0', False),
    ("2026-12-06T14:59:08.933295+0700", False),
    ('"2026-12-06 14:59:08+07:00",081234567890', True),  # a number beside an instant
])
def test_instants_are_taken_out_but_not_numbers_beside_them(text, found):
    assert bool(PHONE_IN_TEXT.search(INSTANT_TEXT.sub("<instant>", text))) is found


@pytest.mark.parametrize("name", sorted(tables.TABLES))
def test_no_phone_number_in_any_export(sample_db, name):
    with db.connect(sample_db, read_only=True) as conn:
        data = to_csv_bytes(tables.table(conn, name)).decode("utf-8-sig")
    assert PHONE_IN_TEXT.search(INSTANT_TEXT.sub("<instant>", data)) is None


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
    """Numbers stored as integers would escape a text-only scan. A date or an instant cannot
    hold a number, but its text can look like one ('14:59:08.933295+07' reads as 08933295 07
    when a load finished at second 08): those columns are left out."""
    with db.connect(sample_db, read_only=True) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND column_name <> 'message_id' "
            "AND data_type NOT IN ('DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE')"
            ).fetchall()
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
    from dashboard.reports import brief, weekly
    from dashboard.reports.figures_registry import FIGURES, figure

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
