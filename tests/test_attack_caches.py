"""Issue 13, finding 10a: the app's result caches are bounded.

Every distinct filter (a URL can carry any) adds a cached result of about 85 KB; without a
bound, a visitor stepping through filters grows the server without limit. Each cache is filled
with many distinct keys (the computation replaced by a counter) and must keep at most its
bound: asking again for every key recomputes all but at most that many.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
import streamlit as st

from dashboard.filters import Filters
from dashboard.reports import tables
from dashboard.web import ui

KEYS = 400  # distinct filters asked for, well past every bound


def hoax(i: int) -> object:
    return ui._hoax("register", Filters(waves=(f"W{i}",)), 1)


def hoax_tests(i: int) -> object:
    return ui._hoax("tests", Filters(waves=(f"W{i}",)), 1, 7)


def participation(i: int) -> object:
    return ui._participation("tests", Filters(waves=(f"W{i}",)), 1, True)


def survey(i: int) -> object:
    return ui._participation("survey", Filters(provinces=(i,)), 1)


def named_query(i: int) -> object:
    return ui._cached_query("marts/rejects_recent", 1, (("ingest_id", i), ("limit", 1000)))


def table(i: int) -> object:
    return ui._cached_table("reach_operator", Filters(waves=(f"W{i}",)), 1)


# (cache, one distinct request per i, the most results it may keep)
CACHES: list[tuple[str, Callable[[int], object], int]] = [
    ("hoax register", hoax, 64),
    ("hoax tests", hoax_tests, 64),  # the same cache as the register
    ("participation", participation, 64),
    ("survey", survey, 64),
    ("named queries", named_query, 128),
    ("reach tables", table, 256),
]


@pytest.mark.parametrize(("case", "ask", "bound"), CACHES, ids=[c[0] for c in CACHES])
def test_a_result_cache_keeps_at_most_its_bound(monkeypatch, case, ask, bound):
    computed = []

    def compute(*args: object, **kwargs: object) -> pd.DataFrame:
        computed.append(1)
        return pd.DataFrame({"x": [len(computed)]})

    monkeypatch.setattr(ui, "cursor", lambda: None)
    for name in ("hoax_register", "hoax_weekly", "hoax_tests", "participation_provinces",
                 "participation_tests", "survey_tests", "table"):
        monkeypatch.setattr(tables, name, compute)
    monkeypatch.setattr(ui.db, "run", compute)
    st.cache_data.clear()
    try:
        for i in range(KEYS):
            ask(i)
        assert len(computed) == KEYS
        ask(KEYS - 1)  # the latest result is kept: the cache still works
        assert len(computed) == KEYS
        for i in range(KEYS):
            ask(i)
        still_cached = 2 * KEYS - len(computed)
        assert still_cached <= bound, f"{case}: {still_cached} results kept"
    finally:
        st.cache_data.clear()
