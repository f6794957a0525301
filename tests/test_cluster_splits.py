"""A large receipts file read by several tasks (dashboard/cluster/splits.py): where it is cut,
and that its pieces, each staged as the cluster's tasks stage it and their accounting merged,
give exactly what the whole file gives: the same valid records in the same order, the same
counts, the same rejects and warnings at the same lines. No Spark needed: the tasks' staging
is spark_ingest._stage_file; tests/test_cluster_ingest.py runs the pieces on Spark and
compares with the native ingest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pytest

from dashboard.cluster import spark_ingest, splits
from dashboard.cluster.splits import WHOLE, Piece
from tests.conftest import HEADER, receipt, write

CORPUS = Path(__file__).parent / "corpus" / "receipts"
SAMPLE = Path(__file__).parent.parent / "sample_data"

# a canonical file with BOM and CRLF line ends, one record a line: across its lines an exact
# duplicate, a state superseded by a later line, two rejects (one with a phone number where a
# status belongs), warnings (a wave in no catalogue, a hexadecimal error code), blank lines
# and a line with a cell missing
CRLF_LINES = [
    "\ufeff" + HEADER,
    receipt("P-0001", status="ENROUTE", done=""),
    receipt("P-0002"),
    "",
    receipt("P-0003", wave="SMS99", error="00B"),
    receipt("P-0002"),  # the same line again: a duplicate
    receipt("P-0004", status="081234567890"),  # rejected: no such status (a number)
    receipt("P-0001"),  # the final state after ENROUTE: loaded, ENROUTE superseded
    "telkomsel,P-0005,SMS01,081234567805,32,2023-12-05 10:00:00,2023-12-05 10:00:30,DELIVRD",
    "",
    receipt("P-0006", msisdn="0812-345"),  # rejected: too short a number
    receipt("P-0007", province="LUAR NEGERI"),
]


@pytest.fixture(scope="module")
def terms():
    return spark_ingest._database_terms(None)  # noqa: SLF001


def _crlf(folder: Path) -> Path:
    return write(folder, "crlf.csv", "\r\n".join(CRLF_LINES).encode("utf-8") + b"\r\n")


def _bytes_of(path: Path, piece: Piece) -> bytes:
    data = path.read_bytes()
    return data[piece.start:piece.end]


# name, file content, piece size -> the cuts (start of each piece), or None: read whole
CUT_CASES = [
    ("small file: whole", [HEADER, receipt("A-1")], 10_000, None),
    ("a cut after every line", [HEADER, receipt("A-1"), receipt("A-2"), receipt("A-3")], 1,
     "every line"),
    ("two lines a piece", [HEADER, *(receipt(f"A-{i}") for i in range(6))], 150, "some"),
    ("a record over two lines: whole",
     [HEADER + ",note", receipt("A-1") + ',"one\nline break"', receipt("A-2") + ",x"], 1,
     None),
    ("JSON Lines: no header", [
        '{"operator": "xl", "wave_id": "SMS01", "receipt": "id:1 stat:DELIVRD"}',
        '{"operator": "xl", "wave_id": "SMS01", "receipt": "id:2 stat:DELIVRD"}',
        "",
        '{"operator": "xl", "wave_id": "SMS01", "receipt": "id:3 stat:DELIVRD"}'], 1,
     "every line"),
    ("not a receipts file: whole", ["wave_id,start_date,end_date", "SMS01,2024-01-01,x"], 1,
     None),
]


@pytest.mark.parametrize(("name", "lines", "size", "expected"), CUT_CASES,
                         ids=[c[0] for c in CUT_CASES])
def test_where_a_file_is_cut(tmp_path, name, lines, size, expected):
    path = write(tmp_path, "file.jsonl" if "JSON" in name else "file.csv", lines)
    found = splits.pieces(path, path.name, None, size)
    if expected is None:
        assert found == [WHOLE]
        return
    data = path.read_bytes()
    assert len(found) > 1
    assert b"".join(_bytes_of(path, p) for p in found) == data  # nothing lost, nothing twice
    assert [p.index for p in found] == list(range(len(found)))
    assert found[0].start == 0 and found[-1].end == len(data)
    for before, after in zip(found, found[1:], strict=False):
        assert before.end == after.start and data[after.start - 1:after.start] == b"\n"
    header = 0 if "JSON" in name else len(lines[0]) + 1
    assert {p.header_end for p in found} == {header}
    assert {p.sha256 for p in found} == {hashlib.sha256(data).hexdigest()}
    # the whole file's records, counted here without the code under test
    assert {p.records for p in found} == {len([line for line in lines[1 if header else 0:]
                                               if line])}
    if expected == "every line":  # the header goes with the first record; a one-byte blank
        # line with the next (the next cut is sought from one byte into a piece)
        assert len(found) == len([line for line in lines[1 if header else 0:] if line])
    else:
        assert 1 < len(found) < len(lines) - 1


def test_a_file_without_a_last_line_break_and_crlf_lines(tmp_path):
    path = write(tmp_path, "f.csv", f"{HEADER}\r\n{receipt('A-1')}\r\n{receipt('A-2')}".encode())
    found = splits.pieces(path, path.name, None, 1)
    data = path.read_bytes()
    second = data.index(b"telkomsel,A-2")
    assert [(p.start, p.end) for p in found] == [(0, second), (second, len(data))]


def test_a_file_of_a_piece_or_less_is_not_read_by_the_driver(tmp_path, monkeypatch):
    path = write(tmp_path, "f.csv", [HEADER, receipt("A-1"), receipt("A-2")])
    size, second = path.stat().st_size, path.read_bytes().index(b"telkomsel,A-2")
    assert len(splits.pieces(path, path.name, None, second - 1)) == 2
    # a piece's size past the first record's line: the last line reaches the end, one piece
    assert splits.pieces(path, path.name, None, size - 1) == [WHOLE]

    def unread(*args):
        raise AssertionError("read by the driver")

    monkeypatch.setattr(splits, "fingerprint", unread)
    assert splits.pieces(path, path.name, None, size) == [WHOLE]


def test_a_file_read_by_the_profile_given(tmp_path, terms):
    """A header no layout matches is read by the profile given (--profile), cut as any file
    (the cluster's files are all meant as receipts: `ingest --kind receipts --profile`)."""
    shipped = Path(splits.__file__).parent.parent / "ingest" / "profiles" / "smartfren.toml"
    profile = tmp_path / "renamed.toml"
    profile.write_text(shipped.read_text(encoding="utf-8").replace(
        'message_id = "Message ID"', 'message_id = "Kode Pesan"'), encoding="utf-8")
    header = ('"Kode Pesan","Campaign","Destination","Province","Sent Time",'
              '"Delivered Time","Status","Error Code"')
    line = ('"S-{}","SMS01","081234567890","Jawa Barat","01/08/2024 09:00:00 AM",'
            '"01/08/2024 09:00:30 AM","TERKIRIM","000"')
    path = write(tmp_path, "f.csv", [header, *(line.format(i) for i in range(4))])
    assert splits.pieces(path, path.name, None, 1) == [WHOLE]  # no layout: the task says so
    found = splits.pieces(path, path.name, str(profile), 1)
    assert len(found) == 4 and found[0].header_end == len(header) + 1
    catalogue, check = terms
    staged = [spark_ingest._stage_file(path, path.name, catalogue, check, str(profile),  # noqa: SLF001
                                       None, piece)[1] for piece in [WHOLE, *found]]
    assert [(a["outcome"], a.get("rows_read")) for a in staged] == [("staged", 4)] + [
        ("staged", 1)] * 4


def test_a_file_of_another_kind_fails_with_the_native_reason(tmp_path, terms):
    """Without --profile the header tells the kind, as `ingest` tells it: a wave catalogue is
    no receipts file (with --profile every file is read as receipts)."""
    path = SAMPLE / "waves.csv"
    valid, accounting = spark_ingest._stage_file(path, path.name, *terms, None)  # noqa: SLF001
    assert valid is None and accounting["outcome"] == "failed"
    assert accounting["message"].startswith("waves.csv: not a receipts file")


def test_gzip_and_unreadable_files_are_read_whole(tmp_path):
    lines = [HEADER, *(receipt(f"A-{i}") for i in range(20))]
    assert splits.pieces(write(tmp_path, "f.csv.gz", lines, compress=True), "f.csv.gz", None,
                         1) == [WHOLE]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert splits.pieces(empty, "empty.csv", None, 1) == [WHOLE]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 22])
