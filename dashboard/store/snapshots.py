"""One database, many processes (issue 16): writers take turns on the database file; readers
open a published snapshot of it.

DuckDB lets one process open a database file for writing, and then no other process may open
it at all (https://duckdb.org/docs/stable/connect/concurrency). So the app never keeps the
file open. A writer (CLI ingest, the watcher, an upload on the app's Kualitas data page)
takes an exclusive lock on `<db>.lock`, writes, checkpoints and closes, and then publishes a
copy of the closed file as `<db>.snapshots/<n>.duckdb`. Readers (the app's pages, CLI
export, brief and figure) open the newest snapshot read-only, which any number of processes
may do at once; each run of an app page reads the one newest when it starts. Hence:
- a reader sees a whole load or none of it (a snapshot is copied from a closed, committed
  file, under a temporary name, then renamed into place);
- a load never waits for readers; a second writer waits for the first (`PEMILU_WRITE_WAIT`
  seconds, default 600);
- a writer killed mid-load leaves the last snapshot in place (DuckDB rolls the unfinished
  transaction back when the file is next opened), and the next writer publishes.
The price: the file is copied after each write (a few seconds per GB) and the disk holds it
twice plus the snapshot being replaced.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from dashboard import config
from dashboard.i18n import Translatable

KEEP = 2  # snapshots kept: the newest, and the one before for readers still opening it
WAIT_ENV = "PEMILU_WRITE_WAIT"
DEFAULT_WAIT_S = 600.0
# writer_active takes the lock for two system calls to see whether it is free; a writer told
# not to wait (wait 0) still retries this long, so that a probe is never taken for a writer
PROBE_GRACE_S = 0.05
_NAME = re.compile(r"^(\d{8})\.duckdb$")


class WriterBusy(Translatable, config.ConfigError):
    """Another process kept the database for writing longer than we may wait (said in the
    reader's language by the CLI and the app: store.writer_busy)."""


def folder(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".snapshots")


def latest(db_path: Path) -> Path | None:
    """The newest published snapshot of the database (None: none yet)."""
    try:
        names = sorted(n for n in os.listdir(folder(db_path)) if _NAME.match(n))
    except FileNotFoundError:
        return None
    return folder(db_path) / names[-1] if names else None


def publish(db_path: Path) -> Path:
    """Copy the closed database file into a new snapshot (the caller holds the write lock
    and has closed every connection to the file); older snapshots beyond KEEP are removed."""
    target_dir = folder(db_path)
    target_dir.mkdir(parents=True, exist_ok=True)
    current = latest(db_path)
    number = int(_NAME.match(current.name).group(1)) + 1 if current else 1
    target = target_dir / f"{number:08d}.duckdb"
    partial = target_dir / f".{number:08d}.duckdb.partial"
    shutil.copyfile(db_path, partial)
    with open(partial, "rb") as handle:  # on disk before it becomes visible
        os.fsync(handle.fileno())
    os.replace(partial, target)
    for name in sorted(os.listdir(target_dir)):
        match = _NAME.match(name)
        if (match and int(match.group(1)) <= number - KEEP) or (
                name.endswith(".partial") and name != partial.name):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target_dir / name)  # a reader that has it open keeps reading it
    return target


@contextlib.contextmanager
def write_lock(db_path: Path, wait_s: float | None = None) -> Iterator[None]:
    """Hold the database's write lock (one writing process at a time), waiting for another
    writer at most wait_s seconds (default $PEMILU_WRITE_WAIT or 600)."""
    if wait_s is None:
        value = os.environ.get(WAIT_ENV) or DEFAULT_WAIT_S
        try:
            wait_s = float(value)
        except ValueError:  # float's own message would quote the value as it is
            raise config.SettingError("setting.write_wait", env=WAIT_ENV,
                                      value=config.shown_setting(value)) from None
    lock_path = db_path.with_name(db_path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        deadline = time.monotonic() + max(wait_s, PROBE_GRACE_S)
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WriterBusy("store.writer_busy", path=db_path,
                                     seconds=f"{wait_s:g}", env=WAIT_ENV) from None
                time.sleep(min(0.1, max(left, 0.001) / 5))
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def writer_active(db_path: Path) -> bool:
    """Whether a process (this one included) holds the write lock now: a load is running."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    try:
        handle = open(lock_path, "rb")  # noqa: SIM115  closed below
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False
