"""Exact unique reach per whole wave, operator and province (rollup reach_cells,
dashboard/store/reach_cells.py): kept per file against a brute-force recount, rebuilt on databases
that predate it or missed a file, shown exact on the approximate operator x province table for
a whole-wave filter, and downloadable (marts/reach_wave_operator_province.sql)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import cli, config
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import tables
from dashboard.store import db, reach_cells, sketch
from tests.conftest import HEADER, receipt, write

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py")
PREFIX = {"telkomsel": "0812", "xl": "0817", "indosat": "0815"}
# SMS01 goes out on two days (a third comes with the second file), SMS02 and SMS03 on one each
DAYS = {"SMS01": ["2024-01-01", "2024-01-02"], "SMS02": ["2024-01-03"], "SMS03": ["2024-01-05"]}
BRUTE_FORCE = """
    SELECT wave_id, operator, province_code, count(DISTINCT recipient_key) AS recipients
    FROM receipts WHERE status = 'DELIVRD' GROUP BY ALL"""


def line(message: str, person: int, operator: str = "telkomsel", wave: str = "SMS01",
         day: str = "2024-01-01", status: str = "DELIVRD", province: str = "32",
         done: str = "10:01:00") -> str:
    return receipt(message, msisdn=f"{PREFIX[operator]}{person:08d}", operator=operator,
                   wave=wave, submitted=f"{day} 10:00:00", done=f"{day} {done}",
                   status=status, province=province,
                   error="000" if status == "DELIVRD" else "027")


def first_file() -> list[str]:
    """Waves SMS01 (two days) and SMS02; recipients repeat within a wave, across its days and
    across waves; some messages fail or are pending; one province unknown."""
    lines = [HEADER]
    for n in range(240):  # recipient n % 60 gets messages n, n + 60, ...: the same wave,
        operator = ("telkomsel", "xl", "indosat")[n % 3]  # operator and number, on the
        wave = "SMS02" if n % 4 == 3 else "SMS01"  # other day of SMS01, in another province
        day = DAYS[wave][n // 4 % len(DAYS[wave])]
        status = "UNDELIV" if n % 11 == 0 else "ENROUTE" if n % 13 == 0 else "DELIVRD"
        province = ("31", "32", "Atlantis")[n % 7 % 3]
        lines.append(line(f"A{n}", n % 60, operator, wave, day, status, province))
    return lines


def second_file() -> list[str]:
    """Only new messages: repeat recipients in the old waves (SMS01 on a new, third day) and in
    the new wave SMS03, and new recipients (numbers from 100)."""
    lines = [HEADER]
    for n in range(150):
        operator = ("telkomsel", "xl", "indosat")[n % 3]
        wave, day = [("SMS01", "2024-01-04"), ("SMS01", "2024-01-01"), ("SMS02", "2024-01-03"),
                     ("SMS03", "2024-01-05")][n % 4]
        person = n % 45 if n % 2 else 100 + n % 30
        lines.append(line(f"B{n}", person, operator, wave, day,
                          "UNDELIV" if n % 9 == 0 else "DELIVRD", ("31", "32")[n % 2]))
    return lines


def replacing_file() -> list[str]:
    """Later states of stored messages: delivered ones that failed after all, pending ones
    delivered, others moved to another province or carrying another number."""
    first = first_file()[1:]
    lines = [HEADER]
    for n in range(0, 240, 4):
        fields = first[n].split(",")
        operator, message, wave, _number, province, submitted = fields[:6]
        day = submitted[:10]
        person = int(fields[3][4:])
        kind = n // 4 % 4
        if kind == 0:  # the delivery failed after all (a later final state)
            lines.append(line(message, person, operator, wave, day, "UNDELIV", province,
                              done="11:00:00"))
        elif kind == 1:  # delivered later, in another province
            lines.append(line(message, person, operator, wave, day, "DELIVRD", "94",
                              done="11:00:00"))
        elif kind == 2:  # delivered later, to another number
            lines.append(line(message, person + 500, operator, wave, day, "DELIVRD", province,
                              done="11:00:00"))
        else:  # the same state again: a duplicate
            lines.append(first[n])
    return lines


def undelivered_file() -> list[str]:
    return [HEADER] + [line(f"U{n}", n, "xl", "SMS03", "2024-01-05", "EXPIRED")
                       for n in range(20)]


FILES = [("first", first_file, False), ("second", second_file, False),
         ("replacing", replacing_file, True), ("undelivered", undelivered_file, False)]


def cells(conn) -> dict[tuple, int]:
    return {(w, o, p): n for w, o, p, n in conn.execute(
        "SELECT wave_id, operator, province_code, recipients FROM reach_cells").fetchall()}


def brute_force(conn) -> dict[tuple, int]:
    return {(w, o, p): n for w, o, p, n in conn.execute(BRUTE_FORCE).fetchall()}


def load_all(conn, folder: Path, upto: int = len(FILES)) -> None:
    for name, make, replaces in FILES[:upto]:
        result = ingest_file(conn, write(folder, f"{name}.csv", make()))
        assert result.outcome == "loaded", result.message
        assert (result.counts.replaced > 0) is replaces, name


# --- kept per file -----------------------------------------------------------------------------


def test_every_file_keeps_the_rollup_equal_to_a_brute_force_count(conn, tmp_path):
    """One load per case, in order: the rollup equals count(DISTINCT recipient_key) over the
    delivered receipts per (wave, operator, province) after each."""
    before: dict[tuple, int] = {}
    for number, (name, make, replaces) in enumerate(FILES):
        result = ingest_file(conn, write(tmp_path, f"{name}.csv", make()))
        assert result.outcome == "loaded", result.message
        assert (result.counts.replaced > 0) is replaces, name
        expected = brute_force(conn)
        assert cells(conn) == expected, name
        assert min(expected.values()) > 0  # no zero cells kept
        assert conn.execute("SELECT ingest_id FROM reach_cells_state").fetchall() == [
            (result.ingest_id,)]
        if number in (1, 2):  # the file changed existing cells, not only added new ones
            changed = {k for k in before if before[k] != expected.get(k)}
            assert changed, name
        before = expected
    # the data cover what the cases promise: several days of one wave, unknown provinces,
    # a recipient counted once although delivered on two days of a wave
    assert conn.execute("SELECT count(*) FROM reach_slots WHERE wave_id = 'SMS01'"
                        ).fetchall()[0][0] == 3
    assert any(p is None for _, _, p in before)
    delivered = conn.execute("SELECT count(*) FROM receipts WHERE status = 'DELIVRD'"
                             ).fetchall()[0][0]
    assert sum(before.values()) < delivered


def test_a_replaced_receipt_with_another_number_leaves_no_reach_behind(conn, tmp_path):
    """The newer state of a message names another number: the old recipient's reach goes."""
    ingest_file(conn, write(tmp_path, "a.csv", [HEADER, line("M1", 1), line("M2", 2)]))
    result = ingest_file(conn, write(tmp_path, "b.csv", [
        HEADER, line("M1", 3, done="11:00:00")]))
    assert result.counts.replaced == 1
    assert cells(conn) == brute_force(conn) == {("SMS01", "telkomsel", 32): 2}
    stored = conn.execute("SELECT count(*) FROM reach_recipients").fetchall()[0][0]
    assert stored == 2  # recipients 2 and 3; recipient 1 no longer has a delivered message


