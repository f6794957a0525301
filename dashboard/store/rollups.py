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
# and a frozen individual experiment's (number-level hold-out) compliance: number_arm_counts
# (per experiment, operator and arm, distinct numbers exact) and number_reached (the numbers
# delivered to, for the survey respondents' `reached`); never stored natively either, the
# macros number_counts(experiment) and number_reached(experiment) run them over the receipts
NUMBER_COUNTS, NUMBER_REACHED = "number_arm_counts", "number_reached"
SHARED = (*ROLLUPS, "reach_cells", "reach_registers", "reach_pair_files", UNIT_COUNTS,
          NUMBER_COUNTS, NUMBER_REACHED)
# the shared files that read the lake's columns (the number's hold-out arm, the signed key):
# over receipts-shaped rows they read lake/lake_receipts.sql over them, the rows the lake holds
LAKE_SHAPED = (NUMBER_COUNTS, NUMBER_REACHED)


def rollup_sql(table: str, source: str) -> str:
    """The rollup query of table over source (a SELECT giving receipts-shaped rows)."""
    if table not in SHARED:
        raise ValueError(f"no shared rollup named {table!r}")
    if table in LAKE_SHAPED:  # the lake's rows of the receipts source gives (a CTE named
        # receipts: inside it, `receipts` is still the table)
        source = f"WITH receipts AS (\n{source}\n)\n{db.sql_text('lake/lake_receipts')}"
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


def number_counts_macro() -> str:
    """The macros the individual experiment's marts read the number rollups through, one
    definition in both modes, as unit_counts_macro. number_counts(experiment):
    rollups/number_arm_counts.sql (operator x arm: receipts and distinct numbers) of the
    experiment; number_reached(experiment): rollups/number_reached.sql (the numbers delivered
    to, as recipient_key). Native (not large_campaign()): the shared files over the lake rows
    (lake/lake_receipts.sql: each receipt's arm) of the stored receipts of the experiment's
    waves. Large-campaign mode: the rows the cluster computed (tables number_arm_counts,
    number_reached, filled by `cluster attach`). number_counts_known(experiment): whether they
    hold the experiment's receipts: natively always; attached, when the manifest names both
    rollups and the cluster placed every receipt of the experiment's waves (its sent equals
    the receipts unit_counts gives for them: a lake written before the experiment was frozen,
    or before these columns, placed none). Unknown: the marts give no count, never zeros.
    Created by every write-capable open (db.init_schema); in the definitions' digest."""
    waves = "SELECT wave_id FROM experiment_waves WHERE experiment_id = experiment"
    given = f"SELECT * FROM receipts WHERE wave_id IN ({waves}) AND NOT large_campaign()"  # noqa: S608
    counts = rollup_sql(NUMBER_COUNTS, given)
    reached = rollup_sql(NUMBER_REACHED, given)
    named = " AND ".join(f"json_extract(manifest, '$.rollups.{table}') IS NOT NULL"
                         for table in (NUMBER_COUNTS, NUMBER_REACHED))
    return (  # constants and our own query files
        "CREATE OR REPLACE MACRO number_counts(experiment) AS TABLE\n"  # noqa: S608
        f"SELECT * FROM ({counts}) WHERE experiment_id = experiment\nUNION ALL\n"
        f"SELECT * FROM {NUMBER_COUNTS} WHERE experiment_id = experiment "
        "AND large_campaign();\n"
        "CREATE OR REPLACE MACRO number_reached(experiment) AS TABLE\n"
        "SELECT experiment_id, unsigned_key(recipient_key_signed) "
        f"AS recipient_key FROM ({reached}) WHERE experiment_id = experiment\nUNION ALL\n"
        f"SELECT experiment_id, recipient_key FROM {NUMBER_REACHED} "
        "WHERE experiment_id = experiment AND large_campaign();\n"
        "CREATE OR REPLACE MACRO number_counts_known(experiment) AS\n"
        "NOT large_campaign()\n"
        f"OR (EXISTS (SELECT 1 FROM cluster_rollups WHERE {named}) AND unit_counts_known()\n"
        f"    AND (SELECT coalesce(sum(sent), 0) FROM {NUMBER_COUNTS} "
        "WHERE experiment_id = experiment)\n"
        "      = (SELECT coalesce(sum(receipts), 0) "
        f"FROM unit_counts((SELECT list(wave_id) FROM ({waves})))));")
