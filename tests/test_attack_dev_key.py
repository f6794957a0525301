"""Issue 13, finding 6: the development key must not go unnoticed.

- In production (any case or spelling of `production`/`prod`) the secret must be at least 32
  characters and not the development key; an unknown PEMILU_ENV is an error, never a quiet
  fall-back to development.
- A database built with the development key is refused in production (command line, ingest
  on an open connection, the app), and announced on every page otherwise.
- The stored key check is salted and slow (scrypt); old unsalted values are still read, still
  reveal the development key, and are replaced on the next write-capable open or ingest.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import config
from dashboard.cli import main
from dashboard.config import DEV_SECRET, ConfigError
from dashboard.ingest import ingest_file, privacy
from dashboard.store import db
from tests.conftest import HEADER, receipt, write
from tests.test_app import APP, PAGES

STRONG = "k3Vq9-Zt0pX_w7LrB2mYc8sHd4NfJ6gA"  # 32 characters, as a generated secret would be
WAVES = ["wave_id,channel,sent_date,theme,message_text",
         "SMS01,sms,2023-12-05,turnout,Ayo ke TPS"]


def legacy_check(secret: str) -> str:
    """The unsalted check value databases stored before scrypt."""
    return hashlib.sha256(f"pemilu-pseudonym-key-check:{secret}".encode()).hexdigest()


def stored_check(path) -> str:
    with duckdb.connect(str(path), read_only=True) as conn:  # as stored, whatever the mode
        return conn.execute("SELECT key_check FROM pseudonym_key").fetchall()[0][0]


def set_check(path, value: str) -> None:
    with db.connect(path) as conn:
        conn.execute("UPDATE pseudonym_key SET key_check = $v", {"v": value})


def build_db(folder, monkeypatch, secret: str | None, legacy: bool = False):
    """A database with one receipts file and the waves, pseudonymised with `secret` (None: the
    development key); with legacy=True its check value is the old unsalted one."""
    monkeypatch.delenv(config.MODE_ENV, raising=False)
    if secret is None:
        monkeypatch.delenv(config.SECRET_ENV, raising=False)
    else:
        monkeypatch.setenv(config.SECRET_ENV, secret)
    path = folder / "built.duckdb"
    with db.connect(path) as conn:
        for name, lines in (("waves.csv", WAVES), ("r.csv", [HEADER, receipt("M1")])):
            assert ingest_file(conn, write(folder, name, lines)).ok
    if legacy:
        set_check(path, legacy_check(secret or DEV_SECRET))
    return path


# --- the settings ------------------------------------------------------------------------------

SETTINGS = [
    # (PEMILU_ENV, PEMILU_SECRET, the secret in use or the error's words)
    (None, None, DEV_SECRET),
    ("development", "", DEV_SECRET),
    ("dev", "   ", DEV_SECRET),  # blank is not a key
    ("development", "short-is-fine-here", "short-is-fine-here"),
    ("production", STRONG, STRONG),
    ("Production", STRONG, STRONG),
    (" PROD ", STRONG, STRONG),
    ("production", None, "PEMILU_SECRET must be set"),
    ("Production", None, "PEMILU_SECRET must be set"),
    ("prod", "", "PEMILU_SECRET must be set"),
    (" PRODUCTION\n", " ", "PEMILU_SECRET must be set"),
    ("production", "x", "at least 32 characters"),
    ("prod", STRONG[:31], "at least 32 characters"),
    ("production", " " * 31 + "x", "at least 32 characters"),
    ("production", DEV_SECRET, "the development key"),
    ("prod", f" {DEV_SECRET} ", "the development key"),
    ("produktion", STRONG, "PEMILU_ENV must be"),  # a typo must not mean development
    ("staging", None, "PEMILU_ENV must be"),
]


@pytest.mark.parametrize(("mode", "secret", "expected"), SETTINGS,
                         ids=[f"{m!r}-{s[:6] if s else s!r}" for m, s, _ in SETTINGS])
def test_production_requires_a_long_secret_that_is_not_the_development_key(
        monkeypatch, mode, secret, expected):
    for name, value in ((config.MODE_ENV, mode), (config.SECRET_ENV, secret)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    if expected in (DEV_SECRET, STRONG, "short-is-fine-here"):
        assert config.pseudonym_secret() == expected
        assert config.using_dev_secret() == (expected == DEV_SECRET)
    else:
        with pytest.raises(ConfigError, match=expected) as raised:
            config.pseudonym_secret()
        # the message names the variable to fix
        assert (config.MODE_ENV if "PEMILU_ENV" in expected else config.SECRET_ENV) in str(
            raised.value)


@pytest.mark.parametrize("mode", ["Production", "prod", " PROD "])
def test_the_cli_refuses_a_weak_secret_in_any_spelling_of_production(tmp_path, capsys,
                                                                     monkeypatch, mode):
    monkeypatch.setenv(config.MODE_ENV, mode)
    monkeypatch.setenv(config.SECRET_ENV, "x")
    path = write(tmp_path, "r.csv", [HEADER, receipt("M1")])
    assert main(["ingest", str(path), "--db", str(tmp_path / "p.duckdb")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "PEMILU_SECRET" in err and "32" in err, err


# --- the stored key check ------------------------------------------------------------------------

def test_the_key_check_is_salted_and_slow():
    first, second = privacy.key_check(STRONG), privacy.key_check(STRONG)
    assert first != second  # a random salt per database: no table of precomputed guesses
    kdf, n, r, p, salt, digest = first.split("$")
    assert kdf == "scrypt" and len(bytes.fromhex(salt)) >= 16 and len(digest) == 64
    assert int(n) * int(r) >= 2 ** 17  # at least 16 MiB of memory per guess (128 * n * r)
    assert STRONG not in first
    for value in (first, second):
        assert privacy.key_matches(value, STRONG)
        assert not privacy.key_matches(value, STRONG + "x")
        assert not privacy.key_matches(value, DEV_SECRET)


CHECKS = [
    ("new, development key", lambda: privacy.key_check(DEV_SECRET), True),
    ("old unsalted, development key", lambda: legacy_check(DEV_SECRET), True),
    ("new, real key", lambda: privacy.key_check(STRONG), False),
    ("old unsalted, real key", lambda: legacy_check(STRONG), False),
    ("damaged", lambda: "scrypt$x$8$1$00$00", False),
]


@pytest.mark.parametrize(("case", "make", "dev"), CHECKS, ids=[c[0] for c in CHECKS])
def test_the_development_key_is_recognised_in_new_and_old_databases(conn, case, make, dev):
    assert not privacy.built_with_dev_key(conn)  # no receipts yet: no key
    conn.execute("INSERT INTO pseudonym_key VALUES ($v)", {"v": make()})
    assert privacy.built_with_dev_key(conn) == dev


@pytest.mark.parametrize("how", ["write-capable open", "ingest"])
def test_an_old_unsalted_check_is_upgraded_and_still_matches(tmp_path, monkeypatch, how):
    path = build_db(tmp_path, monkeypatch, "test-secret", legacy=True)
    with db.connect(path, read_only=True):
        pass
    assert stored_check(path) == legacy_check("test-secret")  # read-only: left as it was
    if how == "ingest":
        with db.connect(path) as conn:
            # the open upgraded it already; put the old value back to see the ingest do it
            conn.execute("UPDATE pseudonym_key SET key_check = $v",
                         {"v": legacy_check("test-secret")})
            assert ingest_file(conn, write(tmp_path, "r2.csv", [HEADER, receipt("M2")])).ok
    else:
        db.connect(path).close()
    upgraded = stored_check(path)
    assert upgraded.startswith("scrypt$") and privacy.key_matches(upgraded, "test-secret")
    with db.connect(path) as conn:  # the same key still loads, another one is still refused
        assert ingest_file(conn, write(tmp_path, "r3.csv", [HEADER, receipt("M3")])).ok
        monkeypatch.setenv(config.SECRET_ENV, "another-secret")
        refused = ingest_file(conn, write(tmp_path, "r4.csv", [HEADER, receipt("M4")]))
        assert refused.outcome == "failed" and "another PEMILU_SECRET" in refused.message


def test_an_old_development_check_is_upgraded_whatever_the_current_key(tmp_path, monkeypatch):
    path = build_db(tmp_path, monkeypatch, None, legacy=True)
    monkeypatch.setenv(config.SECRET_ENV, "a-real-key")
    db.connect(path).close()
    upgraded = stored_check(path)
    assert upgraded.startswith("scrypt$") and privacy.key_matches(upgraded, DEV_SECRET)


# --- a database built with the development key, in production ---------------------------------

@pytest.mark.parametrize("legacy", [False, True], ids=["new check", "old unsalted check"])
@pytest.mark.parametrize("command", ["ingest", "export"])
def test_production_refuses_a_database_built_with_the_development_key(
        tmp_path, capsys, monkeypatch, legacy, command):
    path = build_db(tmp_path, monkeypatch, None, legacy=legacy)
    before = stored_check(path)
    monkeypatch.setenv(config.MODE_ENV, "production")
    monkeypatch.setenv(config.SECRET_ENV, STRONG)
    args = (["ingest", str(write(tmp_path, "w2.csv", WAVES)), "--db", str(path)]
            if command == "ingest" else
            ["export", "reach_operator", "--out", str(tmp_path / "o.csv"), "--db", str(path)])
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "development key" in err and str(path) in err, err
    assert not (tmp_path / "o.csv").exists()
    assert stored_check(path) == before  # refused before anything was written


def test_an_open_connection_refuses_development_key_receipts_in_production(tmp_path,
                                                                           monkeypatch):
    """The app's connection was opened before PEMILU_ENV changed: the ingest itself says it."""
    path = build_db(tmp_path, monkeypatch, None)
    with db.connect(path) as conn:
        monkeypatch.setenv(config.MODE_ENV, "production")
        monkeypatch.setenv(config.SECRET_ENV, STRONG)
        refused = ingest_file(conn, write(tmp_path, "r2.csv", [HEADER, receipt("M2")]))
        assert refused.outcome == "failed" and "development key" in refused.message
        assert conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0] == 1


