"""HyperLogLog unique reach (queries/ddl/sketch.sql, dashboard/sketch.py): the estimator against
textbook numbers and a reference implementation, accuracy, merge and refresh against a
rebuild, the freshness guard, the exact/approximate switch and the pages' labels."""

from __future__ import annotations

import math
import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import cli, config, db, sketch, tables
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from tests.conftest import HEADER, receipt, write

P = sketch.PRECISION
M = sketch.REGISTERS
MAX_RANK = 64 - P + 1
APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


# --- a pure-Python reference HyperLogLog (Flajolet, Fusy, Gandouet, Meunier 2007) ---------


def ref_register_rank(key: int, p: int = P) -> tuple[int, int]:
    """Register = the low p bits; rank = 1 + trailing zeros of the other 64 - p bits."""
    w = key >> p
    rank = (w & -w).bit_length() if w else 64 - p + 1
    return key & ((1 << p) - 1), rank


def ref_registers(keys, p: int = P) -> dict[int, int]:
    registers: dict[int, int] = {}
    for key in keys:
        register, rank = ref_register_rank(int(key), p)
        registers[register] = max(registers.get(register, 0), rank)
    return registers


def ref_alpha(m: int) -> float:
    return {16: 0.673, 32: 0.697, 64: 0.709}.get(m, 0.7213 / (1 + 1.079 / m))


def ref_estimate(registers: dict[int, int], m: int = M) -> float:
    z = sum(2.0 ** -registers.get(j, 0) for j in range(m))
    empty = m - len(registers)
    raw = ref_alpha(m) * m * m / z
    if raw <= 2.5 * m and empty > 0:
        return m * math.log(m / empty)
    return raw


# --- helpers ---------------------------------------------------------------------------------


def scalar(conn, sql: str, params: dict | None = None):
    return conn.execute(sql, params or {}).fetchall()[0][0]


def load_keys(conn, keys_sql: str, params: dict | None = None) -> None:
    """Put the keys of `keys_sql` (one column, key) into the sketch as one file of delivered
    receipts of one wave, operator and province, through merge_sketch.sql."""
    conn.execute("INSERT INTO reach_slots VALUES (0, 'W1', DATE '2024-01-01')")
    conn.execute(
        f"""CREATE OR REPLACE TEMP TABLE test_file AS
        SELECT key AS recipient_key, 'telkomsel' AS operator, 32::SMALLINT AS province_code,
               'W1' AS wave_id, DATE '2024-01-01' AS send_date, 'DELIVRD' AS status
        FROM ({keys_sql})""", params or {})  # noqa: S608 - test SQL from the test's own text
    conn.execute("CREATE OR REPLACE TEMP VIEW file_loaded AS SELECT * FROM test_file")
    sketch.merge_file(conn, 1)


def close(estimate: float, exact: float) -> bool:
    """Within four standard errors (at least one recipient)."""
    return abs(estimate - exact) <= max(1.0, 4 * sketch.STANDARD_ERROR * exact)


def estimate(conn) -> int:
    return scalar(conn, "SELECT unique_reach FROM reach_unique_approx(NULL, NULL, NULL, NULL, "
                        "NULL, false, false)")


def sketch_rows(conn) -> pd.DataFrame:
    return conn.execute(
        "SELECT slot, operator, province_code, plane, bits::VARCHAR AS bits FROM reach_sketch "
        "ORDER BY ALL").df()


# --- the estimator ---------------------------------------------------------------------------


def test_python_and_sql_agree_on_the_precision():
    conn = db.memory_connection()
    assert scalar(conn, "SELECT hll_p()") == P
    assert scalar(conn, "SELECT hll_m()") == M
    assert sketch.STANDARD_ERROR == pytest.approx(1.04 / math.sqrt(M))


@pytest.mark.parametrize(("m", "alpha"), [
    (16, 0.673), (32, 0.697), (64, 0.709),
    (128, 0.7213 / (1 + 1.079 / 128)), (2048, 0.7213 / (1 + 1.079 / 2048)),
    (4096, 0.7213 / (1 + 1.079 / 4096)), (16384, 0.7213 / (1 + 1.079 / 16384)),
])
def test_alpha_constants_are_the_papers(conn, m, alpha):
    assert scalar(conn, "SELECT hll_alpha($m)", {"m": m}) == pytest.approx(alpha, rel=1e-12)


