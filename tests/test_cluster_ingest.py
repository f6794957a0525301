"""Receipts files read by Spark (`python -m dashboard cluster ingest`) give the native ingest's
per-file accounting and the lake `python -m dashboard lake` writes from the native database,
to the row, and no phone number. Marked `spark`: skipped without pyspark or a Java runtime.

The files, in this order: the receipts corpus (tests/corpus/receipts/README.md: rejects,
warnings, records over two lines, an exact duplicate and a superseded state in one file,
later files that supersede and duplicate earlier ones, a gzip file, a Telkomsel export,
an SMPP JSON Lines log, wave SMS99 missing from the catalogue), the tie of
tests/corpus/receipts/ties (the stored record stays), a handwritten file that replaces a
stored receipt, the real-world SMPP receipts of tests/corpus/smpp_receipts.py as a log, the
Telkomsel export again under another name (already loaded) and a file that is no receipts
file (failed). Two files are read from a copy by both engines (ingest.planned): a UTF-16 file
with CR-only line ends, and a file whose lines end in CR only past the 64 KB the head shows
(Excel for Mac; seen while its records are counted)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import config
from dashboard.ingest import ingest_file
from dashboard.store import db
from dashboard.store.lake import lake_connection, write_lake
from tests.conftest import HEADER, write
from tests.corpus.smpp_receipts import RECEIPTS
from tests.test_cluster_splits import late_cr_lines
from tests.test_smpp_corpus import campaign_years, json_line, moved

CORPUS = Path(__file__).parent / "corpus" / "receipts"
COUNTS = ("rows_read", "loaded", "duplicate", "superseded", "rejected", "replaced",
          "unknown_province", "operator_mismatch", "warnings")
# a file after the ties (whose T-0001 is stored: DELIVRD, done 09:00:12): what each line comes to
LATE = [
    # the same state done later: loaded, replacing the stored one
    "telkomsel,T-0001,SMS05,081234567801,32,2024-01-08 09:00:00,2024-01-08 09:00:20,DELIVRD,000",
    # the same line again in this file: a duplicate
    "telkomsel,T-0001,SMS05,081234567801,32,2024-01-08 09:00:00,2024-01-08 09:00:20,DELIVRD,000",
    # an intermediate state after the final one: superseded
    "telkomsel,T-0001,SMS05,081234567801,32,2024-01-08 09:00:00,,ENROUTE,",
    # a new record in a wave in no catalogue, with a Telkomsel number at Indosat: loaded, two
    # warnings
    "indosat,L-0001,SMS77,081234567899,35,2024-01-09 09:00:00,2024-01-09 09:00:02,DELIVRD,000",
    # rejected: no such status
    "indosat,L-0002,SMS01,085712340002,35,2024-01-09 09:00:00,,TERBANG,",
]


MAC = [
    "xl,M-0001,SMS05,081734567801,Jawa Barat,2024-01-08 09:00:00,2024-01-08 09:00:20,DELIVRD,000",
    "xl,M-0002,SMS05,12,32,2024-01-08 09:00:00,,ENROUTE,",  # rejected: no number
    "telkomsel,T-0001,SMS05,081234567801,32,2024-01-08 09:00:00,2024-01-08 09:10:20,UNDELIV,001",
]


# Windows-1252 (Excel on Windows): a no-break space (0xA0) after a province is read, the
# record read from the copy of the readable records by both engines and warned; 0x81 is in no
# Windows-1252 table: that record is rejected; a broken record after them
WINDOWS_1252 = [
    "xl,W-0001,SMS05,081734567811,Jawa Barat\xa0,2024-01-08 09:00:00,2024-01-08 09:00:20,"
    "DELIVRD,000",
    "xl,W-0002,SMS05,081734567812,J\x81,2024-01-08 09:00:00,2024-01-08 09:00:20,DELIVRD,000",
    "xl,W-0003,SMS05",
    "xl,W-0004,SMS05,081734567814,32,2024-01-08 09:00:00,2024-01-08 09:00:20,DELIVRD,000",
]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("files")
    late = write(folder, "e_late.csv", [HEADER, *LATE])
    again = folder / "c_again.csv"
    shutil.copyfile(CORPUS / "c_telkomsel_export.csv", again)
    unknown = write(folder, "z_unknown.csv", ["nomor,pesan", "081234567802,halo"])
    # the real-world SMPP receipts of tests/corpus/smpp_receipts.py, their dates moved into
    # the campaign's years as tests/test_smpp_corpus.py moves them: some ids repeat
    real = write(folder, "f_smpp_real.jsonl", [json_line(moved(case.text, campaign_years(case)))
                                               for case in RECEIPTS])
    # read from a copy by both engines (ingest.planned): UTF-16 with CR-only line ends, as
    # Excel for Mac's 'UTF-16 Unicode Text' saves it
    mac = write(folder, "g_mac_utf16.csv", b"\xff\xfe" + "\r".join([HEADER, *MAC]).encode(
        "utf-16-le"))
    legacy = write(folder, "h_windows_1252.csv", "\n".join([HEADER, *WINDOWS_1252]).encode(
        "latin-1") + b"\n")
    # LF line ends for 801 lines (past the head), CR only for the last 200 (Excel for Mac)
    late_cr = write(folder, "i_mac_late_cr.csv", late_cr_lines(1000, 801, b"\r"))
    return [CORPUS / "a_canonical_bom_crlf.csv", CORPUS / "b_canonical_late.csv.gz",
            CORPUS / "c_telkomsel_export.csv", CORPUS / "d_smpp_xl.jsonl",
            CORPUS / "ties" / "first.csv", CORPUS / "ties" / "second.csv", late, real,
            mac, legacy, late_cr, again, unknown]


def _catalogue_db(path: Path) -> Path:
    with db.connect(path) as conn:
        assert ingest_file(conn, config.SAMPLE_DIR / "waves.csv").ok  # SMS77, SMS99: not in it
    return path


@pytest.fixture(scope="module")
def native(tmp_path_factory, files) -> Path:
    """The native database: the catalogue, then the files in the same order."""
    path = _catalogue_db(tmp_path_factory.mktemp("native") / "native.duckdb")
    with db.connect(path) as conn:
        results = [ingest_file(conn, file) for file in files]
    assert [r.outcome for r in results] == ["loaded"] * 11 + ["already_loaded", "failed"]
    return path


@pytest.fixture(scope="module")
def cluster(spark, tmp_path_factory, files) -> tuple[Path, list[dict]]:
    """What Spark wrote from the same files for a database holding the same catalogue."""
    from dashboard.cluster.spark_ingest import compute_ingest

    folder = tmp_path_factory.mktemp("cluster")
    database = _catalogue_db(folder / "catalogue.duckdb")
    out = folder / "out"
    return out, compute_ingest(spark, files, out, database)


@pytest.fixture(scope="module")
def cluster_in_pieces(spark, tmp_path_factory, files) -> tuple[Path, list[dict]]:
    """The same, with every plain file whose records are one line each cut at every line
    (cluster/splits.py): one task a line, a file's duplicates and superseded states in other
    tasks than the records they lose to."""
    from dashboard.cluster.spark_ingest import compute_ingest

    folder = tmp_path_factory.mktemp("cluster_in_pieces")
    database = _catalogue_db(folder / "catalogue.duckdb")
    out = folder / "out"
    return out, compute_ingest(spark, files, out, database, piece_bytes=1)


def _native_accounting(path: Path) -> dict[str, dict]:
    """file name -> ingest_log's counts, the counts by reject reason and warning kind, and the
    first rejects and warnings (line, reason or kind, masked text)."""
    found = {}
    with db.connect(path, read_only=True) as conn:
        logged = conn.execute(f"SELECT ingest_id, file_name, sha256, format, {', '.join(COUNTS)} "  # noqa: S608
                              "FROM ingest_log WHERE kind = 'receipts' ORDER BY ingest_id"
                              ).fetchall()
        for ingest_id, name, sha256, fmt, *counts in logged:
            tally = {table: dict(conn.execute(
                f"SELECT {column}, rows FROM {table} WHERE ingest_id = $id",  # noqa: S608
                {"id": ingest_id}).fetchall())
                for table, column in (("reject_tally", "reason"), ("warning_tally", "kind"))}
            rejects = conn.execute("SELECT line, reason, raw_line FROM rejects "
                                   "WHERE ingest_id = $id ORDER BY line, reason",
                                   {"id": ingest_id}).fetchall()
            warnings = conn.execute("SELECT line, kind, field, value FROM load_warnings "
                                    "WHERE ingest_id = $id ORDER BY line, kind",
                                    {"id": ingest_id}).fetchall()
            found[name] = {"sha256": sha256, "format": fmt,
                           **dict(zip(COUNTS, counts, strict=True)),
                           "reject_reasons": tally["reject_tally"],
                           "warning_kinds": tally["warning_tally"],
                           "rejects": rejects, "load_warnings": warnings}
    return found


def _spark_accounting(accounting: list[dict]) -> dict[str, dict]:
    found = {}
    for a in accounting:
        if a["outcome"] != "loaded":
            continue
        found[a["file_name"]] = {
            "sha256": a["sha256"], "format": a["format"], **{c: a[c] for c in COUNTS},
            "reject_reasons": a["reject_reasons"], "warning_kinds": a["warning_kinds"],
            "rejects": sorted((r["line"], r["reason"], r["raw_line"]) for r in a["rejects"]),
            "load_warnings": sorted((w["line"], w["kind"], w["field"], w["value"])
                                    for w in a["load_warnings"])}
    return found


@pytest.mark.spark
def test_the_accounting_per_file_equals_the_native_ingest(native, cluster):
    out, accounting = cluster
    expected = _native_accounting(native)
    found = _spark_accounting(accounting)
    assert list(found) == list(expected)  # the same files loaded, in the same order
    for name in expected:
        assert found[name] == expected[name], name
    # the file given twice is already loaded, as `ingest` skips it; the last one fails with
    # the native reason
    assert [(a["file_name"], a["outcome"]) for a in accounting][-2:] == [
        ("c_again.csv", "already_loaded"), ("z_unknown.csv", "failed")]
    with db.connect(native, read_only=True) as conn:
        reason = conn.execute("SELECT message, kind FROM ingest_log WHERE outcome = 'failed'"
                              ).fetchall()
    # the native reason, and the native kind (unknown: its header tells none)
    assert reason == [(accounting[-1]["message"], accounting[-1]["kind"])]
    assert reason[0][1] == "unknown" and {a["kind"] for a in accounting[:-1]} == {"receipts"}
    assert "081234567802" not in reason[0][0]
    # what Parquet holds is what the JSON says
    with duckdb.connect() as reader:
        rows = reader.execute(f"SELECT file_name, {', '.join(COUNTS)} FROM "  # noqa: S608
                              "read_parquet($path) WHERE outcome = 'loaded' ORDER BY file_order",
                              {"path": str(out / "accounting.parquet")}).fetchall()
    assert rows == [(n, *(c[k] for k in COUNTS)) for n, c in found.items()]


# worked out by hand from the files (tests/corpus/receipts/README.md gives the rejects; the
# ties' second record, another final state done at the same second, is superseded: the
# stored record stays; LATE's lines as commented)
@pytest.mark.spark
@pytest.mark.parametrize(("name", "rows_read", "rejected", "duplicate", "superseded"), [
    ("a_canonical_bom_crlf.csv", None, 10, None, None),
    ("c_telkomsel_export.csv", None, 2, None, None),
    ("d_smpp_xl.jsonl", None, 3, None, None),
    ("first.csv", 1, 0, 0, 0),
    ("second.csv", 1, 0, 0, 1),
    ("e_late.csv", 5, 1, 1, 1),
    ("f_smpp_real.jsonl", len(RECEIPTS), sum(r.state is None for r in RECEIPTS), None, None),
    ("g_mac_utf16.csv", 3, 1, None, None),
    ("h_windows_1252.csv", 4, 2, 0, 0),
    ("i_mac_late_cr.csv", 1000, 0, 0, 0),  # its CR-ended records each one, from an LF copy
])
def test_counts_worked_out_by_hand(cluster, name, rows_read, rejected, duplicate, superseded):
    found = {a["file_name"]: a for a in cluster[1]}[name]
    for key, value in (("rows_read", rows_read), ("rejected", rejected),
                       ("duplicate", duplicate), ("superseded", superseded)):
        if value is not None:
            assert found[key] == value, key


@pytest.mark.spark
def test_the_late_file_replaces_and_warns(cluster):
    found = {a["file_name"]: a for a in cluster[1]}["e_late.csv"]
    assert (found["loaded"], found["replaced"], found["operator_mismatch"]) == (2, 1, 1)
    assert found["warning_kinds"] == {"unknown_wave": 1, "operator_mismatch": 1}
    assert found["reject_reasons"] == {"unknown_status": 1}


def _lake_rows(folder: Path, ingest_names: dict[int, str]) -> tuple[list[str], list[tuple]]:
    """The lake's column types and rows, each with its file's name for its ingest_id (the
    engines number loads differently), sorted."""
    with lake_connection(folder) as conn:
        described = conn.execute("DESCRIBE SELECT * EXCLUDE (ingest_id) FROM lake_receipts "
                                 "ORDER BY ALL").fetchall()
        columns = [f"{name} {kind}" for name, kind, *_ in described]
        rows = conn.execute("SELECT * EXCLUDE (ingest_id), ingest_id FROM lake_receipts"
                            ).fetchall()
    return sorted(columns), sorted((*row[:-1], ingest_names[row[-1]]) for row in rows)


@pytest.mark.spark
def test_files_read_in_pieces_equal_the_native_ingest(native, cluster_in_pieces, tmp_path):
    """Pieces change nothing: the accounting per file (the lines of its rejects and warnings
    too) and the lake equal the native ingest's, to the row."""
    out, accounting = cluster_in_pieces
    expected = _native_accounting(native)
    found = _spark_accounting(accounting)
    assert list(found) == list(expected)
    for name in expected:
        assert found[name] == expected[name], name
    pieces = {a["file_name"]: a["pieces"] for a in accounting}
    # cut: the plain files of one-line records; whole: records over two lines (a_, c_), gzip
    # (b_), the files of a header and one record (the ties), and the files read from a copy
    # (g_, i_: a piece would read the CR line ends as they are)
    assert {name for name, count in pieces.items() if count > 1} == {
        "d_smpp_xl.jsonl", "e_late.csv", "f_smpp_real.jsonl", "h_windows_1252.csv"}
    assert pieces["e_late.csv"] == len(LATE)  # the header with the first line
    # the late file's duplicate and superseded lines were each in a piece of their own
    assert (found["e_late.csv"]["duplicate"], found["e_late.csv"]["superseded"]) == (1, 1)
    native_lake = tmp_path / "native_lake"
    with db.connect(native, read_only=True) as conn:
        write_lake(conn, native_lake)
        names = dict(conn.execute("SELECT ingest_id, file_name FROM ingest_log").fetchall())
    spark_names = {a["ingest_id"]: a["file_name"] for a in accounting if a["ingest_id"]}
    assert _lake_rows(out / "lake", spark_names) == _lake_rows(native_lake, names)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [f["pieces"] for f in manifest["files"]] == [a["pieces"] for a in accounting]


