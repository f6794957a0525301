"""Charts of the Rancang uji page (issue 18): the minimum detectable effect against the
hold-out share, the balance of the assignment on its baseline covariates, and the effect of
a frozen experiment with its 95 % interval, overall and per stratum.

Pure functions on the frames of dashboard/reports/experiment.py and dashboard/experiment/;
an empty frame gives the house "no data" figure with the chart's title, never an error.
Rates and effects are drawn in percentage points (a proportion difference of 0.012 is 1.2
points). Source lines and the sample mark come from the press export (provenance)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import (
    LEGEND_BELOW,
    OKABE_ITO,
    apply_style,
    empty_figure,
    nice_ticks,
)
from dashboard.i18n import format_number, format_percent, t
from dashboard.text_safety import plotly_text

BALANCE_BAND = 0.1  # |standardised difference| above this is the usual flag (Austin 2009)
ANALYTIC_COLOR = OKABE_ITO["blue"]
SIMULATED_COLOR = OKABE_ITO["orange"]
EFFECT_COLOR = OKABE_ITO["blue"]
OVERALL_COLOR = OKABE_ITO["black"]
ZERO_LINE = dict(color="#6E6E6E", dash="dash", width=1)


def _points_axis(values: list[float], lang: str, count: int = 5) -> dict:
    """Ticks in percentage points for values in proportions, always showing zero."""
    finite = [v * 100 for v in values if v is not None and math.isfinite(v)]
    low, high = min([0.0, *finite]), max([0.0, *finite])
    if high - low <= 0:
        high = low + 1
    ticks = nice_ticks(low, high, count)
    return dict(tickvals=[v / 100 for v in ticks],
                ticktext=[format_number(v, 1 if any(v % 1 for v in ticks) else 0, lang)
                          for v in ticks],
                range=[min(ticks[0], low) / 100 - (high - low) * 0.04 / 100,
                       max(ticks[-1], high) / 100 + (high - low) * 0.04 / 100])


def mde_curve_chart(curve: pd.DataFrame, lang: str = "id", chosen: float | None = None
                    ) -> go.Figure:
    """MDE at 80 % power (percentage points) against the hold-out share: the formula as a
    line, the simulation as points; the chosen share marked. curve: power.mde_curve's frame
    (share, n_holdout, mde_analytic, mde_simulated)."""
    title = t("exp.chart.mde_title", lang)
    if curve is None or curve.empty:
        return empty_figure(lang, title=title)
    rows = curve.sort_values("share")
    shares = rows["share"].astype(float).tolist()
    labels = [format_percent(s, 0, lang) for s in shares]
    fig = go.Figure()
    for column, color, mode, key in (
            ("mde_analytic", ANALYTIC_COLOR, "lines+markers", "exp.chart.analytic"),
            ("mde_simulated", SIMULATED_COLOR, "markers", "exp.chart.simulated")):
        values = pd.to_numeric(rows[column], errors="coerce").astype(float).tolist()
        name = t(key, lang)
        fig.add_trace(go.Scatter(
            x=shares, y=values, name=name, mode=mode,
            marker=dict(color=color, size=9, symbol="circle" if "lines" in mode else "diamond"),
            line=dict(color=color, width=2),
            hovertemplate=[f"{name}: {label} → {format_number(v * 100, 2, lang)} "
                           f"{t('exp.points_short', lang)}<extra></extra>"
                           for label, v in zip(labels, values, strict=True)],
        ))
    if chosen is not None:
        fig.add_vline(x=float(chosen), line=dict(color=OKABE_ITO["vermillion"], width=1.5,
                                                 dash="dot"))
    every = rows[["mde_analytic", "mde_simulated"]].astype(float).stack().tolist()
    axis = _points_axis(every, lang)
    fig.update_yaxes(title_text=t("exp.chart.mde_axis", lang), **axis)
    fig.update_xaxes(title_text=t("exp.chart.share_axis", lang), tickvals=shares,
                     ticktext=labels, range=[0, max(shares) * 1.06])
    fig.update_layout(title_text=title, height=380, showlegend=True,
                      legend=LEGEND_BELOW)
    return apply_style(fig, lang)


def balance_chart(balance: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Standardised differences (blast - holdout, in pooled SDs) of each baseline covariate as
    dots, with the +-0.1 band within which an assignment counts as balanced."""
    title = t("exp.chart.balance_title", lang)
    rows = balance.dropna(subset=["std_difference"]) if balance is not None else None
    if rows is None or rows.empty:
        return empty_figure(lang, title=title)
    labels = [plotly_text(t(f"exp.covariate.{c}", lang)) for c in rows["covariate"]]
    values = rows["std_difference"].astype(float).tolist()
    outside = [abs(v) > BALANCE_BAND for v in values]
    fig = go.Figure(go.Scatter(
        x=values, y=labels, mode="markers",
        marker=dict(size=12, color=[OKABE_ITO["vermillion"] if o else OKABE_ITO["blue"]
                                    for o in outside],
                    symbol=["x" if o else "circle" for o in outside]),
        hovertemplate=[f"{label}: {format_number(v, 3, lang)}<extra></extra>"
                       for label, v in zip(labels, values, strict=True)],
    ))
    fig.add_vrect(x0=-BALANCE_BAND, x1=BALANCE_BAND, fillcolor=OKABE_ITO["bluish_green"],
                  opacity=0.12, line_width=0)
    fig.add_vline(x=0, line=ZERO_LINE)
    reach = max([BALANCE_BAND * 2, *(abs(v) * 1.2 for v in values)])
    ticks = nice_ticks(-reach, reach, 5)
    fig.update_xaxes(title_text=t("exp.chart.balance_axis", lang), range=[-reach, reach],
                     tickvals=ticks, ticktext=[format_number(v, 2, lang) for v in ticks],
                     zeroline=False)
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_layout(title_text=title, height=150 + 48 * len(rows), showlegend=False)
    return apply_style(fig, lang)