@pytest.mark.parametrize(("m", "ranks", "expected"), [
    # 16 registers, 3 used (ranks 1, 2, 1), 13 empty: z = 13 + 0.5 + 0.25 + 0.5 = 14.25,
    # raw 0.673 * 256 / 14.25 = 12.09 <= 2.5 m = 40, so linear counting 16 ln(16 / 13)
    (16, [1, 2, 1], 16 * math.log(16 / 13)),
    # every register at rank 5: z = 16 / 32 = 0.5, no empty register: raw 0.673 * 256 / 0.5
    (16, [5] * 16, 0.673 * 256 / 0.5),
    # 15 registers at rank 10, one empty: raw = 0.673 * 256 / (1 + 15 / 1024) = 169.8 > 40, so
    # the raw estimate stays although a register is empty
    (16, [10] * 15, 0.673 * 256 / (1 + 15 / 1024)),
    # 15 registers at rank 1, one empty: raw 0.673 * 256 / (1 + 7.5) = 20.3 <= 40 and one
    # empty register: linear counting 16 ln(16 / 1)
    (16, [1] * 15, 16 * math.log(16)),
    # 32 registers, 8 at rank 3: raw 0.697 * 1024 / (24 + 1) = 28.5 <= 80: 32 ln(32 / 24)
    (32, [3] * 8, 32 * math.log(32 / 24)),
    # nothing at all
    (64, [], 0.0),
])
def test_estimate_matches_hand_computed_register_sets(conn, m, ranks, expected):
    z = (m - len(ranks)) + sum(2.0 ** -r for r in ranks)
    got = scalar(conn, "SELECT hll_estimate($m, $z, $v)",
                 {"m": m, "z": z, "v": m - len(ranks)})
    assert got == pytest.approx(expected, rel=1e-12)
    registers = dict(enumerate(ranks))
    if ranks:
        assert ref_estimate(registers, m) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("key", "register", "rank"), [
    (0, 0, MAX_RANK),                      # all bits zero: rank 64 - p + 1
    (1 << P, 0, 1),                        # lowest hash bit set
    (1 << (P + 1), 0, 2),
    (3 << P, 0, 1),
    (5 << (P + 7), 0, 8),
    (1 << 63, 0, 64 - P),                  # only the top bit set
    ((1 << 64) - 1, M - 1, 1),
    (M - 1, M - 1, MAX_RANK),              # register bits only
    ((1 << 52) | 7, 7, 52 - P + 1),        # near a power of two: no float rounding
    ((1 << 53) + (1 << P), 0, 1),
])
def test_register_and_rank_of_a_key(conn, key, register, rank):
    got = conn.execute("SELECT hll_register($k::UBIGINT), hll_rank($k::UBIGINT)",
                       {"k": key}).fetchall()[0]
    assert got == (register, rank)
    assert ref_register_rank(key) == (register, rank)


def test_register_and_rank_agree_with_the_reference_on_many_keys(conn):
    rows = conn.execute(
        "SELECT k, hll_register(k), hll_rank(k) FROM "
        "(SELECT hash(i) AS k FROM range(20000) t(i) UNION ALL "
        " SELECT (1::UBIGINT << (i % 64)) FROM range(64) t(i))").fetchall()
    assert all(ref_register_rank(k) == (reg, rank) for k, reg, rank in rows)


@pytest.mark.parametrize("n", [1, 10, 500, 3000, 10_000, 50_000])
def test_sql_estimate_equals_the_reference_implementation(conn, n):
    load_keys(conn, "SELECT recipient_key('k', '628' || i::VARCHAR) AS key FROM range($n) t(i)",
              {"n": n})
    keys = [k for (k,) in conn.execute("SELECT recipient_key FROM test_file").fetchall()]
    registers = ref_registers(keys)
    stored = dict(conn.execute("SELECT register, rank FROM "
                               "sketch_registers(NULL, NULL, NULL, NULL, NULL)").fetchall())
    assert stored == registers
    assert estimate(conn) == round(ref_estimate(registers))


# --- accuracy --------------------------------------------------------------------------------


@pytest.mark.parametrize(("distinct", "copies"), [(1_000, 3), (10_000, 2), (100_000, 2),
                                                  (1_000_000, 1)])
def test_estimate_is_within_four_standard_errors(conn, distinct, copies):
    load_keys(conn, "SELECT recipient_key('acc', '628' || (i % $d)::VARCHAR) AS key "
                    "FROM range($rows) t(i)", {"d": distinct, "rows": distinct * copies})
    exact = scalar(conn, "SELECT count(DISTINCT recipient_key) FROM test_file")
    assert exact == distinct
    assert abs(estimate(conn) / exact - 1) <= 4 * sketch.STANDARD_ERROR