def test_a_rollup_that_missed_a_file_is_rebuilt_by_the_next_load(conn, tmp_path):
    load_all(conn, tmp_path, upto=1)
    conn.execute("DELETE FROM reach_cells WHERE operator = 'xl'")  # lost
    conn.execute("UPDATE reach_cells_state SET ingest_id = ingest_id - 1")  # missed a file
    assert cells(conn) != brute_force(conn)
    result = ingest_file(conn, write(tmp_path, "second.csv", second_file()))
    assert result.outcome == "loaded"
    assert cells(conn) == brute_force(conn)
    assert reach_cells.is_current(conn)


# --- rebuilt on old databases -------------------------------------------------------------------


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Path:
    """A database with every file of FILES loaded (tests work on copies)."""
    folder = tmp_path_factory.mktemp("cells")
    path = folder / "campaign.duckdb"
    with db.connect(path) as conn:
        load_all(conn, folder)
    return path


@pytest.fixture
def copy(campaign, tmp_path) -> Path:
    target = tmp_path / "copy.duckdb"
    shutil.copy(campaign, target)
    return target


@pytest.mark.parametrize("damage", [
    # a database from before the rollup: neither table exists
    ["DROP TABLE reach_cells", "DROP TABLE reach_cells_state"],
    # the table is there but empty while reach_recipients is not
    ["DELETE FROM reach_cells"],
    # a version that did not keep the rollup loaded the last file
    ["DELETE FROM reach_cells WHERE wave_id = 'SMS03'",
     "UPDATE reach_cells_state SET ingest_id = ingest_id - 1"],
], ids=["predates", "empty", "missed-a-file"])
def test_a_writable_connect_rebuilds_a_missing_or_stale_rollup(copy, damage):
    with db.connect(copy) as conn:
        expected = brute_force(conn)
        assert cells(conn) == expected
        for statement in damage:
            conn.execute(statement)
    with db.connect(copy, read_only=True) as conn:  # read-only: cannot rebuild
        try:
            assert cells(conn) != expected
        except duckdb.Error:  # no table at all
            pass
    with db.connect(copy) as conn:
        assert reach_cells.is_current(conn)
        assert cells(conn) == expected


