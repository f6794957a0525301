"""DuckDB connection, schema and the named-query layer (queries/*.sql, values bound as $name)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import config, reference
from dashboard.i18n import Translatable
from dashboard.store import snapshots

PARAM = re.compile(r"(?<![:$\w])\$([a-z_][a-z0-9_]*)")
FULL_ERRNOS = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)  # no space, file size limit, quota
UNWRITABLE_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR,
                     errno.EEXIST, errno.EISDIR)


@cache
def sql_text(name: str) -> str:
    """The text of queries/<name>.sql (name may contain a layer folder: 'marts/reach_operator')."""
    path = (config.QUERIES_DIR / f"{name}.sql").resolve()
    if config.QUERIES_DIR.resolve() not in path.parents:
        raise ValueError(f"query name outside queries/: {name!r}")
    return path.read_text(encoding="utf-8")


def query_params(name: str) -> set[str]:
    """The $parameters a query file binds."""
    return set(PARAM.findall(_strip_comments(sql_text(name))))


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction around the block: committed when it ends, rolled back on any error
    (KeyboardInterrupt included) and the error raised again."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def connect(path: str | Path | None = None, read_only: bool = False
            ) -> duckdb.DuckDBPyConnection:
    """Open the embedded database. Read-only: its newest published snapshot (the file itself
    when none is published yet), which any number of processes may read while one writes.
    Writable: the file itself, once no other process writes (dashboard/store/snapshots.py);
    closing it publishes a snapshot. Folder and schema are created when writable."""
    target = config.db_path(path)
    if read_only:
        return read_snapshot(snapshots.latest(target) or target, target)
    return WriteConnection(target)  # type: ignore[return-value]  # behaves as a connection


def read_snapshot(snapshot: Path, path: Path) -> duckdb.DuckDBPyConnection:
    """Open one published snapshot of the database at path read-only (or the file itself
    before any is published); messages name the database."""
    return _open(snapshot, read_only=True, reported=path)


class WriteConnection:
    """A connection to the database file that holds the write lock until it is closed, and
    then publishes a snapshot for the readers. Everything else is the DuckDB connection's."""

    def __init__(self, path: Path) -> None:
        self._path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = snapshots.write_lock(path)
        self._lock.__enter__()
        try:
            self._conn: duckdb.DuckDBPyConnection | None = _open(path, read_only=False,
                                                                 reported=path)
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise

    def __getattr__(self, name: str) -> object:
        if self._conn is None:
            raise duckdb.ConnectionException("Connection already closed!")
        return getattr(self._conn, name)

    def __enter__(self) -> WriteConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Checkpoint, close, publish the snapshot, release the lock (once)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            with contextlib.suppress(duckdb.Error):  # e.g. in an aborted transaction
                conn.execute("CHECKPOINT")
            conn.close()
            snapshots.publish(self._path)
        finally:
            self._lock.__exit__(None, None, None)


def prepare(file: Path, reported: Path) -> None:
    """Open file for writing as the database would be (its schema brought up to date, its key
    checked: the errors `connect` would raise) and close it, publishing nothing. A restore
    runs this on its copy of the backup before that copy replaces the database."""
    _open(file, read_only=False, reported=reported).close()


def _open(file: Path, read_only: bool, reported: Path) -> duckdb.DuckDBPyConnection:
    """One DuckDB connection with the session settings and the schema checks; reported: the
    database path that messages name (a snapshot is named by its database)."""
    target = reported
    conn = duckdb.connect(str(file), read_only=read_only, config=config.duckdb_settings())
    try:
        _session(conn)
        if not read_only:
            init_schema(conn)
        else:
            check_schema_current(conn, target)
            from dashboard.store import sketch  # here: it imports this module

            sketch.check_served(conn)  # large-campaign mode: never a sketch it cannot rebuild
        _check_key(conn, writable=not read_only, path=target)
    except BaseException:
        conn.close()
        raise
    return conn


def _check_key(conn: duckdb.DuckDBPyConnection, writable: bool, path: Path) -> None:
    """Production refuses a database built with the development key (a ConfigError); a
    write-capable open upgrades an old unsalted key check (ingest/privacy.py)."""
    from dashboard.ingest.privacy import check_database_key

    if not conn.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'pseudonym_key'"
                        ).fetchall():
        return  # a read-only open of a database made before the table (or not ours)
    check_database_key(conn, writable, path)


