"""Issue 13, finding 5: receipts with many unknown wave ids used up the 127 (wave, send day)
slots of the exact-reach rollup, and every later file with a new wave or send day was refused.
Since issue 19 the rollup has no cap (slot s is bit s % 127 of word s // 127), so catalogue
waves never need room; waves missing from the catalogue together keep at most
UNCATALOGUED_PAIRS pairs (dashboard/ingest/reach_slots.py), so a file of junk ids cannot slow
every later load and page. Their receipts stay counted and unique reach says it leaves them
out."""

from __future__ import annotations

import pytest

from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.ingest.reach_slots import UNCATALOGUED_PAIRS
from dashboard.store import db, sketch
from tests.conftest import HEADER, receipt, write
from tests.test_ingest_receipts import ROLLUPS_RECOUNTED

CATALOGUE = [f"SMS{n:02d}" for n in range(1, 11)]


@pytest.fixture
def catalogued(conn, tmp_path):
    waves = ["wave_id,channel,sent_date,theme,message_text",
             *(f"{w},sms,2023-12-04,ajakan memilih,Ayo memilih" for w in CATALOGUE)]
    assert ingest_file(conn, write(tmp_path, "waves.csv", waves)).outcome == "loaded"
    return conn


def junk_file(tmp_path, name: str, waves: int, first: int = 0):
    """One delivered receipt per unknown wave, each its own (wave, send day) pair."""
    return write(tmp_path, name, [HEADER, *(
        receipt(f"{name}{n}", msisdn=f"0812{n:08d}", wave=f"J{first + n:03d}")
        for n in range(waves))])


def campaign_file(tmp_path, name: str, days: int):
    """Catalogue waves over many send days: one receipt per (wave, day), 2 per recipient."""
    lines = [HEADER]
    for d in range(days):
        for w, wave in enumerate(CATALOGUE):
            lines.append(receipt(f"{name}{d}-{w}", msisdn=f"0813{(d * 10 + w) % 50:08d}",
                                 wave=wave, submitted=f"2024-01-{d + 1:02d} 09:00:00",
                                 done=f"2024-01-{d + 1:02d} 09:00:30"))
    return write(tmp_path, name, lines)


def rollups_match_a_recount(conn) -> None:
    """As after any file, except that reach cells count only the (wave, send day) pairs
    that kept a slot."""
    recounts = {**ROLLUPS_RECOUNTED, "reach_cells": (
        "SELECT r.wave_id, r.operator, r.province_code, count(DISTINCT r.recipient_key) "
        "FROM receipts AS r SEMI JOIN reach_slots AS s ON s.wave_id = r.wave_id "
        "AND s.send_date = r.send_date WHERE r.status = 'DELIVRD' GROUP BY ALL")}
    for table, recount in recounts.items():
        stored = sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=str)  # noqa: S608
        assert stored == sorted(conn.execute(recount).fetchall(), key=str), table
    kept = sorted(conn.execute("SELECT * FROM reach_sketch").fetchall(), key=str)
    sketch.rebuild_sketch(conn)
    assert kept == sorted(conn.execute("SELECT * FROM reach_sketch").fetchall(), key=str)


def exact_wave_reach(conn) -> dict[str, int]:
    return dict(conn.execute(
        "SELECT wave_id, sum(recipients) FROM reach_cells GROUP BY ALL").fetchall())


def brute_force_wave_reach(conn, waves: list[str]) -> dict[str, int]:
    return dict(conn.execute(
        "SELECT wave_id, count(DISTINCT (recipient_key, operator, province_code)) "
        "FROM receipts WHERE status = 'DELIVRD' AND list_contains($waves, wave_id) "
        "GROUP BY ALL", {"waves": waves}).fetchall())


def test_junk_waves_do_not_block_catalogue_waves(catalogued, tmp_path):
    conn = catalogued
    junk = ingest_file(conn, junk_file(tmp_path, "junk", 117))
    assert junk.outcome == "loaded"  # 117 pairs: within the allowance, every wave kept
    later = ingest_file(conn, campaign_file(tmp_path, "campaign", 3))  # 30 catalogue pairs
    assert later.outcome == "loaded", later.message
    assert later.notes == []  # catalogue waves take no room from anyone: nothing left out
    assert conn.execute("SELECT count(*) FROM reach_slots").fetchall()[0][0] == 147
    waves = CATALOGUE + [f"J{n:03d}" for n in range(117)]
    assert exact_wave_reach(conn) == brute_force_wave_reach(conn, waves)
    rollups_match_a_recount(conn)
    assert db.run(conn, "marts/reach_not_kept", **Filters().params()).empty


