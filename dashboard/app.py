"""Streamlit entry point: language, shared filters and navigation. Pages are in app_pages/."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on the path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st  # noqa: E402

from dashboard import config, ui  # noqa: E402
from dashboard.i18n import t  # noqa: E402

st.set_page_config(page_title="Pemilu Damai 2024", page_icon=":material/sms:", layout="wide")

with st.sidebar:
    st.segmented_control("Bahasa / Language", ["id", "en"], default="id", key="lang",
                         bind="query-params", format_func={"id": "Indonesia",
                                                           "en": "English"}.get,
                         required=True)
language = ui.lang()

PAGES = [
    st.Page("app_pages/ringkasan.py", title=t("page.overview", language),
            icon=":material/dashboard:", default=True),
    st.Page("app_pages/ringkasan_mingguan.py", title=t("page.weekly", language),
            icon=":material/summarize:", url_path="ringkasan-mingguan"),
    st.Page("app_pages/jangkauan.py", title=t("page.reach", language),
            icon=":material/cell_tower:", url_path="jangkauan"),
    st.Page("app_pages/partisipasi.py", title=t("page.participation", language),
            icon=":material/how_to_vote:", url_path="partisipasi"),
    st.Page("app_pages/hoaks.py", title=t("page.hoax", language),
            icon=":material/report:", url_path="hoaks"),
    st.Page("app_pages/kualitas_data.py", title=t("page.data_quality", language),
            icon=":material/fact_check:", url_path="kualitas-data"),
]
page = st.navigation(PAGES)
if config.using_dev_secret():
    st.sidebar.caption(t("ui.dev_secret", language))
page.run()
