"""The weekly brief: the weekly summary as one self-contained HTML file (works offline) and as
a multi-page A4 PDF (cover with the KPIs, charts, tables, a methods note).

Charts are rendered once to SVG through Kaleido (one Chromium session for the batch) and
embedded as data URIs; the PDF is the same HTML printed by headless Chromium. Without
Chromium the HTML falls back to interactive charts with plotly.js inlined, and the PDF
raises ChromiumMissing with the install command.
"""

from __future__ import annotations

import base64
import html
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import operator_name
from dashboard.export.figures import (
    ChromiumMissing,
    add_watermark,
    chromium_available,
    find_chromium,
    render_figures,
)
from dashboard.export.files import write_atomically
from dashboard.i18n import (
    format_date,
    format_datetime,
    format_duration,
    format_number,
    format_percent,
    t,
)
from dashboard.reports.figures_registry import weekly_trend_chart
from dashboard.reports.weekly import (
    CHANNEL_MEASURES,
    Kpi,
    WeeklySummary,
    channel_name,
    channel_notes,
    event_legend,
    format_per_voter,
    freshness_text,
    good_news,
    hoax_chart_events,
    hoax_gap_text,
    per_voter_unit,
    without_deliveries_text,
)

CONTENT_WIDTH = 688  # px: A4 (210 mm) less 2 x 14 mm margins, at 96 px per inch
WIDE_WIDTH = 1010  # px: A4 landscape (297 mm) less the margins, for the tile map's page
CHART_HEIGHTS = {"weekly_trend": 320, "operators": None, "tile_map": None, "hoax": 400}
HOAX_TOP_MARGIN = 96  # the top margin CHART_HEIGHTS["hoax"] was chosen with (the template's)
# the operator bars: room for the title, and a bar's height per operator (the second page
# also holds the alerts, the finding and the data's freshness)
OPERATOR_BARS_BASE, OPERATOR_BAR_HEIGHT = 110, 36
QUIET_TREND_HEIGHT = 280  # a week without sends: the trend is context, the hoax chart follows
PRINT_TIMEOUT_S = 60
# about the share of a brief chart's width and height its plot area takes (plotly's default
# margins), to size the sample watermark to the plot
PLOT_SHARE = (0.8, 0.6)
BRIEF_FIGURES = ("weekly_trend", "operators", "tile_map", "hoax")
LOGO_MAX_BYTES = 2_000_000


# --- figures -------------------------------------------------------------------------------


def trend_frame(summary: WeeklySummary) -> pd.DataFrame:
    """The weeks of the trend chart, from weekly.trend_start up to the week."""
    from dashboard.reports.weekly import trend_start

    start = trend_start(summary)
    if start is None:
        return summary.trend
    return summary.trend[summary.trend["week_start"] >= pd.Timestamp(start)
                         ].reset_index(drop=True)


def shown_figures(summary: WeeklySummary) -> tuple[str, ...]:
    """The charts with something to show for the week: no empty operator bars or map of
    zeros in a week without sends, no trend of zeros, no empty hoax chart without hoax data."""
    recent = trend_frame(summary)
    has_trend = len(recent) > 0 and float(recent["sent"].sum()) > 0
    shown = {"weekly_trend": has_trend, "operators": summary.has_sends,
             "tile_map": summary.has_deliveries, "hoax": summary.has_hoax_chart}
    return tuple(name for name in BRIEF_FIGURES if shown[name])


