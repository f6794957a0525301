"""The campaign's clock: Western Indonesia Time (WIB, UTC+7, no daylight saving).

Send days, ISO weeks, retention cut-offs and the dates on exports are WIB days; the machine's
own zone (UTC on most servers) is seven hours behind, so between 00:00 and 07:00 WIB its date
is the day before. Every "today" of the dashboard comes from here.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def now_utc() -> dt.datetime:
    """The current instant (a function, so tests can set the clock)."""
    return dt.datetime.now(dt.UTC)


def today_wib(now: dt.datetime | None = None) -> dt.date:
    """The WIB calendar day of `now` (default: the current instant; a naive time is UTC)."""
    instant = now or now_utc()
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(WIB).date()
