"""Layout for narrow screens (issue 15, point 6). Streamlit knows nothing of the reader's
screen on the server, so a page draws both forms where one layout cannot serve both, and this
style sheet shows the one that fits the page's main column:
- containers keyed `wide_only_*` / `phone_only_*`: the tile map or its ranked list, by
  whether the column holds the map at TILE_MAP_WIDTH;
- containers keyed `desktop_only_*` / `mobile_only_*`: the operator x province heatmap or its
  turned form, by whether the column is wider than MOBILE_MAX_PX.
Charts otherwise reflow: st.columns stack below 640 px and plotly fills its container."""

import streamlit as st

# The tile map is drawn at TILE_MAP_WIDTH pixels (its square tiles are sized in pixels; drawn
# narrower, they overlap). The choice follows the width of the page's main column, not of the
# window (a CSS container query), so an open or closed sidebar counts: narrower than the map,
# and the ranked list takes its place.
TILE_MAP_WIDTH = 900
MOBILE_MAX_PX = 640

CSS = f"""
<style>
[data-testid="stMainBlockContainer"] {{ container-type: inline-size; container-name: main; }}
@container main (max-width: {TILE_MAP_WIDTH - 1}px) {{
  [class*="st-key-wide_only"] {{ display: none !important; }}
}}
@container main (min-width: {TILE_MAP_WIDTH}px) {{
  [class*="st-key-phone_only"] {{ display: none !important; }}
}}
@container main (max-width: {MOBILE_MAX_PX}px) {{
  [class*="st-key-desktop_only"] {{ display: none !important; }}
}}
@container main (min-width: {MOBILE_MAX_PX + 1}px) {{
  [class*="st-key-mobile_only"] {{ display: none !important; }}
}}
@media (max-width: 640px) {{
  /* chart titles are SVG text (wrapped on screen by ui.chart): smaller, so they fit */
  .stPlotlyChart .gtitle {{ font-size: 15px !important; }}
  /* plotly's tool bar would sit on the title; the press export has its own button */
  .stPlotlyChart .modebar-container {{ display: none !important; }}
}}
</style>
"""


def narrow_screen_css() -> None:
    """The style sheet above, once per page run (it adds no visible element)."""
    st.html(CSS)
