"""Reach charts: operators, waves, days, provinces, latency and error codes.

Every function takes a DataFrame with the export contract's column names (operator,
province_code, wave_id, sent, delivered, delivery_rate, ...) and returns a styled figure; an
empty frame gives a figure saying "Tidak ada data" rather than an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.style import (
    MUTED_TEXT_COLOR,
    NO_DATA_COLOR,
    SEQUENTIAL_SCALE,
    SERIES_COLORS,
    apply_style,
    empty_figure,
    format_metric,
    metric_kind,
    metric_label,
    nice_ticks,
    operator_color,
    operator_name,
    operator_sort_key,
    tick_labels,
)
from dashboard.charts.tilemap import province_tiles
from dashboard.i18n import (
    format_date,
    format_duration,
    format_number,
    is_missing,
    normalize_lang,
    t,
)
from dashboard.text_safety import plotly_text

LATENCY_COLUMNS = ("latency_p50_s", "latency_p90_s", "latency_p99_s")
PERCENTILE_SYMBOLS = {"latency_p50_s": "circle", "latency_p90_s": "diamond",
                      "latency_p99_s": "square"}
PERCENTILE_NAMES = {"latency_p50_s": "p50", "latency_p90_s": "p90", "latency_p99_s": "p99"}
# candidate log-axis ticks in seconds: 1 s ... 3 days, labelled as durations
DURATION_TICKS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600,
                  7200, 14400, 21600, 43200, 86400, 172800, 259200)


def _is_empty(df: pd.DataFrame | None, required: Iterable[str]) -> bool:
    """True when there is nothing to draw; a non-empty frame missing columns is a caller bug."""
    if df is None or df.empty:
        return True
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ValueError(f"missing columns: {missing}")
    return False


def _operator_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in the fixed operator order (Telkomsel first), unknown operators last."""
    keys = df["operator"].astype(str).map(operator_sort_key)
    return df.assign(_key=keys).sort_values("_key", kind="stable").drop(columns="_key")


def wave_sort_key(wave_id: object) -> tuple[str, int, str]:
    """SMS2 before SMS10: the letters, then the number, then the raw id."""
    text = str(wave_id)
    match = re.match(r"^([A-Za-z_]*)(\d+)", text)
    return (match.group(1), int(match.group(2)), text) if match else (text, 0, text)


def _count_axis(high: float, lang: str) -> dict:
    """Axis ticks for counts in Indonesian/English compact form (20 jt / 20M), from zero."""
    ticks = nice_ticks(0.0, high, 5) if high > 0 else [0.0]
    return dict(
        tickvals=ticks, ticktext=[format_metric(v, "count", lang, compact=True) for v in ticks],
        range=[0, max(high, 1) * 1.08],
    )


def _metric_axis(values: pd.Series, metric: str, lang: str) -> dict:
    """Ticks for any metric, starting at zero (bars must)."""
    high = float(values.max()) if values.notna().any() else 1.0
    if metric_kind(metric) == "count":
        return _count_axis(high, lang)
    ticks = nice_ticks(0.0, high, 5)
    return dict(tickvals=ticks, ticktext=tick_labels(ticks, metric, lang),
                range=[0, high * 1.08])


def _date_ticks(dates: pd.Series, lang: str) -> dict:
    """Date ticks with Indonesian month names (plotly's own are English): daily for two weeks
    or less, weekly on Mondays up to four months, monthly beyond."""
    days = pd.to_datetime(dates).dt.normalize()
    first, last = days.min(), days.max()
    span = (last - first).days
    if span <= 14:
        ticks = pd.date_range(first, last, freq="D" if span <= 8 else "2D")
    elif span <= 120:
        ticks = pd.date_range(first, last, freq="W-MON" if span <= 60 else "2W-MON")
    else:
        ticks = pd.date_range(first, last, freq="MS")
    if len(ticks) == 0:
        ticks = pd.DatetimeIndex([first])
    return dict(tickvals=list(ticks), ticktext=[format_date(d, lang, with_year=False)
                                                for d in ticks])


