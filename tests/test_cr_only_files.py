"""A file whose lines end in a carriage return only (Excel for Mac's 'CSV (Macintosh)', still a
choice in its Save As list) is read as the LF lines it means: every kind loads the same rows,
counts, rejects and warnings as the same file with LF line ends, and says how it was read.
Until 7 Dec 2026 it was refused (before that, logged as loaded with 0 rows)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from dashboard import config
from dashboard.ingest import CR_ONLY_NOTE, files, ingest_file
from dashboard.ingest.verify import verify_file
from dashboard.store import db
from tests.conftest import HEADER, receipt, write

# (bytes, the copy with LF line ends): a run of CRs before an LF is one line end (CR CR LF:
# Python's csv.writer on Windows without newline=''), any other CR is one
LINE_ENDS = [
    (b"a\rb\r", b"a\nb\n"),
    (b"a\rb", b"a\nb"),
    (b"a\r\nb\r", b"a\nb\n"),
    (b"a\r\r\nb", b"a\nb"),
    (b"a\r\r\nb\r\r\n", b"a\nb\n"),
    (b"a\r\r\r\nb", b"a\nb"),
    (b"a\r\rb", b"a\n\nb"),  # two CRs with no LF after them: two line ends (a blank line)
    (b"\r\r", b"\n\n"),
    (b"a\n\rb", b"a\n\nb"),
    (b"\r", b"\n"),
    (b"ab", b"ab"),
    (b"\"x\ry\"\r", b"\"x\ny\"\n"),  # a line break inside a quoted cell stays one
]


@pytest.mark.parametrize("block", [1, 2, 3, 1 << 22])  # a CR at a block's end, its LF next
@pytest.mark.parametrize(("written", "copied"), LINE_ENDS)
def test_the_copy_ends_each_lone_cr_in_an_lf(tmp_path, monkeypatch, block, written, copied):
    monkeypatch.setattr(files, "COPY_BLOCK", block)
    for packed in (False, True):
        path = tmp_path / ("f.gz" if packed else "f.csv")
        path.write_bytes(gzip.compress(written) if packed else written)
        with files.with_lf_line_ends(path) as copy:
            assert copy.read_bytes() == copied
        assert not copy.exists()  # removed on leaving


# where the copy goes: it holds the file's raw lines (phone numbers), so it is written where
# DuckDB spills them ($PEMILU_DUCKDB_TEMP, SECURITY.md), not in the system's folder, when set
@pytest.mark.parametrize("private", [True, False])
def test_the_copy_is_written_in_the_configured_temporary_folder(tmp_path, monkeypatch,
                                                               private):
    import tempfile

    spill = tmp_path / "spill"
    spill.mkdir()
    if private:
        monkeypatch.setenv(config.TEMP_ENV, str(spill))
    else:
        monkeypatch.delenv(config.TEMP_ENV, raising=False)
    path = write(tmp_path, "mac.csv", b"a\rb\r")
    with files.with_lf_line_ends(path) as copy:
        assert copy.parent.parent == (spill if private else Path(tempfile.gettempdir()))
    assert list(spill.iterdir()) == []


def table_rows(conn, table: str) -> list[tuple]:
    columns = [c for (c,) in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $t "
        "AND column_name NOT IN ('ingest_id', 'loaded_at', 'started_at', 'finished_at') "
        "ORDER BY ordinal_position", {"t": table}).fetchall()]
    assert columns, table
    listed = ", ".join(f'"{c}"' for c in columns)
    return conn.execute(f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()  # noqa: S608


COMPARED = ("receipts", "receipt_counts", "reach_recipients", "rejects", "load_warnings",
            "survey_responses", "hoax_reports", "waves", "election_results",
            "status_bar_impressions")
SAMPLES = ["receipts_smartfren_sms01-05.csv", "receipts_telkomsel_sms01-03.csv.gz",
           "receipts_indosat_sms01-10.tsv.gz", "receipts_z_late_canonical.csv",
           "survey_responses.csv", "hoax_register.csv", "waves.csv", "election_results.csv",
           "status_bar_xl_sb01-03.csv"]


def as_cr_only(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\r").replace(b"\n", b"\r")


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_sample_file_saved_with_cr_line_ends_loads_as_it_does_with_lf(tmp_path, sample):
    original = config.SAMPLE_DIR / sample
    data = original.read_bytes()
    packed = sample.endswith(".gz")
    text = gzip.decompress(data) if packed else data
    assert b"\n" in text
    cr_only = tmp_path / sample
    cr_only.write_bytes(gzip.compress(as_cr_only(text)) if packed else as_cr_only(text))
    loaded = {}
    for path in (original, cr_only):
        with db.memory_connection() as conn:
            result = ingest_file(conn, path)
            assert result.outcome == "loaded", result.summary()
            tables = {t: table_rows(conn, t) for t in COMPARED}
            logged = conn.execute("SELECT rows_read, loaded, duplicate, superseded, rejected, "
                                  "replaced, warnings, sha256 FROM ingest_log").fetchall()
            loaded[path] = (result.counts, tables, logged, result.notes)
    counts, tables, logged, notes = loaded[original]
    assert counts.rows_read > 0 and any(tables.values())
    if b"\r" not in text and not packed:  # the copy is the file itself: so is its fingerprint
        assert loaded[cr_only][:3] == (counts, tables, logged)
    else:  # CRLF (Smartfren's export), gzip (the copy is unpacked): all but the fingerprint
        assert loaded[cr_only][:2] == (counts, tables)
        assert [row[:-1] for row in loaded[cr_only][2]] == [row[:-1] for row in logged]
    assert notes == [] and loaded[cr_only][3] == [CR_ONLY_NOTE]


def test_rejects_keep_their_line_numbers_and_the_lf_twin_is_already_loaded(conn, tmp_path):
    lines = [HEADER, receipt("M1"), receipt("M2", msisdn="12"), receipt("M3"),
             receipt("M4", status="NOPE")]
    path = write(tmp_path, "mac.csv", as_cr_only(("\n".join(lines) + "\n").encode()))
    result = ingest_file(conn, path)
    assert (result.counts.loaded, result.counts.rejected) == (2, 2)
    assert CR_ONLY_NOTE in conn.execute("SELECT message FROM ingest_log").fetchall()[0][0]
    assert [line for (line,) in conn.execute("SELECT line FROM rejects ORDER BY line")
            .fetchall()] == [3, 5]
    twin = write(tmp_path, "twin.csv", lines)
    assert ingest_file(conn, twin).outcome == "already_loaded"
    assert ingest_file(conn, path).outcome == "already_loaded"
    checked = verify_file(conn, path)
    assert checked.ok and checked.records == 4, checked.summary()


def test_a_cr_only_file_of_no_known_kind_is_still_refused_clearly(conn, tmp_path):
    path = write(tmp_path, "x.csv", b"foo,bar\r1,2\r")
    result = ingest_file(conn, path)
    assert (result.outcome, result.problem) == ("failed", "unknown_kind")
    assert verify_file(conn, path).problems[0].startswith("cannot tell what this file is")


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_upload_page_says_how_it_read_the_file(tmp_path, monkeypatch, language):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.i18n import t
    from tests.test_progress import upload_script

    path = write(tmp_path, "mac.csv", as_cr_only(("\n".join([HEADER, receipt("M1")]) + "\n")
                                                 .encode()))
    monkeypatch.setenv("PEMILU_DB", str(tmp_path / "app.duckdb"))
    monkeypatch.delenv("PEMILU_ACCESS", raising=False)
    st.cache_data.clear()
    at = AppTest.from_function(upload_script, args=(str(path),), default_timeout=60)
    at.session_state["lang"] = language
    at.run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [t("ui.upload_result", language, name=r"mac\.csv",
                                               rows_read="1", loaded="1", duplicate="0",
                                               superseded="0", rejected="0")]
    assert [i.value for i in at.info] == [t("ui.upload_cr_only", language, name=r"mac\.csv")]


# (case, how a receipts file's lines end): each loads its three receipts, line numbers kept
MIXED_LINE_ENDS = [
    # Python's csv.writer on Windows, the file opened without newline='' (the csv module's
    # documentation: "an extra \r will be added"); attack 2, finding 02: every record rejected
    ("CR CR LF", lambda lines: "".join(line + "\r\r\n" for line in lines)),
    # CR-only lines under a header a script wrote with LF (attack 2, finding 04: one record)
    ("CR-only lines under an LF header", lambda lines: lines[0] + "\n" + "\r".join(lines[1:])),
]


@pytest.mark.parametrize(("case", "joined"), MIXED_LINE_ENDS, ids=[c[0] for c in MIXED_LINE_ENDS])
def test_other_line_ends_of_the_world_load_every_record(conn, tmp_path, case, joined):
    lines = [HEADER, receipt("M1"), receipt("M2", msisdn="12"), receipt("M3"), receipt("M4")]
    result = ingest_file(conn, write(tmp_path, "r.csv", joined(lines).encode()))
    assert (result.counts.rows_read, result.counts.loaded, result.counts.rejected) == (4, 3, 1)
    assert conn.execute("SELECT line FROM rejects").fetchall() == [(3,)]
    assert result.notes == [CR_ONLY_NOTE]


def test_one_stray_cr_in_an_lf_file_rejects_its_record_only(conn, tmp_path):
    """A CR outside quotes in one line of an LF file is a stray, not the file's line ends:
    that record is rejected (bad_line_break), the others load, nothing is copied."""
    lines = [HEADER, receipt("M1"), receipt("M2") + "\r", receipt("M3")]
    data = ("\n".join(lines[:2]) + "\n" + lines[2][:-1] + "\rx\n" + lines[3] + "\n").encode()
    result = ingest_file(conn, write(tmp_path, "r.csv", data))
    assert (result.counts.loaded, result.notes) == (2, [])
    assert [r for (r,) in conn.execute("SELECT split_part(reason, ':', 1) FROM rejects")
            .fetchall()] == ["bad_line_break"]


# (lone CRs, LFs, whether they are the file's line ends): one stray CR among LF lines is not
@pytest.mark.parametrize(("lone", "feeds", "line_ends"), [
    (0, 0, False), (0, 5, False), (1, 5, False), (1, 0, True), (2, 5000, True), (7, 1, True),
])
def test_cr_line_ends(lone, feeds, line_ends):
    assert files.cr_line_ends(lone, feeds) is line_ends


# packed: a gzip file's CRs and LFs are counted in its unpacked text (a tabular file is
# checked whole in planned, a gzip one too), never in its compressed bytes
@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("block", [1, 2, 3, 1 << 22])
@pytest.mark.parametrize(("data", "lone", "feeds"), [
    (b"a\r\nb\r\n", 0, 2), (b"a\rb\r", 2, 0), (b"a\r\r\nb", 1, 1), (b"a\nb\rc\r", 2, 1),
    (b"", 0, 0), (b"\r", 1, 0),
])
def test_lone_crs_are_counted_across_blocks(tmp_path, monkeypatch, packed, block, data, lone,
                                            feeds):
    monkeypatch.setattr(files, "COPY_BLOCK", block)
    path = tmp_path / ("f.csv.gz" if packed else "f.csv")
    path.write_bytes(gzip.compress(data, mtime=0) if packed else data)
    assert files.lone_crs_in(path, "gzip" if packed else "none") == (lone, feeds)


def lf_head_then_cr(lines: list[str], head: int) -> bytes:
    """The first `head` lines with LF line ends, the rest with CR only: past the 64 KB files.
    inspect reads when head is large (attack 3, finding 02: the rest became one reject)."""
    return ("\n".join(lines[:head]) + "\n" + "\r".join(lines[head:]) + "\r").encode()


@pytest.mark.parametrize("packed", [False, True])
def test_cr_line_ends_past_the_inspected_head_load_every_receipt(conn, tmp_path, packed):
    lines = [HEADER, *(receipt(f"M{i}", msisdn=f"0812345{i:05d}") for i in range(1000))]
    data = lf_head_then_cr(lines, 801)
    assert data.index(b"\r") > files.HEAD_BYTES
    path = write(tmp_path, "late.csv" + (".gz" if packed else ""), gzip.compress(data)
                 if packed else data)
    result = ingest_file(conn, path)
    assert (result.counts.rows_read, result.counts.loaded) == (1000, 1000)
    assert result.notes == [CR_ONLY_NOTE]
    checked = verify_file(conn, path)
    assert checked.ok and checked.records == 1000, checked.summary()


def test_cr_line_ends_past_the_head_of_a_tabular_file_load_every_row(conn, tmp_path):
    lines = ["wave_id,channel,sent_date,theme,message_text",
             *(f"W{i},sms,2024-01-{1 + i % 28:02d},damai,{'teks ' * 20}" for i in range(1000))]
    data = lf_head_then_cr(lines, 700)
    assert data.index(b"\r") > files.HEAD_BYTES
    result = ingest_file(conn, write(tmp_path, "waves.csv", data))
    assert (result.counts.rows_read, result.counts.loaded) == (1000, 1000)
    assert result.notes == [CR_ONLY_NOTE]


CR_ONLY_RECEIPTS = as_cr_only(("\n".join([HEADER, receipt("M1"), receipt("M2")]) + "\n").encode())
# (case, the file's bytes, verify_file's arguments, its summary): verify reads a CR-only file
# as ingest_file does, from the copy with LF line ends, with the kind, profile and name it is
# given, and names the file as given in every message (never the copy's name)
VERIFY_CR_ONLY = [
    ("loaded", CR_ONLY_RECEIPTS, {}, "mac.csv: ok: 2 records, as logged by ingest 1"),
    ("gzip", gzip.compress(CR_ONLY_RECEIPTS), {},
     "mac.csv: ok: 2 records, as logged by ingest 1"),
    ("the kind given is used", CR_ONLY_RECEIPTS, {"kind": "nonsense"},
     f"mac.csv: cannot tell what this file is from its header {HEADER!r}; pass --kind and "
     "--profile"),
    ("the profile given is used", CR_ONLY_RECEIPTS, {"profile": "acme"},
     "mac.csv: no profile 'acme'; available: ['indosat', 'smartfren', 'telkomsel', 'xl']"),
    # a problem other than the line ends is said at once: no copy is tried (a damaged gzip
    # file or a missing one cannot be copied)
    ("damaged gzip", b"\x1f\x8b\x08\x00garbage", {}, None),
    ("no such file", None, {}, "mac.csv: file not found"),
]


@pytest.mark.parametrize(("case", "data", "arguments", "summary"), VERIFY_CR_ONLY,
                         ids=[c[0] for c in VERIFY_CR_ONLY])
def test_verify_reads_a_cr_only_file_as_ingest_does(conn, tmp_path, case, data, arguments,
                                                    summary):
    path = tmp_path / "mac.csv"
    if data is not None:
        path.write_bytes(data)
        if summary and " ok: " in summary:
            assert ingest_file(conn, path).outcome == "loaded"
    checked = verify_file(conn, path, **arguments)
    if summary is None:
        assert checked.summary().startswith("mac.csv: damaged gzip file ("), checked.summary()
    else:
        assert checked.summary() == summary


# (the shared rule's answer, the summary): verify asks the rule the native load and the
# cluster ask (ingest.counted_cr_line_ends) of the count it makes, not a copy of it: what the
# rule says is what verify does (True: read again from the LF copy, which it never asks again)
@pytest.mark.parametrize(("answer", "asked"), [(False, 1), (True, 1)])
def test_verify_asks_the_shared_cr_line_end_rule(conn, tmp_path, monkeypatch, answer, asked):
    from dashboard.ingest import records, verify

    path = write(tmp_path, "r.csv", [HEADER, receipt("M1"), receipt("M2")])
    assert ingest_file(conn, path).outcome == "loaded"
    calls = []

    def rule(counted):
        calls.append(counted)
        return answer

    monkeypatch.setattr(verify, "counted_cr_line_ends", rule)
    checked = verify_file(conn, path)
    assert checked.summary() == "r.csv: ok: 2 records, as logged by ingest 1"
    assert len(calls) == asked and isinstance(calls[0], records.RecordCount)
