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