@pytest.mark.spark
def test_the_lake_equals_the_one_written_from_the_native_database(native, cluster, tmp_path):
    out, accounting = cluster
    native_lake = tmp_path / "native_lake"
    with db.connect(native, read_only=True) as conn:
        stored = write_lake(conn, native_lake)
        names = dict(conn.execute("SELECT ingest_id, file_name FROM ingest_log").fetchall())
    spark_names = {a["ingest_id"]: a["file_name"] for a in accounting if a["ingest_id"]}
    expected = _lake_rows(native_lake, names)
    found = _lake_rows(out / "lake", spark_names)
    assert stored > 40  # the corpus is not trivially small (46 receipts)
    assert found[0] == expected[0]  # the same columns, the same types
    assert found[1] == expected[1]
    # the same folders (wave_id=/operator=), and nothing but lake files and the marker
    layout = {p.parent.relative_to(out / "lake") for p in (out / "lake").rglob("*.parquet")}
    assert layout == {p.parent.relative_to(native_lake) for p in native_lake.rglob("*.parquet")}
    assert {p.name for p in (out / "lake").iterdir() if p.is_file()} == {".pemilu-lake"}
    assert not [p for p in (out / "lake").rglob("*") if p.is_file()
                and p.suffix != ".parquet" and p.name != ".pemilu-lake"]
    with duckdb.connect() as reader:  # compressed alike
        codecs = [reader.execute("SELECT DISTINCT compression FROM parquet_metadata($p)",
                                 {"p": str(lake / "**" / "*.parquet")}).fetchall()
                  for lake in (out / "lake", native_lake)]
    assert codecs[0] == codecs[1] == [("ZSTD",)]
    marker = json.loads((out / "lake" / ".pemilu-lake").read_text(encoding="utf-8"))
    assert (marker["receipts"], marker["sample"]) == (stored, False)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "spark" and manifest["sample"] is False
    assert [f["sha256"] for f in manifest["files"]] == [a["sha256"] for a in accounting]


