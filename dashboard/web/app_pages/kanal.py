"""Kanal: every channel of the campaign per wave, side by side (SMS, the operators' status-bar
text, the WhatsApp Channel), then the status bar by operator and province and the WhatsApp
Channel per update and per day. Numbers and charts: dashboard/reports/channels.py."""

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from dashboard.charts.channels import status_bar_ranking
from dashboard.charts.reach import ranking_note
from dashboard.export.provenance import CHANNEL_KINDS, data_of_figure, data_of_table
from dashboard.i18n import format_date, format_percent, t
from dashboard.reports import channels
from dashboard.web import ui
from dashboard.web.app_pages import phone

TABLES = ("channel_wave", "status_bar_province", "wa_updates", "wa_daily")

language = ui.page("page.channels", "ui.channels_caption")
filters = ui.sidebar_filters()
found = ui.query("marts/channels_loaded").iloc[0]  # any row at all, whatever the filters
loaded = {channel: bool(found[channel]) for channel in channels.CHANNELS}
if not any(loaded.values()):
    st.info(t("ui.channels_no_data", language))
    st.stop()
st.caption(t("ui.channels_filters_note", language))

frames = {name: ui.table(name, filters) for name in TABLES}
waves = frames["channel_wave"]


def chart(name: str, key: str | None = None, ranked: Callable[[], go.Figure] | None = None,
          **options: object) -> object:
    """A Kanal chart with its press export, whose source line names the chart's own data
    (ranked: a tile map's press form where its tiles cannot carry names and values)."""
    fig = channels.figure_from(name, frames, language, **options)
    return ui.chart(fig, key=key or name, data=data_of_figure(name),
                    unique_reach=name in channels.UNIQUE_REACH_FIGURES, ranked=ranked)


def empty_note(channel: str) -> bool:
    """Say why a channel's section is empty (nothing loaded, or nothing in these filters);
    True when it is."""
    if not loaded[channel]:
        key = {"sms": "empty.no_receipts", "status_bar": "empty.no_status_bar",
               "whatsapp_channel": "empty.no_whatsapp"}[channel]
        st.info(t(key, language))
        return True
    if channel == "whatsapp_channel":
        rows = len(frames["wa_updates"]) + len(frames["wa_daily"])
    else:
        rows = int((waves["channel"] == channel).sum())
    if not rows:
        st.info(t("ui.channel_filtered_out", language,
                  channel=t(f"weekly.channel.{channel}", language)))
        return True
    return False


# --- the headline of each channel, side by side (columns stack on a phone) ---------------
sms_tile, status_bar_tile, whatsapp_tile = st.columns(3)
with sms_tile:
    st.subheader(t("weekly.channel.sms", language))
    if not empty_note("sms"):
        totals_frame = ui.table("reach_totals", filters)
        totals = totals_frame.iloc[0]
        st.metric(t("metric.delivered", language), ui.number(totals["delivered"]), border=True)
        st.metric(t("metric.unique_reach", language),
                  ui.reach_number(totals["unique_reach"], ui.approximate(totals_frame)),
                  help=t("ui.unique_reach_help", language), border=True)
with status_bar_tile:
    st.subheader(t("weekly.channel.status_bar", language))
    if not empty_note("status_bar"):
        total = channels.status_bar_sums(frames["status_bar_province"]).iloc[0]
        st.metric(t("metric.impressions", language), ui.number(total["impressions"]),
                  border=True)
        st.metric(t("metric.unique_devices", language), ui.number(total["unique_devices"]),
                  help=t("ui.status_bar_devices_note", language), border=True)
        st.metric(t("metric.click_rate", language),
                  format_percent(total["click_rate"], 2, lang=language),
                  help=t("ui.click_rate_note", language), border=True)