def test_a_file_beyond_the_allowance_names_its_own_junk_waves(catalogued, tmp_path):
    # stored junk fills the allowance; a file of catalogue waves plus one junk wave of its own:
    # the catalogue waves get their slots, the junk wave none, and it alone is named
    conn = catalogued
    assert ingest_file(conn, junk_file(tmp_path, "junk", 127)).notes == []
    path = campaign_file(tmp_path, "campaign", 3)
    path.write_text(path.read_text() + receipt("own", msisdn="081399999999", wave="JOWN")
                    + "\n")
    later = ingest_file(conn, path)
    assert later.outcome == "loaded", later.message
    assert later.summary().rsplit(": ", 1)[-1] == "JOWN"
    assert conn.execute("SELECT count(*) FILTER (WHERE wave_id = 'JOWN'), "
                        "count(*) FILTER (WHERE wave_id LIKE 'SMS%') FROM reach_slots"
                        ).fetchall() == [(0, 30)]
    left_out = db.run(conn, "marts/reach_not_kept", **Filters().params())
    assert left_out.values.tolist() == [["JOWN", 1]]
    # no staging table is left behind
    assert conn.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall() \
        == []


@pytest.mark.parametrize(("junk", "kept"), [
    (0, 0), (126, 126), (127, 127), (128, 0), (5000, 0)])
def test_a_file_of_junk_waves_loads_and_keeps_at_most_the_allowance(catalogued, tmp_path,
                                                                     junk, kept):
    # all of a file's new junk pairs or none: one over the allowance keeps none of them
    conn = catalogued
    if junk:
        result = ingest_file(conn, junk_file(tmp_path, "junk", junk))
        assert (result.outcome, result.counts.loaded) == ("loaded", junk), result.message
        assert ("J000" in result.summary()) == (kept == 0)
    assert conn.execute("SELECT count(*) FROM reach_slots").fetchall()[0][0] == kept
    assert kept <= UNCATALOGUED_PAIRS
    assert ingest_file(conn, campaign_file(tmp_path, "campaign", 2)).notes == []
    assert conn.execute("SELECT count(*) FROM reach_slots").fetchall()[0][0] == kept + 20
    rollups_match_a_recount(conn)


def test_catalogue_waves_beyond_127_pairs_load_with_exact_reach(catalogued, tmp_path):
    conn = catalogued
    result = ingest_file(conn, campaign_file(tmp_path, "campaign", 13))  # 130 pairs
    assert (result.outcome, result.notes) == ("loaded", []), result.message
    # 13 pairs a wave: nine waves fill word 0 to 117, the tenth goes whole to word 1
    assert conn.execute("SELECT count(*), max(slot) FROM reach_slots").fetchall() == [(130, 139)]
    assert conn.execute("SELECT min(slot) FROM reach_slots WHERE wave_id = 'SMS10'").fetchall() \
        == [(127,)]
    assert exact_wave_reach(conn) == brute_force_wave_reach(conn, CATALOGUE)
    rollups_match_a_recount(conn)
    # the allowance counts only waves missing from the catalogue
    assert ingest_file(conn, junk_file(tmp_path, "junk", 127)).notes == []
    assert ingest_file(conn, junk_file(tmp_path, "more", 1, first=500)).notes != []


@pytest.mark.parametrize("placing", ["adds", "replaces", "catalogued"])
def test_a_pair_placed_after_an_earlier_file_left_it_out_counts_all_its_receipts(
        catalogued, tmp_path, placing):
    # helper-36's finding (6 Dec): 128 junk pairs are all left out; a later file delivering
    # in J000 again gets it a slot, and the first file's J000 receipt was then in no number
    # (reach 1 of 2 recipients) and named nowhere (reach_not_kept empty)
    conn = catalogued
    assert ingest_file(conn, junk_file(tmp_path, "junk", 128)).notes != []
    # another operator: the earlier receipt's (wave, operator) partition is not the file's
    lines = [HEADER, receipt("later", msisdn="085577770000", wave="J000", operator="indosat")]
    if placing == "replaces":  # a newer state of a stored receipt: the recount branch anyway
        lines.append(receipt("junk5", msisdn="081200000005", wave="J005", status="UNDELIV"))
    if placing == "catalogued":  # J000 becomes a catalogue wave: placed by its next file
        waves = ["wave_id,channel,sent_date,theme,message_text",
                 "J000,sms,2023-12-04,ajakan memilih,Ayo memilih"]
        assert ingest_file(conn, write(tmp_path, "more_waves.csv", waves)).ok
    result = ingest_file(conn, write(tmp_path, "later.csv", lines))
    assert (result.outcome, result.notes) == ("loaded", []), result.message
    assert conn.execute("SELECT wave_id FROM reach_slots").fetchall() == [("J000",)]
    assert exact_wave_reach(conn) == {"J000": 2} == brute_force_wave_reach(conn, ["J000"])
    assert "J000" not in db.run(conn, "marts/reach_not_kept", **Filters().params())[
        "wave_id"].tolist()
    wave = db.run(conn, "marts/reach_wave", approximate=False, **Filters().params())
    assert wave.set_index("wave_id")["unique_reach"]["J000"] == 2
    rollups_match_a_recount(conn)


