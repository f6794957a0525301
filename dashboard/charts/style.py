"""The house style: colour-blind-safe colours, one fixed colour per operator, the "pemilu"
plotly template, metric formatting, and the "no data" figure every chart falls back to."""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale, unlabel_rgb

from dashboard.i18n import (  # noqa: F401  (PER_VOTERS*, per_voters_unit: style's names too)
    MONTHS_ABBR,
    PER_VOTERS,
    PER_VOTERS_KEY,
    format_compact,
    format_duration,
    format_number,
    format_percent,
    is_missing,
    normalize_lang,
    per_voters_unit,
    significant_decimals,
    t,
)

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Yellow is kept out of lines and bars: too faint on white.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
PALETTE: list[str] = [
    OKABE_ITO[name]
    for name in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue")
] + [OKABE_ITO["black"]]

# One colour per operator in every chart, close to each brand's own colour where the palette
# allows (Telkomsel red, Indosat yellow, XL blue, Smartfren magenta).
OPERATOR_ORDER: tuple[str, ...] = ("telkomsel", "indosat", "xl", "smartfren")
OPERATOR_COLORS: dict[str, str] = {
    "telkomsel": OKABE_ITO["vermillion"],
    "indosat": OKABE_ITO["orange"],
    "xl": OKABE_ITO["blue"],
    "smartfren": OKABE_ITO["reddish_purple"],
}
OPERATOR_NAMES: dict[str, str] = {
    "telkomsel": "Telkomsel",
    "indosat": "Indosat Ooredoo Hutchison",
    "xl": "XL Axiata",
    "smartfren": "Smartfren",
}
OTHER_OPERATOR_COLOR = "#7F7F7F"

# Series that are not operators use the palette's remaining colours, so an operator colour
# never means anything else.
SERIES_COLORS: dict[str, str] = {
    "sent": OKABE_ITO["sky_blue"],
    "delivered": OKABE_ITO["bluish_green"],
    "delivery_rate": OKABE_ITO["black"],
    "pending": "#A6A6A6",
    "neutral": "#5B6C7D",
}
NO_DATA_COLOR = "#DADADA"
GRID_COLOR = "#E6E6E6"
TEXT_COLOR = "#222222"
MUTED_TEXT_COLOR = "#6E6E6E"

# Light = low, dark = high. Viridis is perceptually uniform and readable in greyscale and with
# colour-vision deficiencies; PuOr (purple-orange) is a colour-blind-safe diverging scale.
SEQUENTIAL_SCALE: list[list[float | str]] = [
    [i / 9, c]
    for i, c in enumerate(reversed(
        ["#440154", "#482878", "#3E4989", "#31688E", "#26828E",
         "#1F9E89", "#35B779", "#6ECE58", "#B5DE2B", "#FDE725"]
    ))
]
DIVERGING_SCALE = "PuOr"

TEMPLATE_NAME = "pemilu"
# DejaVu Sans ships with Debian and Chromium (so static exports match the browser); Arial and
# the generic family are fallbacks on other systems.
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
FONT_SIZE = 14
TITLE_SIZE = 19
SMALL_SIZE = 12

SEPARATORS = {"id": ",.", "en": ".,"}  # plotly: decimal mark first, then the thousands mark

MetricKind = Literal["percent", "per_voter", "duration", "count"]

# A legend under the plot goes at the foot of the figure (container y=0), never at a negative
# paper y: plotly makes room for a container-anchored legend below the axis labels, while one
# placed a fixed fraction under the plot lands on two-line date labels ("8 Jan<br>2024") and,
# on a phone's short plot, on the axis title. On a phone a legend above the plot would wrap
# into several rows and run into the title.
LEGEND_BELOW = dict(orientation="h", x=0, xanchor="left", yref="container", y=0.0,
                    yanchor="bottom")


