"""End-to-end: a CLI load killed at any moment leaves the app serving the state before it, and
its rerun loads the file (issue 16's "done when"); a server killed during a CLI load loses
nothing.

The app reads published snapshots (dashboard/store/snapshots.py); a CLI writer holds
`<db>.lock`, writes the file, and on closing checkpoints it and publishes a copy. Here two
uninterrupted loads of files of the same size are timed first (from the write lock seen taken
to the process gone; the shorter counts); then loads of one file are killed (SIGKILL to the
process group) at ten evenly spread fractions of that time, once when the load prints
"writing", and once while the snapshot is being published (when the temporary
`.NNNNNNNN.duckdb.partial` appears). The CLI runs on a pseudo-terminal, as an operator runs
it, so it prints its stages (cli._progress_line) and its summary, and each kill is placed by
what the killed process had printed and left on disk:

- opening: the lock is held, no stage printed yet (opening the file, schema checks);
- reading: "reading and validating" (the file read into temp tables);
- storing: "matching ...", "writing", "updating rollups", "done" (inside the transaction);
- checkpointing: the summary printed (committed), no snapshot copy begun;
- publishing: the partial copy being written, not yet renamed into place;
- published: the new snapshot in place (killed releasing the lock or exiting): not a mid-load
  kill, nor is "finished" (the load had ended before the signal).

After every kill the reader view (db.connect(read_only=True): the app's own code path, the
newest snapshot) shows the total before the load, or after it when the kill came after the
snapshot was published; the write lock is free; stray partial copies do not stop an open; the
database opens for writing. A kill after the commit and before the publish leaves the file
loaded and the readers on the state before until the next writer publishes: the product's
answer is that the next writer (here the read-write check, then the rerun) publishes it, and
the rerun says "already loaded" and changes nothing; later kills then use a fresh file. At the
end the rerun of the killed file loads it once, `verify` passes and a browser tab of the real
server shows the new total (after the kills it still showed the old one).
"""

from __future__ import annotations

import contextlib
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

pytest.importorskip("playwright.sync_api",
                    reason="playwright is not installed (pip install -r requirements-dev.txt)")

from playwright.sync_api import Browser, Page  # noqa: E402

from dashboard.store import db, snapshots  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    REPO_ROOT,
    SECRET,
    _health,
    _server_env,
    build_sample_db,
    chromium_executable,
    running_server,
)

