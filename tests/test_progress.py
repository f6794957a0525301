"""A load's progress says its stage, the rows read, percent and time left (issue 16, point
5), and the sidebar says when data was last loaded and whether a load runs."""

from __future__ import annotations

import gzip
import io
import sys
import threading
import time

import pytest

from dashboard.i18n import t
from dashboard.ingest import ingest_file, read_progress, records
from dashboard.ingest.read_progress import Stretch, while_running
from dashboard.ingest.receipts import READING, records_passed
from dashboard.sample.receipts import stream_canonical_receipts, stream_smpp_receipts
from dashboard.service import progress
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


@pytest.mark.parametrize(("lang", "stage", "rows", "fraction", "left", "expected"), [
    ("id", "progress.reading", 1_234_567, 0.43, 12.0,
     "membaca dan memeriksa · 1.234.567 baris · 43 % · sekitar 12 detik lagi"),
    ("en", "progress.reading", 1_234_567, 0.43, 12.0,
     "reading and validating · 1,234,567 rows · 43 % · about 12 s left"),
    ("en", "progress.reading", 1, 0.55, None, "reading and validating · 1 row · 55 %"),
    ("id", "progress.reading", 1, 0.55, None, "membaca dan memeriksa · 1 baris · 55 %"),
    ("en", "progress.reading", 0, 0.55, None, "reading and validating · 0 rows · 55 %"),
    ("en", "progress.reading", None, 0.05, None, "reading and validating · 5 %"),
    ("id", "progress.matching", None, 0.55, 3.0,
     "mencocokkan dengan laporan tersimpan · 55 % · sekitar 3 detik lagi"),
    ("en", "progress.rollups", None, 0.85, None, "updating rollups · 85 %"),
    ("id", "progress.done", None, 1.0, None, "selesai · 100 %"),
])
def test_describe_a_stage_and_its_rows(lang, stage, rows, fraction, left, expected):
    assert describe(stage, fraction, left, lang, rows) == expected


# (percent, rows) fed in turn -> (fraction, rows, moved) after each: never back, and advance()
# says whether either moved (an equal fraction or fewer rows is not a move)
@pytest.mark.parametrize(("fed", "expected"), [
    ([(0, None), (50, 100), (100, 200)],
     [(0.05, None, False), (0.30, 100, True), (0.55, 200, True)]),
    ([(40, 80), (30, 60), (40, 70)],  # a restart
     [(0.25, 80, True), (0.25, 80, False), (0.25, 80, False)]),
    ([(-5, None), (130, 10)], [(0.05, None, False), (0.55, 10, True)]),  # clipped
    ([(20, None), (20, 0)], [(0.15, None, True), (0.15, 0, True)]),
    ([(20, 10), (20, 10)], [(0.15, 10, True), (0.15, 10, False)]),  # the same again
])
def test_a_stage_fills_its_share_and_never_goes_back(fed, expected):
    stretch = Stretch(0.05, 0.55)
    seen = []
    for percent, rows in fed:
        moved = stretch.advance(percent, rows)
        seen.append((round(stretch.fraction, 6), stretch.rows, moved))
    assert seen == expected


# tally: (stored bytes read, records counted so far), file size, total when counted
@pytest.mark.parametrize(("percent", "tally", "expected"), [
    (50.0, None, None),  # the count has not started
    (50.0, ((0, 0), 1000, None), None),  # started, nothing read yet
    (50.0, ((500, 40), 1000, None), 40),  # 80 expected in all, but only 40 counted so far
    (25.0, ((500, 40), 1000, None), 20),  # a quarter of the 80 the pace so far gives
    (43.0, ((1000, 1_000_000), 1000, 1_000_000), 430_000),
    (100.0, ((1000, 7), 1000, 7), 7),
    (120.0, ((1000, 7), 1000, 7), 7),
    (100.0, ((10, 0), 10, 0), 0),  # header only
])
def test_the_rows_read_are_the_readers_share_of_the_counted_records(percent, tally, expected):
    found = None if tally is None else records.Tally(tally[1], tally[0], tally[2])
    assert records_passed(percent, found) == expected


def test_work_runs_beside_the_ticks_on_this_thread(monkeypatch):
    # the default poll is made long: the ticks come only if `every` is obeyed
    monkeypatch.setattr(read_progress, "POLL_S", 30.0)
    ticks: list[str] = []
    release = threading.Event()

    def work() -> str:
        release.wait(5)
        return threading.current_thread().name

    def tick() -> None:
        ticks.append(threading.current_thread().name)
        if len(ticks) == 3:
            release.set()

    worker = while_running(work, tick, stop=lambda: None, every=0.01)
    assert worker == "progress-work"  # the name a stack dump of a stuck load shows
    assert len(ticks) >= 3 and set(ticks) == {threading.current_thread().name}


def test_an_error_of_the_work_is_raised_here():
    def work() -> None:
        raise ValueError("bad file")

    with pytest.raises(ValueError, match="bad file"):
        while_running(work, tick=lambda: None, stop=lambda: None, every=0.01)