def test_without_a_full_bitmask_unknown_waves_keep_their_reach(catalogued, tmp_path):
    conn = catalogued
    assert ingest_file(conn, junk_file(tmp_path, "junk", 5)).outcome == "loaded"
    assert exact_wave_reach(conn) == {f"J{n:03d}": 1 for n in range(5)}
    assert db.run(conn, "marts/reach_not_kept", **Filters().params()).empty


@pytest.mark.parametrize(("page", "lang", "phrase"), [
    ("app_pages/ringkasan.py", "id", "Jangkauan unik tidak mencakup"),
    ("app_pages/jangkauan.py", "en", "Unique reach leaves out"),
])
def test_pages_say_what_unique_reach_leaves_out(tmp_path, monkeypatch, page, lang, phrase):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP

    path = tmp_path / "app.duckdb"
    with db.connect(path) as conn:
        waves = ["wave_id,channel,sent_date,theme,message_text",
                 *(f"{w},sms,2023-12-04,ajakan memilih,Ayo memilih" for w in CATALOGUE)]
        ingest_file(conn, write(tmp_path, "waves.csv", waves))
        ingest_file(conn, junk_file(tmp_path, "junk", 130))
        left_out = db.run(conn, "marts/reach_not_kept", **Filters().params())
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.button_group(key="lang").set_value(lang).run()
    at.switch_page(page).run()
    assert not at.exception
    captions = [c.value for c in at.caption if phrase in c.value]
    assert len(captions) == 1
    assert str(int(left_out["delivered"].sum())) in captions[0]
    st.cache_resource.clear()


# --- the per-file decision as a pure function (keep_new), replayed by `cluster attach` --------
def _pairs(prefix: str, count: int, catalogued: bool = False) -> list[tuple]:
    from datetime import date

    return [(f"{prefix}{n:03d}", date(2024, 1, 1), catalogued) for n in range(count)]


@pytest.mark.parametrize(("new", "held", "kept", "left_out"), [
    ([], 0, 0, []),                                          # nothing new
    (_pairs("S", 3, True), UNCATALOGUED_PAIRS, 3, []),       # catalogue waves: never capped
    (_pairs("J", 27), 100, 27, []),                          # exactly the allowance
    (_pairs("J", 28), 100, 0, [f"J{n:03d}" for n in range(28)]),  # one over: none of them
    (_pairs("J", 1) + _pairs("S", 2, True), UNCATALOGUED_PAIRS, 2, ["J000"]),
    (_pairs("J", UNCATALOGUED_PAIRS), 0, UNCATALOGUED_PAIRS, []),
    (_pairs("J", UNCATALOGUED_PAIRS + 1), 0, 0, [f"J{n:03d}" for n in range(128)]),
])
def test_keep_new(new, held, kept, left_out):
    from dashboard.ingest.reach_slots import keep_new

    pairs, waves = keep_new(new, held)
    assert (len(pairs), waves) == (kept, left_out)
    expected = [(w, d) for w, d, catalogued in new if catalogued or not left_out]
    assert pairs == expected  # all or none of the uncatalogued ones; the catalogued always


def _files(*files: list[tuple]) -> list[list[tuple]]:
    return [[(wave, day) for wave, day, _ in file] for file in files]


@pytest.mark.parametrize(("files", "slots"), [
    ([], 0),
    (_files(_pairs("J", 100), _pairs("J", 100)), 100),      # the same pairs again
    (_files(_pairs("J", 100), _pairs("K", 28)), 100),       # 128: the second file none
    (_files(_pairs("J", 100), _pairs("K", 27)), 127),       # 127: all
    (_files(_pairs("J", 100), _pairs("J", 1) + _pairs("K", 27)), 127),  # J000: not new
    (_files(_pairs("J", 100), _pairs("K", 28), _pairs("K", 5)), 105),   # left out, then placed
    (_files(_pairs("S", 200, True)), 200),                   # catalogue: no cap
])
def test_replay_takes_each_files_decision_in_order(files, slots):
    from dashboard.ingest.reach_slots import replay

    catalogued = {f"S{n:03d}" for n in range(200)}
    placed = replay(files, catalogued)
    assert len(placed) == slots
    assert len({slot for slot, _, _ in placed}) == len(placed)  # one slot per pair
    assert sum(wave not in catalogued for _, wave, _ in placed) <= UNCATALOGUED_PAIRS
