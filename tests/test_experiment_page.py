"""The Rancang uji page (issue 18): its logic (dashboard/reports/experiment.py) on small
frozen experiments whose effects are known by construction, the export table, and the page
run with Streamlit's AppTest in both languages on an empty database, on one with a frozen
cluster experiment by regency and regency results, and on one with an individual experiment.

The cluster experiment: every regency of DKI Jakarta, Jawa Barat and Banten (6 + 27 + 8 = 41)
has 2019 results; in 2024 a held-out regency repeats its 2019 turnout and invalid rate
exactly and a blast regency adds 2 points to turnout and takes 0.5 points off the invalid
rate. The ANCOVA then fits without residual: the ITT is +2 and -0.5 points exactly. DPT is
10,000 everywhere and a blast regency gets 10 delivered messages, so a unit is reached at
2.5 (a quarter of the blast arm's median)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.experiment import assignment, estimators
from dashboard.experiment import plan as plans
from dashboard.reports import experiment as report
from dashboard.reports import tables
from dashboard.store import db
from tests.test_experiment_marts import insert

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py")
PAGE = "app_pages/rancang_uji.py"
PROVINCES = (31, 32, 36)  # 6, 27 and 8 regencies
DPT = 10_000
SIGNED = {"name": "Ibu Penguji", "role": "Direktur", "date": "2024-01-05"}


def _turnout_2019(code: int) -> float:
    """A spread of 2019 turnouts, from the code alone (70-84 %)."""
    return 0.70 + (code % 15) / 100


def _invalid_2019(code: int) -> float:
    return 0.02 + (code % 7) / 1000


def _results(year: int, code: int, province: int, turnout: float, invalid: float) -> tuple:
    ballots = round(DPT * turnout)
    invalid_votes = round(ballots * invalid)
    return (year, code, province, DPT, ballots, ballots - invalid_votes, invalid_votes, 1)


def cluster_database(folder: Path) -> tuple[Path, pd.DataFrame]:
    """A frozen regency experiment on SMS01 with results 2019 and 2024 and its receipts;
    returns the database and the frozen assignment."""
    path = folder / "cluster.duckdb"
    with db.connect(path) as conn:
        units = conn.execute(
            "SELECT regency_code AS unit_code, CAST(province_code AS VARCHAR) AS stratum "
            "FROM regencies WHERE list_contains($p, province_code) ORDER BY 1",
            {"p": list(PROVINCES)}).df()
        drawn = assignment.assign_clusters(units, 0.2, seed=7)
        rows, receipts = [], []
        for code, stratum, arm in drawn.itertuples(index=False):
            province = int(stratum)
            turnout, invalid = _turnout_2019(code), _invalid_2019(code)
            rows.append(_results(2019, code, province, turnout, invalid))
            blast = arm == "blast"
            rows.append(_results(2024, code, province, turnout + 0.02 * blast,
                                 invalid - 0.005 * blast))
        insert(conn, "election_results_regency", rows)
        conn.execute("INSERT INTO waves VALUES ('SMS01', 'sms', '2024-01-10', 'turnout', "
                     "'Ayo memilih', 1), ('SMS02', 'sms', '2024-01-20', 'valid_ballot', "
                     "'Coblos yang sah', 1)")
        holdout = drawn[drawn["arm"] == "holdout"]["unit_code"].tolist()
        blast = drawn[drawn["arm"] == "blast"]["unit_code"].tolist()
        # every blast regency gets 10 delivered (reached) but the last only 2 (not reached);
        # the first held-out regency gets 12 by mistake (reached), the second 2 (not)
        counts = {code: 10 for code in blast} | {blast[-1]: 2, holdout[0]: 12, holdout[1]: 2}
        key = 0
        for code, n in counts.items():
            for _ in range(n):
                key += 1
                receipts.append(("telkomsel", f"m{key}", "SMS01", key, code // 100, code,
                                 "DELIVRD", "2024-01-10 10:00:00+07", "2024-01-10", 1))
        insert(conn, "receipts", receipts)
        plan = plans.build_plan(
            experiment_id="UJI-2024", title="Uji SMS01", design="cluster", unit="regency",
            waves=["SMS01"], outcomes=["turnout", "invalid_rate"], holdout_share=0.2, seed=7,
            baseline_year=2019, outcome_year=2024, signed_off_by=SIGNED, assignment=drawn,
            synthetic=True, created_at="2024-01-05T09:00:00+07:00")
        plans.freeze(conn, plan)
    return path, drawn


# individual: respondents' buckets against a threshold of 2,000 for telkomsel and xl in 32
SALT = "ab" * 32
RESPONDENTS = [  # id, key, operator, voted, weight, bucket
    ("H1", 101, "telkomsel", "yes", 1.0, 10), ("H2", 102, "telkomsel", "yes", 1.0, 1999),
    ("H3", 103, "xl", "no", 1.0, 500), ("H4", 104, "xl", "no", 1.0, 0),
    ("B1", 201, "telkomsel", "yes", 1.0, 2000), ("B2", 202, "telkomsel", "yes", 1.0, 9999),
    ("B3", 203, "xl", "yes", 1.0, 5000), ("B4", 204, "xl", "no", 1.0, 2500),
]


def individual_database(folder: Path) -> Path:
    """A frozen individual experiment on SMS02: held out 1 1 0 0 voted (50 %), blast 1 1 1 0
    (75 %), every weight 1: the ITT is +25 points. Receipts: every blast respondent reached
    but B4; no held-out one: compliance 3/4 against 0."""
    path = folder / "individual.duckdb"
    with db.connect(path) as conn:
        conn.execute("INSERT INTO waves VALUES ('SMS02', 'sms', '2024-01-20', 'turnout', "
                     "'Ayo memilih', 1)")
        plan = plans.build_plan(
            experiment_id="NOMOR-2024", title="Uji per nomor", design="individual",
            unit="number", waves=["SMS02"], outcomes=["voted"], holdout_share=0.2, seed=1,
            baseline_year=2019, outcome_year=2024, signed_off_by=SIGNED,
            thresholds={("telkomsel", 32): 2000, ("xl", 32): 2000}, salt=SALT,
            synthetic=False, created_at="2024-01-05T09:00:00+07:00")
        plans.freeze(conn, plan)
        insert(conn, "holdout_buckets", [("NOMOR-2024", key, bucket)
                                         for _, key, _, _, _, bucket in RESPONDENTS])
        insert(conn, "survey_responses", [(rid, key, 32, op, voted, None, weight)
                                          for rid, key, op, voted, weight, _ in RESPONDENTS])
        # as a survey file's load would log it (the page's source line names the file)
        conn.execute("INSERT INTO ingest_log (ingest_id, file_name, kind, started_at, outcome) "
                     "VALUES (2, 'survei_uji.csv', 'survey', now(), 'loaded')")
        conn.execute("UPDATE survey_responses SET ingest_id = 2, "
                     "interview_date = DATE '2024-02-20'")
        insert(conn, "receipts", [
            (op, f"r{key}", "SMS02", key, 32, None, "DELIVRD", "2024-01-20 10:00:00+07",
             "2024-01-20", 1)
            for rid, key, op, _, _, _ in RESPONDENTS if rid in ("B1", "B2", "B3")])
    return path


@pytest.fixture(scope="module")
def cluster_db(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    return cluster_database(tmp_path_factory.mktemp("uji_cluster"))


@pytest.fixture(scope="module")
def individual_db(tmp_path_factory) -> Path:
    return individual_database(tmp_path_factory.mktemp("uji_individual"))


# --- the logic -----------------------------------------------------------------------------

def overall(table: pd.DataFrame, outcome: str) -> pd.Series:
    return table[(table["outcome"] == outcome) & (table["stratum"] == "overall")].iloc[0]


@pytest.mark.parametrize(("outcome", "effect"), [("turnout", 0.02), ("invalid_rate", -0.005)])
def test_cluster_itt_recovers_the_effect_built_into_the_results(cluster_db, outcome, effect):
    path, drawn = cluster_db
    with db.connect(path, read_only=True) as conn:
        result = report.read_experiment(conn, "UJI-2024", permutations=200)
    row = overall(result.table, outcome)
    # turnout and invalid rates are rounded to whole ballots (10,000 voters): 1e-4 of slack
    assert row["estimate"] == pytest.approx(effect, abs=2e-4)
    assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
    assert (row["n_holdout"], row["n_blast"]) == (
        int((drawn["arm"] == "holdout").sum()), int((drawn["arm"] == "blast").sum()))
    assert result.verified and result.synthetic
    assert set(result.table["stratum"]) == {"overall", "31", "32", "36"}


def test_cluster_compliance_counts_units_reached_per_arm(cluster_db):
    path, drawn = cluster_db
    n_holdout = int((drawn["arm"] == "holdout").sum())
    n_blast = int((drawn["arm"] == "blast").sum())
    with db.connect(path, read_only=True) as conn:
        result = report.read_experiment(conn, "UJI-2024", permutations=200)
    row = overall(result.table, "turnout")
    # every blast regency but one reached; one held-out regency of all reached by mistake
    assert row["compliance_blast"] == pytest.approx((n_blast - 1) / n_blast)
    assert row["compliance_holdout"] == pytest.approx(1 / n_holdout)
    difference = (n_blast - 1) / n_blast - 1 / n_holdout
    assert row["complier_estimate"] == pytest.approx(row["estimate"] / difference)
    compliance = result.compliance.set_index("arm")
    # 12 + 2 into held-out regencies; 10 per blast regency, the last 2
    assert compliance.loc["holdout", "delivered"] == 14
    assert compliance.loc["blast", "delivered"] == 10 * (n_blast - 1) + 2


def _ten_units(outcome: list[float], reached: list[bool]) -> pd.DataFrame:
    """One stratum of ten regencies, five held out then five blast, share 0.5."""
    return pd.DataFrame({"unit_code": range(10), "stratum": "A",
                         "arm": ["holdout"] * 5 + ["blast"] * 5,
                         "baseline_turnout": [0.70 + i / 100 for i in range(10)],
                         "turnout": outcome, "reached": reached})


NAN = math.nan


@pytest.mark.parametrize(("outcome", "scheme", "p_exact"), [
    # four blast regencies without a 2024 result: the usable units hold out 5 of 6, a split
    # the plan's rule (half of 6) never draws, so re-drawing the rule gave p = 1/2001 where
    # the test kept to the realised counts gives 1/6 (enumerated by the attack of 7 Dec
    # 2026: which one of the six usable units is the blast one, each as likely)
    ([0.70, 0.72, 0.71, 0.74, 0.73, 0.90, NAN, NAN, NAN, NAN], "realised hold-out count",
     1 / 6),
    # every unit has a result: the plan's rule is the design's
    ([0.70, 0.72, 0.71, 0.74, 0.73, 0.90, 0.91, 0.89, 0.92, 0.93], "assignment rule at share",
     None),
])
def test_units_left_out_keep_the_realised_counts_in_the_randomisation_test(outcome, scheme,
                                                                        p_exact):
    rows, _ = report._cluster_rows(_ten_units(outcome, [False] * 5 + [True] * 5), "turnout",
                                   {"seed": 7, "holdout_share": 0.5}, 2000, receipts=True)
    assert scheme in rows[0]["method"]
    if p_exact is not None:  # Monte Carlo: 2,000 draws, SE 0.008
        assert rows[0]["p_value"] == pytest.approx(p_exact, abs=0.03)


def test_every_row_s_test_is_drawn_with_the_plan_s_seed_and_count():
    # the p-values are reproducible from the frozen plan: overall and per stratum, the same
    # draws as the estimator given the plan's seed and the number of permutations
    outcome = [0.70, 0.72, 0.71, 0.74, 0.73, 0.90, 0.91, 0.89, 0.92, 0.93]
    units = pd.concat([_ten_units(outcome, [False] * 5 + [True] * 5),
                       _ten_units(outcome[::-1], [False] * 5 + [True] * 5).assign(
                           unit_code=range(10, 20), stratum="B")], ignore_index=True)
    rows, _ = report._cluster_rows(units, "turnout", {"seed": 11, "holdout_share": 0.5}, 300,
                                   receipts=True)
    frame = pd.DataFrame({"unit_code": units["unit_code"], "stratum": units["stratum"],
                          "arm": units["arm"], "baseline": units["baseline_turnout"],
                          "outcome": units["turnout"]})
    expected = [estimators.cluster_itt(frame, permutations=300, seed=11, share=0.5)]
    expected += [estimators.cluster_itt(frame[frame["stratum"] == s], permutations=300,
                                        seed=11) for s in ("A", "B")]
    assert [r["stratum"] for r in rows] == ["overall", "A", "B"]
    assert [r["outcome"] for r in rows] == ["turnout"] * 3
    assert [r["p_value"] for r in rows] == [e.p_value for e in expected]
    assert [r["estimate"] for r in rows] == [e.effect for e in expected]
    assert all("300" in r["method"] for r in rows)


@pytest.mark.parametrize(("outcome", "reached", "compliance", "complier"), [
    # the two blast regencies without a result were the two not reached: among the units the
    # effect is measured on every blast unit was reached, so there is no complier effect
    # beside the ITT (before: compliance 4/6 over all units and an ITT divided by it)
    ([0.70, 0.71, 0.72, 0.73, 0.74, 0.80, 0.81, 0.82, NAN, NAN],
     [False] * 5 + [True] * 3 + [False] * 2, (1.0, 0.0), False),
    # the unreached blast regency has a result, a reached one has none: 3 of the 4 blast
    # units measured were reached (3/5 over every unit, 4/5 had the missing one counted)
    ([0.70, 0.71, 0.72, 0.73, 0.74, 0.80, 0.81, 0.82, 0.83, NAN],
     [False] * 5 + [True] * 3 + [False, True], (0.75, 0.0), True),
])
def test_compliance_is_counted_on_the_units_the_effect_is_measured_on(outcome, reached,
                                                                      compliance, complier):
    rows, left_out = report._cluster_rows(_ten_units(outcome, reached), "turnout",
                                          {"seed": 7}, 200, receipts=True)
    row = rows[0]
    assert left_out == sum(map(math.isnan, outcome))
    assert (row["compliance_blast"], row["compliance_holdout"]) == pytest.approx(compliance)
    assert rows[1]["compliance_blast"] == pytest.approx(compliance[0])  # the one stratum
    if complier:
        assert row["complier_estimate"] == pytest.approx(row["estimate"] / compliance[0])
    else:
        assert math.isnan(row["complier_estimate"])


@pytest.mark.parametrize(("voted", "weights", "compliance_blast", "left_out"), [
    # respondents without an answer are not in the effect, so not in its compliance either:
    # the unanswered blast respondent is the one not reached
    ([1, 0, 1, 0, 1, 1, 0, NAN], [1.0] * 8, 1.0, 1),
    ([1, 0, 1, 0, 1, 1, 0, 1], [1.0] * 7 + [3.0], 0.5, 0),  # weighted: 3 of 6 reached
    ([1, 0, 1, 0, 1, 1, 0, 1], [1.0] * 7 + [NAN], 0.75, 0),  # no weight: counted once
    ([NAN, 0, 1, 0, 1, 1, 0, 1], [1.0] * 7 + [3.0], 0.5, 1),
])
def test_individual_compliance_is_counted_on_the_respondents_who_answered(
        voted, weights, compliance_blast, left_out):
    respondents = pd.DataFrame({
        "arm": ["holdout"] * 4 + ["blast"] * 4, "voted": voted, "weight": weights,
        "reached": [False] * 4 + [True] * 3 + [False], "operator": "tsel"})
    rows, missing = report._individual_rows(respondents, "voted", receipts=True)
    assert missing == left_out
    # the overall row and the one operator's row: the same respondents, the same shares
    assert [r["stratum"] for r in rows] == ["overall", "tsel"]
    assert [r["outcome"] for r in rows] == ["voted", "voted"]
    for row in rows:
        assert (row["compliance_blast"], row["compliance_holdout"]) == pytest.approx(
            (compliance_blast, 0.0))


# the blast arm: three units of 1,000 voters with 8, 10 and 40 delivered: median 10 per
# 1,000 voters, so a unit is reached at 2.5 per 1,000 (a quarter of it)
BLAST_ARM = [("blast", 8, 1000), ("blast", 10, 1000), ("blast", 40, 1000)]


@pytest.mark.parametrize(("unit", "reached"), [
    (("holdout", 5, 2000), True),  # 2.5 per 1,000: exactly a quarter
    (("holdout", 4, 2000), False),  # 2 per 1,000
    (("holdout", 0, 2000), False),
    (("blast", 2, 1000), False),  # a blast unit barely served is not reached either
    (("holdout", 3, None), True),  # no DPT: 3 delivered against the median count 10
    (("holdout", 2, 0), False),  # a DPT of 0 is unknown too: 2 of 10 is below a quarter
])
def test_a_unit_is_reached_at_a_quarter_of_the_blast_arm_s_median(unit, reached):
    units = pd.DataFrame([*BLAST_ARM, unit], columns=["arm", "delivered", "dpt"])
    assert report.reached_units(units).tolist() == [True, True, True, reached]


@pytest.mark.parametrize(("blast", "other", "reached"), [
    ([("blast", 0, 1000)], ("holdout", 1, 1000), True),  # nothing in the blast arm: any
    ([("blast", 0, 1000)], ("holdout", 0, 1000), False),
])
def test_with_no_delivery_in_the_blast_arm_any_delivery_counts(blast, other, reached):
    units = pd.DataFrame([*blast, other], columns=["arm", "delivered", "dpt"])
    assert report.reached_units(units).tolist() == [False, reached]


def test_individual_itt_is_the_weighted_difference_of_the_arms(individual_db):
    with db.connect(individual_db, read_only=True) as conn:
        result = report.read_experiment(conn, "NOMOR-2024")
    row = overall(result.table, "voted")
    assert row["estimate"] == pytest.approx(0.25)  # 3/4 - 2/4
    assert (row["n_holdout"], row["n_blast"]) == (4, 4)
    assert (row["compliance_blast"], row["compliance_holdout"]) == (0.75, 0.0)
    assert row["complier_estimate"] == pytest.approx(0.25 / 0.75)
    # per operator: xl 0, 0 against 1, 0 (+50 points); telkomsel 1, 1 against 1, 1 has no
    # variation at all: no effect is given rather than 0 with a zero-width interval
    strata = result.table.set_index("stratum")
    assert math.isnan(strata.loc["telkomsel", "estimate"])
    assert strata.loc["telkomsel", "note"].startswith("every respondent of each arm")
    assert strata.loc["xl", "estimate"] == pytest.approx(0.5)


def test_the_export_table_has_a_row_per_experiment_outcome_and_stratum(cluster_db, tmp_path):
    from dashboard.cli import main

    path, _ = cluster_db
    with db.connect(path, read_only=True) as conn:
        frame = tables.table(conn, "experiment_results")
    assert list(frame.columns) == list(report.RESULT_COLUMNS)
    assert len(frame) == 2 * 4  # 2 outcomes x (overall + 3 provinces)
    assert set(frame["plan_sha256"].str.len()) == {64} and frame["synthetic"].all()
    out = tmp_path / "results.csv"
    assert main(["export", "experiment_results", "--db", str(path), "--out", str(out)]) == 0
    notes = (tmp_path / "results.csv.txt").read_text(encoding="utf-8")
    assert "DATA CONTOH" in notes and "UJI-2024 (SHA-256 " in notes


@pytest.mark.parametrize("name", ["experiment_effect", "experiment_mde_curve"])
def test_the_charts_source_line_names_the_plan_and_marks_a_synthetic_one(cluster_db, name):
    from dashboard.export.provenance import data_of_figure, provenance
    from dashboard.filters import Filters

    path, _ = cluster_db
    with db.connect(path, read_only=True) as conn:
        origin = provenance(conn, data_of_figure(name), Filters(), "id")
        sha = conn.execute("SELECT plan_sha256 FROM experiments").fetchall()[0][0]
    if name == "experiment_effect":  # the frozen plan is synthetic: sample data
        assert origin.sample and f"UJI-2024 (SHA-256 {sha[:12]})" in origin.footer
    else:  # power rests on election results alone (none loaded from a file here)
        assert not origin.sample and "UJI-2024" not in origin.footer


def test_no_frozen_experiment_gives_an_empty_export(tmp_path):
    with db.connect(tmp_path / "empty.duckdb") as conn:
        frame = tables.table(conn, "experiment_results")
    assert frame.empty and list(frame.columns) == list(report.RESULT_COLUMNS)


@pytest.mark.parametrize(("unit", "province", "stratum"), [
    ("regency", 32, "32"),  # a regency's stratum is its province
    ("province", 11, "sumatera"), ("province", 19, "sumatera"),
    ("province", 21, "sumatera"),  # Kepulauan Riau: Sumatera, though its code starts with 2
    ("province", 36, "jawa"), ("province", 53, "bali_nusa_tenggara"),
    ("province", 65, "kalimantan"), ("province", 76, "sulawesi"), ("province", 82, "maluku"),
    ("province", 96, "papua"),
])
def test_strata_are_provinces_for_regencies_and_island_groups_for_provinces(unit, province,
                                                                           stratum):
    assert report.stratum_of(unit, province) == stratum


def test_the_38_provinces_fall_in_7_island_groups():
    from dashboard.reference import provinces

    groups = {report.stratum_of("province", p) for p in provinces()["province_code"]}
    assert groups == {"sumatera", "jawa", "bali_nusa_tenggara", "kalimantan", "sulawesi",
                      "maluku", "papua"}


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (0.0123, "id", "+1,2 poin persentase"),
    (-0.005, "en", "-0.5 percentage points"),
    (0.0, "id", "0,0 poin persentase"),
    (math.nan, "id", "–"),
])
def test_effects_are_written_in_percentage_points(value, lang, expected):
    assert report.points(value, lang) == expected


@pytest.mark.parametrize(("note", "lang", "expected"), [
    # the estimators' reasons (estimators.cluster_itt / individual_itt raise them in English)
    ("both arms need units: the effect is a comparison", "id",
     "salah satu lengan tanpa unit: efek adalah perbandingan kedua lengan"),
    ("both arms need respondents: the effect is a comparison", "en",
     "one arm has no units: the effect compares the two arms"),
    ("too few units (3) for 2 strata, the interval needs residual degrees", "id",
     "terlalu sedikit unit untuk jumlah stratanya"),
    ("no unit has both a baseline and an outcome", "id", "tidak dapat dihitung dari data ini"),
    ("no unit has both a baseline and an outcome", "en", "cannot be computed from these data"),
    ("every respondent of each arm gave the same answer: the linearised variance is zero, so "
     "no interval or p-value can be given", "en",
     "every respondent of each arm answered alike: no variation to compute an interval from"),
    ("", "id", ""),
    (math.nan, "en", ""),
])
def test_a_reason_for_no_effect_is_said_in_the_readers_language(note, lang, expected):
    assert report.note_text(note, lang) == expected


def test_the_results_table_says_why_a_stratum_has_no_effect_and_nothing_else():
    table = pd.DataFrame({
        "outcome": ["turnout", "turnout"], "stratum": ["overall", "94"],
        "estimate": [0.012, math.nan], "ci_low": [0.005, math.nan],
        "ci_high": [0.019, math.nan], "p_value": [0.001, math.nan], "n_holdout": [50, 0],
        "n_blast": [457, 4], "compliance_blast": [0.96, 1.0],
        "compliance_holdout": [0.12, math.nan], "complier_estimate": [math.nan, math.nan],
        "complier_ci_low": [math.nan, math.nan], "complier_ci_high": [math.nan, math.nan],
        "note": ["3 units without baseline or outcome left out",
                 "both arms need units: the effect is a comparison"]})
    shown = report.screen_results(table, "regency", "id")
    assert shown["Catatan"].tolist() == [
        "", "salah satu lengan tanpa unit: efek adalah perbandingan kedua lengan"]
    assert shown["Dikirimi / ditahan"].tolist() == ["457 / 50", "4 / 0"]


def test_compliance_counts_units_of_the_arms_and_none_for_unplaced_messages():
    compliance = pd.DataFrame({
        "operator": ["tsel", "tsel", "tsel"], "arm": ["holdout", "blast", "unplaced"],
        "sent": [0, 4598, 19753], "delivered": [0, 4423, 18924],
        "recipients_delivered": [0, 4069, 13358], "units_reached": [0, 435, 0],
        "units_in_arm": [51, 463, None]})
    shown = report.screen_compliance(compliance, "cluster", "id")
    assert shown["Lengan"].tolist() == ["Ditahan", "Dikirimi", "Tak terpetakan"]
    assert shown.iloc[:, -1].tolist() == ["0 / 51", "435 / 463", "–"]
    assert shown["Dikirim"].tolist() == ["0", "4.598", "19.753"]


@pytest.mark.parametrize(("design", "lang", "expected"), [
    # written out by hand from the row below: 0.0121 -> +1,21 points; 0.0075 / 0.0167 -> the
    # interval; p 0.0005 -> "p < 0,001"; then what the number is, for its design
    ("cluster", "id", "berbeda +1,21 poin persentase dari yang ditahan (50) (IK 95%: +0,75 "
                      "s.d. +1,67; p < 0,001). Angka ini intention-to-treat (ITT): selisih "
                      "kedua lengan yang disesuaikan dengan angka pemilu dasar dan strata"),
    ("cluster", "en", "differ by +1.21 percentage points from those held out (50) (95% CI: "
                      "+0.75 to +1.67; p < 0.001). This is the intention to treat (ITT): the "
                      "difference between the arms adjusted for the baseline"),
    ("individual", "id", "Angka ini intention-to-treat (ITT): selisih porsi berbobot survei"),
])
def test_the_reading_gives_the_effect_its_interval_then_p_then_what_it_is(design, lang,
                                                                          expected):
    row = dict.fromkeys(report.RESULT_COLUMNS, math.nan)
    row.update(outcome="turnout", stratum=report.OVERALL, estimate=0.0121, ci_low=0.0075,
               ci_high=0.0167, p_value=0.0005, n_holdout=50, n_blast=457, note="")
    result = report.ExperimentResult(
        "X", design, "regency" if design == "cluster" else "number", {"waves": ["SMS08"]},
        "", True, True, pd.DataFrame([row]), pd.DataFrame())
    assert expected in report.reading(result, "turnout", lang)


# --- the page ------------------------------------------------------------------------------

def run_page(monkeypatch, path: Path, lang: str = "id") -> AppTest:
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    if lang != "id":
        at.button_group(key="lang").set_value(lang).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return " ".join([*(m.value for m in at.markdown), *(c.value for c in at.caption),
                     *(i.value for i in at.info), *(w.value for w in at.warning),
                     *(s.value for s in at.success)])


@pytest.mark.parametrize(("lang", "title", "none"), [
    ("id", "Rancang uji", "Belum ada eksperimen yang dibekukan"),
    ("en", "Experiment design", "No experiment is frozen"),
])
def test_an_empty_database_says_what_is_missing(monkeypatch, tmp_path, lang, title, none):
    with db.connect(tmp_path / "empty.duckdb"):
        pass
    at = run_page(monkeypatch, tmp_path / "empty.duckdb", lang)
    assert at.title[0].value == title
    said = texts(at)
    assert none in said
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize(("lang", "coverage", "effect", "hash_text"), [
    ("id", "41 dari 514 kabupaten/kota punya hasil pemilu 2019.", "+2,00 poin",
     "cocok dengan teks rencana"),
    ("en", "41 of 514 regencies have 2019 election results.", "+2.00 pts",
     "matches the stored plan text"),
])
def test_a_frozen_cluster_experiment_is_designed_and_read(monkeypatch, cluster_db, lang,
                                                          coverage, effect, hash_text):
    path, _ = cluster_db
    at = run_page(monkeypatch, path, lang)
    assert not at.error, [e.value for e in at.error]
    said = texts(at)
    assert coverage in said  # the gap is said: 473 regencies have none
    assert hash_text in said
    tiles = {m.label: m.value for m in at.metric}
    assert effect in tiles.values(), tiles
    # the reading says what is estimated and what it cannot say
    assert ("DITETAPKAN" if lang == "id" else "ASSIGNED") in said
    assert len(at.get("plotly_chart")) >= 4  # MDE curve, balance, two effects (+ compliers)
    # SMS01 is in the frozen plan: only SMS02 is offered for a new one
    assert at.multiselect(key="exp_waves").options == ["SMS02"]
    keys = {b.key for b in at.get("download_button")}
    assert "download_experiment_results" in keys


def test_a_plan_needs_a_sign_off_and_then_downloads(monkeypatch, cluster_db):
    path, _ = cluster_db
    at = run_page(monkeypatch, path)
    assert "exp_download_json" not in {b.key for b in at.get("download_button")}
    assert "Pilih gelombang SMS yang diuji" in texts(at)
    at.multiselect(key="exp_waves").set_value(["SMS02"]).run()
    assert "Isi nama dan jabatan" in texts(at)
    assert "exp_download_json" not in {b.key for b in at.get("download_button")}
    at.text_input(key="exp_signer").set_value("Bapak Penyetuju")
    at.text_input(key="exp_signer_role").set_value("Kepala Biro").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "exp_download_json" in {b.key for b in at.get("download_button")}
    assert any("experiment freeze" in c.value for c in at.code)


def test_an_individual_experiment_is_read_and_its_rule_shown(monkeypatch, individual_db):
    at = run_page(monkeypatch, individual_db, "en")
    assert not at.error, [e.value for e in at.error]
    tiles = {m.label: m.value for m in at.metric}
    assert "+25.00 pts" in tiles.values(), tiles
    at.radio(key="exp_design").set_value("number").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    codes = " ".join(c.value for c in at.code)
    # the reference implementations carry the salt drawn for the plan
    assert at.text_input(key="exp_salt").value in codes
    assert "CREATE" in codes.upper() or "SELECT" in codes.upper()


def test_freezing_in_the_app_writes_the_plan_as_the_cli_would(monkeypatch, tmp_path):
    """Local mode may load data (admin), so the page offers the freeze button: it writes
    through the database's write lock and publishes a snapshot, as an upload does."""
    path, _ = cluster_database(tmp_path)
    at = run_page(monkeypatch, path)
    at.multiselect(key="exp_waves").set_value(["SMS02"])
    at.text_input(key="exp_signer").set_value("Bapak Penyetuju")
    at.text_input(key="exp_signer_role").set_value("Kepala Biro").run()
    shown = next(m.value for m in at.markdown if "SHA-256" in m.value)
    at.button(key="exp_freeze").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with db.connect(path, read_only=True) as conn:
        stored = conn.execute("SELECT e.experiment_id, e.plan_sha256, e.signed_off_by, "
                              "w.wave_id FROM experiments e JOIN experiment_waves w USING "
                              "(experiment_id) WHERE w.wave_id = 'SMS02'").fetchall()
    assert len(stored) == 1
    experiment_id, sha, signed, _ = stored[0]
    assert experiment_id == "EXP-2029-SMS02" and sha in shown
    assert signed.startswith("Bapak Penyetuju (Kepala Biro)")
    assert any(sha in s.value for s in at.success)


