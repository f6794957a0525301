"""No collisions, by test (issue 15, point 3): every registered figure at every press size, in
both languages, on the sample database, rendered to SVG by the export path and measured in
Chromium (tests/layout_probe.py).

For each figure x size x language:
- no two texts overlap (tick labels, annotations, legend, title, subtitle, source, date, value
  labels: any pair; a text with its own background box is no exception);
- no text leaves the canvas or is cut by the clip region it is drawn in;
- no text is smaller than 12 px at the size the preset is shown (slide 1920 px wide, social
  1080 px shown at 540 px, A4 at 96 dpi);
- a date axis whose dates span more than one year writes the year on every tick, and no two
  ticks read the same.

All figures are rendered in one Kaleido session and measured in one Playwright page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.export.figures import (
    INSTALL_COMMAND,
    SIZES,
    find_chromium,
    render_figures,
)
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.reports import figures_registry
from dashboard.store import db
from tests.layout_probe import (
    Layout,
    Rules,
    TextBox,
    faults,
    label_room,
    overlap_depth,
    probe,
)

requires_chromium = pytest.mark.skipif(
    find_chromium() is None,
    reason=f"no Chromium to render and measure figures; CI runs `{INSTALL_COMMAND}`",
)

LANGS = ("id", "en")
WATERMARKS = tuple(t("prov.watermark", lang) for lang in LANGS)  # drawn over the plot
# the width each preset is seen at, over its canvas width
SHOWN_SCALE = {"slide": 1920 / SIZES["slide"][0], "social": 540 / SIZES["social"][0],
               "a4": 1.0}
CASES = [(name, size, lang) for name in sorted(figures_registry.FIGURES) for size in SIZES
         for lang in LANGS]


def press(conn, name: str, size: str, lang: str):
    """(screen figure, press figure) as `python -m dashboard figure NAME --size SIZE --lang
    LANG` lays it out (whole campaign, no logo), with whatever subtitle and source line the
    export writes."""
    filters = Filters()
    fig = figures_registry.figure(conn, name, filters, lang)
    return fig, figures_registry.press(conn, name, filters, lang, size=size)


@pytest.fixture(scope="module")
def rendered(sample_db: Path, chromium_browser
             ) -> dict[tuple[str, str, str], tuple[object, Layout]]:
    """(name, size, lang) -> (the screen figure, the measured SVG layout)."""
    with db.connect(sample_db, read_only=True) as conn:
        figures = {case: press(conn, *case) for case in CASES}
    svgs = render_figures([(pressed, "svg") for _, pressed in figures.values()], tabs=2)
    with probe(chromium_browser) as session:
        layouts = [session.measure(svg) for svg in svgs]
    return {case: (figures[case][0], layout)
            for case, layout in zip(figures, layouts, strict=True)}


@requires_chromium
@pytest.mark.parametrize(("name", "size", "lang"), CASES)
def test_no_text_collides_is_cut_or_too_small(rendered, name: str, size: str, lang: str
                                              ) -> None:
    _, layout = rendered[(name, size, lang)]
    assert (layout.width, layout.height) == SIZES[size]
    assert layout.texts, "nothing measured"
    problems = faults(layout, Rules(shown_scale=SHOWN_SCALE[size], overlays=WATERMARKS))
    assert problems == [], "\n".join(problems)
    # the sample's press figures carry the watermark (review item 2), inside the canvas
    assert [box for box in layout.texts if box.text in WATERMARKS]


# A horizontal bar's label keeps this much of its type size clear of the bar on every line
# (style.BAR_LABEL_ROOM_PX); a ticksuffix of spaces padded only a wrapped label's last line.
BAR_LABEL_ROOM_EM = 0.3
BAR_CASES = [case for case in CASES if case[0] in ("error_codes", "hoax_takedown", "sms_waves",
                                                   "status_bar_waves", "operator_delivered",
                                                   "wa_waves")]


@requires_chromium
@pytest.mark.parametrize(("name", "size", "lang"), BAR_CASES)
def test_bar_labels_keep_room_from_their_bars(rendered, name: str, size: str, lang: str
                                              ) -> None:
    fig, layout = rendered[(name, size, lang)]
    assert any(trace.type == "bar" and trace.orientation == "h" for trace in fig.data), \
        "not a horizontal bar chart"
    room = label_room(layout)
    assert room, "no bar labels measured"
    tight = [f"{box.text!r}: {gap:.1f} px" for box, gap in room
             if gap < BAR_LABEL_ROOM_EM * box.font_px]
    assert tight == []


YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def _date_values(fig, letter: str) -> list[dt.date]:
    """The dates a figure's traces put on its `letter` axis."""
    days = []
    for trace in fig.data:
        values = getattr(trace, letter, None)
        if values is None:
            continue
        for value in values:
            if isinstance(value, dt.date | np.datetime64 | pd.Timestamp):
                days.append(pd.Timestamp(value).date())
    return days


