"""`python -m dashboard experiment ...` (dashboard/experiment/cli_commands.py): salt, plan,
freeze, pdf, verify, reference, on a small database with a past pair of regency elections
and a survey."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dashboard import reference
from dashboard.cli import main
from dashboard.experiment import holdout
from dashboard.experiment import plan as P
from dashboard.experiment.strata import stratum_of
from dashboard.export.figures import INSTALL_COMMAND, chromium_available
from dashboard.store import db


@pytest.fixture(autouse=True)
def english_cli(monkeypatch):
    """These tests read the command line's English words (tests/test_cli_language.py: both)."""
    monkeypatch.setenv("PEMILU_LANG", "en")


requires_chromium = pytest.mark.skipif(
    not chromium_available(), reason=f"no Chromium; CI runs `{INSTALL_COMMAND}`")
SIGN = ["--signed-off-by-name", "Budi Santoso", "--signed-off-by-role", "Direktur",
        "--signed-off-on", "2026-12-01"]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """Reference lists (514 regencies), regency results for 2019 and 2024 (turnout and
    invalid rate varying by regency, 2024 following 2019), and 400 survey respondents."""
    path = tmp_path_factory.mktemp("experiment") / "exp.duckdb"
    rng = np.random.default_rng(18)
    regencies = reference.regencies()
    turnout = rng.uniform(0.7, 0.85, len(regencies))
    invalid = rng.uniform(0.02, 0.05, len(regencies))
    rows = []
    for year, shift in ((2019, 0.0), (2024, 0.02)):
        dpt = np.full(len(regencies), 100_000)
        cast = np.round(dpt * np.clip(turnout + shift + rng.normal(0, 0.01, len(dpt)), 0, 1))
        bad = np.round(cast * np.clip(invalid + rng.normal(0, 0.003, len(dpt)), 0, 1))
        rows.append(pd.DataFrame({
            "year": year, "regency_code": regencies["regency_code"],
            "province_code": regencies["province_code"], "dpt": dpt, "ballots_cast": cast,
            "valid_votes": cast - bad, "invalid_votes": bad, "source": "test",
            "ingest_id": 1}))
    results = pd.concat(rows)
    survey = pd.DataFrame({
        "respondent_id": [f"R{i}" for i in range(400)], "province_code": 32,
        "voted": np.where(np.arange(400) % 4 == 0, "no", "yes"),  # 75 % yes
        "knows_valid_ballot": np.where(np.arange(400) % 2 == 0, "no", "yes"),
        "weight": 1.0})
    with db.connect(path) as conn:
        conn.register("results_frame", results)
        conn.execute("INSERT INTO election_results_regency BY NAME SELECT * FROM "
                     "results_frame")
        conn.register("survey_frame", survey)
        conn.execute("INSERT INTO survey_responses BY NAME SELECT * FROM survey_frame")
    return path


