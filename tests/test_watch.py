"""The drop folder (issue 16, point 2): every new complete file is loaded once; a file still
being written is left for later; a failed file is moved aside with its reason; the same file
twice changes nothing."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from dashboard import config
from dashboard.cli import main
from dashboard.service.watch import complete_files, watch
from dashboard.store import db
from tests.conftest import HEADER, receipt, write

OLD = time.time() - 3600  # a file finished an hour ago


def _settled(path, when: float = OLD):
    os.utime(path, (when, when))
    return path


def _receipts_count(db_path) -> int:
    with db.connect(db_path, read_only=True) as conn:
        return conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0]


@pytest.mark.parametrize(("name", "age_s", "taken"), [
    ("receipts.csv", 3600, True),
    ("receipts.csv", 5, False),  # still being written (changed 5 s ago, settle 30 s)
    (".receipts.csv", 3600, False),  # hidden: an upload in progress
    ("receipts.csv.part", 3600, False),
    ("receipts.csv.filepart", 3600, False),
    ("RECEIPTS.CSV.TMP", 3600, False),
])
def test_only_complete_files_are_taken(tmp_path, name, age_s, taken):
    path = write(tmp_path, name, [HEADER, receipt("m1")])
    _settled(path, time.time() - age_s)
    assert (path in complete_files(tmp_path, settle_s=30)) is taken


def test_each_file_loads_once_and_moves_aside(tmp_path):
    drop, db_path = tmp_path / "drop", tmp_path / "w.duckdb"
    drop.mkdir()
    good = _settled(write(drop, "good.csv", [HEADER, receipt("m1"), receipt("m2")]))
    bad = _settled(write(drop, "bad.csv", b"not,a,receipts,file\n1,2,3,4\n"))
    handled = watch(drop, db_path, settle_s=30, once=True)
    assert {h.name: h.outcome for h in handled} == {"good.csv": "loaded", "bad.csv": "failed"}
    assert (drop / "loaded" / "good.csv").exists() and not good.exists()
    assert (drop / "failed" / "bad.csv").exists() and not bad.exists()
    reason = (drop / "failed" / "bad.csv.reason.txt").read_text(encoding="utf-8")
    assert reason.startswith("bad.csv: ") and len(reason.strip()) > len("bad.csv: ")
    assert _receipts_count(db_path) == 2
    # the same file dropped again changes nothing, and is moved aside beside the first
    shutil.copy(drop / "loaded" / "good.csv", drop / "good.csv")
    _settled(drop / "good.csv")
    again = watch(drop, db_path, settle_s=30, once=True)
    assert [(h.name, h.outcome) for h in again] == [("good.csv", "already")]
    assert (drop / "loaded" / "good.1.csv").exists()
    assert _receipts_count(db_path) == 2
    assert watch(drop, db_path, settle_s=30, once=True) == []  # nothing left


def test_a_half_written_file_waits_for_a_later_pass(tmp_path):
    drop, db_path = tmp_path / "drop", tmp_path / "w.duckdb"
    drop.mkdir()
    path = write(drop, "late.csv", [HEADER, receipt("m1")])  # modified just now
    assert watch(drop, db_path, settle_s=30, once=True) == []
    assert path.exists()
    _settled(path)
    assert [h.outcome for h in watch(drop, db_path, settle_s=30, once=True)] == ["loaded"]


def test_the_cli_watches_once_and_says_what_it_did(tmp_path, capsys):
    drop, db_path = tmp_path / "drop", tmp_path / "w.duckdb"
    drop.mkdir()
    shutil.copy(config.SAMPLE_DIR / "waves.csv", drop / "waves.csv")
    _settled(drop / "waves.csv")
    _settled(write(drop, "broken.csv", b"\xff\xfe\x00garbage"))
    code = main(["watch", str(drop), "--once", "--db", str(db_path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1  # one file failed
    assert sorted(line.split(":", 1)[0] for line in out) == ["failed", "loaded"]
    assert main(["watch", str(tmp_path / "missing"), "--once", "--db", str(db_path)]) == 1
