"""The weekly page (Ringkasan mingguan) for an empty and a full week: a week without sends
says so, with no operator table, map or province tables of zeros (issue 15, point 4)."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.test_app import APP
from tests.test_weekly import build_db

PAGE = "app_pages/ringkasan_mingguan.py"


@pytest.fixture(scope="module")
def weekly_db(tmp_path_factory):
    return build_db(tmp_path_factory.mktemp("weekly_page") / "weekly.duckdb")


@pytest.fixture
def app(weekly_db, monkeypatch):
    monkeypatch.setenv("PEMILU_DB", str(weekly_db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    yield at
    st.cache_resource.clear()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    parts += [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


def test_the_page_opens_on_the_latest_week_with_sends_and_offers_empty_weeks(app):
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    picker = app.selectbox(key="pekan")
    assert picker.value == "2024-W07"
    assert "2024-W10 (tanpa pengiriman)" in picker.options
    assert "2024-W07" in picker.options
    assert "Ini pekan pemungutan suara" in texts(app)


def test_an_empty_week_says_so_without_zero_tables(app):
    app.run()
    app.switch_page(PAGE).run()
    app.selectbox(key="pekan").set_value("2024-W10").run()
    assert not app.exception, app.exception
    text = texts(app)
    assert "Tidak ada pengiriman pada pekan 2024-W10" in text
    assert "tidak ada laporan operator yang ditunggu" in text  # no false alert
    assert "provinsi tertinggi" not in text and "Per operator" not in text
    assert not [w for w in app.warning if "Tanpa laporan" in w.value]
    assert len(app.get("plotly_chart")) == 2  # the weekly trend and the hoax chart


# --- the headline numbers on a phone (visual review item 21) ------------------------------

KPI_KEYS = ("sent", "delivered", "delivery_rate", "unique_reach", "cumulative_reach",
            "waves_sent", "hoax_new", "takedowns")


def tiles_of(html: str) -> list[tuple[str, str]]:
    """(label, value) of each tile of the grid, in order, read from the HTML."""
    import re

    return re.findall(r'<div class="kpi-label">(.*?)</div><div class="kpi-value">(.*?)</div>',
                      html)


@pytest.mark.parametrize(("lang", "repeated"), [
    ("id", ("SMS diterima", "Nomor unik terjangkau", "Jangkauan unik pekan ini")),
    ("en", ("SMS delivered", "Unique numbers reached", "Unique reach this week")),
])
def test_the_headline_is_one_grid_two_a_row_on_a_phone_and_the_sms_card_does_not_repeat_it(
        app, lang, repeated):
    from dashboard.i18n import t
    from dashboard.web.app_pages.phone import MOBILE_MAX_PX

    app.run()
    app.button_group(key="lang").set_value(lang).run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    grids = [h.value for h in app.html if "kpi-grid" in h.value]
    assert len(grids) == 1
    tiles = tiles_of(grids[0])
    # all eight numbers, in order, none lost
    assert [label for label, _ in tiles] == [t(f"weekly.kpi.{k}", lang) for k in KPI_KEYS]
    assert all(value and value != "–" for _, value in tiles[:6])
    # two a row where the page's column is a phone's (st.columns stack one a row there)
    compact = grids[0].split(f"@container main (max-width: {MOBILE_MAX_PX}px)", 1)
    assert len(compact) == 2 and "repeat(2, minmax(0, 1fr))" in compact[1]
    # no number drawn twice: the SMS card points up to the headline
    shown = [m.label for m in app.metric]
    assert not set(shown) & set(repeated), shown
    assert ("lihat angka utama di atas" if lang == "id" else "see the headline numbers above"
            ) in texts(app)


# (KPI key, this week, last week, kind, the tile's change, arrow, tone)
TILE_CASES = [
    ("sent", 18037, 27350, "count", "-34,1% vs W06", "down", "kpi-bad"),
    ("delivered", 120, 100, "count", "+20,0% vs W06", "up", "kpi-good"),
    ("hoax_new", 44, 28, "count", "+57,1% vs W06", "up", "kpi-bad"),  # a rise is bad news
    ("hoax_new", 10, 20, "count", "-50,0% vs W06", "down", "kpi-good"),
    ("delivery_rate", 0.949, 0.950, "rate", "-0,1 poin vs W06", "down", "kpi-bad"),
    ("waves_sent", 2, 2, "count", "0,0% vs W06", None, "kpi-flat"),
    # more or fewer new waves is the campaign's plan, no news either way: grey (a fall was red)
    ("waves_sent", 2, 0, "count", "baru vs W06", "up", "kpi-flat"),
    ("waves_sent", 2, 3, "count", "-33,3% vs W06", "down", "kpi-flat"),
    ("takedowns", 5, None, "count", None, None, None),  # nothing to compare: no change shown
]


@pytest.mark.parametrize(("key", "value", "previous", "kind", "delta", "arrow", "tone"),
                         TILE_CASES)
def test_a_tile_shows_its_change_with_st_metrics_colours(key, value, previous, kind, delta,
                                                         arrow, tone):
    from types import SimpleNamespace

    from dashboard.reports.weekly import Kpi
    from dashboard.web import kpi_grid

    summary = SimpleNamespace(previous_week="2024-W06",
                              kpis={key: Kpi(key, value, previous, kind)})
    (tile,) = kpi_grid.weekly_tiles(summary, "id")
    assert (tile.delta, tile.direction) == (delta, arrow)
    html = kpi_grid.grid_html([tile])
    if tone is None:
        assert "kpi-delta" not in html.split("</style>")[1]
    else:
        assert f'class="kpi-delta {tone}"' in html
        assert ({"up": "↑", "down": "↓"}.get(arrow, "") + " " + delta).strip() in html


def test_tile_text_is_escaped():
    from dashboard.web import kpi_grid

    html = kpi_grid.grid_html([kpi_grid.Tile("<b>x</b>", "1 & 2", "<i>", "up", True)])
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html and "1 &amp; 2" in html


def test_the_logo_box_says_the_brief_s_2_mb_limit(app):
    # visual review: the drop zone said "200MB per file" beside the caption's 2 MB
    from dashboard.reports.brief import LOGO_MAX_BYTES

    app.run()
    app.switch_page(PAGE).run()
    (logo,) = [e for e in app.get("file_uploader") if e.proto.id.endswith("brief_logo")]
    assert logo.proto.max_upload_size_mb == LOGO_MAX_BYTES // 1_000_000
