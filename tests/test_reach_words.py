"""Issue 19: exact unique reach past 127 (wave, send day) pairs. Slot s is bit s % 127 of word
s // 127, one reach_recipients row per word a recipient has bits in (migration 0009).

Expected values come from a short reader of the generated receipts written here without our
code (distinct phone numbers per group), or are worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

import duckdb
import pytest

from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.ingest.reach_slots import place
from dashboard.store import db, sketch
from tests.conftest import HEADER, write

CATALOGUE = [f"SMS{n:02d}" for n in range(1, 11)]
DAY0 = dt.date(2024, 1, 1)


# ------------------------------------------------------------------------------------------
# where new pairs go (a pure function): cases worked out by hand
# ------------------------------------------------------------------------------------------

def d(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def full_word(wave: str, word: int) -> list[tuple[int, str]]:
    return [(word * 127 + b, wave) for b in range(127)]


@pytest.mark.parametrize(("new", "stored", "expected"), [
    ([], [(0, "A")], []),
    # day order, then wave; the lowest free bits, holes included (slot 1 was freed)
    ([("B", d(1)), ("A", d(0)), ("A", d(1))], [(0, "A"), (2, "A")],
     [(1, "A", d(0)), (3, "A", d(1)), (4, "B", d(1))]),
    # 126 stored + 1: the last bit of word 0
    ([("A", d(126))], [(s, "A") for s in range(126)], [(126, "A", d(126))]),
    # 127 stored + 1: word 0 is full, the pair opens word 1 (wave A now spans two words)
    ([("A", d(127))], full_word("A", 0), [(127, "A", d(127))]),
    # a wave keeps to the word of its latest slot while it fits there (B: word 1, not the
    # free bit 5 of word 0)
    ([("B", d(9))], [(s, "A") for s in range(127) if s != 5] + [(127, "B")],
     [(128, "B", d(9))]),
    # a new wave goes where all its new pairs fit: 60 pairs, word 0 has 7 free bits -> word 1
    ([("N", d(k)) for k in range(60)], [(s, "A") for s in range(120)],
     [(127 + k, "N", d(k)) for k in range(60)]),
    # two new waves of 60 in one file: the first fits in word 0 (67 free), the second not
    ([(w, d(k)) for k in range(60) for w in ("P", "Q")], [(s, "A") for s in range(60)],
     [(60 + k, "P", d(k)) for k in range(60)] + [(127 + k, "Q", d(k)) for k in range(60)]),
    # more than 127 new pairs of one wave fit no word: the lowest free slots, across words
    ([("L", d(k)) for k in range(130)], [(0, "A")],
     [(1 + k, "L", d(k)) for k in range(130)]),
])
def test_place(new, stored, expected):
    assert sorted(place(new, stored)) == sorted(expected)


# ------------------------------------------------------------------------------------------
# a campaign of n pairs, loaded in files, against an independent count
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    message_id: str
    wave: str
    day: dt.date
    msisdn: str
    operator: str
    province: int
    status: str
    done_minute: int = 1

    def line(self) -> str:
        submitted = f"{self.day} 09:00:00"
        done = f"{self.day} 09:{self.done_minute:02d}:00"
        return ",".join([self.operator, self.message_id, self.wave, self.msisdn,
                         str(self.province), submitted, done, self.status, "000"])


def campaign(pairs: int) -> list[Receipt]:
    """Pair k: wave k % 10 on day k // 10; three receipts each, to 23 recipients that recur
    across pairs (so across words) and provinces; one in eleven undelivered."""
    out = []
    for k in range(pairs):
        for r in range(3):
            who = (k * 7 + r * 5) % 23
            telkomsel = who % 2 == 0
            out.append(Receipt(
                message_id=f"M{k}-{r}", wave=CATALOGUE[k % 10], day=d(k // 10),
                msisdn=f"{'0812' if telkomsel else '0817'}{who:08d}",
                operator="telkomsel" if telkomsel else "xl", province=31 + (k + r) % 3,
                status="UNDELIV" if (k + r) % 11 == 0 else "DELIVRD"))
    return out


def singles(k: int) -> list[Receipt]:
    """Pair k's receipts to a number no other pair reaches, so its recipient has one reach row
    (alone, migration 0013) while the 23 of campaign() have several; one in five undelivered.
    In one pair of six, xl delivers to the same number too: two rows that differ only in the
    operator."""
    first = Receipt(message_id=f"S{k}", wave=CATALOGUE[k % 10], day=d(k // 10),
                    msisdn=f"0813{k:08d}", operator="telkomsel", province=31 + k % 3,
                    status="UNDELIV" if k % 5 == 0 else "DELIVRD")
    return [first, replace(first, message_id=f"X{k}", operator="xl", status="DELIVRD")
            ] if k % 6 == 0 else [first]


def final_states(*files: list[Receipt]) -> list[Receipt]:
    """The stored state of each message: the latest done time wins (all states are final)."""
    latest: dict[tuple[str, str], Receipt] = {}
    for rows in files:
        for row in rows:
            key = (row.operator, row.message_id)
            if key not in latest or row.done_minute > latest[key].done_minute:
                latest[key] = row
    return list(latest.values())


NO_FILTER = Filters()


def distinct(receipts: list[Receipt], group, filters: Filters = NO_FILTER) -> dict:
    """Distinct delivered phone numbers per group, inside the filters."""
    found = defaultdict(set)
    for r in receipts:
        if r.status != "DELIVRD":
            continue
        if filters.waves and r.wave not in filters.waves:
            continue
        if filters.operators and r.operator not in filters.operators:
            continue
        if filters.provinces and r.province not in filters.provinces:
            continue
        if filters.date_from and r.day < filters.date_from:
            continue
        if filters.date_to and r.day > filters.date_to:
            continue
        found[group(r)].add(r.msisdn)
    return {k: len(v) for k, v in found.items()}


def load(conn, tmp_path, name: str, rows: list[Receipt], reload: bool = False) -> None:
    path = write(tmp_path, name, [HEADER, *(r.line() for r in rows)])
    result = ingest_file(conn, path, reload=reload)
    assert result.outcome == "loaded", result.message
    assert not [note for note in result.notes if "unique reach leaves out" in note]


@pytest.fixture
def catalogued(conn, tmp_path):
    lines = ["wave_id,channel,sent_date,theme,message_text",
             *(f"{w},sms,2024-01-01,ajakan memilih,Ayo memilih" for w in CATALOGUE)]
    assert ingest_file(conn, write(tmp_path, "waves.csv", lines)).outcome == "loaded"
    return conn


FILTERS = [
    Filters(),
    Filters(waves=("SMS01", "SMS04")),
    Filters(date_from=d(5), date_to=d(14)),
    Filters(operators=("xl",)),
    Filters(provinces=(32,)),
    Filters(waves=("SMS02", "SMS09"), date_from=d(11), operators=("telkomsel",),
            provinces=(31, 33)),
]


def assert_reach_equals_the_count(conn, receipts: list[Receipt]) -> None:
    # a row is alone exactly when it is its recipient's only row (counted here, in Python)
    flags = conn.execute("SELECT recipient_key, alone FROM reach_recipients").fetchall()
    rows_of = Counter(key for key, _ in flags)
    assert [alone for _, alone in flags] == [rows_of[key] == 1 for key, _ in flags]
    assert conn.execute("SELECT count(*) FROM reach_recipients WHERE slots = 0").fetchall() \
        == [(0,)]  # a row without a slot is not kept (and would make its recipient not alone)
    cells = conn.execute("SELECT wave_id, operator, province_code, recipients "
                         "FROM reach_cells").fetchall()
    assert {(w, o, p): n for w, o, p, n in cells} == distinct(
        receipts, lambda r: (r.wave, r.operator, r.province))
    for filters in FILTERS:
        params = {**filters.params(), "approximate": False}
        per_wave = db.run(conn, "marts/reach_wave", **params)
        got = {w: n for w, n in zip(per_wave["wave_id"], per_wave["unique_reach"], strict=True)
               if n}
        assert got == distinct(receipts, lambda r: r.wave, filters), filters
        total = db.run(conn, "marts/reach_totals", **params)["unique_reach"].iloc[0]
        assert total == distinct(receipts, lambda r: 0, filters).get(0, 0), filters
        cells = db.run(conn, "marts/reach_operator_province", **params)
        got = {(o, p): n for o, p, n in zip(cells["operator"], cells["province_code"],
                                            cells["unique_reach"], strict=True) if n}
        assert got == distinct(receipts, lambda r: (r.operator, r.province), filters), filters


def words(conn) -> int:
    return conn.execute("SELECT count(DISTINCT word) FROM reach_recipients").fetchall()[0][0]


@pytest.mark.parametrize(("pairs", "expected_words"), [
    (126, 1), (127, 1), (128, 2), (254, 2), (300, 3)])
def test_reach_equals_an_independent_count_at_any_number_of_pairs(catalogued, tmp_path, pairs,
                                                                  expected_words):
    conn = catalogued
    many = campaign(pairs)  # in pair order: each pair's receipts, then its singles
    rows = [r for k in range(pairs) for r in (*many[3 * k:3 * k + 3], *singles(k))]
    half = len(rows) // 2  # two files that only add receipts: the merge path
    load(conn, tmp_path, "a.csv", rows[:half])
    load(conn, tmp_path, "b.csv", rows[half:])
    assert conn.execute("SELECT count(*) FROM reach_slots").fetchall()[0][0] == pairs
    assert words(conn) == expected_words
    # recipients with one reach row and with several are both counted
    assert conn.execute("SELECT count(DISTINCT alone) FROM reach_recipients").fetchall() \
        == [(2,)]
    assert_reach_equals_the_count(conn, final_states(rows))
    # later states of stored messages (the refresh path): some deliveries lost, some gained;
    # and a third of the single numbers reached again in another province (a second row)
    later = [replace(r, status="DELIVRD" if r.status == "UNDELIV" else "UNDELIV",
                     done_minute=30) for r in rows[::7]]
    later += [replace(singles(k)[0], message_id=f"T{k}", province=34)
              for k in range(0, pairs, 3)]
    load(conn, tmp_path, "c.csv", later)
    assert_reach_equals_the_count(conn, final_states(rows, later))
    # the second file loaded again, replacing its own receipts (ingest --reload)
    load(conn, tmp_path, "b.csv", rows[half:], reload=True)
    assert_reach_equals_the_count(conn, final_states(rows, later))
    # the same rows as a rebuild of the per-wave rollup gives
    kept = sorted(conn.execute("SELECT * FROM reach_cells").fetchall(), key=str)
    conn.execute(db.sql_text("staging/rebuild_reach_cells"))
    assert sorted(conn.execute("SELECT * FROM reach_cells").fetchall(), key=str) == kept


@pytest.mark.parametrize("pairs", [126, 127])
def test_within_127_pairs_rows_and_slots_are_as_before_words(catalogued, tmp_path, pairs):
    conn = catalogued
    rows = campaign(pairs)
    load(conn, tmp_path, "a.csv", rows[:len(rows) // 2])
    load(conn, tmp_path, "b.csv", rows[len(rows) // 2:])
    # slots as the one-word rule gave them: 0, 1, ... in (send day, wave) order
    order = conn.execute("SELECT slot FROM reach_slots ORDER BY send_date, wave_id").fetchall()
    assert [s for (s,) in order] == list(range(pairs))
    # one row per (recipient, operator, province), its bitmask the one-word bitmask
    before_words = conn.execute(
        "SELECT r.recipient_key, r.operator, r.province_code, bit_or(1::HUGEINT << s.slot), 0 "
        "FROM receipts AS r JOIN reach_slots AS s "
        "ON s.wave_id = r.wave_id AND s.send_date = r.send_date "
        "WHERE r.status = 'DELIVRD' GROUP BY ALL").fetchall()
    stored = conn.execute("SELECT recipient_key, operator, province_code, slots, word "
                          "FROM reach_recipients").fetchall()
    assert sorted(stored, key=str) == sorted(before_words, key=str)


def one(message_id: str, wave: str, day: int, msisdn: str) -> Receipt:
    return Receipt(message_id, wave, d(day), msisdn, "telkomsel", 32, "DELIVRD")


X, Y = "081200000001", "081200000002"


def test_a_recipient_in_two_words_counts_once_overall_and_once_per_wave(catalogued, tmp_path):
    conn = catalogued
    # SMS01 over days 0..126 to Y fills word 0; X also on day 0
    first = [one(f"Y{n}", "SMS01", n, Y) for n in range(127)] + [one("X0", "SMS01", 0, X)]
    # day 127 of SMS01 (word 1: the wave straddles the boundary) and a new wave SMS02, to X
    second = [one("X1", "SMS01", 127, X), one("X2", "SMS02", 127, X)]
    load(conn, tmp_path, "first.csv", first)
    load(conn, tmp_path, "second.csv", second)
    assert conn.execute("SELECT wave_id, min(slot), max(slot) FROM reach_slots GROUP BY ALL "
                        "ORDER BY 1").fetchall() == [("SMS01", 0, 127), ("SMS02", 128, 128)]
    # X has a row in each word; SMS01 reached X and Y, SMS02 X: two recipients in all
    assert conn.execute("SELECT count(*) FROM reach_recipients WHERE word = 1").fetchall() \
        == [(1,)]
    assert conn.execute("SELECT wave_id, recipients FROM reach_cells ORDER BY 1").fetchall() \
        == [("SMS01", 2), ("SMS02", 1)]
    params = {**Filters().params(), "approximate": False}
    per_wave = db.run(conn, "marts/reach_wave", **params)
    assert per_wave[["wave_id", "unique_reach"]].values.tolist() == [["SMS01", 2],
                                                                     ["SMS02", 1]]
    assert db.run(conn, "marts/reach_totals", **params)["unique_reach"].tolist() == [2]
    # only the last day: X alone, once, in each wave
    last = {**Filters(date_from=d(127)).params(), "approximate": False}
    assert db.run(conn, "marts/reach_wave", **last)[["wave_id", "unique_reach"]] \
        .values.tolist() == [["SMS01", 1], ["SMS02", 1]]
    # X's word-1 delivery of SMS01 lost (a later state): SMS01 still reached X on day 0
    load(conn, tmp_path, "third.csv", [replace(second[0], status="UNDELIV", done_minute=30)])
    assert conn.execute("SELECT wave_id, recipients FROM reach_cells ORDER BY 1").fetchall() \
        == [("SMS01", 2), ("SMS02", 1)]
    # and X's day-0 delivery too: SMS01 reached Y only
    load(conn, tmp_path, "fourth.csv", [replace(first[-1], status="UNDELIV", done_minute=30)])
    assert conn.execute("SELECT wave_id, recipients FROM reach_cells ORDER BY 1").fetchall() \
        == [("SMS01", 1), ("SMS02", 1)]
    assert db.run(conn, "marts/reach_wave", **params)["unique_reach"].tolist() == [1, 1]


def test_the_sketch_past_127_pairs(catalogued, tmp_path):
    conn = catalogued
    rows = campaign(300)
    load(conn, tmp_path, "a.csv", rows[:450])
    load(conn, tmp_path, "b.csv", rows[450:])
    assert conn.execute("SELECT max(slot) FROM reach_sketch").fetchall()[0][0] >= 254
    kept = sorted(conn.execute("SELECT * FROM reach_sketch").fetchall(), key=str)
    sketch.rebuild_sketch(conn)
    assert sorted(conn.execute("SELECT * FROM reach_sketch").fetchall(), key=str) == kept
    truth = final_states(rows)
    for filters in FILTERS[:3]:
        params = {**filters.params(), "approximate": True}
        total = db.run(conn, "marts/reach_totals", **params)["unique_reach"].iloc[0]
        expected = distinct(truth, lambda r: 0, filters)[0]  # 23 numbers at most
        assert abs(total - expected) <= 1, filters  # 4,096 registers: at most one collision


# ------------------------------------------------------------------------------------------
# a database from before words (migration 0009)
# ------------------------------------------------------------------------------------------

OLD_SKETCH = ("CREATE TABLE reach_sketch (slot SMALLINT NOT NULL, operator VARCHAR NOT NULL, "
              "province_code SMALLINT, plane UTINYINT NOT NULL, bits BIT NOT NULL)")


def migrated_before(path, version: int) -> duckdb.DuckDBPyConnection:
    """A new database file with the schema and the migrations before `version`, as an earlier
    release left it."""
    conn = duckdb.connect(str(path))
    conn.execute(db.sql_text("ddl/schema"))
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                 "name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)")
    for applied, name in db.migrations():
        if applied < version:
            conn.execute(db.sql_text(name))
            conn.execute("INSERT INTO schema_migrations VALUES ($v, $n, now())",
                         {"v": applied, "n": name})
    return conn


def pre_0009_database(path) -> None:
    """The schema up to migration 0008 with a unique-reach rollup of two receipts: recipient
    11 reached on both days of SMS01 (slots 0 and 1: bits 0b11), recipient 12 on the second
    (0b10)."""
    conn = migrated_before(path, 9)
    conn.execute(OLD_SKETCH)
    conn.execute("INSERT INTO reach_slots VALUES (0, 'SMS01', DATE '2024-01-01'), "
                 "(1, 'SMS01', DATE '2024-01-02')")
    conn.execute("INSERT INTO reach_recipients VALUES (11, 'telkomsel', 32, 3), "
                 "(12, 'telkomsel', 32, 2)")
    conn.execute("INSERT INTO reach_sketch VALUES (1, 'telkomsel', 32, 1, '1010'::BIT)")
    conn.close()


def test_a_database_from_before_words_migrates_with_its_rows(tmp_path):
    path = tmp_path / "old.duckdb"
    pre_0009_database(path)
    with db.connect(path) as conn:
        assert db.schema_version(conn) == db.migrations()[-1][0]
        assert conn.execute("SELECT * FROM reach_recipients ORDER BY 1").fetchall() == [
            (11, "telkomsel", 32, 3, 0, True), (12, "telkomsel", 32, 2, 0, True)]
        assert conn.execute("SELECT * FROM reach_slots ORDER BY 1").fetchall() == [
            (0, "SMS01", d(0)), (1, "SMS01", d(1))]
        types = dict(conn.execute(
            "SELECT table_name || '.' || column_name, data_type FROM duckdb_columns() "
            "WHERE column_name IN ('slot', 'word')").fetchall())
        assert types == {"reach_slots.slot": "INTEGER", "reach_sketch.slot": "INTEGER",
                         "reach_recipients.word": "INTEGER"}
        # the per-wave rollup, rebuilt from the kept rows: both recipients reached SMS01
        assert conn.execute("SELECT * FROM reach_cells").fetchall() == [
            ("SMS01", "telkomsel", 32, 2)]
        # word-aware queries read the old rows: day 2 reached both, day 1 recipient 11 only
        for day, reach in ((d(0), 1), (d(1), 2)):
            found = conn.execute("SELECT * FROM reach_wave_unique($d, $d, NULL, NULL, NULL)",
                                 {"d": day}).fetchall()
            assert found == [("SMS01", reach)]
    with db.connect(path) as conn:  # nothing is applied twice
        assert db.migrate(conn) == []


def test_the_word_migration_is_safe_to_repeat(tmp_path):
    path = tmp_path / "old.duckdb"
    pre_0009_database(path)
    with db.connect(path) as conn:
        conn.execute(db.sql_text("ddl/migrations/0009_reach_words"))
        assert conn.execute("SELECT * FROM reach_recipients ORDER BY 1").fetchall() == [
            (11, "telkomsel", 32, 3, 0, True), (12, "telkomsel", 32, 2, 0, True)]
        assert conn.execute("SELECT count(*) FROM reach_slots").fetchall() == [(2,)]


# ------------------------------------------------------------------------------------------
# a database from before the alone flag (migration 0013)
# ------------------------------------------------------------------------------------------

def test_the_alone_migration_flags_the_rows_a_database_has(tmp_path):
    """Recipient 11 has one row; 12 two (two operators); 13 two (two words): only 11's row is
    alone, and exact reach counts each recipient once before and after."""
    path = tmp_path / "old.duckdb"
    conn = migrated_before(path, 13)
    conn.execute("INSERT INTO reach_slots VALUES (0, 'SMS01', DATE '2024-01-01'), "
                 "(127, 'SMS02', DATE '2024-01-02')")
    conn.execute("INSERT INTO reach_recipients VALUES (11, 'telkomsel', 32, 1, 0), "
                 "(12, 'telkomsel', 32, 1, 0), (12, 'xl', 32, 1, 0), "
                 "(13, 'telkomsel', 33, 1, 0), (13, 'telkomsel', 33, 1, 1)")
    conn.close()
    with db.connect(path) as conn:
        assert conn.execute("SELECT recipient_key, operator, word, alone FROM reach_recipients "
                            "ORDER BY ALL").fetchall() == [
            (11, "telkomsel", 0, True), (12, "telkomsel", 0, False), (12, "xl", 0, False),
            (13, "telkomsel", 0, False), (13, "telkomsel", 1, False)]
        counts = {(o, n) for o, _, n in conn.execute(
            "SELECT * FROM reach_unique(NULL, NULL, NULL, NULL, NULL, true, false)").fetchall()}
        assert counts == {("telkomsel", 3), ("xl", 1)}
        assert conn.execute("SELECT * FROM reach_unique(NULL, NULL, NULL, NULL, NULL, false, "
                            "false)").fetchall() == [(None, None, 3)]
        assert sorted(conn.execute("SELECT * FROM reach_wave_unique(NULL, NULL, NULL, NULL, "
                                   "NULL)").fetchall()) == [("SMS01", 3), ("SMS02", 1)]
        conn.execute(db.sql_text("ddl/migrations/0013_reach_alone"))  # safe to repeat
        assert conn.execute("SELECT count(*) FILTER (WHERE alone) FROM reach_recipients"
                            ).fetchall() == [(1,)]