TITLE_PAD_PX = 14  # the title's distance from the figure's top and left edges
# Plotly's toolbar (modebar) is a row about 26 px high at the figure's top right, shown while
# the pointer is over a chart: a title long enough to reach the right edge (two lines in a
# half-width column) starts under it on screen (screen_figure).
MODEBAR_PX = 28
# The room between a horizontal bar's category label and its bar, in pixels. A ticksuffix of
# spaces padded only the last line of a wrapped label ("027 · Pelanggan tidak aktif atau di"
# ran into its bar above "luar jangkauan  "); a stand-off moves every line.
BAR_LABEL_ROOM_PX = 10


def _template() -> go.layout.Template:
    axis = dict(
        gridcolor=GRID_COLOR,
        linecolor="#9A9A9A",
        zeroline=False,
        ticks="",
        automargin=True,
        title=dict(font=dict(size=FONT_SIZE, color=TEXT_COLOR), standoff=10),
        tickfont=dict(size=SMALL_SIZE + 1, color=TEXT_COLOR),
    )
    return go.layout.Template(
        layout=dict(
            font=dict(family=FONT_FAMILY, size=FONT_SIZE, color=TEXT_COLOR),
            # titles at the figure's left edge, not the plot's: long axis labels would push
            # them around from chart to chart
            title=dict(font=dict(size=TITLE_SIZE), x=0, xanchor="left", xref="container",
                       y=1, yanchor="top", yref="container",
                       pad=dict(l=TITLE_PAD_PX, t=TITLE_PAD_PX)),
            colorway=PALETTE,
            paper_bgcolor="white",
            plot_bgcolor="white",
            xaxis=axis,
            yaxis=axis,
            legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                        font=dict(size=SMALL_SIZE + 1), bgcolor="rgba(255,255,255,0)"),
            hoverlabel=dict(font=dict(family=FONT_FAMILY, size=SMALL_SIZE + 1)),
            margin=dict(l=20, r=30, t=96, b=40),
            separators=SEPARATORS["id"],
            bargap=0.25,
            coloraxis=dict(colorbar=dict(thickness=14, outlinewidth=0)),
        ),
        data=dict(
            bar=[go.Bar(textfont=dict(size=SMALL_SIZE + 1), cliponaxis=False)],
            heatmap=[go.Heatmap(colorbar=dict(thickness=14, outlinewidth=0))],
        ),
    )


pio.templates[TEMPLATE_NAME] = _template()


def operator_color(operator: str) -> str:
    """The operator's fixed colour; grey for anything that is not one of the four groups."""
    return OPERATOR_COLORS.get(str(operator).lower(), OTHER_OPERATOR_COLOR)


def operator_name(operator: str) -> str:
    """The display name ('XL Axiata') of an operator id ('xl'); unknown ids as given."""
    return OPERATOR_NAMES.get(str(operator).lower(), str(operator))


def operator_sort_key(operator: str) -> tuple[int, str]:
    """Fixed operator order (largest first), unknown ones after, alphabetically."""
    op = str(operator).lower()
    return (OPERATOR_ORDER.index(op), "") if op in OPERATOR_ORDER else (len(OPERATOR_ORDER), op)


# The one unit of a per-voter figure shown, per 1,000 voters: PER_VOTERS and per_voters_unit
# live in i18n (how a figure is said), so analysis can word its sentences in it too.


def exposure_label(exposure: str, lang: str = "id") -> str:
    """A participation exposure's name in the unit it is shown in: 'Pesan diterima per 1.000
    pemilih' (the picker, the scatter's axis and the results table say the same)."""
    return t(f"exposure.{exposure}", lang, unit=per_voters_unit(lang))


def metric_kind(metric: str) -> MetricKind:
    """How a metric column is shown: a fraction as percent, per-voter ratio, seconds, or count."""
    if metric.endswith("_rate") or metric in {"turnout", "turnout_change", "share"}:
        return "percent"
    if metric.endswith("_per_voter"):
        return "per_voter"
    if metric.endswith("_s"):
        return "duration"
    return "count"