def operator_bars(df: pd.DataFrame, metric: str, lang: str = "id") -> go.Figure:
    """Horizontal bars, one per operator (one row each in `df`), in the operators' colours,
    each labelled with its value."""
    title = t("chart.operator_bars.title", lang, metric=metric_label(metric, lang))
    if _is_empty(df, ["operator", metric]):
        return empty_figure(lang, title=title)
    rows = _operator_rows(df)
    names = [plotly_text(operator_name(op)) for op in rows["operator"]]
    labels = [format_metric(v, metric, lang) for v in rows[metric]]
    fig = go.Figure(go.Bar(
        x=rows[metric].astype(float), y=names, orientation="h",
        marker_color=[operator_color(op) for op in rows["operator"]],
        text=labels, textposition="outside",
        customdata=rows["operator"].astype(str).tolist(),
        hovertemplate=[f"<b>{n}</b><br>{metric_label(metric, lang)}: {v}<extra></extra>"
                       for n, v in zip(names, labels, strict=True)],
        name=metric_label(metric, lang),
    ))
    axis = _metric_axis(rows[metric], metric, lang)
    # the value labels carry the numbers, so the axis is only a faint grid; room for labels
    fig.update_xaxes(range=[0, axis["range"][1] * 1.15], showticklabels=False, showgrid=False)
    fig.update_yaxes(autorange="reversed", title_text=None, ticksuffix="  ")
    fig.update_layout(title_text=title, showlegend=False, margin_t=64,
                      height=max(240, 70 * len(rows) + 90), bargap=0.3)
    return apply_style(fig, lang)