def brief_figures(summary: WeeklySummary, width: int = CONTENT_WIDTH) -> dict[str, go.Figure]:
    """The brief's charts that have something to show (shown_figures), sized for the A4
    content width."""
    from dashboard import reference
    from dashboard.charts.hoax import weekly_hoax_bars
    from dashboard.charts.reach import operator_bars
    from dashboard.charts.tilemap import province_tile_map

    lang = summary.lang
    provinces, metric = per_voter_frame(summary)
    makers = {
        "weekly_trend": lambda: weekly_trend_chart(trend_frame(summary), summary.iso_week,
                                                   lang),
        "operators": lambda: operator_bars(summary.operators, "delivered", lang),
        "tile_map": lambda: province_tile_map(provinces, metric, lang, width=WIDE_WIDTH),
        "hoax": lambda: weekly_hoax_bars(summary.hoax_weekly, lang, waves=summary.hoax_waves,
                                         events=reference.election_calendar()),
    }
    figures = {name: makers[name]() for name in shown_figures(summary)}
    for name, fig in figures.items():
        height = CHART_HEIGHTS.get(name) or fig.layout.height
        if name == "hoax":  # the rows of event labels above its plot come on top
            height += max((fig.layout.margin.t or 0) - HOAX_TOP_MARGIN, 0)
        if name == "operators":
            height = OPERATOR_BARS_BASE + OPERATOR_BAR_HEIGHT * max(len(summary.operators), 2)
        if name == "weekly_trend" and not summary.has_sends:
            height = QUIET_TREND_HEIGHT
        weeks = len(trend_frame(summary))
        if name == "weekly_trend" and 11 < weeks <= 14:
            # labels level and a little smaller: 12-14 weeks fit across the page untilted
            fig.update_xaxes(tickangle=0, tickfont=dict(size=10))
        fig.update_layout(width=WIDE_WIDTH if name == "tile_map" else width, height=height,
                          autosize=False)
        # sample data marked inside each chart's image too: a chart copied out of the brief
        # (a slide, a chat) leaves the pages' header behind (review item 3)
        origin = summary.chart_provenance.get(name) or summary.provenance
        if origin is not None:
            add_watermark(fig, origin.watermark, fig.layout.width * PLOT_SHARE[0],
                          fig.layout.height * PLOT_SHARE[1])
    return figures


def per_voter_frame(summary: WeeklySummary) -> tuple[pd.DataFrame, str]:
    """The week's provinces and the per-voter column the map shows: delivered_per_voter, which
    the tile map writes per style.PER_VOTERS voters, as every view does."""
    return summary.provinces, "delivered_per_voter"


# --- HTML ----------------------------------------------------------------------------------