# --- the app -------------------------------------------------------------------------------------

@pytest.fixture
def app_for(monkeypatch):
    def make(path) -> AppTest:
        monkeypatch.setenv("PEMILU_DB", str(path))
        st.cache_resource.clear()
        st.cache_data.clear()
        return AppTest.from_file(APP, default_timeout=60)

    yield make
    st.cache_resource.clear()


def dev_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.sidebar.warning if "PEMILU_SECRET" in w.value]


@pytest.mark.parametrize("legacy", [False, True], ids=["new check", "old unsalted check"])
def test_the_app_refuses_a_development_key_database_in_production(tmp_path, monkeypatch,
                                                                   app_for, legacy):
    at = app_for(build_db(tmp_path, monkeypatch, None, legacy=legacy))
    monkeypatch.setenv(config.MODE_ENV, "Production")
    monkeypatch.setenv(config.SECRET_ENV, STRONG)
    at.run()
    assert not at.exception, at.exception
    assert any("kunci pengembangan" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.metric and not at.dataframe


def test_the_app_refuses_a_weak_secret_in_production(tmp_path, monkeypatch, app_for):
    at = app_for(build_db(tmp_path, monkeypatch, "test-secret"))
    monkeypatch.setenv(config.MODE_ENV, "prod")
    monkeypatch.setenv(config.SECRET_ENV, "test-secret")
    at.run()
    assert not at.exception, at.exception
    assert any("PEMILU_SECRET" in e.value for e in at.error), [e.value for e in at.error]
    # said in the page's language, the setting's reason too (it was the English of str())
    errors = " ".join(e.value for e in at.error)
    assert "pengaturan server salah" in errors and "karakter; production memerlukan" in errors
    assert "characters" not in errors, errors
    assert not at.metric and not at.dataframe


APP_CASES = [
    # (the key the database was built with, the key the app runs with, warned)
    ("development key", None, True),
    ("development key", "a-real-key", True),  # a real key serving development data
    ("real key", "a-real-key", False),
]


@pytest.mark.parametrize(("built", "running", "warned"), APP_CASES,
                         ids=[f"{b}, app with {r or 'none'}" for b, r, _ in APP_CASES])
def test_the_development_key_warning_is_on_every_page(tmp_path, monkeypatch, app_for, built,
                                                      running, warned):
    path = build_db(tmp_path, monkeypatch, None if built == "development key" else running)
    if running is None:
        monkeypatch.delenv(config.SECRET_ENV, raising=False)
    else:
        monkeypatch.setenv(config.SECRET_ENV, running)
    at = app_for(path)
    at.run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert bool(dev_warnings(at)) == warned, (page, [w.value for w in at.sidebar.warning])


# --- the brute-force measurement (benchmarks/bench_key_guessing.py) -----------------------------

def test_the_key_guessing_benchmark_attacks_the_real_pseudonym(conn, capsys):
    """The benchmark's Python pseudonym is the recipient_key macro, and every attack it times
    finds the weak secret (at a tiny size: speed is SECURITY.md's business)."""
    spec = importlib.util.spec_from_file_location(
        "bench_key_guessing", Path(__file__).resolve().parents[1] / "benchmarks"
        / "bench_key_guessing.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for secret, number in (("merdeka", "6281234567890"), (STRONG, "6289999999999")):
        macro = conn.execute("SELECT recipient_key($s, $n)", {"s": secret, "n": number}
                             ).fetchall()[0][0]
        assert bench.pseudonym(secret, number) == macro
    bench.main(["--candidates", "2000", "--scrypt-guesses", "2", "--threads", "1"])
    table = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ")]
    assert len(table) == 5 and all("| merdeka |" in line for line in table[1:])
