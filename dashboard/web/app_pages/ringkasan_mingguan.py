"""Ringkasan mingguan: one ISO week for leadership, KPIs against the week before, provinces,
operators, the headline finding with its caveat, data freshness and a short narrative; the
brief as PDF and HTML (optional title and logo), and press exports of its charts.
Print-friendly. A week without sends or hoax data says so instead of showing empty charts
and tables of zeros."""

import streamlit as st

from dashboard.charts.tilemap import province_tile_map
from dashboard.export.figures import (
    INSTALL_COMMAND,
    SIZES,
    ChromiumMissing,
    chromium_available,
    figure_html_bytes,
    figure_image_bytes,
    press_figure,
)
from dashboard.i18n import t
from dashboard.reports import brief, weekly
from dashboard.text_safety import markdown_text
from dashboard.web import kpi_grid, ui
from dashboard.web.app_pages import all_channels, phone

# Printing the page: no sidebar, header or buttons, charts kept whole.
PRINT_CSS = """
<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDownloadButton"], [data-testid="stExpander"], .stButton,
  [data-testid="stSelectbox"] { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  .stPlotlyChart, [data-testid="stMetric"], [data-testid="stTable"], .kpi-tile {
    break-inside: avoid; page-break-inside: avoid; }
}
</style>
"""
CHART_KEYS = tuple(weekly.CHART_DATA)  # the charts a press export offers
FORMATS = ("png", "svg", "pdf", "html")


@st.cache_data(show_spinner=False, max_entries=32)
def _summary(week: str, lang: str, version: str, scope: tuple[int, ...]
             ) -> weekly.WeeklySummary:
    return weekly.weekly_summary(ui.cursor(), week, lang, scope)


@st.cache_data(show_spinner=False, max_entries=64)
def _weeks(version: str) -> list[tuple[str, bool]]:
    return weekly.weeks_to_choose(ui.cursor())


language = ui.page("page.weekly", "weekly.caption")
st.html(PRINT_CSS)

version = ui.data_version()
choices = _weeks(version)
if not choices:
    st.info(t("weekly.no_data", language))
    st.stop()
weeks = [w for w, _ in choices]
quiet = {w for w, sends in choices if not sends}
latest = next(i for i, (_, sends) in enumerate(choices) if sends)  # the latest with sends
week = st.selectbox(t("weekly.choose_week", language), weeks, index=latest, key="pekan",
                    bind="query-params",
                    format_func=lambda w: t("weekly.week_no_sends", language, week=w)
                    if w in quiet else w)
if week not in weeks:
    week = weeks[latest]
summary = _summary(week, language, version, ui.scope())
st.subheader(f"{t('weekly.week', language)} {summary.iso_week} · {summary.period_text}")

# the eight headline numbers as one grid: four a row, two on a phone (st.columns stack)
st.html(kpi_grid.grid_html(kpi_grid.weekly_tiles(summary, language)))

for note in summary.reach_notes:  # an estimate; receipts unique reach leaves out
    st.caption(markdown_text(note))

# the whole campaign's week: every channel side by side, never one total
st.subheader(t("allch.title_week", language))
all_channels.show(summary.channels, language, week=True,
                  sources=summary.channels_provenance.sources
                  if summary.channels_provenance else ())

# The summary's sentences are plain text holding wave ids and names from files: escaped for
# Markdown here (the brief escapes the same sentences as HTML).
st.subheader(t("weekly.narrative", language))
st.markdown("\n\n".join(markdown_text(sentence) for sentence in summary.narrative))

st.subheader(t("weekly.finding", language))
st.info(markdown_text(summary.finding))
st.caption(markdown_text(summary.caveat))

st.subheader(t("weekly.freshness", language))
(st.warning if summary.operators_missing else st.success)(
    markdown_text(weekly.freshness_text(summary)))


figures = brief.brief_figures(summary)  # only the charts with something to show
if not summary.has_sends:
    st.info(t("weekly.no_sends", language, week=summary.iso_week))
if "weekly_trend" in figures:
    st.plotly_chart(figures["weekly_trend"], key="weekly_trend", width="stretch")
    st.caption(t("weekly.caption.trend", language) if summary.has_sends
               else t("weekly.caption.trend_empty", language, week=summary.iso_week))
    ui.show_source(summary.chart_provenance["weekly_trend"].source_line)
if summary.has_sends:
    left, right = st.columns(2)
    with left:
        st.plotly_chart(figures["operators"], key="weekly_operators", width="stretch")
    with right:
        st.markdown(f"**{t('weekly.operators', language)}**")
        ui.static_table(brief.display_frame(summary.operators, brief.OPERATOR_COLUMNS[:5],
                                            language))
        ui.download(summary.operators, f"weekly_operators_{summary.iso_week}")
    ui.show_source(summary.chart_provenance["operators"].source_line)

