"""Every page at a phone's 390 px and a desktop's 1440 px (issue 15, point 6), and filters that
are not data (point 5), in a real browser against the sample.

At each width: nothing is wider than the screen, no chart is cut, no legend covers a chart's
title, a title fits its chart, and no chart text runs past the chart's edge. On Jangkauan the
tile map gives way to a ranked list of the same numbers and the heatmap turns on a phone
(both forms are drawn; CSS shows the one that fits, dashboard/web/app_pages/phone.py). A
full-page screenshot of each page at each width goes to test-artifacts/e2e/
(phone_<page>_<width>.png).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("playwright.sync_api",
                    reason="playwright is not installed (pip install -r requirements-dev.txt)")

from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

from dashboard.web.app_pages.phone import TILE_MAP_WIDTH  # noqa: E402
from tests.e2e.conftest import Server, chromium_executable  # noqa: E402
from tests.e2e.test_browser import (  # noqa: E402
    ERRORS,
    PAGES,
    save_full_page,
    wait_until_rendered,
)

if chromium_executable() is None:
    pytest.skip("no Chromium on PATH or at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)

PHONE, DESKTOP = 390, 1440
WIDTHS = (PHONE, DESKTOP)
# What each drawn chart occupies: its SVG, its title and its legend (None when it has none),
# for the charts on screen (a chart in a container the style sheet hides has no offsetParent).
CHART_BOXES = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .filter(chart => chart.offsetParent !== null)
  .map(chart => {
    const box = element => {
      if (!element) return null;
      const r = element.getBoundingClientRect();
      return r.width && r.height ? [r.left, r.top, r.right, r.bottom] : null;
    };
    // a tile map's square markers are sized in pixels: the pixels between two tile centres
    const plot = chart.querySelector('.js-plotly-plot');
    const tiles = plot && plot.data ? plot.data.find(trace => trace.name === 'tiles') : null;
    const xaxis = tiles ? plot._fullLayout.xaxis : null;
    const tile = tiles ? {size: tiles.marker.size,
                          step: xaxis._length / (xaxis.range[1] - xaxis.range[0])} : null;
    const holder = chart.closest('[class*="st-key-"]');
    const key = holder ? [...holder.classList].find(c => c.startsWith('st-key-')) : '?';
    return {key, svg: box(chart.querySelector('.main-svg')),
            title: box(chart.querySelector('.gtitle')),
            legend: box(chart.querySelector('.legend')),
            tile};
  })"""