CSS = """
@page { size: A4 portrait; margin: 14mm 14mm 16mm 14mm; }
@page wide { size: A4 landscape; margin: 12mm 14mm 14mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #222; font-size: 10pt;
       line-height: 1.4; margin: 0; background: #fff; }
section.wide { page: wide; }
@media screen { section.page { max-width: 182mm; margin-left: auto; margin-right: auto; }
                section.wide { max-width: 269mm; } }
@media screen { main { padding: 12mm 4mm; } section.page { border-bottom: 1px dashed #ccc;
                padding-bottom: 8mm; margin-bottom: 8mm; } }
section.page { break-after: page; page-break-after: always; }
section.page:last-child, section.page.flow { break-after: auto; page-break-after: auto; }
h1 { font-size: 20pt; margin: 0 0 1.5mm; line-height: 1.15; }
h2 { font-size: 14pt; margin: 0 0 3mm; padding-bottom: 1.5mm; border-bottom: 2px solid #0072B2; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; }
.masthead { border-top: 6px solid #0072B2; padding-top: 3mm; margin-bottom: 3mm;
            display: flex; gap: 5mm; align-items: flex-start; justify-content: space-between; }
.masthead .logo { max-height: 20mm; max-width: 50mm; width: auto; height: auto;
                  object-fit: contain; flex: none; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 8.5pt; color: #0072B2;
          font-weight: bold; }
.period { font-size: 11.5pt; color: #444; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2.5mm; margin: 3mm 0 4mm; }
.kpi { border: 1px solid #d5dbe1; border-radius: 2mm; padding: 2mm 2.5mm; break-inside: avoid; }
.kpi .label { font-size: 8.5pt; color: #555; min-height: 2.4em; line-height: 1.2; }
.kpi .value { font-size: 15pt; font-weight: bold; margin: 0.5mm 0 0.5mm; white-space: nowrap; }
.kpi .change { font-size: 8.5pt; color: #555; white-space: nowrap; }
.kpi .change.up { color: #00734F; } .kpi .change.down { color: #B34700; }
.narrative p { margin: 0 0 1.5mm; text-align: left; }
.box { border-left: 4px solid #0072B2; background: #F1F6FA; padding: 2.5mm 3.5mm; margin: 3mm 0;
       break-inside: avoid; }
.box p { margin: 0 0 1.5mm; } .box p:last-child { margin-bottom: 0; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.box.warn { border-left-color: #D55E00; background: #FDF3EC; }
.box h3 { margin-top: 0; margin-bottom: 1.5mm; font-size: 10.5pt; }
.caveat { font-style: italic; color: #444; margin-bottom: 0; }
figure { margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%; height: auto; display: block; }
figure .plot { width: 100%; }
figcaption { font-size: 8pt; color: #666; margin-top: 1mm; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 0 0 4mm;
        break-inside: avoid; }
th, td { padding: 1.3mm 2mm; border-bottom: 1px solid #e1e5ea; text-align: left;
         vertical-align: top; }
th { background: #EEF2F6; font-weight: bold; border-bottom: 1px solid #b9c3cd; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; }
.cols table { font-size: 8.5pt; }
.methods p, .methods li { font-size: 8.5pt; line-height: 1.35; }
.methods ul { padding-left: 5mm; margin: 0 0 2mm; }
.source { font-size: 8pt; color: #666; margin-top: 3mm; }
.muted { color: #666; }
.sample-tag { font-size: 8.5pt; font-weight: bold; color: #B34700; margin: 0 0 2mm; }
@media print { .sample-tag { display: none; } }
.empty { border: 1px dashed #b9c3cd; border-radius: 2mm; padding: 3mm 4mm; color: #444;
         margin: 0 0 4mm; }
.scroll { overflow-x: auto; max-width: 100%; }
/* every channel side by side: three cards, never one total (reports/weekly.channel_figures) */
.channels { margin: 0 0 3mm; break-inside: avoid; page-break-inside: avoid; }
.channels h2 { margin-bottom: 2mm; }
.channel-grid { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 2.5mm; }
.channel { border: 1px solid #d5dbe1; border-top: 3px solid #0072B2; border-radius: 2mm;
           padding: 1.5mm 2.5mm 2mm; }
.channel .name { font-weight: bold; font-size: 9.5pt; margin-bottom: 0.5mm; }
.channel .measure { margin-top: 1mm; line-height: 1.25; }
.channel .measure .value { font-size: 12pt; font-weight: bold; white-space: nowrap; }
.channel .name .tag { font-size: 7pt; font-weight: normal; text-transform: uppercase;
                      letter-spacing: 0.05em; color: #555; border: 1px solid #b9c3cd;
                      border-radius: 1mm; padding: 0 1mm; white-space: nowrap; }
.channel .measure .label { font-size: 8pt; color: #444; }
.channel .measure .to-date, .channel .waves { font-size: 7.5pt; color: #666; }
.channel .absent { font-size: 9pt; color: #444; font-style: italic; margin: 1mm 0; }
.channels .caveat { font-size: 8.5pt; margin: 1.5mm 0 0; }
/* phones (390 px): nothing wider than the screen; a wide table scrolls inside its box */
@media screen and (max-width: 720px) {
  main { padding: 4mm 3mm; }
  section.page, section.wide { max-width: 100%; }
  h1 { font-size: 18pt; }
  .masthead { flex-wrap: wrap; }
  .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 2mm; }
  .channel-grid { grid-template-columns: minmax(0, 1fr); gap: 2mm; }
  .channels .caveat { font-size: 10pt; }
  .kpi .value { font-size: 13pt; white-space: normal; overflow-wrap: anywhere; }
  .kpi .change { white-space: normal; }
  .cols { grid-template-columns: minmax(0, 1fr); gap: 0; }
  table { font-size: 8.5pt; }
  th, td { padding: 1mm 1.2mm; }
  figure .plot { overflow-x: auto; }
  body { overflow-wrap: break-word; }
}
"""


