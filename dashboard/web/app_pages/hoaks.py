"""Hoaks: weekly election-hoax issues beside the blast calendar, platforms, take-downs, the
trend test and the rate around each SMS wave (association, not effect)."""

import streamlit as st

from dashboard import reference
from dashboard.analysis.hoax import (
    describe_trend,
    moving_average,
    takedown_summary,
    trend_test,
    wave_rate_ratios,
)
from dashboard.charts.hoax import platform_mix, rate_ratio_forest, takedown_bars, weekly_hoax_bars
from dashboard.export.provenance import data_of_figure, data_of_table
from dashboard.filters import Filters
from dashboard.i18n import format_percent, t
from dashboard.web import ui

language = ui.page("page.hoax", "ui.hoax_caption")

everything = ui.hoax_register(Filters())
if everything.empty:
    st.info(t("empty.no_hoax", language))
    st.stop()

first, last = everything["identified_date"].min(), everything["identified_date"].max()
left, right = st.columns([2, 1])
period = left.date_input(t("ui.hoax_period", language), value=(first, last), min_value=first,
                         max_value=last, key="hoaks_periode", bind="query-params",
                         format="DD/MM/YYYY")
k = right.slider(t("ui.window_days", language), 3, 14, 7, key="hoaks_k", bind="query-params")
start, end = ui.date_range(period, first, last)
filters = Filters(date_from=start, date_to=end)
register = ui.hoax_register(filters)
if register.empty:
    st.warning(t("ui.empty_filter", language))
    st.stop()

weekly = ui.table("hoax_weekly", filters)
by_theme = ui.hoax_weekly_by(filters, "theme")
trend = trend_test(weekly, "issues")
summary = takedown_summary(register)

tiles = st.columns(3)
tiles[0].metric(t("ui.hoax_issues", language), ui.number(weekly["issues"].sum()), border=True)
tiles[1].metric(t("ui.hoax_content", language), ui.number(weekly["content_items"].sum()),
                border=True)
tiles[2].metric(t("ui.hoax_takedown_rate", language),
                format_percent(summary["takedown_rate"].iloc[0], lang=language), border=True)
st.info(describe_trend(trend, language))

average = moving_average(weekly, "issues", 4).set_index("week_start")["issues_ma4"]
ui.chart(weekly_hoax_bars(by_theme, language, moving_average=average,
                          waves=ui.query("marts/waves_catalogue"),
                          events=reference.election_calendar()),
         key="hoax_weekly", data=("hoax",))
st.caption(t("ui.hoax_events_note", language))
ui.download(weekly, "hoax_weekly")
# the page's own period, not the sidebar's filters of another page
ui.source_line(("hoax",), filters=filters)

ratios = wave_rate_ratios(register, ui.query("marts/waves_catalogue"), k, start=start, end=end)
left, right = st.columns(2)
with left:
    ui.chart(rate_ratio_forest(ratios, language, k=k), key="hoax_rate_ratio",
             data=data_of_figure("hoax_rate_ratios"))
    st.caption(t("ui.hoax_rate_note", language))
    ui.download(ratios, "hoax_wave_rate_ratios")
with right:
    by_theme_takedown = takedown_summary(register, by="theme")
    ui.chart(takedown_bars(by_theme_takedown, language), key="hoax_takedown", data=("hoax",))
    unknown = int(summary["issues_unknown"].iloc[0])
    if unknown:
        st.caption(t("ui.hoax_takedown_unknown", language, n=unknown))
    ui.download(by_theme_takedown, "hoax_takedown_by_theme")
ui.source_line(data_of_table("hoax_wave_rate_ratios"), filters=filters)

ui.chart(platform_mix(ui.hoax_weekly_by(filters, "platform"), language),
                key="hoax_platforms", data=("hoax",))
ui.source_line(("hoax",), filters=filters)

st.subheader(t("ui.hoax_tests", language))
tests = ui.hoax_tests(filters, k)
ui.show_table(tests)
st.caption(t("note.association", language))
ui.download(tests, "hoax_tests")
ui.source_line(data_of_table("hoax_tests"), filters=filters)

st.subheader(t("ui.hoax_latest", language))
needle = st.text_input(t("ui.search", language), key="hoaks_cari", max_chars=100)
latest = register if not needle else register[
    register["title"].str.contains(needle, case=False, regex=False, na=False)]
# titles are shown as data (st.dataframe renders text, never HTML)
ui.show_table(latest.head(200))
ui.download(latest, "hoax_register")
ui.source_line(("hoax",), filters=filters)
