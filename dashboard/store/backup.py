"""Backup, restore and retention (issue 16, point 7).

- backup: a copy of the newest published snapshot, i.e. exactly what readers see, taken
  while the app serves and loads run (a snapshot is never written in place);
- restore: a backup checked (a DuckDB file with this dashboard's ingest log that opens as the
  database would: schema, migrations, the key), copied over the database under the write lock
  and published, so the app moves to it on its next page run; a refused one changes nothing;
- retention (UU PDP 27/2022: personal data kept no longer than needed): receipt-level rows
  (receipts, and the raw lines of rejected records) older than N days are deleted; the
  rollups the pages read (receipt_counts, latency_histogram, reach_recipients, reach_cells,
  the sketch) are kept, so their pages show the same numbers afterwards. Each run records
  the day before which it deleted (table retention_runs): rollup rows of earlier days have no
  receipts behind them any more, so they stay as they are for good. A later load recounts
  only later days when it replaces stored receipts, and rejects a record sent before that day
  (reason sent_before_retention): it cannot be matched to its message's deleted receipt, so
  counting it could count a message twice. Run retention after the campaign's receipts have
  all arrived.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

from dashboard import clock, config
from dashboard.i18n import Translatable
from dashboard.store import db, snapshots


class BackupError(Translatable, config.ConfigError):
    """A backup or restore that cannot be done, in one line."""


def backup(db_path: Path, dest: Path) -> Path:
    """Copy what readers see now to dest (whole or not at all)."""
    source = snapshots.latest(db_path)
    if source is None:
        if not db_path.exists():
            raise BackupError("backup.error.no_database", path=db_path)
        db.connect(db_path).close()  # publishes the first snapshot
        source = snapshots.latest(db_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, dest)
    return dest


def restore(db_path: Path, source: Path) -> int:
    """Replace the database with a backup; returns the number of files its log holds."""
    try:
        with duckdb.connect(str(source), read_only=True) as conn:
            files = conn.execute("SELECT count(*) FROM ingest_log").fetchall()[0][0]
    except duckdb.Error as exc:
        raise BackupError("backup.error.not_a_backup", source=source,
                          detail=str(exc).splitlines()[0]) from None
    with snapshots.write_lock(db_path):
        partial = db_path.with_name(f".{db_path.name}.restoring")
        # a WAL left by a restore that crashed would be replayed onto this copy
        _remove_wal(partial)
        shutil.copyfile(source, partial)
        try:
            # every check of opening the database (schema, migrations, production's key rule)
            # runs on the copy: a backup refused after replacing the database lost it
            db.prepare(partial, reported=source)
        except (config.ConfigError, duckdb.Error) as exc:
            partial.unlink(missing_ok=True)
            _remove_wal(partial)
            raise BackupError("backup.error.cannot_replace", source=source,
                              detail=str(exc).splitlines()[0]) from None
        os.replace(partial, db_path)
        _remove_wal(db_path)  # the replaced database's: DuckDB would replay it onto the backup
    db.connect(db_path).close()  # migrations if the backup is older; publishes the snapshot
    return int(files)


def _remove_wal(database: Path) -> None:
    database.with_name(database.name + ".wal").unlink(missing_ok=True)


def apply_retention(conn: duckdb.DuckDBPyConnection, days: int,
                    today: dt.date | None = None) -> dict[str, int]:
    """Delete receipt-level rows sent more than `days` days before today (WIB); returns the
    rows deleted per table."""
    if days < 1:
        raise BackupError("backup.error.retention_days")
    cutoff = (today or clock.today_wib()) - dt.timedelta(days=days)
    deleted = {}
    with db.transaction(conn):
        deleted["receipts"] = conn.execute(
            "DELETE FROM receipts WHERE send_date < $cutoff", {"cutoff": cutoff}
        ).fetchall()[0][0]
        deleted["rejects"] = conn.execute(
            "DELETE FROM rejects WHERE ingest_id IN (SELECT ingest_id FROM ingest_log "
            "WHERE CAST(finished_at AS DATE) < $cutoff)", {"cutoff": cutoff}
        ).fetchall()[0][0]
        # recorded even when nothing was deleted: no later load may add a day before it
        conn.execute("INSERT INTO retention_runs VALUES (now(), $cutoff, $receipts, $rejects)",
                     {"cutoff": cutoff, **deleted})
    return deleted


def deleted_before(conn: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The WIB send day before which retention deleted every receipt (None: it never ran, or
    a read-only database from before retention_runs): no receipt of an earlier day is
    stored, and none is loaded (sent_before_retention), so the rollup rows of those days
    are all that is left of them."""
    try:
        return conn.execute("SELECT retention_deleted_before()").fetchall()[0][0]
    except duckdb.CatalogException:  # the macro is ddl/macros.sql's: one definition
        return None