def page_number_css(lang: str, sample: bool = False) -> str:
    """'Halaman 2 dari 5' at the foot of every printed page (portrait and landscape); of
    sample data, 'DATA CONTOH / SAMPLE DATA · ...' at the head of every page as well: a page
    printed, forwarded or screenshot alone still says its numbers are synthetic."""
    text = (f'"{t("weekly.page", lang)} " counter(page) " {t("weekly.page_of", lang)} " '
            "counter(pages)")
    font = 'font-family: "DejaVu Sans", Arial, sans-serif;'
    box = (f"@bottom-right {{ content: {text}; {font} font-size: 8pt; color: #666; "
           "vertical-align: top; padding-top: 2mm; }")
    if sample:
        mark = _css_string(sample_page_mark(lang))
        box += (f" @top-left {{ content: {mark}; {font} font-size: 9pt; font-weight: bold; "
                "color: #B34700; vertical-align: bottom; padding-bottom: 2mm; }")
    return f"@page {{ {box} }} @page wide {{ {box} }}"


def sample_page_mark(lang: str) -> str:
    """The mark every page of a brief of sample data carries (printed: its header)."""
    return f"{t('prov.watermark', lang)} · {t('prov.sample_page', lang)}"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_logo(data: bytes) -> tuple[str, bytes]:
    """(MIME type, bytes) of a logo: PNG, JPEG or SVG (without scripts), at most 2 MB;
    anything else raises ValueError with the reason."""
    if not data:
        raise ValueError("the logo file is empty")
    if len(data) > LOGO_MAX_BYTES:
        raise ValueError(f"the logo is larger than {LOGO_MAX_BYTES // 1_000_000} MB")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", data
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", data
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower():
        if b"<script" in data.lower():
            raise ValueError("an SVG logo with a script is not embedded")
        return "image/svg+xml", data
    raise ValueError("the logo must be a PNG, JPEG or SVG image")


def _logo_tag(logo: tuple[str, bytes] | None) -> str:
    if logo is None:
        return ""
    mime, data = logo
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img class="logo" alt="logo" src="data:{mime};base64,{encoded}">'


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _kpi_tile(kpi: Kpi, summary: WeeklySummary) -> str:
    lang = summary.lang
    change = kpi.change
    # the class is the change's tone (up: green, down: red), as the page's tiles have it
    tone = None if change is None or change == 0 else good_news(kpi.key, change > 0)
    direction = {True: "up", False: "down", None: ""}[tone]
    label = t(f"weekly.kpi.{kpi.key}", lang)
    previous = kpi.formatted_change(lang)
    versus = t("weekly.vs_previous", lang, week=summary.previous_week[-3:])
    return (f'<div class="kpi"><div class="label">{_e(label)}</div>'
            f'<div class="value">{_e(kpi.formatted(lang))}</div>'
            f'<div class="change {direction}">{_e(previous)} {_e(versus)}</div></div>')


def _cell(value: object, kind: str, lang: str, factor: int) -> str:
    if kind == "count":
        return format_number(value, 0, lang)
    if kind == "percent":
        return format_percent(value, 1, lang)
    if kind == "per_voter":
        return format_per_voter(value, factor, lang)
    if kind == "duration":
        return format_duration(value, lang)
    if kind == "date":
        return format_date(value, lang)
    if kind == "operator":
        return operator_name(value)
    if kind == "channel":
        return channel_name(value, lang)
    if kind == "wave_theme":
        key = f"weekly.{kind}.{value}"
        return str(value) if t(key, lang) == key else t(key, lang)
    return "–" if pd.isna(value) else str(value)


