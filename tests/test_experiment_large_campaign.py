"""A frozen experiment read in large-campaign mode (issue 19, point 4). Cluster designs:
compliance counted from the rollup unit_receipt_counts (queries/rollups/unit_receipt_counts.sql,
through the macro unit_counts(waves) of store/rollups.py) gives the native tables to the row,
except the distinct-recipient columns, which an additive rollup cannot give (NULL, and the page
says why). Designs by numbers (individual): the rollups number_arm_counts and number_reached
(queries/rollups/number_*.sql over the lake's hold-out columns, lake/lake_receipts.sql;
macros number_counts, number_reached) give the native compliance, distinct numbers included,
and the respondents' `reached`, to the row; rollups that do not hold the experiment's
receipts give no count, never 0.

Two levels: the marts' contract on hand-made rows (the rows and hand-worked counts of
tests/test_experiment_marts.py, moved into the cluster's table), and the sample campaign
with its frozen regency experiment plus a province experiment frozen here, native against
attached (the folder DuckDB writes from the shared files: tests/test_cluster_attach.py),
with one regency counted from the raw sample file by this test's own reading of it."""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import config, reference
from dashboard.experiment import plan
from dashboard.experiment.assignment import assign_clusters
from dashboard.experiment.strata import stratum_of
from dashboard.store import db
from tests.test_cluster_attach import attached_database, write_folder
from tests.test_experiment_marts import (
    COMPLIANCE_COLUMNS,
    UNIT_COLUMNS,
    load_experiments,
    rows,
)

RECIPIENT_COLUMNS = ("recipients_sent", "recipients_delivered")  # distinct numbers


# --- the marts' contract on hand-made rows ----------------------------------------------------

def to_large_mode(conn, *, with_unit_counts: bool = True, keep_receipts: bool = False,
                  with_number_counts: bool = True) -> None:
    """The hand-made database as `cluster attach` leaves one: the rollups' rows computed from
    the receipts (the shared files; number_reached stored as attach stores it), the receipts
    and buckets gone, cluster_rollups naming the source. A manifest without
    unit_receipt_counts (or the number rollups): rollups attached before the rollup existed.
    keep_receipts: receipts left beside the rollup (attach and ingest never allow it)."""
    from dashboard.cluster.attach import REACHED_COPY
    from dashboard.store.rollups import NUMBER_COUNTS, NUMBER_REACHED, UNIT_COUNTS, rollup_sql

    for table in (UNIT_COUNTS, NUMBER_COUNTS):
        shared = rollup_sql(table, "SELECT * FROM receipts")
        conn.execute(f"INSERT INTO {table} {shared}")  # noqa: S608 - our own query text
    conn.execute("CREATE TEMP TABLE cluster_number_reached AS "  # noqa: S608 - our own text
                 + rollup_sql(NUMBER_REACHED, "SELECT * FROM receipts"))
    conn.execute(REACHED_COPY)
    conn.execute("DROP TABLE cluster_number_reached")
    if not keep_receipts:
        conn.execute("DELETE FROM receipts")
        conn.execute("DELETE FROM holdout_buckets WHERE experiment_id IN (SELECT "
                     "experiment_id FROM experiments WHERE design = 'individual') AND "
                     "recipient_key NOT IN (SELECT respondent_key FROM survey_responses "
                     "WHERE respondent_key IS NOT NULL)")  # the respondents' stay (survey)
    named = ((UNIT_COUNTS,) if with_unit_counts else ()) + (
        (NUMBER_COUNTS, NUMBER_REACHED) if with_number_counts else ())
    rollups = {table: {"path": table, "rows": 1} for table in named}
    conn.execute("INSERT INTO cluster_rollups VALUES ('spark', '/lake', now(), true, '/f', "
                 "$manifest, now())", {"manifest": json.dumps({"rollups": rollups})})


@pytest.mark.parametrize(("experiment", "expected"), [
    # tests/test_experiment_marts.py's rows, worked by hand there; distinct numbers unknown
    ("E1", [
        ("telkomsel", "holdout", 2, 1, None, None, 1, 1),
        ("telkomsel", "blast", 3, 3, None, None, 1, 2),
        ("xl", "holdout", 0, 0, None, None, 0, 1),
        ("xl", "blast", 1, 1, None, None, 1, 2),
        ("xl", "unplaced", 2, 2, None, None, 0, None),  # no regency; a regency outside
    ]),
    ("E2", [  # province units
        ("indosat", "holdout", 1, 0, None, None, 0, 1),
        ("indosat", "blast", 1, 1, None, None, 1, 2),
    ]),
    ("E3", [  # a design by numbers: the native rows, distinct numbers exact (the rollup's grain)
        ("telkomsel", "holdout", 1, 1, 1, 1, 1, None),
        ("telkomsel", "blast", 2, 1, 1, 1, 1, None),
        ("telkomsel", "unplaced", 2, 2, 2, 2, 2, None),
        ("xl", "holdout", 1, 0, 1, 0, 0, None),
        ("xl", "blast", 0, 0, 0, 0, 0, None),
    ]),
    ("nope", []),
])
def test_large_mode_compliance_is_the_native_count_without_distinct_numbers(
        conn, experiment, expected):
    load_experiments(conn)
    to_large_mode(conn)
    frame = db.run(conn, "marts/experiment_compliance", experiment_id=experiment)
    assert list(frame.columns) == COMPLIANCE_COLUMNS
    assert rows(frame, COMPLIANCE_COLUMNS) == expected


