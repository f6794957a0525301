"""Hoax-trend charts: weekly issues by theme beside the blast calendar, the platform mix,
take-down performance and the wave rate ratios. Pure functions returning plotly figures."""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import (
    BAR_LABEL_ROOM_PX,
    LEGEND_BELOW,
    MAX_DATE_TICKS,
    MUTED_TEXT_COLOR,
    OKABE_ITO,
    PALETTE,
    SERIES_COLORS,
    apply_style,
    date_ticks,
    empty_figure,
)
from dashboard.i18n import format_date, format_number, format_percent, normalize_lang, t
from dashboard.text_safety import plotly_text

THEME_ORDER = ("endorsement", "manipulated_photo", "sara", "electoral_fraud",
               "disqualification", "term_extension", "election_conduct")
EVENT_COLORS = {"debate": "#6E6E6E", "campaign": "#6E6E6E", "quiet": OKABE_ITO["vermillion"],
                "vote": OKABE_ITO["vermillion"], "recap": "#6E6E6E"}


def theme_label(theme: str, lang: str) -> str:
    label = t(f"theme.{theme}", lang)
    return theme.replace("_", " ") if label == f"theme.{theme}" else label


def _colors(keys: list[str]) -> dict[str, str]:
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}


def weekly_hoax_bars(weekly: pd.DataFrame, lang: str = "id", *, moving_average: pd.Series
                     | None = None, waves: pd.DataFrame | None = None,
                     events: pd.DataFrame | None = None) -> go.Figure:
    """Stacked weekly bars of hoax issues by theme (columns week_start, theme, issues), a
    4-week moving average, SMS waves as ticks along the bottom and election events as labelled
    vertical lines, their labels in rows above the plot.

    With election events and weeks from long before the campaign (the register starts in
    January 2023), the x axis opens on the campaign (focus_start) and a note above the plot
    says how many issues lie before it: every week stays in the figure, a double click or a
    zoom out shows them."""
    title = t("chart.hoax_weekly.title", lang)
    if weekly is None or weekly.empty or weekly["issues"].sum() == 0:
        return empty_figure(lang, title=title)
    themes = [th for th in THEME_ORDER if th in set(weekly["theme"])]
    themes += sorted(set(weekly["theme"]) - set(themes))
    colors = _colors(themes)
    fig = go.Figure()
    for theme in themes:
        part = weekly[weekly["theme"] == theme]
        name = plotly_text(theme_label(theme, lang))
        fig.add_trace(go.Bar(
            x=part["week_start"], y=part["issues"], name=name, marker_color=colors[theme],
            hovertemplate=[f"{t('chart.week', lang)} {format_date(d, lang)}<br>{name}: "
                           f"{format_number(v, 0, lang)}<extra></extra>"
                           for d, v in zip(part["week_start"], part["issues"], strict=True)],
        ))
    totals = weekly.groupby("week_start")["issues"].sum()
    totals.index = pd.to_datetime(totals.index)
    first = pd.Timestamp(totals.index.min())
    last = pd.Timestamp(totals.index.max()) + pd.Timedelta(6, "D")
    shown_from = focus_start(first, events)
    view_from = shown_from if shown_from is not None else first
    in_view = totals[totals.index >= view_from]
    top = float(in_view.max()) if len(in_view) and in_view.max() > 0 else float(totals.max())
    if moving_average is not None and len(moving_average):
        fig.add_trace(go.Scatter(
            x=moving_average.index, y=moving_average.to_numpy(dtype=float),
            name=t("chart.moving_average", lang), mode="lines",
            line=dict(color=OKABE_ITO["black"], width=2.5),
            hovertemplate="%{y:.1f}<extra></extra>",
        ))
    shapes, notes, lanes = [], [], 0
    if events is not None:
        label_column = "short_en" if normalize_lang(lang) == "en" else "short_id"
        shown = events[(events["date"] >= view_from) & (events["date"] <= last)]
        placed = _event_lanes(list(shown["date"]), list(shown[label_column]), view_from, last)
        for event, (lane, anchor) in zip(shown.itertuples(index=False), placed, strict=True):
            color = EVENT_COLORS.get(event.kind, "#6E6E6E")
            shapes.append(dict(type="line", x0=event.date, x1=event.date, y0=0, y1=1,
                               yref="paper", line=dict(color=color, width=1.2, dash="dot")))
            # in rows above the plot, where no dotted line runs and the y axis need not make
            # room for them (a band inside the plot took the axis to 110 for bars of 44);
            # row 0 next to the plot
            notes.append(dict(x=event.date, y=1.0, yshift=EVENT_GAP_PX + EVENT_LANE_PX * lane,
                              yref="paper", text=plotly_text(getattr(event, label_column)),
                              showarrow=False, xanchor=anchor, yanchor="bottom",
                              font=dict(size=11, color=color), name="event"))
            lanes = max(lanes, lane + 1)
    above = EVENT_GAP_PX + EVENT_LANE_PX * lanes if lanes else 0
    if shown_from is not None:
        hidden = totals[totals.index < shown_from]
        lines = textwrap.wrap(t("chart.hoax_weekly.focus", lang,
                                start=format_date(shown_from, lang),
                                first=format_date(first, lang),
                                n=format_number(hidden.sum(), 0, lang)), FOCUS_NOTE_CHARS)
        # a chart's note above its plot: a press layout gives it a band of its own
        notes.append(dict(x=0, xref="paper", y=1.0, yref="paper", yshift=above + 6,
                          xanchor="left", yanchor="bottom", align="left", showarrow=False,
                          text="<br>".join(plotly_text(line) for line in lines),
                          font=dict(size=12, color=MUTED_TEXT_COLOR), name="focus_note"))
        above += 6 + FOCUS_NOTE_LINE_PX * len(lines)
    if waves is not None and len(waves):
        sms = waves[waves["channel"] == "sms"]
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(sms["sent_date"]), y=[-0.06 * top] * len(sms), mode="markers",
            name=t("chart.sms_wave", lang), cliponaxis=False,
            marker=dict(symbol="triangle-up", size=11, color=SERIES_COLORS["delivered"]),
            hovertemplate=[f"{plotly_text(w)} · {format_date(d, lang)}<extra></extra>"
                           for w, d in zip(sms["wave_id"], sms["sent_date"], strict=True)],
        ))
    fig.update_layout(title_text=title, barmode="stack", shapes=shapes, annotations=notes,
                      height=560 + above, bargap=0.15, legend=LEGEND_BELOW,
                      margin_t=TITLE_ROOM_PX + above)
    # the axis follows the bars in view: the labels are above the plot, not on the axis
    fig.update_yaxes(title_text=t("metric.issues", lang), rangemode="tozero",
                     range=[-0.1 * top, 1.08 * top])
    # tick labels along every week, as dense as over the weeks in view
    hidden_share = max((last - first).days, 1) / max((last - view_from).days, 1)
    fig.update_xaxes(**date_ticks(totals.index, lang, most=round(MAX_DATE_TICKS * hidden_share)),
                     range=[view_from - pd.Timedelta(4, "D"), last])
    return apply_style(fig, lang)