def effect_chart(table: pd.DataFrame, outcome: str, stratum_names: dict[str, str],
                 lang: str = "id", *, complier: bool = False) -> go.Figure:
    """The effect of the blast (blast - holdout, percentage points) with its 95 % interval:
    overall first (a black diamond), then each stratum; zero dashed. table: the rows of one
    experiment (reports/experiment.RESULT_COLUMNS); complier: the complier effect instead."""
    title = t("exp.chart.complier_title" if complier else "exp.chart.effect_title", lang,
              outcome=t(f"exp.outcome.{outcome}", lang))
    prefix = "complier_" if complier else ""
    estimate = f"{prefix}estimate"
    rows = table[(table["outcome"] == outcome)] if table is not None and len(table) else None
    if rows is not None:
        rows = rows.dropna(subset=[estimate, f"{prefix}ci_low", f"{prefix}ci_high"])
    if rows is None or rows.empty:
        return empty_figure(lang, title=title)
    labels = [plotly_text(stratum_names.get(str(s), str(s))) for s in rows["stratum"]]
    est = rows[estimate].astype(float).to_numpy()
    low = rows[f"{prefix}ci_low"].astype(float).to_numpy()
    high = rows[f"{prefix}ci_high"].astype(float).to_numpy()
    overall = (rows["stratum"] == "overall").to_numpy()
    # the axis spans the overall interval and every stratum's estimate (and zero): a small
    # stratum's interval can be tens of points wide and would shrink the overall one to a
    # dot; intervals beyond the axis end in an arrow at its edge (and the hover says them)
    span = [0.0, *est.tolist(), *low[overall].tolist(), *high[overall].tolist()]
    left, right = min(span), max(span)
    pad = max((right - left) * 0.15, 0.001)
    left, right = left - pad, right + pad
    shown_low, shown_high = low.clip(min=left), high.clip(max=right)
    unit = t("exp.points_short", lang)
    fig = go.Figure()
    # the intervals as plain segments (no end caps: a cut interval must not look ended)
    xs: list[float | None] = []
    ys: list[str | None] = []
    for label, lo, hi in zip(labels, shown_low, shown_high, strict=True):
        xs += [float(lo), float(hi), None]
        ys += [label, label, None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=EFFECT_COLOR, width=2),
                             hoverinfo="skip"))
    inset = (right - left) * 0.01  # the arrow inside the plot, clear of the labels
    for clipped, edge, symbol in ((low < left, left + inset, "triangle-left"),
                                  (high > right, right - inset, "triangle-right")):
        if clipped.any():
            fig.add_trace(go.Scatter(
                x=[edge] * int(clipped.sum()),
                y=[lb for lb, c in zip(labels, clipped, strict=True) if c], mode="markers",
                marker=dict(symbol=symbol, size=10, color=EFFECT_COLOR), hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=est, y=labels, mode="markers",
        marker=dict(symbol=["diamond" if o else "square" for o in overall],
                    size=[15 if o else 9 for o in overall],
                    color=[OVERALL_COLOR if o else EFFECT_COLOR for o in overall]),
        hovertemplate=[f"{label}: {format_number(e * 100, 2, lang)} {unit} "
                       f"({format_number(lo * 100, 2, lang)} – "
                       f"{format_number(hi * 100, 2, lang)})<extra></extra>"
                       for label, e, lo, hi in zip(labels, est, low, high, strict=True)],
    ))
    fig.add_vline(x=0, line=ZERO_LINE)
    axis = _points_axis([left, right], lang)
    fig.update_xaxes(title_text=t("exp.chart.effect_axis", lang), tickvals=axis["tickvals"],
                     ticktext=axis["ticktext"], range=[left, right])
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_layout(title_text=title, height=min(1400, 150 + 30 * len(rows)),
                      showlegend=False)
    return apply_style(fig, lang)