@requires_chromium
@pytest.mark.parametrize(("name", "lang"), [(n, lang) for n in sorted(figures_registry.FIGURES)
                                            for lang in LANGS])
def test_date_ticks_carry_the_year_when_the_axis_spans_years(rendered, name: str, lang: str
                                                             ) -> None:
    fig, layout = rendered[(name, "slide", lang)]
    days = _date_values(fig, "x")
    if not days:
        return
    # the x axes' tick labels (xtick, or x2tick under a subplot)
    ticks = [box.text for box in layout.texts if re.match(r"x\d*tick\b", box.role)]
    assert ticks, "a date axis without tick labels"
    assert len(set(ticks)) == len(ticks), f"ticks repeat: {ticks}"
    if min(days).year != max(days).year:
        missing = [tick for tick in ticks if not YEAR.search(tick)]
        assert missing == [], f"dates from {min(days)} to {max(days)}; no year on {missing}"


# --- the probe's rules, without a browser ----------------------------------------------


def box(text: str, x0: float, y0: float, x1: float, y1: float, font: float = 20,
        role: str = "annotation-text", clip=None) -> TextBox:
    return TextBox(text, role, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)), font, clip)


def rotated(cx: float, cy: float, w: float, h: float, degrees: float):
    import math

    a = math.radians(degrees)
    return tuple((cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))
                 for x, y in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)))


def test_overlap_depth_of_boxes_and_tilted_labels() -> None:
    a = box("a", 0, 0, 100, 20).corners
    assert overlap_depth(a, box("b", 90, 5, 200, 25).corners) == pytest.approx(10)
    assert overlap_depth(a, box("b", 100, 0, 200, 20).corners) <= 0  # touching is not overlap
    assert overlap_depth(a, box("b", 0, 30, 100, 50).corners) < 0
    # two labels tilted 30 degrees side by side: their axis-aligned boxes overlap, they do not
    left, right = rotated(100, 100, 120, 20, -30), rotated(160, 100, 120, 20, -30)
    xs = [p[0] for p in left]
    assert max(xs) > min(p[0] for p in right)
    assert overlap_depth(left, right) < 0
    assert overlap_depth(left, rotated(110, 100, 120, 20, -30)) > 0


def test_faults_name_every_kind() -> None:
    layout = Layout(1080, 1080, [
        box("Kampanye", 500, 100, 600, 120, role="annotation-text < annotation"),
        box("D3", 580, 100, 610, 120, role="annotation-text < annotation"),
        box("Bengkulu", 10, 300, 80, 320, role="textpoint",
            clip=((20, 0), (1000, 0), (1000, 1000), (20, 1000))),
        box("4 px", 400, 500, 420, 505, font=8),
        box("off", 1070, 600, 1120, 620),
        box("fine", 300, 800, 400, 830, font=24),
    ])
    found = faults(layout, Rules(shown_scale=0.5))
    assert any(f.startswith("overlap 20 px: annotation 'Kampanye'") for f in found), found
    assert any(f.startswith("clipped by 10 px: textpoint 'Bengkulu'") for f in found), found
    assert any(f.startswith("too small: ") and "'4 px'" in f and "4.0 px" in f for f in found)
    assert any(f.startswith("off the canvas by 40 px") for f in found), found
    assert not any("'fine'" in f for f in found)
    assert faults(Layout(1080, 1080, [box("fine", 300, 800, 400, 830, font=24)]),
                  Rules(shown_scale=0.5)) == []


