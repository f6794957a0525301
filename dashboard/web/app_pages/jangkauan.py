"""Jangkauan: reach per operator and per province, the tile map, the heatmap, latency and
error codes. Clicking a province tile or an operator bar narrows the page to it."""

import streamlit as st

from dashboard.charts.reach import (
    error_code_bars,
    latency_chart,
    operator_bars,
    operator_province_heatmap,
    province_ranking,
    ranking_note,
)
from dashboard.charts.tilemap import province_tile_map
from dashboard.i18n import t
from dashboard.store import sketch
from dashboard.web import ui
from dashboard.web.app_pages import phone

MAP_METRICS = ("delivered_per_voter", "unique_reach_per_voter", "delivery_rate", "sent",
               "delivered", "unique_reach")

language = ui.page("page.reach", "ui.reach_caption")
filters = ui.sidebar_filters()
if ui.empty_state(filters):
    st.stop()

by_operator = ui.table("reach_operator", filters)
by_province = ui.table("reach_province", filters)
cells = ui.table("reach_operator_province", filters)
# unique reach estimated (HyperLogLog), and what it leaves out
ui.reach_note(by_operator, by_province, cells, filters=filters)

left, right = st.columns(2)
with left:
    ui.chart(operator_bars(by_operator, "delivered", language), key="operator_chart",
                    on_select=ui.select_from_chart("operator_chart", "operator"),
                    selection_mode="points")
    ui.download(by_operator, "reach_operator")
with right:
    ui.chart(latency_chart(by_operator, language), key="latency_chart")
ui.source_line()  # every chart and table of this page: the receipts under the filters

metric = st.selectbox(t("ui.map_metric", language), MAP_METRICS,
                      format_func=lambda m: t(f"metric.{m}", language), key="map_metric")
chosen = list(filters.provinces) or None
in_filter = filters.effective_provinces  # None: every province
# a map of unique reach: its press export says what unique reach leaves out or estimates
reach_shown = {"unique_reach": metric.startswith("unique_reach"),
               "estimated": metric.startswith("unique_reach") and ui.approximate(by_province)}
with st.container(key="wide_only_map"):  # wide screens: the tile map at its pixel size
    ui.chart(province_tile_map(by_province, metric, language, selected=chosen,
                               in_filter=in_filter, width=phone.TILE_MAP_WIDTH),
             key="province_map", on_select=ui.select_from_chart("province_map", "provinsi"),
             selection_mode="points", width="content", **reach_shown,
             ranked=lambda: province_ranking(by_province, metric, language, in_filter,
                                             columns=2))  # its square and A4 press form
with st.container(key="phone_only_ranking"):  # narrow screens: the same numbers, ranked
    ui.chart(province_ranking(by_province, metric, language, in_filter, chosen),
             key="province_ranking", **reach_shown,
             on_select=ui.select_from_chart("province_ranking", "provinsi"),
             selection_mode="points")
    if left_out := ranking_note(by_province, metric, language, in_filter):
        st.caption(left_out)
notes = [t("note.per_voter", language)] if metric.endswith("_per_voter") else []
if metric.startswith("unique_reach") and ui.approximate(by_province):
    notes.append(sketch.note(language))
unknown = by_province[by_province["province_code"].isna()]
if not unknown.empty:
    notes.append(t("note.unknown_province", language, n=ui.number(unknown["sent"].iloc[0])))
for note in notes:
    st.caption(note)

with st.expander(t("ui.province_table", language)):
    ui.show_table(by_province)
ui.download(by_province, "reach_province")
ui.source_line()

with st.container(key="desktop_only_heatmap"):
    ui.chart(operator_province_heatmap(cells, "delivery_rate", language, in_filter=in_filter),
             key="heatmap")
with st.container(key="mobile_only_heatmap"):  # provinces down the screen, values written
    ui.chart(operator_province_heatmap(cells, "delivery_rate", language, in_filter=in_filter,
                                       provinces_as_rows=True), key="heatmap_rows")
ui.download(cells, "reach_operator_province")
# exact unique reach per whole wave x operator x province (rollup reach_cells), at any size
wave_cells = ui.table("reach_wave_operator_province", filters)
ui.download(wave_cells, "reach_wave_operator_province", "ui.download_reach_cells")
st.caption(t("note.reach_cells", language))
ui.source_line()

errors = ui.table("error_codes", filters)
if errors.empty:
    st.info(t("ui.no_failures", language))
else:
    ui.chart(error_code_bars(errors, language), key="error_chart")
    ui.download(errors, "error_codes")
    ui.source_line()
