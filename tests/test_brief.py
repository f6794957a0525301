"""The weekly brief: a self-contained HTML page and a multi-page A4 PDF with the KPIs."""

from __future__ import annotations

import subprocess
import time
from html.parser import HTMLParser

import pytest

from dashboard import brief, db, weekly
from dashboard.export.figures import INSTALL_COMMAND, ChromiumMissing, chromium_available
from dashboard.i18n import format_number, format_percent
from tests.test_weekly import build_db

requires_chromium = pytest.mark.skipif(
    not chromium_available(), reason=f"no Chromium; CI runs `{INSTALL_COMMAND}`")


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    path = build_db(tmp_path_factory.mktemp("brief") / "brief.duckdb")
    with db.connect(path, read_only=True) as conn:
        yield {(week, lang): weekly.weekly_summary(conn, week, lang)
               for week in ("2024-W07", "2024-W01") for lang in ("id", "en")}


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
    assert (page.count("<section") == 4)


@requires_chromium
@pytest.mark.parametrize("key", [("2024-W07", "id"), ("2024-W07", "en"), ("2024-W01", "id")])
def test_pdf_brief_has_pages_and_the_kpi_values(summaries, key, tmp_path):
    summary = summaries[key]
    started = time.perf_counter()
    path = brief.brief_pdf(summary, tmp_path / "brief.pdf")
    assert time.perf_counter() - started < 20
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
