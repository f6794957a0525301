"""Operators' receipts files read by Spark with the dashboard's own validation and per-file
accounting, written as the Parquet lake `python -m dashboard lake` writes, with the
accounting and a manifest beside it.

    python -m dashboard cluster ingest FILES... --out FOLDER [--db DB] [--master local[2]]

One definition of every rule: Spark only distributes the work. Each file is one Spark task
that runs the native ingest's own staging (ingest.receipts.stage_accounted: the
queries/staging/ files) in an in-memory DuckDB and hands the valid
records on as Arrow. The outcome between files (loaded, duplicate, superseded) is decided by
queries/staging/stg_receipts_outcome.sql itself: the records whose (operator, message_id)
occurs more than once in the run are shuffled by that key, and each partition replays the
native load, file by file in the order given, in DuckDB. The lake's rows are
queries/lake/lake_receipts.sql and lake_export.sql over the receipts stored at the end.
docs/LAKE.md, "Raw files read by Spark", says what this proves and what it does not.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from dashboard import config
from dashboard.cluster.splits import (
    PIECE_SHIFT,
    WHOLE,
    Piece,
    merged,
    pieces,
    receipts_plan,
    requested_kind,
)
from dashboard.ingest import failed_kind, load_message, planned_and_counted
from dashboard.ingest.files import FileProblem, safe_file_name
from dashboard.ingest.privacy import (
    MASK_SQL,
    PHONE_SHAPE_SQL,
    KeyMismatch,
    key_check,
    key_matches,
    mask_phone_numbers,
    stored_key_check,
)
from dashboard.ingest.receipts import OUTCOMES, ReceiptCounts, stage_accounted
from dashboard.ingest.records import fingerprint
from dashboard.sample.manifest import is_sample_file
from dashboard.store import db
from dashboard.store.lake import (
    LAKE_ROWS_SQL,
    PARTITIONS,
    individual_plans,
    write_marker,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

MANIFEST, ACCOUNTING_JSON, ACCOUNTING_PARQUET, LAKE = (
    "manifest.json", "accounting.json", "accounting.parquet", "lake")
OUTCOME_SQL = "staging/stg_receipts_outcome"
_TIMESTAMPS = "spark.sql.parquet.outputTimestampType"
# a piece of a large file per task: 256 MB is about 2.6 M canonical CSV receipts (101 bytes
# each), whose staged copy an in-memory DuckDB holds without spilling
PIECE_BYTES = 256 * 2**20
# the counts of ingest_log, in its order
COUNTS = ("rows_read", "loaded", "duplicate", "superseded", "rejected", "replaced",
          "unknown_province", "operator_mismatch", "warnings")
# A valid record of a file as a task hands it on (Spark has no unsigned 64-bit integer: the
# key travels shifted by 2^63, as the lake stores it). row_index: its place among the file's
# records, as the native rowid orders them ($piece: the piece's index in its high bits,
# splits.PIECE_SHIFT, so a file's pieces keep file order).
_VALID_ROWS = """
SELECT $piece + v.rowid - (SELECT min(rowid) FROM validated) AS row_index,
       v.operator::VARCHAR AS operator, v.message_id, v.wave_id,
       signed_key(v.recipient_key) AS recipient_key_signed,
       p.province_code,
       v.submitted_at, v.done_at,
       v.status::VARCHAR AS status, v.error_code::VARCHAR AS error_code,
       v.prefix_operator::VARCHAR AS prefix_operator, wib_date(v.submitted_at) AS send_date,
       v.province_raw IS NOT NULL AND p.province_code IS NULL AS unknown_province,
       v.prefix_operator IS DISTINCT FROM v.operator AS operator_mismatch,
       s.regency_code,
       -- the number's hold-out bucket under its wave's frozen individual experiment, computed
       -- by the validation from the raw number (NULL: no such experiment)
       v.holdout_bucket