# Room the title takes above the plot (two lines on a phone) before the rows of event labels
TITLE_ROOM_PX = 76
# One row of event labels above the plot: 15 px for their 11 px type (a press layout scales
# both), the first EVENT_GAP_PX above the plot's top edge
EVENT_LANE_PX = 15
EVENT_GAP_PX = 3
FOCUS_NOTE_CHARS = 52  # a phone's width at the note's 12 px type
FOCUS_NOTE_LINE_PX = 16
# Days one em of label type takes on the axis, per day the axis spans: a phone (11 px type
# on a plot about 280 px wide) is the tightest of the screen and the press sizes.
EVENT_EM_PER_SPAN = 0.04
# The campaign view opens this long before the first election event (the weeks leading in),
FOCUS_LEAD = pd.Timedelta(weeks=4)
# and only when it leaves out at least this many weeks: a few weeks more are shown whole.
FOCUS_MIN_HIDDEN = pd.Timedelta(weeks=8)


def focus_start(first: pd.Timestamp, events: pd.DataFrame | None) -> pd.Timestamp | None:
    """The Monday the chart's x axis opens on: FOCUS_LEAD before the first election event,
    when the weeks begin at least FOCUS_MIN_HIDDEN before that; None: every week in view."""
    if events is None or events.empty:
        return None
    start = pd.Timestamp(events["date"].min()) - FOCUS_LEAD
    start = start - pd.Timedelta(days=start.weekday())
    return start if start - pd.Timestamp(first) >= FOCUS_MIN_HIDDEN else None


def _event_lanes(dates: list, labels: list[str], first: pd.Timestamp, last: pd.Timestamp
                 ) -> list[tuple[int, str]]:
    """(lane, xanchor) of each event label: the lowest row in which it does not run into the
    previous label, left-aligned at its line, or right-aligned where it would leave the axis."""
    em_days = max((last - first).days, 1) * EVENT_EM_PER_SPAN
    free_from: list[pd.Timestamp] = []  # per lane, where its last label ends
    placed: list[tuple[int, str]] = [(0, "left")] * len(dates)
    for i in sorted(range(len(dates)), key=lambda k: pd.Timestamp(dates[k])):
        day = pd.Timestamp(dates[i])
        length = pd.Timedelta(days=(0.68 * len(str(labels[i])) + 0.6) * em_days)
        anchor = "left" if day + length <= last else "right"
        start, end = (day, day + length) if anchor == "left" else (day - length, day)
        lane = next((k for k, free in enumerate(free_from) if free <= start), len(free_from))
        if lane == len(free_from):
            free_from.append(end)
        free_from[lane] = end
        placed[i] = (lane, anchor)
    return placed