def test_line_breaks_found_across_reading_chunks(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(splits, "CHUNK", chunk)
    path = tmp_path / "f"
    path.write_bytes(b"ab\ncd\n\nefg\nh")  # line breaks at 2, 5, 6 and 10; 12 bytes
    with path.open("rb") as stored:
        found = [splits._after_line_breaks(stored, offset, breaks)  # noqa: SLF001
                 for offset, breaks in [(0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (0, 5),
                                        (2, 1), (3, 1), (4, 2), (10, 1), (11, 1)]]
    assert found == [0, 3, 6, 7, 11, 12, 3, 6, 7, 11, 12]


@pytest.mark.parametrize("chunk", [1, 1 << 22])  # line breaks counted over every chunk
def test_a_piece_copied_with_the_header_in_front(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(splits, "CHUNK", chunk)
    path = write(tmp_path, "f.csv", [HEADER, "a", "b", "c"])
    header_end = len(HEADER) + 1
    to = tmp_path / "piece.csv"
    piece = Piece(index=1, start=header_end + 2, end=header_end + 6, header_end=header_end)
    assert piece.copy(path, to) == 2
    assert to.read_bytes() == f"{HEADER}\nb\nc\n".encode()
    first = Piece(index=0, start=0, end=header_end + 2, header_end=header_end)
    assert first.copy(path, to) == 2 and to.read_bytes() == f"{HEADER}\na\n".encode()
    assert Piece.from_json(piece.to_json()) == piece


def _task(piece: int, lines: list[int], header_lines: int, line_breaks: int,
          rejected: dict[str, int] | None = None) -> dict:
    """A piece's accounting as a task writes it: one reject per line given."""
    rejected = rejected or {"bad_status": len(lines)}
    return {"file_name": "f.csv", "kind": "receipts", "sha256": "s", "content_sha256": "s",
            "format": "canonical", "piece": piece, "notes": [], "outcome": "staged",
            "rows_read": 10, "rejected": len(lines), "warnings": 1,
            "reject_reasons": rejected, "warning_kinds": {"unknown_wave": 1},
            "rejects": [{"line": line, "reason": "bad_status", "raw_line": "x"}
                        for line in lines],
            "load_warnings": [{"line": lines[0] if lines else 2, "kind": "unknown_wave",
                               "field": "wave_id", "value": "SMS99"}],
            "line_breaks": line_breaks, "header_lines": header_lines, "file_records": 30}


def test_pieces_accounting_merged(monkeypatch):
    monkeypatch.setattr(splits, "STORED_REJECTS", 4)
    found = splits.merged([  # given out of order: merged in the pieces' order
        _task(2, [2, 3], 1, 5),
        _task(0, [3, 4], 0, 6, {"bad_status": 1, "bad_msisdn": 1}),
        _task(1, [2], 1, 4)])
    # piece 0: lines 1-6 (with the header); piece 1: its line 2 is the file's 7; piece 2: its
    # lines 2, 3 are the file's 11, 12 (6 + 4 lines before it, less its own header line)
    assert [r["line"] for r in found["rejects"]] == [3, 4, 7, 11]  # the first 4 kept
    assert [w["line"] for w in found["load_warnings"]] == [3, 7, 11]
    assert (found["rows_read"], found["rejected"], found["warnings"]) == (30, 5, 3)
    assert found["reject_reasons"] == {"bad_status": 4, "bad_msisdn": 1}
    assert found["warning_kinds"] == {"unknown_wave": 3}
    assert found["pieces"] == 3 and not set(splits.PIECE_KEYS) & set(found)


@pytest.mark.parametrize("file_records", [29, 31])
def test_pieces_that_do_not_add_up_to_the_file_fail_it(file_records):
    """The driver counted the whole file's records: pieces holding one fewer or one more (a
    cut that lost or repeated a record) fail the file; nothing is stored."""
    tasks = [{**_task(i, [2], 1 if i else 0, 3), "file_records": file_records}
             for i in range(3)]
    found = splits.merged(tasks)
    assert found["outcome"] == "failed" and found["pieces"] == 3
    assert found["message"] == (f"f.csv: could not be loaded: its 3 pieces hold 30 records, "
                                f"the file {file_records}; nothing was stored")


def test_one_piece_is_the_task_accounting_and_a_failed_piece_fails_the_file():
    one = _task(0, [3], 0, 6)
    assert splits.merged([one]) == {k: v for k, v in one.items()
                                    if k not in splits.PIECE_KEYS} | {"pieces": 1}
    failed = {"file_name": "f.csv", "sha256": "s", "format": "canonical", "piece": 1,
              "outcome": "failed", "message": "f.csv: could not be loaded: broken"}
    found = splits.merged([_task(0, [3], 0, 6), failed, _task(2, [2], 1, 1)])
    assert found == {"file_name": "f.csv", "sha256": "s", "format": "canonical",
                     "outcome": "failed", "message": "f.csv: could not be loaded: broken",
                     "pieces": 3}


def _staged_in_pieces(path: Path, size: int, terms) -> tuple[pa.Table | None, dict, int]:
    catalogue, check = terms
    found = [spark_ingest._stage_file(path, path.name, catalogue, check, None, None, p)  # noqa: SLF001
             for p in splits.pieces(path, path.name, None, size)]
    rows = [valid for valid, _ in found if valid is not None]
    table = pa.concat_tables(rows).sort_by("row_index") if rows else None
    return table, splits.merged([a for _, a in found]), len(found)


def _comparable(accounting: dict) -> dict:
    """The accounting without the piece keys, a line's several findings in one order (the
    native order among one line's findings is the query's)."""
    kept = {k: v for k, v in accounting.items() if k not in (*splits.PIECE_KEYS, "pieces")}
    for key in splits.SAMPLES:
        kept[key] = sorted(kept[key], key=lambda s: sorted(s.items()))
    return kept


@pytest.mark.parametrize(("source", "size", "cut"), [
    ("crlf", 1, True),
    ("crlf", 300, True),
    (CORPUS / "d_smpp_xl.jsonl", 1, True),
    (CORPUS / "d_smpp_xl.jsonl", 700, True),
    (CORPUS / "ties" / "one_file.csv", 1, True),
    (CORPUS / "a_canonical_bom_crlf.csv", 1, False),  # records over two lines
    (CORPUS / "b_canonical_late.csv.gz", 1, False),  # gzip
    # the sample's later canonical file (3,668 records): over 10,000 warnings in all, so the
    # merge keeps the first 10,000 of several pieces
    (SAMPLE / "receipts_z_late_canonical.csv", 100_000, True),
    (SAMPLE / "receipts_smartfren_sms01-05.csv", 262_144, True),
])
def test_pieces_staged_and_merged_equal_the_whole_file(tmp_path, terms, source, size, cut):
    path = _crlf(tmp_path) if source == "crlf" else source
    whole, accounting = spark_ingest._stage_file(path, path.name, *terms, None)  # noqa: SLF001
    table, merged, count = _staged_in_pieces(path, size, terms)
    assert (count > 1) == cut
    assert accounting["outcome"] == merged["outcome"] == "staged"
    assert _comparable(merged) == _comparable(accounting)
    # the same valid records, in file order (row_index carries the piece in its high bits)
    assert table.drop(["row_index"]).to_pylist() == whole.sort_by("row_index").drop(
        ["row_index"]).to_pylist()
    pieces_of = {index >> splits.PIECE_SHIFT for index in table.column("row_index").to_pylist()}
    assert len(pieces_of) > 1 or not cut or table.num_rows <= 1


def test_the_crlf_file_worked_out_by_hand(tmp_path, terms):
    """Counted from CRLF_LINES, not by the code under test: 9 records (the blank lines are
    none), 3 rejected (the number as a status, the missing cell, the short number); lines as
    an editor numbers them (the header is line 1)."""
    _, merged, count = _staged_in_pieces(_crlf(tmp_path), 1, terms)
    assert count == 11  # a piece a line, the header with the first
    assert (merged["rows_read"], merged["rejected"]) == (9, 3)
    assert sorted(r["line"] for r in merged["rejects"]) == [7, 9, 11]
    assert "081234567890" not in str(merged)
    warned = {(w["line"], w["kind"]) for w in merged["load_warnings"]}
    assert {(5, "unknown_wave"), (5, "hex_error_code"), (12, "unknown_province")} <= warned


# --- a file read from a copy, as the native ingest reads it (ingest.planned) ----------------

def late_cr_lines(records: int, lf_lines: int, line_end: bytes) -> bytes:
    """A canonical file whose first lf_lines lines (the header among them, more than the
    64 KB that files.inspect reads) end in LF and the rest in line_end: the CR line ends are
    seen only while its records are counted (ingest.LineEndsSeenLate)."""
    lines = [HEADER.encode(), *(receipt(f"M-{i:05d}", msisdn=f"0812345{i:05d}").encode()
                                for i in range(records))]
    data = b"\n".join(lines[:lf_lines]) + b"\n" + line_end.join(lines[lf_lines:]) + line_end
    assert data.find(b"\r") > 1 << 16
    return data


# name, file content, gzip, read from an LF copy: every record its own, as natively
LINE_END_CASES = [
    ("CR only past the head (Excel for Mac)", late_cr_lines(1000, 801, b"\r"), False, True),
    ("CR CR LF past the head", late_cr_lines(1000, 801, b"\r\r\n"), False, True),
    ("CR only past the head, gzip", late_cr_lines(1000, 801, b"\r"), True, True),
    ("CR only from the start", b"\r".join([HEADER.encode(), *(
        receipt(f"M-{i}").encode() for i in range(5))]) + b"\r", False, True),
    # one CR alone among LF lines is a stray, not a line end: its record is rejected
    # (bad_line_break) by both engines, and the file read as it is
    ("one stray CR past the head", late_cr_lines(1000, 999, b"\r")[:-1] + b"\n", False,
     False),
]


def _native_log(path: Path, profile: str | None = None, kind: str | None = None
                ) -> dict:
    """What the native ingest logs of one file, loaded alone into a new database."""
    from dashboard import ingest
    from dashboard.store import db

    with db.memory_connection() as conn:
        result = ingest.ingest_file(conn, path, kind=kind, profile=profile)
        row = conn.execute("SELECT kind, sha256, rows_read, rejected, outcome, message, sample "
                           "FROM ingest_log WHERE ingest_id = $id",
                           {"id": result.ingest_id}).fetchall()[0]
    return dict(zip(("kind", "sha256", "rows_read", "rejected", "outcome", "message",
                     "sample"), row, strict=True))


@pytest.mark.parametrize(("name", "data", "compress", "copied"), LINE_END_CASES,
                         ids=[c[0] for c in LINE_END_CASES])
def test_cr_line_ends_are_read_from_the_native_lf_copy(tmp_path, terms, name, data, compress,
                                                       copied):
    """CR line ends the head does not show (seen while the records are counted) are read from
    the LF copy the native ingest reads, whole (never cut: a piece would read them as they
    are): every record, the native counts, SHA-256 (of the copy) and note."""
    from dashboard.ingest import CR_ONLY_NOTE

    path = write(tmp_path, "mac.csv.gz" if compress else "mac.csv", data, compress=compress)
    native = _native_log(path)
    _, accounting = spark_ingest._stage_file(path, path.name, *terms, None)  # noqa: SLF001
    assert accounting["outcome"] == "staged" and native["outcome"] == "loaded"
    assert (accounting["rows_read"], accounting["rejected"], accounting["sha256"]) == (
        native["rows_read"], native["rejected"], native["sha256"])
    assert accounting["reject_reasons"] == ({} if copied else {"bad_line_break": 1})
    assert accounting["notes"] == ([CR_ONLY_NOTE] if copied else [])
    assert (CR_ONLY_NOTE in native["message"]) == copied
    found = splits.pieces(path, path.name, None, 1)
    assert (found == [WHOLE]) == (copied or compress)
    table, merged, _ = _staged_in_pieces(path, 1, terms)
    assert _comparable(merged) == _comparable(accounting)
    assert table.num_rows == native["rows_read"] - native["rejected"]


# --- a file that cannot be read: the kind the load log gives it --------------------------------

# name, file content, profile given (--profile), the kind logged (ingest_file: the kind asked
# for, else unknown: the header told none)
UNREADABLE_CASES = [
    ("empty", b"", None, "unknown"),
    ("blank lines only", b"\n \n", None, "unknown"),
    ("a header that names no kind", b"nomor,pesan\n081234567802,halo\n", None, "unknown"),
    ("a ZIP (Excel .xlsx)", b"PK\x03\x04" + bytes(60), None, "unknown"),
    ("a damaged gzip", b"\x1f\x8b\x08\x00" + bytes(20), None, "unknown"),
    ("empty, read by a profile", b"", "smartfren", "receipts"),
    ("a ZIP, read by a profile", b"PK\x03\x04" + bytes(60), "smartfren", "receipts"),
]


@pytest.mark.parametrize(("name", "data", "profile", "kind"), UNREADABLE_CASES,
                         ids=[c[0] for c in UNREADABLE_CASES])
def test_an_unreadable_file_has_the_native_kind(tmp_path, terms, name, data, profile, kind):
    """The cluster asks the native planning for the kind `ingest` (or `ingest --kind receipts
    --profile`) asks for; a file that fails as a whole is logged with it, as natively."""
    path = write(tmp_path, "f.csv", data)
    native = _native_log(path, profile, splits.requested_kind(profile))
    _, accounting = spark_ingest._stage_file(path, path.name, *terms, profile)  # noqa: SLF001
    assert native["outcome"] == accounting["outcome"] == "failed"
    assert native["message"] == accounting["message"]
    assert native["kind"] == accounting["kind"] == kind


def test_a_file_read_as_receipts_and_another_kind_s_file_are_logged_so(tmp_path, terms):
    """A receipts file's kind is receipts, whole or in pieces; another kind's file (a wave
    catalogue, which `ingest` would load into its own table) fails here with kind unknown, as
    any file whose header tells no receipts layout."""
    path = _crlf(tmp_path)
    found = [spark_ingest._stage_file(path, path.name, *terms, None, None, piece)[1]  # noqa: SLF001
             for piece in [WHOLE, *splits.pieces(path, path.name, None, 300)]]
    assert len(found) > 2 and {a["kind"] for a in found} == {"receipts"}
    assert splits.merged(found[1:])["kind"] == "receipts"
    _, waves = spark_ingest._stage_file(SAMPLE / "waves.csv", "waves.csv", *terms, None)  # noqa: SLF001
    assert (waves["outcome"], waves["kind"]) == ("failed", "unknown")


# (case, the receipts file's lines after its header): the cluster's log message of a loaded
# file is the native one, from one definition (ingest.load_message): the counts (or 'header
# only'), then the notes
LOADED_MESSAGES = [
    ("header only", []),
    ("loaded and rejected", [receipt("M1"), receipt("M2", msisdn="12")]),
    ("a duplicate and a superseded state", [receipt("M1"), receipt("M1"),
                                            receipt("M2", status="ENROUTE"), receipt("M2")]),
]


@pytest.mark.parametrize(("case", "lines"), LOADED_MESSAGES, ids=[c[0] for c in LOADED_MESSAGES])
@pytest.mark.parametrize("notes", [[], ["a note", "another"]])
def test_the_cluster_words_a_loaded_file_as_the_native_log_does(conn, tmp_path, case, lines,
                                                                notes):
    from dashboard.ingest import ingest_file

    result = ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *lines]))
    assert result.outcome == "loaded"
    [(logged,)] = conn.execute("SELECT message FROM ingest_log WHERE ingest_id = $id",
                               {"id": result.ingest_id}).fetchall()
    c = result.counts
    found = {"file_name": "r.csv", "rows_read": c.rows_read, "loaded": c.loaded,
             "duplicate": c.duplicate, "superseded": c.superseded, "rejected": c.rejected,
             "notes": [*result.notes, *notes]}
    assert spark_ingest._loaded_message(found) == "; ".join([logged, *notes])  # noqa: SLF001
