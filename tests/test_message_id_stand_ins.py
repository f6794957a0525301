"""Message ids shaped like a phone number stored before 7 Dec 2026 (as the operator wrote them:
Smartfren's SF-088...) are rewritten as the keyed stand-in loads store since, once, under the
database's own key (migration 0014 owes it; ingest/stand_ins.py settles it), so a later state
of such a message finds its receipt instead of counting as a new message (attack 2, finding
01: 3 messages became sent = 6, pending = 3, and verify said ok)."""

from __future__ import annotations

import pytest

from dashboard import config
from dashboard.cli import main
from dashboard.ingest import ingest_file
from dashboard.ingest.privacy import text_pseudonym
from dashboard.ingest.stand_ins import owes_message_id_stand_ins, settle_message_id_stand_ins
from dashboard.ingest.verify import verify_file
from dashboard.reports import tables
from dashboard.store import db
from tests.conftest import HEADER, receipt, write

IDS = ["SF-0881234567", "081290009999", "TS0000000123"]  # two shaped like numbers, one not


def as_an_earlier_version_left_it(path, tmp_path) -> None:
    """A database whose receipts hold the message ids as written (what loads did before
    7 Dec 2026), at schema 13: migration 0014 not yet applied."""
    first = write(tmp_path, "enroute.csv", [HEADER, *(
        receipt(m, status="ENROUTE", done="", operator="smartfren", msisdn="0881234500" + str(n))
        for n, m in enumerate(IDS))])
    with db.connect(path) as conn:
        assert ingest_file(conn, first).counts.loaded == 3
        for m in IDS:
            conn.execute("UPDATE receipts SET message_id = $raw WHERE message_id = $stored",
                         {"raw": m, "stored": text_pseudonym(m)})
        conn.execute("DROP TABLE owed_rewrites")
        conn.execute("DELETE FROM schema_migrations WHERE version >= 14")
        assert sorted(m for (m,) in conn.execute("SELECT message_id FROM receipts").fetchall()
                      ) == sorted(IDS)


def final_states(tmp_path):
    return write(tmp_path, "final.csv", [HEADER, *(
        receipt(m, operator="smartfren", msisdn="0881234500" + str(n))
        for n, m in enumerate(IDS))])


def test_a_later_state_finds_a_receipt_stored_before_the_stand_ins(tmp_path):
    path = tmp_path / "old.duckdb"
    as_an_earlier_version_left_it(path, tmp_path)
    with db.connect(path) as conn:  # the upgrade: migration 0014 records the rewrite as owed
        assert owes_message_id_stand_ins(conn)
        result = ingest_file(conn, final_states(tmp_path))  # settles it first
        assert not owes_message_id_stand_ins(conn)
        assert result.counts.loaded == 3
        totals = tables.table(conn, "reach_totals").iloc[0]
        assert (totals["sent"], totals["delivered"], totals["pending"]) == (3, 3, 0)
        stored = sorted(m for (m,) in conn.execute("SELECT message_id FROM receipts").fetchall())
        assert stored == sorted([text_pseudonym(IDS[0]), text_pseudonym(IDS[1]), IDS[2]])
        assert all(verify_file(conn, f).ok for f in (tmp_path / "enroute.csv",
                                                      tmp_path / "final.csv"))


def test_init_settles_it_and_verify_says_while_it_is_owed(tmp_path, capsys):
    path = tmp_path / "old.duckdb"
    as_an_earlier_version_left_it(path, tmp_path)
    with db.connect(path) as conn:  # migrated by a writer that does not settle (the app)
        assert owes_message_id_stand_ins(conn)
        problems = verify_file(conn, tmp_path / "enroute.csv").problems
        assert problems and "still to be rewritten" in problems[0] and len(problems) == 1
    assert main(["init", "--db", str(path), "--lang", "en"]) == 0
    assert "rewritten as stand-ins: 2" in capsys.readouterr().out
    with db.connect(path) as conn:
        assert not owes_message_id_stand_ins(conn)
        assert settle_message_id_stand_ins(conn) is None  # once
        assert verify_file(conn, tmp_path / "enroute.csv").ok


def test_another_key_leaves_it_owed(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    as_an_earlier_version_left_it(path, tmp_path)
    monkeypatch.setenv(config.SECRET_ENV, "another-secret")
    with db.connect(path) as conn:
        assert settle_message_id_stand_ins(conn) is None
        assert owes_message_id_stand_ins(conn)
        assert sorted(m for (m,) in conn.execute("SELECT message_id FROM receipts").fetchall()
                      ) == sorted(IDS)


@pytest.mark.parametrize("receipts", [False, True])
def test_a_database_owes_it_only_when_it_holds_receipts(tmp_path, receipts):
    path = tmp_path / "new.duckdb"
    with db.connect(path) as conn:
        if receipts:
            assert ingest_file(conn, final_states(tmp_path)).ok
        assert not owes_message_id_stand_ins(conn)  # a load since stores stand-ins