FROM validated AS v
-- the province and regency of each spelling (temp tables province_spellings and
-- regency_spellings, made by stage_receipts), joined as staging/stg_file_loaded.sql and
-- insert_file_receipts.sql store them; the send day as stg_file_loaded.sql works it out
LEFT JOIN province_spellings AS p ON p.province_raw = v.province_raw
LEFT JOIN regency_spellings AS s ON s.regency_raw = v.regency_raw
WHERE v.reject_reason IS NULL ORDER BY v.rowid
"""
# the records of one file of a replayed partition as the native `validated` holds them (the
# columns stg_receipts_outcome.sql reads, in their stored types), in file order; the province
# travels as its code, so the code's text is the spelling (_REPLAY_SPELLINGS)
_REPLAY_VALIDATED = """
CREATE OR REPLACE TEMP TABLE validated AS
SELECT row_index, operator, message_id, wave_id,
       unsigned_key(recipient_key_signed) AS recipient_key,
       province_code::VARCHAR AS province_raw,
       submitted_at::TIMESTAMPTZ AS submitted_at, done_at::TIMESTAMPTZ AS done_at, status,
       error_code, prefix_operator, NULL::VARCHAR AS reject_reason,
       NULL::VARCHAR AS regency_raw
FROM part WHERE file_order = $file_order ORDER BY row_index
"""
# the province_spellings of stg_province_spellings.sql for the replayed records
_REPLAY_SPELLINGS = """
CREATE TEMP TABLE province_spellings AS
SELECT DISTINCT province_code::VARCHAR AS province_raw, province_code
FROM part WHERE province_code IS NOT NULL
"""


def ingest_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `python -m dashboard cluster ingest`."""
    parser.add_argument("files", nargs="+", type=Path,
                        help="receipts files, loaded in this order (as `ingest` loads them)")
    parser.add_argument("--out", type=Path, required=True,
                        help="new, empty, or written here before: lake/, accounting, manifest")
    parser.add_argument("--db", type=Path, default=None,
                        help="the database the lake will serve: its wave catalogue, its "
                        "frozen individual experiments (their numbers' hold-out buckets) and "
                        "its pseudonym key check (no receipts stored yet)")
    parser.add_argument("--profile", help="operator export profile name or .toml path")
    parser.add_argument("--sample", action="store_true", help="the files are sample data")
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    parser.add_argument("--piece-mb", type=_positive, default=PIECE_BYTES // 2**20,
                        help="a plain file larger than this is read by several tasks, a "
                        f"piece of about this size each (default {PIECE_BYTES // 2**20})")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _spark_types():
    from pyspark.sql import types as T

    valid = [("row_index", T.LongType()), ("operator", T.StringType()),
             ("message_id", T.StringType()), ("wave_id", T.StringType()),
             ("recipient_key_signed", T.LongType()), ("province_code", T.ShortType()),
             ("submitted_at", T.TimestampType()), ("done_at", T.TimestampType()),
             ("status", T.StringType()), ("error_code", T.StringType()),
             ("prefix_operator", T.StringType()), ("send_date", T.DateType()),
             ("unknown_province", T.BooleanType()), ("operator_mismatch", T.BooleanType()),
             ("regency_code", T.ShortType()), ("holdout_bucket", T.ShortType())]
    staged = T.StructType([T.StructField("file_order", T.IntegerType()),
                           *(T.StructField(n, t) for n, t in valid),
                           T.StructField("accounting", T.StringType())])
    decided = T.StructType([T.StructField("file_order", T.IntegerType()),
                            *(T.StructField(n, t) for n, t in valid),
                            T.StructField("outcome", T.StringType()),
                            T.StructField("has_stored", T.BooleanType()),
                            T.StructField("final", T.BooleanType())])
    lake = T.StructType([T.StructField("wave_id", T.StringType()),
                         T.StructField("operator", T.StringType()),
                         T.StructField("message_id", T.StringType()),
                         T.StructField("recipient_key_signed", T.LongType()),
                         T.StructField("province_code", T.ShortType()),
                         T.StructField("submitted_at", T.TimestampType()),
                         T.StructField("done_at", T.TimestampType()),
                         T.StructField("send_date", T.DateType()),
                         T.StructField("status", T.StringType()),
                         T.StructField("error_code", T.StringType()),
                         T.StructField("prefix_operator", T.StringType()),
                         T.StructField("ingest_id", T.IntegerType()),
                         T.StructField("regency_code", T.ShortType()),
                         T.StructField("holdout_experiment", T.StringType()),
                         T.StructField("holdout_bucket", T.ShortType()),
                         T.StructField("holdout_arm", T.StringType())])
    return staged, decided, lake


def _arrow_schema(spark_schema) -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(spark_schema)