def metric_label(metric: str, lang: str = "id") -> str:
    """The translated name of a metric column ('delivery_rate' -> 'Tingkat keberhasilan')."""
    label = t(f"metric.{metric}", lang)
    return metric.replace("_", " ").capitalize() if label == f"metric.{metric}" else label


def format_metric(value: object, metric: str, lang: str = "id", compact: bool = False) -> str:
    """A metric value in the reader's format; `compact` shortens counts (12,3 jt) for tiles."""
    if is_missing(value):
        return format_number(None)
    kind = metric_kind(metric)
    if kind == "percent":
        return format_percent(value, 0 if compact else 1, lang)
    if kind == "per_voter":  # per PER_VOTERS voters, as every view shows it
        scaled = float(value) * PER_VOTERS
        return format_number(scaled, per_voter_decimals(scaled), lang)
    if kind == "duration":
        return format_duration(value, lang)
    if compact:
        return format_compact(value, 1, lang)
    decimals = 0 if float(value) == round(float(value)) else 1
    return format_number(value, decimals, lang)


def per_voter_decimals(value: object) -> int:
    """Decimals for a per-voter value as shown (per PER_VOTERS voters): two significant
    digits, more decimals for small values (0,98; 12; one day in a large province 0,00028,
    never 0,000)."""
    return significant_decimals(value, digits=2)


def _shared_decimals(values: list[float], most: int = 8) -> int:
    """The fewest decimals that write every value exactly (ticks 0.0007 ... 0.001: four)."""
    for decimals in range(most + 1):
        if all(abs(round(v, decimals) - v) < 1e-9 * max(1.0, abs(v)) for v in values):
            return decimals
    return most


def number_tick_labels(ticks: list[float], lang: str = "id") -> list[str]:
    """Plain numbers with the same number of decimals on every tick (70 75 80; 0,5 1,0 1,5)."""
    decimals = _shared_decimals(list(ticks))
    return [format_number(v, decimals, lang) for v in ticks]


def enclosing_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """nice_ticks widened by one step where needed, so the first tick is at or below `low` and
    the last at or above `high`: an axis from the first to the last tick shows every value
    below a labelled tick."""
    ticks = nice_ticks(low, high, count)
    if len(ticks) < 2:
        return ticks
    step = ticks[1] - ticks[0]
    if ticks[0] > low + step * 1e-9:
        ticks.insert(0, round(ticks[0] - step, 12))
    if ticks[-1] < high - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 12))
    return ticks


