"""Backup, restore and retention (issue 16, point 7): a backup taken while readers and a
writer are busy holds a whole state; a restore brings it back and the readers move to it; a
file that is not a backup changes nothing; retention deletes receipt-level rows older than N
days and every page table shows the same numbers afterwards."""

from __future__ import annotations

import datetime as dt
import shutil
import threading

import pandas as pd
import pytest

from dashboard import clock, config
from dashboard.cli import main, sample_files
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import tables
from dashboard.store import backup, db, snapshots
from tests.conftest import HEADER, receipt, write


@pytest.fixture(autouse=True)
def english_cli(monkeypatch):
    """These tests read the command line's English words (tests/test_cli_language.py: both)."""
    monkeypatch.setenv("PEMILU_LANG", "en")


PAGE_TABLES = ("reach_totals", "reach_operator", "reach_province", "reach_wave", "reach_daily",
               "error_codes")


def _count(path, since: dt.date | None = None) -> int:
    with db.connect(path, read_only=True) as conn:
        return conn.execute("SELECT count(*) FROM receipts WHERE send_date >= $since",
                            {"since": since or dt.date.min}).fetchall()[0][0]


@pytest.fixture
def loaded(tmp_path):
    path = tmp_path / "live.duckdb"
    with db.connect(path) as conn:
        assert ingest_file(conn, write(tmp_path, "a.csv", [HEADER, receipt("m1"),
                                                           receipt("m2")])).ok
    return path


def test_a_backup_while_a_reader_and_a_writer_are_busy_holds_a_whole_state(loaded, tmp_path):
    reader = db.connect(loaded, read_only=True)  # the app, reading the snapshot
    big = write(tmp_path, "b.csv", [HEADER] + [receipt(f"b{n}", msisdn=f"0812{n:08d}")
                                               for n in range(20_000)])
    loading = threading.Thread(target=lambda: main(["ingest", str(big), "--db", str(loaded)]))
    loading.start()
    copies = []
    while loading.is_alive():
        copies.append(tmp_path / f"backup{len(copies)}.duckdb")
        assert main(["backup", str(copies[-1]), "--db", str(loaded)]) == 0
    loading.join()
    reader.close()
    assert {_count(c) for c in copies} <= {2, 20_002}  # the state before or after, whole
    final = tmp_path / "final.duckdb"
    assert main(["backup", str(final), "--db", str(loaded)]) == 0
    assert _count(final) == 20_002


def test_restore_brings_a_backup_back_and_readers_follow(loaded, tmp_path, capsys):
    saved = tmp_path / "saved.duckdb"
    assert main(["backup", str(saved), "--db", str(loaded)]) == 0
    with db.connect(loaded) as conn:
        assert ingest_file(conn, write(tmp_path, "c.csv", [HEADER, receipt("m3")])).ok
    assert _count(loaded) == 3
    assert main(["restore", str(saved), "--db", str(loaded)]) == 0
    assert "1 files in its load log" in capsys.readouterr().out
    assert _count(loaded) == 2  # a reader opening now sees the restored state
    with db.connect(loaded) as conn:  # and the database takes loads again
        assert ingest_file(conn, write(tmp_path, "d.csv", [HEADER, receipt("m4")])).ok
    assert _count(loaded) == 3


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"\x00" * 4096])
def test_restoring_what_is_not_a_backup_changes_nothing(loaded, tmp_path, capsys, content):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(content)
    assert main(["restore", str(junk), "--db", str(loaded)]) == 2
    assert "is not a backup" in capsys.readouterr().err
    assert _count(loaded) == 2


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory):
    path = tmp_path_factory.mktemp("retention") / "sample.duckdb"
    with db.connect(path) as conn:
        for file in sample_files(config.SAMPLE_DIR):
            assert ingest_file(conn, file).ok
    return path


def _pages(path) -> dict:
    with db.connect(path, read_only=True) as conn:
        return {name: tables.table(conn, name, Filters()) for name in PAGE_TABLES}


