"""Streamlit entry point: language, sign-in and roles, shared filters and navigation. Pages
are in app_pages/; who sees which page is decided in access.py."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on the path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st  # noqa: E402

from dashboard import config, reference, ui  # noqa: E402
from dashboard.i18n import t  # noqa: E402

st.set_page_config(page_title="Pemilu Damai 2024", page_icon=":material/sms:", layout="wide")

with st.sidebar:
    st.segmented_control("Bahasa / Language", ["id", "en"], default="id", key="lang",
                         bind="query-params", format_func={"id": "Indonesia",
                                                           "en": "English"}.get,
                         required=True)
language = ui.lang()

# page name -> (title key, icon, url path); the first one a user may see is their home page
PAGES = {
    "ringkasan": ("page.overview", ":material/dashboard:", "ringkasan"),
    "ringkasan_mingguan": ("page.weekly", ":material/summarize:", "ringkasan-mingguan"),
    "jangkauan": ("page.reach", ":material/cell_tower:", "jangkauan"),
    "partisipasi": ("page.participation", ":material/how_to_vote:", "partisipasi"),
    "hoaks": ("page.hoax", ":material/report:", "hoaks"),
    "kualitas_data": ("page.data_quality", ":material/fact_check:", "kualitas-data"),
}


def auth_configured() -> bool:
    """Whether .streamlit/secrets.toml has the [auth] section st.login needs."""
    try:
        return "auth" in st.secrets
    except st.errors.StreamlitSecretNotFoundError:  # no secrets file at all
        return False


def sign_in_page() -> None:
    """Shown instead of the app to a visitor who is not signed in, or not authorised."""
    st.title(t("auth.sign_in_title", language))
    if st.user.get("is_logged_in"):
        st.error(t("auth.not_authorised", language, email=st.user.get("email") or "?"))
        st.button(t("auth.sign_out", language), on_click=st.logout, key="sign_out")
        return
    st.write(t("auth.sign_in_body", language))
    if not auth_configured():
        st.error(t("auth.no_provider", language))
        return
    st.button(t("auth.sign_in", language), on_click=st.login, type="primary", key="sign_in")


access = ui.current_access()
if access is None or not access.pages:
    sign_in_page()
    st.stop()

pages = [st.Page(f"app_pages/{name}.py", title=t(PAGES[name][0], language),
                 icon=PAGES[name][1], url_path=PAGES[name][2], default=index == 0)
         for index, name in enumerate(access.pages)]
page = st.navigation(pages)
with st.sidebar:
    if access.local:
        st.caption(t("auth.local_mode", language))
    else:
        st.caption(t("auth.signed_in_as", language, email=access.email,
                     roles=", ".join(sorted(access.roles))))
        if access.provinces:
            names = reference.provinces().set_index("province_code")["name"]
            st.caption(t("auth.scope", language,
                         provinces=", ".join(names.get(p, str(p)) for p in access.provinces)))
        st.button(t("auth.sign_out", language), on_click=st.logout, key="sign_out")
    if config.using_dev_secret():
        st.caption(t("ui.dev_secret", language))
page.run()
