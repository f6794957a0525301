"""How far a load's read of its file is, told while DuckDB reads it: one stage's share of the
progress bar filled as the statement's own percent comes in (Stretch), and the statement run
beside the caller so that the caller, not a helper thread, hears of it (while_running).
The words for it are service/progress.py's."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

POLL_S = 0.25  # how often a running statement's progress is read

T = TypeVar("T")


class Stretch:
    """One stage's share of a load, start..end, filled as the stage's own percent done comes
    in: the fraction and the rows never go back."""

    def __init__(self, start: float, end: float) -> None:
        self.start, self.end = start, end
        self.fraction = start
        self.rows: int | None = None

    def advance(self, percent: float, rows: int | None = None) -> bool:
        """Take the stage's percent done (0-100) and the rows so far; True when either moved."""
        share = min(max(percent, 0.0), 100.0) / 100
        fraction = self.start + (self.end - self.start) * share
        moved = False
        if fraction > self.fraction:
            self.fraction, moved = fraction, True
        if rows is not None and (self.rows is None or rows > self.rows):
            self.rows, moved = rows, True
        return moved


def while_running(work: Callable[[], T], tick: Callable[[], None], stop: Callable[[], None],
                  every: float | None = None) -> T:
    """work() on a helper thread while this thread calls tick() every `every` seconds
    (default POLL_S), so a progress callback runs on the thread that called: Streamlit draws
    only from the script's thread, which a DuckDB statement would block. When tick raises
    (Streamlit stopping the script, Ctrl-C), stop() and wait for work to end before raising:
    one connection never runs two things at once."""
    outcome: dict[str, object] = {}
    finished = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # raised again on the calling thread
            outcome["error"] = exc
        finally:
            finished.set()

    every = POLL_S if every is None else every
    threading.Thread(target=run, name="progress-work", daemon=True).start()
    try:
        while not finished.wait(every):
            tick()
    except BaseException:
        stop()
        finished.wait()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
