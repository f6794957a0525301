"""Exact unique reach per whole wave, operator and province (rollup reach_cells,
dashboard/reach_cells.py): kept per file against a brute-force recount, rebuilt on databases
that predate it or missed a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import db, reach_cells
from dashboard.ingest import ingest_file
from tests.conftest import HEADER, receipt, write

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


def test_rebuild_equals_the_rollup_kept_file_by_file(copy):
    with db.connect(copy) as conn:
        kept = cells(conn)
        conn.execute(db.sql_text("staging/rebuild_reach_cells"))
        assert cells(conn) == kept == brute_force(conn)