@pytest.fixture(scope="module")
def sample_copy(sample_db, tmp_path_factory) -> Path:
    """A copy of the sample database (the session's stays untouched), its sketch current."""
    path = tmp_path_factory.mktemp("sketch") / "sample.duckdb"
    shutil.copy(sample_db, path)
    with db.connect(path) as conn:  # the sketch is rebuilt if ingest did not keep it
        assert sketch.is_current(conn)
    return path


@pytest.fixture
def sample(sample_copy):
    with db.connect(sample_copy) as conn:
        yield conn


SPLITS = {  # table -> (its keys, the same grouping over receipts)
    "reach_totals": ([], "1"),
    "reach_operator": (["operator"], "operator"),
    "reach_province": (["province_code"], "province_code"),
    "reach_operator_province": (["operator", "province_code"], "operator, province_code"),
    "reach_wave": (["wave_id"], "wave_id"),
}


@pytest.mark.parametrize("name", list(SPLITS))
@pytest.mark.parametrize("filters", [
    Filters(), Filters(operators=("telkomsel", "xl")), Filters(provinces=(31, 32, 33)),
    Filters(waves=("SMS02", "SMS05")), Filters(date_from=date(2024, 1, 1)),
], ids=["none", "operators", "provinces", "waves", "from-january"])
def test_splits_on_the_sample_are_within_four_standard_errors(sample, name, filters):
    keys, grouping = SPLITS[name]
    params = filters.params()
    exact = sample.execute(
        f"""SELECT {grouping}, count(DISTINCT recipient_key) AS exact FROM receipts
        WHERE status = 'DELIVRD' AND in_filters(send_date, wave_id, operator, province_code,
              $date_from, $date_to, $waves, $operators, $provinces)
          AND (wave_id, send_date) IN (SELECT wave_id, send_date FROM reach_slots)
        GROUP BY ALL""", params).df()  # noqa: S608 - grouping from SPLITS above
    estimated = tables.table(sample, name, filters, approximate=True)
    assert sketch.is_approximate(estimated)
    both = (estimated.merge(exact, on=keys) if keys
            else estimated.assign(exact=exact["exact"].to_numpy()))
    assert len(both) == len(exact.dropna(subset=["exact"]))
    allowed = (4 * sketch.STANDARD_ERROR * both["exact"]).clip(lower=1)
    assert ((both["unique_reach"] - both["exact"]).abs() <= allowed).all(), both


def test_approximate_tables_keep_the_exact_columns_and_values(sample):
    for name in tables.REACH_QUERIES:
        exact = tables.reach_table(sample, name, Filters(), approximate=False)
        estimated = tables.reach_table(sample, name, Filters(), approximate=True)
        assert list(estimated.columns) == [*exact.columns, sketch.APPROXIMATE_COLUMN], name
        assert estimated[sketch.APPROXIMATE_COLUMN].all()
        same = [c for c in exact.columns if "unique_reach" not in c]
        pd.testing.assert_frame_equal(estimated[same], exact[same], check_dtype=False)
        assert (estimated["unique_reach"] <= estimated["delivered"]).all(), name


@pytest.mark.parametrize("name", sorted(tables.REACH_QUERIES))
def test_approximate_marts_state_params_and_grain(name):
    header = db.sql_text(f"approx/{name}").split("\n\n")[0]
    assert "Params:" in header and "Grain:" in header
    assert db.query_params(f"approx/{name}") == db.query_params(f"marts/{name}")


# --- merge and refresh -----------------------------------------------------------------------


