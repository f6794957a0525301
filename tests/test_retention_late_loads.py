"""Loads after `retention` (attack 7, finding 02): a file that replaces stored receipts
recounts its partitions from receipts, where retention deleted the old send days. Every rollup
the pages read (receipt counts, latency histogram, unique reach rows, reach cells, sketch)
must come out as the same loads give without retention; a record sent on a deleted day
cannot be matched, so it is rejected, said so on Kualitas data, and counts nothing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.ingest import ingest_file
from dashboard.reports import tables
from dashboard.store import backup, db
from tests.conftest import HEADER, receipt, write

# retention --days 5 on 8 Jan deletes the receipts sent before 3 Jan
RETENTION = {"days": 5, "today": dt.date(2024, 1, 8)}
OLD, NEW = "2024-01-01", "2024-01-10"  # a deleted send day, a kept one
ROLLUPS = {  # every rollup a page reads, in a fixed order
    "receipt_counts": "SELECT * FROM receipt_counts",
    "latency_histogram": "SELECT * FROM latency_histogram",
    "reach_recipients": "SELECT * EXCLUDE (alone) FROM reach_recipients",
    "reach_cells": "SELECT * FROM reach_cells",
    "reach_sketch": "SELECT slot, operator, province_code, plane, bits::VARCHAR AS bits "
                    "FROM reach_sketch",
}
PAGES = ("reach_totals", "reach_wave", "reach_daily", "reach_operator")


def line(message_id: str, number: int, day: str, status: str = "DELIVRD",
         wave: str = "SMS01") -> str:
    done = "" if status == "ENROUTE" else f"{day} 10:00:30"
    return receipt(message_id, msisdn=f"0812{number:08d}", status=status, done=done,
                   submitted=f"{day} 10:00:00", wave=wave)


# five delivered on the deleted day, four delivered and one pending (NEWX) on the kept one
WAVE = ([line(f"OLD{i}", i, OLD) for i in range(5)]
        + [line(f"NEW{i}", 100 + i, NEW) for i in range(4)]
        + [line("NEWX", 200, NEW, "ENROUTE")])

# (case, files loaded before retention, files loaded after it, reload the first file after)
SAME_AS_WITHOUT_RETENTION = [
    # the attacker's case: a later state of a message retention kept
    ("late_state_of_a_kept_message", [WAVE], [[line("NEWX", 200, NEW)]], False),
    ("late_failure_of_a_kept_message", [WAVE], [[line("NEWX", 200, NEW, "UNDELIV")]], False),
    # recipient 7's only delivered message went with retention: it stays reached
    ("recipient_whose_delivered_message_was_deleted",
     [[line("OLD7", 7, OLD), line("NEW7", 7, NEW, "ENROUTE"), *WAVE]],
     [[line("NEW7", 7, NEW, "UNDELIV")]], False),
    # one recipient in two waves: reach per wave keeps the deleted day's wave
    ("recipient_in_two_waves",
     [[line("A1", 7, OLD, wave="SMS01"), line("B1", 7, NEW, "ENROUTE", wave="SMS02"),
       line("B2", 8, NEW, wave="SMS02")]],
     [[line("B1", 7, NEW, wave="SMS02")]], False),
    # another file repeats a deleted day's receipt and a kept day's: neither counts again
    ("duplicates_after_retention", [WAVE], [[line("OLD0", 0, OLD), line("NEW0", 100, NEW)]],
     False),
    # the same file loaded again (--reload) after retention replaces only what is stored
    ("reload_after_retention", [WAVE], [], True),
]


def _load(path, before, after, reload, retention: bool) -> dict[str, pd.DataFrame]:
    """The rollups after the loads, with or without retention between them."""
    folder = path.parent
    with db.connect(path) as conn:
        for n, lines in enumerate(before):
            assert ingest_file(conn, write(folder, f"before{n}.csv", [HEADER, *lines])).ok
        if retention:
            backup.apply_retention(conn, **RETENTION)
        for n, lines in enumerate(after):
            assert ingest_file(conn, write(folder, f"after{n}.csv", [HEADER, *lines])).ok
        if reload:
            assert ingest_file(conn, folder / "before0.csv", reload=True).ok
        return _rollups(conn)


def _rollups(conn) -> dict[str, pd.DataFrame]:
    found = {name: conn.execute(f"SELECT * FROM ({query}) ORDER BY ALL").df()  # noqa: S608
             for name, query in ROLLUPS.items()}
    return found | {name: tables.table(conn, name, Filters()) for name in PAGES}


def _assert_same(got: dict, expected: dict) -> None:
    for name in expected:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)


@pytest.mark.parametrize(("before", "after", "reload"),
                         [case[1:] for case in SAME_AS_WITHOUT_RETENTION],
                         ids=[case[0] for case in SAME_AS_WITHOUT_RETENTION])
def test_loads_after_retention_give_the_rollups_of_the_same_loads_without_it(
        tmp_path, before, after, reload):
    (tmp_path / "kept").mkdir()
    (tmp_path / "retained").mkdir()
    without = _load(tmp_path / "kept" / "db.duckdb", before, after, reload, retention=False)
    got = _load(tmp_path / "retained" / "db.duckdb", before, after, reload, retention=True)
    _assert_same(got, without)


def test_the_attackers_case_keeps_every_message(tmp_path):
    got = _load(tmp_path / "db.duckdb", [WAVE], [[line("NEWX", 200, NEW)]], False,
                retention=True)
    totals = got["reach_totals"].iloc[0]
    assert (totals["sent"], totals["delivered"], totals["pending"],
            totals["unique_reach"]) == (10, 10, 0, 10)


# (case, the file after retention, its records rejected as sent on a deleted day)
DELETED_DAY = [
    # a later state of a message retention deleted: it cannot be matched, so it would count
    # the message twice (sent 11): set aside, the counts stay as retention left them
    ("late_state_of_a_deleted_message", [line("OLDX", 300, OLD)], 1),
    ("deleted_and_kept_days_in_one_file", [line("OLDX", 300, OLD), line("NEWX", 200, NEW)],
     1),
]


@pytest.mark.parametrize(("late", "rejected"), [case[1:] for case in DELETED_DAY],
                         ids=[case[0] for case in DELETED_DAY])
def test_a_record_of_a_deleted_day_is_rejected_and_said_so(tmp_path, late, rejected):
    first = [*WAVE, line("OLDX", 300, OLD, "ENROUTE")]
    path = tmp_path / "db.duckdb"
    with db.connect(path) as conn:
        assert ingest_file(conn, write(tmp_path, "wave.csv", [HEADER, *first])).ok
        backup.apply_retention(conn, **RETENTION)
        kept = _rollups(conn)
        result = ingest_file(conn, write(tmp_path, "late.csv", [HEADER, *late]))
        assert result.ok and result.counts.rejected == rejected
        got = _rollups(conn)
        reasons = conn.execute(db.sql_text("marts/reject_reasons")).df()  # Kualitas data
    old_day = {name: frame[frame["send_date"] < pd.Timestamp(NEW)].reset_index(drop=True)
               for name, frame in got.items() if "send_date" in frame}
    _assert_same(old_day, {name: kept[name][kept[name]["send_date"] < pd.Timestamp(NEW)]
                           .reset_index(drop=True) for name in old_day})
    assert got["reach_totals"]["sent"].iloc[0] == 11  # not 12: the late OLDX is not counted
    late_file = reasons[reasons["file"] == "late.csv"]
    assert late_file[["reason_code", "rows"]].values.tolist() == [
        ["sent_before_retention", rejected]]
    labels = {t("reason.sent_before_retention", lang) for lang in ("id", "en")}
    assert len(labels) == 2 and "reason.sent_before_retention" not in labels