def test_a_read_only_stale_rollup_keeps_pages_exact_and_export_explains(copy, tmp_path,
                                                                        monkeypatch, capsys):
    # (a database from before reach_cells is refused read-only: tests/test_migrations.py)
    monkeypatch.setenv(config.EXACT_REACH_ENV, "approximate")
    with db.connect(copy) as conn:  # as if a load had not kept the rollup
        conn.execute("UPDATE reach_cells_state SET ingest_id = -1")
    with db.connect(copy, read_only=True) as conn:
        assert sketch.is_current(conn)
        assert not sketch.use_sketch(conn)  # the approximate table would need reach_cells
        frame = tables.table(conn, "reach_operator_province", Filters(waves=("SMS02",)))
        assert sketch.APPROXIMATE_COLUMN not in frame
        with pytest.raises(reach_cells.NotCurrent):
            tables.table(conn, "reach_wave_operator_province")
    out = tmp_path / "cells.csv"
    assert cli.main(["export", "reach_wave_operator_province", "--db", str(copy),
                     "--out", str(out)]) == 1
    assert "python -m dashboard init" in capsys.readouterr().err
    assert not out.exists()


def test_rebuild_equals_the_rollup_kept_file_by_file(copy):
    with db.connect(copy) as conn:
        kept = cells(conn)
        conn.execute(db.sql_text("staging/rebuild_reach_cells"))
        assert cells(conn) == kept == brute_force(conn)


# --- exact where the filter selects one whole wave -----------------------------------------------


@pytest.fixture(scope="module")
def campaign_conn(campaign):
    with db.connect(campaign, read_only=True) as conn:
        yield conn


def exact_reach(conn, filters: Filters) -> dict[tuple, int]:
    """count(DISTINCT recipient_key) per (operator, province) over the filter's delivered
    receipts."""
    return {(o, p): n for o, p, n in conn.execute(
        """SELECT operator, province_code, count(DISTINCT recipient_key) FROM receipts
        WHERE status = 'DELIVRD' AND in_filters(send_date, wave_id, operator, province_code,
              $date_from, $date_to, $waves, $operators, $provinces)
        GROUP BY ALL""", filters.params()).fetchall()}


@pytest.mark.parametrize(("filters", "exact"), [
    (Filters(waves=("SMS02",)), True),                       # a one-day wave
    (Filters(waves=("SMS01",)), True),                       # all three days of a wave
    (Filters(waves=("SMS01",), operators=("xl",), provinces=(32,)), True),
    (Filters(date_from=date(2024, 1, 3), date_to=date(2024, 1, 3)), True),  # SMS02's day only
    (Filters(waves=("SMS03",), date_from=date(2024, 1, 5)), True),
    (Filters(), False),                                      # every wave
    (Filters(waves=("SMS01", "SMS02")), False),              # two waves
    (Filters(waves=("SMS01",), date_from=date(2024, 1, 2)), False),  # part of a wave
    (Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 2)), False),  # SMS01 but day 3
    (Filters(operators=("telkomsel",)), False),
], ids=["one-day-wave", "multi-day-wave", "wave-operator-province", "period-one-wave",
        "wave-and-period", "all", "two-waves", "part-of-wave", "period-part-of-wave",
        "operator-only"])
def test_operator_province_table_is_exact_for_one_whole_wave(campaign_conn, filters, exact):
    frame = tables.reach_table(campaign_conn, "reach_operator_province", filters,
                               approximate=True)
    assert not frame.empty
    assert (~frame[sketch.APPROXIMATE_COLUMN]).all() if exact else \
        frame[sketch.APPROXIMATE_COLUMN].all()
    assert sketch.is_approximate(frame) is not exact
    truth = exact_reach(campaign_conn, filters)
    got = {(o, None if pd.isna(p) else int(p)): int(n) for o, p, n in
           frame[["operator", "province_code", "unique_reach"]].itertuples(index=False)}
    if exact:
        assert set(truth) <= set(got)
        assert got == {k: truth.get(k, 0) for k in got}
    assert (frame["unique_reach"] <= frame["delivered"]).all()
    # the other columns are those of the exact table, whichever unique reach is shown
    plain = tables.reach_table(campaign_conn, "reach_operator_province", filters,
                               approximate=False)
    same = [c for c in plain.columns if c != "unique_reach"]
    pd.testing.assert_frame_equal(frame[same], plain[same], check_dtype=False)
    if exact:
        pd.testing.assert_series_equal(frame["unique_reach"], plain["unique_reach"],
                                       check_dtype=False)


