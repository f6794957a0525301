"""End-to-end in a real browser: the Streamlit server on the sample data, driven by Chromium.

Every page renders in both languages without an error (with a full-page screenshot of each in
test-artifacts/e2e/), choosing an operator in the sidebar turns the KPI into that operator's
count, and the downloads give files that open.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
from PIL import Image

pytest.importorskip("playwright.sync_api",
                    reason="playwright is not installed (pip install -r requirements-dev.txt)")

from playwright.sync_api import BrowserContext, Locator, Page, expect  # noqa: E402

from dashboard.export.figures import PNG_SCALE, SIZES  # noqa: E402
from tests.e2e.conftest import Server, chromium_executable  # noqa: E402

if chromium_executable() is None:
    pytest.skip("no Chromium on PATH or at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)

# url_path (dashboard/web/app.py), screenshot name, title per language
PAGES = [
    ("", "ringkasan", {"id": "Ringkasan", "en": "Overview"}),
    ("ringkasan-mingguan", "ringkasan-mingguan", {"id": "Ringkasan mingguan",
                                                  "en": "Weekly summary"}),
    ("jangkauan", "jangkauan", {"id": "Jangkauan", "en": "Reach"}),
    ("kanal", "kanal", {"id": "Kanal", "en": "Channels"}),
    ("partisipasi", "partisipasi", {"id": "Partisipasi", "en": "Participation"}),
    ("hoaks", "hoaks", {"id": "Hoaks", "en": "Hoaxes"}),
    ("rancang-uji", "rancang-uji", {"id": "Rancang uji", "en": "Experiment design"}),
    ("kualitas-data", "kualitas-data", {"id": "Kualitas data", "en": "Data quality"}),
]
# the app is idle: connected, and no script run going on
APP_IDLE = ('[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
            '[data-test-script-state="notRunning"]')
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(chart => chart.querySelector('.main-svg'))"""
RENDER_TIMEOUT_MS = 60_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def open_page(page: Page, server: Server, url_path: str, lang: str,
              english_query: str = "") -> None:
    titles = next(titles for path, _, titles in PAGES if path == url_path)
    query = f"?{english_query}" if lang == "en" else ""
    page.goto(f"{server.url}/{url_path}{query}")
    wait_until_rendered(page, titles[lang])


@pytest.fixture(scope="module")
def english_query(server: Server, browser_context: BrowserContext) -> str:
    """The query string of a link to the English view, taken from the URL after a reader
    switches the language in the sidebar. (A hand-written `?lang=en` is not understood: the
    URL holds the control's label, `?lang=English`.)"""
    page = browser_context.new_page()
    try:
        open_page(page, server, "", "id")
        english = page.locator(".st-key-lang").get_by_role("radio", name="English")
        english.click()
        expect(english).to_have_attribute("aria-checked", "true")
        wait_until_rendered(page, PAGES[0][2]["en"])
        url = page.url
    finally:
        page.close()
    query = urlsplit(url).query
    assert "lang=" in query, f"the language is not kept in the URL: {url}"
    return query


def wait_until_rendered(page: Page, title: str) -> None:
    """Wait until the script run is over and its output drawn: the page's title is shown, no
    element is stale, no spinner or "running" status is left, and every chart has drawn."""
    page.locator(APP_IDLE).wait_for(state="attached", timeout=RENDER_TIMEOUT_MS)
    expect(page.locator('[data-testid="stAppViewContainer"]')).to_be_visible()
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(
        title, timeout=RENDER_TIMEOUT_MS)
    page.locator(APP_IDLE).wait_for(state="attached", timeout=RENDER_TIMEOUT_MS)
    for busy in ('[data-testid="stStatusWidget"]', '[data-stale="true"]',
                 '[data-testid="stSpinner"]', '[data-testid="stSkeleton"]'):
        expect(page.locator(busy)).to_have_count(0, timeout=RENDER_TIMEOUT_MS)
    page.wait_for_function(CHARTS_DRAWN, timeout=RENDER_TIMEOUT_MS)


def save_full_page(page: Page, path: Path) -> None:
    """Streamlit scrolls inside its main area, not the document, so grow the window to the
    content's height first; otherwise a "full page" shot holds only the first screen."""
    height = page.evaluate("""() => Math.max(...['stMain', 'stSidebarContent'].map(
        id => document.querySelector(`[data-testid="${id}"]`)?.scrollHeight ?? 0))""")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": max(int(height), 900)})
    page.wait_for_function(CHARTS_DRAWN)
    page.wait_for_timeout(300)  # let plotly finish its resize
    page.screenshot(path=path, full_page=True)


def grouped(count: int, lang: str) -> str:
    """A count as the KPI tiles print it: 36.620 (id), 36,620 (en)."""
    text = f"{count:,}"
    return text.replace(",", ".") if lang == "id" else text