def test_a_tick_that_raises_stops_the_work_and_waits_for_it():
    stopped, ended = threading.Event(), threading.Event()

    def work() -> None:
        stopped.wait(5)
        time.sleep(0.05)  # the work still runs a little after it was told to stop
        ended.set()
        raise InterruptedError("interrupted")

    def tick() -> None:
        raise KeyboardInterrupt  # Ctrl-C, or Streamlit stopping the script

    with pytest.raises(KeyboardInterrupt):
        while_running(work, tick, stop=stopped.set, every=0.01)
    assert ended.is_set()  # the connection is free again once it is raised


# DuckDB tells a read's progress in steps of about one of its CSV buffers (some 20 MB, about
# 200,000 canonical rows; of a gzip file, where its unpacking is): 1,000,000 plain rows give
# five or more, 300,000 gzipped rows one to eight
ROWS = {"plain": 1_000_000, "gzip": 300_000}
STEPS = {"plain": 3, "gzip": 1}  # distinct fractions at least, inside the reading stage


@pytest.fixture(scope="module")
def big_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("progress")
    plain = stream_canonical_receipts(folder / "r.csv", ROWS["plain"])
    data, end = plain.read_bytes(), -1
    for _ in range(1 + ROWS["gzip"]):  # the header and the first rows
        end = data.index(b"\n", end + 1)
    packed = folder / "r.csv.gz"
    packed.write_bytes(gzip.compress(data[:end + 1], compresslevel=1, mtime=0))
    return {"plain": plain, "gzip": packed}


def recorded_load(tmp_path, path, monkeypatch):
    """Load a file with a recording progress callback; (result, calls) where a call is
    (fraction, stage, rows, thread)."""
    monkeypatch.setattr(read_progress, "POLL_S", 0.02)
    calls = []

    def record(fraction, stage, rows=None):
        calls.append((fraction, stage, rows, threading.current_thread().name))

    with db.connect(tmp_path / "p.duckdb") as conn:
        result = ingest_file(conn, path, progress=record)
    return result, calls


@pytest.mark.parametrize("kind", ["plain", "gzip"])
def test_a_long_read_reports_how_far_it_is(big_files, kind, tmp_path, monkeypatch):
    result, calls = recorded_load(tmp_path, big_files[kind], monkeypatch)
    rows_in_file = ROWS[kind]
    assert result.outcome == "loaded" and result.counts.rows_read == rows_in_file
    fractions = [c[0] for c in calls]
    assert fractions == sorted(fractions)  # never back
    reading = [c for c in calls if c[1] == "progress.reading"]
    within = {c[0] for c in reading if READING[0] < c[0] < READING[1]}
    assert len(within) >= STEPS[kind], calls  # moves through the reading stage's share
    rows = [c[2] for c in reading if c[2] is not None]
    assert rows == sorted(rows) and max(rows) <= rows_in_file
    # the rows read so far are told while reading, not only at its end
    assert any(c[2] is not None for c in reading if READING[0] < c[0] < READING[1]), calls
    last = max(i for i, c in enumerate(calls) if c[1] == "progress.reading")
    assert calls[last][:3] == (READING[1], "progress.reading", rows_in_file)  # all counted
    assert calls[last + 1][:2] == (READING[1], "progress.matching")  # the next stage's start
    assert calls[-1][:2] == (1.0, "progress.done")
    assert {c[3] for c in calls} == {threading.current_thread().name}


def test_an_smpp_log_reports_its_read_too(tmp_path, monkeypatch):
    path = stream_smpp_receipts(tmp_path / "s.jsonl", 100_000)
    result, calls = recorded_load(tmp_path, path, monkeypatch)
    assert result.outcome == "loaded"
    fractions = [c[0] for c in calls]
    assert fractions == sorted(fractions)
    assert (READING[1], "progress.reading", result.counts.rows_read) in [c[:3] for c in calls]


# a file's lines (after the header) -> the rows the reading stage ends with
@pytest.mark.parametrize(("lines", "compress", "rows"), [
    ([HEADER], False, 0),  # header only
    ([HEADER, receipt("m1")], False, 1),
    ([HEADER, receipt("m1")], True, 1),
    ([HEADER, receipt("m1"), "", receipt("m2")], False, 2),  # a blank line is no record
    # CRLF with one LF line: DuckDB refuses it, so a normalised copy is read, watched too
    (f"{HEADER}\r\n{receipt('m1')}\r\n{receipt('m2')}\n{receipt('m3')}\r\n".encode(),
     False, 3),
])
def test_a_short_file_ends_its_reading_with_its_records(tmp_path, monkeypatch, lines,
                                                        compress, rows):
    name = "r.csv.gz" if compress else "r.csv"
    result, calls = recorded_load(tmp_path, write(tmp_path, name, lines, compress),
                                  monkeypatch)
    assert result.outcome == "loaded"
    stages = [c[:3] for c in calls]
    assert stages[0] == (READING[0], "progress.reading", None)
    assert (READING[1], "progress.reading", rows) in stages
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    assert stages[-1] == (1.0, "progress.done", None)
    # every stage is one the progress line has words for (t gives an unknown key back as is)
    assert all(t(stage, "en") != stage for stage in {c[1] for c in calls}), calls