def platform_mix(weekly_platform: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Share of hoax issues per platform by month (100 % stacked bars), from weekly counts
    by platform (week_start, platform, issues)."""
    title = t("chart.platform_mix.title", lang)
    if weekly_platform is None or weekly_platform.empty or weekly_platform["issues"].sum() == 0:
        return empty_figure(lang, title=title)
    frame = weekly_platform.assign(month=pd.to_datetime(weekly_platform["week_start"])
                                   .dt.to_period("M").dt.to_timestamp())
    monthly = frame.groupby(["month", "platform"], as_index=False)["issues"].sum()
    monthly["share"] = monthly["issues"] / monthly.groupby("month")["issues"].transform("sum")
    order = monthly.groupby("platform")["issues"].sum().sort_values(ascending=False).index
    colors = _colors(list(order))
    fig = go.Figure()
    for platform in order:
        part = monthly[monthly["platform"] == platform]
        labels = [_month_label(m, lang) for m in part["month"]]
        # 'Other' is ours (ingest's bucket for platforms not in the list): translated
        name = t("platform.other", lang) if platform == "Other" else plotly_text(platform)
        fig.add_trace(go.Bar(
            x=labels, y=part["share"], name=name, marker_color=colors[platform],
            hovertemplate=[f"{name}: {format_percent(s, 0, lang)} "
                           f"({format_number(n, 0, lang)})<extra></extra>"
                           for s, n in zip(part["share"], part["issues"], strict=True)],
        ))
    # how many issues each 100 % bar is made of (January 2023's one or two read like a
    # trend otherwise), written over the bar
    counts = monthly.groupby("month")["issues"].sum()
    fig.add_trace(go.Scatter(
        x=[_month_label(m, lang) for m in counts.index], y=[1.0] * len(counts),
        mode="text", text=[format_number(n, 0, lang) for n in counts],
        textposition="top center", textfont=dict(size=11, color=MUTED_TEXT_COLOR),
        cliponaxis=False, showlegend=False, hoverinfo="skip",
    ))
    # what the numbers are, in the legend: a text trace's own entry draws a sample "Aa" too
    # small to read in print, so a marker-less entry carries the words
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t("chart.platform_mix.n",
                                                                          lang),
                             marker=dict(color="rgba(0,0,0,0)"), hoverinfo="skip"))
    fig.update_layout(title_text=title, barmode="stack", height=440,
                      legend=LEGEND_BELOW)
    # "0%" stands off the axis, clear of the first month's label under it; the counts sit in
    # the band above 100 %
    fig.update_yaxes(tickformat=".0%", range=[0, 1.09], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1],
                     ticklabelstandoff=10)
    # every k-th month labelled, the month over its year, upright: a social card holds eight
    months = [_month_label(m, lang) for m in sorted(monthly["month"].unique())]
    step = next(k for k in range(1, len(months) + 1) if len(months) <= MAX_DATE_TICKS * k)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=months,
                     tickvals=months[::step],
                     ticktext=[m.replace(" ", "<br>") for m in months[::step]], tickangle=0)
    return apply_style(fig, lang)


def _month_label(month: object, lang: str) -> str:
    """'Feb 2024'."""
    return format_date(month, lang).split(" ", 1)[1]


def takedown_bars(summary: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Share of content items taken down per theme with its interval (columns theme,
    takedown_rate, ci_low, ci_high, content_items)."""
    title = t("chart.takedown.title", lang)
    rows = summary.dropna(subset=["takedown_rate"]) if summary is not None else None
    if rows is None or rows.empty:
        return empty_figure(lang, title=title)
    rows = rows.sort_values("takedown_rate")
    labels = [plotly_text(theme_label(str(th), lang)) for th in rows["theme"]]
    rate = rows["takedown_rate"].to_numpy(dtype=float)
    fig = go.Figure(go.Bar(
        x=rate, y=labels, orientation="h", marker_color=SERIES_COLORS["neutral"],
        error_x=dict(type="data", symmetric=False, color="#222222", thickness=1.2,
                     array=rows["ci_high"].to_numpy(dtype=float) - rate,
                     arrayminus=rate - rows["ci_low"].to_numpy(dtype=float)),
        text=[format_percent(v, 0, lang) for v in rate], textposition="inside",
        insidetextanchor="start", textfont=dict(color="white"),
        hovertemplate=[f"{label}: {format_percent(v, 1, lang)} "
                       f"({format_percent(lo, 1, lang)}–{format_percent(hi, 1, lang)})"
                       "<extra></extra>" for label, v, lo, hi in
                       zip(labels, rate, rows["ci_low"], rows["ci_high"], strict=True)],
    ))
    fig.update_layout(title_text=title, height=120 + 44 * len(rows), showlegend=False)
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(ticklabelstandoff=BAR_LABEL_ROOM_PX)
    return apply_style(fig, lang)


MAX_RATIO_TICKS = 7
RATIO_PAD = 1.08  # a factor of room at each end of a log ratio axis: markers stay whole


def ratio_ticks(low: float, high: float) -> list[float]:
    """Tick values for a log axis of ratios that always shows 1 (no difference): halving and
    doubling (0.25 0.5 1 2 4) from one at or below `low` to one at or above `high`; powers of
    ten inside the range when that would be more than seven ticks."""
    low, high = min(max(low, 1e-6), 1.0), max(high, 1.0)
    first = math.floor(math.log2(low) + 1e-9)
    last = math.ceil(math.log2(high) - 1e-9)
    if first == last == 0:
        first, last = -1, 1
    if last - first + 1 <= MAX_RATIO_TICKS:
        return [2.0 ** k for k in range(first, last + 1)]
    first = math.ceil(math.log10(low / RATIO_PAD) - 1e-9)
    last = math.floor(math.log10(high * RATIO_PAD) + 1e-9)
    return [10.0 ** k for k in range(first, last + 1)]


def ratio_axis(low: float, high: float, lang: str = "id") -> dict:
    """Range, tick values and labels (0,25 0,5 1 2 4 in Indonesian) for a log ratio axis;
    plotly's own log ticks label minor ticks as a bare 4 5 6 without the leading '0,'."""
    ticks = ratio_ticks(low, high)
    labels = [format_number(v, _decimals(v), lang) for v in ticks]
    ends = (min(ticks[0], low) / RATIO_PAD, max(ticks[-1], high) * RATIO_PAD)
    return dict(tickvals=ticks, ticktext=labels, autorange=False,
                range=[math.log10(ends[0]), math.log10(ends[1])])


def _decimals(value: float) -> int:
    """The fewest decimals that write `value` exactly (0.25: two; 4: none)."""
    return next((d for d in range(7) if abs(round(value, d) - value) < 1e-12), 6)


def rate_ratio_forest(ratios: pd.DataFrame, lang: str = "id", *, k: int) -> go.Figure:
    """Issues in the `k` days after / before each SMS wave as rate ratios with intervals on a
    log axis (columns group, wave_date, estimate, ci_low, ci_high); 1 = no difference. The
    title carries k: the page's slider chooses it."""
    title = t("chart.rate_ratio.title", lang, k=k)
    rows = ratios.dropna(subset=["estimate"]) if ratios is not None else None
    rows = rows[rows["estimate"] > 0] if rows is not None else None
    if rows is None or rows.empty:
        return empty_figure(lang, title=title)
    labels = [t("chart.all_waves", lang) if g == "all_waves"
              else f"{format_date(d, lang)}" for g, d in zip(rows["group"], rows["wave_date"],
                                                              strict=True)]
    pooled = rows["group"] == "all_waves"
    low = rows["ci_low"].clip(lower=1e-3).to_numpy(dtype=float)
    high = rows["ci_high"].clip(upper=1e3).to_numpy(dtype=float)
    est = rows["estimate"].to_numpy(dtype=float)
    fig = go.Figure(go.Scatter(
        x=est, y=labels, mode="markers",
        marker=dict(symbol=["diamond" if p else "square" for p in pooled],
                    size=[14 if p else 10 for p in pooled], color=OKABE_ITO["blue"]),
        error_x=dict(type="data", symmetric=False, array=high - est, arrayminus=est - low,
                     color=OKABE_ITO["blue"], thickness=1.5),
        hovertemplate=[f"{label}: {format_number(e, 2, lang)} ({format_number(lo, 2, lang)}–"
                       f"{format_number(hi, 2, lang)})<extra></extra>"
                       for label, e, lo, hi in zip(labels, est, low, high, strict=True)],
    ))
    fig.add_vline(x=1, line=dict(color="#6E6E6E", dash="dash"))
    fig.update_layout(title_text=title, height=140 + 34 * len(rows), showlegend=False)
    fig.update_xaxes(type="log", title_text=t("chart.rate_ratio.axis", lang),
                     **ratio_axis(float(min(low.min(), est.min())),
                                  float(max(high.max(), est.max())), lang))
    fig.update_yaxes(autorange="reversed", type="category")
    return apply_style(fig, lang)
