"""A drop folder for the operators' files (issue 16): `python -m dashboard watch FOLDER` loads
every new complete file once.

- complete: not hidden or named *.part/*.partial/*.tmp/*.filepart (how uploaders write), and
  unchanged for `settle` seconds (its modification time at least that old), so a file still
  being copied in is left for a later pass;
- loaded (or already loaded: the same file twice changes nothing) -> FOLDER/loaded/;
- failed -> FOLDER/failed/, with FOLDER/failed/NAME.reason.txt saying why;
- one log line per file. Each file is loaded through its own writer connection, so the app
  and other commands keep working beside the watcher (dashboard/store/snapshots.py).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard.ingest import ingest_file
from dashboard.ingest.privacy import mask_phone_numbers
from dashboard.store import db

LOADED, FAILED = "loaded", "failed"
IN_PROGRESS_SUFFIXES = (".part", ".partial", ".tmp", ".filepart", ".crdownload")
DEFAULT_SETTLE_S = 30.0
log = logging.getLogger("dashboard.watch")


@dataclass(frozen=True)
class Handled:
    name: str
    outcome: str  # loaded | already | failed
    summary: str


def complete_files(folder: Path, settle_s: float, now: float | None = None) -> list[Path]:
    """The files of folder ready to load, oldest first."""
    now = time.time() if now is None else now
    ready = []
    for entry in os.scandir(folder):
        if not entry.is_file(follow_symlinks=False) or entry.name.startswith("."):
            continue
        if entry.name.lower().endswith(IN_PROGRESS_SUFFIXES):
            continue
        if now - entry.stat().st_mtime >= settle_s:
            ready.append(Path(entry.path))
    return sorted(ready, key=lambda p: (p.stat().st_mtime, p.name))


def _move(path: Path, into: Path) -> Path:
    """path into folder `into`, never over an earlier file of the same name."""
    into.mkdir(exist_ok=True)
    target = into / path.name
    number = 1
    while target.exists():
        target = into / f"{path.stem}.{number}{path.suffix}"
        number += 1
    os.replace(path, target)
    return target


def handle(path: Path, db_path: Path) -> Handled:
    """Load one file and move it aside: into loaded/ or, with its reason, into failed/."""
    with db.connect(db_path) as conn:
        result = ingest_file(conn, path)
    summary = mask_phone_numbers(result.summary())
    if result.ok:
        _move(path, path.parent / LOADED)
        outcome = "loaded" if result.outcome == "loaded" else "already"
    else:
        moved = _move(path, path.parent / FAILED)
        moved.with_name(moved.name + ".reason.txt").write_text(summary + "\n", encoding="utf-8")
        outcome = "failed"
    log.info("%s: %s", outcome, summary)
    return Handled(path.name, outcome, summary)


def watch(folder: Path, db_path: Path, settle_s: float = DEFAULT_SETTLE_S,
          interval_s: float = 30.0, once: bool = False,
          report: Callable[[Handled], None] = lambda handled: None) -> list[Handled]:
    """Load what is ready, then (unless once) look again every interval_s seconds."""
    done: list[Handled] = []
    while True:
        for path in complete_files(folder, settle_s):
            handled = handle(path, db_path)
            report(handled)
            done.append(handled)
        if once:
            return done
        time.sleep(interval_s)