with whatsapp_tile:
    st.subheader(t("weekly.channel.whatsapp_channel", language))
    if not empty_note("whatsapp_channel"):
        summary = channels.whatsapp_summary(frames["wa_updates"], frames["wa_daily"])
        st.metric(t("metric.views", language), ui.number(summary["views"]), border=True)
        if summary["followers"] is not None:
            change = summary["followers_change"]
            st.metric(t("ui.followers_on", language,
                        day=format_date(summary["followers_date"], language)),
                      ui.number(summary["followers"]),
                      delta=None if change is None else ui.number(change),
                      help=t("ui.followers_change_help", language), border=True)
# the tiles' sources: each channel's own
ui.source_line(("receipts", *CHANNEL_KINDS))

# --- per wave, each channel with its own measure -------------------------------------------
st.header(t("ui.by_wave", language))
ui.reach_note(waves, filters=filters)
# each as tall as its waves need (bars of one thickness), so a phone's stacked charts too
for column, name in zip(st.columns(3), channels.WAVE_FIGURES, strict=True):
    with column:
        chart(name)
st.caption(t("ui.sms_wave_reach_note", language))
with st.expander(t("ui.wave_table", language)):
    ui.show_table(channels.screen_waves(waves, language))
ui.download(waves, "channel_wave", "ui.download_channel_wave")
ui.source_line(data_of_table("channel_wave"))

# --- the status bar: per wave and operator, per province ----------------------------------
st.header(t("weekly.channel.status_bar", language))
if not empty_note("status_bar"):
    rows = frames["status_bar_province"]
    st.caption(t("ui.status_bar_devices_note", language))
    left, right = st.columns(2)
    with left:
        chart("status_bar_operators")
    with right:
        chart("status_bar_click_rate")
    st.caption(t("ui.click_rate_note", language))
    metric = st.selectbox(t("ui.map_metric", language), channels.MAP_METRICS,
                          format_func=lambda m: t(f"metric.{m}", language), key="kanal_metric")
    chosen = list(filters.provinces) or None
    in_filter = filters.effective_provinces  # None: every province
    with st.container(key="wide_only_status_bar_map"):  # the tile map at its pixel size
        by_province = channels.status_bar_sums(rows, ["province_code"])
        chart("status_bar_tile_map", key="status_bar_map", metric=metric, in_filter=in_filter,
              selected=chosen, width=phone.TILE_MAP_WIDTH,
              ranked=lambda: status_bar_ranking(by_province, metric, language,
                                                in_filter=in_filter, columns=2))
    with st.container(key="phone_only_status_bar_ranking"):  # a phone: the same, ranked
        ui.chart(status_bar_ranking(by_province, metric, language, in_filter=in_filter,
                                    selected=chosen),
                 key="status_bar_ranking", data=data_of_figure("status_bar_tile_map"))
        if left_out := ranking_note(by_province, metric, language, in_filter):
            st.caption(left_out)
    if unknown := channels.unknown_province_impressions(rows):
        st.caption(t("note.status_bar_unknown_province", language, n=ui.number(unknown)))
    with st.expander(t("ui.province_table", language)):
        ui.show_table(channels.screen_provinces(rows, language))
    ui.download(rows, "status_bar_province")
    ui.source_line(("status_bar",))

# --- the WhatsApp Channel: national only ---------------------------------------------------
st.header(t("weekly.channel.whatsapp_channel", language))
st.info(t("ui.whatsapp_national", language), icon=":material/public:")
if ui.scope():  # national numbers for a province-scoped user (reports/channels.py says why)
    st.caption(t("ui.whatsapp_national_scope", language))
if not empty_note("whatsapp_channel"):
    left, right = st.columns(2)
    with left:
        chart("wa_updates")
    with right:
        chart("wa_followers")
    with st.expander(t("ui.updates_table", language)):
        ui.show_table(frames["wa_updates"].assign(
            theme=[channels.theme_name(v, language) for v in frames["wa_updates"]["theme"]]))
    ui.download(frames["wa_updates"], "wa_updates")
    with st.expander(t("ui.daily_table", language)):
        ui.show_table(frames["wa_daily"])
    ui.download(frames["wa_daily"], "wa_daily")
    ui.source_line(data_of_table("wa_daily"))