def _batches(table: pa.Table, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """table's rows in schema's columns and types, as record batches."""
    table = table.select(schema.names).cast(schema)
    yield from table.to_batches(max_chunksize=65536)


# ---------------------------------------------------------------- on the executors: one file

def _stage_files(batches: Iterator[pa.RecordBatch], catalogue: list[dict], check: str,
                 profile: str | None, schema: pa.Schema, design: dict[str, list[dict]]
                 ) -> Iterator[pa.RecordBatch]:
    """mapInArrow over (file_order, path, name, piece): each piece's valid records, then one
    row with its accounting (JSON) and no record."""
    for batch in batches:
        for order, path, name, piece in zip(*(batch.column(c).to_pylist() for c in (
                "file_order", "path", "name", "piece")), strict=True):
            valid, accounting = _stage_file(Path(path), name, catalogue, check, profile,
                                            design, Piece.from_json(piece))
            if valid is not None:
                valid = valid.append_column("file_order", pa.array([order] * valid.num_rows,
                                                                    pa.int32()))
                valid = valid.append_column("accounting", pa.nulls(valid.num_rows, pa.string()))
                yield from _batches(valid, schema)
            row = {name: [None] for name in schema.names}
            row |= {"file_order": [order], "accounting": [json.dumps(accounting)]}
            yield from _batches(pa.table(row), schema)


def _stage_file(path: Path, name: str, catalogue: list[dict], check: str,
                profile: str | None, design: dict[str, list[dict]] | None = None,
                piece: Piece = WHOLE) -> tuple[pa.Table | None, dict]:
    """One file, or one piece of it (splits.py), through the native staging in an in-memory
    DuckDB: its valid records (each with its number's hold-out bucket when its wave is one of
    the frozen individual experiments of design, as the native validation computes it; a
    piece's row_index carries the piece) and its accounting (records read, rejects and
    warnings by code, the first of each with its line, phone numbers masked; a piece's lines
    are its own until splits.merged moves them), or a failed file's reason."""
    name = safe_file_name(name)
    # kind: as the load log gives it, receipts once the file is planned as receipts
    accounting: dict = {"file_name": name, "kind": failed_kind(requested_kind(profile)),
                        "sha256": None, "format": None, "piece": piece.index, "notes": []}
    if not key_matches(check, config.pseudonym_secret()):
        # an executor without the driver's key would make other pseudonyms
        raise KeyMismatch(f"this executor's {config.SECRET_ENV} is not the key of the "
                          "database the lake serves (spark.executorEnv)")
    conn = db.memory_connection()
    folder = tempfile.TemporaryDirectory(dir=config.temp_dir())
    copies = ExitStack()  # a file the native ingest reads from a copy is read so here too
    try:
        if catalogue:
            conn.register("catalogue", pa.Table.from_pylist(catalogue))
            conn.execute("INSERT INTO waves BY NAME SELECT * FROM catalogue")
        _insert_design(conn, design or {})
        if piece.end is None:  # whole: read from the copy the native ingest reads (UTF-16,
            # CR line ends in the head or seen only by the count), hashed and counted there
            plan, notes, fingerprinted = copies.enter_context(planned_and_counted(
                path, requested_kind(profile), profile, name))
            accounting["notes"] = notes  # the native log's message says them too
        else:  # a piece of a plain file splits.pieces planned (never one read from a copy)
            plan, fingerprinted = receipts_plan(path, name, profile), None
        if plan.kind != "receipts":
            raise FileProblem(f"{name}: not a receipts file (a {plan.kind} file)",
                              "not_receipts", kind=plan.kind)
        accounting["kind"], accounting["format"] = plan.kind, plan.fmt
        source = plan.info.path
        if piece.end is not None:  # its bytes as a file of its own, the header in front
            source = Path(folder.name) / path.name
            accounting["line_breaks"] = piece.copy(path, source)
            accounting["header_lines"] = plan.layout.header_lines if piece.index else 0
            accounting["file_records"] = piece.records
            fingerprinted = fingerprint(source, plan.info.compression, plan.layout)
        sha256, counted = fingerprinted
        accounting["sha256"] = piece.sha256 or sha256  # a piece's is the whole file's
        # what the sample's manifest may list besides the stored bytes (is_sample_file): the
        # content unpacked; a piece's file is plain, its content its stored bytes
        accounting["content_sha256"] = piece.sha256 or counted.content_sha256
        info = replace(plan.info, path=source, size=source.stat().st_size,
                       sha256=accounting["sha256"])
        _, rejects, warnings = stage_accounted(conn, info, plan.profile, counted)
        valid = conn.sql(_VALID_ROWS, params={"piece": piece.index << PIECE_SHIFT}
                         ).to_arrow_table()
    except (duckdb.Error, ValueError) as exc:  # as ingest_file: the reason, masked
        reason = str(exc).strip().splitlines()[0][:300]
        message = reason if reason.startswith(f"{name}:") else (
            f"{name}: could not be loaded: {reason}")
        return None, accounting | {"outcome": "failed", "message": mask_phone_numbers(message)}
    finally:
        conn.close()
        folder.cleanup()
        copies.close()
    return valid, accounting | {
        "outcome": "staged", "rows_read": counted.records, "rejected": rejects.total,
        "warnings": warnings.total, "reject_reasons": rejects.counts,
        "warning_kinds": warnings.counts,
        "rejects": _records(rejects.samples), "load_warnings": _records(warnings.samples)}


def _records(frame) -> list[dict]:
    return [{k: (int(v) if k == "line" else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


# -------------------------------------------- on the executors: outcomes between the files

def _replay(batches: Iterator[pa.RecordBatch], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """mapInArrow over the contested records of one shuffle partition (all records of each of
    its keys): the native load replayed file by file with stg_receipts_outcome.sql; each
    record with its outcome, whether it replaced a stored one, and whether it is stored at
    the end."""
    received = list(batches)
    if not received or not sum(batch.num_rows for batch in received):
        return
    table = pa.Table.from_batches(received)
    conn = db.memory_connection()
    try:
        conn.register("part", table)
        conn.execute("CREATE TEMP TABLE decided (file_order INTEGER, row_index BIGINT, "
                     "outcome VARCHAR, has_stored BOOLEAN)")
        conn.execute("CREATE TEMP TABLE regency_spellings (regency_raw VARCHAR, "
                     "regency_code SMALLINT)")
        conn.execute(_REPLAY_SPELLINGS)
        orders = sorted(set(table.column("file_order").to_pylist()))
        for order in orders:
            conn.execute(_REPLAY_VALIDATED, {"file_order": order})
            # as load_receipts: only the stored receipts of the file's operators can match
            operators = conn.execute("SELECT list(DISTINCT operator) FROM validated"
                                     ).fetchall()[0][0] or []
            conn.execute("CREATE OR REPLACE TEMP TABLE outcomes AS " + db.sql_text(OUTCOME_SQL),
                         {"file_operators": operators})
            conn.execute("INSERT INTO decided SELECT $file_order, v.row_index, o.outcome, "
                         "o.has_stored FROM outcomes AS o JOIN validated AS v "
                         "ON v.rowid = o.row_id", {"file_order": order})
            # as load_receipts, with its own statements: a loaded record replaces the stored
            # one of its key, and the file's records that are neither duplicate nor
            # superseded are stored (the regency travels in part's regency_code, which the
            # lake's rows take: regency_spellings is empty here)
            conn.execute(db.sql_text("staging/delete_replaced_receipts"))
            conn.execute(db.sql_text("staging/stg_file_loaded"))
            conn.execute(db.sql_text("staging/insert_file_receipts"), {"ingest_id": order})
        result = conn.sql(
            """
            SELECT p.*, coalesce(d.outcome, 'loaded') AS outcome,
                   coalesce(d.has_stored, false) AS has_stored,
                   r.operator IS NOT NULL AS final
            FROM part AS p
            LEFT JOIN decided AS d USING (file_order, row_index)
            LEFT JOIN receipts AS r ON r.operator = p.operator
                AND r.message_id = p.message_id AND r.ingest_id = p.file_order
                -- one record of a key per file can be stored: the file's first-ranked
                AND coalesce(d.outcome, 'loaded') = 'loaded'
            """).to_arrow_table()
    finally:
        conn.close()
    yield from _batches(result, schema)


def _lake_rows(batches: Iterator[pa.RecordBatch], schema: pa.Schema,
               design: dict[str, list[dict]] | None = None) -> Iterator[pa.RecordBatch]:
    """mapInArrow over the records stored at the end: the lake's rows, by lake_receipts.sql
    and lake_export.sql (the file's place in the run is its ingest_id), in an in-memory
    database holding the frozen individual experiments of design and, as holdout_buckets,
    the buckets the records carry (each computed from its own raw number: one per number and
    experiment, as the native _store_buckets keeps the first)."""
    conn = db.memory_connection()
    try:
        _insert_design(conn, design or {})
        for batch in batches:
            conn.register("batch", pa.Table.from_batches([batch]))
            conn.execute("DELETE FROM receipts")
            conn.execute("DELETE FROM holdout_buckets")
            conn.execute("""
                INSERT INTO receipts BY NAME
                SELECT wave_id, operator, message_id,
                       unsigned_key(recipient_key_signed) AS recipient_key,
                       province_code, submitted_at, done_at, send_date, status, error_code,
                       prefix_operator, file_order AS ingest_id, regency_code
                FROM batch""")
            conn.execute("CREATE OR REPLACE TEMP VIEW bucketed AS SELECT wave_id, "
                         "unsigned_key(recipient_key_signed) AS recipient_key, holdout_bucket "
                         "FROM batch")
            conn.execute(db.sql_text("staging/store_holdout_buckets"))
            rows = conn.sql(LAKE_ROWS_SQL, params={"phone_shape": PHONE_SHAPE_SQL, "mask": MASK_SQL}
                            ).to_arrow_table()
            conn.unregister("batch")
            yield from _batches(rows, schema)
    finally:
        conn.close()


# the frozen individual experiments a lake's rows are placed in (lake_receipts.sql's holdout
# columns): their rows of these tables, in this order (experiment_waves and experiment_strata
# refer to experiments)
DESIGN_TABLES = ("experiments", "experiment_waves", "experiment_strata")


def _insert_design(conn: duckdb.DuckDBPyConnection, design: dict[str, list[dict]]) -> None:
    """The frozen individual experiments' rows (_database_terms) into conn's tables: the
    validation computes their numbers' buckets (ingest.receipts.holdout_pads) and the lake's
    rows are placed in their arms."""
    for table in DESIGN_TABLES:  # names from the tuple above
        if design.get(table):
            conn.register("design_rows", pa.Table.from_pylist(design[table]))
            conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM design_rows")  # noqa: S608
            conn.unregister("design_rows")


# --------------------------------------------------------------------------- on the driver

# the frozen individual experiments of a database (design 'individual'): their rows of
# DESIGN_TABLES, by the experiment's id
_DESIGN_SQL = {
    "experiments": "SELECT * FROM experiments WHERE design = 'individual'",
    "experiment_waves": "SELECT w.* FROM experiment_waves AS w JOIN experiments AS e "
                        "USING (experiment_id) WHERE e.design = 'individual'",
    "experiment_strata": "SELECT s.* FROM experiment_strata AS s JOIN experiments AS e "
                         "USING (experiment_id) WHERE e.design = 'individual'",
}


def database_design(database: Path | None) -> dict[str, list[dict]]:
    """The frozen individual experiments of the database the lake will serve, as rows of
    DESIGN_TABLES (none without a database): each task computes their numbers' buckets from
    the raw numbers, and the lake's rows carry them and their arm."""
    if database is None:
        return {}
    with db.connect(database, read_only=True) as conn:
        return {table: conn.sql(_DESIGN_SQL[table]).to_arrow_table().to_pylist()
                for table in DESIGN_TABLES}


def _database_terms(database: Path | None) -> tuple[list[dict], str]:
    """The wave catalogue and the key check value the executors must match: the database's
    (refused when it holds receipts or another key made its pseudonyms), else none and the
    current key's."""
    secret = config.pseudonym_secret()
    if database is None:
        return [], key_check(secret)
    with db.connect(database, read_only=True) as conn:
        if conn.execute("SELECT EXISTS (SELECT 1 FROM receipts)").fetchall()[0][0]:
            raise ValueError(f"{database} holds receipts already: the Spark ingest starts from "
                             "a database without receipts (its wave catalogue only)")
        stored = stored_key_check(conn)
        catalogue = conn.sql("SELECT * FROM waves ORDER BY wave_id").to_arrow_table()
    if stored is not None and not key_matches(stored, secret):
        raise KeyMismatch(f"{database}'s pseudonyms were made with another "
                          f"{config.SECRET_ENV}; run with that key")
    return catalogue.to_pylist(), stored or key_check(secret)


def _check_out(out: Path) -> None:
    """ValueError unless out is new, empty, or holds only what this command writes."""
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} is a file, not a folder")
    ours = {MANIFEST, ACCOUNTING_JSON, ACCOUNTING_PARQUET, LAKE}
    others = sorted(p.name for p in out.iterdir() if p.name not in ours) if out.is_dir() else []
    if others:
        raise ValueError(f"{out} holds files this command did not write "
                         f"({', '.join(others[:3])}); choose a new or empty folder")


def compute_ingest(spark: SparkSession, files: list[Path], out: Path,
                   database: Path | None = None, profile: str | None = None,
                   sample: bool = False, piece_bytes: int = PIECE_BYTES) -> list[dict]:
    """Read the files on Spark as `python -m dashboard ingest` would load them, in this
    order, into a database without receipts; write out/lake (the lake), out/accounting.json
    and .parquet (one row per file) and out/manifest.json. Returns the accounting.
    piece_bytes: a plain file larger than this is read by several tasks (splits.pieces)."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    out = Path(os.path.abspath(out))
    _check_out(out)
    catalogue, check = _database_terms(database)
    design = database_design(database)
    staged_type, decided_type, lake_type = _spark_types()
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).unlink(missing_ok=True)  # no manifest: the folder is not complete

    listed = [(order, str(Path(path).resolve()), Path(path).name, piece.to_json())
              for order, path in enumerate(files, start=1)
              for piece in pieces(Path(path), safe_file_name(Path(path).name), profile,
                                  piece_bytes)]
    # one partition per piece of a file (most files are one piece): each is one task. Its
    # records are then one block, kept on disk only: held in memory a block must fit the
    # executor's heap, and a 10 M-row file's did not in local mode's 1 GB (OutOfMemoryError
    # in MemoryStore.putBytes, 6 Dec 2026)
    paths = spark.createDataFrame(
        spark.sparkContext.parallelize(listed, max(len(listed), 1)),
        "file_order INT, path STRING, name STRING, piece STRING")
    staged = paths.mapInArrow(
        partial(_stage_files, catalogue=catalogue, check=check, profile=profile,
                schema=_arrow_schema(staged_type), design=design), staged_type
    ).persist(StorageLevel.DISK_ONLY)
    try:
        accounting = _file_accounting(staged)
        kept = [a["file_order"] for a in accounting if a["outcome"] == "staged"]
        valid = staged.where(F.col("accounting").isNull() & F.col("file_order").isin(kept)
                             ).drop("accounting")
        key = Window.partitionBy("operator", "message_id")
        counted = valid.withColumn("records_of_key", F.count(F.lit(1)).over(key))
        plain = (counted.where("records_of_key = 1").drop("records_of_key")
                 .withColumn("outcome", F.lit("loaded"))
                 .withColumn("has_stored", F.lit(False)).withColumn("final", F.lit(True)))
        contested = (counted.where("records_of_key > 1").drop("records_of_key")
                     .repartition("operator", "message_id")
                     .mapInArrow(partial(_replay, schema=_arrow_schema(decided_type)),
                                 decided_type))
        decided = plain.unionByName(contested).persist(StorageLevel.DISK_ONLY)
        try:
            _add_outcomes(accounting, decided)
            for found in accounting:  # each file's row of the load log says it (attach.py)
                found["sample"] = _file_is_sample(found, sample)
            lake_rows = (decided.where("final").drop("outcome", "has_stored", "final")
                         .mapInArrow(partial(_lake_rows, schema=_arrow_schema(lake_type),
                                             design=design), lake_type))
            receipts = _write_lake(spark, lake_rows, out / LAKE, accounting, design)
        finally:
            decided.unpersist()
    finally:
        staged.unpersist()
    _write_accounting(out, accounting)
    manifest = {
        "engine": "spark",
        "versions": {"spark": spark.version, "duckdb": duckdb.__version__,
                     "java": spark.sparkContext._jvm.java.lang.System.getProperty(  # noqa: SLF001
                         "java.version"),
                     "python": sys.version.split()[0]},
        "master": spark.sparkContext.master,
        "database": str(database) if database else None,
        # the frozen individual experiments whose numbers' buckets and arms the lake carries
        "experiments": sorted(e["experiment_id"] for e in design.get("experiments", [])),
        # pieces: the tasks that read the file (splits.pieces)
        "files": [{k: a[k] for k in ("file_order", "file_name", "kind", "sha256", "format",
                                      "outcome", "ingest_id", "pieces")} for a in accounting],
        "lake": LAKE, "receipts": receipts,
        "accounting": [ACCOUNTING_JSON, ACCOUNTING_PARQUET],
        "definitions": ["queries/staging/ (ingest.receipts.stage_receipts, "
                        "account_for_records)", f"queries/{OUTCOME_SQL}.sql",
                        "queries/lake/lake_receipts.sql", "queries/lake/lake_export.sql"],
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sample": _is_sample(accounting),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return accounting


def _file_accounting(staged: DataFrame) -> list[dict]:
    """Each file's accounting from its tasks (splits.merged: its pieces' as one), in the
    order given; a file whose content an earlier file of the run holds is already loaded (as
    `ingest` skips it)."""
    rows = staged.where("accounting IS NOT NULL").select("file_order", "accounting").collect()
    per_file: dict[int, list[dict]] = {}
    for order, text in rows:
        per_file.setdefault(order, []).append(json.loads(text))
    accounting, seen = [], {}
    for order in sorted(per_file):
        found = {"file_order": order, "ingest_id": None, **merged(per_file[order])}
        if found["outcome"] == "staged" and found["sha256"] in seen:
            found = {k: found[k] for k in ("file_order", "ingest_id", "file_name", "kind",
                                           "sha256", "format", "pieces")}
            found |= {"outcome": "already_loaded",
                      "message": f"{found['file_name']}: already loaded (file "
                                 f"{seen[found['sha256']]} of this run); nothing changed"}
        elif found["outcome"] == "staged":
            seen[found["sha256"]] = order
            found["ingest_id"] = order
        accounting.append(found)
    return accounting


def _add_outcomes(accounting: list[dict], decided: DataFrame) -> None:
    """Each staged file's outcomes counted, as ingest_log counts them; ValueError when a
    file's records do not add up (as the native RowsUnaccounted)."""
    from pyspark.sql import functions as F

    def count(condition: str):
        return F.sum(F.expr(f"CASE WHEN {condition} THEN 1 ELSE 0 END"))

    per_file = {row["file_order"]: row.asDict() for row in decided.groupBy("file_order").agg(
        count("outcome = 'loaded'").alias("loaded"),
        count("outcome = 'duplicate'").alias("duplicate"),
        count("outcome = 'superseded'").alias("superseded"),
        count("outcome = 'loaded' AND has_stored").alias("replaced"),
        count("outcome = 'loaded' AND unknown_province").alias("unknown_province"),
        count("outcome = 'loaded' AND operator_mismatch").alias("operator_mismatch"),
    ).collect()}
    for found in accounting:
        if found["outcome"] != "staged":
            continue
        counts = per_file.get(found["file_order"], {})
        for name in ("loaded", "duplicate", "superseded", "replaced", "unknown_province",
                     "operator_mismatch"):
            found[name] = int(counts.get(name) or 0)
        outcomes = sum(found[k] for k in OUTCOMES)
        if outcomes != found["rows_read"]:
            raise ValueError(f"{found['file_name']} has {found['rows_read']:,} records but "
                             f"{outcomes:,} outcomes; nothing was written")
        found["outcome"] = "loaded"
        found["message"] = _loaded_message(found)


def _loaded_message(found: dict) -> str:
    """A loaded file's log message, in ingest_file's words (load_message: one definition):
    the counts, then the notes."""
    counts = ReceiptCounts(**{k: found[k] for k in ("rows_read", *OUTCOMES)})
    return "; ".join([load_message(found["file_name"], counts), *found.get("notes", [])])


def _file_is_sample(found: dict, sample: bool) -> bool:
    """Whether a file of the run is logged as sample data, by the rule of ingest_file: a
    loaded file declared so (--sample), or whose stored bytes or unpacked content the
    sample's manifest lists (is_sample_file: re-packed with gzip or unpacked, the sample is
    still told); a file not loaded is not (as ingest_file's _failed logs it)."""
    return found["outcome"] == "loaded" and (
        sample or is_sample_file(found["sha256"], found.get("content_sha256")))


def _is_sample(accounting: list[dict]) -> bool:
    """Whether the lake holds sample data: any file of the run is (_file_is_sample)."""
    return any(a["sample"] for a in accounting)


def _write_lake(spark: SparkSession, rows: DataFrame, folder: Path, accounting: list[dict],
                design: dict[str, list[dict]]) -> int:
    """The lake's rows written hive-partitioned under folder as `python -m dashboard lake`
    lays them out (and marks them), through a fresh folder renamed when complete; the rows."""
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.writing-"))
    # instants as DuckDB writes TIMESTAMPTZ (Spark's default, INT96, reads back as a naive
    # TIMESTAMP); set for this write only, the session may be shared
    previous = spark.conf.get(_TIMESTAMPS)
    spark.conf.set(_TIMESTAMPS, "TIMESTAMP_MICROS")
    try:
        try:
            (rows.write.mode("overwrite").option("compression", "zstd")
             .partitionBy(*PARTITIONS).parquet(str(staging)))
        finally:
            spark.conf.set(_TIMESTAMPS, previous)
        # Hadoop's bookkeeping files are no lake files (store/lake.py's rule for the folder)
        for extra in [*staging.rglob("*.crc"), *staging.rglob("_SUCCESS")]:
            extra.unlink()
        written = duckdb.sql(
            "SELECT count(*) FROM read_parquet($files)",
            params={"files": str(staging / "**" / "*.parquet")}).fetchall()[0][0] if any(
                staging.rglob("*.parquet")) else 0
        with db.memory_connection() as conn:  # the plans of the design the tasks were given
            _insert_design(conn, design)
            plans = individual_plans(conn)
        write_marker(staging, "python -m dashboard cluster ingest", written,
                     _is_sample(accounting), plans)
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _write_accounting(out: Path, accounting: list[dict]) -> None:
    """accounting.json (everything, with the first rejects and warnings) and
    accounting.parquet (one row per file: the counts, the counts by code as maps, and
    whether the file is sample data)."""
    (out / ACCOUNTING_JSON).write_text(json.dumps(accounting, indent=2) + "\n",
                                       encoding="utf-8")
    table = pa.table({
        "file_order": pa.array([a["file_order"] for a in accounting], pa.int32()),
        "ingest_id": pa.array([a["ingest_id"] for a in accounting], pa.int32()),
        "file_name": [a["file_name"] for a in accounting],
        "kind": [a["kind"] for a in accounting],
        "sha256": [a["sha256"] for a in accounting],
        "format": [a["format"] for a in accounting],
        "outcome": [a["outcome"] for a in accounting],
        **{name: pa.array([a.get(name) for a in accounting], pa.int64()) for name in COUNTS},
        **{name: pa.array([list((a.get(name) or {}).items()) for a in accounting],
                          pa.map_(pa.string(), pa.int64()))
           for name in ("reject_reasons", "warning_kinds")},
        "message": [a.get("message") for a in accounting],
        "sample": pa.array([a["sample"] for a in accounting], pa.bool_()),
    })
    import pyarrow.parquet as pq

    pq.write_table(table, out / ACCOUNTING_PARQUET, compression="zstd")


def run_ingest(args: argparse.Namespace) -> int:
    """`python -m dashboard cluster ingest`: read, write, say what was done; the exit code."""
    try:  # pyspark and sqlglot are not the app's requirements
        import pyspark  # noqa: F401
        import sqlglot  # noqa: F401
    except ModuleNotFoundError as exc:
        from dashboard.cluster import needs_spark

        print(f"error: {needs_spark(exc.name, args.lang)}", file=sys.stderr)
        return 2
    try:  # said before Spark starts
        _check_out(Path(os.path.abspath(args.out)))
        _database_terms(args.db)
    except (ValueError, config.ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    from dashboard.cluster.spark_rollups import session  # one session for both jobs

    spark = session(args.master)
    try:
        accounting = compute_ingest(spark, args.files, args.out, args.db, args.profile,
                                    args.sample, args.piece_mb * 2**20)
    except ValueError as exc:
        print(f"error: {mask_phone_numbers(str(exc))}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    for found in accounting:
        print(found["message"] if found["outcome"] != "loaded"
              else f"{found['file_name']}: {found['message']}")
    failed = sum(a["outcome"] == "failed" for a in accounting)
    if failed:
        print(f"error: {failed} of {len(accounting)} file(s) failed to load", file=sys.stderr)
    return 1 if failed else 0