def display_frame(frame: pd.DataFrame, columns: list[tuple[str, str, str]], lang: str,
                  factor: int = 1) -> pd.DataFrame:
    """The table as the reader sees it: translated headers, every value formatted.
    columns: (column, header key, kind) with kind count | percent | per_voter | duration |
    text | date | operator | channel | wave_theme; per-voter values per `factor` voters."""
    def header(key: str, kind: str) -> str:
        return per_voter_unit(factor, lang).capitalize() if kind == "per_voter" else t(key, lang)

    return pd.DataFrame({header(key, kind): [_cell(v, kind, lang, factor) for v in frame[col]]
                         for col, key, kind in columns}, dtype=object)


def _table(frame: pd.DataFrame, columns: list[tuple[str, str, str]], lang: str,
           factor: int = 1) -> str:
    shown = display_frame(frame, columns, lang, factor)
    classes = ["" if kind in TEXT_KINDS else "num" for _, _, kind in columns]
    head = "".join(f'<th class="{c}">{_e(h)}</th>'
                   for c, h in zip(classes, shown.columns, strict=True))
    rows = ["<tr>" + "".join(f'<td class="{c}">{_e(v)}</td>'
                             for c, v in zip(classes, values, strict=True)) + "</tr>"
            for values in shown.itertuples(index=False)]
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _figure_block(name: str, figures: dict[str, go.Figure], images: dict[str, bytes] | None,
                  caption: str = "") -> str:
    fig = figures[name]
    alt = _e(fig.layout.title.text or name)
    if images is not None:
        data = base64.b64encode(images[name]).decode("ascii")
        body = f'<img alt="{alt}" src="data:image/svg+xml;base64,{data}">'
    else:
        body = ('<div class="plot">'
                + fig.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False,
                              config={"displaylogo": False, "staticPlot": False})
                + "</div>")
    note = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return f"<figure>{body}{note}</figure>"


def channels_block(summary: WeeklySummary) -> str:
    """Every channel's week side by side (no total: see weekly.ChannelFigures): per channel
    its two numbers with the campaign to date under each, or in words why it has none, and
    the waves with data; then the caveat. Cards, not a table: they stack on a phone."""
    lang = summary.lang
    if not summary.channels:
        return ""
    cards = []
    for figures in summary.channels:
        # WhatsApp gives no province or operator: its card says national
        tag = (f' <span class="tag">{_e(t("allch.national_short", lang))}</span>'
               if figures.national else "")
        parts = [f'<div class="name">{_e(figures.name(lang))}{tag}</div>']
        if figures.has_data:
            for measure in CHANNEL_MEASURES[figures.channel]:
                to_date = figures.to_date_text(measure, lang)
                parts.append(
                    '<div class="measure">'
                    f'<span class="value">{_e(figures.value_text(measure, lang))}</span> '
                    f'<span class="label">{_e(figures.label(measure, lang))}</span>'
                    + (f'<div class="to-date">{_e(to_date)}</div>' if to_date else "")
                    + "</div>")
        else:
            parts.append(f'<p class="absent">{_e(figures.absence(lang))}</p>')
            to_date = [f"{figures.label(m, lang, 'campaign')} "
                       f"{figures.value_text(m, lang, 'campaign')}"
                       for m in CHANNEL_MEASURES[figures.channel]
                       if figures.campaign.get(m) is not None]
            if to_date:
                parts.append(f'<div class="waves">{_e(t("allch.to_date", lang))}: '
                             f'{_e("; ".join(to_date))}</div>')
        if figures.waves:
            parts.append(f'<div class="waves">{_e(figures.waves_text(lang))}</div>')
        cards.append(f'<div class="channel {_e(figures.channel)}">{"".join(parts)}</div>')
    # the caveat here; that WhatsApp is national, in its card and the methods note; the
    # sources close the brief with the others' (the cover must fit its page)
    caveat = channel_notes(summary.channels, lang)[0]
    return (f'<div class="channels"><h2>{_e(t("allch.title_week", lang))}</h2>'
            f'<div class="channel-grid">{"".join(cards)}</div>'
            f'<p class="caveat">{_e(caveat)}</p></div>')


