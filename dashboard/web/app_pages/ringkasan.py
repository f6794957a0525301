"""Ringkasan: KPI tiles and the trend per wave and per day."""

import streamlit as st

from dashboard.charts.reach import daily_trend, wave_trend
from dashboard.i18n import format_percent, t
from dashboard.web import ui

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

waves = ui.table("reach_wave", filters)
ui.chart(wave_trend(waves, language), key="wave_trend")
ui.download(waves, "reach_wave")

daily = ui.table("reach_daily", filters)
ui.chart(daily_trend(daily, language), key="daily_trend")
ui.download(daily, "reach_daily")
