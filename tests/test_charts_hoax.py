"""Hoax charts: the right traces and values for small frames; empty input gives a 'no data'
figure, never an exception."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import reference
from dashboard.charts.hoax import (
    platform_mix,
    rate_ratio_forest,
    ratio_axis,
    takedown_bars,
    weekly_hoax_bars,
)

WEEKS = pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-15"])


def weekly_by_theme() -> pd.DataFrame:
    return pd.DataFrame({"week_start": list(WEEKS) * 2, "theme": ["sara"] * 3 + ["endorsement"] * 3,
                         "issues": [1, 0, 2, 3, 4, 0]})


def test_weekly_bars_stack_themes_and_mark_events_and_waves():
    waves = pd.DataFrame({"wave_id": ["SMS05"], "channel": ["sms"],
                          "sent_date": [pd.Timestamp("2024-01-09")]})
    fig = weekly_hoax_bars(weekly_by_theme(), "id", waves=waves,
                           events=reference.election_calendar())
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert [tr.name for tr in bars] == ["Klaim dukungan", "SARA"]
    assert sum(sum(tr.y) for tr in bars) == 10
    assert fig.layout.barmode == "stack"
    # D3 (7 Jan) and D4 (21 Jan) fall inside the three weeks shown
    assert {a.text for a in fig.layout.annotations} >= {"D3", "D4"}
    assert any(tr.name == "Gelombang SMS" for tr in fig.data)


def test_platform_mix_shares_add_up_to_one_per_month():
    weekly = pd.DataFrame({"week_start": list(WEEKS) * 2,
                           "platform": ["Facebook"] * 3 + ["TikTok"] * 3,
                           "issues": [1, 1, 2, 1, 3, 0]})
    fig = platform_mix(weekly, "en")
    january = sum(tr.y[0] for tr in fig.data)
    assert january == pytest.approx(1.0)
    assert fig.data[0].x[0] == "Jan 2024"


def test_takedown_bars_carry_intervals():
    summary = pd.DataFrame({"theme": ["sara", "endorsement"], "takedown_rate": [0.4, 0.6],
                            "ci_low": [0.3, 0.5], "ci_high": [0.5, 0.7],
                            "content_items": [10, 20]})
    fig = takedown_bars(summary, "id")
    bar = fig.data[0]
    assert list(bar.x) == [0.4, 0.6]
    assert list(bar.error_x.array) == pytest.approx([0.1, 0.1])


def test_rate_ratio_forest_has_a_reference_line_at_one():
    ratios = pd.DataFrame({"group": ["SMS01", "all_waves"],
                           "wave_date": [pd.Timestamp("2023-12-04"), pd.NaT],
                           "estimate": [1.5, 1.1], "ci_low": [0.8, 0.9], "ci_high": [2.5, 1.3]})
    fig = rate_ratio_forest(ratios, "id")
    assert list(fig.data[0].y) == ["4 Des 2023", "Semua gelombang"]
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.shapes[0].x0 == 1


@pytest.mark.parametrize(
    ("low", "high", "lang", "labels"),
    [
        (0.3, 3.5, "id", ["0,25", "0,5", "1", "2", "4"]),
        (0.3, 3.5, "en", ["0.25", "0.5", "1", "2", "4"]),
        (0.8, 1.3, "id", ["0,5", "1", "2"]),
        (1.5, 5.0, "id", ["1", "2", "4", "8"]),  # 1, the reference line, always on the axis
        (0.05, 12.0, "id", ["0,1", "1", "10"]),  # wide: powers of ten, at most seven ticks
        (0.001, 1000.0, "id", ["0,001", "0,01", "0,1", "1", "10", "100", "1.000"]),
    ],
)
def test_ratio_axis_labels_are_readable_numbers(low, high, lang, labels):
    axis = ratio_axis(low, high, lang)
    assert axis["ticktext"] == labels
    assert len(axis["tickvals"]) == len(labels)
    assert 10 ** axis["range"][0] < low and 10 ** axis["range"][1] > high


@pytest.mark.parametrize("lang", ["id", "en"])
def test_rate_ratio_forest_writes_its_own_log_ticks(lang):
    ratios = pd.DataFrame({"group": ["SMS01", "SMS02", "all_waves"],
                           "wave_date": [pd.Timestamp("2023-12-04"),
                                         pd.Timestamp("2023-12-11"), pd.NaT],
                           "estimate": [1.5, 0.6, 1.1], "ci_low": [0.8, 0.3, 0.9],
                           "ci_high": [3.4, 1.2, 1.3]})
    axis = rate_ratio_forest(ratios, lang).layout.xaxis
    point = "," if lang == "id" else "."
    assert list(axis.ticktext) == [f"0{point}25", f"0{point}5", "1", "2", "4"]
    assert list(axis.tickvals) == [0.25, 0.5, 1, 2, 4]


@pytest.mark.parametrize("chart", [
    lambda: weekly_hoax_bars(pd.DataFrame({"week_start": [], "theme": [], "issues": []})),
    lambda: platform_mix(pd.DataFrame({"week_start": [], "platform": [], "issues": []})),
    lambda: takedown_bars(pd.DataFrame({"theme": [], "takedown_rate": [], "ci_low": [],
                                        "ci_high": []})),
    lambda: rate_ratio_forest(pd.DataFrame({"group": [], "wave_date": [], "estimate": [],
                                            "ci_low": [], "ci_high": []})),
])
def test_empty_input_gives_a_no_data_figure(chart):
    fig = chart()
    assert any("Tidak ada data" in (a.text or "") for a in fig.layout.annotations)