def test_receipts_beside_the_cluster_s_rows_are_never_counted_twice(conn):
    load_experiments(conn)
    to_large_mode(conn, keep_receipts=True)
    frame = db.run(conn, "marts/experiment_compliance", experiment_id="E2")
    assert rows(frame, COMPLIANCE_COLUMNS) == [("indosat", "holdout", 1, 0, None, None, 0, 1),
                                               ("indosat", "blast", 1, 1, None, None, 1, 2)]


@pytest.mark.parametrize(("experiment", "expected"), [
    # unit, arm, sent, delivered, distinct numbers (tests/test_experiment_marts.py's counts)
    ("E1", [(3171, "blast", 1, 1, None), (3201, "holdout", 2, 1, None),
            (3202, "blast", 3, 3, None)]),
    ("E2", [(32, "blast", 0, 0, None), (91, "holdout", 1, 0, None),
            (93, "blast", 1, 1, None)]),
])
def test_large_mode_units_outcome_counts_each_unit_s_receipts(conn, experiment, expected):
    load_experiments(conn)
    to_large_mode(conn)
    frame = db.run(conn, "marts/experiment_units_outcome", experiment_id=experiment,
                   baseline_year=2019, outcome_year=2024)
    assert list(frame.columns) == UNIT_COLUMNS
    assert rows(frame, ["unit_code", "arm", "sent", "delivered", "recipients_delivered"]) == (
        expected)


@pytest.mark.parametrize("experiment", ["E1", "E2", "E3"])
def test_rollups_attached_before_the_unit_counts_give_no_count_never_zero(conn, experiment):
    load_experiments(conn)
    to_large_mode(conn, with_unit_counts=False)
    compliance = db.run(conn, "marts/experiment_compliance", experiment_id=experiment)
    units = db.run(conn, "marts/experiment_units_outcome", experiment_id=experiment,
                   baseline_year=2019, outcome_year=2024)
    assert compliance.empty  # the page's compliance: unknown (NaN)
    if experiment == "E3":  # numbers: no units; the placed are counted from the unit counts
        assert units.empty
        return
    assert len(units) == 3
    assert units[["sent", "delivered", "recipients_delivered"]].isna().all().all()


def test_an_empty_attached_rollup_counts_zero_for_every_unit(conn):
    """Attached, but no receipt in the experiment's waves: zeros, as natively (the units
    are there, nothing was sent)."""
    load_experiments(conn)
    conn.execute("DELETE FROM receipts")
    to_large_mode(conn)
    units = db.run(conn, "marts/experiment_units_outcome", experiment_id="E2",
                   baseline_year=2019, outcome_year=2024)
    assert rows(units, ["unit_code", "sent", "delivered"]) == [(32, 0, 0), (91, 0, 0),
                                                                (93, 0, 0)]
    assert db.run(conn, "marts/experiment_compliance", experiment_id="E2").empty


def test_native_mode_never_reads_the_cluster_table(conn):
    """A stray row in unit_receipt_counts of a native database is not counted: only the
    stored receipts are (and they are counted once)."""
    load_experiments(conn)
    conn.execute("INSERT INTO unit_receipt_counts VALUES ('W2', 'indosat', 93, NULL, true, 50)")
    frame = db.run(conn, "marts/experiment_compliance", experiment_id="E2")
    assert rows(frame, COMPLIANCE_COLUMNS) == [("indosat", "holdout", 1, 0, 1, 0, 0, 1),
                                               ("indosat", "blast", 1, 1, 1, 1, 1, 2)]


# --- designs by numbers: the edge cases, worked by hand ---------------------------------------

# E4: numbers over two waves (W4, W5), thresholds differing by province; E5: no receipts
NUMBER_EXPERIMENTS = [("E4", "individual", "number"), ("E5", "individual", "number")]
NUMBER_WAVES = [("W4", "E4"), ("W5", "E4"), ("W6", "E5")]
NUMBER_STRATA = [("E4", "telkomsel", 32, 2000), ("E4", "telkomsel", 33, 1000),
                 ("E5", "telkomsel", 32, 5000)]