def test_the_plan_records_the_power_of_every_outcome_it_names(monkeypatch, tmp_path):
    import json

    path, _ = cluster_database(tmp_path)
    at = run_page(monkeypatch, path)
    at.multiselect(key="exp_waves").set_value(["SMS02"])
    at.text_input(key="exp_signer").set_value("Bapak Penyetuju")
    at.text_input(key="exp_signer_role").set_value("Kepala Biro").run()
    at.button(key="exp_freeze").click().run()
    with db.connect(path, read_only=True) as conn:
        plan = json.loads(conn.execute("SELECT plan_json FROM experiments WHERE "
                                       "experiment_id = 'EXP-2029-SMS02'").fetchall()[0][0])
    assert plan["outcomes"] == ["turnout", "invalid_rate"]
    assert set(plan["power"]) == {"turnout", "invalid_rate"}
    # 41 regencies with both elections, in 3 provinces; the pair is 2019 and 2024
    assert {(v["n_units"], v["strata"], tuple(v["years"])) for v in plan["power"].values()} \
        == {(41, 3, (2019, 2024))}
    assert plan["baseline_year"] == 2024 and plan["outcome_year"] == 2029


ACCESS_FILE = """
[[users]]
email = "analis@example.go.id"
roles = ["analyst"]

[[users]]
email = "jabar@example.go.id"
roles = ["analyst"]
provinces = [32]
"""


