"""The weekly page's headline numbers as one small HTML grid (visual review item 21): four
tiles a row where the page is wide, two a row on a phone. st.columns stack below 640 px,
so eight st.metric tiles took about 1,100 px of a 390 px phone before anything else; the
grid keeps every number, its change against the week before and its colour.

No streamlit here: the page writes grid_html with st.html, and the HTML is testable."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Literal

from dashboard.i18n import MISSING, t
from dashboard.reports.weekly import WeeklySummary, good_news
from dashboard.web.app_pages.phone import MOBILE_MAX_PX

WIDE_COLUMNS = 4
PHONE_COLUMNS = 2

CSS = f"""
<style>
.kpi-grid {{ display: grid; grid-template-columns: repeat({WIDE_COLUMNS}, minmax(0, 1fr));
  gap: 1rem; margin: 0 0 0.5rem 0; }}
.kpi-tile {{ border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
  padding: 0.75rem 1rem; break-inside: avoid; page-break-inside: avoid; min-width: 0; }}
.kpi-label {{ font-size: 0.875rem; line-height: 1.3; overflow-wrap: anywhere; }}
.kpi-value {{ font-size: 2.25rem; line-height: 1.25; margin: 0.15rem 0 0.3rem 0;
  white-space: nowrap; }}
.kpi-delta {{ display: inline-block; font-size: 0.8rem; line-height: 1.4;
  border-radius: 1rem; padding: 0.05rem 0.5rem; }}
.kpi-good {{ color: #177233; background: #dcf5e3; }}
.kpi-bad {{ color: #a4161a; background: #fde4e4; }}
.kpi-flat {{ color: #4a4a4a; background: #ececec; }}
@container main (max-width: {MOBILE_MAX_PX}px) {{
  .kpi-grid {{ grid-template-columns: repeat({PHONE_COLUMNS}, minmax(0, 1fr));
    gap: 0.5rem; }}
  .kpi-tile {{ padding: 0.5rem 0.6rem; }}
  .kpi-value {{ font-size: 1.6rem; }}
  .kpi-delta {{ font-size: 0.75rem; padding: 0.05rem 0.4rem; }}
}}
</style>
"""


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    delta: str | None = None  # '-34,1% vs W06'; None: nothing to compare with
    direction: Literal["up", "down"] | None = None
    good: bool | None = None  # green when True, red when False, grey when None


def weekly_tiles(summary: WeeklySummary, lang: str) -> list[Tile]:
    """The week's KPIs in the page's order, each with its change against the week before."""
    versus = t("weekly.vs_previous", lang, week=summary.previous_week[-3:])
    tiles = []
    for key, kpi in summary.kpis.items():
        change_text = kpi.formatted_change(lang)
        change = kpi.change
        direction = (None if change is None or change == 0 or change_text == MISSING
                     else "up" if change > 0 else "down")
        good = None if direction is None else good_news(key, direction == "up")
        tiles.append(Tile(t(f"weekly.kpi.{key}", lang), kpi.formatted(lang),
                          None if change_text == MISSING else f"{change_text} {versus}",
                          direction, good))
    return tiles


def grid_html(tiles: list[Tile]) -> str:
    """The tiles as a grid; every text escaped (labels and values are plain text)."""
    cells = []
    for tile in tiles:
        delta = ""
        if tile.delta is not None:
            tone = {True: "kpi-good", False: "kpi-bad", None: "kpi-flat"}[tile.good]
            arrow = {"up": "↑ ", "down": "↓ ", None: ""}[tile.direction]
            delta = f'<div class="kpi-delta {tone}">{arrow}{escape(tile.delta)}</div>'
        cells.append(f'<div class="kpi-tile"><div class="kpi-label">{escape(tile.label)}'
                     f'</div><div class="kpi-value">{escape(tile.value)}</div>{delta}</div>')
    return f'{CSS}<div class="kpi-grid">{"".join(cells)}</div>'
