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
    january = sum(tr.y[0] for tr in fig.data if tr.type == "bar")
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
    fig = rate_ratio_forest(ratios, "id", k=7)
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
    axis = rate_ratio_forest(ratios, lang, k=7).layout.xaxis
    point = "," if lang == "id" else "."
    assert list(axis.ticktext) == [f"0{point}25", f"0{point}5", "1", "2", "4"]
    assert list(axis.tickvals) == [0.25, 0.5, 1, 2, 4]


@pytest.mark.parametrize("chart", [
    lambda: weekly_hoax_bars(pd.DataFrame({"week_start": [], "theme": [], "issues": []})),
    lambda: platform_mix(pd.DataFrame({"week_start": [], "platform": [], "issues": []})),
    lambda: takedown_bars(pd.DataFrame({"theme": [], "takedown_rate": [], "ci_low": [],
                                        "ci_high": []})),
    lambda: rate_ratio_forest(pd.DataFrame({"group": [], "wave_date": [], "estimate": [],
                                            "ci_low": [], "ci_high": []}), k=7),
])
def test_empty_input_gives_a_no_data_figure(chart):
    fig = chart()
    assert any("Tidak ada data" in (a.text or "") for a in fig.layout.annotations)


def register_weeks(first: str) -> pd.DataFrame:
    """One theme's weekly issues from `first` to the end of April 2024, peaking at 44."""
    weeks = pd.date_range(first, "2024-04-29", freq="W-MON")
    issues = [44 if week == pd.Timestamp("2024-02-12") else 3 for week in weeks]
    return pd.DataFrame({"week_start": weeks, "theme": "sara", "issues": issues})


@pytest.mark.parametrize(
    ("first", "opens_on", "noted"),
    [
        # the register's real span: 2023 took 75 % of the width; the view opens 4 weeks before
        # the campaign (28 Nov 2023) and says what it leaves out
        ("2023-01-16", "2023-10-30", True),
        # weeks starting shortly before the campaign: all in view, nothing to say
        ("2023-10-16", "2023-10-16", False),
        ("2023-11-27", "2023-11-27", False),
    ],
)
def test_weekly_bars_open_on_the_campaign_and_say_what_they_leave_out(first, opens_on, noted):
    weekly = register_weeks(first)
    fig = weekly_hoax_bars(weekly, "id", events=reference.election_calendar())
    view_start = pd.Timestamp(fig.layout.xaxis.range[0])
    assert pd.Timestamp(opens_on) - pd.Timedelta(7, "D") <= view_start <= pd.Timestamp(opens_on)
    # every week is still in the figure: a zoom out shows them
    assert sum(sum(tr.y) for tr in fig.data if tr.type == "bar") == weekly["issues"].sum()
    notes = [a for a in fig.layout.annotations if a.name == "focus_note"]
    assert bool(notes) == noted
    if noted:
        hidden = weekly[weekly["week_start"] < pd.Timestamp(opens_on)]["issues"].sum()
        assert f"{hidden} isu" in notes[0].text and "30 Okt 2023" in notes[0].text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_event_labels_stand_above_the_plot_and_leave_the_y_axis_to_the_bars(lang):
    fig = weekly_hoax_bars(register_weeks("2023-01-16"), lang,
                           events=reference.election_calendar())
    # bars peak at 44: the axis ends near it (it went to about 110 with the labels inside)
    assert fig.layout.yaxis.range[1] <= 44 * 1.1
    events = [a for a in fig.layout.annotations if a.name == "event"]
    assert len(events) == 9
    # above the top edge, where the dotted lines (0 to 1 in paper units) never cross them
    assert all(a.y == 1 and a.yanchor == "bottom" and a.yshift > 0 for a in events)
    assert all(s.y1 == 1 for s in fig.layout.shapes)
    # the rows fit in the top margin, under the note
    note = next(a for a in fig.layout.annotations if a.name == "focus_note")
    assert max(a.yshift for a in events) + 15 <= note.yshift
    assert fig.layout.margin.t >= note.yshift + 16


def test_press_layout_packs_event_labels_into_rows_that_do_not_overlap():
    from dashboard.export.figures import _text_width, press_figure

    fig = weekly_hoax_bars(register_weeks("2023-01-16"), "id",
                           events=reference.election_calendar())
    press = press_figure(fig, "Isu hoaks", size="social", date_text="")
    events = [a for a in press.layout.annotations if a.name == "event"]
    low, high = (pd.Timestamp(v).value for v in press.layout.xaxis.range)
    plot_w = 1080 - press.layout.margin.l - press.layout.margin.r
    rows: dict[float, list[tuple[float, float]]] = {}
    for a in events:
        x = (pd.Timestamp(a.x).value - low) / (high - low) * plot_w
        wide = _text_width(a.text, a.font.size)
        span = (x - wide, x) if a.xanchor == "right" else (x, x + wide)
        rows.setdefault(a.yshift, []).append(span)
    for spans in rows.values():
        spans.sort()
        assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:], strict=False))
    note = next(a for a in press.layout.annotations if a.name == "focus_note")
    assert note.yshift >= max(a.yshift + a.font.size for a in events)


RATIOS = pd.DataFrame({"group": ["SMS01"], "wave_date": [pd.Timestamp("2023-12-04")],
                       "estimate": [1.5], "ci_low": [0.8], "ci_high": [2.5]})


@pytest.mark.parametrize(
    ("ratios", "k", "lang", "title"),
    [
        (RATIOS, 7, "id", "Isu hoaks 7 hari sesudah vs sebelum gelombang SMS"),
        (RATIOS, 3, "id", "Isu hoaks 3 hari sesudah vs sebelum gelombang SMS"),
        (RATIOS, 14, "en", "Hoax issues 14 days after vs before each SMS wave"),
        (RATIOS.iloc[0:0], 10, "id", "Isu hoaks 10 hari sesudah vs sebelum gelombang SMS"),
    ],
)
def test_rate_ratio_title_carries_the_chosen_window(ratios, k, lang, title):
    # the title said a literal "k hari" while the slider said 7
    assert rate_ratio_forest(ratios, lang, k=k).layout.title.text == title


def test_platform_mix_writes_each_months_issue_count_over_its_bar():
    weekly = pd.DataFrame({"week_start": list(WEEKS) * 2,
                           "platform": ["Facebook"] * 3 + ["TikTok"] * 3,
                           "issues": [1, 1, 2, 1, 3, 0]})
    fig = platform_mix(weekly, "id")
    (counts,) = [tr for tr in fig.data if tr.type == "scatter" and tr.mode == "text"]
    # a 100 % bar of one or two issues read like the busy months' bars
    assert (list(counts.x), list(counts.text)) == (["Jan 2024"], ["8"])
    # what the numbers are: a legend entry in words, never the text trace's tiny "Aa"
    assert not counts.showlegend
    (key,) = [tr for tr in fig.data if tr.type == "scatter" and tr.mode == "markers"]
    assert key.name == "Angka di atas batang: jumlah isu"
    assert fig.layout.yaxis.range[1] > 1.0
