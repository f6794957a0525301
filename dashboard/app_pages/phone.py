"""Layout for narrow screens (issue 15, point 6). Streamlit knows nothing of the reader's
screen on the server, so a page draws both forms where one layout cannot serve both (the tile
map and its ranked list; the heatmap and its turned form) in containers keyed `wide_only_*`
and `phone_only_*`, and this style sheet shows the one that fits. Charts otherwise reflow:
st.columns stack below 640 px and plotly fills its container."""

import streamlit as st

# The tile map is drawn at TILE_MAP_WIDTH pixels (marker sizes are in pixels): below
# WIDE_MIN_PX of window (sidebar included) the main column is narrower than that, and the
# ranked list takes its place.
TILE_MAP_WIDTH = 900
WIDE_MIN_PX = 1200

CSS = f"""
<style>
@media (max-width: {WIDE_MIN_PX - 1}px) {{
  [class*="st-key-wide_only"] {{ display: none !important; }}
}}
@media (min-width: {WIDE_MIN_PX}px) {{
  [class*="st-key-phone_only"] {{ display: none !important; }}
}}
@media (max-width: 640px) {{
  /* chart titles are one SVG line: smaller, so that they fit a phone */
  .stPlotlyChart .gtitle {{ font-size: 15px !important; }}
}}
</style>
"""


def narrow_screen_css() -> None:
    """The style sheet above, once per page run (it adds no visible element)."""
    st.html(CSS)
