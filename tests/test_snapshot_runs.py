"""The app reads published snapshots (dashboard/store/snapshots.py): one page run reads one
snapshot, whatever is published while it draws, and every cached result is keyed by the
snapshot it was read from (not by max(ingest_id): a restore winds it back, so the load after
it would reuse the key of the history it replaced)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.ingest import ingest_file
from dashboard.reports import tables
from dashboard.store import backup, db
from dashboard.web import ui
from tests.conftest import HEADER, receipt, write

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py")


def _load(path: Path, folder: Path, name: str, count: int, day: int) -> None:
    """Load a receipts file of `count` sends on 2024-01-<day> (published when it closes)."""
    lines = [HEADER] + [receipt(f"{name}{n}", msisdn=f"0812{n:08d}",
                                submitted=f"2024-01-{day:02d} 10:00:00",
                                done=f"2024-01-{day:02d} 10:00:30") for n in range(count)]
    with db.connect(path) as conn:
        assert ingest_file(conn, write(folder, f"{name}.csv", lines)).outcome == "loaded"


@pytest.fixture
def live(tmp_path, monkeypatch):
    """Files a (2 sends) and b (3 sends), and a backup taken between them."""
    path = tmp_path / "live.duckdb"
    _load(path, tmp_path, "a", 2, 5)
    backup.backup(path, tmp_path / "after_a.duckdb")
    _load(path, tmp_path, "b", 3, 6)
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()


def test_a_load_published_while_a_page_runs_shows_whole_on_the_next_run(live, tmp_path,
                                                                        monkeypatch):
    computed: dict[str, int] = {}
    original = tables.table

    def load_midway(conn, name, *args, **kwargs):  # noqa: ANN001, ANN202
        if name == "reach_wave" and not computed.get("loaded"):
            computed["loaded"] = True  # a load publishes as the page asks for its charts
            _load(live, tmp_path, "c", 10, 6)  # a day the period shown has
        frame = original(conn, name, *args, **kwargs)
        computed.setdefault(name, int(frame["sent"].sum()) if "sent" in frame else -1)
        return frame

    monkeypatch.setattr(tables, "table", load_midway)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert computed["loaded"]
    sent = {m.label: m.value for m in at.metric}["Terkirim"]
    assert (sent, computed["reach_wave"], computed["reach_daily"]) == ("5", 5, 5)
    at.run()  # the next run reads the snapshot the load published
    assert {m.label: m.value for m in at.metric}["Terkirim"] == "15"


def _restore_then_load(path: Path, folder: Path) -> int:
    backup.restore(path, folder / "after_a.duckdb")
    _load(path, folder, "c", 10, 7)  # takes the ingest id b had
    return 2 + 10


def _restore(path: Path, folder: Path) -> int:
    backup.restore(path, folder / "after_a.duckdb")
    return 2


CHANGES = {"restore of an older backup, then a load": _restore_then_load,
           "restore of an older backup": _restore}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_cached_results_follow_every_change_of_the_database(live, tmp_path, change):
    assert ui.table("reach_totals").iloc[0]["sent"] == 5  # cached under this state's key
    before = ui.data_version()
    sent = change(live, tmp_path)
    assert ui.data_version() != before
    assert ui.table("reach_totals").iloc[0]["sent"] == sent


def test_a_finished_run_keeps_no_snapshot_open(live):
    """Publishing deletes older snapshots: an idle session holding one open would keep its
    disk space taken."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert ui.RUN_SNAPSHOT not in at.session_state
