"""The rollups computed by Spark from the Parquet lake equal the native ingest's, to the row:
the one definition per rollup (queries/rollups/) run by both engines (the counts, the latency
histogram, the exact per-wave reach cells and the sketch's registers). Marked `spark`:
skipped without pyspark or a Java runtime (`pytest -m spark` runs only these)."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from dashboard.store import db
from dashboard.store.lake import write_lake
from tests.conftest import HEADER, receipt, write

KEYS = ("send_date", "wave_id", "operator", "province_code")
COLUMNS = {"receipt_counts": (*KEYS, "status", "error_code", "receipts"),
           "latency_histogram": (*KEYS, "bucket", "receipts"),
           "reach_cells": ("wave_id", "operator", "province_code", "recipients")}
# the sketch as portable rows (no table of that shape: attach builds reach_sketch from them)
REGISTERS = ("wave_id", "send_date", "operator", "province_code", "register", "rank")
# compliance's rollup: a table only in large-campaign mode (natively the macro unit_counts(waves))
UNIT_COUNTS = ("wave_id", "operator", "province_code", "regency_code", "delivered", "receipts")


def _rows(conn: duckdb.DuckDBPyConnection, relation: str, table: str) -> list[tuple]:
    """Every row of a rollup, every column, sorted (NULLs first in each column)."""
    names = {**COLUMNS, "unit_receipt_counts": UNIT_COUNTS}.get(table, REGISTERS)
    return conn.execute(f"SELECT {', '.join(names)} FROM {relation} "  # noqa: S608 (names above)
                        f"ORDER BY {', '.join(f'{c} NULLS FIRST' for c in names)}"
                        ).fetchall()


def _types(conn: duckdb.DuckDBPyConnection, relation: str, table: str) -> list[str]:
    described = conn.execute(f"DESCRIBE SELECT {', '.join(COLUMNS[table])} "  # noqa: S608
                             f"FROM {relation}").fetchall()
    return [row[1] for row in described]


def _spark_rollups(spark, database, tmp_path, sample: bool) -> dict[str, list[tuple]]:
    """Lake from the database, rollups by Spark; each rollup's rows, read back by DuckDB,
    after checking that its columns have the database table's types and that the manifest
    counts the rows and marks sample data."""
    from dashboard.cluster.spark_rollups import compute_rollups

    lake, out = tmp_path / "lake", tmp_path / "rollups"
    with db.connect(database, read_only=True) as conn:
        write_lake(conn, lake)
    written = compute_rollups(spark, lake, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["engine"], manifest["sample"]) == ("spark", sample)
    found = {}
    with duckdb.connect() as reader, db.connect(database, read_only=True) as conn:
        for table in COLUMNS:
            parquet = f"read_parquet('{out / table}/*.parquet')"
            assert _types(reader, parquet, table) == _types(conn, table, table), table
            found[table] = _rows(reader, parquet, table)
            assert written.rows[table] == manifest["rollups"][table]["rows"] == len(found[table])
        parquet = f"read_parquet('{out / 'reach_registers'}/*.parquet')"
        found["reach_registers"] = _rows(reader, parquet, "reach_registers")
        parquet = f"read_parquet('{out / 'unit_receipt_counts'}/*.parquet')"
        assert ([row[:2] for row in reader.execute(f"DESCRIBE SELECT * FROM {parquet}")  # noqa: S608
                 .fetchall()] == [row[:2] for row in conn.execute(
                     "DESCRIBE SELECT * FROM unit_receipt_counts").fetchall()])  # names, types
        found["unit_receipt_counts"] = _rows(reader, parquet, "unit_receipt_counts")
        assert manifest["rollups"]["reach_registers"]["rows"] == len(found["reach_registers"])
    return found


@pytest.mark.spark
def test_spark_rollups_of_the_sample_equal_the_native_rollups(spark, sample_db, tmp_path):
    from dashboard.store.rollups import rollup_sql

    found = _spark_rollups(spark, sample_db, tmp_path, sample=True)
    with db.connect(sample_db, read_only=True) as conn:
        for table in COLUMNS:
            native = _rows(conn, table, table)
            assert len(native) > 1000, table  # the sample's rollups are not trivially small
            assert found[table] == native, table
        shared = "(" + rollup_sql("reach_registers", "SELECT * FROM receipts") + ")"  # noqa: S608
        native = _rows(conn, shared, "reach_registers")
    assert len(native) > 10000  # many registers, so a wrong bit would show
    assert found["reach_registers"] == native
    with db.connect(sample_db, read_only=True) as conn:  # compliance's rollup, regencies too
        shared = "(" + rollup_sql("unit_receipt_counts", "SELECT * FROM receipts") + ")"  # noqa: S608
        native = _rows(conn, shared, "unit_receipt_counts")
    assert sum(1 for row in native if row[3] is not None) > 1000
    assert found["unit_receipt_counts"] == native


# An odd but valid campaign, worked by hand. Latency buckets: floor(4 * log2(seconds)), under
# 1 s as 1 s. T2's 1.9 s gives 3 (whole seconds, 2 s, would give 4); T7's 8 s is a power of
# two, 12 exactly; T7 was sent on 31 Jan in UTC, 1 Feb in WIB. SMS99 is in no catalogue; T2
# has no province; T5 was delivered without a done time (counted, not in the histogram); T9
# is pending; T4, pending in the first file, is delivered in the second (the ingest recounts).
FIRST = [
    "telkomsel,T1,SMS01,081211110001,32,2024-02-01T10:00:00,2024-02-01T10:00:05,DELIVRD,000",
    "telkomsel,T2,SMS01,081211110002,,2024-02-01T10:00:00.500,2024-02-01T10:00:02.400,"
    "DELIVRD,000",
    "telkomsel,T3,SMS99,081211110003,31,2024-02-01T23:30:00,2024-02-02T00:10:00,DELIVRD,000",
    "telkomsel,T4,SMS01,081211110004,32,2024-02-01T10:00:00,,ENROUTE,",
    "telkomsel,T5,SMS01,081211110005,32,2024-02-01T10:00:00,,DELIVRD,000",
    "telkomsel,T6,SMS01,081211110006,32,2024-02-01T10:00:00,2024-02-01T10:01:00,UNDELIV,001",
    "telkomsel,T7,SMS01,081211110007,32,2024-01-31T17:30:00Z,2024-01-31T17:30:08Z,DELIVRD,000",
    "telkomsel,T8,SMS01,081211110008,32,2024-02-01T10:00:00,2024-02-01T10:00:00,DELIVRD,000",
    "telkomsel,T9,SMS01,081211110009,32,2024-02-01T10:00:00,,ENROUTE,",
    "telkomsel,T10,SMS01,081211110010,32,2024-02-02T08:00:00+07:00,2024-02-02T08:00:01+07:00,"
    "DELIVRD,000",
    # T1's recipient again, the next day: one recipient of wave SMS01 all the same
    "telkomsel,T11,SMS01,081211110001,32,2024-02-02T09:00:00+07:00,2024-02-02T09:00:01+07:00,"
    "DELIVRD,000",
    "indosat,I1,SMS01,085712340001,32,2024-02-01T10:00:00,2024-02-01T10:01:00,DELIVRD,000",
]
SECOND = [
    "telkomsel,T4,SMS01,081211110004,32,2024-02-01T10:00:00,2024-02-01T10:00:30,DELIVRD,000",
]
FEB1, FEB2 = date(2024, 2, 1), date(2024, 2, 2)
EXPECTED = {
    "receipt_counts": [
        (FEB1, "SMS01", "indosat", 32, "DELIVRD", "000", 1),        # I1
        (FEB1, "SMS01", "telkomsel", None, "DELIVRD", "000", 1),    # T2
        (FEB1, "SMS01", "telkomsel", 32, "DELIVRD", "000", 5),      # T1 T4 T5 T7 T8
        (FEB1, "SMS01", "telkomsel", 32, "ENROUTE", None, 1),       # T9
        (FEB1, "SMS01", "telkomsel", 32, "UNDELIV", "001", 1),      # T6
        (FEB1, "SMS99", "telkomsel", 31, "DELIVRD", "000", 1),      # T3
        (FEB2, "SMS01", "telkomsel", 32, "DELIVRD", "000", 2),      # T10 T11
    ],
    "latency_histogram": [
        (FEB1, "SMS01", "indosat", 32, 23, 1),       # I1: 60 s, 4 * 5.907
        (FEB1, "SMS01", "telkomsel", None, 3, 1),    # T2: 1.9 s, 4 * 0.926
        (FEB1, "SMS01", "telkomsel", 32, 0, 1),      # T8: 0 s, as 1 s
        (FEB1, "SMS01", "telkomsel", 32, 9, 1),      # T1: 5 s, 4 * 2.322
        (FEB1, "SMS01", "telkomsel", 32, 12, 1),     # T7: 8 s, 4 * 3
        (FEB1, "SMS01", "telkomsel", 32, 19, 1),     # T4: 30 s, 4 * 4.907
        (FEB1, "SMS99", "telkomsel", 31, 44, 1),     # T3: 2400 s, 4 * 11.229
        (FEB2, "SMS01", "telkomsel", 32, 0, 2),      # T10, T11: 1 s
    ],
    # distinct recipients with a delivered message of the wave, on any day: T6 (undelivered)
    # and T9 (pending) are not reached; T1 and T11 are one recipient; T4 is, after the second
    # file; T5 is (delivered, whatever its done time)
    "reach_cells": [
        ("SMS01", "indosat", 32, 1),        # I1
        ("SMS01", "telkomsel", None, 1),    # T2
        ("SMS01", "telkomsel", 32, 6),      # T1/T11 T4 T5 T7 T8 T10
        ("SMS99", "telkomsel", 31, 1),      # T3
    ],
}


@pytest.fixture(scope="module")
def odd_db(tmp_path_factory):
    from dashboard.ingest import ingest_file

    folder = tmp_path_factory.mktemp("odd")
    path = folder / "odd.duckdb"
    with db.connect(path) as conn:
        first = ingest_file(conn, write(folder, "receipts_first.csv", [HEADER, *FIRST]))
        second = ingest_file(conn, write(folder, "receipts_second.csv", [HEADER, *SECOND]))
    assert (first.counts.loaded, second.counts.loaded, second.counts.replaced) == (12, 1, 1)
    return path


@pytest.mark.parametrize("table", list(COLUMNS))
def test_the_native_rollups_of_the_odd_campaign_are_the_hand_worked_ones(odd_db, table):
    with db.connect(odd_db, read_only=True) as conn:
        assert _rows(conn, table, table) == EXPECTED[table]


@pytest.mark.parametrize("database", ["sample_db", "odd_db"])
@pytest.mark.parametrize("table", list(COLUMNS))
def test_the_shared_file_over_all_receipts_gives_the_stored_rollup(request, database, table):
    """The native ingest adds an add-only file's counts through stg_file_cells.sql (one pass
    for both rollups), not the shared file: on the same receipts the two agree to the row."""
    from dashboard.store.rollups import rollup_sql

    path = request.getfixturevalue(database)
    with db.connect(path, read_only=True) as conn:
        shared = "(" + rollup_sql(table, "SELECT * FROM receipts") + ")"  # noqa: S608
        assert _rows(conn, shared, table) == _rows(conn, table, table)


def _reference_registers(database) -> list[tuple]:
    """The sketch's register rows worked out in Python from the stored keys, without our SQL:
    register = the key's low 12 bits, rank = 1 + the trailing zeros of the other 52 (53 when
    all are zero), the largest rank per (wave, day, operator, province, register) over the
    delivered receipts with a wave."""
    with db.connect(database, read_only=True) as conn:
        receipts = conn.execute("SELECT wave_id, send_date, operator, province_code, "
                                "recipient_key FROM receipts WHERE status = 'DELIVRD' "
                                "AND wave_id IS NOT NULL").fetchall()
    best: dict[tuple, int] = {}
    for wave, day, operator, province, key in receipts:
        rest = key >> 12
        rank = 53 if rest == 0 else (rest & -rest).bit_length()
        cell = (wave, day, operator, province, key & 4095)
        best[cell] = max(best.get(cell, 0), rank)
    return sorted(((*cell, rank) for cell, rank in best.items()),
                  key=lambda row: tuple((value is not None, value) for value in row))


@pytest.mark.spark
def test_spark_rollups_of_the_odd_campaign_are_the_hand_worked_ones(spark, odd_db, tmp_path):
    found = _spark_rollups(spark, odd_db, tmp_path, sample=False)
    for table in COLUMNS:
        assert found[table] == EXPECTED[table], table
    assert found["reach_registers"] == _reference_registers(odd_db)


@pytest.mark.parametrize("database", ["sample_db", "odd_db"])
def test_the_shared_register_rows_are_the_reference_ones(request, database):
    from dashboard.store.rollups import rollup_sql

    path = request.getfixturevalue(database)
    with db.connect(path, read_only=True) as conn:
        shared = "(" + rollup_sql("reach_registers", "SELECT * FROM receipts") + ")"  # noqa: S608
        assert _rows(conn, shared, "reach_registers") == _reference_registers(path)


# Keys whose bits a signed 64-bit engine could get wrong: the top bit set or not, the 52 rank
# bits all zero but the top one (rank 52 unsigned; 53 if the shift lost the top bit), all zero.
EDGE_KEYS = [(1 << 63) | 5, 1 << 63, 5, (1 << 12) | 7, (1 << 64) - 1, 0]


@pytest.mark.spark
def test_spark_registers_of_keys_at_the_edges_of_64_bits(spark):
    """The lake's signed key, turned back to the key's own bits in Spark, gives the register
    and rank worked out by hand (top bit: 2^63 + 5 has register 5 and rank 52)."""
    from dashboard.cluster.spark_rollups import receipts_view, spark_sql

    hand = {(1 << 63) | 5: (5, 52), 1 << 63: (0, 52), 5: (5, 53), (1 << 12) | 7: (7, 1),
            (1 << 64) - 1: (4095, 1), 0: (0, 53)}
    rows = [("W", date(2024, 2, 1), "telkomsel", i, key - (1 << 63), "DELIVRD")
            for i, key in enumerate(EDGE_KEYS)]
    frame = spark.createDataFrame(rows, "wave_id string, send_date date, operator string, "
                                  "province_code short, recipient_key_signed long, "
                                  "status string")
    receipts_view(frame)
    found = {row["province_code"]: (row["register"], row["rank"])
             for row in spark.sql(spark_sql("reach_registers")).collect()}
    assert found == {i: hand[key] for i, key in enumerate(EDGE_KEYS)}


# --- the translation to Spark SQL (sqlglot only: no Spark, no Java) ---------------------------

@pytest.mark.parametrize(("duckdb_sql", "spark_sql"), [
    # the macro's parameters become the call's arguments, whatever they are named
    ("SELECT latency_bucket(r.sent, r.done) FROM r",
     "SELECT (CAST(FLOOR(4 * LOG(2, GREATEST(DATEDIFF(MICROSECOND, r.sent, r.done) / 1e6, 1)))"
     " AS SMALLINT)) FROM r"),
    # a macro in a macro's argument is inlined too (a receipt's bucket middle, in seconds)
    ("SELECT bucket_seconds(latency_bucket(s, d)) FROM r",
     "SELECT (POWER(2, ((CAST(FLOOR(4 * LOG(2, GREATEST(DATEDIFF(MICROSECOND, s, d) / 1e6, 1)))"
     " AS SMALLINT)) + 0.5) / 4)) FROM r"),
    # three parameters, one argument NULL
    ("SELECT in_period(day, DATE '2024-02-01', NULL) FROM r",
     "SELECT (day BETWEEN COALESCE(CAST('2024-02-01' AS DATE), CAST('1900-01-01' AS DATE)) "
     "AND COALESCE(NULL, CAST('2999-12-31' AS DATE))) FROM r"),
    # a function that is no macro is left to sqlglot
    ("SELECT log2(x) FROM r", "SELECT LOG(2, x) FROM r"),
])
def test_duckdb_macros_are_inlined_before_translation(duckdb_sql, spark_sql):
    sqlglot = pytest.importorskip("sqlglot", reason="pip install -r requirements-dev.txt")
    from dashboard.cluster.spark_rollups import _inline_macros

    tree = _inline_macros(sqlglot.parse_one(duckdb_sql, read="duckdb"))
    assert tree.sql(dialect="spark") == spark_sql


def test_the_shared_histogram_reaches_spark_without_the_macro():
    pytest.importorskip("sqlglot", reason="pip install -r requirements-dev.txt")
    from dashboard.cluster.spark_rollups import spark_sql

    text = spark_sql("latency_histogram")
    assert "latency_bucket" not in text.lower()
    assert "DATEDIFF(MICROSECOND, submitted_at, done_at)" in text
    assert "FROM rollup_receipts" in text


def _other_files(out):
    out.mkdir()
    (out / "notes.txt").write_text("mine")


def _rollups_written_before(out):
    out.mkdir()
    (out / "manifest.json").write_text("{}")
    (out / "receipt_counts").mkdir()


def _rollups_and_a_file(out):
    _rollups_written_before(out)
    (out / "notes.txt").write_text("mine")


@pytest.mark.parametrize(("prepare", "refused"), [
    (lambda out: None, None),                       # new
    (lambda out: out.mkdir(), None),                # empty
    (_rollups_written_before, None),
    (_other_files, r"holds files that are no rollups written by this command \(notes.txt\)"),
    (_rollups_and_a_file, r"\(notes.txt\)"),
    (lambda out: out.write_text("a file"), "is a file, not a folder"),
])
def test_the_output_folder_is_new_empty_or_ours(tmp_path, prepare, refused):
    pytest.importorskip("sqlglot", reason="pip install -r requirements-dev.txt")
    from dashboard.cluster.spark_rollups import _check_out

    out = tmp_path / "rollups"
    prepare(out)
    if refused:
        with pytest.raises(ValueError, match=refused):
            _check_out(out)
    else:
        _check_out(out)


def test_the_cli_refuses_a_folder_without_a_lake_before_spark_starts(tmp_path, capsys):
    pytest.importorskip("sqlglot", reason="pip install -r requirements-dev.txt")
    from dashboard.cli import main

    (tmp_path / "not_a_lake").mkdir()
    code = main(["cluster", "rollups", "--lake", str(tmp_path / "not_a_lake"),
                 "--out", str(tmp_path / "rollups")])
    assert code == 1
    assert "holds no lake files" in capsys.readouterr().err
    assert not (tmp_path / "rollups").exists()


@pytest.mark.parametrize("dropped", [[], ["regency_code"], ["holdout_experiment",
                                                           "holdout_bucket", "holdout_arm"]])
def test_a_lake_written_before_a_column_is_refused_by_name(tmp_path, capsys, dropped):
    """A lake of an older version (no regency, no hold-out arm) gets our message before
    Spark starts, naming the columns, not Spark's own column-not-found error."""
    pytest.importorskip("sqlglot", reason="pip install -r requirements-dev.txt")
    import pyarrow.parquet as pq

    from dashboard.cli import main
    from dashboard.ingest import ingest_file
    from dashboard.store.lake import missing_lake_columns

    lake = tmp_path / "lake"
    with db.connect(tmp_path / "db.duckdb") as conn:
        ingest_file(conn, write(tmp_path, "r.csv", [HEADER, receipt("M-1")]))
        write_lake(conn, lake)
    assert missing_lake_columns(lake) == []
    for file in lake.rglob("*.parquet"):  # as an older version wrote it
        table = pq.ParquetFile(file).read()
        pq.write_table(table.drop_columns(dropped), file)
    assert missing_lake_columns(lake) == dropped
    if not dropped:
        return
    code = main(["cluster", "rollups", "--lake", str(lake), "--out", str(tmp_path / "out")])
    assert code == 1
    error = capsys.readouterr().err
    assert "was written before the lake had the columns " + ", ".join(dropped) in error
    assert not (tmp_path / "out").exists()
