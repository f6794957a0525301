"""Press-ready figures: a press layout for any plotly figure, and headless rendering.

`press_figure` lays a copy of a chart out for print and slides (title, subtitle, source,
date, optional logo) at one of the preset sizes. `export_figures` renders a batch to PNG,
SVG or PDF through Kaleido with a single Chromium session for the whole batch; HTML needs
no browser at all (`figure_html_bytes`).

Kaleido 1.x drives a Chrome-family browser through choreographer. We look the browser up
ourselves (BROWSER_PATH, then chromium / chrome on PATH) and hand Kaleido the path, so a
browser that choreographer may once have downloaded into the home directory never wins
over the system one, and a missing browser is one clear `ChromiumMissing` error.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import datetime as dt
import math
import os
import re
import shutil
import struct
from collections.abc import Callable, Coroutine, Sequence
from numbers import Real
from pathlib import Path
from typing import Any, Literal

import numpy as np
import plotly.graph_objects as go

from dashboard.clock import today_wib
from dashboard.export.files import write_atomically
from dashboard.i18n import format_date
from dashboard.text_safety import plotly_text

SizeName = Literal["slide", "social", "a4"]
FigureFormat = Literal["png", "svg", "pdf", "html"]

# Layout pixels; PNGs are rendered at PNG_SCALE, so a slide PNG is 3840 x 2160 px.
SIZES: dict[str, tuple[int, int]] = {
    "slide": (1920, 1080),  # 16:9
    "social": (1080, 1080),  # 1:1
    "a4": (794, 1123),  # A4 portrait at 96 dpi (210 x 297 mm)
}
# The width each preset is seen at: a slide on a 1920 px screen, a social post in a phone's
# feed at about 540 px, A4 printed at 96 dpi. No text is smaller than MIN_SHOWN_PX there.
SHOWN_WIDTHS: dict[str, int] = {"slide": 1920, "social": 540, "a4": 794}
MIN_SHOWN_PX = 12
PNG_SCALE = 2
IMAGE_FORMATS = ("png", "svg", "pdf")
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
INSTALL_COMMAND = "apt-get install -y chromium"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome")

# Font sizes (px) for a 1080 px short side; smaller canvases scale them down, and none is
# below MIN_SHOWN_PX at the width the preset is shown (min_font_px).
_BASE_SIZES = {
    "title": 46,
    "subtitle": 28,
    "body": 22,
    "tick": 20,
    "axis_title": 22,
    "legend": 22,
    "source": 18,
    "pad": 56,
}
_LINE_HEIGHT = 1.3  # plotly's line spacing for multi-line text
_BAR_TEXT_PAD = 3  # px plotly.js leaves between a bar's end and a value written outside it
# Advance widths (em) of printable ASCII in DejaVu Sans and DejaVu Sans Bold, read from
# the fonts; text is measured before the browser draws it, to wrap and size margins.
_DEJAVU_EM = (
    0.318, 0.401, 0.46, 0.838, 0.636, 0.95, 0.78, 0.275, 0.39, 0.39, 0.5, 0.838, 0.318, 0.361,
    0.318, 0.337, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.337,
    0.337, 0.838, 0.838, 0.838, 0.531, 1.0, 0.684, 0.686, 0.698, 0.77, 0.632, 0.575, 0.775, 0.752,
    0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787, 0.603, 0.787, 0.695, 0.635, 0.611, 0.732,
    0.684, 0.989, 0.685, 0.611, 0.685, 0.39, 0.337, 0.39, 0.838, 0.5, 0.5, 0.613, 0.635, 0.55,
    0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635,
    0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636,
    0.838,
)
_DEJAVU_BOLD_EM = (
    0.348, 0.456, 0.521, 0.838, 0.696, 1.002, 0.872, 0.306, 0.457, 0.457, 0.523, 0.838, 0.38,
    0.415, 0.38, 0.365, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.4,
    0.4, 0.838, 0.838, 0.838, 0.58, 1.0, 0.774, 0.762, 0.734, 0.83, 0.683, 0.683, 0.821, 0.837,
    0.372, 0.372, 0.775, 0.637, 0.995, 0.837, 0.85, 0.733, 0.85, 0.77, 0.72, 0.682, 0.812, 0.774,
    1.103, 0.771, 0.724, 0.725, 0.457, 0.365, 0.457, 0.838, 0.5, 0.5, 0.675, 0.716, 0.593, 0.716,
    0.678, 0.435, 0.716, 0.712, 0.343, 0.343, 0.665, 0.343, 1.042, 0.712, 0.687, 0.716, 0.716,
    0.493, 0.595, 0.478, 0.712, 0.652, 0.924, 0.645, 0.652, 0.582, 0.712, 0.365, 0.712, 0.838,
)
_WIDTH_MARGIN = 1.04  # kerning and rounding never make a line wider than this
_HEADER_SHRINK = (1.0, 0.9, 0.8, 0.7, 0.6)
_PLOT_SHARE = 0.4  # of the canvas height, below which the header type shrinks
# with the header at its smallest, below which the layout gives up; a quarter: the sample's
# weekly hoax chart on the square canvas (nine legend entries, its event labels and a sample
# source line of three lines) keeps 294 of 1080 px, and its bars read (seen, 7 Dec 2026)
_MIN_PLOT_SHARE = 0.25
_SCREEN_FONT_SIZE = 12  # plotly's default; explicit sizes in a chart were chosen against it
_TEXT_COLOR = "#1f1f1f"
_MUTED_COLOR = "#555555"
_LOGO_MIME = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


class ChromiumMissing(RuntimeError):
    """No Chrome-family browser to render PNG, SVG or PDF with."""

    def __init__(self, detail: str = "") -> None:
        message = (
            "Static figure export (PNG, SVG, PDF) needs a Chromium browser and none was found"
            f"{': ' + detail if detail else ''}. Install it with `{INSTALL_COMMAND}` "
            "(or set BROWSER_PATH to a Chrome/Chromium executable). "
            "CSV, XLSX, JSON and HTML exports work without it."
        )
        super().__init__(message)


def find_chromium() -> str | None:
    """The browser Kaleido will use: $BROWSER_PATH if set, else chromium/chrome on PATH."""
    override = os.environ.get("BROWSER_PATH")
    if override:
        return override if _is_executable(override) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found and _is_executable(found):
            return found
    return None


def chromium_available() -> bool:
    return find_chromium() is not None


def min_font_px(size: SizeName | str) -> int:
    """The smallest font size (canvas px) at a preset: MIN_SHOWN_PX at the width it is shown."""
    return math.ceil(MIN_SHOWN_PX * SIZES[size][0] / SHOWN_WIDTHS[size] - 1e-9)


# --- press layout ----------------------------------------------------------------------


def press_figure(
    fig: go.Figure,
    title: str,
    subtitle: str | None = None,
    source: str = "",
    date_text: str | None = None,
    logo_path: str | Path | None = None,
    size: SizeName = "slide",
    lang: str = "id",
    watermark: str = "",
) -> go.Figure:
    """A copy of `fig` laid out for the press at a preset size.

    Title and subtitle top left, the legend in one band below them, the source line bottom
    left and the date bottom right (today in WIB in `lang`, "14 Feb 2024", when `date_text` is None;
    pass "" for none), the logo top right. Fonts and margins follow the preset, and long
    titles and source lines are wrapped, so nothing runs off the canvas. `watermark`
    (Provenance.watermark: sample data) is written across the plot area (add_watermark).
    """
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; use one of {', '.join(SIZES)}")
    width, height = SIZES[size]
    min_px = min_font_px(size)
    unit = min(width, height) / 1080
    # the canvas sets the type, except that no text is below MIN_SHOWN_PX where it is seen
    px = {key: round(value * unit) if key == "pad" else max(round(value * unit), min_px)
          for key, value in _BASE_SIZES.items()}
    pad = px["pad"]
    if date_text is None:
        date_text = format_date(today_wib(), lang)

    out = go.Figure(fig)
    _scale_explicit_fonts(out, px["body"] / _SCREEN_FONT_SIZE, min_px)

    logo_box = _logo_box(logo_path, px["title"] * 1.7) if logo_path else None
    title_room = width - 2 * pad - (logo_box[1] + pad / 2 if logo_box else 0)

    date_width = _text_width(date_text, px["source"])
    source_room = width - 2 * pad - (date_width + pad if date_text else 0)
    source_lines = _wrap(source, source_room, px["source"])
    footer_height = max(len(source_lines), 1) * px["source"] * _LINE_HEIGHT
    bottom = pad + footer_height + px["body"] * 1.2 + _x_axis_band(out, width, px)
    left = pad + _y_axis_band(out, px)
    right = pad + _right_band(out, width - left - pad, px)
    plot_w = max(width - left - right, 1)
    # plotly.js wraps a legend placed inside the canvas at the plot area's width
    legend_rows = _legend_rows(out, plot_w, px["legend"])
    # a chart's notes above its plot ("grey = no data") get a band of their own, wrapped to
    # the canvas: placed from the plot's left edge they ran off the canvas or into the legend
    notes = [(note, _wrap(_without_font_sizes(str(note.text)), width - 2 * pad,
                          note.font.size or px["body"]))
             for note in out.layout.annotations if _is_note_above(note)]
    notes_height = sum(len(lines) * (note.font.size or px["body"]) * _LINE_HEIGHT
                       for note, lines in notes) + (px["body"] * 0.6 if notes else 0)
    # marks a chart stands on its plot's top edge at data positions (the hoax chart's event
    # labels, in rows): packed again into as few rows as this canvas's plot needs (the chart
    # packed them for a phone), with a band of their own under the notes
    _repack_marks(out, plot_w, px["body"])
    marks_height = max((_mark_top(mark, px["body"]) for mark in out.layout.annotations
                        if _is_mark_above(mark)), default=0.0)

    # A long title and subtitle get smaller type before they squeeze the chart too far.
    for shrink in _HEADER_SHRINK:
        title_px = round(px["title"] * shrink)
        subtitle_px = max(round(px["subtitle"] * shrink), px["source"])
        title_lines = _wrap(title, title_room, title_px, bold=True)
        subtitle_lines = _wrap(subtitle or "", title_room, subtitle_px)
        title_height = len(title_lines) * title_px * _LINE_HEIGHT
        subtitle_top = pad + title_height + subtitle_px * 0.35
        header_bottom = pad + title_height
        if subtitle_lines:
            header_bottom = subtitle_top + len(subtitle_lines) * subtitle_px * _LINE_HEIGHT
        if logo_box:
            header_bottom = max(header_bottom, pad + logo_box[2])
        # Half of the top tick label sticks out above the plot area.
        top = header_bottom + px["body"] * 1.4
        if legend_rows:
            legend_top = header_bottom + px["body"] * 0.8
            # plotly.js: a row is 1.5 em, the box adds 10 px, and a container-anchored
            # legend pushes the plot down unless about 12 px separate them.
            legend_height = legend_rows * px["legend"] * 1.5 + 10
            top = legend_top + legend_height + 16 + px["tick"] * 0.6
        top += notes_height + marks_height
        plot_h = height - top - bottom
        if plot_h >= _PLOT_SHARE * height:
            break
    if plot_h < _MIN_PLOT_SHARE * height:
        raise ValueError(
            f"the title, subtitle and source leave too little room for the chart at size "
            f"{size!r} ({plot_h:.0f} of {height} px); shorten them or use a larger size"
        )

    # a y axis title longer than the plot is tall would run up into the legend: two lines
    y_title = out.layout.yaxis.title.text if _has_cartesian(out) else None
    if y_title and "<br>" not in str(y_title) and out.layout.yaxis.visible is not False:
        y_lines = _wrap(str(y_title), plot_h * 0.95, px["axis_title"])
        if len(y_lines) > 1:
            out.layout.yaxis.title.text = "<br>".join(y_lines)
            extra = (len(y_lines) - 1) * px["axis_title"] * _LINE_HEIGHT
            left += extra
            plot_w -= extra

    _fit_pixel_sized_marks(fig, out, plot_w, plot_h, px["body"] / _SCREEN_FONT_SIZE, min_px)
    _columns_around_labels(out, plot_w, px)

    out.update_layout(
        width=width,
        height=height,
        autosize=False,
        font={"family": FONT_FAMILY, "size": px["body"], "color": _TEXT_COLOR},
        margin={"l": left, "r": right, "t": top, "b": bottom, "pad": 0, "autoexpand": True},
        title={"text": None, "subtitle": {"text": None}},
    )
    if out.layout.paper_bgcolor is None:
        out.update_layout(paper_bgcolor="white")
    if legend_rows:
        out.update_layout(
            legend={
                "orientation": "h",
                "xref": "container",
                "x": pad / width,
                "xanchor": "left",
                "yref": "container",
                "y": 1 - legend_top / height,
                "yanchor": "top",
                "font": {"size": px["legend"]},
                "bgcolor": "rgba(0,0,0,0)",
            }
        )
    # Vertical positions in the margins are computed from fixed top and bottom margins, so
    # axes may push the margins sideways (long province names) but never up or down.
    out.update_xaxes(automargin="width", tickfont_size=px["tick"], title_font_size=px["axis_title"])
    out.update_yaxes(automargin="width", tickfont_size=px["tick"], title_font_size=px["axis_title"])

    # Annotations and images can only be placed in plot-area ("paper") units. layout.title
    # is not used: plotly.js draws a multi-line title 0.7em higher than a one-line one.
    left_x = (pad - left) / plot_w
    right_x = 1 + (right - pad) / plot_w

    def from_top(pixels: float) -> float:
        return 1 + (top - pixels) / plot_h

    shift = px["body"] * 0.4 + marks_height
    for note, lines in reversed(notes):
        note.update(text="<br>".join(lines), x=left_x, xanchor="left", y=1, yanchor="bottom",
                    yshift=shift, align="left")
        shift += len(lines) * (note.font.size or px["body"]) * _LINE_HEIGHT

    # the title is the chart's own plotly text; subtitle and source are plain text (a
    # subtitle may name waves from files), escaped after wrapping so no entity is cut
    out.add_annotation(
        text="<b>" + "<br>".join(title_lines) + "</b>",
        xref="paper", yref="paper", x=left_x, y=from_top(pad),
        xanchor="left", yanchor="top", align="left", showarrow=False,
        font={"size": title_px, "color": _TEXT_COLOR}, name="press_title",
    )
    if subtitle_lines:
        out.add_annotation(
            text="<br>".join(plotly_text(line) for line in subtitle_lines),
            xref="paper", yref="paper", x=left_x, y=from_top(subtitle_top),
            xanchor="left", yanchor="top", align="left", showarrow=False,
            font={"size": subtitle_px, "color": _MUTED_COLOR}, name="press_subtitle",
        )
    footer_y = -(bottom - pad) / plot_h
    footer_style = {"size": px["source"], "color": _MUTED_COLOR}
    out.add_annotation(
        text="<br>".join(plotly_text(line) for line in source_lines),
        xref="paper", yref="paper",
        x=left_x, y=footer_y,
        xanchor="left", yanchor="bottom", align="left",
        showarrow=False, font=footer_style, name="press_source",
    )
    if date_text:
        out.add_annotation(
            text=plotly_text(date_text),
            xref="paper", yref="paper",
            x=right_x, y=footer_y,
            xanchor="right", yanchor="bottom", align="right",
            showarrow=False, font=footer_style, name="press_date",
        )
    if logo_box:
        source_uri, box_w, box_h = logo_box
        out.add_layout_image(
            source=source_uri,
            xref="paper", yref="paper",
            x=right_x, y=from_top(pad),
            sizex=box_w / plot_w, sizey=box_h / plot_h,
            xanchor="right", yanchor="top",
            sizing="contain", layer="above", name="press_logo",
        )
    add_watermark(out, watermark, plot_w, plot_h, min_px)
    return out


WATERMARK_COLOR = "rgba(213, 94, 0, 0.28)"  # the house warning orange, the data readable
WATERMARK_ANGLE = -24  # degrees: across the plot, not along an axis or a gridline


def add_watermark(fig: go.Figure, text: str, plot_w: float, plot_h: float,
                  min_px: float = MIN_SHOWN_PX) -> go.Figure:
    """`text` written large and diagonally across the middle of the plot area (the figure
    itself, not a margin): a crop that keeps the chart keeps the mark, where a subtitle or a
    source line are cropped off in one cut. Sized to about three quarters of the plot's
    width along its slant, never taller than a third of the plot nor smaller than `min_px`
    (the preset's smallest readable type: min_font_px). Nothing for ''."""
    if not text:
        return fig
    slant = math.cos(math.radians(WATERMARK_ANGLE))
    size = 0.75 * plot_w / slant / max(_text_width(text, 1, bold=True), 1e-9)
    size = max(min(size, plot_h / 3), min_px)
    fig.add_annotation(
        text=f"<b>{plotly_text(text)}</b>", xref="paper", yref="paper", x=0.5, y=0.5,
        xanchor="center", yanchor="middle", textangle=WATERMARK_ANGLE, showarrow=False,
        font={"size": size, "color": WATERMARK_COLOR, "family": FONT_FAMILY},
        name="press_watermark",
    )
    return fig


# --- rendering -------------------------------------------------------------------------


def figure_html_bytes(fig: go.Figure) -> bytes:
    """A self-contained HTML page (plotly.js inlined) that works offline."""
    html = fig.to_html(
        include_plotlyjs=True,
        full_html=True,
        include_mathjax=False,
        config={"displaylogo": False, "responsive": True},
    )
    return html.encode("utf-8")


def render_figures(
    items: Sequence[tuple[go.Figure, FigureFormat | str]],
    *,
    scale: float = PNG_SCALE,
    timeout: float = 90,
    tabs: int = 1,
) -> list[bytes]:
    """Render (figure, format) pairs to bytes in one browser session, in order.

    `scale` applies to PNG only; SVG and PDF are vector and keep the layout size, so an
    A4 figure is an A4 page.
    """
    formats = [_check_format(fmt) for _, fmt in items]
    results: list[bytes | None] = [None] * len(items)
    static = [i for i, fmt in enumerate(formats) if fmt != "html"]
    for i, fmt in enumerate(formats):
        if fmt == "html":
            results[i] = figure_html_bytes(items[i][0])
    if static:
        browser = find_chromium()
        if browser is None:
            detail = os.environ.get("BROWSER_PATH")
            raise ChromiumMissing(f"BROWSER_PATH={detail!r} is not executable" if detail else "")
        specs = [(items[i][0], _kaleido_opts(items[i][0], formats[i], scale)) for i in static]
        rendered = _run_blocking(lambda: _render_in_one_session(specs, browser, timeout, tabs))
        for i, data in zip(static, rendered, strict=True):
            results[i] = data
    return [data for data in results if data is not None]


def export_figures(
    items: Sequence[tuple[go.Figure, str | Path, FigureFormat | str]],
    *,
    scale: float = PNG_SCALE,
    timeout: float = 90,
    tabs: int = 1,
) -> list[Path]:
    """Write (figure, path, format) items, one Chromium session for the whole batch.

    Formats: png, svg, pdf (need Chromium) and html (does not). Files appear whole or not
    at all; all are rendered before any is written.
    """
    rendered = render_figures(
        [(fig, fmt) for fig, _, fmt in items], scale=scale, timeout=timeout, tabs=tabs
    )
    written = []
    for (_, path, _), data in zip(items, rendered, strict=True):
        written.append(write_atomically(Path(path), data))
    return written


def figure_image_bytes(
    fig: go.Figure, fmt: FigureFormat | str = "png", scale: float = PNG_SCALE
) -> bytes:
    """One figure as bytes (for a download button)."""
    return render_figures([(fig, fmt)], scale=scale)[0]


async def _render_in_one_session(
    specs: list[tuple[go.Figure, dict[str, Any]]],
    browser: str,
    timeout: float,
    tabs: int,
) -> list[bytes]:
    import kaleido  # imported late: tables and HTML exports must not need it
    from choreographer.errors import ChromeNotFoundError

    try:
        # mathjax=False: the default loads MathJax from a CDN, which offline hosts lack.
        async with kaleido.Kaleido(
            path=browser, n=max(1, tabs), timeout=timeout, mathjax=False
        ) as session:
            return list(
                await asyncio.gather(
                    *(session.calc_fig(fig.to_dict(), opts=opts) for fig, opts in specs)
                )
            )
    except ChromeNotFoundError as error:
        raise ChromiumMissing(str(error)) from error


def _run_blocking(make_coroutine: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        # Called from inside a running loop (a notebook, an async server): use a private one.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, make_coroutine()).result()
    return asyncio.run(make_coroutine())


def _kaleido_opts(fig: go.Figure, fmt: str, scale: float) -> dict[str, Any]:
    width = fig.layout.width or SIZES["slide"][0]
    height = fig.layout.height or SIZES["slide"][1]
    return {
        "format": fmt,
        "width": width,
        "height": height,
        "scale": scale if fmt == "png" else 1,
    }


def _check_format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    if fmt not in (*IMAGE_FORMATS, "html"):
        raise ValueError(f"unknown figure format {fmt!r}; use png, svg, pdf or html")
    return fmt


def _is_executable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


# --- layout estimates ------------------------------------------------------------------


def _text_width(text: str, font_px: float, bold: bool = False) -> float:
    """Rendered width of `text` in DejaVu Sans (Arial, the fallback, is narrower)."""
    table, other = (_DEJAVU_BOLD_EM, 0.75) if bold else (_DEJAVU_EM, 0.68)
    em = sum(table[code - 32] if 32 <= (code := ord(ch)) < 127 else other for ch in text)
    return em * font_px * _WIDTH_MARGIN


_TAG = re.compile(r"<[^>]+>")


def _wrap(text: str, room_px: float, font_px: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to `room_px`; an explicit <br> or newline always breaks."""
    if not text:
        return []
    lines: list[str] = []
    for paragraph in text.replace("<br>", "\n").splitlines():
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and _text_width(_TAG.sub("", candidate), font_px, bold) > room_px:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _fit_pixel_sized_marks(source: go.Figure, out: go.Figure, plot_w: float, plot_h: float,
                           font_ratio: float, min_px: float = 0) -> None:
    """A chart drawn in pixels for one canvas (the tile map: square markers sized from its
    width, text inside them) keeps its proportions on the press canvas: markers, and the text
    written on them, grow with the plot area instead of with the type."""
    width, height = source.layout.width, source.layout.height
    if not (width and height):
        return
    margin = source.layout.margin
    old_w = width - (margin.l if margin.l is not None else 80) - (
        margin.r if margin.r is not None else 80)
    old_h = height - (margin.t if margin.t is not None else 100) - (
        margin.b if margin.b is not None else 80)
    if old_w <= 0 or old_h <= 0:
        return
    geometry = min(plot_w / old_w, plot_h / old_h)
    scaled = False
    unlabelled: list[tuple[Any, Any]] = []  # (trace, the labels it could not keep)
    for trace in out.data:
        marker = getattr(trace, "marker", None)
        if getattr(trace, "type", "") != "scatter" or marker is None or marker.size is None:
            continue
        scaled = True
        sizes = marker.size
        marker.size = ([v * geometry for v in sizes] if isinstance(sizes, list | tuple)
                       else sizes * geometry)
        sizes = trace.textfont.size  # already scaled by the type ratio
        if isinstance(sizes, int | float):
            trace.textfont.size = max(sizes / font_ratio * geometry, min_px)
        elif isinstance(sizes, list | tuple):
            trace.textfont.size = [max(v / font_ratio * geometry, min_px) for v in sizes]
        labels = trace.text
        if not _fit_text_in_marks(trace):
            unlabelled.append((trace, labels))
    if scaled and out.layout.xaxis.fixedrange and out.layout.yaxis.fixedrange:
        # a grid of marks keeps one unit the same along x and y on any canvas's shape, at
        # the top of the plot, the room under it free for a caption
        out.update_yaxes(scaleanchor="x", scaleratio=1, constrain="domain",
                         constraintoward="top")
        out.update_xaxes(constrain="domain")
    for annotation in out.layout.annotations:  # captions placed among the marks
        if annotation.font.size and not str(annotation.name or "").startswith("press_"):
            size = annotation.font.size / font_ratio * geometry
            # sized for the gap between marks: at more than twice that it covers them
            if scaled and size * 2 < min_px:
                annotation.visible = False
            annotation.font.size = max(size, min_px)
    if unlabelled and out.layout.yaxis.scaleanchor:
        _name_the_extremes(out, unlabelled, plot_w, plot_h, min_px)


_CONDENSED = 0.85  # DejaVu Sans Condensed against DejaVu Sans (the tile map's font)


def _fit_text_in_marks(trace: Any) -> bool:
    """Text written on square marks (tile: name over value) that no longer fits its mark at
    a readable size is cut down, the same way on every mark of the trace: the name alone,
    else the value alone, else none (the colour and its scale still read; hover keeps it all
    in HTML). Never smaller type: that is what made a social tile map's names 4 px."""
    texts = trace.text
    if not isinstance(texts, list | tuple) or "text" not in (trace.mode or ""):
        return True
    count = len(texts)

    def per_point(value: Any) -> list[float]:
        return list(value) if isinstance(value, list | tuple) else [value] * count

    sizes, fonts = per_point(trace.marker.size), per_point(trace.textfont.size)
    condensed = "Condensed" in str(trace.textfont.family or "") or "Narrow" in str(
        trace.textfont.family or "")
    lines = [str(text or "").split("<br>") for text in texts]

    def fits(keep: Callable[[list[str]], list[str]]) -> bool:
        for parts, size, font in zip(lines, sizes, fonts, strict=True):
            kept = [re.sub(r"<[^>]+>", "", part) for part in keep(parts) if part]
            if not kept or not size or not font:
                continue
            wide = max(_text_width(part, font, bold=True) for part in kept)
            if (wide * (_CONDENSED if condensed else 1) > size * 0.92
                    or len(kept) * font * 1.2 > size * 0.96):
                return False
        return True

    for keep in (lambda parts: parts, lambda parts: parts[:1], lambda parts: parts[1:2]):
        if fits(keep):
            trace.text = ["<br>".join(keep(parts)) for parts in lines]
            return True
    trace.mode = trace.mode.replace("+text", "").replace("text+", "")
    trace.text = None
    return False


def _name_the_extremes(fig: go.Figure, unlabelled: list[tuple[Any, Any]], plot_w: float,
                       plot_h: float, min_px: float) -> None:
    """Under a grid of marks that lost their labels (the tile map on a social card), the
    three highest and lowest marks by name and value ('Tertinggi: Bali 1,0 · ...'), where
    the room under the grid holds them."""
    from dashboard.i18n import t

    named = []
    for trace, labels in unlabelled:
        values = trace.marker.color
        if not isinstance(values, list | tuple) or not isinstance(labels, list | tuple):
            continue
        for value, label in zip(values, labels, strict=False):
            parts = [_TAG.sub("", part) for part in str(label or "").split("<br>")]
            if isinstance(value, Real) and len(parts) > 1 and math.isfinite(float(value)):
                named.append((float(value), f"{parts[0]} {parts[1]}"))
    if len(named) < 2:
        return
    named.sort(key=lambda pair: -pair[0])
    count = min(3, len(named) // 2)
    lang = "en" if fig.layout.separators == ".," else "id"
    text = (f"{t('chart.tilemap.highest', lang)}: "
            + " · ".join(name for _, name in named[:count]) + "<br>"
            + f"{t('chart.tilemap.lowest', lang)}: "
            + " · ".join(name for _, name in named[::-1][:count]))
    x_axis, y_axis = fig.layout.xaxis, fig.layout.yaxis
    if not (x_axis.range and y_axis.range):
        return
    domain = x_axis.domain or (0, 1)
    grid_w = plot_w * (domain[1] - domain[0])
    x_span = abs(x_axis.range[1] - x_axis.range[0])
    y_span = abs(y_axis.range[1] - y_axis.range[0])
    grid_h = min(plot_h, grid_w * y_span / x_span)
    lines = _wrap(text, grid_w, min_px)
    if plot_h - grid_h < (len(lines) + 0.5) * min_px * _LINE_HEIGHT:
        return
    fig.add_annotation(
        text="<br>".join(lines), xref="paper", yref="paper", x=domain[0], y=0,
        xanchor="left", yanchor="bottom", align="left", showarrow=False,
        font={"size": min_px}, name="extremes",
    )


_TEMPLATE_TEXT_SIZE = 12  # charts.style.SMALL_SIZE: the template's size for value labels


def _scale_explicit_fonts(fig: go.Figure, ratio: float, min_px: float = 0) -> None:
    """Sizes a chart set for the screen grow with the canvas, never below `min_px`; unset
    sizes follow the layout."""
    for annotation in fig.layout.annotations:
        if annotation.font.size:
            annotation.font.size = max(annotation.font.size * ratio, min_px)
        # offsets in pixels were chosen against the screen's type, like the sizes
        if annotation.xshift:
            annotation.xshift = annotation.xshift * ratio
        if annotation.yshift:
            annotation.yshift = annotation.yshift * ratio
    for trace in fig.data:
        for colorbar in _colorbars(trace):
            if colorbar.title.font.size:
                colorbar.title.font.size = max(colorbar.title.font.size * ratio, min_px)
            if colorbar.tickfont.size:
                colorbar.tickfont.size = max(colorbar.tickfont.size * ratio, min_px)
        line = getattr(trace, "line", None)
        if getattr(trace, "type", "") in ("scatter", "scattergl") and line.width is None:
            line.width = 2 * max(ratio / 1.5, 1)  # 2 px lines look hairline on a slide
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and isinstance(textfont.size, int | float):
            textfont.size = max(textfont.size * ratio, min_px)
        elif textfont is not None and isinstance(textfont.size, list | tuple):
            textfont.size = [max(v * ratio, min_px) for v in textfont.size]
        elif textfont is not None and getattr(trace, "text", None) is not None:
            # value labels sized by the house template would stay screen-sized on a slide
            textfont.size = max(_TEMPLATE_TEXT_SIZE * ratio, min_px)


def _columns_around_labels(fig: go.Figure, plot_w: float, px: dict[str, int]) -> None:
    """Subplots side by side whose y axes write category labels (a ranked list in columns,
    charts.reach.province_ranking): each column after the first starts past a gap as wide as
    its own labels at the press's tick size, and the columns share the rest equally. The
    first column's labels stand in the left margin (_y_axis_band). A chart's own spacing was
    chosen for the screen's type and ran the labels into the bars beside them. A gap also
    holds how far the column before it writes its values past its own right edge: a short
    list's top value ran into the next column's first name ("553,5 rb2. Jawa Tengah")."""
    columns = sorted((axis for axis in fig.layout if re.fullmatch(r"xaxis\d*", axis)),
                     key=lambda axis: int(axis[5:] or 1))
    domains = [tuple(fig.layout[axis].domain or (0, 1)) for axis in columns]
    if len(columns) < 2 or any(left[1] > right[0]  # stacked rows share their x domain
                               for left, right in zip(domains, domains[1:], strict=False)):
        return
    gaps = []
    for axis in columns[1:]:
        anchor = fig.layout[axis].anchor or "y"
        y_axis = fig.layout["yaxis" + anchor[1:]]
        labels = [str(v) for trace in fig.data if (trace.yaxis or "y") == anchor
                  for v in (trace.y if trace.y is not None else ())]
        if y_axis.showticklabels is False or y_axis.visible is False or not labels:
            gaps.append(px["body"])
            continue
        widest = max(_text_width(_TAG.sub("", label), px["tick"]) for label in labels)
        gaps.append(widest + _text_width(str(y_axis.ticksuffix or ""), px["tick"])
                    + px["tick"] * 1.2)
    width = (plot_w - sum(gaps)) / len(columns)
    # the overhang grows as the columns narrow: twice is close enough, the gap's 1.2 em
    # past the widest label absorbs the rest
    for _ in range(2):
        overhangs = [_values_past_edge(fig, axis, width, px["tick"]) for axis in columns[:-1]]
        width = (plot_w - sum(gaps) - sum(overhangs)) / len(columns)
    if width < px["body"] * 4:  # no room for bars beside the labels: the chart's own domains
        return
    gaps = [gap + overhang for gap, overhang in zip(gaps, overhangs, strict=True)]
    start = 0.0
    for index, axis in enumerate(columns):
        start += gaps[index - 1] if index else 0.0
        fig.layout[axis].domain = [start / plot_w, min((start + width) / plot_w, 1.0)]
        start += width


def _values_past_edge(fig: go.Figure, axis: str, width: float, tick_px: float) -> float:
    """How far the values a column writes beyond its horizontal bars reach past its right
    edge when it is `width` px wide (0 when they stay inside): each value starts a few px
    past its bar's end on the axis's fixed range."""
    value_range = fig.layout[axis].range
    if not value_range or value_range[1] == value_range[0]:
        return 0.0
    low, high = (float(v) for v in value_range)
    reach = 0.0
    for trace in fig.data:
        if (trace.xaxis or "x") != "x" + axis[5:] or trace.type != "bar" \
                or trace.orientation != "h":
            continue
        if trace.textposition != "outside" or trace.text is None or trace.x is None:
            continue
        size = trace.textfont.size if isinstance(trace.textfont.size, int | float) else tick_px
        for value, text in zip(trace.x, trace.text, strict=False):
            end = (float(value) - low) / (high - low) * width
            reach = max(reach, end + _BAR_TEXT_PAD + _text_width(_TAG.sub("", str(text)), size)
                        - width)
    return reach


def _is_note_above(annotation: Any) -> bool:
    """A chart's own text note standing on top of its plot area (paper y at or above 1)."""
    return (annotation.xref == "paper" and annotation.yref == "paper"
            and annotation.y is not None and annotation.y >= 1
            and annotation.yanchor == "bottom" and annotation.showarrow is False
            and annotation.visible is not False
            and not str(annotation.name or "").startswith("press_"))


def _is_mark_above(annotation: Any) -> bool:
    """A label standing on the plot's top edge at a data x (paper y at or above 1)."""
    return (annotation.xref != "paper" and annotation.yref == "paper"
            and annotation.y is not None and annotation.y >= 1
            and annotation.yanchor == "bottom" and annotation.visible is not False)


def _repack_marks(fig: go.Figure, plot_w: float, body_px: float) -> None:
    """Rows for the labels above the plot (_is_mark_above) at `plot_w`: each in the lowest
    row where it clears the previous label, anchored as the chart anchored it. Needs the
    x axis's range; without it the chart's own rows stay."""
    marks = [mark for mark in fig.layout.annotations if _is_mark_above(mark)]
    axis_range = fig.layout.xaxis.range
    if not marks or not axis_range:
        return
    try:
        low, high = (_position(v) for v in axis_range)
        where = [(_position(mark.x) - low) / (high - low) * plot_w for mark in marks]
    except (TypeError, ValueError, ZeroDivisionError):
        return
    free_from: list[float] = []  # per row, where its last label ends (px)
    gap = body_px * 0.3
    for x, mark in sorted(zip(where, marks, strict=True), key=lambda pair: pair[0]):
        size = mark.font.size or body_px
        wide = _text_width(_TAG.sub("", str(mark.text or "")), size)
        start = x - wide if mark.xanchor == "right" else x
        row = next((k for k, free in enumerate(free_from) if free + gap <= start),
                   len(free_from))
        if row == len(free_from):
            free_from.append(0.0)
        free_from[row] = start + wide
        mark.yshift = body_px * 0.15 + row * size * 1.25


def _position(value: Any) -> float:
    """A number or a date on an axis, as a number (dates in nanoseconds)."""
    if isinstance(value, Real) and not isinstance(value, bool):
        return float(value)
    return float(np.datetime64(str(value).replace(" ", "T"), "ns").astype("int64"))


def _mark_top(annotation: Any, body_px: float) -> float:
    """How far above the plot such a label reaches (its shift and its lines), plus a gap."""
    lines = str(annotation.text or "").count("<br>") + 1
    size = annotation.font.size or body_px
    return (annotation.yshift or 0) + lines * size * _LINE_HEIGHT + body_px * 0.3


def _without_font_sizes(text: str) -> str:
    """Inline font sizes removed: a note's mark ('<span style=...font-size:20px>') follows
    the note's own, scaled size."""
    return re.sub(r"font-size:\s*[\d.]+px;?", "", text)


def _colorbars(trace: Any) -> list[Any]:
    found = []
    if "colorbar" in trace:
        found.append(trace.colorbar)
    marker = getattr(trace, "marker", None)
    if marker is not None and "colorbar" in marker:
        found.append(marker.colorbar)
    return found


_NO_LEGEND_BY_DEFAULT = ("heatmap", "contour", "histogram2d", "choropleth", "table")


def _legend_rows(fig: go.Figure, room_px: float, font_px: float) -> int:
    names: list[str] = []
    pie_legend = False
    for trace in fig.data:
        if trace.showlegend is False:
            continue
        if trace.showlegend is None and getattr(trace, "type", "") in _NO_LEGEND_BY_DEFAULT:
            continue
        if getattr(trace, "type", "") in ("pie", "funnelarea"):
            pie_legend = True  # one legend item per slice, shown even for a single trace
            names.extend(str(label) for label in (trace.labels or ()))
        else:
            names.append(str(trace.name or ""))
    shown = fig.layout.showlegend
    if shown is False or not names or (shown is None and len(names) < 2 and not pie_legend):
        return 0
    # plotly.js: an entry is its text plus 40 px (symbol and gaps), 5 px between entries; all
    # in one row when they fit, else in columns as wide as the widest entry
    entries = [_text_width(name, font_px) + 40 for name in names]
    if sum(entries) + 5 * (len(entries) - 1) < room_px:
        return 1
    column = max(entries) + 5
    per_row = max(1, int((room_px - max(entries)) // column) + 1)
    return math.ceil(len(entries) / per_row)


def _right_band(fig: go.Figure, plot_w: float, px: dict[str, int]) -> float:
    """Room right of the plot beyond the padding: a colour bar outside the plot area, or the
    last of a category axis's tilted labels. Annotations are placed in plot-area units, so a
    margin that plotly widens afterwards would shift the source line and the date."""
    band = 0.0
    for trace in fig.data:
        colorbar = _shown_colorbar(trace)
        if colorbar is None:
            continue
        labels = [str(v) for v in (colorbar.ticktext or ())] or ["0,000"]
        widest = max(_text_width(label, colorbar.tickfont.size or px["body"])
                     for label in labels)
        if colorbar.title.text:
            widest = max(widest, _text_width(str(colorbar.title.text),
                                             colorbar.title.font.size or px["body"]))
        x = colorbar.x if colorbar.x is not None else 1.02
        band = max(band, (x - 1) * plot_w + (colorbar.thickness or 30) + 8 + widest)
    if _has_cartesian(fig) and fig.layout.xaxis.visible is not False:
        values = _axis_values(fig, "x")
        count = len(set(map(str, values))) or 1
        if _x_tilt(fig, plot_w / 0.8, px) == 30 and not fig.layout.xaxis.ticktext:
            last = max(str(values[-1]).split("<br>"), key=len)
            overhang = _text_width(last, px["tick"]) * math.cos(math.radians(30))
            band = max(band, overhang - plot_w / count / 2)
    return band


def _x_tilt(fig: go.Figure, width: float, px: dict[str, int]) -> int:
    """The angle plotly.js gives a category x axis's labels: 0 when they fit side by side,
    30 degrees when tilted ones clear each other, else 90."""
    label, lines, categorical = _widest_tick_label(fig, "x")
    if not categorical:
        return 0
    axis = fig.layout.xaxis
    # labels stand at the given tick values, or at every category
    count = (len(axis.ticktext) if axis.ticktext
             else len(set(map(str, _axis_values(fig, "x"))))) or 1
    slot = width * 0.8 / count
    if _text_width(label, px["tick"]) <= slot:
        return 0
    return 30 if slot * 0.5 >= lines * px["tick"] * _LINE_HEIGHT else 90


def _shown_colorbar(trace: Any) -> Any:
    """The colour bar a trace draws, if any."""
    if getattr(trace, "type", "") in ("heatmap", "contour", "histogram2d"):
        if trace.showscale is False:
            return None
        colorbar = trace.colorbar
    else:
        marker = getattr(trace, "marker", None)
        if marker is None or not getattr(marker, "showscale", False):
            return None
        colorbar = marker.colorbar
    return colorbar


def _axis_values(fig: go.Figure, letter: str) -> list[Any]:
    values: list[Any] = []
    for trace in fig.data:
        if getattr(trace, "type", "") in ("pie", "choropleth", "scattergeo", "table", "sankey"):
            continue
        data = getattr(trace, letter, None)
        if data is not None:
            values.extend(list(data))
    return values


def _widest_tick_label(fig: go.Figure, letter: str) -> tuple[str, int, bool]:
    """(a label as wide as the widest tick label, lines per label, categorical?)."""
    axis = fig.layout[f"{letter}axis"]
    if axis.ticktext:
        return (*_widest_line(axis.ticktext), True)
    values = [v for v in _axis_values(fig, letter) if v is not None]
    if not values:
        return "0000", 1, False
    if any(isinstance(v, dt.date | np.datetime64) for v in values):
        return "Mmm 00", 2, False  # date axis: "Feb 14" over "2024"
    if any(isinstance(v, str) for v in values) and axis.type not in ("linear", "log"):
        try:
            for v in values[:5]:
                dt.datetime.fromisoformat(str(v))
            return "Mmm 00", 2, False
        except ValueError:
            return (*_widest_line(values), True)
    numbers = [float(v) for v in values if isinstance(v, Real) and not isinstance(v, bool)]
    largest = max((abs(v) for v in numbers), default=0.0)
    return _number_label(largest, axis, any(v < 0 for v in numbers)), 1, False


def _widest_line(labels: Any) -> tuple[str, int]:
    """(the longest line, the most lines) of labels that may have several ('W49<br>4 Des')."""
    lines = [_TAG.sub("", str(v).replace("<br>", "\n")).splitlines() or [""] for v in labels]
    return (max((line for label in lines for line in label), key=len),
            max(len(label) for label in lines))


def _number_label(largest: float, axis: Any, negative: bool) -> str:
    fmt = axis.tickformat or ""
    decimals = int(match.group(1)) if (match := re.search(r"\.(\d+)", fmt)) else 0
    if "%" in fmt:
        label = f"{largest * 100:.{decimals}f}%"
    elif fmt:
        label = f"{largest:,.{decimals}f}"
    elif largest >= 1000:
        label = "888.8M"  # plotly abbreviates: 20k, 1.5M, 160M
    else:
        label = f"{largest:.0f}" + (".25" if largest < 10 else "")
    # a stacked bar or a padded range ends a step past the largest value
    label = "8" + label
    return ("-" if negative else "") + (axis.tickprefix or "") + label + (axis.ticksuffix or "")


def _y_axis_band(fig: go.Figure, px: dict[str, int]) -> float:
    if not _has_cartesian(fig) or fig.layout.yaxis.visible is False:
        return 0
    label, _, _ = _widest_tick_label(fig, "y")
    band = _text_width(label, px["tick"]) + px["tick"] * 0.6
    if fig.layout.yaxis.title.text:
        band += px["axis_title"] * 1.8
    return band


def _x_axis_band(fig: go.Figure, width: int, px: dict[str, int]) -> float:
    if not _has_cartesian(fig) or fig.layout.xaxis.visible is False:
        return 0
    label, lines, _ = _widest_tick_label(fig, "x")
    depth = lines * px["tick"] * _LINE_HEIGHT  # a label's height across its lines
    band = depth + px["tick"] * 0.6
    tilt = _x_tilt(fig, width, px)
    if tilt:  # plotly tilts crowded labels 30 degrees, 90 if still crowded
        band = (_text_width(label, px["tick"]) * math.sin(math.radians(tilt))
                + depth * math.cos(math.radians(tilt)) + px["tick"])
    if fig.layout.xaxis.title.text:
        band += px["axis_title"] * 1.8
    return band


def _has_cartesian(fig: go.Figure) -> bool:
    return any(
        getattr(trace, "type", "") in ("bar", "scatter", "scattergl", "box", "histogram",
                                       "heatmap", "violin", "funnel", "waterfall")
        for trace in fig.data
    )


def _logo_box(logo_path: str | Path, box_height: float) -> tuple[str, float, float]:
    """(data URI, width, height) of the logo's box; width follows a PNG's aspect ratio."""
    path = Path(logo_path)
    mime = _LOGO_MIME.get(path.suffix.lower())
    if mime is None:
        raise ValueError(f"logo must be one of {', '.join(_LOGO_MIME)}: {path.name}")
    data = path.read_bytes()
    aspect = 2.5
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        logo_w, logo_h = struct.unpack(">II", data[16:24])
        if logo_h:
            aspect = logo_w / logo_h
    box_width = box_height * min(max(aspect, 0.5), 4.0)
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return uri, box_width, box_height
