"""Measure the text of a rendered SVG figure in Chromium: every visible text element's box
in canvas pixels, its font size, and the clip region it is drawn in; then the layout faults
among them (overlaps, text off the canvas or cut by a clip, type too small).

Used by tests/test_figure_layout.py. The boxes come from the browser (getBBox mapped through
the element's transform), so they are what a reader sees: font metrics, kerning, rotation.
A box is the text's em box (ascent to descent of the font, start to end of the advance), the
same box for every glyph whatever its ink; multi-line text is one box.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

Point = tuple[float, float]

# The page script: for each <text> with visible characters, its four corners in root-SVG
# pixels, the smallest font size of its characters in those pixels, a role from plotly's
# class names, and the clip rectangle (corners) of the nearest clipped ancestor.
_MEASURE_JS = r"""
() => {
  const svg = document.querySelector('svg');
  const origin = svg.getScreenCTM().inverse();
  const toRoot = (el) => origin.multiply(el.getScreenCTM());
  const corners = (m, x, y, w, h) => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]].map(
    ([px, py]) => { const p = new DOMPoint(px, py).matrixTransform(m); return [p.x, p.y]; });
  const hidden = (el) => {
    for (let node = el; node && node !== svg; node = node.parentNode) {
      if (!(node instanceof Element)) continue;
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden') return true;
      if (parseFloat(style.opacity) === 0 || parseFloat(style.fillOpacity) === 0 &&
          node === el) return true;
    }
    return false;
  };
  const role = (el) => {
    const names = [];
    for (let node = el; node && node !== svg; node = node.parentNode) {
      const cls = node.getAttribute && node.getAttribute('class');
      if (cls) names.push(cls);
    }
    return names.join(' < ');
  };
  const clipOf = (el) => {
    for (let node = el; node && node !== svg; node = node.parentNode) {
      const ref = node.getAttribute && node.getAttribute('clip-path');
      if (!ref) continue;
      const id = (ref.match(/url\(['"]?#([^'")]+)['"]?\)/) || [])[1];
      const clip = id && document.getElementById(id);
      const rect = clip && clip.querySelector('rect');
      if (!rect) continue;
      const b = rect.getBBox();
      return corners(toRoot(node), b.x, b.y, b.width, b.height);
    }
    return null;
  };
  const out = [];
  const box = svg.getBoundingClientRect();
  for (const el of svg.querySelectorAll('text')) {
    // plotly writes each line of a multi-line text as a tspan.line: join them with a space
    const lines = el.querySelectorAll(':scope > tspan.line');
    const raw = lines.length ? Array.from(lines, (l) => l.textContent).join(' ')
                             : el.textContent;
    const content = (raw || '').replace(/\s+/g, ' ').trim();
    if (!content || hidden(el)) continue;
    const b = el.getBBox();
    if (b.width <= 0 || b.height <= 0) continue;
    const m = toRoot(el);
    const scale = Math.sqrt(m.a * m.a + m.b * m.b);
    let font = parseFloat(getComputedStyle(el).fontSize);
    for (const span of el.querySelectorAll('tspan')) {
      if ((span.textContent || '').trim()) {
        font = Math.min(font, parseFloat(getComputedStyle(span).fontSize));
      }
    }
    // the extent of its visible characters (the em box counts trailing spaces: a label's
    // "  " suffix is room, not text)
    let ink = null;
    const chars = el.textContent || '';
    for (let i = 0; i < el.getNumberOfChars(); i++) {
      if (!chars[i] || !chars[i].trim()) continue;
      const e = el.getExtentOfChar(i);
      for (const [x, y] of corners(m, e.x, e.y, e.width, e.height)) {
        ink = ink ? [Math.min(ink[0], x), Math.min(ink[1], y), Math.max(ink[2], x),
                     Math.max(ink[3], y)] : [x, y, x, y];
      }
    }
    out.push({text: content, role: role(el), corners: corners(m, b.x, b.y, b.width, b.height),
              font: font * scale, clip: clipOf(el), ink: ink});
  }
  // the plot areas, for the room beside their labels: each cartesian subplot's clip
  // rectangle (plotly's clipPath.axesclip with an id ending in x..y..), in root pixels
  const plots = [];
  for (const clip of svg.querySelectorAll('clipPath.axesclip')) {
    const rect = clip.querySelector('rect');
    if (!rect || !/x\d*y\d*$/.test(clip.id)) continue;
    const [x, y, w, h] = ['x', 'y', 'width', 'height'].map(
      (name) => parseFloat(rect.getAttribute(name) || '0'));
    if (w > 0 && h > 0) plots.push([[x, y], [x + w, y], [x + w, y + h], [x, y + h]]);
  }
  return {width: box.width, height: box.height, texts: out, plots: plots};
}
"""


@dataclass(frozen=True)
class TextBox:
    text: str
    role: str  # plotly class names from the element up, "xtick < xaxislayer-above < ..."
    corners: tuple[Point, ...]  # four, in canvas pixels, in drawing order
    font_px: float  # smallest font size of its characters, canvas pixels
    clip: tuple[Point, ...] | None = None  # the clip rectangle it is drawn in, if any
    # x0, y0, x1, y1 of its visible characters (no trailing spaces), canvas pixels
    ink: tuple[float, float, float, float] | None = None

    @property
    def kind(self) -> str:
        """A short name for messages: legend, annotation, xtick, ytick, colorbar, ..."""
        for key in ("legendtext", "annotation", "xtick", "ytick", "cbaxis", "colorbar",
                    "textpoint", "bartext", "gtitle", "xtitle", "ytitle"):
            if key in self.role:
                return key
        return self.role.split(" < ", 1)[0] or "text"

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.corners]
        ys = [p[1] for p in self.corners]
        return min(xs), min(ys), max(xs), max(ys)

    def describe(self) -> str:
        x0, y0, x1, y1 = self.bounds()
        return f"{self.kind} {self.text!r} [{x0:.0f},{y0:.0f} .. {x1:.0f},{y1:.0f}]"


@dataclass
class Layout:
    width: float
    height: float
    texts: list[TextBox] = field(default_factory=list)
    # the plot areas (subplot backgrounds), four corners each, in canvas pixels
    plots: list[tuple[Point, ...]] = field(default_factory=list)


def _axes(poly: Sequence[Point]) -> Iterator[Point]:
    for i in range(len(poly)):
        (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % len(poly)]
        yield (y0 - y1, x1 - x0)


def overlap_depth(a: Sequence[Point], b: Sequence[Point]) -> float:
    """How far two convex polygons interpenetrate (pixels along the best separating axis);
    0 or less when they do not overlap. Separating-axis test, so rotated labels are exact."""
    depth = float("inf")
    for ax, ay in (*_axes(a), *_axes(b)):
        norm = (ax * ax + ay * ay) ** 0.5
        if norm == 0:
            continue
        pa = [(x * ax + y * ay) / norm for x, y in a]
        pb = [(x * ax + y * ay) / norm for x, y in b]
        depth = min(depth, min(max(pa), max(pb)) - max(min(pa), min(pb)))
        if depth <= 0:
            return depth
    return depth


def _outside(inner: Sequence[Point], outer: Sequence[Point]) -> float:
    """How far `inner`'s corners reach outside the convex polygon `outer` (pixels)."""
    worst = 0.0
    for ax, ay in _axes(outer):
        norm = (ax * ax + ay * ay) ** 0.5
        if norm == 0:
            continue
        po = [(x * ax + y * ay) / norm for x, y in outer]
        pi = [(x * ax + y * ay) / norm for x, y in inner]
        worst = max(worst, min(po) - min(pi), max(pi) - max(po))
    return worst


