"""The weekly brief: a self-contained HTML page and a multi-page A4 PDF with the KPIs."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser

import pytest

from dashboard.export.figures import INSTALL_COMMAND, ChromiumMissing, chromium_available
from dashboard.i18n import format_number, format_percent
from dashboard.reports import brief, weekly
from dashboard.store import db
from tests.test_weekly import build_db

requires_chromium = pytest.mark.skipif(
    not chromium_available(), reason=f"no Chromium; CI runs `{INSTALL_COMMAND}`")


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    path = build_db(tmp_path_factory.mktemp("brief") / "brief.duckdb")
    with db.connect(path, read_only=True) as conn:
        yield {(week, lang): weekly.weekly_summary(conn, week, lang)
               for week in ("2024-W07", "2024-W01", "2024-W10", "2024-W30")
               for lang in ("id", "en")}


class Links(HTMLParser):
    """Every URL a page would fetch: script src, link href, img/iframe/source src."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        values = dict(attrs)
        for attribute in ("src", "href", "data"):
            if attribute in values and tag in ("script", "link", "img", "iframe", "source",
                                               "object", "embed", "video", "audio"):
                self.fetched.append(values[attribute] or "")

    def handle_data(self, data):
        if self.tags and self.tags[-1] not in ("script", "style"):
            self.text.append(data)


def kpi_strings(summary: weekly.WeeklySummary) -> list[str]:
    k, lang = summary.kpis, summary.lang
    return [format_number(k["sent"].value, 0, lang), format_number(k["delivered"].value, 0, lang),
            format_percent(k["delivery_rate"].value, 1, lang),
            format_number(k["cumulative_reach"].value, 0, lang),
            format_number(k["hoax_new"].value, 0, lang)]


@pytest.mark.parametrize("static", [
    False,  # interactive charts, plotly.js inlined: works without Chromium
    pytest.param(True, marks=requires_chromium),  # charts as SVG data URIs
])
@pytest.mark.parametrize("key", [("2024-W07", "id"), ("2024-W07", "en"), ("2024-W01", "id")])
def test_html_brief_is_self_contained_and_has_the_kpis(summaries, key, static):
    summary = summaries[key]
    page = brief.brief_html(summary, static=static).decode("utf-8")
    parser = Links()
    parser.feed(page)
    parser.close()
    assert parser.tags[:1] == ["html"] and "body" in parser.tags
    external = [u for u in parser.fetched if u.lower().startswith(("http:", "https:", "//"))]
    assert external == []
    assert all(u.startswith("data:") for u in parser.fetched)
    text = " ".join(parser.text)
    for value in kpi_strings(summary):
        assert value in text
    assert "nan" not in text.lower().split() and "NaN" not in text
    assert summary.caveat in text
    assert ("<img" in page) is static
    # no province page in a week without deliveries (2024-W01 of this sample)
    assert page.count("<section") == (4 if summary.has_deliveries else 3)


@requires_chromium
@pytest.mark.parametrize("key", [("2024-W07", "id"), ("2024-W07", "en"), ("2024-W01", "id")])
def test_pdf_brief_has_pages_and_the_kpi_values(summaries, key, tmp_path):
    summary = summaries[key]
    path = brief.brief_pdf(summary, tmp_path / "brief.pdf")  # speed: benchmarks/bench_brief.py
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(next(line.split()[-1] for line in info.stdout.splitlines()
                     if line.startswith("Pages:")))
    assert pages >= 2
    assert "A4" in info.stdout
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    for value in kpi_strings(summary):
        assert value in text, value
    assert summary.iso_week in text
    assert "nan" not in text.lower().split()


@requires_chromium
def test_pdf_pages_fit_a4_without_cut_off_text(summaries, tmp_path):
    """Every page is A4 (portrait, the map page landscape) and no text runs past it."""
    path = brief.brief_pdf(summaries[("2024-W07", "id")], tmp_path / "brief.pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True,
                          text=True, check=True).stdout
    sizes = [line.split(":", 1)[1].split("pts")[0].strip() for line in info.splitlines()
             if line.startswith("Page") and "size" in line]
    assert sizes and all(s in ("594.96 x 841.92", "841.92 x 594.96") for s in sizes)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    import re

    for page in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', boxes,
                           flags=re.S):
        width, height = float(page[0]), float(page[1])
        for x_max, y_max in re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)"', page[2]):
            assert float(x_max) <= width - 20 and float(y_max) <= height - 20