@pytest.mark.spark
def test_the_rollups_job_reads_the_lake_spark_wrote(spark, native, cluster, tmp_path):
    """`cluster rollups` over the lake written by `cluster ingest` gives the native database's
    count rollups, to the row."""
    from dashboard.cluster.spark_rollups import compute_rollups
    from dashboard.store.rollups import ROLLUPS

    out, _ = cluster
    rollups = tmp_path / "rollups"
    compute_rollups(spark, out / "lake", rollups)
    with duckdb.connect() as reader, db.connect(native, read_only=True) as conn:
        for table in ROLLUPS:
            columns = [c for (c,) in conn.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = $t "
                "ORDER BY column_index", {"t": table}).fetchall()]
            order = ", ".join(f"{c} NULLS FIRST" for c in columns)
            native_rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} "  # noqa: S608
                                       f"ORDER BY {order}").fetchall()
            found = reader.execute(f"SELECT {', '.join(columns)} FROM read_parquet($p) "  # noqa: S608
                                   f"ORDER BY {order}",
                                   {"p": str(rollups / table / "*.parquet")}).fetchall()
            assert len(native_rows) > 10, table
            assert found == native_rows, table


@pytest.fixture(scope="module")
def sample_cluster(spark, tmp_path_factory) -> tuple[Path, list[dict]]:
    """The sample's receipts files read by Spark, in the order `init --sample` loads them,
    for a database holding the sample's wave catalogue."""
    from dashboard.cli import sample_files
    from dashboard.cluster.spark_ingest import compute_ingest

    folder = tmp_path_factory.mktemp("sample_cluster")
    database = _catalogue_db(folder / "catalogue.duckdb")
    files = [f for f in sample_files() if f.name.startswith("receipts_")]
    out = folder / "out"
    # the plain files (1.3 MB and 0.4 MB) in pieces of 256 KB: six and two tasks
    return out, compute_ingest(spark, files, out, database, piece_bytes=2**18)


