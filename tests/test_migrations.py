"""Databases made by earlier versions open and migrate (issue 14, point 8): the schema of the
release of 29 Nov 2026 is queries/ddl/schema.sql alone; every later change is a numbered
migration, applied once, in order, on the first write-capable open."""

from __future__ import annotations

import duckdb
import pytest

from dashboard.cli import main
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.store import db
from tests.conftest import HEADER, receipt, write


def previous_release_database(path) -> None:
    """What the release of 29 Nov 2026 left: its schema and a loaded file's log and rows,
    no schema_migrations table, no warnings column, no reject_tally."""
    conn = duckdb.connect(str(path))
    conn.execute(db.sql_text("ddl/schema"))
    conn.execute("INSERT INTO ingest_log (ingest_id, file_name, sha256, kind, format, "
                 "started_at, finished_at, rows_read, loaded, rejected, outcome, message) "
                 "VALUES (nextval('ingest_id_seq'), 'old.csv', 'abc', 'receipts', "
                 "'profile:canonical', now(), now(), 3, 2, 1, 'loaded', '3 rows')")
    conn.execute("INSERT INTO rejects VALUES (1, 'old.csv', 3, 'bad_msisdn: x', 'masked')")
    conn.close()


def columns(conn, table: str) -> list[str]:
    return [c for (c,) in conn.execute("SELECT column_name FROM duckdb_columns() "
                                       "WHERE table_name = $t", {"t": table}).fetchall()]


def test_an_old_database_is_migrated_on_the_first_write_capable_open(tmp_path):
    path = tmp_path / "old.duckdb"
    previous_release_database(path)
    with db.connect(path) as conn:
        assert db.schema_version(conn) == db.migrations()[-1][0]
        assert [v for (v,) in conn.execute("SELECT version FROM schema_migrations "
                                           "ORDER BY version").fetchall()] == [
            v for v, _ in db.migrations()]
        assert "warnings" in columns(conn, "ingest_log")
        # the old rows are kept, the new column filled with its default
        assert conn.execute("SELECT file_name, rows_read, warnings FROM ingest_log"
                            ).fetchall() == [("old.csv", 3, 0)]
        # the marts that read new tables count the old file's kept rejects
        reasons = db.run(conn, "marts/reject_reasons")
        assert reasons[["file", "reason_code", "rows"]].values.tolist() == [
            ["old.csv", "bad_msisdn", 1]]
        result = ingest_file(conn, write(tmp_path, "new.csv", [HEADER, receipt("M1")]))
        assert result.outcome == "loaded", result.message
        quality = db.run(conn, "marts/data_quality")
        assert quality["warnings"].tolist() == [1, 0]  # SMS01: not in the (empty) catalogue
    with db.connect(path) as conn:  # nothing is applied twice
        assert db.migrate(conn) == []


@pytest.mark.parametrize(("lang", "said"), [
    ("id", "dibuat oleh versi sebelumnya (skema "),
    ("en", "was made by an earlier version (schema "),
])
def test_a_read_only_open_of_an_old_database_says_how_to_update_it(tmp_path, capsys, lang,
                                                                   said):
    path = tmp_path / "old.duckdb"
    previous_release_database(path)
    with pytest.raises(db.SchemaBehind, match="open it once for writing"):
        db.connect(path, read_only=True)
    assert main(["export", "data_quality", "--db", str(path), "--out",
                 str(tmp_path / "q.csv"), "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert said in err and f"python -m dashboard init --db {path}" in err
    with db.connect(path):
        pass
    with db.connect(path, read_only=True) as conn:
        assert not db.run(conn, "marts/data_quality").empty
        db.run(conn, "marts/reach_totals", approximate=False, **Filters().params())


def test_migrations_are_numbered_in_order_without_gaps():
    versions = [v for v, _ in db.migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_the_app_migrates_a_snapshot_published_by_an_earlier_version(tmp_path, monkeypatch):
    """After an upgrade the newest snapshot has an older schema: the app's first run opens
    the database for writing (migrations), publishes again and serves, instead of refusing
    until someone runs init."""
    import duckdb
    import streamlit as st

    from dashboard.store import db, snapshots
    from dashboard.web import ui

    path = tmp_path / "old.duckdb"
    db.connect(path).close()
    old = snapshots.latest(path)
    with duckdb.connect(str(old)) as conn:  # as an earlier version published it
        conn.execute("DELETE FROM schema_migrations WHERE version = "
                     "(SELECT max(version) FROM schema_migrations)")
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    try:
        conn = ui.connection()
        assert conn.execute("SELECT count(*) FROM ingest_log").fetchall()[0][0] == 0
        assert snapshots.latest(path) != old
    finally:
        st.cache_resource.clear()


def test_a_snapshot_with_other_macros_is_refused_then_rewritten_by_the_app(tmp_path, monkeypatch,
                                                                          capsys):
    """Macros live in the database file: a snapshot written by a version whose macros differ
    (same schema version) would run this version's queries on old definitions. A read-only open
    refuses it; the app reopens the database for writing, which recreates them."""
    import duckdb
    import streamlit as st

    from dashboard.store import db, snapshots
    from dashboard.web import ui

    path = tmp_path / "other_macros.duckdb"
    db.connect(path).close()
    old = snapshots.latest(path)
    with duckdb.connect(str(old)) as conn:  # as another version published it
        conn.execute("UPDATE definitions SET digest = 'another version'")
    with pytest.raises(db.SchemaBehind, match="macros differ"):
        db.connect(path, read_only=True)
    assert main(["export", "data_quality", "--db", str(path), "--out",
                 str(tmp_path / "q.csv"), "--lang", "en"]) == 2
    assert "macros differ" in capsys.readouterr().err
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    try:
        conn = ui.connection()
        assert db.stored_definitions(conn) == db.definitions_digest()
        assert snapshots.latest(path) != old
    finally:
        st.cache_resource.clear()


def test_the_definitions_digest_follows_every_macro_file(monkeypatch):
    digest = db.definitions_digest()
    for changed in db.DEFINITIONS:
        real = db.sql_text

        def edited(name: str, changed: str = changed, real=real) -> str:
            return real(name) + ("\n-- edited" if name == changed else "")

        db.definitions_digest.cache_clear()
        monkeypatch.setattr(db, "sql_text", edited)
        assert db.definitions_digest() != digest, changed
        monkeypatch.undo()
    db.definitions_digest.cache_clear()
    assert db.definitions_digest() == digest