# --- the download: exact per wave x operator x province ------------------------------------------


@pytest.mark.parametrize(("filters", "waves"), [
    (Filters(), {"SMS01", "SMS02", "SMS03"}),
    (Filters(waves=("SMS01",)), {"SMS01"}),
    (Filters(operators=("xl", "indosat"), provinces=(31,)), {"SMS01", "SMS02"}),  # no SMS03
    # the period picks waves sent within it, each counted whole: SMS01 has a day in it
    (Filters(date_from=date(2024, 1, 4)), {"SMS01", "SMS03"}),
    (Filters(date_from=date(2024, 1, 3), date_to=date(2024, 1, 3)), {"SMS02"}),
    (Filters().within((32,)), {"SMS01", "SMS02", "SMS03"}),  # a user's province scope
], ids=["all", "wave", "operators-province", "from-day-4", "one-day", "scope"])
def test_wave_operator_province_download_is_exact_per_whole_wave(campaign_conn, filters,
                                                                 waves):
    frame = tables.table(campaign_conn, "reach_wave_operator_province", filters)
    assert set(frame["wave_id"]) == waves
    params = filters.params()
    whole_waves = Filters(waves=tuple(sorted(waves)), operators=filters.operators,
                          provinces=tuple(params["provinces"] or ())).params()
    truth = campaign_conn.execute(
        """SELECT wave_id, operator, province_code, count(*) AS sent,
                  count(*) FILTER (WHERE status = 'DELIVRD') AS delivered,
                  count(DISTINCT recipient_key) FILTER (WHERE status = 'DELIVRD') AS reach
        FROM receipts
        WHERE in_filters(DATE '2024-01-01', wave_id, operator, province_code, NULL, NULL,
                         $waves, $operators, $provinces)
        GROUP BY ALL""", {k: whole_waves[k] for k in ("waves", "operators", "provinces")}
    ).df()
    got = frame.rename(columns={"unique_reach": "reach"})
    keys = ["wave_id", "operator", "province_code"]
    both = got.merge(truth, on=keys, how="outer", suffixes=("", "_truth"), indicator=True)
    assert (both["_merge"] == "both").all(), both
    for column in ("sent", "delivered", "reach"):
        assert (both[column] == both[f"{column}_truth"]).all(), column
    if params["provinces"]:
        assert set(frame["province_code"].dropna()) <= set(params["provinces"])
    named = frame.dropna(subset=["province_code"])
    assert named["province_name"].notna().all()
    assert sketch.APPROXIMATE_COLUMN not in frame


def test_cli_exports_the_exact_cells(copy, tmp_path):
    out = tmp_path / "cells.csv"
    assert cli.main(["export", "reach_wave_operator_province", "--db", str(copy),
                     "--out", str(out), "--wave", "SMS02"]) == 0
    exported = pd.read_csv(out, encoding="utf-8-sig")
    with db.connect(copy, read_only=True) as conn:
        truth = conn.execute(
            "SELECT operator, province_code, count(DISTINCT recipient_key) FROM receipts "
            "WHERE status = 'DELIVRD' AND wave_id = 'SMS02' GROUP BY ALL").fetchall()
    assert set(exported["wave_id"]) == {"SMS02"}
    got = {(o, None if pd.isna(p) else int(p)): n for o, p, n in
           exported[["operator", "province_code", "unique_reach"]].itertuples(index=False)}
    assert {k: v for k, v in got.items() if v} == {(o, p): n for o, p, n in truth}


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "label"), [
    ("id", "Unduh CSV: jangkauan unik tepat per gelombang × operator × provinsi"),
    ("en", "Download CSV: exact unique reach per wave × operator × province"),
])
def test_reach_page_offers_the_exact_cells_download(copy, monkeypatch, lang, label):
    monkeypatch.setenv("PEMILU_DB", str(copy))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.button_group(key="lang").set_value(lang).run()
        at.switch_page("app_pages/jangkauan.py").run()
        assert not at.exception, at.exception
        labels = [b.proto.label for b in at.get("download_button")]
        assert label in labels, labels
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