@pytest.mark.parametrize(("days", "today", "kept_from"), [
    (30, dt.date(2024, 2, 1), dt.date(2024, 1, 2)),  # the first half of the campaign goes
    (1, dt.date(2026, 12, 5), dt.date(2026, 12, 4)),  # all of it goes
    (1000, dt.date(2024, 3, 1), None),  # nothing goes
])
def test_retention_deletes_old_receipts_and_keeps_every_page_number(sample_copy, tmp_path,
                                                                    days, today, kept_from):
    path = tmp_path / "r.duckdb"
    path.write_bytes(sample_copy.read_bytes())
    before = _pages(path)
    total = _count(path)
    expected_kept = total if kept_from is None else _count(path, kept_from)
    assert main(["retention", "--days", str(days), "--today", today.isoformat(),
                 "--db", str(path)]) == 0
    assert _count(path) == expected_kept
    after = _pages(path)
    for name in PAGE_TABLES:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)


@pytest.mark.parametrize(("now_utc", "today_wib"), [
    (dt.datetime(2024, 1, 10, 16, 59, 59, tzinfo=dt.UTC), dt.date(2024, 1, 10)),  # 23:59:59
    (dt.datetime(2024, 1, 10, 17, 0, tzinfo=dt.UTC), dt.date(2024, 1, 11)),  # 00:00 WIB
    (dt.datetime(2024, 1, 10, 18, 0, tzinfo=dt.UTC), dt.date(2024, 1, 11)),
    (dt.datetime(2024, 1, 10, 18, 0), dt.date(2024, 1, 11)),  # a naive time is UTC
    (dt.datetime(2024, 12, 31, 20, 0, tzinfo=dt.UTC), dt.date(2025, 1, 1)),
])
def test_today_is_the_wib_day(now_utc, today_wib):
    assert clock.today_wib(now_utc) == today_wib


@pytest.mark.parametrize(("now_utc", "kept"), [
    # receipts sent on 9 Jan (WIB); `retention --days 1` keeps 10 Jan onwards on 11 Jan WIB:
    # a cron run at 01:00 WIB (18:00 UTC the day before) counted from the UTC date and kept
    # a day more of personal data (attack of 7 Dec 2026)
    (dt.datetime(2024, 1, 10, 18, 0, tzinfo=dt.UTC), 0),
    (dt.datetime(2024, 1, 10, 16, 0, tzinfo=dt.UTC), 2),  # 23:00 WIB on 10 Jan: a day old
])
def test_retention_counts_days_from_today_in_wib(loaded, monkeypatch, now_utc, kept):
    monkeypatch.setattr(clock, "now_utc", lambda: now_utc)
    with db.connect(loaded) as conn:
        conn.execute("UPDATE receipts SET send_date = DATE '2024-01-09'")
    assert main(["retention", "--days", "1", "--db", str(loaded)]) == 0
    assert _count(loaded) == kept


def test_a_backup_refused_by_production_s_key_rule_changes_nothing(tmp_path, monkeypatch,
                                                                    capsys):
    # a backup of a development database restored in production: refused (its key is public),
    # and the live database must still be the one it was (it had been replaced before the
    # refusal: attack of 7 Dec 2026)
    development = tmp_path / "dev.duckdb"
    monkeypatch.delenv(config.SECRET_ENV, raising=False)
    monkeypatch.delenv(config.MODE_ENV, raising=False)
    with db.connect(development) as conn:
        assert ingest_file(conn, write(tmp_path, "a.csv", [HEADER, receipt("m1")])).ok
    monkeypatch.setenv(config.MODE_ENV, "production")
    monkeypatch.setenv(config.SECRET_ENV, "k3Vq9-Zt0pX_w7LrB2mYc8sHd4NfJ6gA")
    live = tmp_path / "live.duckdb"
    with db.connect(live) as conn:
        assert ingest_file(conn, write(tmp_path, "b.csv", [HEADER, receipt("m2"),
                                                           receipt("m3")])).ok
    before = live.read_bytes()
    assert main(["restore", str(development), "--db", str(live)]) == 2
    error = capsys.readouterr().err
    assert "development key" in error and "nothing was changed" in error
    assert f"the database {development} was built" in error  # the backup, not its copy
    assert live.read_bytes() == before
    assert not list(tmp_path.glob(".live.duckdb.restoring*"))
    assert _count(live) == 2


