"""The receipts as a hive-partitioned Parquet lake (wave_id=/operator=/*.parquet), the path
beyond one machine: Spark SQL, Trino or MotherDuck can read the same files. docs/LAKE.md has
the layout, the dialect differences and the Spark demonstration."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from dashboard import db

PARTITIONS = ("wave_id", "operator")


def write_lake(conn: duckdb.DuckDBPyConnection, folder: Path) -> int:
    """Write every stored receipt under folder (replacing what was there); returns the rows."""
    rows = conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0]
    staging = folder.with_name(folder.name + ".writing")
    shutil.rmtree(staging, ignore_errors=True)
    # COPY takes no bound parameter for its target: the path is quoted as a SQL literal here,
    # from our own argument, never from a request
    target = str(staging).replace("'", "''")
    conn.execute(f"COPY ({db.sql_text('lake/lake_receipts')}) TO '{target}' "  # noqa: S608
                 f"(FORMAT parquet, PARTITION_BY ({', '.join(PARTITIONS)}), "
                 "COMPRESSION zstd, ROW_GROUP_SIZE 1000000)")
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)  # readers never see half a lake
    return rows


def lake_connection(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose view lake_receipts reads the lake's files."""
    conn = db.memory_connection()
    files = str(folder / "**" / "*.parquet").replace("'", "''")
    # a view cannot take a bound parameter: the folder is ours, quoted as a literal
    conn.execute(f"CREATE VIEW lake_receipts AS SELECT * FROM read_parquet('{files}', "  # noqa: S608
                 "hive_partitioning = true)")
    return conn