def storage_problem(error: BaseException | str, path: str | Path) -> str | None:
    """What kept the database file at path from being used, from a DuckDB or OS error (or a
    message quoting one): 'in_use' (another process holds it: DuckDB allows one writer process),
    'full' (no space left or a file size limit), 'unwritable' (cannot be created or opened),
    'not_duckdb'; None when the error is about something else.

    DuckDB's errors carry no errno, only the operating system's text, so that text is matched.
    """
    target = Path(path)
    if isinstance(error, OSError) and error.errno is not None:
        if error.filename is None or Path(error.filename) not in (target, *target.parents):
            return None
        return ("full" if error.errno in FULL_ERRNOS else
                "unwritable" if error.errno in UNWRITABLE_ERRNOS else None)
    text = str(error)
    if any(os.strerror(code) in text for code in FULL_ERRNOS):
        return "full"  # also when the write that failed was the WAL or a temp file
    if str(target) not in text:
        return None
    if "Could not set lock on file" in text:
        return "in_use"
    if "Cannot open file" in text:
        return "unwritable"
    if "not a valid DuckDB database file" in text or "Could not read enough bytes" in text:
        return "not_duckdb"
    return None


def memory_connection() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(":memory:", config=config.duckdb_settings())
    _session(conn)
    init_schema(conn)
    return conn


def _session(conn: duckdb.DuckDBPyConnection) -> None:
    # Days and weeks are WIB days: TIMESTAMPTZ -> DATE casts follow the session zone.
    conn.execute("SET TimeZone = 'Asia/Jakarta'")


def init_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create tables if missing, apply the migrations a database has not had, (re)load the
    reference data; safe to repeat."""
    from dashboard.store import reach_cells, rollups, sketch  # here: they import this module
    conn.execute(sql_text("ddl/schema"))
    migrate(conn)
    conn.execute(sql_text("ddl/macros"))
    conn.execute(rollups.unit_counts_macro())  # over rollups/unit_receipt_counts.sql
    conn.execute(rollups.number_counts_macro())  # over rollups/number_*.sql
    sketch.ensure_sketch(conn)  # queries/ddl/sketch.sql, and the sketch rebuilt if stale
    reach_cells.ensure_cells(conn)  # rebuilt from reach_recipients if missing or stale
    if stored_definitions(conn) != definitions_digest():
        with transaction(conn):
            conn.execute("DELETE FROM definitions")
            conn.execute("INSERT INTO definitions VALUES ($digest)",
                         {"digest": definitions_digest()})
    if conn.execute("SELECT count(*) FROM provinces").fetchall()[0][0] == 0:
        _load_reference(conn)
    elif conn.execute("SELECT count(*) FROM regencies").fetchall()[0][0] == 0:
        _load_reference(conn, only=REGENCY_TABLES)  # a database migrated to 0008 has none


MIGRATIONS_DIR = "ddl/migrations"
# recreated by every write-capable open (the shared rollup file: in the macro unit_counts(waves))
DEFINITIONS = ("ddl/macros", "ddl/sketch", "rollups/unit_receipt_counts")


@cache
def definitions_digest() -> str:
    """SHA-256 of the macro definitions this version creates (migration 0006), the macros
    made from the shared rollup file included (store/rollups.py unit_counts_macro)."""
    from dashboard.store import rollups  # here: it imports this module

    texts = [*(sql_text(n) for n in DEFINITIONS), rollups.unit_counts_macro(),
             rollups.number_counts_macro()]
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()


def stored_definitions(conn: duckdb.DuckDBPyConnection) -> str | None:
    """The digest of the definitions the database holds (None: before migration 0006)."""
    if not conn.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'definitions'"
                        ).fetchall():
        return None
    found = conn.execute("SELECT digest FROM definitions").fetchall()
    return found[0][0] if found else None


class SchemaBehind(Translatable, config.ConfigError):
    """A read-only open of a database that an earlier version made: it needs its migrations
    (a ConfigError, so the CLI and the app say it in one line, in the reader's language)."""


def migrations() -> list[tuple[int, str]]:
    """(version, query name) of every migration, in order: queries/ddl/migrations/NNNN_*.sql."""
    found = sorted((config.QUERIES_DIR / MIGRATIONS_DIR).glob("[0-9][0-9][0-9][0-9]_*.sql"))
    return [(int(path.name[:4]), f"{MIGRATIONS_DIR}/{path.stem}") for path in found]


def schema_version(conn: duckdb.DuckDBPyConnection) -> int:
    """The last migration applied (0: none, or a database from before migrations)."""
    if not conn.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'schema_migrations'"
                        ).fetchall():
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations"
                        ).fetchall()[0][0]


