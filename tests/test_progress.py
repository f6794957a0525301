"""A load's progress says its stage, percent and time left (issue 16, point 5), and the
sidebar says when data was last loaded and whether a load runs."""

from __future__ import annotations

import io
import sys

import pytest

from dashboard.service.progress import Clock, describe, time_left
from dashboard.store import db, snapshots
from tests.conftest import HEADER, receipt, write


@pytest.mark.parametrize(("fraction", "elapsed", "left"), [
    (0.5, 10.0, 10.0),  # half done in 10 s: 10 s to go
    (0.25, 8.0, 24.0),
    (0.04, 10.0, None),  # too early to say
    (0.5, 0.5, None),  # too soon to say
    (1.0, 30.0, None),  # done
    (0.0, 5.0, None),
])
def test_time_left(fraction, elapsed, left):
    assert time_left(fraction, elapsed) == left


@pytest.mark.parametrize(("lang", "left", "expected"), [
    ("id", 12.4, "menulis · 70 % · sekitar 12 detik lagi"),
    ("en", 1234.0, "menulis · 70 % · about 1,234 s left"),
    ("en", None, "menulis · 70 %"),
    ("id", 0.2, "menulis · 70 % · sekitar 1 detik lagi"),
])
def test_describe(lang, left, expected):
    assert describe("menulis", 0.7, left, lang) == expected


def test_the_clock_times_from_its_start():
    ticks = iter([100.0, 104.0, 110.0])
    shown = []
    clock = Clock(lambda f, text: shown.append(text), "en", now=lambda: next(ticks))
    clock(0.5, "writing")  # 4 s for half
    clock(1.0, "done")
    assert shown == ["writing · 50 % · about 4 s left", "done · 100 %"]


def test_the_cli_shows_progress_on_a_terminal_only(tmp_path, monkeypatch, capsys):
    from dashboard.cli import main

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    path = write(tmp_path, "r.csv", [HEADER, receipt("m1")])
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["ingest", str(path), "--db", str(tmp_path / "t.duckdb")]) == 0
    assert "r.csv: reading and validating · 5 %" in terminal.getvalue()
    assert terminal.getvalue().rstrip().endswith("done · 100 %")
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a log file: the summary alone
    assert main(["ingest", str(path), "--db", str(tmp_path / "u.duckdb")]) == 0
    assert sys.stderr.getvalue() == ""
    assert capsys.readouterr().out.count("r.csv") == 2


def test_a_running_load_is_seen_by_others(tmp_path):
    path = tmp_path / "s.duckdb"
    assert not snapshots.writer_active(path)  # no lock file yet
    with db.connect(path):
        assert snapshots.writer_active(path)
    assert not snapshots.writer_active(path)
