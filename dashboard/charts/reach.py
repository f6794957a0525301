"""Reach charts: operators, waves, days, provinces, latency and error codes.

Every function takes a DataFrame with the export contract's column names (operator,
province_code, wave_id, sent, delivered, delivery_rate, ...) and returns a styled figure; an
empty frame gives a figure saying "Tidak ada data" rather than an error.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.style import (
    BAR_LABEL_ROOM_PX,
    LEGEND_BELOW,
    MUTED_TEXT_COLOR,
    NO_DATA_COLOR,
    SEQUENTIAL_SCALE,
    SERIES_COLORS,
    TEXT_COLOR,
    apply_style,
    date_ticks,
    empty_figure,
    format_metric,
    metric_kind,
    metric_label,
    nice_ticks,
    operator_color,
    operator_name,
    operator_sort_key,
    scale_color,
    tick_labels,
)
from dashboard.charts.tilemap import (
    colorbar_ticks,
    filter_codes,
    per_voter_scale,
    province_tiles,
    short_value,
)
from dashboard.i18n import (
    format_date,
    format_duration,
    format_number,
    is_missing,
    normalize_lang,
    t,
)
from dashboard.text_safety import plotly_text

UNKNOWN_WAVE_COLOR = MUTED_TEXT_COLOR  # a wave missing from the catalogue: apart, in grey
LATENCY_TEXT_ROOM = 8  # a factor past the last tick: "4 jam" beside the p99 mark fits
# and a margin of pixels for it, set on the figure: Streamlit's theme zeroes a side margin
# left to the template, and on a phone's 200 px plot "4,2 jam" ran past the chart's edge
LATENCY_TEXT_MARGIN_PX = 30
NO_CODE = "–"  # a failure the operator reported without an error code
ERROR_LABEL_CHARS = 24  # an error code's label per line: under 40 % of a phone's width
# a press canvas is never a phone's, and its larger type leaves no room for a third line per
# bar on the square (social) canvas: its labels wrap at this width instead
PRESS_ERROR_LABEL_CHARS = 36
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


SINGLE_CELL_FONT = 22  # the one value of a one-cell grid, read as a number
COLORBAR_BELOW_PX = 52  # a flat colour bar with its tick labels, under a plot


def _bar_text_positions(values: Iterable[float], high: float) -> list[str]:
    """Value labels inside the long bars, outside the short ones: a label beyond the longest
    bar would need room a phone's narrow plot does not have."""
    return ["inside" if high > 0 and float(v) >= 0.5 * high else "outside" for v in values]


def _wrap(text: str, width: int = 44) -> str:
    """A plotly label on several lines (<br>) of at most about `width` characters."""
    return "<br>".join(textwrap.wrap(text, width)) or text


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


def operator_bars(df: pd.DataFrame, metric: str, lang: str = "id") -> go.Figure:
    """Horizontal bars, one per operator (one row each in `df`), in the operators' colours,
    each labelled with its value."""
    title = t("chart.operator_bars.title", lang, metric=metric_label(metric, lang))
    if _is_empty(df, ["operator", metric]):
        return empty_figure(lang, title=title)
    rows = _operator_rows(df)
    names = [plotly_text(operator_name(op)) for op in rows["operator"]]
    labels = [format_metric(v, metric, lang) for v in rows[metric]]
    values = rows[metric].astype(float)
    fig = go.Figure(go.Bar(
        x=values, y=names, orientation="h",
        marker_color=[operator_color(op) for op in rows["operator"]],
        text=labels, textposition=_bar_text_positions(values, float(values.max())),
        insidetextanchor="end",
        customdata=rows["operator"].astype(str).tolist(),
        hovertemplate=[f"<b>{n}</b><br>{metric_label(metric, lang)}: {v}<extra></extra>"
                       for n, v in zip(names, labels, strict=True)],
        name=metric_label(metric, lang),
    ))
    axis = _metric_axis(rows[metric], metric, lang)
    # the value labels carry the numbers, so the axis is only a faint grid; room for labels
    fig.update_xaxes(range=[0, axis["range"][1] * 1.15], showticklabels=False, showgrid=False)
    fig.update_yaxes(autorange="reversed", title_text=None,
                     ticklabelstandoff=BAR_LABEL_ROOM_PX)
    fig.update_layout(title_text=title, showlegend=False, margin_t=64,
                      height=max(240, 70 * len(rows) + 90), bargap=0.3)
    return apply_style(fig, lang)


