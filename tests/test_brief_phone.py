"""The HTML brief on a phone (issue 15, point 6 for the brief): at 390 px it does not scroll
sideways, with its charts as images or as interactive plotly charts, in an empty week too."""

from __future__ import annotations

import pytest

from dashboard.export.figures import find_chromium
from dashboard.reports import brief, weekly
from dashboard.store import db
from tests.test_weekly import build_db

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(find_chromium() is None, reason="no Chromium")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def phone(chromium_browser):
    context = chromium_browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    path = build_db(tmp_path_factory.mktemp("phone") / "phone.duckdb")
    with db.connect(path, read_only=True) as conn:
        yield {week: weekly.weekly_summary(conn, week, "id") for week in ("2024-W07", "2024-W10")}


@pytest.mark.parametrize("static", [True, False])
@pytest.mark.parametrize("week", ["2024-W07", "2024-W10"])
def test_the_html_brief_fits_a_390_px_phone(phone, summaries, tmp_path, week, static):
    path = tmp_path / "brief.html"
    path.write_bytes(brief.brief_html(summaries[week], static=static,
                                      title="Laporan Mingguan Kementerian Komunikasi"))
    phone.goto(path.as_uri())
    phone.wait_for_load_state("load")
    widths = phone.evaluate("""() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        wide: [...document.querySelectorAll('main *')]
            .filter(e => !e.closest('.scroll, .plot'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 5),
    })""")
    assert widths["client"] == PHONE["width"]
    assert widths["scroll"] <= PHONE["width"], widths
    assert widths["wide"] == [], widths