def wave_trend(df: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Sent and delivered per wave as grouped bars; above them, in a panel of its own so labels
    never collide with the bars, the delivery rate per wave as a labelled line (if given)."""
    title = t("chart.wave_trend.title", lang)
    if _is_empty(df, ["wave_id", "sent", "delivered"]):
        return empty_figure(lang, title=title)
    rows = df.assign(_key=df["wave_id"].map(wave_sort_key)).sort_values("_key")
    known = rows["in_catalogue"] if "in_catalogue" in rows.columns else [True] * len(rows)
    waves = [plotly_text(w if k is not False else t("chart.unknown_wave", lang, wave=w))
             for w, k in zip(rows["wave_id"].astype(str), known, strict=True)]  # from files
    with_rate = "delivery_rate" in rows.columns and rows["delivery_rate"].notna().any()
    if with_rate:
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.28, 0.72],
                            vertical_spacing=0.06)
        bar_cell = dict(row=2, col=1)
    else:
        fig, bar_cell = go.Figure(), {}
    for column in ("sent", "delivered"):
        label = metric_label(column, lang)
        fig.add_trace(go.Bar(
            x=waves, y=rows[column].astype(float), name=label,
            marker_color=SERIES_COLORS[column],
            hovertemplate=[f"{w}<br>{label}: {format_number(v, 0, lang)}<extra></extra>"
                           for w, v in zip(waves, rows[column], strict=True)],
        ), **bar_cell)
    high = float(rows[["sent", "delivered"]].max().max())
    fig.update_yaxes(title_text=t("chart.messages", lang), **_count_axis(high, lang),
                     **bar_cell)
    if with_rate:
        label = metric_label("delivery_rate", lang)
        rates = rows["delivery_rate"].astype(float)
        fig.add_trace(go.Scatter(
            x=waves, y=rates, name=label, mode="lines+markers+text",
            line=dict(color=SERIES_COLORS["delivery_rate"], width=2),
            marker=dict(size=8, color=SERIES_COLORS["delivery_rate"]),
            text=[format_metric(v, "delivery_rate", lang) for v in rates],
            textposition="top center", textfont=dict(size=12), cliponaxis=False,
            hovertemplate=[f"{w}<br>{label}: {format_metric(v, 'delivery_rate', lang)}"
                           "<extra></extra>" for w, v in zip(waves, rates, strict=True)],
        ), row=1, col=1)
        low_rate, high_rate = float(rates.min()), float(rates.max())
        pad = max((high_rate - low_rate) * 0.35, 0.02)
        # every point carries its value; axis ticks on a narrow range only collide
        fig.update_yaxes(
            range=[max(low_rate - pad, 0), min(high_rate + pad, 1.0) + pad * 0.6],
            showticklabels=False, row=1, col=1,
        )
    fig.update_xaxes(type="category")
    fig.update_xaxes(title_text=t("chart.wave", lang), **bar_cell)
    fig.update_layout(title_text=title, barmode="group", height=480, hovermode="x unified")
    return apply_style(fig, lang)


def daily_trend(df: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Messages per day. Columns send_date (or date, day), sent, delivered; with an operator
    column, one line of delivered messages per operator in its colour instead."""
    date_col = next((c for c in ("send_date", "date") if df is not None and c in df.columns),
                    "day")
    by_operator = df is not None and "operator" in df.columns
    title = t("chart.daily_trend.by_operator" if by_operator else "chart.daily_trend.title", lang)
    required = [date_col, "delivered"] + ([] if by_operator else ["sent"])
    if _is_empty(df, required):
        return empty_figure(lang, title=title)
    rows = df.assign(**{date_col: pd.to_datetime(df[date_col])}).sort_values(date_col)
    fig = go.Figure()

    def add_line(part: pd.DataFrame, column: str, name: str, color: str, dash: str) -> None:
        fig.add_trace(go.Scatter(
            x=part[date_col], y=part[column].astype(float), name=name, mode="lines+markers",
            line=dict(color=color, width=2.5, dash=dash), marker=dict(size=5, color=color),
            hovertemplate=[f"{format_date(d, lang)}<br>{name}: {format_number(v, 0, lang)}"
                           "<extra></extra>"
                           for d, v in zip(part[date_col], part[column], strict=True)],
        ))

    if by_operator:
        for operator in sorted(rows["operator"].astype(str).unique(), key=operator_sort_key):
            part = rows[rows["operator"].astype(str) == operator]
            add_line(part, "delivered", plotly_text(operator_name(operator)),
                     operator_color(operator), "solid")
        high = float(rows.groupby("operator")["delivered"].max().max())
    else:
        add_line(rows, "sent", metric_label("sent", lang), SERIES_COLORS["sent"], "dot")
        add_line(rows, "delivered", metric_label("delivered", lang),
                 SERIES_COLORS["delivered"], "solid")
        high = float(rows[["sent", "delivered"]].max().max())
    fig.update_xaxes(title_text=None, **_date_ticks(rows[date_col], lang))
    fig.update_yaxes(title_text=t("chart.messages", lang), **_count_axis(high, lang))
    fig.update_layout(title_text=title, height=420, hovermode="closest")
    return apply_style(fig, lang)


def operator_province_heatmap(
    df: pd.DataFrame, metric: str, lang: str = "id", show_values: bool = False
) -> go.Figure:
    """Operators (rows) by provinces (columns, west to east by code, short names), coloured by
    `metric`; missing combinations are grey. `show_values` writes compact values in the cells."""
    title = t("chart.heatmap.title", lang, metric=metric_label(metric, lang))
    if _is_empty(df, ["operator", "province_code", metric]):
        return empty_figure(lang, title=title)
    tiles = province_tiles().sort_values("province_code")
    codes = tiles["province_code"].astype(int).tolist()
    rows = df.assign(
        _province=[None if is_missing(c) else int(c) for c in df["province_code"]],
        operator=df["operator"].astype(str),
    )
    has_unknown = rows["_province"].isna().any()
    rows = rows.assign(_province=rows["_province"].fillna(-1).astype(int))
    columns = codes + ([-1] if has_unknown else [])
    operators = sorted(rows["operator"].unique(), key=operator_sort_key)
    grid = (rows.pivot_table(index="operator", columns="_province", values=metric,
                             aggfunc="first")
            .reindex(index=operators, columns=columns))
    z = grid.to_numpy(dtype=float)
    short = dict(zip(tiles["province_code"], tiles["label"], strict=True))
    full = dict(zip(tiles["province_code"], tiles["name"], strict=True))
    short[-1], full[-1] = "?", t("common.unknown_province", lang)
    x_labels = [plotly_text(short[c]) for c in columns]
    y_labels = [plotly_text(operator_name(op)) for op in operators]
    values = [[format_metric(v, metric, lang) for v in row] for row in z]
    hover = [[f"<b>{plotly_text(full[c])}</b><br>{y}<br>{metric_label(metric, lang)}: {v}"
              for c, v in zip(columns, row_values, strict=True)]
             for y, row_values in zip(y_labels, values, strict=True)]
    finite = z[np.isfinite(z)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    ticks = nice_ticks(low, high, 5)
    cell_text = [[format_metric(v, metric, lang, compact=True) if math.isfinite(v) else ""
                  for v in row] for row in z]
    fig = go.Figure(go.Heatmap(
        z=z, x=x_labels, y=y_labels, colorscale=SEQUENTIAL_SCALE, zmin=low, zmax=high,
        xgap=1, ygap=1, customdata=[list(columns) for _ in operators],
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        # plotly picks a contrasting text colour per cell
        text=cell_text, texttemplate="%{text}" if show_values else None,
        textfont=dict(size=10),
        colorbar=dict(tickvals=ticks, ticktext=tick_labels(ticks, metric, lang), len=0.9),
        name=metric_label(metric, lang),
    ))
    missing = np.where(np.isfinite(z), np.nan, 1.0)
    if np.isfinite(missing).any():  # grey cells for "no data", drawn below the values
        fig.add_trace(go.Heatmap(
            z=missing, x=x_labels, y=y_labels, colorscale=[[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]],
            showscale=False, xgap=1, ygap=1, hoverinfo="skip", name="no_data",
        ))
        fig.data = fig.data[::-1]
        # say what grey means, above the colour bar (the tile map does the same)
        fig.add_annotation(
            x=1.0, y=1.0, xref="paper", yref="paper", xanchor="right", yanchor="bottom",
            showarrow=False, align="right", name="no_data_note",
            text=f"<span style='color:{NO_DATA_COLOR};font-size:20px'>■</span> "
            + t("chart.heatmap.no_data", lang),
            font=dict(size=13, color=MUTED_TEXT_COLOR),
        )
    fig.update_xaxes(tickangle=-60, title_text=None, showgrid=False, type="category",
                     tickfont=dict(size=12))
    fig.update_yaxes(autorange="reversed", showgrid=False, title_text=None, type="category",
                     ticksuffix="  ")
    fig.update_layout(title_text=title, height=max(300, 60 * len(operators) + 200),
                      plot_bgcolor="white")
    return apply_style(fig, lang)


def _duration_ticks(low: float, high: float, lang: str) -> dict:
    """Log-axis ticks labelled as durations (12 dtk, 5 mnt, 1 jam), at most about seven."""
    candidates = [v for v in DURATION_TICKS if low / 1.5 <= v <= high * 1.5]
    while len(candidates) > 7:
        candidates = candidates[::2]
    return dict(tickvals=candidates, ticktext=[format_duration(v, lang) for v in candidates])


def latency_chart(df: pd.DataFrame, lang: str = "id") -> go.Figure:
    """p50, p90 and p99 delivery latency per operator on a log axis in seconds: one row per
    operator in its colour, the three percentiles as circle, diamond and square."""
    title = t("chart.latency.title", lang)
    if _is_empty(df, ["operator", *LATENCY_COLUMNS]):
        return empty_figure(lang, title=title)
    rows = _operator_rows(df)
    fig = go.Figure()
    for _, row in rows.iterrows():
        operator = str(row["operator"])
        name, color = plotly_text(operator_name(operator)), operator_color(operator)
        points = [(c, float(row[c])) for c in LATENCY_COLUMNS
                  if not is_missing(row[c]) and float(row[c]) > 0]
        if not points:
            continue
        fig.add_trace(go.Scatter(
            x=[v for _, v in points], y=[name] * len(points), mode="lines+markers",
            line=dict(color=color, width=3),
            marker=dict(size=13, color=color, symbol=[PERCENTILE_SYMBOLS[c] for c, _ in points],
                        line=dict(color="white", width=1)),
            name=name, showlegend=False, customdata=[PERCENTILE_NAMES[c] for c, _ in points],
            hovertemplate=[f"<b>{name}</b><br>{PERCENTILE_NAMES[c]}: {format_duration(v, lang)}"
                           "<extra></extra>" for c, v in points],
        ))
    if not fig.data:
        return empty_figure(lang, title=title)
    for column in LATENCY_COLUMNS:  # legend: what each marker shape means, in neutral grey
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=t(f"metric.{column}", lang),
            marker=dict(size=11, color=MUTED_TEXT_COLOR, symbol=PERCENTILE_SYMBOLS[column]),
        ))
    values = [v for trace in fig.data for v in (trace.x or []) if v is not None]
    low, high = min(values), max(values)
    fig.update_xaxes(type="log", title_text=t("chart.latency_axis", lang),
                     range=[math.log10(low / 1.6), math.log10(high * 1.6)],
                     **_duration_ticks(low, high, lang))
    fig.update_yaxes(autorange="reversed", title_text=None, showgrid=False, type="category",
                     ticksuffix="  ")
    fig.update_layout(title_text=title, height=max(280, 65 * len(rows) + 160),
                      hovermode="closest")
    return apply_style(fig, lang)


