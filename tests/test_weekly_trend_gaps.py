"""A week without sends inside the weekly trend's range is a zero bar on every output (visual
review item 11: the press figure left out 2024-W01 and joined W52 to W02 with no gap, while
the web chart and the brief showed it at 0)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import brief, weekly
from dashboard.reports.figures_registry import weekly_trend_figure
from dashboard.store import db
from tests.conftest import HEADER, receipt, write

# sends in 2023-W52 (28 Dec) and 2024-W02 (9 Jan, one failed); none in 2024-W01
RECEIPTS = [receipt("A1", submitted="2023-12-28 10:00:00", done="2023-12-28 10:00:30"),
            receipt("A2", msisdn="081234567891", submitted="2024-01-09 10:00:00",
                    done="2024-01-09 10:00:30"),
            receipt("A3", msisdn="081234567892", status="UNDELIV", error="027",
                    submitted="2024-01-09 10:00:00", done="2024-01-09 10:00:30")]


@pytest.fixture
def gap(conn, tmp_path):
    assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *RECEIPTS])).ok
    return conn


# (case, filters, weeks of the trend with (sent, delivered))
CASES = [
    ("no period", Filters(),
     {"2023-W52": (1, 1), "2024-W01": (0, 0), "2024-W02": (2, 1)}),
    ("a period ending after the last send", Filters(date_to=dt.date(2024, 1, 21)),
     {"2023-W52": (1, 1), "2024-W01": (0, 0), "2024-W02": (2, 1), "2024-W03": (0, 0)}),
    ("a period from the empty week", Filters(date_from=dt.date(2024, 1, 1)),
     {"2024-W02": (2, 1)}),  # weeks from the first send within the period
    ("a period before any send", Filters(date_to=dt.date(2023, 12, 1)), {}),
]


@pytest.mark.parametrize(("filters", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_the_weekly_mart_has_every_week_of_its_range(gap, filters, expected):
    trend = db.run(gap, "marts/weekly_reach", **filters.params())
    assert {w: (s, d) for w, s, d in trend[["iso_week", "sent", "delivered"]].itertuples(
        index=False)} == expected
    # every week starts on its Monday, an empty one too
    assert all(pd_day.weekday() == 0 for pd_day in trend["week_start"])


def _bars(figure) -> dict[str, float]:
    spec = json.loads(figure.to_json())
    bars = next(trace for trace in spec["data"] if trace["type"] == "bar")
    weeks = [text.split("<br>")[0] for text in bars["hovertemplate"]]
    return dict(zip(weeks, [float(v) for v in _values(bars["y"])], strict=True))


def _values(y: object) -> list[float]:
    if isinstance(y, dict):  # plotly's binary encoding of an array
        import base64

        import numpy as np
        return list(np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]))
    return list(y)


def test_the_press_figure_and_the_brief_show_the_empty_week_alike(gap):
    press = _bars(weekly_trend_figure(gap, Filters(date_to=dt.date(2024, 1, 14)), "id"))
    assert press == {"2023-W52": 1.0, "2024-W01": 0.0, "2024-W02": 1.0}
    summary = weekly.weekly_summary(gap, "2024-W02", "id")
    assert _bars(brief.weekly_trend_chart(brief.trend_frame(summary), "2024-W02", "id")
                 ) == press
