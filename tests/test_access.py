"""Access control: the access file, the province scope (row-level) on every query, and the
app with mocked signed-in identities (AppTest's `user`)."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import access
from dashboard.config import ConfigError
from dashboard.filters import Filters
from dashboard.reference import provinces
from dashboard.reports import tables, weekly
from dashboard.store import db
from tests.test_app import APP, campaign_db  # noqa: F401  (the shared app database)

KNOWN = set(provinces()["province_code"].astype(int))

ACCESS_FILE = """
[[users]]
email = "Admin@Example.go.id"
roles = ["admin"]

[[users]]
email = "analis@example.go.id"
roles = ["analyst"]

[[users]]
email = "jabar@example.go.id"
roles = ["analyst", "leadership"]
provinces = [32]

[[users]]
email = "pimpinan@example.go.id"
roles = ["leadership"]
"""


@pytest.fixture
def access_path(tmp_path):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS_FILE, encoding="utf-8")
    return path


# --- the access file ------------------------------------------------------------------------

def test_rules_are_read_by_lower_case_email(access_path):
    rules = access.load_rules(access_path, KNOWN)
    assert set(rules) == {"admin@example.go.id", "analis@example.go.id",
                          "jabar@example.go.id", "pimpinan@example.go.id"}
    assert rules["jabar@example.go.id"].provinces == (32,)
    assert rules["admin@example.go.id"].pages == ("kualitas_data",)
    assert rules["pimpinan@example.go.id"].pages == ("ringkasan", "ringkasan_mingguan",
                                                     "kanal")
    assert "kualitas_data" not in rules["analis@example.go.id"].pages
    assert not rules["analis@example.go.id"].may_load_data()


BAD_FILES = [
    ("not toml", "[[users]\nemail=", "not valid TOML"),
    ("no users", "title = 'x'", "no [[users]]"),
    ("no email", "[[users]]\nroles = ['analyst']", "needs an e-mail"),
    ("unknown role", "[[users]]\nemail='a@b.id'\nroles = ['root']", "roles must be"),
    ("empty roles", "[[users]]\nemail='a@b.id'\nroles = []", "roles must be"),
    ("unknown province", "[[users]]\nemail='a@b.id'\nroles=['analyst']\nprovinces=[99]",
     "province codes"),
    ("province as text", "[[users]]\nemail='a@b.id'\nroles=['analyst']\nprovinces=['32']",
     "province codes"),
    ("scoped admin", "[[users]]\nemail='a@b.id'\nroles=['admin']\nprovinces=[32]",
     "admin cannot have a province scope"),
    ("listed twice", "[[users]]\nemail='a@b.id'\nroles=['analyst']\n"
                     "[[users]]\nemail='A@b.id'\nroles=['admin']", "listed twice"),
]


@pytest.mark.parametrize(("case", "text", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_wrong_access_file_is_refused_with_a_reason(tmp_path, case, text, message):
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        access.load_rules(path, KNOWN)


def test_a_missing_access_file_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        access.load_rules(tmp_path / "nope.toml", KNOWN)


IDENTITIES = [
    ("not signed in", {"is_logged_in": False, "email": "analis@example.go.id"}, None),
    ("no login flag", {"email": "analis@example.go.id"}, None),
    ("unknown address", {"is_logged_in": True, "email": "someone@example.go.id"}, None),
    ("unverified address", {"is_logged_in": True, "email": "analis@example.go.id",
                            "email_verified": False}, None),
    ("listed, other case", {"is_logged_in": True, "email": "ADMIN@example.go.id",
                            "email_verified": True}, "admin@example.go.id"),
    ("listed", {"is_logged_in": True, "email": "analis@example.go.id",
                "email_verified": True}, "analis@example.go.id"),
]

# The e-mail decides the access, so only an address the provider says it verified counts:
# a true value passes, anything else (absent, null, false in any type) is refused. Some
# providers (AWS Cognito, for one) send the claim as the string "true"; a string "false" or
# "0" must not pass because it is a non-empty string.
VERIFIED_CLAIMS = [
    ("boolean true", True, True),
    ("string true", "true", True),
    ("string True", "True", True),
    ("string TRUE, spaced", " TRUE ", True),
    ("boolean false", False, False),
    ("string false", "false", False),
    ("string False", "False", False),
    ("zero", 0, False),
    ("one", 1, False),  # not a boolean: refused rather than guessed
    ("string 1", "1", False),
    ("string yes", "yes", False),
    ("empty string", "", False),
    ("null", None, False),
    ("a list", ["true"], False),
    ("missing", ..., False),
]


@pytest.mark.parametrize(("case", "claim", "passes"), VERIFIED_CLAIMS,
                         ids=[c[0] for c in VERIFIED_CLAIMS])
def test_only_a_true_email_verified_claim_passes(access_path, case, claim, passes):
    user = {"is_logged_in": True, "email": "analis@example.go.id"}
    if claim is not ...:
        user["email_verified"] = claim
    found = access.access_for(user, access.load_rules(access_path, KNOWN))
    assert (found is not None) == passes


@pytest.mark.parametrize(("case", "user", "expected"), IDENTITIES,
                         ids=[c[0] for c in IDENTITIES])
def test_access_for_identity(access_path, case, user, expected):
    found = access.access_for(user, access.load_rules(access_path, KNOWN))
    assert (found.email if found else None) == expected


# --- the scope on the filters -----------------------------------------------------------------

SCOPES = [
    ("no scope, no choice", (), (), None),
    ("no scope, a choice", (31, 32), (), [31, 32]),
    ("scope, no choice", (), (32, 33), [32, 33]),
    ("choice inside the scope", (32,), (32, 33), [32]),
    ("choice partly outside", (31, 32), (32, 33), [32]),
    ("choice wholly outside: nothing, not everything", (31,), (32, 33), []),
]


@pytest.mark.parametrize(("case", "chosen", "scope", "expected"), SCOPES,
                         ids=[c[0] for c in SCOPES])
def test_scope_limits_the_province_parameter(case, chosen, scope, expected):
    filters = Filters(provinces=chosen).within(scope)
    assert filters.params()["provinces"] == expected
    assert Filters(provinces=chosen).within(scope).within(scope) == filters


@pytest.fixture(scope="module")
def app_conn(campaign_db):  # noqa: F811
    conn = db.connect(campaign_db[0])
    yield conn
    conn.close()


def _direct(conn, province: int) -> tuple[int, int]:
    row = conn.execute("SELECT count(*), count(*) FILTER (WHERE status = 'DELIVRD') "
                       "FROM receipts WHERE province_code = $p", {"p": province}).fetchall()
    return row[0]


@pytest.mark.parametrize("name", sorted(n for n in tables.TABLES if n.startswith("reach_")
                                        or n == "error_codes"))
def test_every_receipt_table_keeps_to_the_scope(app_conn, name):
    scoped = tables.table(app_conn, name, Filters().within((32,)))
    if "province_code" in scoped.columns:
        assert set(scoped["province_code"].dropna().astype(int)) <= {32}
    if "sent" in scoped.columns:
        assert int(scoped["sent"].sum()) == _direct(app_conn, 32)[0]
    outside = tables.table(app_conn, name, Filters(provinces=(31,)).within((32,)))
    if "sent" in outside.columns:
        assert int(outside["sent"].sum()) == 0


def test_scope_reaches_participation_and_survey(app_conn):
    frame = tables.participation_provinces(app_conn, Filters().within((32, 33)))
    assert set(frame["province_code"]) == {32, 33}
    tests = tables.participation_tests(app_conn, Filters().within((32, 33)))
    assert tests.empty and "province" in tests.attrs["reason"].lower()
    everyone = tables.survey_tests(app_conn, Filters())
    west_java = tables.survey_tests(app_conn, Filters().within((32,)))
    assert west_java.empty or west_java["n"].sum() < everyone["n"].sum()


# (scope, chosen provinces, the provinces whose respondents count; () = none, None = all)
HOAX_SURVEY_SCOPES = [
    ("national", (), (), None),
    ("scoped to Jawa Barat", (32,), (), (32,)),
    ("scoped to two provinces", (32, 33), (), (32, 33)),
    ("a choice inside the scope", (32, 33), (33,), (33,)),
    ("a choice without a scope", (), (31,), (31,)),
    ("a choice outside the scope", (32,), (31,), ()),
]


def _survey_n(conn, provinces: tuple[int, ...] | None, outcome: str) -> int:
    """Respondents the survey difference uses, counted directly: a yes/no answer on
    receiving the SMS and on the outcome, a positive weight, in the provinces."""
    query = """
        SELECT count(*) FROM survey_responses
        WHERE received_sms IN ('yes', 'no') AND weight > 0
          AND (CASE $outcome WHEN 'saw_hoax' THEN saw_hoax ELSE believed_hoax END)
              IN ('yes', 'no')
          AND ($p IS NULL OR list_contains($p, province_code))"""
    params = {"outcome": outcome, "p": None if provinces is None else list(provinces)}
    return conn.execute(query, params).fetchall()[0][0]


@pytest.mark.parametrize(("case", "scope", "chosen", "counted"), HOAX_SURVEY_SCOPES,
                         ids=[c[0] for c in HOAX_SURVEY_SCOPES])
def test_the_hoax_tests_survey_rows_keep_to_the_scope(app_conn, case, scope, chosen, counted):
    """Issue 13, finding 7: hoax_tests added survey rows from the whole national survey."""
    result = tables.hoax_tests(app_conn, Filters(provinces=chosen).within(scope))
    survey = result[result["test"] == "survey_difference"].set_index("outcome")["n"]
    assert len(result[result["test"] != "survey_difference"])  # the register stays national
    if counted == ():
        assert survey.empty
        return
    assert survey.to_dict() == {outcome: _survey_n(app_conn, counted, outcome)
                                for outcome in ("saw_hoax", "believed_hoax")}


def test_the_hoax_page_shows_a_scoped_user_only_their_respondents(signed_app, app_conn):
    from dashboard.reports import display

    signed_app.user = {"is_logged_in": True, "email": "jabar@example.go.id",
                       "email_verified": True}
    signed_app.run()
    signed_app.switch_page("app_pages/hoaks.py").run()
    assert not signed_app.exception, signed_app.exception
    test, outcome, n = (display.column_label(c, "id") for c in ("test", "outcome", "n"))
    survey_test = display.display_value("test", "survey_difference", "id")
    shown = next(frame.value for frame in signed_app.dataframe if test in frame.value.columns)
    rows = shown[shown[test] == survey_test]
    assert len(rows) == 2
    expected = {display.display_value("outcome", o, "id"): _survey_n(app_conn, (32,), o)
                for o in ("saw_hoax", "believed_hoax")}
    assert dict(zip(rows[outcome], rows[n], strict=True)) == expected


def test_scope_reaches_the_weekly_summary(app_conn):
    week = weekly.weeks_with_data(app_conn)[0]
    summary = weekly.weekly_summary(app_conn, week, "id", scope=(32,))
    assert set(summary.provinces["province_code"].dropna().astype(int)) <= {32}
    assert list(summary.top_provinces["province_code"]) == [32]
    monday, sunday = weekly.week_bounds(week)
    sent = app_conn.execute(
        "SELECT count(*) FROM receipts WHERE province_code = 32 AND send_date "
        "BETWEEN $a AND $b", {"a": monday, "b": sunday}).fetchall()[0][0]
    assert summary.kpis["sent"].value == sent
    assert summary.freshness["receipts"].sum() == sent


# --- the app with mocked identities ------------------------------------------------------------

@pytest.fixture
def signed_app(campaign_db, access_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("PEMILU_DB", str(campaign_db[0]))
    monkeypatch.setenv(access.ACCESS_ENV, str(access_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    yield at
    st.cache_resource.clear()


def _page_titles(at: AppTest) -> list[str]:
    return [title.value for title in at.title]


def test_local_mode_says_so(campaign_db, monkeypatch):  # noqa: F811
    monkeypatch.setenv("PEMILU_DB", str(campaign_db[0]))
    monkeypatch.delenv(access.ACCESS_ENV, raising=False)
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("Mode lokal" in c.value for c in at.sidebar.caption)


def test_a_visitor_who_is_not_signed_in_sees_only_the_sign_in(signed_app):
    signed_app.user = {"is_logged_in": False}
    signed_app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback",
                                  "cookie_secret": "x", "client_id": "id",
                                  "client_secret": "s", "server_metadata_url": "https://x/"}
    signed_app.run()
    assert not signed_app.exception
    assert _page_titles(signed_app) == ["Masuk ke dasbor Pemilu Damai 2024"]
    assert [b.label for b in signed_app.button] == ["Masuk"]
    assert not signed_app.metric and not signed_app.dataframe


def test_sign_in_without_a_provider_says_what_to_configure(signed_app):
    signed_app.user = {"is_logged_in": False}
    signed_app.run()
    assert not signed_app.exception
    assert "[auth]" in signed_app.error[0].value
    assert not signed_app.metric and not signed_app.dataframe


@pytest.mark.parametrize("email", ["someone@else.id", "[Klik](https://evil.example)@x.id"])
def test_a_signed_in_stranger_is_told_to_ask_for_a_role(signed_app, email):
    """The address, as the provider sent it, is shown as text: never a live link."""
    from tests.test_input_safety import _shown, live_markup

    signed_app.user = {"is_logged_in": True, "email": email}
    signed_app.run()
    shown = signed_app.error[0].value
    assert email in _shown(shown).replace("\u2060", "")
    assert live_markup(shown) == []
    assert not signed_app.metric and not signed_app.dataframe


@pytest.mark.parametrize(("email", "home", "forbidden"), [
    ("pimpinan@example.go.id", "Ringkasan", "app_pages/jangkauan.py"),
    ("pimpinan@example.go.id", "Ringkasan", "app_pages/kualitas_data.py"),
    ("analis@example.go.id", "Ringkasan", "app_pages/kualitas_data.py"),
    ("admin@example.go.id", "Kualitas data", "app_pages/ringkasan.py"),
])
def test_each_role_gets_its_pages_only(signed_app, email, home, forbidden):
    signed_app.user = {"is_logged_in": True, "email": email, "email_verified": True}
    signed_app.run()
    assert not signed_app.exception
    assert _page_titles(signed_app)[0] == home
    # the page is not registered for this role, so no URL or switch can reach it
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        signed_app.switch_page(forbidden)


def test_a_province_scope_limits_the_kpis_and_the_filter(signed_app, app_conn):
    signed_app.user = {"is_logged_in": True, "email": "jabar@example.go.id",
                       "email_verified": True}
    signed_app.run()
    assert not signed_app.exception
    sent = next(m.value for m in signed_app.metric if m.label == "Terkirim")
    assert sent.replace(".", "") == str(_direct(app_conn, 32)[0])
    assert signed_app.multiselect(key="provinsi").options == ["Jawa Barat"]
    assert any("Jawa Barat" in c.value for c in signed_app.sidebar.caption)


def test_a_province_outside_the_scope_in_the_url_is_ignored(signed_app, app_conn):
    signed_app.user = {"is_logged_in": True, "email": "jabar@example.go.id",
                       "email_verified": True}
    signed_app.query_params["provinsi"] = "31"
    signed_app.run()
    assert not signed_app.exception
    assert signed_app.multiselect(key="provinsi").value == []
    sent = next(m.value for m in signed_app.metric if m.label == "Terkirim")
    assert sent.replace(".", "") == str(_direct(app_conn, 32)[0])  # not Jakarta's


def test_the_example_access_file_is_valid():
    from dashboard.config import REPO_ROOT

    rules = access.load_rules(REPO_ROOT / "config" / "access.example.toml", KNOWN)
    assert rules["diskominfo.jabar@example.go.id"].provinces == (32,)


def test_security_md_lists_the_pages_each_role_sees():
    """SECURITY.md's role table is what access.py grants (titles as the pages show them)."""
    from pathlib import Path

    from dashboard.access import PAGE_ORDER, ROLE_PAGES

    text = (Path(__file__).resolve().parents[1] / "SECURITY.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+?) \|$", text, flags=re.M))
    title = {page: page.replace("_", " ").capitalize() for page in PAGE_ORDER}
    for role, pages in ROLE_PAGES.items():
        items = {item.split(":")[0].strip() for item in rows[role].split(",")}
        assert items & set(title.values()) == {title[p] for p in pages}, role


def test_without_sign_in_the_app_listens_on_this_machine_only(monkeypatch):
    """Local single-user mode has no sign-in, so the app's own settings (.streamlit/config.toml,
    read by Streamlit from the folder scripts/app.sh starts it in) bind it to localhost:
    Streamlit's default is every interface, which put the unsigned-in dashboard on the network
    (visual review of 8 Dec 2026: 'Network URL: http://192.0.2.2:8501'). A shared server with
    sign-in opts out with Streamlit's own STREAMLIT_SERVER_ADDRESS."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    # `streamlit config show` reads the settings as `streamlit run` does (file, then env)
    show = [str(Path(sys.executable).with_name("streamlit")), "config", "show"]
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("STREAMLIT_")}

    def address(**more: str) -> str:
        shown = subprocess.run(show, cwd=root, env={**env, **more}, capture_output=True,
                               text=True, check=True).stdout
        return re.findall(r'^address = "([^"]*)"', shown, flags=re.M)[0]

    assert address() == "localhost"
    assert address(STREAMLIT_SERVER_ADDRESS="0.0.0.0") == "0.0.0.0"
    assert "cd \"$(dirname \"$0\")/..\"" in (root / "scripts" / "app.sh").read_text()
