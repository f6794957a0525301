"""Issue 13, finding 1, the repair: `verify` finds a file logged as loaded with rows missing,
and `ingest --reload` replaces its receipts by a fresh load in one transaction.

A database that lost rows before the fix is built here by loading a file and then doing what
the old reader did: deleting some of its receipts and logging fewer rows read.
"""

from __future__ import annotations

import pytest

from dashboard.cli import main
from dashboard.ingest import ingest_file
from dashboard.ingest.verify import verify_file
from dashboard.store import db
from tests.conftest import HEADER, receipt, write
from tests.test_ingest_receipts import ROLLUPS_RECOUNTED

ROWS = 300


def lines(wave: str = "SMS01", prefix: str = "K") -> list[str]:
    return [HEADER, *(receipt(f"{prefix}{n}", msisdn=f"0812{n:08d}", province=str(31 + n % 4),
                              wave=wave, status="DELIVRD" if n % 5 else "UNDELIV")
                      for n in range(ROWS)), "ab"]


def lose_rows(conn, ingest_id: int, lost: int) -> None:
    """What the old reader left behind: rows missing from storage and from the log."""
    conn.execute("DELETE FROM receipts WHERE ingest_id = $id AND message_id IN "
                 "(SELECT message_id FROM receipts WHERE ingest_id = $id "
                 "ORDER BY message_id LIMIT $n)", {"id": ingest_id, "n": lost})
    conn.execute("UPDATE ingest_log SET rows_read = rows_read - $n, loaded = loaded - $n "
                 "WHERE ingest_id = $id", {"id": ingest_id, "n": lost})


def rollups_match_a_recount(conn) -> None:
    for table, recount in ROLLUPS_RECOUNTED.items():
        stored = sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=str)  # noqa: S608
        assert stored == sorted(conn.execute(recount).fetchall(), key=str), table


def test_verify_finds_lost_rows_and_reload_repairs_them(conn, tmp_path):
    damaged = write(tmp_path, "damaged.csv", lines())
    other = write(tmp_path, "other.csv", lines("SMS02", "X"))
    first = ingest_file(conn, damaged)
    ingest_file(conn, other)
    assert verify_file(conn, damaged).ok
    lose_rows(conn, first.ingest_id, 40)

    found = verify_file(conn, damaged)
    assert not found.ok
    assert found.records == ROWS + 1
    assert "logged 261 read" in found.summary()
    assert "40 valid records' messages are not stored" in found.summary()
    assert "ingest --reload damaged.csv" in found.summary()
    assert verify_file(conn, other).ok  # the other file is untouched

    assert ingest_file(conn, damaged).outcome == "already_loaded"  # why a repair is needed
    repaired = ingest_file(conn, damaged, reload=True)
    assert repaired.outcome == "loaded", repaired.message
    c = repaired.counts
    assert (c.rows_read, c.loaded, c.rejected, c.replaced) == (ROWS + 1, ROWS, 1, ROWS - 40)
    assert conn.execute("SELECT count(*) FROM receipts").fetchall() == [(2 * ROWS,)]
    assert conn.execute("SELECT outcome FROM ingest_log WHERE ingest_id = $id",
                        {"id": first.ingest_id}).fetchall() == [("reloaded",)]
    rollups_match_a_recount(conn)
    assert verify_file(conn, damaged).ok
    assert ingest_file(conn, damaged).outcome == "already_loaded"


def test_reload_of_a_file_never_loaded_is_a_plain_load(conn, tmp_path):
    path = write(tmp_path, "new.csv", lines())
    result = ingest_file(conn, path, reload=True)
    assert (result.outcome, result.counts.loaded, result.counts.replaced) == ("loaded", ROWS, 0)


@pytest.mark.parametrize(("content", "expected"), [
    ("never loaded", "not loaded: no load of this content is logged"),
    ("binary", "this is a ZIP archive"),
])
def test_verify_says_what_is_wrong_with_other_files(conn, tmp_path, content, expected):
    path = (write(tmp_path, "f.csv", lines()) if content == "never loaded"
            else write(tmp_path, "f.csv", b"PK\x03\x04 zipped"))
    assert expected in verify_file(conn, path).summary()


def test_cli_verify_and_reload(tmp_path, capsys):
    database = tmp_path / "t.duckdb"
    path = write(tmp_path, "damaged.csv", lines())
    assert main(["ingest", "--db", str(database), str(path)]) == 0
    assert main(["verify", "--db", str(database), str(path)]) == 0
    assert "damaged.csv: ok: 301 records" in capsys.readouterr().out
    with db.connect(database) as conn:
        lose_rows(conn, 1, 7)
    assert main(["verify", "--db", str(database), str(path), "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert "7 valid records' messages are not stored" in captured.out
    assert "1 of 1 file(s) do not match their log entry" in captured.err
    assert main(["ingest", "--db", str(database), "--reload", str(path)]) == 0
    assert "reloaded, replacing ingest 1" in capsys.readouterr().out
    assert main(["verify", "--db", str(database), str(path)]) == 0