@pytest.mark.spark
def test_the_sample_campaign_read_by_spark_equals_the_native_load(sample_db, sample_cluster,
                                                                  tmp_path):
    """At the sample's size (about 200,000 receipts, every operator's format, later files
    that replace earlier receipts): the same accounting per file and the same lake."""
    out, accounting = sample_cluster
    expected = _native_accounting(sample_db)
    found = _spark_accounting(accounting)
    assert list(found) == list(expected) and len(found) >= 8
    for name in expected:
        assert found[name] == expected[name], name
    assert {a["file_name"]: a["pieces"] for a in accounting if a["pieces"] > 1} == {
        "receipts_smartfren_sms01-05.csv": 6, "receipts_z_late_canonical.csv": 2}
    assert sum(a["replaced"] for a in found.values()) > 0  # later files replace receipts
    native_lake = tmp_path / "native_lake"
    with db.connect(sample_db, read_only=True) as conn:
        stored = write_lake(conn, native_lake)
        names = conn.execute("SELECT ingest_id, file_name FROM ingest_log").fetchall()
    assert stored > 150_000
    spark_names = [(a["ingest_id"], a["file_name"]) for a in accounting if a["ingest_id"]]
    with duckdb.connect() as reader:
        reader.execute("SET TimeZone = 'UTC'")
        for view, lake, ids in (("native", native_lake, names), ("spark", out / "lake",
                                                                   spark_names)):
            reader.execute(f"CREATE TABLE {view}_names (ingest_id INTEGER, file_name VARCHAR)")  # noqa: S608
            reader.executemany(f"INSERT INTO {view}_names VALUES (?, ?)", ids)  # noqa: S608
            files = str(lake / "**" / "*.parquet")
            reader.execute(f"CREATE VIEW {view} AS SELECT r.* EXCLUDE (ingest_id), n.file_name "  # noqa: S608
                           f"FROM read_parquet('{files}', hive_partitioning = true) AS r "
                           f"JOIN {view}_names AS n USING (ingest_id)")
        counts = reader.execute("SELECT (SELECT count(*) FROM native), (SELECT count(*) FROM "
                                "spark), (SELECT count(*) FROM (FROM native EXCEPT ALL FROM "
                                "spark)), (SELECT count(*) FROM (FROM spark EXCEPT ALL FROM "
                                "native))").fetchall()[0]
    assert counts == (stored, stored, 0, 0)
    marker = json.loads((out / "lake" / ".pemilu-lake").read_text(encoding="utf-8"))
    assert (marker["receipts"], marker["sample"]) == (stored, True)


