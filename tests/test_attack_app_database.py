"""Issue 13, finding 10d: the app's first connection meets a database another process holds
(a command-line load, a second server). Every page showed Streamlit's generic error; now one
clear message in the reader's language, no page content, and the app works once the database
is free (the failed connection is not cached)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.store import db, snapshots
from tests.test_app import APP, PAGES

HOLDER = """
import sys, time
import duckdb
conn = duckdb.connect(sys.argv[1])
print("ready", flush=True)
time.sleep(120)
"""

MESSAGES = {"id": "Basis data sedang dipakai proses lain", "en": "The database is in use by "
            "another process"}


@pytest.fixture
def held_db(tmp_path, monkeypatch):
    path = tmp_path / "held.duckdb"
    db.connect(path).close()
    # a database without a published snapshot (made before snapshots): the app must open the
    # file itself to publish one
    shutil.rmtree(snapshots.folder(path))
    monkeypatch.setenv("PEMILU_DB", str(path))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    st.cache_resource.clear()
    st.cache_data.clear()
    yield holder
    if holder.poll() is None:
        holder.kill()
        holder.communicate()
    st.cache_resource.clear()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_database_held_by_another_process_gives_a_clear_message(held_db, page, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.button_group(key="lang").set_value(lang).run()  # the switch stays above the message
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] and MESSAGES[lang] in at.error[0].value, (
        [e.value for e in at.error])
    assert len(at.error) == 1 and not at.metric and not at.dataframe and not at.title


def test_the_app_opens_once_the_database_is_free(held_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert MESSAGES["id"] in at.error[0].value
    held_db.kill()
    held_db.wait()
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Ringkasan"


def test_with_a_snapshot_the_app_serves_while_another_process_holds_the_file(tmp_path,
                                                                           monkeypatch):
    path = tmp_path / "held.duckdb"
    db.connect(path).close()  # publishes a snapshot
    monkeypatch.setenv("PEMILU_DB", str(path))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)],
                              stdout=subprocess.PIPE, text=True)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        assert holder.stdout.readline().strip() == "ready"
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        assert at.title[0].value == "Ringkasan"
    finally:
        holder.kill()
        holder.communicate()
        st.cache_resource.clear()