def rate_axis_range(rates: pd.Series) -> tuple[float, float]:
    """The delivery-rate panel's axis from the campaign's waves' rates: their span with room
    for the labels above and below, never past 0 or (plus the room) 1. A wave the catalogue
    does not list is left out by the caller: 25 messages at 100 % squashed ten waves between
    94,5 and 95,1 % into a flat line."""
    low_rate, high_rate = float(rates.min()), float(rates.max())
    pad = max((high_rate - low_rate) * 0.35, 0.02)
    return max(low_rate - pad, 0), min(high_rate + pad, 1.0) + pad * 0.6


def _edge_symbol(value: float, low: float, high: float, symbol: str) -> str:
    """A mark beyond the axis, held at its edge, points the way it lies (open triangle)."""
    if value > high:
        return "triangle-up-open"
    if value < low:
        return "triangle-down-open"
    return symbol


def wave_trend(df: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Sent and delivered per wave as grouped bars; above them, in a panel of its own so labels
    never collide with the bars, the delivery rate per wave as a labelled line (if given)."""
    title = t("chart.wave_trend.title", lang)
    if _is_empty(df, ["wave_id", "sent", "delivered"]):
        return empty_figure(lang, title=title)
    known_flags = (df["in_catalogue"] if "in_catalogue" in df.columns
                   else pd.Series(True, index=df.index))
    # waves the catalogue does not list come last: they are not a step of the campaign
    rows = df.assign(_known=[k is not False for k in known_flags],
                     _key=df["wave_id"].map(wave_sort_key))
    rows = (rows.assign(_last=~rows["_known"]).sort_values(["_last", "_key"])
            .drop(columns="_last"))
    known = rows["_known"].tolist()
    # from files; "SMS11<br>(tak dikenal)": two short lines, never a long slanted one
    waves = [plotly_text(w) if k else
             plotly_text(t("chart.unknown_wave_short", lang, wave=w)).replace(" (", "<br>(", 1)
             for w, k in zip(rows["wave_id"].astype(str), known, strict=True)]
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
        campaign = rates[known].dropna()
        low, high = rate_axis_range(campaign if len(campaign) else rates.dropna())
        # the campaign's waves joined by the line; a wave the catalogue does not list (25
        # messages at 100 % spiked it) an open grey mark of its own, never joined, and held at
        # the edge of the campaign's axis with its value written when it lies beyond it
        for part, mode, color, symbol, name in (
                (list(known), "lines+markers+text", SERIES_COLORS["delivery_rate"],
                 "circle", label),
                ([not k for k in known], "markers+text", UNKNOWN_WAVE_COLOR, "circle-open",
                 t("chart.unknown_wave_rate", lang))):
            if not any(part):
                continue
            x = [w for w, keep in zip(waves, part, strict=True) if keep]
            y = rates[part]
            shown = y.clip(low, high) if symbol == "circle-open" else y
            # above and below the line in turn, so neighbours never collide on a phone; a
            # mark held at the top edge writes its value below it, at the bottom above it
            positions = ["top center" if i % 2 == 0 else "bottom center"
                         for i in range(len(y))]
            if symbol == "circle-open":
                positions = ["bottom center" if v > high else "top center" if v < low else p
                             for v, p in zip(y, positions, strict=True)]
            fig.add_trace(go.Scatter(
                x=x, y=shown, name=name, mode=mode,
                line=dict(color=color, width=2),
                marker=dict(size=8, color=color, line=dict(width=2),
                            symbol=[_edge_symbol(v, low, high, symbol) for v in y]),
                text=[format_metric(v, "delivery_rate", lang) for v in y],
                textposition=positions,
                textfont=dict(size=11, color=color), cliponaxis=False,
                hovertemplate=[f"{w}<br>{name}: {format_metric(v, 'delivery_rate', lang)}"
                               "<extra></extra>" for w, v in zip(x, y, strict=True)],
            ), row=1, col=1)
        # every point carries its value; axis ticks on a narrow range only collide
        fig.update_yaxes(range=[low, high], showticklabels=False, row=1, col=1)
    fig.update_xaxes(type="category")
    fig.update_xaxes(title_text=t("chart.wave", lang), **bar_cell)
    fig.update_layout(title_text=title, barmode="group", height=500, hovermode="x unified",
                      legend=LEGEND_BELOW, margin_t=70)
    return apply_style(fig, lang)


def _every_day(df: pd.DataFrame, date_col: str, by: list[str], values: list[str]
               ) -> pd.DataFrame:
    """`values` summed per day (and per `by` group), every day from the first to the last,
    a day without receipts as 0: a line drawn straight from one send day to the next would
    read as messages sent on every day between them."""
    df = df.assign(**{c: df[c].astype(str) for c in by})
    days = pd.date_range(df[date_col].min(), df[date_col].max(), freq="D", name=date_col)
    summed = df.groupby([date_col, *by])[values].sum()
    every = (pd.MultiIndex.from_product([days, *(sorted(df[c].unique()) for c in by)],
                                        names=[date_col, *by]) if by else days)
    return summed.reindex(every, fill_value=0).reset_index()


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
    rows = _every_day(df.assign(**{date_col: pd.to_datetime(df[date_col]).dt.normalize()}),
                      date_col, ["operator"] if by_operator else [],
                      ["delivered"] if by_operator else ["sent", "delivered"])
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
    fig.update_xaxes(title_text=None, **date_ticks(rows[date_col], lang))
    fig.update_yaxes(title_text=t("chart.messages", lang), **_count_axis(high, lang))
    fig.update_layout(title_text=title, height=420, hovermode="closest", legend=LEGEND_BELOW,
                      margin_t=64)
    return apply_style(fig, lang)


def operator_province_heatmap(
    df: pd.DataFrame, metric: str, lang: str = "id", show_values: bool = False,
    *, in_filter: Iterable[int] | None = None, provinces_as_rows: bool = False,
) -> go.Figure:
    """Operators (rows) by provinces (columns, west to east by code, short names), coloured by
    `metric`; missing combinations are grey. `show_values` writes compact values in the cells.

    `in_filter`: the provinces the page's filter covers (None: all). Only those are drawn, and
    a note says how many are outside the filter: a province left out by the filter is not a
    grey "no receipts" cell. `provinces_as_rows` turns the grid (provinces down, operators
    across, values written in the cells): the form that reads on a phone."""
    title = t("chart.heatmap.title", lang, metric=metric_label(metric, lang))
    if _is_empty(df, ["operator", "province_code", metric]):
        return empty_figure(lang, title=title)
    tiles = province_tiles().sort_values("province_code")
    covered = filter_codes(in_filter)
    codes = [c for c in tiles["province_code"].astype(int)
             if covered is None or c in covered]
    rows = df.assign(
        _province=[None if is_missing(c) else int(c) for c in df["province_code"]],
        operator=df["operator"].astype(str),
    )
    if covered is not None:  # rows of provinces the filter leaves out are not shown
        rows = rows[rows["_province"].isna() | rows["_province"].isin(covered)]
    has_unknown = rows["_province"].isna().any()
    rows = rows.assign(_province=rows["_province"].fillna(-1).astype(int))
    columns = codes + ([-1] if has_unknown else [])
    operators = sorted(rows["operator"].unique(), key=operator_sort_key)
    if not operators or not columns:
        return empty_figure(lang, title=title)
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
    # a phone's flat colour bar has room for about three labels
    ticks, tick_text = colorbar_ticks(low, high, metric, lang, count=3 if provinces_as_rows else 5)
    cell_text = [[short_value(v, metric, lang) if math.isfinite(v) else "" for v in row]
                 for row in z]
    customdata = [list(columns) for _ in operators]
    missing = np.where(np.isfinite(z), np.nan, 1.0)
    # one value (one operator and one province): no scale to read it from, so the cell
    # carries the number itself, written in full, and there is no colour bar
    single = finite.size == 1
    if single:
        cell_text = [[format_metric(v, metric, lang) if math.isfinite(v) else "" for v in row]
                     for row in z]
        show_values = True
    if provinces_as_rows:  # provinces down the page, operators across
        z, missing = z.T, missing.T
        # short operator names across a phone ("Indosat", "XL"); full names on hover
        x_labels = [plotly_text(operator_name(op).split()[0]) for op in operators]
        y_labels = [plotly_text(full[c]) for c in columns]
        hover = [list(col) for col in zip(*hover, strict=True)]
        cell_text = [list(col) for col in zip(*cell_text, strict=True)]
        customdata = [[c] * len(operators) for c in columns]
        show_values = True
    fig = go.Figure(go.Heatmap(
        z=z, x=x_labels, y=y_labels, colorscale=SEQUENTIAL_SCALE, zmin=low, zmax=high,
        xgap=1, ygap=1, customdata=customdata,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        # plotly picks a contrasting text colour per cell
        text=cell_text, texttemplate="%{text}" if show_values else None,
        textfont=dict(size=SINGLE_CELL_FONT if single else 11 if provinces_as_rows else 10),
        showscale=not single,
        # phone form: a flat colour bar under the grid (above it sit the operators, and in a
        # press export the title)
        colorbar=(dict(tickvals=ticks, ticktext=tick_text, orientation="h", x=0,
                       xanchor="left", y=0.0, yanchor="top", ypad=6, len=1.0, thickness=10,
                       tickangle=0)
                  if provinces_as_rows else dict(tickvals=ticks, ticktext=tick_text, len=0.9)),
        name=metric_label(metric, lang),
    ))
    notes = []  # (name, text): what grey means and what the filter leaves out
    if np.isfinite(missing).any():  # grey cells for "no data", drawn below the values
        fig.add_trace(go.Heatmap(
            z=missing, x=x_labels, y=y_labels, colorscale=[[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]],
            showscale=False, xgap=1, ygap=1, hoverinfo="skip", name="no_data",
        ))
        fig.data = fig.data[::-1]
        notes.append(("no_data_note",
                      f"<span style='color:{NO_DATA_COLOR};font-size:20px'>■</span> ",
                      t("chart.heatmap.no_data", lang)))
    if covered is not None:
        notes.append(("outside_filter_note", "", t("chart.heatmap.outside_filter", lang,
                                                   n=len(codes),
                                                   outside=len(tiles) - len(codes))))
    line_px, lines = 20, 0
    for name, mark, note in notes:
        # phone form: under the grid, wrapped to the width beside the province names; wide
        # form: between the title and the grid, left-aligned so that a long note runs into
        # empty space instead of off the left edge
        text = mark + (_wrap(note, 30) if provinces_as_rows else note)
        if provinces_as_rows:
            placement = dict(y=0.0, yanchor="top", yshift=-COLORBAR_BELOW_PX - line_px * lines)
        else:
            placement = dict(y=1.0, yanchor="bottom",
                             yshift=6 + line_px * (len(notes) - 1 - lines))
        lines += text.count("<br>") + 1
        fig.add_annotation(x=0, xref="paper", yref="paper", xanchor="left", showarrow=False,
                           align="left", name=name, text=text, **placement,
                           font=dict(size=12 if provinces_as_rows else 13,
                                     color=MUTED_TEXT_COLOR))
    extra = line_px * lines + (8 if lines else 0)
    if provinces_as_rows:
        fig.update_xaxes(side="top", title_text=None, showgrid=False, type="category",
                         tickfont=dict(size=12))
        fig.update_yaxes(autorange="reversed", showgrid=False, title_text=None,
                         type="category", ticksuffix=" ", tickfont=dict(size=12))
        fig.update_layout(title_text=title,
                          height=26 * len(columns) + 150 + COLORBAR_BELOW_PX + extra,
                          plot_bgcolor="white",
                          margin=dict(t=84, b=20 + COLORBAR_BELOW_PX + extra))
    else:
        fig.update_xaxes(tickangle=-60, title_text=None, showgrid=False, type="category",
                         tickfont=dict(size=12))
        fig.update_yaxes(autorange="reversed", showgrid=False, title_text=None,
                         type="category", ticksuffix="  ")
        fig.update_layout(title_text=title, height=max(300, 60 * len(operators) + 200) + extra,
                          plot_bgcolor="white", margin=dict(t=70 + extra))
    return apply_style(fig, lang)


def _ranking_rows(df: pd.DataFrame | None, metric: str, in_filter: Iterable[int] | None
                  ) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(provinces with a value, largest first; provinces in the filter without one; how many
    provinces the filter leaves out)."""
    tiles = province_tiles()
    covered = filter_codes(in_filter)
    inside = tiles if covered is None else tiles[tiles["province_code"].isin(covered)]
    values = pd.Series(dtype=float)
    if df is not None and not df.empty and metric in df.columns:
        known = df.dropna(subset=["province_code"])
        values = (known.assign(province_code=known["province_code"].astype(int))
                  .groupby("province_code")[metric].first().astype(float).dropna())
    shown = (inside.assign(value=inside["province_code"].map(values))
             .dropna(subset=["value"])
             .sort_values(["value", "province_code"], ascending=[False, True]))
    no_data = inside[~inside["province_code"].isin(shown["province_code"])]
    return shown, no_data, len(tiles) - len(inside)


# the fewest rows a column of the press's ranked list is drawn for (province_ranking)
RANKED_COLUMN_ROWS_AT_LEAST = 10


def province_ranking(df: pd.DataFrame, metric: str, lang: str = "id",
                     in_filter: Iterable[int] | None = None,
                     selected: Iterable[int] | None = None, columns: int = 1,
                     title: str | None = None) -> go.Figure:
    """The tile map's numbers as a ranked list, for a phone: one bar per province with a
    value, largest first, in the tile map's colours and with its values (per 1.000 / per 1 juta
    pemilih where the map writes them so). `customdata` is the province code, so a tap narrows
    the page as a tile click does; `selected` provinces are outlined. Which provinces have no
    data and how many are outside the filter: `ranking_note`. `title` defaults to the metric's
    ranking ("Tayangan: peringkat provinsi"); a channel's list passes its map's title.

    `columns` > 1: the list in that many columns side by side (ranks 1-19 and 20-38), every
    row the same height, no axis: the press's square figure, where 38 rows of readable type do
    not fit one column (export.figures lays the columns out around their names); a column has
    room for RANKED_COLUMN_ROWS_AT_LEAST rows at least, and ten provinces or fewer are one. A press
    figure travels without the page's caption, so this form writes `ranking_note` itself,
    above the list (export.figures gives a note there a band of its own)."""
    if title is None:
        title = t("chart.ranking.title", lang, metric=metric_label(metric, lang))
    shown, _, _ = _ranking_rows(df, metric, in_filter)
    if shown.empty:
        return empty_figure(lang, title=title)
    _, scale_key = per_voter_scale(shown["value"], metric)
    low, high = float(shown["value"].min()), float(shown["value"].max())
    names = [plotly_text(name if len(name) <= 18 else label)
             for name, label in zip(shown["name"], shown["label"], strict=True)]
    shown = shown.assign(
        row_label=[f"{rank}. {name}" for rank, name in enumerate(names, start=1)],
        text=[short_value(v, metric, lang) for v in shown["value"]])
    chosen = {int(c) for c in selected or []}

    def bars(part: pd.DataFrame) -> go.Bar:
        return go.Bar(
            x=part["value"].to_numpy(dtype=float), y=part["row_label"].tolist(),
            orientation="h",
            marker=dict(color=[scale_color(float(v), low, high) for v in part["value"]],
                        line=dict(color=TEXT_COLOR, width=[2 if c in chosen else 0
                                                           for c in part["province_code"]])),
            text=part["text"].tolist(), textposition="outside", cliponaxis=False,
            customdata=part["province_code"].astype(int).tolist(),
            hovertemplate=[f"<b>{plotly_text(n)}</b><br>{metric_label(metric, lang)}: "
                           f"{format_metric(v, metric, lang)}<extra></extra>"
                           for n, v in zip(part["name"], part["value"], strict=True)],
            name="ranking", showlegend=False,
        )

    value_range = [0, high * 1.3 if high > 0 else 1]
    if columns > 1:
        # a short list keeps a ten-row list's row height, in as few columns as hold it: two
        # provinces in two columns were two bars half a canvas tall
        columns = min(columns, math.ceil(len(shown) / RANKED_COLUMN_ROWS_AT_LEAST))
        per_column = math.ceil(len(shown) / columns)
        slots = max(per_column, RANKED_COLUMN_ROWS_AT_LEAST)
        parts = [shown.iloc[k * per_column:(k + 1) * per_column] for k in range(columns)]
        parts = [part for part in parts if not part.empty]
        fig = make_subplots(rows=1, cols=len(parts), horizontal_spacing=0.3)
        for k, part in enumerate(parts, start=1):
            # the values at the type's own size: plotly shrank them to the bar's thickness
            fig.add_trace(bars(part).update(constraintext="none"), row=1, col=k)
            # every column the same rows, so a bar is as tall in the last, shorter one
            fig.update_yaxes(type="category", range=[slots - 0.5, -0.5], row=1, col=k)
        fig.update_xaxes(range=value_range, visible=False, fixedrange=True)
        fig.update_yaxes(title_text=None, ticksuffix=" ", tickfont=dict(size=12),
                         showgrid=False, fixedrange=True)
        fig.update_layout(title_text=title, height=22 * slots + 140, bargap=0.25,
                          margin=dict(l=10, r=10, t=70, b=10))
        if left_out := ranking_note(df, metric, lang, in_filter):
            fig.add_annotation(x=0, y=1, xref="paper", yref="paper", xanchor="left",
                               yanchor="bottom", showarrow=False, align="left",
                               name="ranking_note", text=plotly_text(left_out),
                               font=dict(size=12, color=MUTED_TEXT_COLOR))
        return apply_style(fig, lang)
    fig = go.Figure(bars(shown))
    axis_title = (t("chart.tilemap.per_voters", lang, n=t(scale_key, lang)) if scale_key
                  else None)
    fig.update_xaxes(range=value_range, showticklabels=False,
                     showgrid=False, title_text=axis_title, side="top")
    fig.update_yaxes(autorange="reversed", title_text=None, type="category",
                     ticklabelstandoff=BAR_LABEL_ROOM_PX, tickfont=dict(size=12))
    fig.update_layout(title_text=title, height=22 * len(shown) + 140, bargap=0.25,
                      margin=dict(l=10, r=10, t=96 if axis_title else 70, b=10))
    return apply_style(fig, lang)


def ranking_note(df: pd.DataFrame, metric: str, lang: str = "id",
                 in_filter: Iterable[int] | None = None) -> str | None:
    """What the ranked list leaves out: provinces in the filter without data (by name) and the
    number outside the filter; None when it shows every province."""
    _, no_data, outside = _ranking_rows(df, metric, in_filter)
    parts = []
    if not no_data.empty:
        parts.append(t("chart.ranking.no_data", lang, names=", ".join(no_data["name"])))
    if outside:
        parts.append(t("chart.ranking.outside", lang, n=outside))
    return " ".join(parts) or None


def _duration_ticks(low: float, high: float, lang: str) -> dict:
    """Log-axis ticks labelled as durations (12 dtk, 5 mnt, 1 jam), at most about seven,
    the last at or above `high`: a p99 past the last tick could not be read."""
    above = next((v for v in DURATION_TICKS if v >= high), DURATION_TICKS[-1])
    candidates = [v for v in DURATION_TICKS if low / 1.5 <= v <= above]
    while len(candidates) > 7:
        candidates = candidates[::-2][::-1]  # every other, keeping the last
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
            x=[v for _, v in points], y=[name] * len(points), mode="lines+markers+text",
            # the p99 written beside its mark: the slowest one reads without a tick near it
            text=[format_duration(v, lang) if c == "latency_p99_s" else ""
                  for c, v in points],
            textposition="middle right", textfont=dict(size=12, color=TEXT_COLOR),
            line=dict(color=color, width=3),
            marker=dict(size=13, color=color, symbol=[PERCENTILE_SYMBOLS[c] for c, _ in points],
                        line=dict(color="white", width=1)),
            name=name, showlegend=False, customdata=[PERCENTILE_NAMES[c] for c, _ in points],
            cliponaxis=False,  # the p99 square at the axis end is drawn whole
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
    ticks = _duration_ticks(low, high, lang)
    # room right of the last tick for the p99 values written beside their marks
    fig.update_xaxes(type="log", title_text=_wrap(t("chart.latency_axis", lang), 34),
                     range=[math.log10(low / 1.6),
                            math.log10(max(high, ticks["tickvals"][-1]) * LATENCY_TEXT_ROOM)],
                     **ticks)
    fig.update_yaxes(autorange="reversed", title_text=None, showgrid=False, type="category",
                     ticksuffix="  ")
    # the percentiles are histogram bucket middles: the note goes wherever the chart goes
    # (page, press export), above the plot where press_figure gives it a band of its own
    # anchored at the plot's right edge, so a long line runs left over the empty space above
    # the operator names instead of off a phone's screen (the plot is 200 px wide there)
    note = _wrap(t("ui.latency_note", lang), 40)
    fig.add_annotation(x=1, y=1.0, xref="paper", yref="paper", xanchor="right", yanchor="bottom",
                       yshift=6, showarrow=False, align="left", name="latency_note", text=note,
                       font=dict(size=13, color=MUTED_TEXT_COLOR))
    fig.update_layout(title_text=title, height=max(300, 65 * len(rows) + 200),
                      hovermode="closest", legend=LEGEND_BELOW,
                      margin_t=64 + 18 * (note.count("<br>") + 1), margin_r=LATENCY_TEXT_MARGIN_PX)
    return apply_style(fig, lang)


def error_code_bars(df: pd.DataFrame, lang: str = "id", top: int = 12,
                    label_chars: int = ERROR_LABEL_CHARS) -> go.Figure:
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
        error_code=[NO_CODE if is_missing(c) else str(c) for c in df["error_code"]],
        meaning=(["" if is_missing(m) else str(m) for m in df["meaning"]]
                 if "meaning" in df.columns else ""),
    )
    totals = rows.groupby("error_code")["n"].sum().sort_values(ascending=False).head(top)
    meanings = rows.drop_duplicates("error_code").set_index("error_code")["meaning"]

    def label(code: str) -> str:
        # the meaning alone for a failure without a code ("– · Gagal tanpa kode" read as a
        # stray prefix); wrapped, never cut, on lines short enough to leave a phone's bars
        # most of the width; each line escaped on its own, so no entity is split
        meaning = meanings.get(code, "")
        text = (meaning or code) if code == NO_CODE else f"{code} · {meaning}".rstrip(" ·")
        return "<br>".join(plotly_text(line) for line in
                           textwrap.wrap(text, label_chars) or [text])

    labels = [label(code) for code in totals.index]
    lines = max(label.count("<br>") + 1 for label in labels)
    row_px = max(34, 16 * lines + 12)  # a bar's row holds its label's lines
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
        fig.update_layout(barmode="stack", legend_traceorder="normal", legend=LEGEND_BELOW)
    else:
        fig.add_trace(go.Bar(
            x=totals.to_numpy(dtype=float), y=labels, orientation="h",
            marker_color=SERIES_COLORS["neutral"], name=t("chart.count", lang),
            text=[format_number(v, 0, lang) for v in totals],
            textposition=_bar_text_positions(totals, float(totals.max())),
            insidetextanchor="end",
            hovertemplate=[f"<b>{order[c]}</b><br>{t('chart.count', lang)}: "
                           f"{format_number(v, 0, lang)}<extra></extra>"
                           for c, v in totals.items()],
            showlegend=False,
        ))
    fig.update_xaxes(range=[0, float(totals.max()) * 1.2], showticklabels=False, showgrid=False)
    fig.update_yaxes(autorange="reversed", title_text=None, type="category",
                     ticklabelstandoff=BAR_LABEL_ROOM_PX)
    fig.update_layout(title_text=title, height=max(240, row_px * len(totals) + 150))
    if "operator" not in rows.columns:
        fig.update_layout(margin_t=64, height=max(220, row_px * len(totals) + 110))
    return apply_style(fig, lang)
