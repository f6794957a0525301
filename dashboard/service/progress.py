"""A load's progress in words, with an estimate of the time left (issue 16, point 5), for the
app's progress bar and the CLI: 'reading and validating · 1,234,567 rows · 43 % · about 12 s
left'. A stage is an i18n key (progress.reading ...) or words shown as they are."""

from __future__ import annotations

import time
from collections.abc import Callable

from dashboard.i18n import format_number, t

MIN_FRACTION = 0.05  # before this, the time so far says nothing about the rest
MIN_ELAPSED_S = 1.0


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