@pytest.mark.parametrize(("email", "scoped"), [
    ("analis@example.go.id", False),  # the page, without the freeze button (no admin)
    ("jabar@example.go.id", True),  # an experiment spans every province: no page for a scope
])
def test_a_signed_in_analyst_sees_the_page_and_a_scoped_one_is_told_why_not(
        monkeypatch, cluster_db, tmp_path, email, scoped):
    from dashboard import access

    rules = tmp_path / "access.toml"
    rules.write_text(ACCESS_FILE, encoding="utf-8")
    monkeypatch.setenv(access.ACCESS_ENV, str(rules))
    monkeypatch.setenv("PEMILU_DB", str(cluster_db[0]))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=180)
    at.user = {"is_logged_in": True, "email": email, "email_verified": True}
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    said = texts(at)
    assert ("akses Anda terbatas pada beberapa provinsi" in said) is scoped
    assert (not at.metric) is scoped  # no effect shown to a scope
    if not scoped:
        at.multiselect(key="exp_waves").set_value(["SMS02"])
        at.text_input(key="exp_signer").set_value("Bapak Penyetuju")
        at.text_input(key="exp_signer_role").set_value("Kepala Biro").run()
        assert "exp_download_json" in {b.key for b in at.get("download_button")}
        assert not [b for b in at.button if b.key == "exp_freeze"]
        assert "hanya untuk admin" in texts(at)