def test_an_empty_file_reports_no_progress(tmp_path, monkeypatch):
    result, calls = recorded_load(tmp_path, write(tmp_path, "r.csv", b""), monkeypatch)
    assert result.outcome == "failed" and calls == []


def test_a_failing_progress_callback_stops_the_read(big_files, tmp_path, monkeypatch):
    """Streamlit stops a script by raising in its next call (the progress bar): the read is
    interrupted, the connection is free and nothing is stored."""
    monkeypatch.setattr(read_progress, "POLL_S", 0.02)

    class Stopped(Exception):
        pass

    def stop_while_reading(fraction, stage, rows=None):
        if stage == "progress.reading" and fraction > READING[0]:
            raise Stopped

    with db.connect(tmp_path / "p.duckdb") as conn:
        with pytest.raises(Stopped):
            ingest_file(conn, big_files["gzip"], progress=stop_while_reading)
        assert conn.execute("SELECT count(*) FROM receipts").fetchall() == [(0,)]
        assert ingest_file(conn, big_files["gzip"]).counts.loaded == ROWS["gzip"]


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
    assert main(["ingest", str(path), "--db", str(tmp_path / "t.duckdb"), "--lang", "en"]) == 0
    assert "r.csv: reading and validating · 5 %" in terminal.getvalue()
    assert "r.csv: reading and validating · 1 row · 70 %" in terminal.getvalue()
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


def upload_script(path: str) -> None:
    """An admin uploads one file on the data quality page (what ui.load_uploads is given)."""
    from pathlib import Path

    from dashboard.web import ui

    class Upload:
        name = Path(path).name
        size = Path(path).stat().st_size

        def getvalue(self) -> bytes:
            return Path(path).read_bytes()

    ui.load_uploads([Upload()], None)


def test_the_apps_progress_bar_is_drawn_from_the_script_thread(big_files, tmp_path,
                                                                 monkeypatch):
    """The read runs on a helper thread; every progress call comes on the script's own
    thread, with its run context (Streamlit drops a call from another thread)."""
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.testing.v1 import AppTest

    calls = []

    class Recording(Clock):
        def __call__(self, fraction, stage, rows=None):
            calls.append((fraction, stage, rows, get_script_run_ctx() is not None,
                          threading.current_thread().name))
            super().__call__(fraction, stage, rows)

    monkeypatch.setattr(progress, "Clock", Recording)
    monkeypatch.setattr(read_progress, "POLL_S", 0.02)
    monkeypatch.setenv("PEMILU_DB", str(tmp_path / "app.duckdb"))
    monkeypatch.delenv("PEMILU_ACCESS", raising=False)
    st.cache_data.clear()
    at = AppTest.from_function(upload_script, args=(str(big_files["gzip"]),),
                               default_timeout=120)
    at.run()
    assert not at.exception
    assert len(at.success) == 1 and not at.error
    assert all(c[3] for c in calls)  # every call had the script's context
    assert len({c[4] for c in calls}) == 1  # one thread: the script's
    reading = {c[0] for c in calls if c[1] == "progress.reading"}
    assert len({f for f in reading if READING[0] < f < READING[1]}) >= STEPS["gzip"]
    assert calls[-1][:2] == (1.0, "progress.done")


@pytest.mark.parametrize("grace_s, may_fail", [(snapshots.PROBE_GRACE_S, False), (0.0, True)])
def test_a_probe_of_the_lock_never_turns_away_a_writer_that_may_not_wait(
        tmp_path, monkeypatch, grace_s, may_fail):
    """The app's sidebar asks writer_active every rerun, which takes the lock for an instant; a
    load with PEMILU_WRITE_WAIT=0 that came in that instant was refused (seen in CI). Without
    the grace (second case) the same loop must be refused at least once: the test can tell."""
    monkeypatch.setattr(snapshots, "PROBE_GRACE_S", grace_s)
    path = tmp_path / "s.duckdb"
    stop = threading.Event()

    def probe() -> None:
        while not stop.is_set():
            snapshots.writer_active(path)

    # threads swap often, so the probe's instant and the writer's attempt meet: under a busy
    # CI the default 5 ms switch interval let 3,000 attempts pass without one meeting (the
    # control case failed, 7 Dec 2026); the control case also tries up to 10 s for one
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    prober = threading.Thread(target=probe)
    prober.start()
    refused = attempts = 0
    deadline = time.monotonic() + 10
    try:
        while attempts < 3000 or (may_fail and not refused and time.monotonic() < deadline):
            attempts += 1
            try:
                with snapshots.write_lock(path, wait_s=0):
                    pass
            except snapshots.WriterBusy:
                refused += 1
    finally:
        stop.set()
        prober.join()
        sys.setswitchinterval(switch)
    assert (refused > 0) if may_fail else (refused == 0), (refused, attempts)
