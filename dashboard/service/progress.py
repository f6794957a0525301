"""A load's progress in words, with an estimate of the time left (issue 16, point 5), for the
app's progress bar and the CLI: 'reading and validating · 1,234,567 rows · 43 % · about 12 s
left'. A stage is an i18n key (progress.reading ...) or words shown as they are."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from dashboard.i18n import format_number, t

MIN_FRACTION = 0.05  # before this, the time so far says nothing about the rest
MIN_ELAPSED_S = 1.0
POLL_S = 0.25  # how often a running statement's progress is read

T = TypeVar("T")


def time_left(fraction: float, elapsed_s: float) -> float | None:
    """Seconds left if the rest goes as fast as what is done; None while too early to say."""
    if fraction < MIN_FRACTION or fraction >= 1.0 or elapsed_s < MIN_ELAPSED_S:
        return None
    return elapsed_s * (1.0 - fraction) / fraction


def describe(stage: str, fraction: float, left_s: float | None, lang: str = "id",
             rows: int | None = None) -> str:
    """'stage · 1,234 rows · 55 % · about 12 s left' (the rows and the estimate only when
    there are some)."""
    parts = [t(stage, lang)]
    if rows is not None:
        parts.append(t("progress.one_row" if rows == 1 else "progress.rows", lang,
                       rows=format_number(rows, 0, lang)))
    parts.append(f"{format_number(100 * fraction, 0, lang)} %")
    if left_s is not None:
        parts.append(t("progress.left", lang, seconds=format_number(max(left_s, 1), 0, lang)))
    return " · ".join(parts)


class Clock:
    """A progress callback (fraction, stage, rows read if known) that passes on the words,
    timed from its start."""

    def __init__(self, show: Callable[[float, str], None], lang: str = "id",
                 now: Callable[[], float] = time.monotonic) -> None:
        self._show, self._lang, self._now = show, lang, now
        self._start = now()

    def __call__(self, fraction: float, stage: str, rows: int | None = None) -> None:
        left = time_left(fraction, self._now() - self._start)
        self._show(fraction, describe(stage, fraction, left, self._lang, rows))


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
