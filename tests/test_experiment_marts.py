"""Contract tests of the experiment marts (issue 18): frozen experiments, their units, strata
and buckets, receipts, regency results and survey respondents inserted straight into their
tables on a fresh database (plan freezing and the ingest are tested on their own). Every
expected number is worked out by hand from the rows below, never by the code under test."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.store import db

# experiment id, design, unit; E1 regencies, E2 provinces, E3 numbers (one wave each)
EXPERIMENTS = [("E1", "cluster", "regency"), ("E2", "cluster", "province"),
               ("E3", "individual", "number")]
EXPERIMENT_WAVES = [("W1", "E1"), ("W2", "E2"), ("W3", "E3")]
UNITS = [  # experiment, unit code, stratum, arm
    ("E1", 3201, "32", "holdout"), ("E1", 3202, "32", "blast"), ("E1", 3171, "31", "blast"),
    ("E2", 91, "Papua", "holdout"), ("E2", 93, "Papua", "blast"), ("E2", 32, "Jawa", "blast"),
]
STRATA = [("E3", "telkomsel", 32, 2000), ("E3", "xl", 32, 5000)]  # withheld below threshold
BUCKETS = [  # experiment, recipient key, bucket
    ("E3", 11, 1999),  # telkomsel 32: held out (1999 < 2000)
    ("E3", 12, 2000),  # telkomsel 32: blast (the threshold itself is not below it)
    ("E3", 13, 4999),  # xl 32: held out
    ("E3", 15, 100),  # sent in province 31, where no stratum is: unplaced
    ("E3", 18, 0),  # a respondent only reached in another wave
    ("E3", 17, 9999),  # a respondent whose operator has no stratum
    ("E1", 11, 0),  # another experiment's bucket for key 11: never read for E3
]
REGENCIES = [  # code, province, name, kind
    (3201, 32, "KABUPATEN BOGOR", "kabupaten"), (3202, 32, "KABUPATEN SUKABUMI", "kabupaten"),
    (3171, 31, "KOTA ADM. JAKARTA SELATAN", "kota"), (3172, 31, "KOTA ADM. JAKARTA TIMUR", "kota"),
]
REGENCY_RESULTS = [  # year, regency, province, dpt, ballots cast, valid, invalid, ingest id
    (2019, 3201, 32, 1000, 800, 760, 40, 1),
    (2024, 3201, 32, 1000, 700, 630, 70, 1),  # replaced by the later load below
    (2024, 3201, 32, 1000, 850, 833, 17, 2),
    (2024, 3202, 32, 2000, 1500, 1470, 30, 2),  # no 2019 row: a gap
    (2019, 3171, 31, 500, 400, 400, 0, 1),
    (2024, 3171, 31, 600, 0, 0, 0, 2),  # no ballots: turnout 0, invalid rate undefined
    (2019, 3172, 31, 700, None, None, None, 1),  # a row without counts is not a result
]
PROVINCE_RESULTS = [  # year, province, dpt, ballots cast, valid, invalid
    (2019, 91, 3000, 2700, 2673, 27), (2019, 32, 100, 80, 76, 4),
    (2024, 91, 2000, 1800, 1782, 18), (2024, 93, 400, 360, 324, 36),
]
RECEIPTS = [  # operator, message id, wave, recipient key, province, regency, status
    ("telkomsel", "a1", "W1", 1, 32, 3201, "DELIVRD"),  # into a held-out regency
    ("telkomsel", "a2", "W1", 2, 32, 3201, "UNDELIV"),
    ("telkomsel", "a3", "W1", 3, 32, 3202, "DELIVRD"),
    ("telkomsel", "a4", "W1", 3, 32, 3202, "DELIVRD"),  # the same number twice
    ("telkomsel", "a5", "W1", 4, 32, 3202, "DELIVRD"),
    ("xl", "a6", "W1", 5, 31, 3171, "DELIVRD"),
    ("xl", "a7", "W1", 6, 31, None, "DELIVRD"),  # no regency given: unplaced
    ("xl", "a8", "W1", 7, 32, 3273, "DELIVRD"),  # a regency outside the experiment
    ("telkomsel", "a9", "W9", 8, 32, 3201, "DELIVRD"),  # another wave: not this experiment
    ("indosat", "b1", "W2", 9, 93, None, "DELIVRD"),  # province units: the province decides
    ("indosat", "b2", "W2", 10, 91, None, "EXPIRED"),
    ("telkomsel", "c1", "W3", 11, 32, None, "DELIVRD"),  # held-out number messaged
    ("telkomsel", "c2", "W3", 12, 32, None, "DELIVRD"),
    ("telkomsel", "c3", "W3", 12, 32, None, "UNDELIV"),
    ("xl", "c4", "W3", 13, 32, None, "EXPIRED"),
    ("telkomsel", "c5", "W3", 14, 32, None, "DELIVRD"),  # no bucket: unplaced
    ("telkomsel", "c6", "W3", 15, 31, None, "DELIVRD"),  # no stratum: unplaced
    ("telkomsel", "c7", "W9", 18, 32, None, "DELIVRD"),  # respondent 18, another wave
]
RESPONDENTS = [  # id, key, province, operator, voted, knows valid ballot, weight
    ("R1", 11, 32, "telkomsel", "yes", "no", 1.5),
    ("R2", 12, 32, "telkomsel", "no", "yes", 0.5),
    ("R3", 13, 32, "xl", "dont_know", "yes", 1.0),
    ("R4", 16, 32, "telkomsel", "yes", "yes", 1.0),  # no bucket
    ("R5", 17, 32, "smartfren", "yes", None, 2.0),  # no smartfren stratum
    ("R6", None, 32, "telkomsel", "yes", "yes", 1.0),  # the survey gave no number
    ("R8", 18, 32, "telkomsel", "no", "no", 3.0),
]

COLUMNS = {  # the tables filled here and the columns given (an allow-list: no other SQL)
    "experiments": ("experiment_id", "design", "unit", "plan_json", "plan_sha256",
                    "signed_off_by", "frozen_at", "synthetic"),
    "experiment_waves": ("wave_id", "experiment_id"),
    "experiment_units": ("experiment_id", "unit_code", "stratum", "arm"),
    "experiment_strata": ("experiment_id", "operator", "province_code", "threshold"),
    "holdout_buckets": ("experiment_id", "recipient_key", "bucket"),
    "regencies": ("regency_code", "province_code", "name", "kind"),
    "election_results_regency": ("year", "regency_code", "province_code", "dpt",
                                 "ballots_cast", "valid_votes", "invalid_votes", "ingest_id"),
    "election_results": ("year", "province_code", "dpt", "ballots_cast", "valid_votes",
                         "invalid_votes"),
    "receipts": ("operator", "message_id", "wave_id", "recipient_key", "province_code",
                 "regency_code", "status", "submitted_at", "send_date", "ingest_id"),
    "survey_responses": ("respondent_id", "respondent_key", "province_code", "operator",
                         "voted", "knows_valid_ballot", "weight"),
}


def insert(conn, table: str, rows: list[tuple]) -> None:
    """Rows into a table by the columns COLUMNS names (values bound, never formatted)."""
    if not rows:
        return
    names = COLUMNS[table]
    marks = ", ".join(["?"] * len(names))
    conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",  # noqa: S608
                     rows)


def load_experiments(conn) -> None:
    """Every row above, on a database whose reference regencies are these four."""
    conn.execute("DELETE FROM regencies")
    insert(conn, "regencies", REGENCIES)
    insert(conn, "experiments", [(e, d, u, "{}", "0" * 64, "Tester (analyst)",
                                  "2024-01-01 00:00:00+00", True) for e, d, u in EXPERIMENTS])
    insert(conn, "experiment_waves", EXPERIMENT_WAVES)
    insert(conn, "experiment_units", UNITS)
    insert(conn, "experiment_strata", STRATA)
    insert(conn, "holdout_buckets", BUCKETS)
    insert(conn, "election_results_regency", REGENCY_RESULTS)
    insert(conn, "election_results", PROVINCE_RESULTS)
    insert(conn, "receipts", [(*r, "2024-01-10 10:00:00+07", "2024-01-10", 1)
                              for r in RECEIPTS])
    insert(conn, "survey_responses", RESPONDENTS)


@pytest.fixture
def loaded(conn):
    load_experiments(conn)
    return conn


def plain(value: object) -> object:
    """A cell as a plain value: None for any missing value, floats rounded to 9 places."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return round(value, 9)
    return int(value) if not isinstance(value, str) else value


def rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(plain(v) for v in row) for row in frame[columns].itertuples(index=False)]


# --- experiment_units_outcome ------------------------------------------------------------

UNIT_COLUMNS = ["unit_code", "unit_name", "province_code", "stratum", "arm", "dpt",
                "baseline_turnout", "baseline_invalid_rate", "turnout", "invalid_rate",
                "baseline_from_parent", "sent", "delivered", "recipients_delivered"]


@pytest.mark.parametrize(("experiment", "expected"), [
    # regencies, by stratum then code; rates worked out from REGENCY_RESULTS and receipts
    ("E1", [
        # 2019: 400/500 and 0/400; 2024: 0 ballots of 600 (invalid rate undefined); one
        # delivered receipt of the wave (W1), the other regency's (3273) unplaced
        (3171, "KOTA ADM. JAKARTA SELATAN", 31, "31", "blast", 600, 0.8, 0.0, 0.0, None,
         False, 1, 1, 1),
        # 2019: 800/1000, 40/800; 2024 the later load: 850/1000, 17/850; W9 not counted
        (3201, "KABUPATEN BOGOR", 32, "32", "holdout", 1000, 0.8, 0.05, 0.85, 0.02,
         False, 2, 1, 1),
        # no 2019 row: no baseline, not filled in; three delivered to two numbers
        (3202, "KABUPATEN SUKABUMI", 32, "32", "blast", 2000, None, None, 0.75, 0.02,
         False, 3, 3, 2),
    ]),
    ("E2", [
        # Jawa Barat: 2019 80/100, 4/80; no 2024 row
        (32, "Jawa Barat", 32, "Jawa", "blast", 100, 0.8, 0.05, None, None, False, 0, 0, 0),
        # Papua: 2700/3000 and 27/2700; 2024 1800/2000 and 18/1800
        (91, "Papua", 91, "Papua", "holdout", 2000, 0.9, 0.01, 0.9, 0.01, False, 1, 0, 0),
        # Papua Selatan did not exist in 2019: Papua's 2019 rates; 2024 its own 360/400, 36/360
        (93, "Papua Selatan", 93, "Papua", "blast", 400, 0.9, 0.01, 0.9, 0.1, True, 1, 1, 1),
    ]),
    ("E3", []),  # a design by numbers has no units
    ("nope", []),
])
def test_units_outcome_gives_each_unit_its_arm_baseline_outcome_and_receipts(
        loaded, experiment, expected):
    frame = db.run(loaded, "marts/experiment_units_outcome", experiment_id=experiment,
                   baseline_year=2019, outcome_year=2024)
    assert list(frame.columns) == UNIT_COLUMNS
    assert rows(frame, UNIT_COLUMNS) == expected


