"""Hoax-trend charts: weekly issues by theme beside the blast calendar, the platform mix,
take-down performance and the wave rate ratios. Pure functions returning plotly figures."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import (
    LEGEND_BELOW,
    MAX_DATE_TICKS,
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
    vertical lines."""
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
    top = float(totals.max())
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
        first, last = weekly["week_start"].min(), weekly["week_start"].max() + pd.Timedelta(6, "D")
        shown = events[(events["date"] >= first) & (events["date"] <= last)]
        placed = _event_lanes(list(shown["date"]), list(shown[label_column]), first, last)
        for event, (lane, anchor) in zip(shown.itertuples(index=False), placed, strict=True):
            color = EVENT_COLORS.get(event.kind, "#6E6E6E")
            shapes.append(dict(type="line", x0=event.date, x1=event.date, y0=0, y1=1,
                               yref="paper", line=dict(color=color, width=1.2, dash="dot")))
            # inside the plot's top band, never above it where a press layout puts the legend
            notes.append(dict(x=event.date, y=1.0, yshift=-EVENT_LANE_PX * lane, yref="paper",
                              text=plotly_text(getattr(event, label_column)), showarrow=False,
                              xanchor=anchor, yanchor="top", font=dict(size=11, color=color),
                              bgcolor="rgba(255,255,255,0.8)", name="event"))
            lanes = max(lanes, lane + 1)
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
                      height=560, bargap=0.15,
                      legend=LEGEND_BELOW)
    # the bars end below the event labels' band: (top + 10 %) takes 1 - band of the height
    band = min(EVENT_BAND_PER_LANE * lanes + 0.02, 0.7) if lanes else 0.0
    fig.update_yaxes(title_text=t("metric.issues", lang), rangemode="tozero",
                     range=[-0.1 * top, 1.2 * top / (1 - band) - 0.1 * top])
    fig.update_xaxes(**date_ticks(weekly["week_start"], lang))
    return apply_style(fig, lang)


# One row of event labels: 15 px for their 11 px type (a press layout scales both), and the
# share of the plot's height it may take on a social card, the shortest plot
EVENT_LANE_PX = 15
EVENT_BAND_PER_LANE = 0.09
# Days one em of label type takes on the axis, per day the axis spans: a social card (24 px
# type on a 900 px wide plot) is the tightest of the screen and the press sizes.
EVENT_EM_PER_SPAN = 0.03


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
    fig.update_layout(title_text=title, barmode="stack", height=420,
                      legend=LEGEND_BELOW)
    # "0%" stands off the axis, clear of the first month's label under it
    fig.update_yaxes(tickformat=".0%", range=[0, 1], ticklabelstandoff=10)
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


def rate_ratio_forest(ratios: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Issues after / before each SMS wave as rate ratios with intervals on a log axis
    (columns group, wave_date, estimate, ci_low, ci_high); 1 = no difference."""
    title = t("chart.rate_ratio.title", lang)
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