if summary.has_deliveries:
    # the map at its pixel size where the column holds it; on a phone the top and bottom
    # tables below carry the same numbers
    with st.container(key="wide_only_weekly_map"):
        map_frame, map_metric = brief.per_voter_frame(summary)
        st.plotly_chart(province_tile_map(map_frame, map_metric, language,
                                          width=phone.TILE_MAP_WIDTH),
                        key="weekly_tile_map", width="content")
    st.caption(t("note.per_voter", language))
    factor = summary.per_voter_factor
    if summary.ranks_provinces:
        top_col, bottom_col = st.columns(2)
        for column, title_key, frame in ((top_col, "weekly.top_provinces",
                                          summary.top_provinces),
                                         (bottom_col, "weekly.bottom_provinces",
                                          summary.bottom_provinces)):
            with column:
                st.markdown(f"**{t(title_key, language)}**")
                if frame.empty:
                    st.caption(t("weekly.bottom_none", language))
                else:
                    ui.static_table(brief.display_frame(frame, brief.PROVINCE_COLUMNS,
                                                        language, factor))
        if none := weekly.without_deliveries_text(summary):
            st.caption(none)
    # the map and the top and bottom provinces
    ui.show_source(summary.chart_provenance["tile_map"].source_line)

if "hoax" in figures:
    st.plotly_chart(figures["hoax"], key="weekly_hoax", width="stretch")
    st.caption(" ".join(filter(None, (
        t("weekly.caption.hoax", language),
        weekly.event_legend(weekly.hoax_chart_events(summary), language),
        weekly.hoax_gap_text(summary)))))
    ui.show_source(summary.chart_provenance["hoax"].source_line)
else:
    st.info(weekly.hoax_gap_text(summary) or t("weekly.no_hoax_chart", language))
st.markdown(f"**{t('weekly.waves', language)}**")
if len(summary.waves):
    ui.static_table(brief.display_frame(summary.waves, brief.WAVE_COLUMNS, language))
else:
    st.caption(t("weekly.no_waves", language))

# --- downloads ------------------------------------------------------------------------------
st.divider()
st.subheader(t("weekly.downloads", language))
has_chromium = chromium_available()
title_col, logo_col = st.columns(2)
brief_title = title_col.text_input(t("weekly.title_override", language), key="brief_title",
                                   placeholder=t("weekly.brief_title", language),
                                   max_chars=120).strip() or None
logo_mb = brief.LOGO_MAX_BYTES // 1_000_000  # the brief takes 2 MB, not the server's 200
upload = logo_col.file_uploader(t("weekly.logo", language), type=["png", "jpg", "jpeg", "svg"],
                                key="brief_logo", max_upload_size=logo_mb)
with logo_col:
    ui.uploader_note(logo_mb)
logo = None
if upload is not None:
    try:
        logo = brief.read_logo(upload.getvalue())
    except ValueError as exc:
        st.warning(t("weekly.logo_bad", language, reason=str(exc)))
pdf_col, html_col = st.columns(2)
pdf_col.download_button(
    t("weekly.download_pdf", language),
    lambda: brief.brief_pdf_bytes(summary, title=brief_title, logo=logo),
    file_name=f"ringkasan_{summary.iso_week}_{language}.pdf", mime="application/pdf",
    key="brief_pdf", icon=":material/picture_as_pdf:", disabled=not has_chromium,
    on_click="ignore")
html_col.download_button(
    t("weekly.download_html", language),
    lambda: brief.brief_html(summary, title=brief_title, logo=logo),
    file_name=f"ringkasan_{summary.iso_week}_{language}.html", mime="text/html",
    key="brief_html", icon=":material/html:", on_click="ignore")
if not has_chromium:
    st.warning(t("weekly.no_chromium", language, command=INSTALL_COMMAND))

if not figures:  # no chart to export
    st.stop()
st.subheader(t("weekly.press", language))
chart_col, format_col, size_col = st.columns(3)
chart = chart_col.selectbox(t("weekly.press_chart", language),
                            [k for k in CHART_KEYS if k in figures], key="press_chart",
                            format_func=lambda k: str(figures[k].layout.title.text or k))
fmt = format_col.selectbox(t("weekly.press_format", language),
                           FORMATS if has_chromium else ("html",), key="press_format",
                           format_func=str.upper)
size = size_col.selectbox(t("weekly.press_size", language), tuple(SIZES), key="press_size",
                          format_func=lambda s: t(f"weekly.size.{s}", language))


def _press_bytes() -> bytes:
    fig = figures[chart]
    press = press_figure(fig, str(fig.layout.title.text or chart),
                         subtitle=summary.press_subtitle(chart),
                         source=summary.chart_provenance[chart].footer, size=size,
                         lang=language, watermark=summary.chart_provenance[chart].watermark)
    if fmt == "html":
        return figure_html_bytes(press)
    try:
        return figure_image_bytes(press, fmt)
    except ChromiumMissing:
        return figure_html_bytes(press)


st.download_button(
    t("weekly.press_download", language, fmt=fmt.upper()), _press_bytes,
    file_name=f"{chart}_{summary.iso_week}_{size}.{fmt}",
    mime={"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
          "html": "text/html"}[fmt],
    key="press_download", icon=":material/download:", on_click="ignore")