OPERATOR_COLUMNS = [("operator", "weekly.col.operator", "operator"),
                    ("sent", "metric.sent", "count"),
                    ("delivered", "metric.delivered", "count"),
                    ("delivery_rate", "metric.delivery_rate", "percent"),
                    ("unique_reach", "metric.unique_reach", "count"),
                    ("latency_p50_s", "weekly.col.latency_p50", "duration"),
                    ("latency_p90_s", "weekly.col.latency_p90", "duration")]
PROVINCE_COLUMNS = [("province_name", "weekly.col.province", "text"),
                    ("delivered", "metric.delivered", "count"),
                    ("delivered_per_voter", "weekly.col.per_voter", "per_voter"),
                    ("delivery_rate", "weekly.col.rate", "percent")]
WAVE_COLUMNS = [("wave_id", "weekly.col.wave", "text"),
                ("channel", "weekly.col.channel", "channel"),
                ("sent_date", "weekly.col.date", "date"),
                ("theme", "weekly.col.theme", "wave_theme")]
TEXT_KINDS = ("text", "date", "operator", "channel", "wave_theme")


def brief_html(summary: WeeklySummary, figures: dict[str, go.Figure] | None = None,
               images: dict[str, bytes] | None = None, *, static: bool | None = None,
               title: str | None = None, logo: tuple[str, bytes] | bytes | None = None
               ) -> bytes:
    """The brief as one self-contained HTML page (no external scripts, styles or images).

    `images` are the figures already rendered to SVG; otherwise they are rendered here when
    Chromium is available (`static` None) or asked for (`static` True), else embedded as
    interactive plotly charts with plotly.js inlined once. `title` replaces the heading
    ("Ringkasan Mingguan"); `logo` (PNG, JPEG or SVG bytes, or read_logo's pair) goes at the
    top right of the cover. A week without sends or without hoax data says so in a sentence
    instead of showing empty charts and tables of zeros; printed pages are numbered.
    """
    lang = summary.lang
    figures = figures if figures is not None else brief_figures(summary)
    if images is None and figures:
        if static is None:
            static = chromium_available()
        if static:
            images = render_svgs(figures)
    if isinstance(logo, bytes | bytearray):
        logo = read_logo(bytes(logo))
    k = summary.kpis
    title = (title or "").strip() or t("weekly.brief_title", lang)
    generated = format_datetime(summary.generated_at, lang)

    def empty(text: str) -> str:
        return f'<p class="empty">{_e(text)}</p>'

    origin = summary.provenance
    source = origin.footer if origin else ""
    sample = (f'<div class="box warn sample"><p><strong>{_e(origin.mark)}</strong>: '
              f'{_e(t("prov.sample_note", lang))}</p></div>' if origin and origin.sample else "")
    cover = [
        '<section class="page">',
        sample,
        '<div class="masthead"><div>',
        f'<div class="kicker">'
        f'{_e(t("weekly.kicker", lang, ministry=t("org.ministry", lang)))}</div>',
        f"<h1>{_e(title)}</h1>",
        f'<div class="period">{_e(t("weekly.week", lang))} {_e(summary.iso_week)} · '
        f"{_e(summary.period_text)}</div>",
        f"</div>{_logo_tag(logo)}</div>",
        '<div class="kpis">' + "".join(_kpi_tile(k[key], summary) for key in k) + "</div>",
        "".join(f'<p class="source">{_e(note)}</p>' for note in summary.reach_notes),
        channels_block(summary),
        '<div class="narrative">',
        f"<h2>{_e(t('weekly.narrative', lang))}</h2>",
        "".join(f"<p>{_e(s)}</p>" for s in summary.narrative),
        "</div>",
        # the cover says when; the sources close the brief (a cover must fit its page)
        f'<p class="source">{_e(origin.as_of if origin else "")}. '
        f'{_e(t("weekly.generated", lang))} {_e(generated)}.</p>',
        "</section>",
    ]
    # the alerts, the finding and the data's freshness open the second page: the cover holds
    # the week's numbers, every channel's, and the narrative (and must fit its page)
    context = [
        (f'<div class="box warn"><h3>{_e(t("alert.title", lang))}</h3><ul>'
         + "".join(f"<li>{_e(a)}</li>" for a in summary.alerts) + "</ul></div>"
         if summary.alerts else ""),
        '<div class="box">',
        f"<h3>{_e(t('weekly.finding', lang))}</h3>",
        f"<p>{_e(summary.finding)}</p>",
        f'<p class="caveat">{_e(summary.caveat)}</p>',
        "</div>",
        f'<div class="box{" warn" if summary.operators_missing else ""}">',
        f"<h3>{_e(t('weekly.freshness', lang))}</h3>",
        f"<p>{_e(freshness_text(summary))}</p>",
        "</div>",
    ]
    # the new waves of every channel, with the delivery (the methods close the last page)
    waves = [f"<h3>{_e(t('weekly.waves', lang))}</h3>",
             _table(summary.waves, WAVE_COLUMNS, lang) if len(summary.waves)
             else f'<p class="muted">{_e(t("weekly.no_waves", lang))}</p>']
    no_sends = t("weekly.no_sends", lang, week=summary.iso_week)
    if summary.has_sends:
        delivery = [
            '<section class="page">',
            *context,
            f"<h2>{_e(t('weekly.section.delivery', lang))}</h2>",
            _figure_block("weekly_trend", figures, images, t("weekly.caption.trend", lang)),
            # the operators' bars and table stay together: on the next page when the alerts
            # and the finding leave too little room for both
            '<div class="keep operators">',
            _figure_block("operators", figures, images),
            f"<h3>{_e(t('weekly.operators', lang))}</h3>",
            _table(summary.operators, OPERATOR_COLUMNS, lang),
            # the latency columns are histogram bucket middles: say how accurate
            f'<p class="source">{_e(t("ui.latency_note", lang))}</p>',
            *waves,
            "</div>",
            "</section>",
        ]
    else:  # one sentence and the campaign's weeks for context; the hoax section follows
        delivery = [
            '<section class="page flow">',
            *context,
            f"<h2>{_e(t('weekly.section.delivery', lang))}</h2>",
            empty(no_sends),
            _figure_block("weekly_trend", figures, images,
                          t("weekly.caption.trend_empty", lang, week=summary.iso_week))
            if "weekly_trend" in figures else "",
            '<div class="keep">', *waves, "</div>",
            "</section>",
        ]
    factor = summary.per_voter_factor
    none_received = without_deliveries_text(summary)  # the tie at none, said once
    provinces = [
        '<section class="page wide">',
        f"<h2>{_e(t('weekly.section.provinces', lang))}</h2>",
        _figure_block("tile_map", figures, images, t("note.per_voter", lang)),
        *([
            '<div class="cols"><div>',
            f"<h3>{_e(t('weekly.top_provinces', lang))}</h3>",
            _table(summary.top_provinces, PROVINCE_COLUMNS, lang, factor),
            "</div><div>",
            f"<h3>{_e(t('weekly.bottom_provinces', lang))}</h3>",
            _table(summary.bottom_provinces, PROVINCE_COLUMNS, lang, factor)
            if len(summary.bottom_provinces) else empty(t("weekly.bottom_none", lang)),
            "</div></div>",
            empty(none_received) if none_received else "",
        ] if summary.ranks_provinces else []),
        "</section>",
    ] if summary.has_deliveries else []
    if "hoax" in figures:
        hoax_caption = " ".join(filter(None, (
            t("weekly.caption.hoax", lang),
            event_legend(hoax_chart_events(summary), lang),
            hoax_gap_text(summary))))
        hoax = [_figure_block("hoax", figures, images, hoax_caption)]
    else:
        hoax = [empty(hoax_gap_text(summary) or t("weekly.no_hoax_chart", lang))]
    hoax_and_methods = [
        '<section class="page">',
        f'<div class="keep"><h2>{_e(t("weekly.section.hoax", lang))}</h2>',
        *hoax,
        "</div>",
        '<div class="methods">',
        f"<h2>{_e(t('weekly.methods', lang))}</h2>",
        "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in methods_note(summary)) + "</ul>",
        "</div>",
        f'<p class="source">{_e(source)}</p>',
        "</section>",
    ]
    if origin and origin.sample:  # on screen; printed, every page's header says it
        tag = f'<p class="sample-tag">{_e(sample_page_mark(lang))}</p>'
        for section in (delivery, provinces, hoax_and_methods):
            if section:
                section.insert(1, tag)
    scripts = ""
    if images is None and figures:
        from plotly.offline import get_plotlyjs

        scripts = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} {_e(summary.iso_week)}</title>"
        f"<style>{CSS}{page_number_css(lang, bool(origin and origin.sample))}</style>"
        f"{scripts}</head><body><main>"
        + "".join(cover + delivery + provinces + hoax_and_methods)
        + "</main></body></html>"
    )
    return page.encode("utf-8")