def overall_effect_chart(table: pd.DataFrame, lang: str = "id") -> go.Figure:
    """One experiment's overall effect on each of its outcomes (blast - holdout, percentage
    points) with the 95% interval: the press figure (`python -m dashboard figure
    experiment_effect`), two rows that fit every press size; the strata are on the page."""
    title = t("exp.chart.overall_title", lang)
    rows = (table[table["stratum"] == "overall"].dropna(subset=["estimate"])
            if table is not None and len(table) else None)
    if rows is None or rows.empty:
        return empty_figure(lang, title=title)
    labels = [plotly_text(t(f"exp.outcome.{o}", lang)) for o in rows["outcome"]]
    est = rows["estimate"].astype(float).to_numpy()
    low = rows["ci_low"].astype(float).to_numpy()
    high = rows["ci_high"].astype(float).to_numpy()
    unit = t("exp.points_short", lang)
    # rows at 0, 1, ... on a numeric axis with room above each: the value over its diamond
    # is never cut by the plot's edge, whatever the press size
    rows_y = list(range(len(labels)))
    fig = go.Figure(go.Scatter(
        x=est, y=rows_y, mode="markers+text",
        marker=dict(symbol="diamond", size=16, color=OVERALL_COLOR),
        error_x=dict(type="data", symmetric=False, array=high - est, arrayminus=est - low,
                     color=EFFECT_COLOR, thickness=2.5, width=8),
        text=[f"{'+' if e > 0 else ''}{format_number(e * 100, 2, lang)} {unit}" for e in est],
        textposition="top center", textfont=dict(size=14),
        hovertemplate=[f"{label}: {format_number(e * 100, 2, lang)} {unit} "
                       f"({format_number(lo * 100, 2, lang)} – "
                       f"{format_number(hi * 100, 2, lang)})<extra></extra>"
                       for label, e, lo, hi in zip(labels, est, low, high, strict=True)],
    ))
    fig.add_vline(x=0, line=ZERO_LINE)
    axis = _points_axis([*low.tolist(), *high.tolist()], lang)
    fig.update_xaxes(title_text=t("exp.chart.effect_axis", lang), **axis)
    fig.update_yaxes(tickvals=rows_y, ticktext=labels, range=[len(labels) - 0.3, -0.7],
                     showgrid=False, zeroline=False)
    fig.update_layout(title_text=title, height=300, showlegend=False)
    return apply_style(fig, lang)