NUMBER_BUCKETS = [("E4", 21, 100), ("E4", 22, 1500), ("E4", 24, 9999), ("E4", 25, 0)]
NUMBER_RECEIPTS = [  # operator, message id, wave, recipient key, province, regency, status
    ("telkomsel", "d1", "W4", 21, 32, None, "DELIVRD"),  # 100 < 2000: held out
    ("telkomsel", "d2", "W4", 21, 33, None, "DELIVRD"),  # the same number in 33: held out
    ("telkomsel", "d3", "W4", 22, 32, None, "DELIVRD"),  # 1500 < 2000: held out
    ("telkomsel", "d4", "W5", 22, 32, None, "UNDELIV"),  # the second wave: held out
    ("telkomsel", "d5", "W4", 22, 33, None, "DELIVRD"),  # 1500 >= 1000 in 33: blast
    ("telkomsel", "d6", "W4", 23, 32, None, "EXPIRED"),  # no bucket: unplaced
    ("telkomsel", "d7", "W4", 24, 34, None, "DELIVRD"),  # no stratum in 34: unplaced
    ("telkomsel", "d8", "W9", 25, 32, None, "DELIVRD"),  # another wave: not E4's
]


def load_numbers(conn) -> None:
    """tests/test_experiment_marts.py's rows and the two experiments by numbers above."""
    from tests.test_experiment_marts import insert

    load_experiments(conn)
    insert(conn, "experiments", [(e, d, u, "{}", "0" * 64, "Tester (analyst)",
                                  "2024-01-01 00:00:00+00", True)
                                 for e, d, u in NUMBER_EXPERIMENTS])
    insert(conn, "experiment_waves", NUMBER_WAVES)
    insert(conn, "experiment_strata", NUMBER_STRATA)
    insert(conn, "holdout_buckets", NUMBER_BUCKETS)
    insert(conn, "receipts", [(*r, "2024-01-10 10:00:00+07", "2024-01-10", 1)
                              for r in NUMBER_RECEIPTS])


# E4's compliance, worked by hand below
E4_ROWS = [("telkomsel", "holdout", 4, 3, 2, 2, 2, None),
           ("telkomsel", "blast", 1, 1, 1, 1, 1, None),
           ("telkomsel", "unplaced", 2, 1, 2, 1, 1, None)]


@pytest.mark.parametrize("mode", ["native", "large"])
@pytest.mark.parametrize(("experiment", "expected"), [
    ("E4", [
        # d1-d4: numbers 21 and 22, 4 receipts, 3 delivered. Per province 32 has {21, 22}
        # and 33 {21}: a sum of per-province counts would say 3 numbers; they are 2
        ("telkomsel", "holdout", 4, 3, 2, 2, 2, None),
        ("telkomsel", "blast", 1, 1, 1, 1, 1, None),  # d5: 22 is in both arms, as natively
        ("telkomsel", "unplaced", 2, 1, 2, 1, 1, None),  # d6 (no bucket), d7 (no stratum)
    ]),
    ("E5", []),  # no receipts: no rows, as natively
])
def test_numbers_counted_once_per_arm_in_both_modes(conn, mode, experiment, expected):
    load_numbers(conn)
    if mode == "large":
        to_large_mode(conn)
    frame = db.run(conn, "marts/experiment_compliance", experiment_id=experiment)
    assert rows(frame, COMPLIANCE_COLUMNS) == expected


@pytest.mark.parametrize("mode", ["native", "large"])
def test_respondents_are_reached_as_natively(conn, mode):
    """tests/test_experiment_marts.py's respondents: R1 and R2 delivered in W3; R3 expired;
    R8 reached in W9 only (not this experiment's wave)."""
    load_experiments(conn)
    if mode == "large":
        to_large_mode(conn)
    frame = db.run(conn, "marts/experiment_respondents", experiment_id="E3")
    assert rows(frame, ["respondent_id", "arm", "reached"]) == [
        ("R1", "holdout", True), ("R2", "blast", True), ("R3", "holdout", False),
        ("R4", "unplaced", False), ("R5", "unplaced", False), ("R8", "holdout", False)]


# the attached rows the mart cannot trust: statements that make them so
UNKNOWN = {
    # rollups attached before the number rollups existed: the manifest does not name them
    "not named": dict(with_number_counts=False),
    "no unit counts": dict(with_unit_counts=False),
    # one of the two number rollups named: the manifest of neither version
    "one named": "UPDATE cluster_rollups SET manifest = '{\"rollups\": "
                 "{\"unit_receipt_counts\": {}, \"number_arm_counts\": {}}}'",
    # a lake written before the experiment was frozen placed none of its receipts
    "none placed": "DELETE FROM number_arm_counts WHERE experiment_id = 'E4'",
    # ... or only some (one row missing): its sent falls short of the receipts of the waves
    "some placed": "DELETE FROM number_arm_counts WHERE experiment_id = 'E4' "
                   "AND arm = 'unplaced'",
    # more than the waves' receipts (rollups of two runs): never counted either
    "more placed": "UPDATE number_arm_counts SET sent = sent + 1 WHERE experiment_id = 'E4' "
                   "AND arm = 'blast'",
}


