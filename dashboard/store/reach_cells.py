"""Exact unique reach per whole wave, operator and province: keeping the rollup reach_cells
(queries/ddl/schema.sql) current.

reach_recipients answers unique reach for any filter exactly, at a cost that grows with the
campaign; the HyperLogLog sketch (dashboard/store/sketch.py) answers any filter in flat time, as an
estimate. reach_cells holds the numbers that can be precomputed exactly: distinct recipients
per (wave, operator, province), a wave counted over all its send days. Pages show them where
the filter selects exactly one whole wave, and analysts download them at any size.

Ingest keeps the rollup inside each file's transaction (update: from the touched recipients'
rows before and after the file, queries/staging/merge_reach_cells.sql). reach_cells_state
records the last receipts file it includes, as the sketch does, so a rollup that missed a file
(a database from before it, or one loaded by a version that did not keep it) is rebuilt from
reach_recipients by ensure_cells, which db.init_schema runs on every writable connect, and is
never shown meanwhile.
"""

from __future__ import annotations

import logging

import duckdb

from dashboard.i18n import Translatable
from dashboard.store import db, large_campaign

log = logging.getLogger(__name__)


class NotCurrent(Translatable, RuntimeError):
    """reach_cells cannot be read: missing or stale on a connection that cannot rebuild it."""


def ensure_cells(conn: duckdb.DuckDBPyConnection) -> None:
    """Rebuild reach_cells from reach_recipients, in one transaction, when it does not include
    every loaded receipts file or is empty while reach_recipients is not (tables from
    queries/ddl/schema.sql, already created). Not in large-campaign mode (no reach_recipients:
    sketch.check_served refuses to read a stale rollup there; `cluster attach` replaces it)."""
    if is_current(conn) and not _empty_beside_recipients(conn):
        return
    if large_campaign.is_large(conn):  # no reach_recipients: a rebuild would empty the cells
        log.warning("the per-wave reach rollup (reach_cells) is not the attached one: run "
                    "`cluster rollups` and `cluster attach` again")
        return
    if _state(conn) is not None:
        log.warning("the per-wave reach rollup (reach_cells) missed a file: rebuilding it")
    with db.transaction(conn):
        _rebuild(conn, db.last_receipts_ingest(conn))


def update(conn: duckdb.DuckDBPyConnection, ingest_id: int) -> None:
    """Bring reach_cells up to date with the file being loaded, inside its transaction, after
    merge_reach.sql or refresh_reach.sql (their temp table merged_reach holds the touched
    recipients' rows before and after). A rollup that had missed an earlier file is rebuilt
    from reach_recipients instead (it already holds this file)."""
    if is_current(conn, ignoring=ingest_id):
        conn.execute(db.sql_text("staging/merge_reach_cells"))
    else:
        log.warning("the per-wave reach rollup (reach_cells) missed a file: rebuilding it")
        conn.execute(db.sql_text("staging/rebuild_reach_cells"))
    _set_state(conn, ingest_id)


def is_current(conn: duckdb.DuckDBPyConnection, ignoring: int | None = None) -> bool:
    """True when reach_cells includes every loaded receipts file (leaving out the file
    `ignoring`, the one being loaded); False also when the table does not exist (a read-only
    database from before it)."""
    state = _state(conn)
    return state is not None and state[0] == db.last_receipts_ingest(conn, ignoring)


def _empty_beside_recipients(conn: duckdb.DuckDBPyConnection) -> bool:
    return conn.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM reach_cells) "
        "AND EXISTS (SELECT 1 FROM reach_recipients)").fetchall()[0][0]


def _state(conn: duckdb.DuckDBPyConnection) -> tuple[int | None] | None:
    try:
        rows = conn.execute("SELECT ingest_id FROM reach_cells_state").fetchall()
    except duckdb.CatalogException:  # a read-only database from before the rollup
        return None
    return (rows[0][0],) if len(rows) == 1 else None


def _rebuild(conn: duckdb.DuckDBPyConnection, ingest_id: int | None) -> None:
    conn.execute(db.sql_text("staging/rebuild_reach_cells"))
    _set_state(conn, ingest_id)


def _set_state(conn: duckdb.DuckDBPyConnection, ingest_id: int | None) -> None:
    conn.execute("DELETE FROM reach_cells_state")
    conn.execute("INSERT INTO reach_cells_state VALUES ($ingest_id)", {"ingest_id": ingest_id})
