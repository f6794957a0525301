"""Participation charts: exposure against an election outcome per province with the fitted
line and its band, and the survey's weighted shares with their intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import (
    LEGEND_BELOW,
    OKABE_ITO,
    SERIES_COLORS,
    apply_style,
    empty_figure,
    enclosing_ticks,
    format_metric,
    nice_ticks,
    number_tick_labels,
    text_color_on,
    tick_labels,
)
from dashboard.i18n import format_number, format_percent, t
from dashboard.text_safety import plotly_text


def exposure_scatter(provinces: pd.DataFrame, x: str, y: str, lang: str = "id", *,
                     fit: pd.DataFrame | None = None, x_label: str = "", y_label: str = "",
                     highlight: str = "noken") -> go.Figure:
    """One point per province (columns name, x, y, and a boolean `highlight` column for the
    flagged provinces), the OLS line with its 95% band, names on hover."""
    title = t("chart.scatter.title", lang, x=x_label, y=y_label)
    frame = provinces.dropna(subset=[x, y]) if provinces is not None and len(provinces) else None
    if frame is None or frame.empty:
        return empty_figure(lang, title=title)
    fig = go.Figure()
    if fit is not None and len(fit):
        fig.add_trace(go.Scatter(
            x=list(fit["x"]) + list(fit["x"])[::-1],
            y=list(fit["high"]) + list(fit["low"])[::-1], fill="toself", mode="lines",
            line=dict(width=0), fillcolor="rgba(0,114,178,0.15)", hoverinfo="skip",
            name=t("chart.band", lang)))
        fig.add_trace(go.Scatter(x=fit["x"], y=fit["fit"], mode="lines", hoverinfo="skip",
                                 line=dict(color=OKABE_ITO["blue"], width=2),
                                 name=t("chart.fitted_line", lang)))
    flagged = frame[highlight].fillna(False).astype(bool) if highlight in frame else None
    for is_flagged, part in ([(False, frame)] if flagged is None else
                             [(False, frame[~flagged]), (True, frame[flagged])]):
        if part.empty:
            continue
        names = [plotly_text(n) for n in part["name"]]
        fig.add_trace(go.Scatter(
            x=part[x], y=part[y], mode="markers+text" if is_flagged else "markers",
            text=names if is_flagged else None, textposition="top center",
            name=t("chart.noken" if is_flagged else "chart.province_point", lang),
            marker=dict(size=11, symbol="diamond" if is_flagged else "circle",
                        color=OKABE_ITO["vermillion"] if is_flagged else SERIES_COLORS["neutral"],
                        line=dict(width=1, color="white")),
            hovertemplate=[f"<b>{n}</b><br>{x_label}: {format_metric(a, x, lang)}<br>"
                           f"{y_label}: {format_number(b, 2, lang)}<extra></extra>"
                           for n, a, b in zip(names, part[x], part[y], strict=True)],
        ))
    fig.update_layout(title_text=title, height=520,
                      legend=LEGEND_BELOW)
    band = fit if fit is not None and len(fit) else None
    x_values = _finite(frame[x])
    y_values = _finite(frame[y], *([] if band is None else [band["low"], band["high"]]))
    # the x labels stand off the axis: the first tick's label (0,0007 and such) would meet
    # the lowest y label in the corner
    fig.update_xaxes(title_text=x_label, ticklabelstandoff=12, **_x_axis(x_values, x, lang))
    fig.update_yaxes(title_text=y_label, **_y_axis(y_values, lang))
    return apply_style(fig, lang)


AXIS_PADDING = 0.05  # of the data's span, on each side: points never sit on the frame


def _finite(*columns: pd.Series) -> np.ndarray:
    values = np.concatenate([pd.to_numeric(c, errors="coerce").to_numpy(dtype=float,
                                                                         na_value=np.nan)
                             for c in columns])
    return values[np.isfinite(values)]


def _padded(values: np.ndarray) -> tuple[float, float]:
    low, high = float(values.min()), float(values.max())
    pad = (high - low) * AXIS_PADDING or max(abs(high) * AXIS_PADDING, 1e-9)
    return low - pad, high + pad


def _y_axis(values: np.ndarray, lang: str) -> dict:
    """The outcome axis from a labelled tick below the lowest value (points, band) to one
    above the highest, so no province (Papua's noken turnout near 100%) sits above the top
    label or outside the frame."""
    if not values.size:
        return {}
    ticks = enclosing_ticks(*_padded(values))
    return dict(range=[ticks[0], ticks[-1]], tickvals=ticks,
                ticktext=number_tick_labels(ticks, lang), autorange=False)


def _x_axis(values: np.ndarray, metric: str, lang: str) -> dict:
    """The exposure axis: every point inside with a little padding, ticks written with the
    same decimals (0,0007 0,0008 ... 0,0010, never 0,0007 beside 0,00075)."""
    if not values.size:
        return {}
    low, high = _padded(values)
    ticks = nice_ticks(low, high, 5)
    return dict(range=[low, high], tickvals=ticks, ticktext=tick_labels(ticks, metric, lang),
                autorange=False)


def survey_shares(results: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Weighted share of recipients and non-recipients for each outcome with 95% intervals
    (rows of survey_tests with test == 'weighted_proportion')."""
    title = t("chart.survey.title", lang)
    rows = results[results["test"] == "weighted_proportion"] if results is not None else None
    if rows is None or rows.empty:
        return empty_figure(lang, title=title)
    fig = go.Figure()
    colors = {"recipients": SERIES_COLORS["delivered"], "non_recipients": "#A6A6A6"}
    for group, part in rows.groupby("group", sort=False):
        labels = [t(f"survey.{o}", lang) for o in part["outcome"]]
        est = part["estimate"].to_numpy(dtype=float)
        fig.add_trace(go.Bar(
            x=labels, y=est, name=t(f"survey.{group}", lang), marker_color=colors.get(group),
            error_y=dict(type="data", symmetric=False,
                         array=part["ci_high"].to_numpy(dtype=float) - est,
                         arrayminus=est - part["ci_low"].to_numpy(dtype=float),
                         color="#222222", thickness=1.2),
            # at the foot of the bar: at its top the interval's whisker crossed the label
            text=[format_percent(v, 1, lang) for v in est], textposition="inside",
            insidetextanchor="start",
            textfont=dict(color=text_color_on(colors.get(group, SERIES_COLORS["neutral"]))),
        ))
    fig.update_layout(title_text=title, barmode="group", height=420,
                      legend=LEGEND_BELOW)
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return apply_style(fig, lang)