@pytest.mark.parametrize("case", list(UNKNOWN))
def test_attached_rows_that_do_not_hold_the_experiment_give_no_count_never_zero(conn, case):
    load_numbers(conn)
    change = UNKNOWN[case]
    to_large_mode(conn, **(change if isinstance(change, dict) else {}))
    if isinstance(change, str):
        conn.execute(change)
    assert db.run(conn, "marts/experiment_compliance", experiment_id="E4").empty
    respondents = db.run(conn, "marts/experiment_respondents", experiment_id="E3")
    every = case in ("not named", "no unit counts", "one named")  # E3 unknown as E4 is
    if every:
        assert respondents["reached"].isna().all() and len(respondents) == 6
    # else the other experiment's rows stay counted
    assert len(db.run(conn, "marts/experiment_compliance", experiment_id="E3")) == (
        0 if every else 5)


def test_receipts_beside_the_cluster_s_number_rows_are_never_counted_twice(conn):
    load_numbers(conn)
    to_large_mode(conn, keep_receipts=True)
    frame = db.run(conn, "marts/experiment_compliance", experiment_id="E4")
    assert rows(frame, COMPLIANCE_COLUMNS) == E4_ROWS
    reached = db.run(conn, "marts/experiment_respondents", experiment_id="E3")
    assert reached["reached"].tolist() == [True, True, False, False, False, False]


def test_native_mode_never_reads_the_number_tables(conn):
    """Stray rows in number_arm_counts and number_reached of a native database are not
    counted: only the stored receipts are."""
    load_numbers(conn)
    conn.execute("INSERT INTO number_arm_counts VALUES ('E4', 'telkomsel', 'blast', 50, 50, "
                 "50, 50)")
    conn.execute("INSERT INTO number_reached VALUES ('E3', 13)")  # R3's key
    frame = db.run(conn, "marts/experiment_compliance", experiment_id="E4")
    assert rows(frame, COMPLIANCE_COLUMNS) == E4_ROWS
    respondents = db.run(conn, "marts/experiment_respondents", experiment_id="E3")
    assert rows(respondents, ["respondent_id", "reached"])[2] == ("R3", False)


def test_the_lake_rows_carry_each_receipt_s_arm(conn):
    """lake/lake_receipts.sql (what both lake writers write, and the number rollups read):
    the experiment, the bucket and the arm of each receipt of an individual experiment's
    waves; NULL for the others (cluster designs' waves, waves in no experiment)."""
    from dashboard.store.lake import LAKE_ROWS_SQL

    load_numbers(conn)
    found = conn.execute(f"SELECT message_id, holdout_experiment, holdout_bucket, holdout_arm "  # noqa: S608
                         f"FROM ({LAKE_ROWS_SQL}) ORDER BY message_id",
                         {"phone_shape": "^$", "mask": ""}).fetchall()
    assert found == [
        *((m, None, None, None) for m in ("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8",
                                          "a9", "b1", "b2")),
        ("c1", "E3", 1999, "holdout"), ("c2", "E3", 2000, "blast"),
        ("c3", "E3", 2000, "blast"), ("c4", "E3", 4999, "holdout"),
        ("c5", "E3", None, "unplaced"), ("c6", "E3", 100, "unplaced"),
        ("c7", None, None, None),
        ("d1", "E4", 100, "holdout"), ("d2", "E4", 100, "holdout"),
        ("d3", "E4", 1500, "holdout"), ("d4", "E4", 1500, "holdout"),
        ("d5", "E4", 1500, "blast"), ("d6", "E4", None, "unplaced"),
        ("d7", "E4", 9999, "unplaced"), ("d8", None, None, None)]


# --- the sample campaign: native against attached -------------------------------------------

PROVINCE_ID = "PROV-SMS06-07"


def province_plan() -> dict:
    """A province hold-out over SMS06 and SMS07 (the sample's plan holds SMS08 and SMS09)."""
    provinces = reference.provinces()["province_code"].astype(int)
    units = pd.DataFrame({"unit_code": provinces,
                          "stratum": [stratum_of("province", p) for p in provinces]})
    return plan.build_plan(
        experiment_id=PROVINCE_ID, title="Test: province hold-out", design="cluster",
        unit="province", waves=["SMS06", "SMS07"], outcomes=["turnout", "invalid_rate"],
        holdout_share=0.3, seed=11, baseline_year=2019, outcome_year=2024,
        signed_off_by={"name": "Tester", "role": "analyst", "date": "2024-01-01"},
        assignment=assign_clusters(units, 0.3, 11), synthetic=True,
        created_at="2024-01-01T00:00:00+00:00")