def methods_note(summary: WeeklySummary) -> list[str]:
    """The definitions behind the numbers, one sentence or two per item."""
    keys = ("week", "sent", "rate", "reach", "per_voter", "hoax", "finding", "privacy")
    notes = [t(f"weekly.method.{key}", summary.lang) for key in keys]
    if summary.channels:  # after the SMS definitions: every channel, and why no total
        notes.insert(keys.index("per_voter") + 1, t("allch.method", summary.lang))
    after_reach = keys.index("reach") + 1  # after the definition of unique reach
    notes[after_reach:after_reach] = summary.reach_notes
    return notes


def render_svgs(figures: dict[str, go.Figure]) -> dict[str, bytes]:
    """Every figure as SVG, in one Chromium session."""
    names = list(figures)
    rendered = render_figures([(figures[name], "svg") for name in names], tabs=2)
    return dict(zip(names, rendered, strict=True))


# --- PDF -----------------------------------------------------------------------------------


def html_to_pdf(page: bytes, path: str | Path, timeout: float = PRINT_TIMEOUT_S) -> Path:
    """Print an HTML page to PDF with headless Chromium (A4 from the page's CSS)."""
    browser = find_chromium()
    if browser is None:
        raise ChromiumMissing()
    target = Path(path)
    with tempfile.TemporaryDirectory(prefix="pemilu-brief-") as folder:
        source = Path(folder) / "brief.html"
        source.write_bytes(page)
        out = Path(folder) / "brief.pdf"
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
            f"--user-data-dir={Path(folder) / 'profile'}", "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw", f"--print-to-pdf={out}",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as error:
            raise RuntimeError(f"Chromium did not print the brief within {timeout:.0f} s"
                               ) from error
        if not out.exists() or out.stat().st_size == 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise RuntimeError(f"Chromium could not print the brief: {detail[0]}")
        return write_atomically(target, out.read_bytes())


def brief_pdf(summary: WeeklySummary, path: str | Path,
              figures: dict[str, go.Figure] | None = None, *, title: str | None = None,
              logo: tuple[str, bytes] | bytes | None = None) -> Path:
    """The brief as a multi-page A4 PDF at `path` (needs Chromium); `title` and `logo` as in
    brief_html."""
    if not chromium_available():
        raise ChromiumMissing()
    figures = figures if figures is not None else brief_figures(summary)
    images = render_svgs(figures) if figures else {}
    page = brief_html(summary, figures, images, title=title, logo=logo)
    return html_to_pdf(page, path)


def brief_pdf_bytes(summary: WeeklySummary, *, title: str | None = None,
                    logo: tuple[str, bytes] | bytes | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return brief_pdf(summary, Path(folder) / "brief.pdf", title=title,
                         logo=logo).read_bytes()
