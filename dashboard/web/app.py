"""Streamlit entry point: language, sign-in and roles, shared filters and navigation. Pages
are in app_pages/; who sees which page is decided in access.py."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/web/app.py` puts dashboard/web/ on the path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import logging  # noqa: E402

import duckdb  # noqa: E402
import streamlit as st  # noqa: E402

from dashboard import config, reference, url_params  # noqa: E402
from dashboard.export.provenance import CHANNEL_KINDS, KINDS, data_of_table  # noqa: E402
from dashboard.i18n import error_text, t  # noqa: E402
from dashboard.ingest import privacy  # noqa: E402
from dashboard.store import db, sketch
from dashboard.text_safety import markdown_text  # noqa: E402
from dashboard.web import ui

log = logging.getLogger("dashboard.web.app")

st.set_page_config(page_title="Pemilu Damai 2024", page_icon=":material/sms:", layout="wide")

# ?lang=en as well as ?lang=English (the switch's label); a value not recognised is named
ui.apply_url_params((url_params.LANG,), new_run=True)
with st.sidebar:
    st.segmented_control("Bahasa / Language", list(url_params.LANG_LABELS), default="id",
                         key="lang", bind="query-params",
                         format_func=url_params.LANG_LABELS.get, required=True)
language = ui.lang()

# page name -> (title key, icon, url path); the first one a user may see is their home page
PAGES = {
    "ringkasan": ("page.overview", ":material/dashboard:", "ringkasan"),
    "ringkasan_mingguan": ("page.weekly", ":material/summarize:", "ringkasan-mingguan"),
    "jangkauan": ("page.reach", ":material/cell_tower:", "jangkauan"),
    "kanal": ("page.channels", ":material/hub:", "kanal"),
    "partisipasi": ("page.participation", ":material/how_to_vote:", "partisipasi"),
    "hoaks": ("page.hoax", ":material/report:", "hoaks"),
    "rancang_uji": ("page.experiment", ":material/science:", "rancang-uji"),  # issue 18
    "kualitas_data": ("page.data_quality", ":material/fact_check:", "kualitas-data"),
}
# the kinds of data each page shows: its banner says when any of it is sample data
PAGE_DATA = {"ringkasan_mingguan": ("receipts", "hoax", "status_bar", "wa_updates", "wa_daily"),
             "ringkasan": ("receipts", "status_bar", "wa_updates", "wa_daily"),
             "partisipasi": ("receipts", "status_bar", "election", "survey"),
             "hoaks": data_of_table("hoax_tests"),  # the page's widest table
             "kanal": ("receipts", "status_bar", "wa_updates", "wa_daily"),
             "rancang_uji": ("experiment", "election", "election_regency", "receipts",
                             "survey"),  # issue 18
             "kualitas_data": KINDS + CHANNEL_KINDS}


# the home page's reserved url_path: Streamlit serves the default page at "/" but still
# reserves its url_path, so this one keeps the home page's own name free for a hidden page
# that shows it there too (/ringkasan)
HOME_URL_PATH = "beranda"


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
        # the address comes from the sign-in provider: shown as text, never as Markdown
        st.error(t("auth.not_authorised", language,
                   email=markdown_text(str(st.user.get("email") or "?"))))
        st.button(t("auth.sign_out", language), on_click=st.logout, key="sign_out")
        return
    st.write(t("auth.sign_in_body", language))
    if not auth_configured():
        st.error(t("auth.no_provider", language))
        return
    st.button(t("auth.sign_in", language), on_click=st.login, type="primary", key="sign_in")


def serving_problem() -> str | None:
    """Why the app cannot serve, in the reader's language (None: it can): production settings
    that refuse the key or the database, or a database another process holds (or that cannot
    be opened). Said once here, before a page asks for data, instead of Streamlit's generic
    error on every page; the details go to the server log."""
    try:
        config.pseudonym_secret()  # production: a strong key or no app (uploads need it)
        ui.read_newest()  # the one snapshot this run reads, whatever is published meanwhile
    except config.DevKeyDatabase as exc:
        log.error("%s", exc)
        return t("app.refused_dev_key_database", language)
    except sketch.NeedsClusterRollups as exc:  # large-campaign mode: no number until attached
        log.error("%s", exc)
        return exc.message(language)
    except config.ConfigError as exc:
        log.error("%s", exc)
        return t("app.config_error", language, reason=error_text(exc, language))
    except (duckdb.Error, OSError) as exc:
        problem = db.storage_problem(exc, config.db_path())
        if problem is None:
            raise
        log.error("cannot open the database: %s", exc)
        return t(f"app.db_{problem}", language)
    return None


access = ui.current_access()
if access is None or not access.pages:
    sign_in_page()
    st.stop()
if reason := serving_problem():
    st.error(reason)
    st.stop()

try:  # the run's snapshot (serving_problem) is let go when the run ends, st.stop too:
    # an idle session must not keep open a snapshot file that publish has deleted
    home_name = access.pages[0]
    # the home page is served at "/"; it keeps a url_path of its own only to be unique
    pages = [st.Page(f"app_pages/{name}.py", title=t(PAGES[name][0], language),
                     icon=PAGES[name][1], default=index == 0,
                     url_path=HOME_URL_PATH if index == 0 else PAGES[name][2])
             for index, name in enumerate(access.pages)]
    # its name as a path (/ringkasan: a bookmark, a typed link) shows it too, with the link's
    # filters and language, instead of Streamlit's "Page not found" over it
    home_alias = st.Page(f"app_pages/{home_name}.py", title=t(PAGES[home_name][0], language),
                         icon=PAGES[home_name][1], url_path=PAGES[home_name][2],
                         visibility="hidden")
    page = st.navigation([*pages, home_alias])
    with st.sidebar:
        if access.local:
            st.caption(t("auth.local_mode", language))
        else:
            st.caption(t("auth.signed_in_as", language, email=markdown_text(access.email),
                         roles=markdown_text(", ".join(sorted(access.roles)))))
            if access.provinces:
                names = reference.provinces().set_index("province_code")["name"]
                st.caption(t("auth.scope", language,
                             provinces=", ".join(names.get(p, str(p)) for p in access.provinces)))
            st.button(t("auth.sign_out", language), on_click=st.logout, key="sign_out")
        ui.load_status()
        # on every page: the development key in use, or data made with it under a real key
        if config.using_dev_secret():
            st.warning(t("ui.dev_secret", language), icon=":material/key:")
        elif privacy.built_with_dev_key(ui.cursor()):
            st.warning(t("app.dev_key_database", language), icon=":material/key:")
    # the page by its name (the default page's url_path is "", whichever page it is)
    shown_name = next((n for n, p in zip(access.pages, pages, strict=True) if p is page),
                      home_name)  # or the home page under its own name
    ui.sample_banner(PAGE_DATA.get(shown_name, ("receipts",)))
    page.run()
finally:
    ui.let_go_of_snapshot()
