"""The rollups the dashboard reads (receipt_counts, latency_histogram, reach_cells, the
unique-reach sketch as reach_registers, unit_receipt_counts for cluster experiments' compliance
and number_arm_counts, number_reached for individual ones, over the lake's hold-out columns)
computed by Spark from the Parquet lake (`python -m
dashboard lake`), written as Parquet with a manifest; `python -m dashboard cluster attach`
serves them (cluster/attach.py).

    python -m dashboard cluster rollups --lake LAKE --out FOLDER [--master local[2]]
    python -m dashboard.cluster.spark_rollups ...   (the same)

One definition per rollup: queries/rollups/<table>.sql, which the native ingest runs in
DuckDB (store/rollups.py). Here its DuckDB scalar macros (ddl/macros.sql, ddl/sketch.sql) are
inlined and sqlglot translates the text to Spark SQL; nothing is written twice by hand. Needs
pyspark 3.5 and a Java runtime (Java 17). docs/LAKE.md says what this proves and what it does
not yet.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlglot
from sqlglot import exp

from dashboard.cluster import rollup_arguments
from dashboard.store import db
from dashboard.store.lake import lake_plans, lake_sample, missing_lake_columns
from dashboard.store.rollups import SHARED
from dashboard.store.sketch import PRECISION

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

MANIFEST = "manifest.json"
SIGN_BIT = -(1 << 63)  # as a signed 64-bit integer: XOR with it flips the top bit
# a scalar macro of ddl/macros.sql: name, parameters, body up to the ';' ending its line
_MACRO = re.compile(r"^CREATE OR REPLACE MACRO (\w+)\(([^)]*)\)\s+AS\s+(?!TABLE\b)(.*?);\s*$",
                    re.MULTILINE | re.DOTALL)


# arguments that need no brackets when put in place of a macro's parameter
_ATOMS = (exp.Column, exp.Literal, exp.Paren, exp.Null, exp.Boolean, exp.Func)


@cache
def _macros() -> dict[str, tuple[list[str], str]]:
    """The scalar macros of ddl/macros.sql and ddl/sketch.sql: name -> (parameters, body
    text)."""
    text = db.sql_text("ddl/macros") + "\n" + db.sql_text("ddl/sketch")
    return {name.lower(): ([p.strip().lower() for p in params.split(",") if p.strip()], body)
            for name, params, body in _MACRO.findall(text)}


def _inline_macros(tree: exp.Expression) -> exp.Expression:
    """tree with every call of a DuckDB scalar macro replaced by the macro's body, its
    parameters replaced by the call's arguments (Spark has no macros)."""
    macros = _macros()
    while calls := [node for node in tree.find_all(exp.Anonymous)
                    if str(node.name).lower() in macros]:
        for call in calls:
            params, body = macros[str(call.name).lower()]
            if len(params) != len(call.expressions):
                raise ValueError(f"{call.name} takes {len(params)} arguments: {call.sql()}")
            # an argument that is an operation is bracketed: sqlglot writes the tree as text
            # without minding precedence (a | b inside a ^ ... would lose its grouping)
            arguments = {param: argument if isinstance(argument, _ATOMS)
                         else exp.Paren(this=argument)
                         for param, argument in zip(params, call.expressions, strict=True)}
            expanded = sqlglot.parse_one(body, read="duckdb").transform(
                lambda node, arguments=arguments: arguments[node.name.lower()].copy()
                if isinstance(node, exp.Column) and not node.table
                and node.name.lower() in arguments else node)
            call.replace(exp.Paren(this=expanded))
    return tree


def _signed(tree: exp.Expression) -> exp.Expression:
    """tree with every UBIGINT cast made BIGINT: Spark has no unsigned types. The sketch's
    macros only mask, shift and count the bits of a key whose top bit they never test after
    the shift, and rollup_receipts gives the key's 64 bits unchanged as a signed number (see
    compute_rollups), so the bits they see are the same."""
    for node in tree.find_all(exp.DataType):
        if node.this == exp.DataType.Type.UBIGINT:
            node.replace(exp.DataType.build("BIGINT"))
    return tree


def spark_sql(table: str) -> str:
    """The shared rollup query of table (queries/rollups/), in Spark SQL."""
    if table not in SHARED:
        raise ValueError(f"no shared rollup named {table!r}")
    tree = sqlglot.parse_one(db.sql_text(f"rollups/{table}"), read="duckdb")
    return _signed(_inline_macros(tree)).sql(dialect="spark", comments=False)