def metric_value(page: Page, label: str) -> Locator:
    label_element = page.locator('[data-testid="stMetricLabel"]').filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    tile = page.locator('[data-testid="stMetric"]').filter(has=label_element)
    return tile.locator('[data-testid="stMetricValue"]')


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("url_path", "name", "titles"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_renders_without_an_error(page, server, english_query, artifacts, url_path,
                                             name, titles, lang):
    open_page(page, server, url_path, lang, english_query)
    save_full_page(page, artifacts / f"{name}_{lang}.png")
    errors = page.locator(ERRORS)
    assert errors.count() == 0, errors.all_inner_texts()
    expect(page.locator('[data-testid="stMain"] [data-testid="stElementContainer"]').first
           ).to_be_visible()


@pytest.mark.parametrize(("operator", "option", "lang", "label"), [
    ("xl", "XL Axiata", "id", "Terkirim"),
    ("smartfren", "Smartfren", "en", "Sent"),
], ids=["xl-id", "smartfren-en"])
def test_choosing_an_operator_turns_the_sent_kpi_into_its_count(page, server, english_query,
                                                                 operator, option, lang, label):
    sent_by_operator = server.facts.sent_by_operator
    assert 0 < sent_by_operator[operator] < sum(sent_by_operator.values())
    open_page(page, server, "", lang, english_query)
    sent = metric_value(page, label)
    expect(sent).to_have_text(grouped(sum(sent_by_operator.values()), lang))

    page.locator(".st-key-operator").get_by_role("combobox").click()
    # typed, as a user does: in a 900 px window the sidebar's list opens with no room for
    # its options below the navigation (one page longer since Rancang uji)
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    expect(sent).to_have_text(grouped(sent_by_operator[operator], lang),
                              timeout=RENDER_TIMEOUT_MS)

    # the filter is kept in the URL, so the link opens the same view
    page.goto(page.url)
    wait_until_rendered(page, PAGES[0][2][lang])
    expect(sent).to_have_text(grouped(sent_by_operator[operator], lang))


@pytest.mark.parametrize(("table", "columns", "key", "fact"), [
    ("reach_wave", ["wave_id", "in_catalogue", "sent_date", "theme", "message_text", "sent",
                    "delivered", "delivery_rate", "unique_reach", "pending"], "wave_id",
     "sent_by_wave"),
    ("reach_daily", ["send_date", "operator", "sent", "delivered", "delivery_rate"],
     "operator", "sent_by_operator"),
], ids=["reach_wave", "reach_daily"])
def test_a_table_downloads_as_csv_with_the_counts(page, server, table, columns, key, fact):
    open_page(page, server, "", "id")
    with page.expect_download() as download_info:
        page.locator(f".st-key-download_{table}").get_by_role("button").click()
    download = download_info.value
    assert download.suggested_filename == f"{table}.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(frame.columns) == columns
    assert len(frame) > 0
    assert frame.groupby(key)["sent"].sum().to_dict() == getattr(server.facts, fact)


def test_a_chart_exports_as_png_for_the_press(page, server, artifacts):
    open_page(page, server, "", "id")
    # the first popover on the overview belongs to the first chart, the trend per wave
    page.locator('[data-testid="stPopover"]').first.get_by_role("button").click()
    download_button = page.locator(".st-key-wave_trend_press").get_by_role("button")
    expect(download_button).to_be_visible()
    if not download_button.inner_text().strip().endswith(".png"):
        pytest.skip("the server offers no image export (no Chromium for Kaleido)")
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download_info:
        download_button.click()
    download = download_info.value
    assert download.suggested_filename == "wave_trend_slide.png"
    download.save_as(artifacts / download.suggested_filename)
    data = Path(download.path()).read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        width, height = SIZES["slide"]
        assert image.format == "PNG"
        assert image.size == (width * PNG_SCALE, height * PNG_SCALE)
        darkest, lightest = image.convert("L").getextrema()
        assert lightest - darkest > 100  # something is drawn on the canvas


# Streamlit's own modal for a path no page has ("Page not found", in English whatever the
# language of the app)
PAGE_NOT_FOUND = '[role="dialog"]'


@pytest.mark.parametrize(("lang", "link"), [
    ("id", ""),
    ("id", "operator=xl"),
    ("en", "operator=xl"),
], ids=["id", "id-operator", "en-operator"])
def test_the_home_page_s_name_opens_it_with_the_link_s_filters(page, server, english_query,
                                                               lang, link):
    # the home page lives at "/"; /ringkasan (bookmarked, typed) opened "Page not found" over
    # it (visual review item 8). The link's filter and language apply: the KPI is XL's count.
    query = "&".join(part for part in (english_query if lang == "en" else "", link) if part)
    page.goto(f"{server.url}/ringkasan" + (f"?{query}" if query else ""))
    wait_until_rendered(page, PAGES[0][2][lang])
    expect(page.locator(PAGE_NOT_FOUND)).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    sent = server.facts.sent_by_operator
    expected = sent["xl"] if link else sum(sent.values())
    expect(metric_value(page, {"id": "Terkirim", "en": "Sent"}[lang])).to_have_text(
        grouped(expected, lang), timeout=RENDER_TIMEOUT_MS)
    assert urlsplit(page.url).path == "/ringkasan", page.url  # no redirect, no "/" in between
