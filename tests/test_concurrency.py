"""Ten sessions keep reading while a file loads.

DuckDB lets one process write a database file and then no other open it, so the app holds
no write handle: it reads the newest published snapshot, and a load (the app's upload, a CLI
ingest) writes the file itself and publishes a new snapshot when it has committed
(dashboard/store/snapshots.py). Here ten threads run the queries the pages run, each view
through ui.connection() as a page rerun does, while a large file loads through a writer:
no query errs, every figure is the state before or the state after the file, never a
mixture, and once the load is published every view shows the state after. (AppTest cannot
run sessions on threads: it owns a process-wide runtime; tests/e2e has the same check with
real browser sessions and CLI processes against the server.)
"""

from __future__ import annotations

import threading

import pytest
import streamlit as st

from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import tables
from dashboard.store import db
from dashboard.web import ui
from tests.conftest import HEADER, receipt, write

SESSIONS = 10
OPERATORS = {"telkomsel": "0812", "indosat": "0815", "xl": "0817", "smartfren": "0881"}


def _receipts(prefix: str, rows: int, day: int) -> list[str]:
    lines = [HEADER]
    for n in range(rows):
        operator = list(OPERATORS)[n % 4]
        lines.append(receipt(f"{prefix}{n}", msisdn=f"{OPERATORS[operator]}{n:08d}",
                             operator=operator, province=str([11, 31, 32, 33][n % 4]),
                             status="UNDELIV" if n % 7 == 0 else "DELIVRD",
                             submitted=f"2024-01-{day:02d} 10:00:00",
                             done=f"2024-01-{day:02d} 10:00:30"))
    return lines


def _state(conn) -> tuple[int, int]:
    row = conn.execute("SELECT count(*), count(*) FILTER (WHERE status = 'DELIVRD') "
                       "FROM receipts").fetchall()[0]
    return int(row[0]), int(row[1])


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    path = tmp_path / "concurrent.duckdb"
    with db.connect(path) as conn:
        ingest_file(conn, write(tmp_path, "first.csv", _receipts("A", 20_000, 2)))
    big = write(tmp_path, "second.csv", _receipts("B", 400_000, 3))
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path, big
    st.cache_resource.clear()
    st.cache_data.clear()


PAGE_TABLES = ("reach_totals", "reach_operator", "reach_province", "reach_wave",
               "reach_daily", "error_codes")


def _render(cursor) -> dict[str, tuple[int, int]]:
    """What one page view reads: (sent, delivered) summed over each table's rows."""
    shown = {}
    for name in PAGE_TABLES:
        frame = tables.table(cursor, name, Filters())
        if "delivered" in frame.columns:
            shown[name] = (int(frame["sent"].sum()), int(frame["delivered"].sum()))
    return shown


def test_ten_sessions_keep_reading_consistent_numbers_during_an_ingest(app_db):
    path, big = app_db
    before = _state(ui.connection().cursor())
    ingest_done = threading.Event()
    seen: list[tuple[str, tuple[int, int], bool]] = []  # (table, figures, load finished)
    errors: list[str] = []
    lock = threading.Lock()
    outcome: dict[str, object] = {}

    def load() -> None:
        try:
            with db.connect(path) as writer:  # as the upload page and the CLI load
                outcome["result"] = ingest_file(writer, big)
        except Exception as exc:  # noqa: BLE001  reported by the assertions below
            outcome["error"] = repr(exc)
        finally:
            ingest_done.set()

    def session(number: int) -> None:
        try:
            while True:
                finished = ingest_done.is_set()
                shown = _render(ui.cursor())  # a rerun: the newest snapshot's cursor
                with lock:
                    seen.extend((name, figures, finished) for name, figures in shown.items())
                if finished:
                    return
        except Exception as exc:  # noqa: BLE001
            with lock:
                errors.append(f"session {number}: {exc!r}")

    loader = threading.Thread(target=load)
    readers = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for thread in readers:
        thread.start()
    loader.start()
    for thread in [loader, *readers]:
        thread.join(timeout=300)

    assert not errors, errors
    assert "error" not in outcome, outcome
    assert outcome["result"].counts.loaded == 400_000, outcome["result"].summary()
    after = _state(ui.connection().cursor())
    assert after == (before[0] + 400_000, before[1] + 400_000 - len(range(0, 400_000, 7)))
    mixed = {(name, figures) for name, figures, _ in seen if figures not in (before, after)}
    assert not mixed, f"a session saw a state that is neither before nor after: {mixed}"
    during = [s for s in seen if not s[2] and s[1] == before]
    assert len(during) >= SESSIONS, f"only {len(during)} reads overlapped the load"
    assert all(figures == after for _, figures, finished in seen if finished)
