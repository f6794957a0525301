"""An offline map of Indonesia: one square tile per province, coloured by a metric.

The tiles are scatter markers (not shapes) so that a click in Streamlit
(`st.plotly_chart(fig, on_select="rerun")`) selects a point whose `customdata` is the
province code. Marker sizes are in pixels, so the figure has a fixed width and height: show it
at that size (Streamlit: `width="content"` / `use_container_width=False`) or pass the size in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

import pandas as pd
import plotly.graph_objects as go

from dashboard import reference
from dashboard.charts.style import (
    FONT_FAMILY,
    MUTED_TEXT_COLOR,
    NO_DATA_COLOR,
    PER_VOTERS,
    PER_VOTERS_KEY,
    SEQUENTIAL_SCALE,
    TEXT_COLOR,
    apply_style,
    empty_figure,
    format_metric,
    metric_kind,
    metric_label,
    nice_ticks,
    scale_color,
    text_color_on,
    tick_labels,
)
from dashboard.i18n import format_number, format_percent, is_missing, significant_decimals, t
from dashboard.text_safety import plotly_text

# (col, row) of each tile, row 0 at the top. Island groups are kept apart by an empty column or
# row so the grid reads as the archipelago, west to east: Sumatra on a north-west/south-east
# diagonal, Java with Bali and Nusa Tenggara along the bottom, Kalimantan above Java, Sulawesi's
# K shape, Maluku, and Papua (bird's head west; north coast, highlands, south coast east).
TILE_LAYOUT: dict[int, tuple[int, int]] = {
    11: (0, 0), 12: (0, 1), 14: (1, 1), 21: (2, 1), 13: (1, 2), 15: (2, 2),  # Sumatra
    17: (2, 3), 16: (3, 3), 19: (4, 3), 18: (3, 4),
    36: (4, 4), 31: (5, 4), 32: (6, 4), 33: (7, 4), 35: (8, 4), 34: (7, 5),  # Java
    51: (9, 4), 52: (10, 4), 53: (11, 4),  # Bali, Nusa Tenggara
    65: (8, 0), 61: (6, 1), 62: (7, 1), 64: (8, 1), 63: (8, 2),  # Kalimantan
    72: (10, 0), 75: (11, 0), 71: (12, 0), 76: (10, 1), 73: (10, 2), 74: (11, 2),  # Sulawesi
    82: (13, 1), 81: (13, 2),  # Maluku
    96: (15, 1), 92: (16, 1), 94: (16, 2), 91: (17, 1), 95: (17, 2), 93: (17, 3),  # Papua
}
# Island-group captions, placed in empty cells next to their tiles: (key, col, row).
REGION_LABELS: tuple[tuple[str, float, float], ...] = (
    ("region.sumatera", 0.5, 3.0),
    ("region.kalimantan", 6.5, 0.0),
    ("region.jawa", 5.5, 5.0),
    ("region.bali_nusa_tenggara", 10.0, 5.0),
    ("region.sulawesi", 11.5, 1.0),
    ("region.maluku", 13.0, 3.0),
    ("region.papua", 15.5, 3.0),
)
# Labels that fit a tile where the reference short name does not.
TILE_LABELS: dict[int, str] = {
    92: "Pabar", 93: "Papsel", 94: "Papteng", 95: "Papeg", 96: "PBD", 75: "Gtlo", 17: "Bengkulu",
}
TILE_FONT = "DejaVu Sans Condensed, Liberation Sans Narrow, Arial Narrow, " + FONT_FAMILY
DEFAULT_WIDTH = 1100
OUTSIDE_FILTER_COLOR = "#FFFFFF"  # a white tile with a grey outline: not chosen, not "no data"
OUTSIDE_FILTER_LINE = "#B0B0B0"
_MARGIN = dict(l=10, r=10, t=70, b=10)
_PLOT_FRACTION = 0.9  # the rest of the width holds the colour bar


@cache
def _provinces() -> pd.DataFrame:
    """The 38 provinces: province_code, name, short, capital, lat, lon, tile_col, tile_row."""
    return reference.provinces()


def province_tiles() -> pd.DataFrame:
    """province_code, name, short, label (fits a tile), col, row for the 38 provinces."""
    prov = _provinces()
    layout = pd.DataFrame(
        [(code, col, row) for code, (col, row) in TILE_LAYOUT.items()],
        columns=["province_code", "col", "row"],
    )
    tiles = prov[["province_code", "name", "short", "tile_col", "tile_row"]].merge(
        layout, on="province_code", how="left"
    )
    # a province the layout does not know yet keeps the reference file's position
    tiles["col"] = tiles["col"].fillna(tiles["tile_col"]).astype(int)
    tiles["row"] = tiles["row"].fillna(tiles["tile_row"]).astype(int)
    tiles["label"] = [
        TILE_LABELS.get(code, short)
        for code, short in zip(tiles.province_code, tiles.short, strict=True)
    ]
    return tiles.drop(columns=["tile_col", "tile_row"])


def province_labels(compact: bool = True) -> dict[int, str]:
    """province code -> tile label ('Jabar', 'Papsel') or full name ('Jawa Barat')."""
    tiles = province_tiles()
    return dict(zip(tiles.province_code, tiles.label if compact else tiles.name, strict=True))


def _selected_codes(selected: int | Iterable[int] | None) -> set[int]:
    if selected is None:
        return set()
    if isinstance(selected, (int, str)):
        selected = [selected]
    return {int(code) for code in selected if not is_missing(code)}


def filter_codes(in_filter: Iterable[int] | None) -> set[int] | None:
    """The province codes a filter covers, or None when it covers every province."""
    if in_filter is None:
        return None
    return {int(code) for code in in_filter if not is_missing(code)}


def per_voter_scale(values: Iterable[float], metric: str) -> tuple[int, str | None]:
    """(factor, i18n key of "1.000") of a per-voter metric's tiles and colour bar: always
    style.PER_VOTERS, the one unit every view shows (the values do not choose it, so a number
    reads the same on every page). Other metrics: (1, None). `values` is not used any more."""
    if metric_kind(metric) != "per_voter":
        return 1, None
    return PER_VOTERS, PER_VOTERS_KEY


def short_value(value: float, metric: str, lang: str) -> str:
    """A value in at most about five characters, for a tile or a cell: counts compact
    (12,3 jt), percentages whole (96%), per-voter values per PER_VOTERS voters with two
    significant digits (0,00098 per voter: 0,98)."""
    if is_missing(value):
        return format_number(None)
    if metric_kind(metric) == "per_voter":
        scaled = float(value) * PER_VOTERS
        return format_number(scaled, significant_decimals(scaled, digits=2), lang)
    return format_metric(value, metric, lang, compact=True)


def colorbar_ticks(low: float, high: float, metric: str, lang: str, factor: int = 1,
                   count: int = 5) -> tuple[list[float], list[str]]:
    """Colour-bar ticks (in the data's units) and their labels for [low, high]. Labels carry
    only the decimals the ticks need (92,5% 95,0% 97,5%); a range of one value (a single
    province, a filter leaving one cell) has one tick written as the value itself is shown
    (96,1%), never the raw fraction (96,0784314%)."""
    if not (high - low > 1e-12 * max(1.0, abs(high))):
        value = (low + high) / 2
        if metric_kind(metric) == "percent":
            label = format_percent(value, 1, lang)
        elif factor != 1:
            label = short_value(value, metric, lang)
        else:
            label = format_metric(value, metric, lang)
        return [value], [label]
    # back to the data's units, to 12 significant digits (0.015 / 1000 is 1.4999e-05 in
    # floating point, below a lowest value of 1.5e-05)
    ticks = [float(f"{v / factor:.12g}") for v in nice_ticks(low * factor, high * factor, count)]
    return ticks, tick_labels(ticks, metric, lang)  # per-voter labels per PER_VOTERS


def province_tile_map(
    df: pd.DataFrame,
    metric: str,
    lang: str = "id",
    selected: int | Iterable[int] | None = None,
    *,
    title: str | None = None,
    colorscale: str | list = SEQUENTIAL_SCALE,
    range_: tuple[float, float] | None = None,
    show_regions: bool = True,
    width: int = DEFAULT_WIDTH,
    height: int | None = None,
    in_filter: Iterable[int] | None = None,
) -> go.Figure:
    """A tile grid of the 38 provinces coloured by `df[metric]` (one row per province_code).

    Each tile carries its short name and a short value (per-voter values too small to read
    are written per 1,000 or per million voters, which the colour bar's title says); hover
    gives the full name and the exact value. `in_filter`: the provinces the page's filter
    covers (None: all); the others are white tiles "di luar filter / outside the filter",
    while a province in the filter without a value is grey, "tanpa data / no data".
    `customdata` of every tile is its province code; `selected` province codes get a thick
    outline. `range_` fixes the colour range (e.g. (0, 1)). `height` defaults to what the
    grid needs at `width`.
    """
    title = title if title is not None else t(
        "chart.tilemap.title", lang, metric=metric_label(metric, lang)
    )
    if df is None or df.empty or metric not in df.columns or "province_code" not in df.columns:
        return empty_figure(lang, title=title)

    values = (
        df.dropna(subset=["province_code"])
        .assign(province_code=lambda d: d["province_code"].astype(int))
        .groupby("province_code")[metric]
        .first()
    )
    covered = filter_codes(in_filter)
    tiles = province_tiles()
    outside = (~tiles["province_code"].isin(covered) if covered is not None
               else pd.Series(False, index=tiles.index))
    tiles = tiles.assign(
        value=lambda d: d["province_code"].map(values).astype("Float64").mask(outside)
    )
    has_value = tiles["value"].notna()
    if not has_value.any():
        return empty_figure(lang, title=title)

    low, high = range_ or (float(tiles.loc[has_value, "value"].min()),
                           float(tiles.loc[has_value, "value"].max()))
    factor, scale_key = per_voter_scale(tiles.loc[has_value, "value"], metric)
    scale_text = t(scale_key, lang) if scale_key else None

    # pixel geometry: one grid unit is the same number of pixels along x and y
    n_cols, n_rows = tiles["col"].max() + 1, tiles["row"].max() + 1
    plot_w = (width - _MARGIN["l"] - _MARGIN["r"]) * _PLOT_FRACTION
    if height is None:
        height = round(plot_w / (n_cols + 0.2) * (n_rows + 0.2)) + _MARGIN["t"] + _MARGIN["b"]
    plot_h = height - _MARGIN["t"] - _MARGIN["b"]
    unit = min(plot_w / (n_cols + 0.2), plot_h / (n_rows + 0.2))
    marker_px = unit * 0.93
    font_px = max(8.0, min(14.0, unit * 0.21))
    x_span, y_span = plot_w / unit, plot_h / unit
    x_mid, y_mid = (n_cols - 1) / 2, (n_rows - 1) / 2

    chosen = _selected_codes(selected)
    fig = go.Figure()
    highlight = tiles[tiles["province_code"].isin(chosen)]
    if not highlight.empty:  # a dark frame behind the chosen tiles, visible on any colour
        fig.add_trace(go.Scatter(
            x=highlight["col"], y=highlight["row"], mode="markers", name="selection",
            marker=dict(symbol="square", size=unit * 1.07, color=TEXT_COLOR),
            hoverinfo="skip", showlegend=False,
        ))
    kinds = {"tiles": has_value, "tiles_no_data": ~has_value & ~outside,
             "tiles_outside_filter": outside}
    for kind, rows in kinds.items():
        part = tiles[rows]
        if part.empty:
            continue
        with_data = kind == "tiles"
        if with_data:
            fill = [scale_color(float(v), low, high, colorscale) for v in part["value"]]
            shown = [short_value(v, metric, lang) for v in part["value"]]
            # per-voter values are per PER_VOTERS voters here too; the label names the unit
            hover_values = [format_metric(v, metric, lang) for v in part["value"]]
        elif kind == "tiles_no_data":
            fill = [NO_DATA_COLOR] * len(part)
            shown = [""] * len(part)
            hover_values = [t("chart.tilemap.no_data", lang)] * len(part)
        else:
            fill = [OUTSIDE_FILTER_COLOR] * len(part)
            shown = [""] * len(part)
            hover_values = [t("chart.outside_filter", lang)] * len(part)
        text = [  # names from the reference file, escaped all the same
            f"<b>{plotly_text(label)}</b><br>{value}" if value else f"<b>{plotly_text(label)}</b>"
            for label, value in zip(part["label"], shown, strict=True)
        ]
        is_chosen = part["province_code"].isin(chosen)
        marker = dict(
            symbol="square",
            size=marker_px,
            color=[float(v) for v in part["value"]] if with_data else fill[0],
            line=dict(color="white", width=[2 if c else 0 for c in is_chosen]),
            opacity=1,
        )
        if with_data:
            marker.update(
                colorscale=colorscale, cmin=low, cmax=high, showscale=True,
                colorbar=_colorbar(metric, lang, low, high, factor, scale_text),
            )
        elif kind == "tiles_outside_filter":  # the outline draws the white tile
            marker.update(size=marker_px - 2, line=dict(color=OUTSIDE_FILTER_LINE, width=1.5))
        fig.add_trace(go.Scatter(
            x=part["col"], y=part["row"],
            mode="markers+text",
            marker=marker,
            text=text,
            textposition="middle center",
            # long labels ("Lampung", "Bengkulu") a little smaller so they stay inside the tile
            textfont=dict(family=TILE_FONT,
                          size=[font_px * (0.86 if len(x) > 6 else 1) for x in part["label"]],
                          color=[MUTED_TEXT_COLOR if kind == "tiles_outside_filter"
                                 else text_color_on(c) for c in fill]),
            customdata=part["province_code"].astype(int).tolist(),
            hovertemplate=[
                f"<b>{plotly_text(name)}</b><br>{metric_label(metric, lang)}: {value}"
                "<extra></extra>"
                for name, value in zip(part["name"], hover_values, strict=True)
            ],
            name=kind,
            showlegend=False,
            selected=dict(marker=dict(opacity=1)),
            unselected=dict(marker=dict(opacity=0.45)),
        ))

    keys = []  # say what grey and white mean, under the colour bar
    if kinds["tiles_no_data"].any():
        keys.append(f"<span style='color:{NO_DATA_COLOR}'>■</span> "
                    + t("chart.tilemap.no_data", lang))
    if kinds["tiles_outside_filter"].any():
        keys.append(f"<span style='color:{OUTSIDE_FILTER_LINE}'>□</span> "
                    + t("chart.outside_filter", lang))
    if keys:
        fig.add_annotation(
            x=_PLOT_FRACTION + 0.01, y=0.02, xref="paper", yref="paper", xanchor="left",
            yanchor="bottom", showarrow=False, align="left", name="tile_key",
            text="<br>".join(keys),
            font=dict(size=max(10.0, font_px), color=MUTED_TEXT_COLOR),
        )
    if show_regions:
        for key, col, row in REGION_LABELS:
            fig.add_annotation(
                x=col, y=row, text=f"<i>{t(key, lang)}</i>", showarrow=False,
                font=dict(size=max(10.0, font_px), color=MUTED_TEXT_COLOR),
            )
    fig.update_xaxes(visible=False, range=[x_mid - x_span / 2, x_mid + x_span / 2],
                     fixedrange=True, domain=[0, _PLOT_FRACTION])
    fig.update_yaxes(visible=False, range=[y_mid + y_span / 2, y_mid - y_span / 2],
                     fixedrange=True)
    fig.update_layout(
        title_text=title, width=width, height=height, margin=_MARGIN,
        clickmode="event+select", dragmode=False, hovermode="closest",
    )
    return apply_style(fig, lang)


def tiles_unlabelled(fig: go.Figure) -> bool:
    """Whether a tile map's coloured tiles no longer write each province's name and value:
    the press layout cuts text that does not fit a tile at a readable size
    (export.figures._fit_text_in_marks), as on a square or an A4 canvas."""
    return any(trace.name == "tiles" and (
        "text" not in (trace.mode or "") or not trace.text
        or not all("<br>" in str(text) for text in trace.text))
        for trace in fig.data)


def press_readable(fig: go.Figure, lay_out: Callable[[go.Figure], go.Figure],
                   ranked: Callable[[], go.Figure] | None = None) -> go.Figure:
    """`fig` laid out for the press by `lay_out`; a tile map whose tiles lost their names or
    values there (tiles_unlabelled: a square or an A4 canvas) is laid out as `ranked()`, the
    same numbers as a ranked list (charts.reach.province_ranking in columns), instead. The
    CLI's figures and the pages' press exports both go through here."""
    pressed = lay_out(fig)
    if ranked is not None and tiles_unlabelled(pressed):
        pressed = lay_out(ranked())
    return pressed


def _colorbar(metric: str, lang: str, low: float, high: float, factor: int = 1,
              scale_text: str | None = None) -> dict:
    ticks, labels = colorbar_ticks(low, high, metric, lang, factor)
    bar = dict(
        tickvals=ticks, ticktext=labels,
        x=_PLOT_FRACTION + 0.01, xanchor="left", y=0.5, yanchor="middle",
        len=0.75, thickness=14, outlinewidth=0,
    )
    if scale_text:  # the tiles and ticks are per 1,000 / per million voters: say so
        bar["title"] = dict(text=t("chart.tilemap.per_voters", lang, n=scale_text),
                            side="top", font=dict(size=12))
    return bar