# --- the ranked press form's note on what it leaves out (charts.reach.ranking_note) -----
LEFT_OUT_WORDS = ("Tanpa data", "No data", "Di luar filter", "Outside the filter")
FIRST_20 = tuple(range(11, 20)) + (21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61)
# (figure, size, provinces in the filter, lang): a short list (one column) and one whose
# second column holds one name, at every size the CLI offers, with a logo
NOTE_LAYOUT_CASES = [(name, size, provinces, lang)
                     for name in ("tile_map", "status_bar_tile_map") for size in SIZES
                     for provinces in ((32, 33), FIRST_20) for lang in LANGS]


def _same_line_crowding(layout: Layout, overlays: tuple[str, ...]) -> list[str]:
    """Texts side by side on one line closer than 0.3 em ("553,5 rb2. Jawa Tengah")."""
    boxes = [box for box in layout.texts if box.text not in overlays]
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a.bounds(), b.bounds()
            if min(ay1, by1) - max(ay0, by0) < 0.5 * min(a.font_px, b.font_px):
                continue  # not on one line
            gap = max(bx0 - ax1, ax0 - bx1)
            if gap < 0.3 * min(a.font_px, b.font_px):
                found.append(f"{gap:.0f} px apart: {a.describe()} x {b.describe()}")
    return found


@pytest.fixture(scope="module")
def noted(sample_db: Path, chromium_browser, tmp_path_factory):
    """case -> (press figure, measured layout) for NOTE_LAYOUT_CASES."""
    from tests.test_export_figures import logo_file

    logo = logo_file(tmp_path_factory.mktemp("logo"))
    with db.connect(sample_db, read_only=True) as conn:
        figures = {case: figures_registry.press(conn, case[0], Filters(provinces=case[2]),
                                                case[3], size=case[1], logo_path=str(logo))
                   for case in NOTE_LAYOUT_CASES}
    svgs = render_figures([(fig, "svg") for fig in figures.values()], tabs=2)
    with probe(chromium_browser) as session:
        layouts = [session.measure(svg) for svg in svgs]
    return {case: (figures[case], layout) for case, layout in zip(figures, layouts,
                                                                    strict=True)}


@requires_chromium
@pytest.mark.parametrize(("name", "size", "provinces", "lang"), NOTE_LAYOUT_CASES)
def test_the_ranked_press_note_stands_clear_of_everything(noted, name, size, provinces,
                                                          lang) -> None:
    pressed, layout = noted[(name, size, provinces, lang)]
    problems = faults(layout, Rules(shown_scale=SHOWN_SCALE[size], overlays=WATERMARKS))
    problems += _same_line_crowding(layout, WATERMARKS)
    assert problems == [], "\n".join(problems)
    if not any(trace.type == "bar" for trace in pressed.data):
        return  # the tile map itself (a slide): every tile drawn, white outside the filter
    (note,) = [box for box in layout.texts if box.text.startswith(LEFT_OUT_WORDS)]
    _, note_top, _, note_bottom = note.bounds()
    # above every plot area (so above the bars and their names) ...
    assert note_bottom <= min(y for plot in layout.plots for _, y in plot)
    # ... clear of the watermark across the plot and below the logo
    (mark,) = [box for box in layout.texts if box.text in WATERMARKS]
    assert overlap_depth(note.corners, mark.corners) <= 0
    (logo,) = pressed.layout.images
    plot_h = layout.height - pressed.layout.margin.t - pressed.layout.margin.b
    logo_bottom = pressed.layout.margin.t + (1 - logo.y + logo.sizey) * plot_h
    assert note_top >= logo_bottom