def tick_labels(ticks: list[float], metric: str, lang: str = "id") -> list[str]:
    """Axis or colour-bar labels for `ticks` (in the data's units) in the reader's format, with
    the same number of decimals on every tick (92,5% 95,0% 97,5%; per-voter ticks per
    PER_VOTERS voters: 0.0007 ... 0.001 per voter as 0,7 0,8 0,9 1,0)."""
    kind = metric_kind(metric)
    if kind == "percent":
        decimals = _shared_decimals([v * 100 for v in ticks])
        return [format_percent(v, decimals, lang) for v in ticks]
    if kind == "per_voter":
        scaled = [v * PER_VOTERS for v in ticks]
        decimals = _shared_decimals(scaled)
        return [format_number(v, decimals, lang) for v in scaled]
    return [format_metric(v, metric, lang, compact=True) for v in ticks]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5, 5 x 10^k) covering [low, high], about `count` of them."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high < low:
        low, high = high, low
    if high == low:
        return [low]
    raw = (high - low) / (count + 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    return ticks


MAX_DATE_TICKS = 8  # a 1080 px social card shown at 540 px holds about this many labels


def date_ticks(dates: object, lang: str = "id", most: int = MAX_DATE_TICKS) -> dict:
    """tickvals and ticktext for a date axis over `dates`, in the reader's month names
    (plotly's own are English): daily for two weeks or less, weekly on Mondays up to four
    months, monthly beyond, every k-th so that at most `most` are labelled (a chart that
    opens on part of its dates allows as many more as it hides).

    When the dates fall in more than one year every label carries its year, on a second line
    ("1 Feb<br>2024", "Feb<br>2024"): '1 Feb' twice on one axis is two different days."""
    days = pd.to_datetime(pd.Series(dates)).dropna().dt.normalize()
    if days.empty:
        return {}
    first, last = days.min(), days.max()
    span = (last - first).days
    if span <= 14:
        ticks = pd.date_range(first, last, freq="D" if span <= 8 else "2D")
    elif span <= 120:
        ticks = pd.date_range(first, last, freq="W-MON" if span <= 60 else "2W-MON")
    else:
        months = pd.date_range(first, last, freq="MS")
        step = next((k for k in (1, 2, 3, 4, 6, 12) if len(months) <= most * k), 12)
        ticks = months[::step]
    if len(ticks) == 0:
        ticks = pd.DatetimeIndex([first])
    names = MONTHS_ABBR[normalize_lang(lang)]
    with_year = first.year != last.year
    monthly = span > 120

    def label(day: pd.Timestamp) -> str:
        text = names[day.month - 1] if monthly else f"{day.day} {names[day.month - 1]}"
        return f"{text}<br>{day.year}" if with_year else text

    return dict(tickvals=list(ticks), ticktext=[label(d) for d in ticks], tickangle=0)


def text_color_on(background: str) -> str:
    """Black or white text, whichever reads better on `background` (WCAG relative luminance)."""
    if background.startswith("#"):
        hex_ = background.lstrip("#")
        rgb = tuple(int(hex_[i:i + 2], 16) for i in (0, 2, 4))
    else:
        rgb = unlabel_rgb(background)

    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05): equal at L ~ 0.18
    return TEXT_COLOR if luminance > 0.18 else "#FFFFFF"


def scale_color(value: float, low: float, high: float, colorscale=SEQUENTIAL_SCALE) -> str:
    """The colour `colorscale` gives `value` on the range [low, high], as 'rgb(r, g, b)'."""
    position = 0.5 if high == low else min(max((value - low) / (high - low), 0.0), 1.0)
    return sample_colorscale(colorscale, [position])[0]


def apply_style(fig: go.Figure, lang: str = "id") -> go.Figure:
    """Give a figure the house template and the number separators of `lang`; returns it."""
    fig.update_layout(template=TEMPLATE_NAME, separators=SEPARATORS[normalize_lang(lang)])
    return fig


def empty_figure(lang: str = "id", message: str | None = None, title: str | None = None
                 ) -> go.Figure:
    """A figure that says there is nothing to show, instead of an empty frame or an error."""
    fig = go.Figure()
    fig.add_annotation(
        text=message or t("chart.no_data", lang),
        x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
        font=dict(size=FONT_SIZE + 2, color=MUTED_TEXT_COLOR),
        name="no_data",
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    if title:
        fig.update_layout(title_text=title)
    return apply_style(fig, lang)


def screen_figure(fig: go.Figure) -> go.Figure:
    """A copy of `fig` for a page: the title wrapped for a narrow column and moved down
    below the toolbar's row, the top margin grown by as much so the plot keeps its room (a
    press layout places its own title and has no toolbar)."""
    screen = go.Figure(fig)
    title = screen.layout.title.text
    if not title:
        return screen
    template_top = pio.templates[TEMPLATE_NAME].layout.margin.t
    top = screen.layout.margin.t if screen.layout.margin.t is not None else template_top
    screen.update_layout(title_text=wrap_title(title), title_pad_t=TITLE_PAD_PX + MODEBAR_PX,
                         margin_t=top + MODEBAR_PX)
    if screen.layout.height:
        screen.update_layout(height=screen.layout.height + MODEBAR_PX)
    return screen


def wrap_title(text: str, width: int = 38) -> str:
    """A chart title on lines of at most about `width` characters, broken between words
    ('<br>'), so a phone's narrow chart keeps it inside (the press layout wraps its own)."""
    if len(text) <= width or "<br>" in text:
        return text
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join([*lines, line])