@pytest.fixture
def db_copy(database, tmp_path):
    """A database of its own for a test that freezes."""
    target = tmp_path / "exp.duckdb"
    target.write_bytes(database.read_bytes())
    return target


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["experiment", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def make_plan(capsys, database, out, *extra) -> dict:
    code, printed, err = run(capsys, "plan", "--db", database, "--out", out, *SIGN, *extra)
    assert code == 0, err
    return P.read_plan(out)


def test_salt_prints_a_fresh_salt(capsys):
    salts = {run(capsys, "salt")[1].strip() for _ in range(3)}
    assert len(salts) == 3 and all(re.fullmatch(r"[0-9a-f]{64}", s) for s in salts)


def test_a_cluster_plan_of_regencies(capsys, database, tmp_path):
    plan = make_plan(capsys, database, tmp_path / "plan.json", "--design", "cluster",
                     "--waves", "W20,W21", "--share", "0.1", "--seed", "11", "--sims", "40")
    assert (plan["design"], plan["unit"], plan["waves"], plan["seed"]) == (
        "cluster", "regency", ["W20", "W21"], 11)
    assert plan["outcomes"] == ["turnout", "invalid_rate"]
    assert plan["signed_off_by"] == {"name": "Budi Santoso", "role": "Direktur",
                                     "date": "2026-12-01"}
    units = pd.DataFrame(plan["assignment"])
    assert len(units) == 514
    # every regency's stratum is its province; 10 % of 514 = 51.4: 51 or 52 held out
    province = dict(zip(reference.regencies()["regency_code"],
                        reference.regencies()["province_code"], strict=True))
    assert (units["stratum"] == units["unit_code"].map(province).astype(str)).all()
    assert (units["arm"] == "holdout").sum() in (51, 52)
    # the power analysis read the past pair that was loaded
    assert set(plan["power"]) == {"turnout", "invalid_rate"}
    assert plan["power"]["turnout"]["years"] == [2019, 2024]
    assert plan["power"]["turnout"]["n_units"] == 514
    assert 0 < plan["power"]["turnout"]["mde_analytic"] < 0.05
    assert plan["power"]["turnout"]["mde_simulated"] > 0


def test_the_same_seed_gives_the_same_assignment(capsys, database, tmp_path):
    args = ["--design", "cluster", "--waves", "W20", "--seed", "5", "--sims", "0"]
    first = make_plan(capsys, database, tmp_path / "a.json", *args)
    second = make_plan(capsys, database, tmp_path / "b.json", *args)
    other = make_plan(capsys, database, tmp_path / "c.json", *args[:-3], "6", "--sims", "0")
    assert first["assignment"] == second["assignment"] != other["assignment"]


def test_a_province_plan_is_stratified_by_island_group(capsys, database, tmp_path):
    plan = make_plan(capsys, database, tmp_path / "plan.json", "--design", "cluster",
                     "--unit", "province", "--waves", "W20", "--seed", "1", "--share", "0.25")
    units = pd.DataFrame(plan["assignment"])
    assert len(units) == 38
    # the page's rule (experiment/strata.stratum_of), not a second copy: 32 is in Jawa,
    # 11 and 12 in Sumatera
    assert (units["stratum"] == [stratum_of("province", u) for u in units["unit_code"]]).all()
    strata = dict(zip(units["unit_code"], units["stratum"], strict=True))
    assert strata[32] == "jawa" and strata[11] == strata[12] == "sumatera"
    assert (units["arm"] == "holdout").sum() in (9, 10)  # 25 % of 38 = 9.5
    assert plan["power"] is None  # no province results loaded: said, not invented


def test_an_individual_plan(capsys, database, tmp_path):
    out = tmp_path / "plan.json"
    code, printed, _ = run(capsys, "plan", "--db", database, "--out", out, *SIGN, "--design",
                           "individual", "--waves", "W30", "--share", "0.05", "--seed", "3",
                           "--synthetic")
    assert code == 0
    plan = P.read_plan(out)
    assert plan["unit"] == "number" and plan["synthetic"] is True
    thresholds = P.thresholds_of(plan)
    # 4 operators (indosat, smartfren, telkomsel, xl) x 38 provinces, 5 % = 500 of 10,000
    assert len(thresholds) == 152 and set(thresholds.values()) == {500}
    assert {op for op, _ in thresholds} == {"indosat", "smartfren", "telkomsel", "xl"}
    assert plan["salt"] in printed and re.fullmatch(r"[0-9a-f]{64}", plan["salt"])
    # survey: 75 % voted among 400 respondents; design effect 1.5 and compliance 0.9 by
    # default: MDE = (z_0.975 + z_0.8) sqrt(1.5 x 0.75 x 0.25 / (400 x 0.05 x 0.95)) / 0.9
    expected = ((stats.norm.ppf(0.975) + stats.norm.ppf(0.8))
                * math.sqrt(1.5 * 0.75 * 0.25 / (400 * 0.05 * 0.95)) / 0.9)
    assert plan["power"]["voted"]["mde_analytic"] == pytest.approx(expected, rel=1e-9)
    assert plan["power"]["voted"]["mde_simulated"] is None


@pytest.mark.parametrize(("argv", "message"), [
    (["--design", "cluster", "--waves", "W1", "--signed-off-by-name", " ",
      "--signed-off-by-role", "x"], "approved withholding"),
    (["--design", "cluster", "--waves", "W1", *SIGN, "--share", "0.6"], "at most 0.5"),
    (["--design", "cluster", "--waves", "W 1", *SIGN], "Not a valid wave id"),
    (["--design", "cluster", "--waves", "", *SIGN], "non-empty list"),
    (["--design", "cluster", "--unit", "number", "--waves", "W1", *SIGN], "unit"),
    (["--design", "individual", "--waves", "W1", "--outcomes", "turnout", *SIGN],
     "outcomes"),
    (["--design", "individual", "--waves", "W1", "--salt", "xyz", *SIGN], "salt must be"),
])
def test_plan_refuses_bad_arguments(capsys, database, tmp_path, argv, message):
    out = tmp_path / "plan.json"
    code, _, err = main(["experiment", "plan", "--db", str(database), "--out", str(out),
                         *argv]), *capsys.readouterr()
    assert code == 1 and message in err, err
    assert not out.exists()


def test_plan_without_a_database_says_how_to_make_one(capsys, tmp_path):
    code, _, err = run(capsys, "plan", "--db", tmp_path / "none.duckdb", "--out",
                       tmp_path / "p.json", "--design", "cluster", "--waves", "W1", *SIGN)
    assert code == 1 and "init" in err


def test_freeze_verify_and_refusals(capsys, db_copy, tmp_path):
    path = tmp_path / "plan.json"
    plan = make_plan(capsys, db_copy, path, "--design", "cluster", "--waves", "W20,W21",
                     "--seed", "2", "--sims", "0")
    sha = P.plan_sha256(plan)
    code, out, _ = run(capsys, "verify", path, "--db", db_copy)
    assert code == 1  # not frozen yet
    for _ in range(2):  # the second freeze of the same plan changes nothing
        code, out, _ = run(capsys, "freeze", path, "--db", db_copy)
        assert code == 0 and sha in out
    code, out, _ = run(capsys, "verify", path, "--db", db_copy)
    assert code == 0 and sha in out
    # the file edited after freezing: verify names both hashes
    edited = json.loads(path.read_text())
    edited["assignment"][0]["arm"] = "blast" if edited["assignment"][0]["arm"] == "holdout" \
        else "holdout"
    path.write_text(json.dumps(edited, indent=1))
    code, _, err = run(capsys, "verify", path, "--db", db_copy)
    assert code == 1 and sha[:12] in err and P.plan_sha256(edited)[:12] in err
    # a second plan for one of the waves: refused when planned and when frozen
    code, _, err = run(capsys, "plan", "--db", db_copy, "--out", tmp_path / "second.json",
                       *SIGN, "--design", "individual", "--waves", "W30,W21", "--id", "exp-b")
    assert code == 1 and "W21" in err and "exp-W20" in err
    second = P.build_plan(**{**_fields(plan), "experiment_id": "exp-b",
                             "waves": ["W21"]})
    (tmp_path / "second.json").write_bytes(P.canonical_json(second))
    code, _, err = run(capsys, "freeze", tmp_path / "second.json", "--db", db_copy)
    assert code == 1 and "W21" in err and "exp-W20" in err


def _fields(plan: dict) -> dict:
    """build_plan's arguments from a cluster plan."""
    return dict(experiment_id=plan["experiment_id"], title=plan["title"],
                design=plan["design"], unit=plan["unit"], waves=plan["waves"],
                outcomes=plan["outcomes"], holdout_share=plan["holdout_share"],
                seed=plan["seed"], baseline_year=plan["baseline_year"],
                outcome_year=plan["outcome_year"], signed_off_by=plan["signed_off_by"],
                assignment=pd.DataFrame(plan["assignment"]), power=plan["power"],
                synthetic=plan["synthetic"], created_at=plan["created_at"])


def test_freeze_refuses_a_file_that_is_not_a_plan(capsys, db_copy, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{"design": "cluster"}')
    code, _, err = run(capsys, "freeze", path, "--db", db_copy)
    assert code == 1 and "lacks the field" in err
    code, _, err = run(capsys, "freeze", tmp_path / "missing.json", "--db", db_copy)
    assert code == 1 and "cannot read the plan" in err


@requires_chromium
def test_pdf_is_a_draft_until_frozen_then_prints_the_hash(capsys, db_copy, tmp_path):
    path = tmp_path / "plan.json"
    plan = make_plan(capsys, db_copy, path, "--design", "cluster", "--unit", "province",
                     "--waves", "W40", "--seed", "4")
    code, out, _ = run(capsys, "pdf", path, "--db", db_copy, "--out", tmp_path / "d.pdf",
                       "--lang", "en")
    assert code == 0 and "DRAFT" in out
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    run(capsys, "freeze", path, "--db", db_copy)
    code, out, _ = run(capsys, "pdf", path, "--db", db_copy, "--out", tmp_path / "f.pdf")
    assert code == 0 and P.plan_sha256(plan) in out


@pytest.mark.parametrize("lang", ["python", "duckdb", "postgres"])
def test_reference_prints_the_operators_rule(capsys, database, tmp_path, lang):
    path = tmp_path / "plan.json"
    plan = make_plan(capsys, database, path, "--design", "individual", "--waves", "W30",
                     "--share", "0.2")
    code, out, _ = run(capsys, "reference", "--plan", path, "--lang", lang, "--operator",
                       "xl")
    make = {"python": holdout.reference_python, "duckdb": holdout.reference_duckdb_sql,
            "postgres": holdout.reference_postgres_sql}[lang]
    assert code == 0
    assert out == make(plan["salt"], P.thresholds_of(plan), operator="xl")
    assert "('xl', 32, 2000)" in out or "('xl', 32): 2000" in out


def test_reference_refuses_a_cluster_plan_and_an_unknown_operator(capsys, database, tmp_path):
    cluster = tmp_path / "cluster.json"
    make_plan(capsys, database, cluster, "--design", "cluster", "--unit", "province",
              "--waves", "W20", "--seed", "1")
    code, _, err = run(capsys, "reference", "--plan", cluster, "--lang", "python")
    assert code == 1 and "cluster plan" in err
    individual = tmp_path / "individual.json"
    make_plan(capsys, database, individual, "--design", "individual", "--waves", "W30")
    code, _, err = run(capsys, "reference", "--plan", individual, "--lang", "duckdb",
                       "--operator", "axis")
    assert code == 1 and "axis" in err