def test_units_outcome_reads_the_years_it_is_given(loaded):
    # 2024 as the baseline of a 2024 outcome: the baseline is the outcome itself
    frame = db.run(loaded, "marts/experiment_units_outcome", experiment_id="E1",
                   baseline_year=2024, outcome_year=2024)
    assert rows(frame, ["unit_code", "baseline_turnout", "turnout"]) == [
        (3171, 0.0, 0.0), (3201, 0.85, 0.85), (3202, 0.75, 0.75)]


# --- experiment_compliance ---------------------------------------------------------------

COMPLIANCE_COLUMNS = ["operator", "arm", "sent", "delivered", "recipients_sent",
                      "recipients_delivered", "units_reached", "units_in_arm"]


@pytest.mark.parametrize(("experiment", "expected"), [
    ("E1", [
        # telkomsel: a1 delivered and a2 failed in held-out 3201; a3-a5 to 3202 (two numbers)
        ("telkomsel", "holdout", 2, 1, 2, 1, 1, 1),
        ("telkomsel", "blast", 3, 3, 2, 2, 1, 2),
        # xl: nothing held out; a6 in 3171; a7 (no regency) and a8 (3273) unplaced
        ("xl", "holdout", 0, 0, 0, 0, 0, 1),
        ("xl", "blast", 1, 1, 1, 1, 1, 2),
        ("xl", "unplaced", 2, 2, 2, 2, 0, None),
    ]),
    ("E2", [  # province units: b1 in blast Papua Selatan, b2 expired in held-out Papua
        ("indosat", "holdout", 1, 0, 1, 0, 0, 1),
        ("indosat", "blast", 1, 1, 1, 1, 1, 2),
    ]),
    ("E3", [
        # c1: key 11, bucket 1999 < 2000: held out, delivered; c2, c3: key 12 (2000) blast
        ("telkomsel", "holdout", 1, 1, 1, 1, 1, None),
        ("telkomsel", "blast", 2, 1, 1, 1, 1, None),
        # c5 (no bucket), c6 (province 31: no telkomsel stratum there)
        ("telkomsel", "unplaced", 2, 2, 2, 2, 2, None),
        ("xl", "holdout", 1, 0, 1, 0, 0, None),  # c4: key 13, 4999 < 5000, expired
        ("xl", "blast", 0, 0, 0, 0, 0, None),
    ]),
    ("nope", []),
])
def test_compliance_counts_each_operator_s_receipts_per_arm(loaded, experiment, expected):
    frame = db.run(loaded, "marts/experiment_compliance", experiment_id=experiment)
    assert list(frame.columns) == COMPLIANCE_COLUMNS
    assert rows(frame, COMPLIANCE_COLUMNS) == expected