def session(master: str = "local[2]") -> SparkSession:
    """The Spark session of the cluster jobs (local mode unless master says otherwise), its
    Python workers running this interpreter: the ingest's workers import the dashboard and
    DuckDB (on a cluster: the same environment on every executor, e.g. spark.pyspark.python
    and --py-files). Whichever job starts Spark first, the workers can run both."""
    import os

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master(master).appName("pemilu-rollups")
             # instants are compared as instants; the WIB send day is a column of the lake
             .config("spark.sql.session.timeZone", "UTC")
             # partition folder values stay text: a wave named 2024 is not a number
             .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
             # small shuffles: Spark's default of 200 partitions is slow on a small lake
             .config("spark.sql.shuffle.partitions", "8")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def receipts_view(lake_rows: DataFrame) -> None:
    """Register lake_rows (the lake's columns) as the view rollup_receipts the shared files
    read. The lake stores recipient_key - 2^63 (no unsigned types); XOR with the sign bit gives
    the key's own 64 bits back, as a signed BIGINT, for the sketch (the same map in 64-bit
    two's complement: subtracting 2^63 only flips the top bit)."""
    from pyspark.sql import functions

    lake_rows.withColumn("recipient_key", functions.col("recipient_key_signed").bitwiseXOR(
        functions.lit(SIGN_BIT))).createOrReplaceTempView("rollup_receipts")


@dataclass(frozen=True)
class Written:
    """What compute_rollups wrote: the folder and each rollup's rows."""

    folder: Path
    rows: dict[str, int]


def compute_rollups(spark: SparkSession, lake: Path, out: Path) -> Written:
    """Run every shared rollup over the lake and write each as Parquet under out/<table>,
    with out/manifest.json. out must be new, empty, or a folder this function wrote before."""
    lake, out = Path(lake).resolve(), Path(out).resolve()
    _check_folders(lake, out)
    # no manifest while the rollups are rewritten: a folder without one is not complete
    (out / MANIFEST).unlink(missing_ok=True)
    # hive folders wave_id=/operator= become columns, as in DuckDB; hidden files (the lake's
    # marker) are skipped
    receipts_view(spark.read.parquet(str(lake)))
    rows = {}
    for table in SHARED:
        target = out / table
        spark.sql(spark_sql(table)).write.mode("overwrite").parquet(str(target))
        rows[table] = spark.read.parquet(str(target)).count()
    manifest = {
        "engine": "spark",
        "versions": {"spark": spark.version, "sqlglot": sqlglot.__version__,
                     "java": spark.sparkContext._jvm.java.lang.System.getProperty(  # noqa: SLF001
                         "java.version")},
        "master": spark.sparkContext.master,
        "lake": str(lake),
        "rollups": {table: {"path": table, "rows": count} for table, count in rows.items()},
        "definitions": {table: f"queries/rollups/{table}.sql" for table in SHARED},
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        # sample (synthetic) data, as the lake's marker says; None: the lake does not say
        "sample": lake_sample(lake),
        # the frozen individual experiments (id -> plan SHA-256) whose arms number_arm_counts
        # and number_reached count, as the lake's marker says: attach refuses other plans
        "experiments": lake_plans(lake),
        # the sketch's precision p (ddl/sketch.sql hll_p): attach refuses another
        "sketch_precision": PRECISION,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return Written(out, rows)


def _check_folders(lake: Path, out: Path) -> None:
    """ValueError unless lake holds lake files with every column and out can take the
    rollups."""
    if not any(lake.glob("wave_id=*/operator=*/*.parquet")):
        # Spark cannot infer the columns of no files; an empty campaign has no rollup rows
        raise ValueError(f"{lake} holds no lake files (wave_id=*/operator=*/*.parquet); "
                         "write one with `python -m dashboard lake --out`")
    if missing := missing_lake_columns(lake):
        raise ValueError(f"{lake} was written before the lake had the columns "
                         f"{', '.join(missing)}; write it again (`python -m dashboard lake "
                         "--out`, or `cluster ingest`)")
    _check_out(out)


def _check_out(out: Path) -> None:
    """ValueError unless out is new, empty, or holds nothing but what this command writes
    (so --out pointing at someone's folder overwrites nothing)."""
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} is a file, not a folder")
    ours = {MANIFEST, *SHARED}
    others = sorted(p.name for p in out.iterdir() if p.name not in ours) if out.is_dir() else []
    if others:
        raise ValueError(f"{out} holds files that are no rollups written by this command "
                         f"({', '.join(others[:3])}); choose a new or empty folder")


def run_rollups(lake: Path, out: Path, master: str = "local[2]") -> int:
    """Compute the rollups and say what was written; the exit code."""
    try:  # the folders, said before Spark starts
        _check_folders(lake.resolve(), out.resolve())
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    spark = session(master)
    try:
        written = compute_rollups(spark, lake, out)
    finally:
        spark.stop()
    for table, count in written.rows.items():
        print(f"{table}: {count:,} rows -> {written.folder / table}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.cluster.spark_rollups",
                                     description=__doc__.splitlines()[0])
    rollup_arguments(parser)
    args = parser.parse_args(argv)
    return run_rollups(args.lake, args.out, args.master)


if __name__ == "__main__":
    sys.exit(main())