# Every chart text (tick, value label, annotation) that ends outside its chart's SVG: cut off
# on screen (Streamlit's theme zeroes the side margins a figure leaves to its template).
TEXTS_OUT = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .filter(chart => chart.offsetParent !== null && chart.querySelector('.main-svg'))
  .flatMap(chart => {
    const edge = chart.querySelector('.main-svg').getBoundingClientRect();
    const holder = chart.closest('[class*="st-key-"]');
    const key = holder ? [...holder.classList].find(c => c.startsWith('st-key-')) : '?';
    return [...chart.querySelectorAll('svg text')]
      .filter(el => (el.textContent || '').trim() && getComputedStyle(el).visibility !== 'hidden')
      .map(el => ({text: el.textContent.trim(), box: el.getBoundingClientRect()}))
      .filter(({box}) => box.width && (box.right > edge.right + 1 || box.left < edge.left - 1))
      .map(({text, box}) => ({key, text, out: Math.max(box.right - edge.right,
                                                       edge.left - box.left)}));
  })"""
# Problems at 390 px in charts and a page this work did not change (titles of
# charts/participation.py and charts/hoax.py, being reworked for the press exports; the weekly
# page's tile map): named here so that the test still fails on anything else, and passes
# unexpectedly (XPASS) once they are fixed.
# The weekly page shows the brief's figures, whose sample watermark is laid out for the PDF's
# width: on screen it runs past the chart's edge (a product decision: see the review report).
KNOWN_ELSEWHERE: dict[tuple[str, int], set[str]] = {
    ("ringkasan-mingguan", 390): {"st-key-weekly_trend", "st-key-weekly_operators",
                                  "st-key-weekly_hoax"},
    ("ringkasan-mingguan", 1440): {"st-key-weekly_operators"},
}
NARROWEST_MAIN = """() => { const main = document.querySelector('[data-testid="stMain"]');
  return [main.scrollWidth, main.clientWidth]; }"""


@pytest.fixture(scope="module")
def contexts(browser: Browser) -> Iterator[dict[int, BrowserContext]]:
    made = {width: browser.new_context(viewport={"width": width, "height": 900},
                                       locale="id-ID", is_mobile=width == PHONE,
                                       has_touch=width == PHONE)
            for width in WIDTHS}
    for context in made.values():
        context.set_default_timeout(30_000)
    yield made
    for context in made.values():
        context.close()


def open_at(contexts: dict[int, BrowserContext], server: Server, width: int, url_path: str,
            query: str = "") -> Page:
    page = contexts[width].new_page()
    page.goto(f"{server.url}/{url_path}{query}")
    title = next(titles["id"] for path, _, titles in PAGES if path == url_path)
    wait_until_rendered(page, title)
    return page


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


def layout_problems(page: Page, width: int) -> list[str]:
    """What does not fit at this width, one line per problem."""
    problems = []
    scroll, client = page.evaluate(NARROWEST_MAIN)
    if scroll > client + 1:
        problems.append(f"the page scrolls sideways: {scroll} px of content in {client} px")
    for chart in page.evaluate(CHART_BOXES):
        name, svg, title, legend = chart["key"], chart["svg"], chart["title"], chart["legend"]
        if svg is None:
            continue
        if svg[2] > width + 1:
            problems.append(f"{name}: the chart ends at {svg[2]:.0f} px, beyond the screen")
        if title and title[2] > svg[2] + 1:
            problems.append(f"{name}: the title runs {title[2] - svg[2]:.0f} px out of its chart")
        if title and legend and _overlap(title, legend):
            problems.append(f"{name}: the legend covers the title")
        tile = chart["tile"]
        if tile and tile["size"] > tile["step"] + 0.5:
            problems.append(f"{name}: tiles of {tile['size']:.0f} px drawn "
                            f"{tile['step']:.0f} px apart overlap")
    for text in page.evaluate(TEXTS_OUT):
        problems.append(f"{text['key']}: \"{text['text']}\" runs {text['out']:.0f} px out of "
                        "its chart")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("url_path", "name"), [(p[0], p[1]) for p in PAGES],
                         ids=[p[1] for p in PAGES])
def test_every_page_fits_phones_and_desktops(contexts, server, artifacts, url_path, name,
                                             width):
    page = open_at(contexts, server, width, url_path)
    try:
        errors = page.locator(ERRORS)
        assert errors.count() == 0, errors.all_inner_texts()
        problems = layout_problems(page, width)
        save_full_page(page, artifacts / f"phone_{name}_{width}.png")
    finally:
        page.close()
    known = KNOWN_ELSEWHERE.get((name, width), set())
    if problems and all(p.split(":")[0] in known for p in problems):
        pytest.xfail("in files this work does not own: " + "; ".join(problems))
    assert problems == [], "\n".join(problems)


def test_a_phone_gets_the_ranked_list_and_the_turned_heatmap(contexts, server):
    page = open_at(contexts, server, PHONE, "jangkauan")
    try:
        expect(page.locator(".st-key-province_ranking")).to_be_visible()
        expect(page.locator(".st-key-heatmap_rows")).to_be_visible()
        expect(page.locator(".st-key-province_map")).to_be_hidden()
        expect(page.locator(".st-key-heatmap")).to_be_hidden()
        bars = page.evaluate("""() => document.querySelector(
            '.st-key-province_ranking .js-plotly-plot').data[0].customdata.length""")
        assert bars == 38  # every province of the sample has a value
    finally:
        page.close()


def test_a_desktop_gets_the_tile_map_at_its_full_size(contexts, server):
    page = open_at(contexts, server, DESKTOP, "jangkauan")
    try:
        expect(page.locator(".st-key-province_map")).to_be_visible()
        expect(page.locator(".st-key-heatmap")).to_be_visible()
        expect(page.locator(".st-key-province_ranking")).to_be_hidden()
        expect(page.locator(".st-key-heatmap_rows")).to_be_hidden()
        # the tiles are sized in pixels for this width: drawn narrower, they would overlap
        drawn = page.evaluate("""() => document.querySelector(
            '.st-key-province_map .main-svg').getBoundingClientRect().width""")
        assert drawn == pytest.approx(TILE_MAP_WIDTH, abs=1)
    finally:
        page.close()


def test_a_laptop_too_narrow_for_the_map_gets_the_list_and_the_wide_heatmap(browser, server):
    # 1280 px with the sidebar open leaves a main column narrower than the tile map: the
    # choice follows the column (a CSS container query), not the window
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = open_at({1280: context}, server, 1280, "jangkauan")
    try:
        expect(page.locator(".st-key-province_ranking")).to_be_visible()
        expect(page.locator(".st-key-province_map")).to_be_hidden()
        expect(page.locator(".st-key-heatmap")).to_be_visible()
        expect(page.locator(".st-key-heatmap_rows")).to_be_hidden()
    finally:
        page.close()
        context.close()


PROVINCE_FILTER = "?provinsi=Jawa+Barat&provinsi=Jawa+Tengah"
TRACES = """selector => Object.fromEntries(document.querySelector(selector).data
    .map(trace => [trace.name, trace.customdata ? trace.customdata.length : 0]))"""


def test_provinces_outside_the_filter_are_not_called_no_data_on_a_desktop(contexts, server):
    page = open_at(contexts, server, DESKTOP, "jangkauan", PROVINCE_FILTER)
    try:
        tiles = page.evaluate(TRACES, ".st-key-province_map .js-plotly-plot")
        assert tiles.get("tiles") == 2 and tiles.get("tiles_outside_filter") == 36
        assert "tiles_no_data" not in tiles
        key = page.locator(".st-key-province_map .annotation-text").filter(
            has_text="di luar filter")
        expect(key).to_have_count(1)
        expect(page.locator(".st-key-province_map")).not_to_contain_text("tanpa data")
        columns = page.evaluate("""() => document.querySelector(
            '.st-key-heatmap .js-plotly-plot').data.find(t => t.name !== 'no_data').x""")
        assert columns == ["Jabar", "Jateng"]
        expect(page.locator(".st-key-heatmap")).to_contain_text("36 provinsi lain di luar filter")
    finally:
        page.close()


def test_provinces_outside_the_filter_are_counted_under_the_ranked_list(contexts, server):
    page = open_at(contexts, server, PHONE, "jangkauan", PROVINCE_FILTER)
    try:
        ranked = page.evaluate(TRACES, ".st-key-province_ranking .js-plotly-plot")
        assert ranked == {"ranking": 2}
        expect(page.locator(".st-key-phone_only_ranking")).to_contain_text(
            "Di luar filter: 36 provinsi")
        notes = page.evaluate("""() => document.querySelector(
            '.st-key-heatmap_rows .js-plotly-plot').layout.annotations
            .map(a => a.text.replaceAll('<br>', ' ')).join(' ')""")
        assert "36 provinsi lain di luar filter" in notes  # wrapped to the phone's width
    finally:
        page.close()