# a number as the files write it: 08.., 62.., +62.., with spaces or dashes between digits
_NUMBER = re.compile(r"(?:\+?62|0)[\s-]?8[\d\s-]{6,16}\d")


def _numbers(files: list[Path]) -> set[str]:
    """Every phone number in the input, as its digits from the 8 on (found by a reader of our
    own: a regular expression over the text)."""
    import gzip

    found = set()
    for path in files:
        data = path.read_bytes()
        data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        # a number is ASCII digits whatever else a line holds (h_windows_1252.csv)
        text = data.decode("utf-16" if data[:2] == b"\xff\xfe" else "utf-8", "replace")
        for match in _NUMBER.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            found.add(digits[digits.index("8"):])
    return found


@pytest.mark.spark
def test_no_phone_number_in_what_spark_wrote(cluster, files):
    out, _ = cluster
    numbers = _numbers(files)
    assert len(numbers) > 40 and "81234567801" in numbers
    texts = []
    with duckdb.connect() as reader:
        for path in out.rglob("*.parquet"):
            rows = reader.execute("SELECT * FROM read_parquet($p)", {"p": str(path)}).fetchall()
            texts.append(" ".join(str(value) for row in rows for value in row))
    for path in out.rglob("*"):
        if path.is_file() and path.suffix != ".parquet":
            texts.append(path.read_bytes().decode("utf-8"))
    written = re.sub(r"[\s-]", "", " ".join(texts))
    assert [n for n in sorted(numbers) if n in written] == []