NUMBERS_ID = "NOMOR-SMS04-05"
OPERATORS = ("indosat", "smartfren", "telkomsel", "xl")


def number_plan() -> dict:
    """An individual hold-out over SMS04 and SMS05, 30 % withheld in every operator x province
    stratum but one: xl in Jawa Barat (32) has none, so its receipts are unplaced."""
    provinces = reference.provinces()["province_code"].astype(int)
    thresholds = {(op, int(p)): 3000 for op in OPERATORS for p in provinces
                  if (op, int(p)) != ("xl", 32)}
    return plan.build_plan(
        experiment_id=NUMBERS_ID, title="Test: number hold-out", design="individual",
        unit="number", waves=["SMS04", "SMS05"], outcomes=["voted"], holdout_share=0.3,
        seed=5, baseline_year=2019, outcome_year=2024,
        signed_off_by={"name": "Tester", "role": "analyst", "date": "2024-01-01"},
        thresholds=thresholds, salt="5a" * 32, synthetic=True,
        created_at="2024-01-01T00:00:00+00:00")


SURVEY_HEADER = ("respondent_id,interview_date,province,age_group,gender,urban_rural,operator,"
                 "received_sms,recalled_theme,voted,knows_valid_ballot,saw_hoax,believed_hoax,"
                 "weight,msisdn")


def number_survey(folder: Path) -> Path:
    """A survey of numbers: the first 40 numbers of SMS04 and SMS05 in the sample's raw
    Telkomsel file (read here: delivered and not), and 4 numbers no wave messaged."""
    path = config.SAMPLE_DIR / "receipts_telkomsel_sms04-07.csv.gz"
    numbers: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["KAMPANYE"] in ("SMS04", "SMS05") and row["NO_TUJUAN"] not in numbers:
                numbers.append(row["NO_TUJUAN"])
            if len(numbers) == 40:
                break
    numbers += [f"08129990000{i}" for i in range(4)]
    lines = [SURVEY_HEADER, *(
        f"N{i:02d},2024-02-20,32,25-34,female,urban,telkomsel,yes,,"
        f"{'yes' if i % 3 else 'no'},yes,no,,1.0,{n}" for i, n in enumerate(numbers))]
    survey = folder / "survey_numbers.csv"
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return survey


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> tuple[Path, Path]:
    """(native, attached): every sample file loaded here, and the same campaign attached from
    the rollups DuckDB writes from the native receipts; both with the sample's regency plan,
    the province plan and the number plan frozen before the receipts, and a survey of
    numbers."""
    from dashboard.cli import sample_files
    from dashboard.ingest import ingest_file
    from dashboard.sample.experiment import freeze_sample_plan

    folder = tmp_path_factory.mktemp("large_experiment")
    native, attached = folder / "native.duckdb", folder / "attached.duckdb"
    survey = number_survey(folder)
    with db.connect(native) as conn:
        freeze_sample_plan(conn)
        plan.freeze(conn, province_plan())
        plan.freeze(conn, number_plan())
        for file in [*sample_files(config.SAMPLE_DIR), survey]:
            assert ingest_file(conn, file).ok, file.name
    with db.connect(attached) as conn:
        plan.freeze(conn, province_plan())
        plan.freeze(conn, number_plan())
    attached_database(attached, write_folder(native, folder / "rollups"))
    with db.connect(attached) as conn:
        assert ingest_file(conn, survey).ok
    return native, attached


def _sample_id() -> str:
    said = json.loads((config.SAMPLE_DIR / "experiment_plan_sample.json").read_text("utf-8"))
    return said["experiment_id"]