def test_a_province_design_warns_of_its_power_and_names_the_borrowed_baselines(
        monkeypatch, tmp_path):
    from dashboard.reference import provinces

    path, _ = cluster_database(tmp_path)
    codes = [int(c) for c in provinces()["province_code"]]
    rows = [(year, code, 100_000, 80_000 - code * 10 + (year - 2019) * 50, 78_000, 2_000)
            for year in (2019, 2024) for code in codes
            if not (year == 2019 and code in (93, 94, 95, 96))]  # Papua's 2022 parts
    with db.connect(path) as conn:
        insert(conn, "election_results", rows)
    at = run_page(monkeypatch, path)
    at.radio(key="exp_design").set_value("province").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    said = texts(at)
    assert "Hanya 38 provinsi" in said
    borrowed = next(c.value for c in at.caption if "provinsi induknya" in c.value)
    # the names as Markdown escapes them (commas too): shown as written
    assert [name.strip() for name in borrowed.split(": ", 1)[1].split(". ")[0].split("\\,")
            ] == ["Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Papua Barat Daya"]
    assert "Dari 38 unit yang punya kedua pemilu (7 strata)" in said


# --- an individual experiment end to end: plan frozen, files loaded through the ingest ------

def _bucket_by_hand(salt_hex: str, msisdn62: str) -> int:
    """The contract's rule written out with hmac, independent of the code under test."""
    import hashlib
    import hmac

    digest = hmac.new(bytes.fromhex(salt_hex), msisdn62.encode("ascii"),
                      hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % 10_000


SURVEY_HEADER = ("respondent_id,interview_date,province,age_group,gender,urban_rural,operator,"
                 "received_sms,recalled_theme,voted,knows_valid_ballot,saw_hoax,believed_hoax,"
                 "weight,msisdn")


def test_an_individual_experiment_reads_arms_from_the_numbers_the_files_give(tmp_path):
    """Twenty respondents' numbers, a threshold of 5,000 (half held out): each respondent's
    arm is the rule computed by hand; every blast respondent voted, the held-out ones
    alternately, so the ITT is 1 - (the held-out share who voted), counted here by hand."""
    from dashboard.ingest import ingest_file
    from tests.conftest import HEADER, receipt, write

    numbers = [f"62812555{i:05d}" for i in range(20)]
    arms = {n: "holdout" if _bucket_by_hand(SALT, n) < 5000 else "blast" for n in numbers}
    assert set(arms.values()) == {"holdout", "blast"}  # the numbers split, or no comparison
    held = [n for n in numbers if arms[n] == "holdout"]
    voted = {n: "yes" if arms[n] == "blast" or held.index(n) % 2 == 0 else "no"
             for n in numbers}
    path = tmp_path / "ind.duckdb"
    with db.connect(path) as conn:
        assert ingest_file(conn, write(tmp_path, "waves.csv", [
            "wave_id,channel,sent_date,theme,message_text",
            "SMS05,sms,2024-01-25,turnout,Ayo memilih"])).ok
        plan = plans.build_plan(
            experiment_id="IND-E2E", title="Per nomor", design="individual", unit="number",
            waves=["SMS05"], outcomes=["voted"], holdout_share=0.5, seed=3,
            baseline_year=2019, outcome_year=2024, signed_off_by=SIGNED,
            thresholds={("telkomsel", 32): 5000}, salt=SALT, synthetic=False,
            created_at="2024-01-05T09:00:00+07:00")
        plans.freeze(conn, plan)
        # every blast number delivered, one held-out number too (the operator slipped)
        sent = [n for n in numbers if arms[n] == "blast"] + held[:1]
        assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *(
            receipt(f"M{i}", msisdn="0" + n[2:], wave="SMS05", submitted="2024-01-25 10:00:00",
                    done="2024-01-25 10:00:30") for i, n in enumerate(sent))])).ok
        assert ingest_file(conn, write(tmp_path, "survey.csv", [SURVEY_HEADER, *(
            f"R{i:02d},2024-02-20,32,25-34,female,urban,telkomsel,yes,,{voted[n]},yes,no,,1.0,"
            f"0{n[2:]}" for i, n in enumerate(numbers))])).ok
        result = report.read_experiment(conn, "IND-E2E")
    shown = result.units.set_index("respondent_id")["arm"]
    assert [shown[f"R{i:02d}"] for i in range(20)] == [arms[n] for n in numbers]
    row = overall(result.table, "voted")
    held_voted = sum(voted[n] == "yes" for n in held) / len(held)
    assert row["estimate"] == pytest.approx(1 - held_voted)
    assert (row["n_holdout"], row["n_blast"]) == (len(held), 20 - len(held))
    # compliance among respondents: every blast one reached, one held-out one of len(held)
    assert (row["compliance_blast"], row["compliance_holdout"]) == (1.0, 1 / len(held))
    compliance = result.compliance.set_index("arm")
    assert compliance.loc["holdout", "delivered"] == 1  # the slip, counted per operator