def test_the_command_refuses_someone_elses_folder_before_spark_starts(tmp_path, capsys):
    from dashboard.cli import main

    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "notes.txt").write_text("mine")
    code = main(["cluster", "ingest", str(CORPUS / "a_canonical_bom_crlf.csv"),
                 "--out", str(tmp_path / "theirs")])
    assert code == 1
    assert "notes.txt" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "theirs").iterdir()) == ["notes.txt"]


def test_the_out_folder_must_be_new_empty_or_ours(tmp_path):
    from dashboard.cluster.spark_ingest import _check_out

    _check_out(tmp_path / "new")
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / "manifest.json").write_text("{}")
    _check_out(tmp_path / "ours")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="notes.txt"):
        _check_out(tmp_path / "theirs")


@pytest.mark.spark
def test_a_windows_1252_record_is_read_and_warned_by_both_engines(native, cluster):
    found = {a["file_name"]: a for a in cluster[1]}["h_windows_1252.csv"]
    assert (found["loaded"], found["warning_kinds"]) == (2, {"windows_1252": 1})
    assert found["reject_reasons"] == {"invalid_utf8": 1, "wrong_column_count": 1}
    assert [(w["line"], w["kind"]) for w in found["load_warnings"]] == [(2, "windows_1252")]
    with db.connect(native, read_only=True) as conn:
        assert conn.execute("SELECT province_code FROM receipts WHERE message_id = 'W-0001'"
                            ).fetchall() == [(32,)]