def test_merging_file_by_file_equals_the_rebuild(sample):
    rebuilt = sketch_rows(sample)
    files = [i for (i,) in sample.execute(
        "SELECT DISTINCT ingest_id FROM receipts ORDER BY 1").fetchall()]
    assert len(files) > 3
    sample.execute("BEGIN TRANSACTION")
    try:
        sample.execute("DELETE FROM reach_sketch")
        sample.execute("UPDATE reach_sketch_state SET ingest_id = NULL")
        sample.execute("CREATE OR REPLACE TEMP TABLE test_ingest (id INTEGER)")
        sample.execute("CREATE OR REPLACE TEMP VIEW file_loaded AS SELECT * FROM receipts "
                       "WHERE ingest_id = (SELECT id FROM test_ingest)")
        sample.execute("CREATE OR REPLACE TEMP TABLE test_log AS SELECT * FROM ingest_log")
        sample.execute("DELETE FROM ingest_log WHERE kind = 'receipts'")
        for ingest_id in files:  # as ingest would: the file's log row is written after
            sample.execute("DELETE FROM test_ingest")
            sample.execute("INSERT INTO test_ingest VALUES ($id)", {"id": ingest_id})
            before = len(sketch_rows(sample))
            sketch.merge_file(sample, ingest_id)
            assert len(sketch_rows(sample)) >= before
            sample.execute("INSERT INTO ingest_log SELECT * FROM test_log WHERE ingest_id = $id",
                           {"id": ingest_id})
        merged = sketch_rows(sample)
        assert sketch.is_current(sample)
    finally:
        sample.execute("ROLLBACK")
    pd.testing.assert_frame_equal(merged, rebuilt)


def test_refresh_after_replaced_receipts_equals_a_rebuild(sample):
    sample.execute("BEGIN TRANSACTION")
    try:
        # a later file turned some delivered receipts of (SMS03, telkomsel) into failures
        # and moved others to another province
        changed = sample.execute(
            """UPDATE receipts SET status = CASE WHEN hash(message_id) % 3 = 0 THEN 'UNDELIV'
                                                 ELSE status END,
                                   province_code = CASE WHEN hash(message_id) % 3 = 1
                                                        THEN 94 ELSE province_code END
            WHERE wave_id = 'SMS03' AND operator = 'telkomsel' AND status = 'DELIVRD'
            """).fetchall()[0][0]
        assert changed > 100
        before = sketch_rows(sample)
        sample.execute("CREATE OR REPLACE TEMP TABLE touched AS "
                       "SELECT 'SMS03' AS wave_id, 'telkomsel' AS operator")
        last = scalar(sample, "SELECT max(ingest_id) FROM ingest_log")
        sketch.refresh_touched(sample, last + 1)
        refreshed = sketch_rows(sample)
        sample.execute(db.sql_text("staging/rebuild_sketch"))
        rebuilt = sketch_rows(sample)
    finally:
        sample.execute("ROLLBACK")
    assert not before.equals(rebuilt)  # the change mattered
    pd.testing.assert_frame_equal(refreshed, rebuilt)


def test_merge_only_touches_the_files_groups(sample):
    sample.execute("BEGIN TRANSACTION")
    try:
        before = sketch_rows(sample)
        sample.execute(
            """CREATE OR REPLACE TEMP VIEW file_loaded AS
            SELECT hash(recipient_key, 'new') AS recipient_key, operator, province_code,
                   wave_id, send_date, status
            FROM receipts WHERE operator = 'xl' AND province_code = 32""")
        last = scalar(sample, "SELECT max(ingest_id) FROM ingest_log")
        sketch.merge_file(sample, last + 1)
        after = sketch_rows(sample)
        assert scalar(sample, "SELECT ingest_id FROM reach_sketch_state") == last + 1
    finally:
        sample.execute("ROLLBACK")
    untouched = ~((before["operator"] == "xl") & (before["province_code"] == 32))
    kept = after[~((after["operator"] == "xl") & (after["province_code"] == 32))]
    pd.testing.assert_frame_equal(kept.reset_index(drop=True),
                                  before[untouched].reset_index(drop=True))
    assert len(after) >= len(before)


# --- freshness -------------------------------------------------------------------------------


def campaign_lines(n: int = 300) -> list[str]:
    lines = [HEADER]
    for i in range(n):
        operator = ("telkomsel", "xl")[i % 2]
        prefix = {"telkomsel": "0812", "xl": "0817"}[operator]
        lines.append(receipt(f"M{i}", msisdn=f"{prefix}{i % 120:08d}", operator=operator,
                             province=("32", "33", "94")[i % 3], wave=f"SMS0{i % 2 + 1}",
                             status="UNDELIV" if i % 7 == 0 else "DELIVRD",
                             submitted=f"2024-01-0{i % 2 + 1} 10:00:00",
                             done=f"2024-01-0{i % 2 + 1} 10:01:00"))
    return lines


