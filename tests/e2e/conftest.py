"""Fixtures for the browser tests: a fresh sample database, the real Streamlit server on a
free port, and one headless Chromium for the session (Debian's, never a Playwright download).
A test that changes the data starts a server of its own (build_sample_db, running_server)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "e2e"
SERVER_START_TIMEOUT_S = 60
SECRET = "test-secret"


def chromium_executable() -> str | None:
    """The system Chromium, or None when it is not installed."""
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return found if os.access(found, os.X_OK) else None


@dataclass(frozen=True)
class SampleFacts:
    """Numbers counted straight from the receipts table, to compare the pages against."""

    sent_by_operator: dict[str, int]
    sent_by_wave: dict[str, int]


@dataclass(frozen=True)
class Server:
    url: str
    facts: SampleFacts


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _count_receipts(db_path: Path) -> SampleFacts:
    # Read before the server starts: once it runs, it holds DuckDB's single-writer lock.
    with duckdb.connect(str(db_path), read_only=True) as conn:
        by_operator = conn.execute(
            "SELECT operator, count(*) FROM receipts GROUP BY operator").fetchall()
        by_wave = conn.execute(
            "SELECT wave_id, count(*) FROM receipts GROUP BY wave_id").fetchall()
    return SampleFacts(dict(by_operator), dict(by_wave))


def _health(url: str) -> str | None:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip()
    except (urllib.error.URLError, OSError):
        return None


def _wait_until_healthy(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with code {process.returncode} before answering "
                        f"{url}/_stcore/health; its output:\n{log.read_text(errors='replace')}")
        if _health(url) == "ok":
            return
        time.sleep(0.25)
    pytest.fail(f"streamlit did not answer 'ok' on {url}/_stcore/health within "
                f"{SERVER_START_TIMEOUT_S} s; its output:\n{log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen) -> None:
    # The server has its own process group, so Kaleido's Chromium (started for the PNG
    # export) goes with it.
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _server_env(db_path: Path) -> dict[str, str]:
    env = {**os.environ, "PEMILU_SECRET": SECRET, "PEMILU_DB": str(db_path)}
    env.pop("PEMILU_ENV", None)
    return env


def build_sample_db(folder: Path) -> Path:
    """A fresh sample database in folder (`init --sample`)."""
    db_path = folder / "pemilu.duckdb"
    built = subprocess.run([sys.executable, "-m", "dashboard", "init", "--sample", "--db",
                            str(db_path)], cwd=REPO_ROOT, env=_server_env(db_path),
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, f"init --sample failed:\n{built.stdout}\n{built.stderr}"
    return db_path


@contextmanager
def running_server(db_path: Path) -> Iterator[str]:
    """The real Streamlit server on db_path and a free port, until the block ends; its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = db_path.parent / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "dashboard/web/app.py",
               "--server.headless", "true", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               # others edit the sources while the tests run; a "source changed" prompt
               # would make the page checks flaky
               "--server.fileWatcherType", "none"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=_server_env(db_path),
                                   stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        _wait_until_healthy(process, url, log)
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db_path = build_sample_db(tmp_path_factory.mktemp("e2e"))
    facts = _count_receipts(db_path)
    with running_server(db_path) as url:
        yield Server(url, facts)


@pytest.fixture(scope="session")
def browser(chromium_browser: Browser) -> Iterator[Browser]:
    yield chromium_browser  # tests/conftest.py: one Playwright instance per session


@pytest.fixture(scope="session")
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    # one context, so the app's scripts come from the browser cache after the first page;
    # each tab still gets its own Streamlit session
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID",
                                  accept_downloads=True)
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Iterator[Page]:
    tab = browser_context.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