def _marts(database: Path, experiment_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    with db.connect(database, read_only=True) as conn:
        frozen = json.loads(conn.execute("SELECT plan_json FROM experiments WHERE "
                                         "experiment_id = $id", {"id": experiment_id}
                                         ).fetchall()[0][0])
        compliance = db.run(conn, "marts/experiment_compliance", experiment_id=experiment_id)
        units = db.run(conn, "marts/experiment_units_outcome", experiment_id=experiment_id,
                       baseline_year=frozen["baseline_year"],
                       outcome_year=frozen["outcome_year"])
    return compliance, units


@pytest.mark.parametrize("experiment", ["regency", "province"])
def test_a_frozen_cluster_experiment_counts_as_natively_in_large_mode(campaign, experiment):
    experiment_id = _sample_id() if experiment == "regency" else PROVINCE_ID
    (native_compliance, native_units), (large_compliance, large_units) = (
        _marts(path, experiment_id) for path in campaign)
    assert native_compliance["delivered"].sum() > 1000  # the waves were sent
    assert (native_compliance["arm"] == "holdout").any()
    same = [c for c in COMPLIANCE_COLUMNS if c not in RECIPIENT_COLUMNS]
    pd.testing.assert_frame_equal(large_compliance[same], native_compliance[same])
    assert large_compliance[list(RECIPIENT_COLUMNS)].isna().all().all()
    assert native_compliance[list(RECIPIENT_COLUMNS)].notna().all().all()
    same = [c for c in UNIT_COLUMNS if c != "recipients_delivered"]
    pd.testing.assert_frame_equal(large_units[same], native_units[same])
    assert (native_units["delivered"] > 0).sum() > 10
    assert large_units["recipients_delivered"].isna().all()


@pytest.mark.parametrize("experiment", ["regency", "province"])
def test_the_results_with_compliance_are_the_native_ones(campaign, experiment):
    """The page's and the export's results table: compliance per arm and the complier
    effect too, as natively (the ITT never needed the receipts)."""
    from dashboard.reports.experiment import read_experiment

    experiment_id = _sample_id() if experiment == "regency" else PROVINCE_ID
    tables = []
    for path in campaign:
        with db.connect(path, read_only=True) as conn:
            tables.append(read_experiment(conn, experiment_id, permutations=50).table)
    native, large = tables
    assert native["compliance_blast"].notna().all()
    pd.testing.assert_frame_equal(large, native)


def test_a_frozen_number_experiment_counts_as_natively_in_large_mode(campaign):
    """Compliance per operator and arm, distinct numbers included, the survey's respondents
    with their arm and `reached`, and the results table (compliance, complier effect)."""
    from dashboard.reports.experiment import read_experiment

    found = []
    for path in campaign:
        with db.connect(path, read_only=True) as conn:
            compliance = db.run(conn, "marts/experiment_compliance", experiment_id=NUMBERS_ID)
            respondents = db.run(conn, "marts/experiment_respondents",
                                 experiment_id=NUMBERS_ID)
            table = read_experiment(conn, NUMBERS_ID, permutations=50).table
        found.append((compliance, respondents, table))
    (native_compliance, native_respondents, native_table), large = found
    assert native_compliance["delivered"].sum() > 1000  # the waves were sent
    assert set(native_compliance["arm"]) == {"holdout", "blast", "unplaced"}  # xl in 32
    assert native_compliance[list(RECIPIENT_COLUMNS)].notna().all().all()
    # numbers messaged in two provinces or twice: the distinct counts are not the sums
    assert (native_compliance["recipients_sent"] < native_compliance["sent"]).any()
    pd.testing.assert_frame_equal(large[0], native_compliance)
    assert len(native_respondents) > 40  # a number the survey gave that is not one: left out
    assert set(native_respondents["reached"]) == {True, False}
    assert set(native_respondents["arm"]) == {"holdout", "blast"}
    pd.testing.assert_frame_equal(large[1], native_respondents)
    assert native_table["compliance_blast"].notna().all()
    pd.testing.assert_frame_equal(large[2], native_table)


def _counted_from_the_file(code: str, name: str) -> tuple[int, int]:
    """Sent and delivered in one regency, read from the sample's regency file by this test's
    own rule (a code as '3201' or '32.01', the name with 'KABUPATEN' or 'Kab.', any case);
    the operators' other files of these waves name no regency."""
    path = config.SAMPLE_DIR / "receipts_zz_experiment_regency_sms08-09.csv.gz"
    sent = delivered = 0
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            said = row["regency"].strip().upper()
            if said.startswith("KAB. "):
                said = "KABUPATEN " + said[5:]
            if said.replace(".", "") == code or said == name:
                sent += 1
                delivered += row["status"] == "DELIVRD"
    return sent, delivered


def test_one_regency_counted_from_the_raw_file(campaign):
    sent, delivered = _counted_from_the_file("3201", "KABUPATEN BOGOR")
    assert (sent, delivered) > (300, 300)  # 364 spelt four ways
    for path in campaign:
        _, units = _marts(path, _sample_id())
        row = units.set_index("unit_code").loc[3201]
        assert (int(row["sent"]), int(row["delivered"])) == (sent, delivered), path.name


# --- with Spark: the sample's files read by `cluster ingest` for a database with the plan ----

@pytest.fixture(scope="module")
def number_cluster(spark, tmp_path_factory) -> tuple[Path, Path]:
    """(out, rollups): the sample's receipts files read by Spark, in the order `init --sample`
    loads them, for a database holding the wave catalogue and the three frozen plans (the
    number plan's buckets computed by the tasks from the raw numbers), and Spark's rollups of
    that lake."""
    from dashboard.cli import sample_files
    from dashboard.cluster.spark_ingest import compute_ingest
    from dashboard.cluster.spark_rollups import compute_rollups
    from dashboard.ingest import ingest_file
    from dashboard.sample.experiment import freeze_sample_plan

    folder = tmp_path_factory.mktemp("number_cluster")
    database = folder / "catalogue.duckdb"
    with db.connect(database) as conn:
        assert ingest_file(conn, config.SAMPLE_DIR / "waves.csv").ok
        freeze_sample_plan(conn)
        plan.freeze(conn, province_plan())
        plan.freeze(conn, number_plan())
    files = [f for f in sample_files(config.SAMPLE_DIR) if f.name.startswith("receipts_")]
    out = folder / "out"
    compute_ingest(spark, files, out, database)
    compute_rollups(spark, out / "lake", folder / "rollups")
    return out, folder / "rollups"


def _lake_without_ingest_id(lake: Path) -> str:
    files = str(lake / "**" / "*.parquet").replace("'", "''")
    return (f"SELECT * EXCLUDE (ingest_id) FROM read_parquet('{files}', "  # noqa: S608
            "hive_partitioning = true)")


@pytest.mark.spark
def test_spark_s_lake_carries_the_native_buckets_and_arms(campaign, number_cluster, tmp_path):
    """The lake `cluster ingest` writes equals the one `python -m dashboard lake` writes from
    the native database, hold-out columns included (ingest ids aside: the engines number
    loads differently; tests/test_cluster_ingest.py compares them by file)."""
    import duckdb

    from dashboard.store.lake import write_lake

    out, _ = number_cluster
    with db.connect(campaign[0], read_only=True) as conn:
        stored = write_lake(conn, tmp_path / "native_lake")
    with duckdb.connect() as reader:
        reader.execute("SET TimeZone = 'UTC'")
        native = _lake_without_ingest_id(tmp_path / "native_lake")
        spark_lake = _lake_without_ingest_id(out / "lake")
        counts = reader.execute(
            f"SELECT (SELECT count(*) FROM ({spark_lake})), "  # noqa: S608
            f"(SELECT count(*) FROM ({native} EXCEPT ALL {spark_lake})), "
            f"(SELECT count(*) FROM ({spark_lake} EXCEPT ALL {native})), "
            f"(SELECT count(*) FROM ({spark_lake}) WHERE holdout_experiment = '{NUMBERS_ID}'), "
            f"(SELECT count(DISTINCT holdout_arm) FROM ({spark_lake}))").fetchall()[0]
    assert counts[:3] == (stored, 0, 0)
    assert counts[3] > 10_000 and counts[4] == 3  # SMS04-05 placed: held out, blast, unplaced
    # both markers and the rollups' manifest name the plan the arms were placed by (the
    # number plan only: the sample's regency plan is a cluster design)
    with db.connect(campaign[0], read_only=True) as conn:
        plan = conn.execute("SELECT experiment_id, plan_sha256 FROM experiments WHERE "
                            "experiment_id = $id", {"id": NUMBERS_ID}).fetchall()
    said = [json.loads((lake / ".pemilu-lake").read_text(encoding="utf-8"))["experiments"]
            for lake in (tmp_path / "native_lake", out / "lake")]
    said.append(json.loads((number_cluster[1] / "manifest.json").read_text(
        encoding="utf-8"))["experiments"])
    assert said == [dict(plan)] * 3


@pytest.mark.spark
def test_spark_s_number_rollups_equal_the_shared_files_over_the_native_receipts(
        campaign, number_cluster):
    import duckdb

    from dashboard.store.rollups import NUMBER_COUNTS, NUMBER_REACHED, rollup_sql

    _, rollups = number_cluster
    with duckdb.connect() as reader, db.connect(campaign[0], read_only=True) as conn:
        for table in (NUMBER_COUNTS, NUMBER_REACHED):
            native = conn.execute(f"SELECT * FROM ({rollup_sql(table, 'SELECT * FROM receipts')})"  # noqa: S608
                                  " ORDER BY ALL").fetchall()
            found = reader.execute("SELECT * FROM read_parquet($p) ORDER BY ALL",
                                   {"p": str(rollups / table / "*.parquet")}).fetchall()
            assert len(native) > 10, table
            assert found == native, table


@pytest.mark.spark
def test_spark_s_rollups_attached_give_the_native_compliance_and_results(
        campaign, number_cluster, tmp_path):
    from dashboard.ingest import ingest_file
    from dashboard.reports.experiment import read_experiment

    _, rollups = number_cluster
    attached = tmp_path / "attached.duckdb"
    with db.connect(attached) as conn:
        plan.freeze(conn, province_plan())
        plan.freeze(conn, number_plan())
    attached_database(attached, rollups)
    with db.connect(attached) as conn:
        assert ingest_file(conn, number_survey(tmp_path)).ok
    found = []
    for path in (campaign[0], attached):
        with db.connect(path, read_only=True) as conn:
            found.append((db.run(conn, "marts/experiment_compliance", experiment_id=NUMBERS_ID),
                          db.run(conn, "marts/experiment_respondents",
                                 experiment_id=NUMBERS_ID),
                          read_experiment(conn, NUMBERS_ID, permutations=50).table))
    native, large = found
    assert native[0]["delivered"].sum() > 1000
    for mine, theirs in zip(large, native, strict=True):
        pd.testing.assert_frame_equal(mine, theirs)


def _phone_numbers_in(values: list[object], numbers: set[str]) -> list[str]:
    """The numbers (digits from the 8 on) found in values: in a text, as a run of digits
    (spaces and dashes dropped) holding one; an integer equal to one as 8.., 08.. or 628..
    (an integer is compared whole: a 19-digit pseudonym holds some 11-digit run by chance)."""
    found = []
    for value in values:
        if isinstance(value, str):
            for run in re.findall(r"\d{9,}", re.sub(r"[\s-]", "", value)):
                found += [run[i:j] for i in range(len(run)) for j in range(i + 9, len(run) + 1)
                          if run[i:j] in numbers]
        elif isinstance(value, int) and not isinstance(value, bool):
            digits = str(value)
            for prefix in ("62", "0", ""):
                if digits.startswith(prefix) and digits[len(prefix):] in numbers:
                    found.append(digits)
    return found


@pytest.mark.parametrize(("values", "expected"), [
    (["SF-0812-3456-7890", "ok"], ["81234567890"]),  # in a text, dashes dropped
    ([6281234567890, 81234567890, 81234567890 * 10], ["6281234567890", "81234567890"]),
    (["8123", 12, None, True, "NOMOR-SMS04-05"], []),
])
def test_the_phone_number_check_finds_numbers(values, expected):
    assert _phone_numbers_in(values, {"81234567890"}) == expected


@pytest.mark.spark
def test_no_phone_number_in_the_lake_or_rollups_spark_wrote(number_cluster):
    """The raw sample files' numbers (found by tests/test_cluster_ingest.py's regular
    expression) appear nowhere in the lake, with its hold-out columns, nor in the rollups."""
    import duckdb

    from dashboard.cli import sample_files
    from tests.test_cluster_ingest import _NUMBER

    out, rollups = number_cluster
    numbers = set()
    for path in sample_files(config.SAMPLE_DIR):
        if path.name.startswith("receipts_"):  # a sample file holds bytes that are no UTF-8
            data = path.read_bytes()
            text = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode(
                "utf-8", errors="replace")
            for match in _NUMBER.finditer(text):
                digits = re.sub(r"\D", "", match.group())
                numbers.add(digits[digits.index("8"):])
    assert len(numbers) > 10_000
    files = [*out.rglob("*.parquet"), *rollups.rglob("*.parquet")]
    assert any("number_reached" in str(f) for f in files)
    with duckdb.connect() as reader:
        for path in files:
            rows = reader.execute("SELECT * FROM read_parquet($p)", {"p": str(path)}).fetchall()
            assert _phone_numbers_in([v for row in rows for v in row], numbers) == [], path


# --- the page ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "named", "kind", "expected"), [
    ("id", True, "info", "Terkirim, diterima, jumlah nomor dan nomor yang terjangkau dihitung "
                         "dari rollup klaster"),
    ("en", True, "info", "Sent, delivered, numbers and numbers reached are counted from the "
                         "cluster's rollup"),
    ("en", False, "warning", "lack the receipts per province and regency or per number's "
                             "hold-out arm"),
])
def test_rancang_uji_says_where_a_number_design_s_compliance_comes_from(
        monkeypatch, tmp_path, lang, named, kind, expected):
    """tests/test_experiment_page.py's individual experiment, its database put in
    large-campaign mode (the sketch's state as attach leaves it)."""
    from dashboard.cluster.attach import mark_reach_current
    from tests.test_experiment_page import individual_database, run_page

    path = individual_database(tmp_path)
    with db.connect(path) as conn:
        to_large_mode(conn, with_number_counts=named)
        mark_reach_current(conn)
    at = run_page(monkeypatch, path, lang)
    assert any(expected in element.value for element in getattr(at, kind)), (
        [e.value for e in at.info], [e.value for e in at.warning])
    other = "warning" if kind == "info" else "info"
    assert not [e.value for e in getattr(at, other) if "cluster" in e.value
                or "klaster" in e.value]