def migrate(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply, in order and each in its own transaction, the migrations the database has not
    had; return their versions."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                 "name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)")
    current = schema_version(conn)
    applied = []
    for version, name in migrations():
        if version <= current:
            continue
        with transaction(conn):
            conn.execute(sql_text(name))
            conn.execute("INSERT INTO schema_migrations VALUES ($version, $name, now())",
                         {"version": version, "name": name.rsplit("/", 1)[-1]})
        applied.append(version)
    return applied


def check_schema_current(conn: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a read-only open of a database whose migrations are not applied, or whose macros
    another version defined: its queries would fail on columns or macros it does not have, or
    run old definitions."""
    latest = migrations()[-1][0] if migrations() else 0
    if not conn.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'ingest_log'"
                        ).fetchall():
        return
    if schema_version(conn) < latest:
        raise SchemaBehind("store.schema_behind", path=path, version=schema_version(conn),
                           latest=latest)
    if stored_definitions(conn) != definitions_digest():
        raise SchemaBehind("store.macros_behind", path=path)


def last_receipts_ingest(conn: duckdb.DuckDBPyConnection,
                         ignoring: int | None = None) -> int | None:
    """The ingest_id of the last loaded receipts file (None: none), leaving out `ignoring` (the
    file being loaded): the rollups that record which files they include compare with it."""
    return conn.execute(
        "SELECT max(ingest_id) FROM ingest_log WHERE kind = 'receipts' AND outcome = 'loaded' "
        "AND ingest_id IS DISTINCT FROM $ignoring", {"ignoring": ignoring}).fetchall()[0][0]


REGENCY_TABLES = ("regencies", "regency_aliases")  # issue 18's reference tables


def _load_reference(conn: duckdb.DuckDBPyConnection,
                    only: tuple[str, ...] | None = None) -> None:
    """(Re)load the reference tables from dashboard/reference, or only the ones named."""
    prov = reference.provinces().merge(reference.dpt_2024(), on="province_code", how="left")
    tables = {
        "provinces": prov[["province_code", "name", "short", "capital", "lat", "lon", "tile_col",
                           "tile_row", "split_from_2019", "dpt_2024"]],
        "province_aliases": reference.province_aliases(),
        "operators": reference.operators(),
        "operator_prefixes": reference.operator_prefixes(),
        "error_codes": reference.error_codes(),
        "regencies": reference.regencies(),
        "regency_aliases": reference.regency_aliases(),
    }
    conn.execute("BEGIN")
    for table, frame in tables.items():
        if only is not None and table not in only:
            continue
        conn.register("reference_frame", frame)
        conn.execute(f"DELETE FROM {table}")  # noqa: S608 - table names from the dict above
        conn.execute(f"INSERT INTO {table} SELECT * FROM reference_frame")  # noqa: S608
        conn.unregister("reference_frame")
    conn.execute("COMMIT")


def run(conn: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run queries/<name>.sql with the given values bound; unknown or missing names fail loudly."""
    wanted = query_params(name)
    missing, extra = wanted - params.keys(), params.keys() - wanted
    if missing or extra:
        raise TypeError(f"query {name}: missing {sorted(missing)}, unexpected {sorted(extra)}")
    return conn.execute(sql_text(name), {k: params[k] for k in wanted}).df()


def execute(conn: duckdb.DuckDBPyConnection, name: str, **params: object) -> None:
    """Run a statement file (no result) with bound values."""
    wanted = query_params(name)
    conn.execute(sql_text(name), {k: params[k] for k in wanted})