# --- experiment_respondents --------------------------------------------------------------

RESPONDENT_COLUMNS = ["respondent_id", "province_code", "operator", "bucket", "threshold",
                      "arm", "voted", "knows_valid_ballot", "weight", "reached"]


def test_respondents_take_their_arm_from_bucket_and_threshold(loaded):
    frame = db.run(loaded, "marts/experiment_respondents", experiment_id="E3")
    assert list(frame.columns) == RESPONDENT_COLUMNS
    assert rows(frame, RESPONDENT_COLUMNS) == [
        ("R1", 32, "telkomsel", 1999, 2000, "holdout", 1, 0, 1.5, True),  # c1 delivered
        ("R2", 32, "telkomsel", 2000, 2000, "blast", 0, 1, 0.5, True),  # c2 delivered
        ("R3", 32, "xl", 4999, 5000, "holdout", None, 1, 1.0, False),  # c4 expired
        ("R4", 32, "telkomsel", None, 2000, "unplaced", 1, 1, 1.0, False),  # no bucket
        ("R5", 32, "smartfren", 9999, None, "unplaced", 1, None, 2.0, False),  # no stratum
        # R6 gave no number: not a respondent of the experiment
        ("R8", 32, "telkomsel", 0, 2000, "holdout", 0, 0, 3.0, False),  # reached in W9 only
    ]


def test_respondents_of_another_experiment_have_no_bucket_there(loaded):
    frame = db.run(loaded, "marts/experiment_respondents", experiment_id="E1")
    # E1 has a bucket for key 11 only and no strata at all: every respondent unplaced
    assert rows(frame, ["respondent_id", "bucket", "arm"]) == [
        ("R1", 0, "unplaced"), ("R2", None, "unplaced"), ("R3", None, "unplaced"),
        ("R4", None, "unplaced"), ("R5", None, "unplaced"), ("R8", None, "unplaced")]


# --- experiment_regency_coverage ---------------------------------------------------------

@pytest.mark.parametrize(("years", "expected"), [
    ((2019, 2024), [(3171, 31, "kota", True, True), (3172, 31, "kota", False, False),
                    (3201, 32, "kabupaten", True, True), (3202, 32, "kabupaten", False, True)]),
    ((2014, 2019), [(3171, 31, "kota", False, True), (3172, 31, "kota", False, False),
                    (3201, 32, "kabupaten", False, True), (3202, 32, "kabupaten", False, False)]),
])
def test_regency_coverage_says_which_regencies_have_results(loaded, years, expected):
    frame = db.run(loaded, "marts/experiment_regency_coverage", baseline_year=years[0],
                   outcome_year=years[1])
    assert rows(frame, ["regency_code", "province_code", "kind", "has_baseline",
                        "has_outcome"]) == expected
    assert frame.loc[frame["regency_code"] == 3201, "province_name"].item() == "Jawa Barat"


# --- experiment_candidates ---------------------------------------------------------------

CANDIDATE_COLUMNS = ["unit_code", "unit_name", "province_code", "dpt", "baseline_turnout",
                     "baseline_invalid_rate", "turnout", "invalid_rate",
                     "baseline_from_parent"]


def test_candidates_are_every_regency_with_its_pair_of_elections(loaded):
    frame = db.run(loaded, "marts/experiment_candidates", unit="regency", baseline_year=2019,
                   outcome_year=2024)
    assert list(frame.columns) == CANDIDATE_COLUMNS
    assert rows(frame, CANDIDATE_COLUMNS) == [
        (3171, "KOTA ADM. JAKARTA SELATAN", 31, 600, 0.8, 0.0, 0.0, None, False),
        # a 2019 row without counts: no rates, and no 2024 row at all
        (3172, "KOTA ADM. JAKARTA TIMUR", 31, 700, None, None, None, None, False),
        (3201, "KABUPATEN BOGOR", 32, 1000, 0.8, 0.05, 0.85, 0.02, False),
        (3202, "KABUPATEN SUKABUMI", 32, 2000, None, None, 0.75, 0.02, False),
    ]


