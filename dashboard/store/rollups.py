"""The count rollups' one definition (queries/rollups/<table>.sql, over a relation
`rollup_receipts`), as the native ingest runs it: refresh_rollups recounts the partitions a
file touched. cluster/spark_rollups.py runs the same files in Spark over the Parquet lake."""

from __future__ import annotations

import duckdb

from dashboard.store import db

# the rollup tables with a shared definition; each file is named as its table (an allow-list:
# a table name is put into SQL text only from here)
ROLLUPS = ("receipt_counts", "latency_histogram")
# every shared file: also reach_cells (kept natively from reach_recipients, merge_reach_cells.sql),
# reach_registers (the sketch as portable rows) and reach_pair_files (the files that delivered
# in each (wave, day) pair: the order slots are given in), which the cluster computes
# (cluster/spark_rollups.py) and `cluster attach` loads (cluster/attach.py)
SHARED = (*ROLLUPS, "reach_cells", "reach_registers", "reach_pair_files")


def rollup_sql(table: str, source: str) -> str:
    """The rollup query of table over source (a SELECT giving receipts-shaped rows)."""
    if table not in SHARED:
        raise ValueError(f"no shared rollup named {table!r}")
    return f"WITH rollup_receipts AS (\n{source}\n)\n{db.sql_text(f'rollups/{table}')}"


# the stored receipts of the (wave, operator) partitions in temp table touched
_TOUCHED = ("SELECT * FROM receipts "
            "WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched)")


def refresh(conn: duckdb.DuckDBPyConnection) -> None:
    """Recount the rollup rows of the partitions in temp table touched from receipts (the
    ingest's path for a file that replaced stored receipts)."""
    conn.execute(db.sql_text("staging/refresh_rollups"))  # drops the touched partitions' rows
    for table in ROLLUPS:
        conn.execute(f"INSERT INTO {table} {rollup_sql(table, _TOUCHED)}")  # noqa: S608
