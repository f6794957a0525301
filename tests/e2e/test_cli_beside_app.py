"""End-to-end: every CLI command runs against the database of a serving app (issue 16).

Before, the app held DuckDB's single write lock, so `ingest`, `export`, `brief` and `figure`
all stopped with "database ... in use by another process". Now the app reads published
snapshots (dashboard/store/snapshots.py). Here the real server serves ten browser tabs (one
context each: ten Streamlit sessions) reading the overview, while the CLI loads a file,
verifies it, exports a table, writes a brief and a figure against the same database file:
every command succeeds, no tab shows an error, every "Terkirim" KPI is the total before or
after the load, and after it every tab shows the new total. A CLI load killed at any moment,
and a server killed during a CLI load: tests/e2e/test_killed_loads.py.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api",
                    reason="playwright is not installed (pip install -r requirements-dev.txt)")

from playwright.sync_api import Browser, Page  # noqa: E402

from tests.e2e.conftest import (  # noqa: E402
    REPO_ROOT,
    _server_env,
    build_sample_db,
    chromium_executable,
    running_server,
)

if chromium_executable() is None:
    pytest.skip("no Chromium on PATH or at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)

from tests.e2e.test_browser import metric_value, wait_until_rendered  # noqa: E402
from tests.e2e.test_concurrent_sessions import errors_in, write_receipts  # noqa: E402

SESSIONS = 10
ROWS = 300_000  # long enough to overlap the tabs' reads, short enough for CI


def cli(db_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dashboard", *args, "--db", str(db_path)],
                            cwd=REPO_ROOT, env=_server_env(db_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def finished(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, (out + err)[-2000:]


def sent_shown(tab: Page, url: str) -> int:
    """The overview's Terkirim KPI (36.620 -> 36620), checking the tab shows no error."""
    tab.goto(f"{url}/ringkasan")
    wait_until_rendered(tab, "Ringkasan")
    errors = errors_in(tab)
    assert not errors, errors
    return int(metric_value(tab, "Terkirim").inner_text().strip().replace(".", ""))


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Path]]:
    folder = tmp_path_factory.mktemp("e2e_cli_beside_app")
    db_path = build_sample_db(folder)
    big = folder / "receipts_cli_beside_app.csv.gz"
    write_receipts(big, ROWS)
    with running_server(db_path) as url:
        yield db_path, url, big


@pytest.fixture
def tabs(browser: Browser) -> Iterator[list[Page]]:
    contexts = [browser.new_context(viewport={"width": 1440, "height": 2000})
                for _ in range(SESSIONS)]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def test_every_cli_command_runs_while_ten_sessions_read(setup, tabs, tmp_path):
    db_path, url, big = setup
    before = sent_shown(tabs[0], url)
    load = cli(db_path, "ingest", str(big))
    readers = [
        cli(db_path, "export", "reach_operator", "--out", str(tmp_path / "ops.csv")),
        cli(db_path, "brief", "--week", "2024-W06", "--format", "html",
            "--out", str(tmp_path / "brief.html")),
        cli(db_path, "figure", "wave_trend", "--format", "html",
            "--out", str(tmp_path / "wave.html")),
    ]
    seen: list[tuple[int, bool]] = []
    while load.poll() is None:
        for tab in tabs:
            seen.append((sent_shown(tab, url), load.poll() is not None))
    code, output = finished(load)
    assert code == 0, output
    assert f"{ROWS} loaded" in output.replace(",", ""), output
    for process in readers:
        code, output = finished(process)
        assert code == 0, output
    for name in ("ops.csv", "brief.html", "wave.html"):
        assert (tmp_path / name).stat().st_size > 0, name
    code, output = finished(cli(db_path, "verify", str(big)))
    assert code == 0, output
    after = before + ROWS
    assert {value for value, _ in seen} <= {before, after}, seen
    assert any(value == before for value, _ in seen), "no read overlapped the load"
    for tab in tabs:  # a page run after the load reads the new snapshot
        assert sent_shown(tab, url) == after


def test_the_service_commands_run_beside_the_app(setup, tabs, tmp_path, request):
    """The scheduled side of the service (issue 16) beside ten reading sessions, while a load
    runs: watch, deliver (through a real local SMTP server), alerts, backup, lake; then, after
    the load, retention (the pages keep their numbers), restore of the backup (the app moves
    to what the backup holds) and init. Every tab shows a whole state and no error."""
    db_path, url, _ = setup
    inbox = request.getfixturevalue("smtp")  # before the commands: they read its settings
    before = sent_shown(tabs[0], url)
    extra = tmp_path / "receipts_service_load.csv.gz"
    write_receipts(extra, ROWS, prefix="E2E-SERVICE-")
    drop = tmp_path / "drop"
    drop.mkdir()
    dropped = drop / "receipts_dropped.csv.gz"
    write_receipts(dropped, 1_000, prefix="E2E-DROPPED-")
    load = cli(db_path, "ingest", str(extra))
    side = {
        "watch": cli(db_path, "watch", str(drop), "--once", "--settle", "0"),
        "deliver": cli(db_path, "deliver", "--week", "2024-W06", "--to", "menteri@example.go.id"),
        "alerts": cli(db_path, "alerts"),
        "backup": cli(db_path, "backup", str(tmp_path / "backup.duckdb")),
        "lake": cli(db_path, "lake", "--out", str(tmp_path / "lake")),
    }
    seen: set[int] = set()
    while load.poll() is None or any(p.poll() is None for p in side.values()):
        for tab in tabs:
            seen.add(sent_shown(tab, url))
    code, output = finished(load)
    assert code == 0, output
    for name, process in side.items():
        code, output = finished(process)
        assert code == 0, f"{name}: {output}"
    assert (drop / "loaded" / dropped.name).exists()
    assert len(inbox.messages) == 1
    assert any(p.get_content_type() == "application/pdf" for p in inbox.messages[0].walk())
    after = before + ROWS + 1_000
    # the watcher's load and ours each publish a whole state, in either order
    assert seen <= {before, before + ROWS, before + 1_000, after}, seen
    assert sent_shown(tabs[1], url) == after

    code, output = finished(cli(db_path, "retention", "--days", "30", "--today", "2030-01-01"))
    assert code == 0, output
    for tab in tabs[:3]:  # receipts deleted, rollups kept: the same numbers
        assert sent_shown(tab, url) == after

    code, output = finished(cli(db_path, "restore", str(tmp_path / "backup.duckdb")))
    assert code == 0, output
    restored = sent_shown(tabs[2], url)
    assert restored in {before, before + ROWS, before + 1_000, after}, restored
    code, output = finished(cli(db_path, "init"))
    assert code == 0, output
    for tab in tabs:
        assert sent_shown(tab, url) == restored