if chromium_executable() is None:
    pytest.skip("no Chromium on PATH or at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)

from tests.e2e.test_cli_beside_app import cli, finished, sent_shown  # noqa: E402
from tests.e2e.test_concurrent_sessions import write_receipts  # noqa: E402

ROWS = 300_000  # a load of 1.5-3 s once the lock is held: ten kills 0.15-0.3 s apart
FRACTIONS = tuple(round((i + 0.5) / 10, 2) for i in range(10))  # 0.05, 0.15, ... 0.95
# publish copies a 30-70 MB file: tens of ms, which a busy machine may spend on other work
# before the watcher looks again; a try that misses it is recorded (each try commits its file,
# so the next takes a fresh one)
PUBLISH_TRIES = 5
START_TIMEOUT_S = 60
STAGES = {"reading and validating": "reading", "matching against stored receipts": "storing",
          "writing": "storing", "updating rollups": "storing", "done": "storing"}
STAGE = re.compile("|".join(re.escape(stage) for stage in STAGES) + "(?= · )")
MID_LOAD = ("opening", "reading", "storing", "checkpointing", "publishing")
SENT = "SELECT count(*) FROM receipts"  # the overview's "Terkirim" with no filter


class Load:
    """`ingest FILE` on a pseudo-terminal (stdout and stderr), as an operator runs it: the CLI
    then prints its stages and summary as it goes, each read here with the time it came."""

    def __init__(self, db_path: Path, file: Path) -> None:
        master, terminal = pty.openpty()
        self.process = subprocess.Popen(
            # in English: its stages and summary are read by their words (STAGES)
            [sys.executable, "-m", "dashboard", "ingest", str(file), "--db", str(db_path),
             "--lang", "en"],
            cwd=REPO_ROOT, env=_server_env(db_path), stdin=subprocess.DEVNULL, stdout=terminal,
            stderr=terminal, start_new_session=True)
        os.close(terminal)
        self._master = master
        self.chunks: list[tuple[float, str]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # EIO: the terminal's last process has ended
                return
            if not chunk:
                return
            self.chunks.append((time.monotonic(), chunk.decode(errors="replace")))

    @property
    def text(self) -> str:
        return "".join(chunk for _, chunk in self.chunks)

    def holding_lock(self, db_path: Path) -> float:
        """The moment the load is seen holding the write lock: it has begun."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while not snapshots.writer_active(db_path):
            assert self.process.poll() is None, f"the load ended before it took the lock:\n" \
                                                f"{self.text}"
            assert time.monotonic() < deadline, "the load did not take the write lock"
            time.sleep(0.005)
        return time.monotonic()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def finish(self, timeout: float = 300) -> tuple[int, str]:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=30)
        os.close(self._master)
        return code, self.text


@dataclass
class Kill:
    file: str
    moment: str  # when it was meant to come
    at: float  # seconds after the load was seen holding the lock
    phase: str  # where it came (phase_of)
    code: int
    shown: int  # the readers' total just after the kill
    partials: list[str]  # partial snapshot copies left in the snapshot folder


def reader_sent(db_path: Path) -> int:
    """The receipts stored as the app reads them: the newest snapshot, read-only."""
    with db.connect(db_path, read_only=True) as conn:
        return conn.execute(SENT).fetchall()[0][0]


def stored_sent(db_path: Path) -> int:
    """The same total in the database file itself, opened for writing as a writer does (it
    must take the lock at once; closing publishes a snapshot, as every writer's close does)."""
    with db.connect(db_path) as conn:
        return conn.execute(SENT).fetchall()[0][0]


def newest_number(db_path: Path) -> int:
    newest = snapshots.latest(db_path)
    return int(newest.name[:8]) if newest else 0


def partial_copies(db_path: Path) -> dict[str, tuple[int, int, int]]:
    """The temporary copies publish writes (`.NNNNNNNN.duckdb.partial`), by name: inode,
    modification time, size (a rewrite of one a kill left behind changes them)."""
    found = {}
    with contextlib.suppress(FileNotFoundError), os.scandir(snapshots.folder(db_path)) as it:
        for entry in it:
            if entry.name.endswith(".partial"):
                with contextlib.suppress(FileNotFoundError):
                    stat = entry.stat()
                    found[entry.name] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return found


def phase_of(code: int, text: str, db_path: Path, number_before: int,
             partials_before: dict[str, tuple[int, int, int]]) -> str:
    """Where the load was when it died, from what it printed and left on disk."""
    if code == 0:
        return "finished"
    assert code == -signal.SIGKILL, f"the load failed on its own ({code}):\n{text}"
    if newest_number(db_path) > number_before:
        return "published"
    if any(partials_before.get(name) != stat for name, stat in partial_copies(db_path).items()):
        return "publishing"
    if "rows read:" in text:
        return "checkpointing"
    stages = STAGE.findall(text)
    return STAGES[stages[-1]] if stages else "opening"


@pytest.fixture
def writer_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process opens the database as the CLI does, and a writer here must not wait."""
    monkeypatch.delenv("PEMILU_ENV", raising=False)
    monkeypatch.setenv("PEMILU_SECRET", SECRET)
    monkeypatch.setenv(snapshots.WAIT_ENV, "0")


@pytest.fixture(scope="module")
def sample_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample database built once; each test loads into a copy of its own."""
    folder = tmp_path_factory.mktemp("killed_loads_sample")
    build_sample_db(folder)
    return folder


def sample_db(sample_folder: Path, tmp_path: Path) -> Path:
    """A copy of the sample database (the file, its snapshots, its lock file) in tmp_path."""
    shutil.copytree(sample_folder, tmp_path, dirs_exist_ok=True)
    return tmp_path / "pemilu.duckdb"


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 2000})
    yield context.new_page()
    context.close()


def test_a_cli_load_killed_at_any_moment_leaves_the_app_serving_and_the_rerun_loads(
        sample_folder: Path, tmp_path: Path, writer_env: None, tab: Page) -> None:
    db_path = sample_db(sample_folder, tmp_path)
    files = iter(tmp_path / f"receipts_killed_{n}.csv.gz" for n in range(100))

    def fresh_file() -> Path:
        file = next(files)
        write_receipts(file, ROWS, prefix=f"E2E-{file.stem.upper()}-")
        return file

    with running_server(db_path) as url:
        before = reader_sent(db_path)
        # how long a load of a file of the same size runs, from the lock taken to the process
        # gone: the shorter of two (a busy machine slows one now and then)
        timings = []
        for _ in range(2):
            load = Load(db_path, fresh_file())
            lock_at = load.holding_lock(db_path)
            code, text = load.finish()
            timings.append(round(time.monotonic() - lock_at, 2))
            assert code == 0, text
            before += ROWS
            assert reader_sent(db_path) == before
        duration = min(timings)
        assert sent_shown(tab, url) == before  # the reader view is what the tab shows

        kills: list[Kill] = []
        file = fresh_file()

        def kill(moment: str, when: Callable[[Load, float], None]) -> None:
            """Load the file, kill it when `when` returns, and check what it left; a kill
            that left the file loaded is rerun now (already loaded, nothing changed) and the
            next kills take a fresh file."""
            nonlocal before, file
            load = Load(db_path, file)
            number_before, partials_before = newest_number(db_path), partial_copies(db_path)
            lock_at = load.holding_lock(db_path)
            when(load, lock_at)
            load.kill()
            at = time.monotonic() - lock_at
            code, text = load.finish()
            phase = phase_of(code, text, db_path, number_before, partials_before)
            after = before + ROWS
            shown = reader_sent(db_path)
            kills.append(Kill(file.name, moment, round(at, 2), phase, code, shown,
                              sorted(partial_copies(db_path))))
            assert shown == (after if phase in ("published", "finished") else before), kills
            with snapshots.write_lock(db_path, wait_s=0):
                pass  # free: a new writer takes it without waiting
            stored = stored_sent(db_path)  # opens for writing, then publishes
            assert stored in (before, after), (stored, kills)
            assert reader_sent(db_path) == stored
            if stored == after:
                assert phase not in ("opening", "reading"), kills
                code, text = finished(cli(db_path, "ingest", str(file), "--lang", "en"))
                assert code == 0, text
                assert "already loaded" in text and "nothing changed" in text, text
                assert reader_sent(db_path) == after, kills
                before, file = after, fresh_file()
            else:
                assert phase not in ("checkpointing", "publishing", "published"), kills

        def publishing(load: Load, lock_at: float) -> None:
            # once the load has committed (its summary printed), the partial copy is watched
            # for without a pause
            partials_before = partial_copies(db_path)
            while load.process.poll() is None and "rows read:" not in load.text:
                time.sleep(0.005)
            while load.process.poll() is None and partial_copies(db_path) == partials_before:
                pass

        def after_lock(fraction: float) -> Callable[[Load, float], None]:
            def wait(load: Load, lock_at: float) -> None:
                time.sleep(max(0.0, lock_at + fraction * duration - time.monotonic()))
            return wait

        def announced(stage: str) -> Callable[[Load, float], None]:
            def wait(load: Load, lock_at: float) -> None:
                while load.process.poll() is None and stage not in load.text:
                    time.sleep(0.005)
            return wait

        for _ in range(PUBLISH_TRIES):  # each try commits its file
            kill("publishing", publishing)
            if kills[-1].phase == "publishing":
                break
        # the late moments first: a kill after the commit loads its file, and the rerun at
        # the end must find a file killed before that
        for fraction in reversed(FRACTIONS):
            kill(f"{fraction:.2f} of {duration:.2f} s", after_lock(fraction))
        kill("'writing' printed", announced("writing"))  # the longest step of storing

        report = "\n".join([f"uninterrupted loads of {ROWS} rows: {timings} s from the lock",
                            *(f"{k.moment}: {k.phase} after {k.at} s ({k.file}, code {k.code}"
                              f", readers see {k.shown}, partial copies {k.partials})"
                              for k in kills)])
        print(report)
        by_fraction = [k for k in kills if " of " in k.moment]
        mid_load = [k for k in by_fraction if k.phase in MID_LOAD]
        assert len(mid_load) > len(by_fraction) / 2, report  # most came mid-load
        assert {"reading", "storing", "publishing"} <= {k.phase for k in kills}, report
        assert kills[-1].phase in ("opening", "reading", "storing"), report

        assert sent_shown(tab, url) == before  # the app still serves the state before

        code, text = finished(cli(db_path, "ingest", str(file), "--lang", "en"))
        assert code == 0, text
        assert f"{ROWS} loaded" in text.replace(",", ""), text
        code, text = finished(cli(db_path, "verify", str(file)))
        assert code == 0, text
        assert reader_sent(db_path) == before + ROWS
        assert not partial_copies(db_path), "the last publish left partial copies"
        assert not snapshots.writer_active(db_path)
        assert sent_shown(tab, url) == before + ROWS


def server_process(url: str) -> psutil.Process:
    """The Streamlit server running_server started for url (a child of this process)."""
    port = url.rsplit(":", 1)[1]
    found = [child for child in psutil.Process().children()
             if "streamlit" in " ".join(child.cmdline()) and port in child.cmdline()]
    assert len(found) == 1, found
    return found[0]


def test_a_server_killed_during_a_cli_load_loses_nothing(sample_folder: Path, tmp_path: Path,
                                                         tab: Page) -> None:
    db_path = sample_db(sample_folder, tmp_path)
    file = tmp_path / "receipts_server_killed.csv.gz"
    write_receipts(file, ROWS, prefix="E2E-SERVER-KILLED-")
    with running_server(db_path) as url:
        before = sent_shown(tab, url)
        server = server_process(url)
        load = Load(db_path, file)
        load.holding_lock(db_path)
        while load.process.poll() is None and not STAGE.search(load.text):
            time.sleep(0.005)
        os.killpg(server.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while _health(url) is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _health(url) is None, "the server still answers"
        assert load.process.poll() is None, "the load ended before the server was killed"
        code, text = load.finish()
    assert code == 0, text
    assert f"{ROWS} loaded" in text.replace(",", ""), text
    with running_server(db_path) as url:
        assert sent_shown(tab, url) == before + ROWS