@dataclass(frozen=True)
class Rules:
    shown_scale: float = 1.0  # shown width / canvas width (social: 540 / 1080)
    min_shown_px: float = 12.0
    overlap_px: float = 1.0  # deeper than this is a collision (boxes are em boxes, not ink)
    edge_px: float = 0.5  # allowed overshoot for rounding
    # texts drawn over the others on purpose (the sample watermark across the plot): still
    # checked for size, canvas and clipping, not for overlap
    overlays: tuple[str, ...] = ()


def faults(layout: Layout, rules: Rules) -> list[str]:
    """Every layout fault, one readable line each; [] when the figure is clean."""
    found: list[str] = []
    canvas = ((0.0, 0.0), (layout.width, 0.0), (layout.width, layout.height),
              (0.0, layout.height))
    for box in layout.texts:
        shown = box.font_px * rules.shown_scale
        if shown < rules.min_shown_px - 0.01:
            found.append(f"too small: {box.describe()} is {shown:.1f} px as shown "
                         f"(< {rules.min_shown_px:.0f})")
        off = _outside(box.corners, canvas)
        if off > rules.edge_px:
            found.append(f"off the canvas by {off:.0f} px: {box.describe()}")
        if box.clip is not None:
            cut = _outside(box.corners, box.clip)
            if cut > rules.edge_px:
                found.append(f"clipped by {cut:.0f} px: {box.describe()}")
    texts = [box for box in layout.texts if box.text not in rules.overlays]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            depth = overlap_depth(a.corners, b.corners)
            if depth > rules.overlap_px:
                found.append(f"overlap {depth:.0f} px: {a.describe()} x {b.describe()}")
    return found


class Probe:
    """One Chromium page that measures any number of SVG documents."""

    def __init__(self, browser: object) -> None:
        self._page = browser.new_page()  # a Playwright Browser (tests/conftest.py)

    def measure(self, svg: bytes | str) -> Layout:
        text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
        if text.startswith("<?xml"):
            text = text.split("?>", 1)[1]
        self._page.set_content(
            "<!doctype html><html><head><style>body{margin:0}</style></head><body>"
            f"{text}</body></html>")
        self._page.evaluate("document.fonts.ready.then(() => true)")
        raw = self._page.evaluate(_MEASURE_JS)
        return Layout(raw["width"], raw["height"], [
            TextBox(t["text"], t["role"], tuple(map(tuple, t["corners"])), t["font"],
                    tuple(map(tuple, t["clip"])) if t["clip"] else None,
                    tuple(t["ink"]) if t.get("ink") else None)
            for t in raw["texts"]
        ], [tuple(map(tuple, corners)) for corners in raw.get("plots", [])])

    def close(self) -> None:
        self._page.close()


@contextmanager
def probe(browser: object) -> Iterator[Probe]:
    session = Probe(browser)
    try:
        yield session
    finally:
        session.close()



YTICK_ROLE = re.compile(r"(^| < )y\d*tick\b")


def label_room(layout: Layout) -> list[tuple[TextBox, float]]:
    """Each y-axis tick label left of a plot area, with the room between the right edge of
    its visible characters (every line of a wrapped label) and the plot area it labels
    (canvas pixels; 0 or less: it touches or enters the bars)."""
    found = []
    for box in layout.texts:
        if not YTICK_ROLE.search(box.role):
            continue
        x0, y0, x1, y1 = box.ink or box.bounds()
        beside = []
        for plot in layout.plots:
            px0 = min(p[0] for p in plot)
            py0, py1 = min(p[1] for p in plot), max(p[1] for p in plot)
            if py0 < y1 and y0 < py1 and px0 >= x0:
                beside.append(px0 - x1)
        if beside:
            found.append((box, min(beside)))
    return found