def test_a_sketch_that_missed_a_file_is_not_used_and_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv(config.EXACT_REACH_ENV, "approximate")
    path = tmp_path / "fresh.duckdb"
    with db.connect(path) as conn:
        assert sketch.is_current(conn)  # empty database: nothing to miss
        ingest_file(conn, write(tmp_path, "a.csv", campaign_lines()))
        if not sketch.is_current(conn):  # receipts ingest does not keep the sketch (yet)
            assert not sketch.use_sketch(conn)  # stale: exact, never wrong
            assert sketch.APPROXIMATE_COLUMN not in tables.table(conn, "reach_totals")
    with db.connect(path) as conn:  # a writable connect rebuilds it
        assert sketch.is_current(conn)
        assert sketch.use_sketch(conn)
        exact = tables.table(conn, "reach_totals", approximate=False).iloc[0]["unique_reach"]
        estimated = tables.table(conn, "reach_totals")
        assert sketch.is_approximate(estimated)
        assert close(estimated.iloc[0]["unique_reach"], exact)
        conn.execute("UPDATE reach_sketch_state SET p = p + 1")  # built with another precision
        assert not sketch.is_current(conn)
    with db.connect(path, read_only=True) as conn:  # read-only: cannot rebuild, stays exact
        assert not sketch.use_sketch(conn)
    with db.connect(path) as conn:
        assert sketch.is_current(conn)


def test_merge_into_a_stale_sketch_rebuilds_it(sample):
    sample.execute("BEGIN TRANSACTION")
    try:
        rebuilt = sketch_rows(sample)
        sample.execute("DELETE FROM reach_sketch WHERE operator = 'telkomsel'")  # lost
        sample.execute("UPDATE reach_sketch_state SET ingest_id = ingest_id - 1")  # missed one
        sample.execute("CREATE OR REPLACE TEMP VIEW file_loaded AS "
                       "SELECT * FROM receipts WHERE false")
        last = scalar(sample, "SELECT max(ingest_id) FROM ingest_log")
        sketch.merge_file(sample, last + 1)
        assert sketch_rows(sample).equals(rebuilt)
        assert scalar(sample, "SELECT ingest_id FROM reach_sketch_state") == last + 1
    finally:
        sample.execute("ROLLBACK")