def error_code_bars(df: pd.DataFrame, lang: str = "id", top: int = 12) -> go.Figure:
    """The `top` most frequent error codes (columns error_code, n or receipts, optional meaning
    or meaning_id/meaning_en) as horizontal bars, largest first; with an operator column,
    stacked in operator colours."""
    title = t("chart.error_codes.title", lang)
    if df is not None and "n" not in df.columns and "receipts" in df.columns:
        df = df.rename(columns={"receipts": "n"})
    meaning_column = "meaning_en" if normalize_lang(lang) == "en" else "meaning_id"
    if df is not None and "meaning" not in df.columns and meaning_column in df.columns:
        df = df.rename(columns={meaning_column: "meaning"})
    if _is_empty(df, ["error_code", "n"]):
        return empty_figure(lang, title=title)
    rows = df.assign(
        error_code=["–" if is_missing(c) else str(c) for c in df["error_code"]],
        meaning=(["" if is_missing(m) else str(m) for m in df["meaning"]]
                 if "meaning" in df.columns else ""),
    )
    totals = rows.groupby("error_code")["n"].sum().sort_values(ascending=False).head(top)
    meanings = rows.drop_duplicates("error_code").set_index("error_code")["meaning"]

    def label(code: str) -> str:  # cut first, then escaped: an entity is never cut
        text = f"{code} · {meanings.get(code, '')}".rstrip(" ·")
        return plotly_text(text if len(text) <= 42 else text[:40] + "…")

    labels = [label(code) for code in totals.index]
    order = dict(zip(totals.index, labels, strict=True))
    fig = go.Figure()
    if "operator" in rows.columns:
        for operator in sorted(rows["operator"].astype(str).unique(), key=operator_sort_key):
            part = (rows[rows["operator"].astype(str) == operator]
                    .groupby("error_code")["n"].sum().reindex(totals.index).fillna(0))
            name = operator_name(operator)
            fig.add_trace(go.Bar(
                x=part.to_numpy(dtype=float), y=labels, orientation="h", name=name,
                marker_color=operator_color(operator),
                hovertemplate=[f"<b>{order[c]}</b><br>{name}: {format_number(v, 0, lang)}"
                               "<extra></extra>" for c, v in part.items()],
            ))
        fig.add_trace(go.Scatter(  # totals at the end of each stacked bar
            x=totals.to_numpy(dtype=float), y=labels, mode="text",
            text=[" " + format_number(v, 0, lang) for v in totals], textposition="middle right",
            hoverinfo="skip", showlegend=False, name="total",
        ))
        fig.update_layout(barmode="stack", legend_traceorder="normal")
    else:
        fig.add_trace(go.Bar(
            x=totals.to_numpy(dtype=float), y=labels, orientation="h",
            marker_color=SERIES_COLORS["neutral"], name=t("chart.count", lang),
            text=[format_number(v, 0, lang) for v in totals], textposition="outside",
            hovertemplate=[f"<b>{order[c]}</b><br>{t('chart.count', lang)}: "
                           f"{format_number(v, 0, lang)}<extra></extra>"
                           for c, v in totals.items()],
            showlegend=False,
        ))
    fig.update_xaxes(range=[0, float(totals.max()) * 1.2], showticklabels=False, showgrid=False)
    fig.update_yaxes(autorange="reversed", title_text=None, type="category", ticksuffix="  ")
    fig.update_layout(title_text=title, height=max(240, 34 * len(totals) + 150))
    if "operator" not in rows.columns:
        fig.update_layout(margin_t=64, height=max(220, 34 * len(totals) + 110))
    return apply_style(fig, lang)