@pytest.mark.spark
@pytest.mark.parametrize("run", ["cluster", "cluster_in_pieces"])
def test_each_loaded_file_s_message_is_the_native_one(request, native, run):
    """The counts and what they do not say (ingest_file's notes: a file read from a copy), as
    the native load log words them, whole or in pieces."""
    from dashboard.ingest import CR_ONLY_NOTE, UTF16_NOTE

    _, accounting = request.getfixturevalue(run)
    with db.connect(native, read_only=True) as conn:
        expected = dict(conn.execute("SELECT file_name, message FROM ingest_log WHERE kind = "
                                     "'receipts' AND outcome = 'loaded'").fetchall())
    found = {a["file_name"]: a["message"] for a in accounting if a["outcome"] == "loaded"}
    assert found == expected
    assert found["i_mac_late_cr.csv"] == (
        f"1000 rows: 1000 loaded, 0 duplicate, 0 superseded, 0 rejected; {CR_ONLY_NOTE}")
    assert found["g_mac_utf16.csv"].endswith(f"; {UTF16_NOTE}; {CR_ONLY_NOTE}")


# --- sample data: known by the native rule (ingest_file: declared, or the stored bytes or the
# unpacked content listed in sample_data/MANIFEST.json) -----------------------------------------

def _gzipped(path: Path, folder: Path) -> Path:
    import gzip

    packed = folder / f"{path.name}.gz"
    packed.write_bytes(gzip.compress(path.read_bytes(), mtime=0))
    return packed


def _gunzipped(path: Path, folder: Path) -> Path:
    import gzip

    plain = folder / path.name.removesuffix(".gz")
    plain.write_bytes(gzip.decompress(path.read_bytes()))
    return plain


# the file (made from a shipped one in a test folder), declared --sample, sample data
SAMPLE_CASES = [
    ("the sample's plain file", lambda f: config.SAMPLE_DIR / "receipts_z_late_canonical.csv",
     False, True),
    ("the sample's plain file gzipped", lambda f: _gzipped(
        config.SAMPLE_DIR / "receipts_z_late_canonical.csv", f), False, True),
    ("the sample's gzip file unpacked", lambda f: _gunzipped(
        config.SAMPLE_DIR / "receipts_smpp_xl_sms08-10.jsonl.gz", f), False, True),
    ("a campaign's own file", lambda f: CORPUS / "c_telkomsel_export.csv", False, False),
    ("a campaign's own gzip file", lambda f: CORPUS / "b_canonical_late.csv.gz", False, False),
    ("a campaign's own file declared sample", lambda f: CORPUS / "c_telkomsel_export.csv",
     True, True),
]


@pytest.mark.parametrize(("name", "make", "declared", "expected"), SAMPLE_CASES,
                         ids=[c[0] for c in SAMPLE_CASES])
def test_a_file_is_sample_data_by_the_native_rule(tmp_path, name, make, declared, expected):
    """What a task writes of a file (its SHA-256 and its content's) marks it as sample data
    exactly when the native ingest marks the same file (ingest_log.sample)."""
    from dashboard.cluster.spark_ingest import _database_terms, _file_is_sample, _stage_file

    path = make(tmp_path)
    with db.memory_connection() as conn:
        assert ingest_file(conn, path, sample=declared).ok
        native = conn.execute("SELECT sample FROM ingest_log").fetchall()[0][0]
    _, found = _stage_file(path, path.name, *_database_terms(None), None)
    assert found["outcome"] == "staged"
    assert _file_is_sample(found | {"outcome": "loaded"}, declared) is native is expected
    assert _file_is_sample(found | {"outcome": "failed"}, declared) is False  # as _failed
