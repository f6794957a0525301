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
# reach_registers (the sketch as portable rows), reach_pair_files (the files that delivered
# in each (wave, day) pair: the order slots are given in) and unit_receipt_counts (receipts per
# wave, operator, province, regency and delivered: a cluster experiment's compliance; never
# stored natively, the macro unit_counts(waves) runs it over the receipts), which the cluster
# computes (cluster/spark_rollups.py) and `cluster attach` loads (cluster/attach.py)
UNIT_COUNTS = "unit_receipt_counts"
SHARED = (*ROLLUPS, "reach_cells", "reach_registers", "reach_pair_files", UNIT_COUNTS)


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


def unit_counts_macro() -> str:
    """The macros the experiment marts read the rollup unit_receipt_counts through, one
    definition in both modes. unit_counts(waves): rollups/unit_receipt_counts.sql over the
    receipts of the waves (a list), as the database can give it. Native (not
    large_campaign(), ddl/macros.sql): the shared file over the stored receipts of those
    waves (filtered before the file groups them: a filter outside would come after it
    grouped every receipt). Large-campaign
    mode: the rows the cluster computed with the same file (table unit_receipt_counts, filled
    by `cluster attach`). Each branch reads only in its own mode, so the receipts of one can
    never be counted beside the other's rows. unit_counts_known(): whether unit_counts holds
    the receipts: false for a database attached before the rollup existed (its manifest does
    not name it; attach again), where the marts give no count rather than zeros.
    Created by every write-capable open with the other macros (db.init_schema); this text is
    in the definitions' digest (db.definitions_digest)."""
    native = rollup_sql(UNIT_COUNTS, "SELECT * FROM receipts WHERE list_contains(waves, "
                        "wave_id) AND NOT large_campaign()")
    attached = (f"SELECT * FROM {UNIT_COUNTS} WHERE list_contains(waves, wave_id) "  # noqa: S608
                "AND large_campaign()")
    named = f"json_extract(manifest, '$.rollups.{UNIT_COUNTS}') IS NOT NULL"
    return (f"CREATE OR REPLACE MACRO unit_counts(waves) AS TABLE\n"  # noqa: S608 - constants
            f"SELECT * FROM ({native})\nUNION ALL\n{attached};\n"
            "CREATE OR REPLACE MACRO unit_counts_known() AS\n"
            "NOT large_campaign()\n"
            f"OR EXISTS (SELECT 1 FROM cluster_rollups WHERE {named});")