# --- the switch ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (None, config.DEFAULT_EXACT_REACH_MAX_ROWS), ("", config.DEFAULT_EXACT_REACH_MAX_ROWS),
    ("exact", None), ("EXACT", None), ("approximate", 0), ("0", 0), ("2_500_000", 2_500_000),
])
def test_threshold_setting(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv(config.EXACT_REACH_ENV, raising=False)
    else:
        monkeypatch.setenv(config.EXACT_REACH_ENV, value)
    assert config.exact_reach_max_rows() == expected


@pytest.mark.parametrize("value", ["many", "-1", "1.5"])
def test_a_wrong_threshold_setting_says_how_to_fix_it(monkeypatch, value):
    monkeypatch.setenv(config.EXACT_REACH_ENV, value)
    with pytest.raises(config.ConfigError, match=config.EXACT_REACH_ENV):
        config.exact_reach_max_rows()


@pytest.mark.parametrize(("setting", "approximate"), [
    ("exact", False), ("approximate", True), ("1000000000", False), ("10", True),
])
def test_the_switch_follows_the_setting_and_the_size(sample, monkeypatch, setting, approximate):
    monkeypatch.setenv(config.EXACT_REACH_ENV, setting)
    assert sketch.use_sketch(sample) is approximate
    for name in sorted(tables.REACH_QUERIES):
        frame = tables.reach_table(sample, name, Filters(operators=("xl",)))
        assert sketch.is_approximate(frame) is approximate, name
        if not approximate:  # forced exact: today's numbers, to the digit
            expected = db.run(sample, f"marts/{name}", **Filters(operators=("xl",)).params())
            pd.testing.assert_frame_equal(frame, expected)


def test_participation_uses_the_switch_and_flags_its_download(sample, monkeypatch):
    monkeypatch.setenv(config.EXACT_REACH_ENV, "approximate")
    frame = tables.participation_provinces(sample, Filters())
    assert frame[sketch.APPROXIMATE_COLUMN].all()
    exact = tables.participation_provinces(sample, Filters(), approximate=False)
    assert sketch.APPROXIMATE_COLUMN not in exact
    pd.testing.assert_series_equal(frame["delivered_per_voter"], exact["delivered_per_voter"])
    tests = tables.participation_tests(sample, Filters())
    assert len(tests) and tests["n"].notna().all()


def test_cli_export_stays_exact(sample_copy, tmp_path, monkeypatch):
    monkeypatch.setenv(config.EXACT_REACH_ENV, "approximate")
    out = tmp_path / "reach_operator.csv"
    assert cli.main(["export", "reach_operator", "--db", str(sample_copy), "--out", str(out)]) == 0
    exported = pd.read_csv(out, encoding="utf-8-sig")
    assert sketch.APPROXIMATE_COLUMN not in exported.columns
    with db.connect(sample_copy, read_only=True) as conn:
        exact = dict(conn.execute(
            "SELECT operator, count(DISTINCT recipient_key) FROM receipts "
            "WHERE status = 'DELIVRD' GROUP BY ALL").fetchall())
    assert dict(zip(exported["operator"], exported["unique_reach"], strict=True)) == exact


def test_weekly_summary_marks_estimated_reach(sample, monkeypatch):
    from dashboard import brief, weekly

    monkeypatch.setenv(config.EXACT_REACH_ENV, "approximate")
    summary = weekly.weekly_summary(sample, weekly.latest_week(sample), "id")
    assert summary.reach_approximate
    assert summary.kpis["unique_reach"].formatted("id").startswith("≈ ")
    assert not summary.kpis["sent"].formatted("id").startswith("≈")
    assert any("HyperLogLog" in note for note in brief.methods_note(summary))
    monkeypatch.setenv(config.EXACT_REACH_ENV, "exact")
    summary = weekly.weekly_summary(sample, weekly.latest_week(sample), "en")
    assert not summary.reach_approximate
    assert not summary.kpis["unique_reach"].formatted("en").startswith("≈")


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_db(tmp_path_factory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("sketch_app")
    path = folder / "app.duckdb"
    with db.connect(path) as conn:
        ingest_file(conn, write(folder, "receipts.csv", campaign_lines()))
        exact = scalar(conn, "SELECT count(DISTINCT recipient_key) FROM receipts "
                             "WHERE status = 'DELIVRD'")
    return path, exact


@pytest.fixture
def page(app_db, monkeypatch):
    monkeypatch.setenv("PEMILU_DB", str(app_db[0]))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


def reach_tile(at: AppTest, label: str = "Jangkauan unik") -> str:
    return next(m.value for m in at.metric if m.label == label)


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_overview_forced_exact_shows_the_exact_count(page, app_db, monkeypatch):
    monkeypatch.setenv(config.EXACT_REACH_ENV, "exact")
    page.run()
    assert not page.exception, page.exception
    assert reach_tile(page) == str(app_db[1])
    assert not any("HyperLogLog" in c for c in captions(page))


@pytest.mark.parametrize(("lang", "label", "words"), [
    ("id", "Jangkauan unik", "Jangkauan unik diperkirakan (HyperLogLog, galat baku ±1,6%)"),
    ("en", "Unique reach", "Unique reach is estimated (HyperLogLog, standard error ±1.6%)"),
])
def test_overview_forced_approximate_labels_the_estimate(page, app_db, monkeypatch, lang,
                                                         label, words):
    monkeypatch.setenv(config.EXACT_REACH_ENV, "approximate")
    page.run()
    page.button_group(key="lang").set_value(lang).run()
    assert not page.exception, page.exception
    value = reach_tile(page, label)
    assert value.startswith("≈ ")
    assert close(int(re.sub(r"\D", "", value)), app_db[1])
    assert any(words in c for c in captions(page)), captions(page)


def test_reach_page_forced_approximate_labels_tables_and_map(page, monkeypatch):
    monkeypatch.setenv(config.EXACT_REACH_ENV, "approximate")
    page.run()
    page.switch_page("app_pages/jangkauan.py").run()
    assert not page.exception, page.exception
    assert sum("HyperLogLog" in c for c in captions(page)) == 1
    page.selectbox(key="map_metric").set_value("unique_reach").run()
    assert sum("HyperLogLog" in c for c in captions(page)) == 2  # beside the map too
    labels = [str(c) for frame in page.dataframe for c in frame.value.columns]
    assert "Jangkauan unik diperkirakan" not in labels  # on screen the caption says it


def test_reach_page_forced_exact_has_no_estimate_label(page, monkeypatch):
    monkeypatch.setenv(config.EXACT_REACH_ENV, "exact")
    page.run()
    page.switch_page("app_pages/jangkauan.py").run()
    assert not page.exception, page.exception
    assert not any("HyperLogLog" in c for c in captions(page))
