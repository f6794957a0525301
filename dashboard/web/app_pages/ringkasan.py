"""Ringkasan: KPI tiles, every channel of the campaign side by side (never one total), and
the trend per wave and per day."""


import streamlit as st

from dashboard.charts.reach import daily_trend, wave_trend
from dashboard.export.provenance import provenance
from dashboard.filters import Filters
from dashboard.i18n import format_percent, t
from dashboard.reports import weekly
from dashboard.reports.weekly import CHANNEL_DATA
from dashboard.web import ui
from dashboard.web.app_pages import all_channels


@st.cache_data(show_spinner=False, max_entries=64)
def _channels(filters: Filters, version: str) -> list[weekly.ChannelFigures]:
    # SMS: reach_totals, as the tiles above (one definition of unique reach)
    totals = ui.table("reach_totals", filters)
    waves = ui.query("marts/provenance_receipts", **filters.params()).iloc[0]["waves"]
    return weekly.channel_figures(ui.cursor(), filters, totals.iloc[0],
                                  approximate=ui.approximate(totals),
                                  sms_waves=weekly.wave_ids(waves))


@st.cache_data(show_spinner=False, max_entries=64)
def _sources(filters: Filters, language: str, version: str) -> tuple[str, ...]:
    return provenance(ui.cursor(), ("receipts", *CHANNEL_DATA), filters, language).sources


language = ui.page("page.overview", "ui.overview_caption")
filters = ui.sidebar_filters()
if ui.empty_state(filters):
    st.stop()

totals_frame = ui.table("reach_totals", filters)
totals = totals_frame.iloc[0]
estimated = ui.approximate(totals_frame)  # unique reach from the HyperLogLog sketch
# three then two tiles: counts in the millions and billions stay whole at laptop widths
tiles = [*st.columns(3), *st.columns([1, 1, 1])[:2]]
tiles[0].metric(t("metric.sent", language), ui.number(totals["sent"]), border=True)
tiles[1].metric(t("metric.delivered", language), ui.number(totals["delivered"]), border=True)
tiles[2].metric(t("metric.delivery_rate", language),
                format_percent(totals["delivery_rate"], lang=language),
                help=t("ui.delivery_rate_help", language), border=True)
tiles[3].metric(t("metric.unique_reach", language),
                ui.reach_number(totals["unique_reach"], estimated),
                help=t("ui.unique_reach_help", language), border=True)
tiles[4].metric(t("metric.pending", language), ui.number(totals["pending"]),
                help=t("ui.pending_help", language), border=True)
ui.reach_note(totals_frame, filters=filters)
ui.alerts_panel()

st.subheader(t("allch.title", language))
all_channels.show(_channels(filters, ui.data_version()), language, week=False,
                  sources=_sources(filters, language, ui.data_version()), filters=filters)

waves = ui.table("reach_wave", filters)
ui.chart(wave_trend(waves, language), key="wave_trend")
ui.download(waves, "reach_wave")
ui.source_line()  # each chart names its source on screen, as its exports do

daily = ui.table("reach_daily", filters)
ui.chart(daily_trend(daily, language), key="daily_trend")
ui.download(daily, "reach_daily")
ui.source_line()