def test_pdf_without_chromium_names_the_install_command(summaries, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    with pytest.raises(ChromiumMissing, match="apt-get install -y chromium"):
        brief.brief_pdf(summaries[("2024-W07", "id")], tmp_path / "brief.pdf")
    assert not (tmp_path / "brief.pdf").exists()


def test_html_without_chromium_still_works(summaries, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    page = brief.brief_html(summaries[("2024-W07", "id")])
    assert b"Plotly.newPlot" in page and b"<img" not in page


@pytest.mark.parametrize(("key", "accuracy"), [
    (("2024-W07", "id"), "Persentil dari histogram (bisa meleset hingga sekitar 19%)"),
    (("2024-W07", "en"), "Percentiles from a histogram (accurate to about 19%)"),
])
def test_the_operator_tables_latency_says_how_accurate_it_is(summaries, key, accuracy):
    assert accuracy in brief.brief_html(summaries[key], static=False).decode("utf-8")


@pytest.mark.parametrize(("factor", "lang", "header"), [
    (1, "id", "Per pemilih"),
    (1_000_000, "id", "Per 1 juta pemilih"),
    (1_000, "en", "Per 1,000 voters"),
])
def test_province_table_names_its_per_voter_unit(summaries, factor, lang, header):
    frame = summaries[("2024-W07", "id")].top_provinces
    shown = brief.display_frame(frame, brief.PROVINCE_COLUMNS, lang, factor)
    assert list(shown.columns)[2] == header
    assert shown.iloc[0, 2] == weekly.format_per_voter(frame["delivered_per_voter"].iloc[0],
                                                       factor, lang)


# --- empty weeks, page numbers, title and logo, the calendar's codes (issue 15) -------------


def pdf_pages(path) -> list[str]:
    """The text of each page of a PDF."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.rstrip("\f").split("\f")


def test_an_empty_weeks_html_has_no_zero_tables_or_empty_charts(summaries):
    summary = summaries[("2024-W10", "id")]
    page = brief.brief_html(summary, static=False).decode("utf-8")
    parser = Links()
    parser.feed(page)
    text = " ".join(parser.text)
    assert "Tidak ada pengiriman pada pekan 2024-W10" in text
    for absent in ("Provinsi", "Per operator", "provinsi tertinggi", "Diterima per operator",
                   "Tidak ada data"):
        assert absent not in text, absent
    assert page.count("<table") == 0  # no operator, province or wave table of zeros
    assert page.count("<section") == 3
    assert brief.shown_figures(summary) == ("weekly_trend", "hoax")


def test_a_week_without_hoax_data_says_so_in_the_brief(summaries):
    summary = summaries[("2024-W30", "en")]
    page = brief.brief_html(summary, static=False).decode("utf-8")
    assert "hoax" not in brief.shown_figures(summary)
    assert "The hoax register loaded covers 15 Jan 2023 to 30 Apr 2024, not this week" in page


@requires_chromium
@pytest.mark.parametrize("key", [("2024-W10", "id"), ("2024-W07", "en")])
def test_pdf_pages_are_numbered_and_none_is_blank_but_for_a_heading(summaries, key, tmp_path):
    summary = summaries[key]
    pages = pdf_pages(brief.brief_pdf(summary, tmp_path / "brief.pdf"))
    word, of = ("Halaman", "dari") if summary.lang == "id" else ("Page", "of")
    for number, page in enumerate(pages, start=1):
        assert f"{word} {number} {of} {len(pages)}" in page
        lines = [line for line in page.splitlines() if line.strip()]
        assert len(lines) >= 8, (number, lines)  # never a heading alone
    if not summary.has_sends:
        assert len(pages) <= 3
        assert "Tidak ada pengiriman pada pekan 2024-W10" in pages[1]


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def test_title_and_logo_override_the_cover(summaries):
    summary = summaries[("2024-W07", "id")]
    page = brief.brief_html(summary, static=False, title="Laporan <Kemkominfo>",
                            logo=PNG).decode("utf-8")
    assert "<h1>Laporan &lt;Kemkominfo&gt;</h1>" in page
    assert "<title>Laporan &lt;Kemkominfo&gt; 2024-W07</title>" in page
    assert 'class="logo" alt="logo" src="data:image/png;base64,' in page
    default = brief.brief_html(summary, static=False).decode("utf-8")
    assert "<h1>Ringkasan Mingguan</h1>" in default and 'class="logo"' not in default


@pytest.mark.parametrize(("data", "mime"), [
    (PNG, "image/png"),
    (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
])
def test_logos_are_read_by_their_content(data, mime):
    assert brief.read_logo(data) == (mime, data)


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"GIF89a....", "PNG, JPEG or SVG"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "script"),
    (b"\x89PNG\r\n\x1a\n" + b"0" * brief.LOGO_MAX_BYTES, "larger than"),
])
def test_unusable_logos_are_refused_with_a_reason(data, reason):
    with pytest.raises(ValueError, match=reason):
        brief.read_logo(data)


@pytest.mark.parametrize(("key", "expected"), [
    (("2024-W07", "id"), "D5 = debat ke-5 calon presiden dan wakil presiden (4 Feb 2024)"),
    (("2024-W07", "en"), "Vote = voting day (14 Feb 2024)"),
])
def test_the_hoax_charts_event_codes_are_explained(summaries, key, expected):
    page = brief.brief_html(summaries[key], static=False).decode("utf-8")
    assert expected in page


def test_an_empty_weeks_trend_is_the_last_12_weeks_and_never_all_zeros(summaries):
    quiet = summaries[("2024-W10", "id")]
    frame = brief.trend_frame(quiet)
    # this sample's sends start in 2024-W03: 8 of the 12 weeks up to 2024-W10
    assert frame["iso_week"].tolist() == [f"2024-W{w:02d}" for w in range(3, 11)]
    assert len(quiet.trend) == 8 and weekly.HOAX_WEEKS == 12
    assert brief.trend_frame(summaries[("2024-W07", "id")]).equals(
        summaries[("2024-W07", "id")].trend)  # a week with sends: the whole campaign
    far = summaries[("2024-W30", "id")]  # 12 weeks of nothing: no chart of zeros
    assert brief.trend_frame(far)["iso_week"].tolist() == [f"2024-W{w}" for w in range(19, 31)]
    assert brief.shown_figures(far) == ()
    page = brief.brief_html(far, static=False).decode("utf-8")
    assert "Plotly.newPlot" not in page and "<script" not in page


# --- every channel on the cover (issue 17) --------------------------------------------------


@requires_chromium
def test_the_cover_holds_every_channel_and_keeps_to_its_page(summaries, tmp_path):
    """The cover holds the KPIs, every channel and the narrative, with its as-of line; the
    alerts, the finding and the freshness open page 2. (Before, the Indonesian voting week's
    cover spilled its as-of line onto a page of its own.) This database has no status-bar or
    WhatsApp file: their cards say so."""
    summary = summaries[("2024-W07", "id")]
    pages = pdf_pages(brief.brief_pdf(summary, tmp_path / "brief.pdf"))
    for number, page in enumerate(pages, start=1):
        assert len([line for line in page.splitlines() if line.strip()]) >= 8, number
    cover = " ".join(pages[0].split())
    for text in ("Semua kanal pekan ini", "Status bar", "Saluran WhatsApp",
                 "Belum ada data yang dimuat.", "tidak dijumlahkan menjadi satu total",
                 "Data per"):
        assert text in cover, text
    assert cover.count("Belum ada data yang dimuat.") == 2
    assert "Temuan statistik utama" in " ".join(pages[1].split())


def _as_real(summary: weekly.WeeklySummary) -> weekly.WeeklySummary:
    """The same week as if none of its data were sample data."""
    from dataclasses import replace

    real = replace(summary, provenance=replace(summary.provenance, sample=False))
    real.chart_provenance = {name: replace(origin, sample=False)
                             for name, origin in summary.chart_provenance.items()}
    return real


# (week and language, sample data?, the mark every page and chart must carry, or none): a page
# or a chart of a brief of sample data forwarded alone still says so (review item 3)
PAGE_MARK_CASES = [
    (("2024-W07", "id"), True, "DATA CONTOH / SAMPLE DATA"),
    (("2024-W07", "en"), True, "SAMPLE DATA / DATA CONTOH"),
    (("2024-W10", "id"), True, "DATA CONTOH / SAMPLE DATA"),  # a week without sends
    (("2024-W07", "id"), False, "DATA CONTOH / SAMPLE DATA"),
]


@pytest.mark.parametrize(("key", "sample", "mark"), PAGE_MARK_CASES)
def test_each_chart_and_section_of_a_sample_brief_is_marked(summaries, key, sample, mark):
    summary = summaries[key] if sample else _as_real(summaries[key])
    figures = brief.brief_figures(summary)
    for name, fig in figures.items():
        marks = [str(a.text) for a in fig.layout.annotations if a.name == "press_watermark"]
        assert (len(marks) == 1 and mark in marks[0]) if sample else not marks, name
    page = brief.brief_html(summary, figures, static=False).decode("utf-8")
    sections = page.count('<section class="page')
    assert page.count('class="sample-tag"') == (sections - 1 if sample else 0)  # the cover: box
    assert (f"@top-left {{ content: \"{mark}" in page) is sample


@requires_chromium
@pytest.mark.parametrize(("key", "sample", "mark"), PAGE_MARK_CASES[:2] + PAGE_MARK_CASES[3:])
def test_every_printed_page_of_a_sample_brief_carries_the_mark(summaries, key, sample, mark,
                                                                tmp_path):
    summary = summaries[key] if sample else _as_real(summaries[key])
    pages = pdf_pages(brief.brief_pdf(summary, tmp_path / "brief.pdf"))
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert (mark in page) is sample, number


# (language, the cover's kicker): the campaign was Kominfo's in 2024; the ministry has been
# Komdigi since October 2024, whose site the sources name: both said, as the sources say them
# (review item 19)
@pytest.mark.parametrize(("lang", "kicker"), [
    ("id", "Pemilu Damai 2024 · Kampanye Kominfo (kini Komdigi)"),
    ("en", "Pemilu Damai 2024 · Kominfo (now Komdigi) campaign"),
])
def test_the_brief_names_the_ministry_as_its_sources_do(summaries, lang, kicker):
    page = brief.brief_html(summaries[("2024-W07", lang)], static=False).decode("utf-8")
    assert f'<div class="kicker">{kicker}</div>' in page


# (KPI key, this week, last week, the change's class: up green, down red, "" neither): the
# page's tiles read the same rule (reports/weekly.good_news; tests/test_weekly_page.py)
@pytest.mark.parametrize(("key", "value", "previous", "tone"), [
    ("delivered", 120, 100, "up"), ("sent", 80, 100, "down"),
    ("hoax_new", 44, 28, "down"),  # more new hoax issues is bad news
    ("hoax_new", 10, 20, "up"),  # as a fall is good news on the page's tile
    ("waves_sent", 3, 2, ""), ("waves_sent", 2, 3, ""),  # the plan, news neither way
    ("delivered", 100, 100, ""), ("takedowns", 5, None, ""),
])
def test_a_kpi_s_change_reads_as_on_the_page(key, value, previous, tone):
    from types import SimpleNamespace

    from dashboard.reports.brief import _kpi_tile
    from dashboard.reports.weekly import Kpi

    summary = SimpleNamespace(lang="id", previous_week="2024-W06")
    assert f'<div class="change {tone}">' in _kpi_tile(Kpi(key, value, previous), summary)