def test_retention_keeps_at_least_a_day(loaded):
    assert main(["retention", "--days", "0", "--db", str(loaded)]) == 2
    assert _count(loaded) == 2


def _wal_deleting_every_receipt(database, folder):
    """A real WAL of database whose one transaction deletes every receipt (the writer killed
    before its checkpoint), as a crash leaves one."""
    import subprocess
    import sys

    crashed = folder / "crashed.duckdb"
    shutil.copyfile(database, crashed)
    subprocess.run([sys.executable, "-c", (
        "import duckdb, os, sys\n"
        "c = duckdb.connect(sys.argv[1])\n"
        "c.execute(\"SET checkpoint_threshold = '1TB'\")\n"
        "c.execute('DELETE FROM receipts')\n"
        "os._exit(0)\n"), str(crashed)], check=True)
    wal = crashed.with_name(crashed.name + ".wal")
    assert wal.stat().st_size > 0
    return wal


@pytest.mark.parametrize("left_by", [
    "live.duckdb.wal",  # the replaced database's own, not yet checkpointed
    ".live.duckdb.restoring.wal",  # a restore that crashed before it replaced anything
])
def test_a_restore_replays_no_stale_wal(loaded, tmp_path, left_by):
    # DuckDB replays a WAL beside a database file when it opens it: left there, one would
    # apply the old database's transactions (here: delete every receipt) onto the backup
    saved = tmp_path / "saved.duckdb"
    assert main(["backup", str(saved), "--db", str(loaded)]) == 0
    (tmp_path / left_by).write_bytes(_wal_deleting_every_receipt(saved, tmp_path).read_bytes())
    assert main(["restore", str(saved), "--db", str(loaded)]) == 0
    assert _count(loaded) == 2
    assert not (tmp_path / left_by).exists()


@pytest.mark.parametrize("snapshots_kept", [True, False])
def test_a_backup_goes_into_a_new_folder_from_any_database(loaded, tmp_path, snapshots_kept):
    # without snapshots (their folder deleted, or a database from before them) the backup
    # publishes one first
    if not snapshots_kept:
        shutil.rmtree(snapshots.folder(loaded))
    dest = tmp_path / "new" / "nested" / "b.duckdb"
    assert backup.backup(loaded, dest) == dest
    assert _count(dest) == 2


def test_a_backup_of_no_database_says_so(tmp_path):
    missing = tmp_path / "missing.duckdb"
    with pytest.raises(backup.BackupError, match="no database at .*missing.duckdb"):
        backup.backup(missing, tmp_path / "b.duckdb")
    assert not missing.exists()


def test_restoring_what_is_not_a_backup_quotes_duckdb_s_reason(loaded, tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all")
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(loaded, junk)
    reason = str(refused.value).split("(", 1)[1].rsplit(")", 1)[0]
    assert "database" in reason.lower() and reason != "None"  # DuckDB's own first line


def test_retention_says_why_it_refuses_and_what_it_deleted(loaded):
    with db.connect(loaded) as conn:
        with pytest.raises(backup.BackupError, match="^retention must keep at least one day$"):
            backup.apply_retention(conn, 0)
        conn.execute("UPDATE receipts SET send_date = CASE message_id WHEN 'm1' "
                     "THEN DATE '2024-01-09' ELSE DATE '2024-01-10' END")
        deleted = backup.apply_retention(conn, 1, today=dt.date(2024, 1, 11))
    assert deleted == {"receipts": 1, "rejects": 0}
    assert _count(loaded) == 1