@pytest.mark.parametrize(("code", "expected"), [
    (32, (32, 100, 0.8, 0.05, None, None, False)),  # no 2024 row: its 2019 DPT
    (91, (91, 2000, 0.9, 0.01, 0.9, 0.01, False)),
    (93, (93, 400, 0.9, 0.01, 0.9, 0.1, True)),  # Papua's 2019 rates
    (94, (94, None, 0.9, 0.01, None, None, True)),  # Papua Tengah: Papua's rates, no 2024
    (96, (96, None, None, None, None, None, False)),  # Papua Barat: no 2019 row either
    (11, (11, None, None, None, None, None, False)),
])
def test_candidates_are_every_province_of_2024(loaded, code, expected):
    frame = db.run(loaded, "marts/experiment_candidates", unit="province", baseline_year=2019,
                   outcome_year=2024)
    assert len(frame) == 38
    row = frame[frame["unit_code"] == code]
    assert rows(row, ["unit_code", "dpt", "baseline_turnout", "baseline_invalid_rate",
                      "turnout", "invalid_rate", "baseline_from_parent"]) == [expected]


# --- experiment_election_years -----------------------------------------------------------

def test_election_years_count_the_units_with_results_per_level(loaded):
    frame = db.run(loaded, "marts/experiment_election_years")
    assert rows(frame, ["level", "year", "units"]) == [
        # provinces: 91 and 32 in 2019, 91 and 93 in 2024
        ("province", 2019, 2), ("province", 2024, 2),
        # regencies: 3172's 2019 row has no counts; 3201's two 2024 loads are one regency
        ("regency", 2019, 2), ("regency", 2024, 3)]


# --- the sample's simulated experiment, against what its generator injected -------------------

def _sample_truth() -> dict:
    import json

    from dashboard import config

    manifest = json.loads((config.SAMPLE_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
    return manifest["experiment"]


def test_the_sample_experiment_s_compliance_is_what_its_generator_sent(sample_db):
    """Receipts placed in held-out and blast regencies, per operator, as the generator wrote
    them (sample_data/MANIFEST.json, experiment.truth.compliance). 'unplaced' differs by
    design: the mart also counts the waves' receipts from the operators' other files, which
    name no regency."""
    truth = _sample_truth()
    with db.connect(sample_db, read_only=True) as conn:
        frame = db.run(conn, "marts/experiment_compliance",
                       experiment_id=truth["experiment_id"])
    got = {(o, a): (int(s), int(d)) for o, a, s, d in
           frame[["operator", "arm", "sent", "delivered"]].itertuples(index=False)
           if a != "unplaced"}
    expected = {(operator, arm): (counts[arm]["sent"], counts[arm]["delivered"])
                for operator, counts in truth["truth"]["compliance"].items()
                for arm in ("holdout", "blast")}
    assert got == expected
    in_arm = frame.dropna(subset=["units_in_arm"]).groupby("arm")["units_in_arm"].first()
    assert in_arm.to_dict() == truth["truth"]["units"]  # 51 held out, 463 sent


def test_the_sample_experiment_s_interval_covers_the_injected_itt(sample_db):
    """The generator's ITT (its full effect times the arms' difference in exposure) lies in
    the page's 95% interval, for both outcomes; and 7 regencies lack a 2019 result."""
    from dashboard.reports import experiment as report

    truth = _sample_truth()
    with db.connect(sample_db, read_only=True) as conn:
        result = report.read_experiment(conn, truth["experiment_id"], permutations=500)
    table = result.table[result.table["stratum"] == "overall"].set_index("outcome")
    for outcome, itt in truth["truth"]["itt"].items():
        assert table.loc[outcome, "ci_low"] <= itt <= table.loc[outcome, "ci_high"], outcome
    assert result.left_out == {"turnout": 7, "invalid_rate": 7}
    assert result.verified and result.synthetic


# the plan's rule (README "Experiments"): held out when bucket < threshold; a threshold of 0
# holds out nobody, 10,000 everybody; a missing bucket or stratum is never guessed
@pytest.mark.parametrize(("bucket", "threshold", "arm"), [
    (None, 2000, "unplaced"), (1999, None, "unplaced"), (None, None, "unplaced"),
    (1999, 2000, "holdout"), (2000, 2000, "blast"), (2001, 2000, "blast"),
    (0, 0, "blast"), (0, 1, "holdout"), (9999, 10000, "holdout"),
])
def test_one_rule_places_a_number_in_its_arm(conn, bucket, threshold, arm):
    got = conn.execute("SELECT holdout_arm($bucket::SMALLINT, $threshold::SMALLINT)",
                       {"bucket": bucket, "threshold": threshold}).fetchall()[0][0]
    assert got == arm
