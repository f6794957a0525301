"""The Rancang uji page's logic (issue 18): designing the next blast as a randomised experiment
and reading a frozen one after the vote. No streamlit: the page, the CLI export
(`export experiment_results`) and the tests all read these functions.

Design (before the blast): the candidate units and their past pair of elections
(marts/experiment_candidates.sql), the regency baseline's coverage, the power of the chosen
design (dashboard/experiment/power.py), the stratified assignment and its balance
(assignment.py), the individual design's salt and thresholds (holdout.py), the plan
(plan.py). Results (after the vote): each frozen plan's ITT with its 95 % interval and
randomisation-inference p-value (estimators.py), compliance from the receipts, the complier
effect where compliance is imperfect, per stratum and overall.

Choices made here, each said on the page:
- strata: a regency design is stratified by province; a province design by island group
  (the first digit of the BPS code: Sumatera, Jawa, Bali-Nusa Tenggara, Kalimantan, Sulawesi,
  Maluku, Papua), since 38 provinces in 38 strata would leave nothing to compare within;
- individual designs hold out the same share in every operator x province stratum;
- outcomes: a cluster design reads KPU turnout and invalid-ballot rate per unit; an individual
  design reads survey answers: `voted` (turnout) and `knows_valid_ballot` (a survey cannot
  see an invalid ballot, only whether the respondent knows how to cast a valid one);
- compliance: a cluster unit counts as reached when the experiment's waves delivered in it
  at least REACHED_SHARE of the blast arm's median messages per registered voter (a few stray
  messages into a held-out unit, or one small operator ignoring the plan there, do not make it
  "treated"; a blast unit that one operator alone served at its usual rate still is). Relative
  to the blast arm, not to a fixed rate, so it holds whatever the campaign's size;
  an individual respondent is reached when a message of the waves was delivered to their
  number. Results per stratum of an individual design are per operator (a survey has too
  few respondents per operator x province to say anything there).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import duckdb
import pandas as pd

from dashboard import reference
from dashboard.experiment import assignment, estimators, holdout, power
from dashboard.experiment.strata import OVERALL, stratum_name, stratum_of
from dashboard.filters import Filters
from dashboard.i18n import format_number, format_percent, t
from dashboard.reports.display import format_p
from dashboard.store import db

# the page's three designs: (design, unit)
DESIGNS: Final[dict[str, tuple[str, str]]] = {
    "regency": ("cluster", "regency"),
    "province": ("cluster", "province"),
    "number": ("individual", "number"),
}
OUTCOMES: Final[dict[str, tuple[str, ...]]] = {
    "cluster": ("turnout", "invalid_rate"),
    "individual": ("voted", "knows_valid_ballot"),
}
REACHED_SHARE: Final = 0.25
SHARES: Final = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)  # the MDE curve's hold-out shares
PAGE_SIMULATIONS: Final = 300  # re-draws per share on the page (the export of results: none)
PERMUTATIONS: Final = 2000  # randomisation-inference re-draws of a result
RESULT_COLUMNS: Final = (
    "experiment_id", "design", "unit", "outcome", "stratum", "estimate", "ci_low", "ci_high",
    "p_value", "n_holdout", "n_blast", "compliance_blast", "compliance_holdout",
    "complier_estimate", "complier_ci_low", "complier_ci_high", "method", "note",
    "waves", "plan_sha256", "plan_verified", "synthetic",
)


# --- design: units, strata, coverage ---------------------------------------------------------

def candidates(conn: duckdb.DuckDBPyConnection, unit: str, baseline_year: int,
               outcome_year: int) -> pd.DataFrame:
    """Every regency or province with its rates in the pair of elections and its stratum."""
    frame = db.run(conn, "marts/experiment_candidates", unit=unit,
                   baseline_year=baseline_year, outcome_year=outcome_year)
    frame["stratum"] = [stratum_of(unit, p) for p in frame["province_code"]]
    return frame


def election_years(conn: duckdb.DuckDBPyConnection) -> dict[str, list[int]]:
    """The years with results loaded, per province and per regency (newest last)."""
    frame = db.run(conn, "marts/experiment_election_years")
    return {level: sorted(int(y) for y in frame.loc[frame["level"] == level, "year"])
            for level in ("province", "regency")}


def regency_coverage(conn: duckdb.DuckDBPyConnection, baseline_year: int,
                     outcome_year: int) -> pd.DataFrame:
    """Every regency of the reference list and whether each year's results are loaded."""
    return db.run(conn, "marts/experiment_regency_coverage", baseline_year=baseline_year,
                  outcome_year=outcome_year)


def power_frame(frame: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The pair of elections as power.py reads it: unit_code, stratum, baseline, outcome, for
    the units with both (the others are left out and counted by the page)."""
    pair = pd.DataFrame({"unit_code": frame["unit_code"], "stratum": frame["stratum"],
                         "baseline": pd.to_numeric(frame[f"baseline_{outcome}"],
                                                   errors="coerce"),
                         "outcome": pd.to_numeric(frame[outcome], errors="coerce")})
    return pair.dropna().reset_index(drop=True)


@dataclass(frozen=True)
class ClusterPower:
    units: int  # units with both elections
    strata: int
    outcome_sd: float
    baseline_corr: float
    mde_analytic: float
    mde_simulated: float


def cluster_power(pair: pd.DataFrame, share: float, *, sims: int, seed: int) -> ClusterPower:
    """The MDE at 80 % power of a cluster design over these units, analytic and simulated."""
    sd, corr, n, k = power.within_stratum_moments(pair)
    return ClusterPower(n, k, sd, corr,
                        power.mde_cluster(sd, corr, n, share, n_strata=k),
                        power.simulated_mde_cluster(pair, share, sims=sims, seed=seed))


def survey_rate(conn: duckdb.DuckDBPyConnection, outcome: str) -> tuple[float | None, int]:
    """The survey's weighted share answering yes to an outcome question, and its respondents
    (the hold-out arm's expected rate for the individual design's power); None: no survey."""
    responses = db.run(conn, "marts/survey_responses")
    answers = responses[outcome].map({"yes": 1.0, "no": 0.0}) if len(responses) else None
    if answers is None or answers.notna().sum() == 0:
        return None, 0
    weights = pd.to_numeric(responses["weight"], errors="coerce").fillna(1.0)
    known = answers.notna()
    rate = float((answers[known] * weights[known]).sum() / weights[known].sum())
    return rate, int(len(responses))


def cluster_assignment(frame: pd.DataFrame, share: float, seed: int
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stratified assignment of every candidate unit and its balance table on the
    baseline covariates. frame: candidates() of the pair; the next experiment's baseline is
    the pair's later election, so its turnout, invalid rate and registered voters are the
    covariates (a unit without them is left out of that covariate's row only)."""
    drawn = assignment.assign_clusters(frame[["unit_code", "stratum"]], share, seed)
    covariates = pd.DataFrame({"unit_code": frame["unit_code"],
                               "baseline_turnout": frame["turnout"],
                               "baseline_invalid_rate": frame["invalid_rate"],
                               "dpt": frame["dpt"]})
    return drawn, assignment.balance_table(drawn, covariates)


def individual_thresholds(share: float) -> dict[tuple[str, int], int]:
    """The same share held out in every operator x province stratum."""
    threshold = holdout.threshold_for_share(share)
    return {(operator, int(code)): threshold
            for operator in reference.operators()["operator"]
            for code in reference.provinces()["province_code"]}


def thresholds_frame(thresholds: dict[tuple[str, int], int]) -> pd.DataFrame:
    """The thresholds as a table: operator, province_code, threshold, holdout_share."""
    rows = [{"operator": op, "province_code": code, "threshold": limit,
             "holdout_share": limit / holdout.BUCKETS}
            for (op, code), limit in sorted(thresholds.items())]
    return pd.DataFrame(rows, columns=["operator", "province_code", "threshold",
                                       "holdout_share"])


def sms_waves(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The SMS waves of the catalogue, with the experiment each is already in (None: free)."""
    waves = db.run(conn, "marts/waves_catalogue")
    waves = waves[waves["channel"] == "sms"]
    taken = conn.execute("SELECT wave_id, experiment_id FROM experiment_waves").df()
    return waves.merge(taken, on="wave_id", how="left").reset_index(drop=True)


# --- results: the frozen plans ---------------------------------------------------------------

@dataclass
class ExperimentResult:
    """One frozen experiment read after the vote."""

    experiment_id: str
    design: str
    unit: str
    plan: dict
    plan_sha256: str
    verified: bool  # the stored plan text hashes to the stored hash
    synthetic: bool
    table: pd.DataFrame  # RESULT_COLUMNS: per outcome, overall first, then each stratum
    compliance: pd.DataFrame  # marts/experiment_compliance
    units: pd.DataFrame = field(default_factory=pd.DataFrame)  # cluster units / respondents
    left_out: dict[str, int] = field(default_factory=dict)  # outcome -> units without data


def _verified(conn: duckdb.DuckDBPyConnection, plan_dict: dict) -> bool:
    from dashboard.experiment import plan as plans

    try:
        plans.verify_plan(conn, plan_dict)
    except plans.PlanError:
        return False
    return True


def frozen(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The frozen plans (plan.frozen_plans), newest first."""
    from dashboard.experiment import plan as plans

    frame = plans.frozen_plans(conn)
    if len(frame):
        frame = frame.sort_values("frozen_at", ascending=False).reset_index(drop=True)
    return frame


def read_experiment(conn: duckdb.DuckDBPyConnection, experiment_id: str, *,
                    permutations: int = PERMUTATIONS) -> ExperimentResult:
    """Everything the results view shows of one frozen experiment."""
    from dashboard.experiment import plan as plans

    row = frozen(conn).set_index("experiment_id").loc[experiment_id]
    plan_dict = plans.load_frozen(conn, experiment_id)
    design, unit = str(row["design"]), str(row["unit"])
    compliance = db.run(conn, "marts/experiment_compliance", experiment_id=experiment_id)
    common = {"experiment_id": experiment_id, "design": design, "unit": unit,
              "waves": ",".join(plan_dict.get("waves", [])),
              "plan_sha256": str(row["plan_sha256"]),
              "plan_verified": _verified(conn, plan_dict), "synthetic": bool(row["synthetic"])}
    outcomes = [o for o in plan_dict.get("outcomes", []) if o in OUTCOMES[design]] or list(
        OUTCOMES[design])
    if design == "cluster":
        units = db.run(conn, "marts/experiment_units_outcome", experiment_id=experiment_id,
                       baseline_year=int(plan_dict["baseline_year"]),
                       outcome_year=int(plan_dict["outcome_year"]))
        units["reached"] = reached_units(units)
        rows, left_out = [], {}
        for outcome in outcomes:
            found, missing = _cluster_rows(units, outcome, plan_dict, permutations,
                                           receipts=len(compliance) > 0)
            rows += found
            left_out[outcome] = missing
    else:
        units = db.run(conn, "marts/experiment_respondents", experiment_id=experiment_id)
        rows, left_out = [], {}
        for outcome in outcomes:
            found, missing = _individual_rows(units, outcome, receipts=len(compliance) > 0)
            rows += found
            left_out[outcome] = missing
    table = pd.DataFrame([{**common, **r} for r in rows], columns=list(RESULT_COLUMNS))
    return ExperimentResult(experiment_id, design, unit, plan_dict, common["plan_sha256"],
                            common["plan_verified"], common["synthetic"], table, compliance,
                            units, left_out)


def reached_units(units: pd.DataFrame) -> pd.Series:
    """Whether the experiment's waves reached each cluster unit (columns arm, delivered,
    dpt): delivered per registered voter at least REACHED_SHARE of the blast arm's median (a
    unit without a DPT: its delivered count against the blast arm's median count). Nothing
    delivered is never reached; with no delivery in the blast arm, any delivery counts."""
    dpt = pd.to_numeric(units["dpt"], errors="coerce")
    delivered = pd.to_numeric(units["delivered"], errors="coerce").fillna(0).astype(float)
    per_voter = delivered / dpt.where(dpt > 0)
    blast = units["arm"].eq("blast")

    def at_least(values: pd.Series) -> pd.Series:
        reference = values[blast].median()
        if pd.isna(reference) or reference <= 0:
            return values > 0
        return values >= REACHED_SHARE * reference

    reached = at_least(per_voter).where(per_voter.notna(), at_least(delivered))
    return reached.astype(bool) & (delivered > 0)


def _compliance(part: pd.DataFrame, weight: str | None = None, *, receipts: bool = True
                ) -> tuple[float, float]:
    """Share of each arm reached (weighted for survey respondents); unknown (NaN) when no
    receipt of the experiment's waves is loaded: nothing to count compliance from."""
    if not receipts:
        return math.nan, math.nan
    shares = []
    for arm in ("blast", "holdout"):
        rows = part[part["arm"] == arm]
        if rows.empty:
            shares.append(math.nan)
            continue
        w = (pd.to_numeric(rows[weight], errors="coerce").fillna(1.0) if weight
             else pd.Series(1.0, index=rows.index))
        shares.append(float((w * rows["reached"].astype(float)).sum() / w.sum()))
    return shares[0], shares[1]


def _estimate_row(stratum: str, outcome: str, estimate: estimators.Estimate | None,
                  note: str, compliance: tuple[float, float]) -> dict:
    row = {"outcome": outcome, "stratum": stratum, "estimate": math.nan, "ci_low": math.nan,
           "ci_high": math.nan, "p_value": math.nan, "n_holdout": 0, "n_blast": 0,
           "compliance_blast": compliance[0], "compliance_holdout": compliance[1],
           "complier_estimate": math.nan, "complier_ci_low": math.nan,
           "complier_ci_high": math.nan, "method": "", "note": note}
    if estimate is None:
        return row
    row.update(estimate=estimate.effect, ci_low=estimate.ci_low, ci_high=estimate.ci_high,
               p_value=estimate.p_value, n_holdout=estimate.n_holdout,
               n_blast=estimate.n_blast, method=estimate.method,
               note="; ".join(n for n in (note, estimate.note) if n))
    blast, held = compliance
    # the complier effect only where compliance is imperfect and the arms differ in it
    if (not any(math.isnan(c) for c in compliance) and (blast, held) != (1.0, 0.0)
            and blast > held):
        complier = estimators.complier_effect(estimate, blast, held)
        row.update(complier_estimate=complier.effect, complier_ci_low=complier.ci_low,
                   complier_ci_high=complier.ci_high)
    return row


def _run(estimator: Callable[[], estimators.Estimate]) -> tuple[estimators.Estimate | None,
                                                                 str]:
    try:
        return estimator(), ""
    except ValueError as problem:  # one arm empty, too few units: said, not raised
        return None, str(problem)


def _cluster_rows(units: pd.DataFrame, outcome: str, plan_dict: dict, permutations: int,
                  *, receipts: bool) -> tuple[list[dict], int]:
    frame = pd.DataFrame({"unit_code": units["unit_code"], "stratum": units["stratum"],
                          "arm": units["arm"],
                          "baseline": pd.to_numeric(units[f"baseline_{outcome}"],
                                                    errors="coerce"),
                          "outcome": pd.to_numeric(units[outcome], errors="coerce"),
                          "reached": units["reached"]})
    # a unit without a baseline or an outcome is left out of the comparison: the baseline is
    # measured before the draw, so leaving those out keeps the arms comparable
    usable = frame.dropna(subset=["baseline", "outcome"])
    left_out = len(frame) - len(usable)
    seed = int(plan_dict.get("seed", 0))
    share = plan_dict.get("holdout_share")
    rows = []
    # the plan's rule re-drawn over a subset is not the design's (the realised split may be
    # one it never draws): with units left out the test keeps each stratum's realised count
    estimate, note = _run(lambda: estimators.cluster_itt(
        usable, permutations=permutations, seed=seed,
        share=float(share) if share and not left_out else None))
    # compliance over the units the effect is estimated on: the complier effect divides one
    # by the other, so both must describe the same units
    rows.append(_estimate_row(OVERALL, outcome, estimate, note,
                              _compliance(usable, receipts=receipts)))
    for stratum, part in usable.groupby("stratum", sort=True):
        estimate, note = _run(lambda part=part: estimators.cluster_itt(
            part, permutations=permutations, seed=seed))
        rows.append(_estimate_row(str(stratum), outcome, estimate, note,
                                  _compliance(part, receipts=receipts)))
    return rows, left_out


def _individual_rows(respondents: pd.DataFrame, outcome: str, *, receipts: bool
                     ) -> tuple[list[dict], int]:
    placed = respondents[respondents["arm"].isin(assignment.ARMS)]
    frame = pd.DataFrame({"arm": placed["arm"], "outcome": placed[outcome],
                          "weight": placed["weight"], "reached": placed["reached"],
                          "stratum": placed["operator"].astype(str)})
    answered = frame.dropna(subset=["outcome"])
    left_out = len(respondents) - len(answered)
    rows = []
    estimate, note = _run(lambda: estimators.individual_itt(answered))
    rows.append(_estimate_row(OVERALL, outcome, estimate, note,
                              _compliance(answered, "weight", receipts=receipts)))
    for stratum, part in answered.groupby("stratum", sort=True):
        estimate, note = _run(lambda part=part: estimators.individual_itt(part))
        rows.append(_estimate_row(str(stratum), outcome, estimate, note,
                                  _compliance(part, "weight", receipts=receipts)))
    return rows, left_out


def experiment_results(conn: duckdb.DuckDBPyConnection, filters: Filters | None = None,
                       *, permutations: int = PERMUTATIONS) -> pd.DataFrame:
    """The export table `experiment_results`: one row per frozen experiment x outcome x
    stratum (the overall row first), RESULT_COLUMNS. An experiment is national by design:
    the sidebar's filters do not narrow it (the page says so)."""
    parts = [read_experiment(conn, experiment_id, permutations=permutations).table
             for experiment_id in frozen(conn)["experiment_id"]]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    return pd.concat(parts, ignore_index=True)


# --- words ---------------------------------------------------------------------------------

def p_text(value: object, lang: str) -> str:
    """'p = 0,042' or 'p < 0,001' (never 'p = < 0,001')."""
    shown = format_p(value, lang)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def points(value: float, lang: str, decimals: int = 1, *, signed: bool = True,
           short: bool = False) -> str:
    """A difference of two rates in percentage points: '+1,2 poin persentase' (an MDE or a
    spread, signed=False: '1,2 poin persentase'; short, for a tile a phone shows whole:
    '+1,2 poin', '+1.2 pts')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return format_number(None, lang=lang)
    sign = "+" if value > 0 and signed else ""
    number = format_number(value * 100, decimals, lang)
    if short:
        return f"{sign}{number} {t('exp.points_short', lang)}"
    return sign + t("exp.points", lang, n=number)


def reading(result: ExperimentResult, outcome: str, lang: str = "id") -> str:
    """The plain-language reading of one outcome's overall effect: what is estimated (the
    effect of being assigned to receive the blast, for these units and waves), the interval
    first, the p-value second, and what it cannot say."""
    rows = result.table[(result.table["outcome"] == outcome)
                        & (result.table["stratum"] == OVERALL)]
    if rows.empty or pd.isna(rows["estimate"].iloc[0]):
        note = rows["note"].iloc[0] if len(rows) else ""
        return t("exp.reading_none", lang, outcome=t(f"exp.outcome.{outcome}", lang),
                 reason=note_text(note, lang))
    row = rows.iloc[0]
    waves = ", ".join(result.plan.get("waves", []))
    units = t(f"exp.units.{result.unit}", lang)
    parts = [t("exp.reading_effect", lang, outcome=t(f"exp.outcome.{outcome}", lang),
               # two decimals, as the tiles and the table: at one an interval's end of
               # 0,02 reads "+0,0" and the effect -0,13 "-0,1"
               effect=points(row["estimate"], lang, 2), low=pts(row["ci_low"], lang),
               high=pts(row["ci_high"], lang), p=p_text(row["p_value"], lang),
               n_blast=format_number(row["n_blast"], lang=lang),
               n_holdout=format_number(row["n_holdout"], lang=lang), units=units,
               waves=waves)]
    parts.append(t(f"exp.reading_estimate.{result.design}", lang))
    crosses = row["ci_low"] <= 0 <= row["ci_high"]
    parts.append(t("exp.reading_zero" if crosses else "exp.reading_nonzero", lang))
    parts.append(t("exp.reading_what", lang, units=units, waves=waves))
    if not pd.isna(row["complier_estimate"]):
        parts.append(t("exp.reading_complier", lang,
                       blast=format_percent(row["compliance_blast"], 1, lang),
                       holdout=format_percent(row["compliance_holdout"], 1, lang),
                       effect=points(row["complier_estimate"], lang, 2),
                       low=pts(row["complier_ci_low"], lang),
                       high=pts(row["complier_ci_high"], lang)))
    parts.append(t(f"exp.reading_cannot.{result.design}", lang))
    return " ".join(parts)


# the estimators' reasons for not estimating (raised in English, kept so in the export), as
# the reader is told them: (start of the reason, i18n key); any other reason is said generally
NOTE_KEYS: Final = (("both arms need", "exp.note.one_arm"),
                    ("no stratum has units in both arms", "exp.note.one_arm"),
                    ("too few units", "exp.note.too_few"),
                    ("every respondent of each arm gave the same answer",
                     "exp.note.all_alike"))


def note_text(note: object, lang: str = "id") -> str:
    """Why an effect could not be computed, in `lang` ('' when there is no reason)."""
    text = "" if note is None or pd.isna(note) else str(note).strip()
    if not text:
        return ""
    return next((t(key, lang) for start, key in NOTE_KEYS if text.startswith(start)),
                t("exp.note.not_estimated", lang))


def pts(value: object, lang: str, decimals: int = 2) -> str:
    """A proportion difference in points for a table cell: +1,23 (no unit: the header has)."""
    if value is None or pd.isna(value):
        return format_number(None, lang=lang)
    number = float(value) * 100
    return ("+" if number > 0 else "") + format_number(number, decimals, lang)


def screen_results(table: pd.DataFrame, unit: str, lang: str = "id") -> pd.DataFrame:
    """One experiment's results for the screen, labelled in `lang`: effect and interval in
    percentage points first, the p-value second, then arms, compliance and the complier
    effect. Downloads keep the export table itself."""
    def pair(a: object, b: object, fmt: Callable[[object], str]) -> str:
        return f"{fmt(a)} / {fmt(b)}"

    def share(v: object) -> str:
        return format_percent(v, 1, lang)

    def count(v: object) -> str:
        return format_number(v, lang=lang)

    return pd.DataFrame({
        t("exp.col.outcome", lang): [t(f"exp.outcome.{o}", lang) for o in table["outcome"]],
        t("exp.col.stratum", lang): [stratum_name(v, unit, lang) for v in table["stratum"]],
        t("exp.col.effect", lang): [pts(v, lang) for v in table["estimate"]],
        t("exp.col.ci", lang): [f"{pts(lo, lang)} – {pts(hi, lang)}" for lo, hi in
                                zip(table["ci_low"], table["ci_high"], strict=True)],
        t("exp.col.p", lang): [format_p(v, lang) for v in table["p_value"]],
        # the blast arm first, as in the compliance column beside it
        t("exp.col.n", lang): [pair(b, h, count) for h, b in
                               zip(table["n_holdout"], table["n_blast"], strict=True)],
        t("exp.col.compliance", lang): [pair(b, h, share) for b, h in zip(
            table["compliance_blast"], table["compliance_holdout"], strict=True)],
        t("exp.col.complier", lang): [
            pts(e, lang) if pd.isna(e) else
            f"{pts(e, lang)} ({pts(lo, lang)} – {pts(hi, lang)})"
            for e, lo, hi in zip(table["complier_estimate"], table["complier_ci_low"],
                                 table["complier_ci_high"], strict=True)],
        # the reason a row has no effect, in the reader's language; an estimated row's
        # diagnostics (arm rates, units left out: said above the table) stay in the export
        t("exp.col.note", lang): [note_text(n, lang) if pd.isna(e) else "" for n, e in
                                  zip(table["note"], table["estimate"], strict=True)],
    })


def screen_balance(balance: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """The balance table for the screen: rates as percentages, DPT as counts."""
    def value(covariate: str, v: object) -> str:
        return (format_number(v, 0, lang) if covariate == "dpt"
                else format_percent(v, 2, lang))

    return pd.DataFrame({
        t("exp.col.covariate", lang): [t(f"exp.covariate.{c}", lang)
                                       for c in balance["covariate"]],
        t("exp.col.mean_holdout", lang): [value(c, v) for c, v in
                                          zip(balance["covariate"], balance["mean_holdout"],
                                              strict=True)],
        t("exp.col.mean_blast", lang): [value(c, v) for c, v in
                                        zip(balance["covariate"], balance["mean_blast"],
                                            strict=True)],
        t("exp.col.std_difference", lang): [format_number(v, 3, lang)
                                            for v in balance["std_difference"]],
    })


def _operator_names() -> dict[str, str]:
    ops = reference.operators()
    return dict(zip(ops["operator"], ops["name"], strict=True))


def screen_compliance(compliance: pd.DataFrame, design: str, lang: str = "id") -> pd.DataFrame:
    """Compliance per operator and arm for the screen (units reached out of the arm's units
    for a cluster design; numbers reached for an individual one)."""
    names = _operator_names()
    # messages placed in no unit have no units to count: '–', not a count of 0 units
    reached = [format_number(None, lang=lang) if a == "unplaced" else
               format_number(r, lang=lang) if pd.isna(n) else
               f"{format_number(r, lang=lang)} / {format_number(n, lang=lang)}"
               for a, r, n in zip(compliance["arm"], compliance["units_reached"],
                                  compliance["units_in_arm"], strict=True)]
    frame = pd.DataFrame({
        t("exp.col.operator", lang): [names.get(o, o) for o in compliance["operator"]],
        t("exp.col.arm", lang): [t(f"exp.arm.{a}", lang) for a in compliance["arm"]],
        t("exp.col.sent", lang): [format_number(v, lang=lang) for v in compliance["sent"]],
        t("exp.col.delivered", lang): [format_number(v, lang=lang)
                                       for v in compliance["delivered"]],
        t("exp.col.recipients", lang): [format_number(v, lang=lang)
                                        for v in compliance["recipients_delivered"]],
    })
    if design == "cluster":
        frame[t("exp.col.units_reached", lang)] = reached
    return frame


def screen_thresholds(thresholds: dict[tuple[str, int], int], lang: str = "id"
                      ) -> pd.DataFrame:
    names, provinces = _operator_names(), reference.province_names()
    rows = sorted(thresholds.items())
    return pd.DataFrame({
        t("exp.col.operator", lang): [names.get(op, op) for (op, _), _ in rows],
        t("exp.col.province", lang): [provinces.get(code, str(code)) for (_, code), _ in rows],
        t("exp.col.threshold", lang): [format_number(limit, lang=lang) for _, limit in rows],
    })


def screen_assignment(drawn: pd.DataFrame, frame: pd.DataFrame, unit: str,
                      lang: str = "id") -> pd.DataFrame:
    """Every unit with its stratum and arm, named, for the screen."""
    names = dict(zip(frame["unit_code"], frame["unit_name"], strict=True))
    return pd.DataFrame({
        t("exp.col.code", lang): drawn["unit_code"].astype(int).astype(str).tolist(),
        t("exp.col.name", lang): [names.get(u, "") for u in drawn["unit_code"]],
        t("exp.col.stratum", lang): [stratum_name(s, unit, lang) for s in drawn["stratum"]],
        t("exp.col.arm", lang): [t(f"exp.arm.{a}", lang) for a in drawn["arm"]],
    })


def screen_missing(missing: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    return pd.DataFrame({
        t("exp.col.code", lang): missing["regency_code"].astype(int).astype(str).tolist(),
        t("exp.col.name", lang): missing["name"].tolist(),
        t("exp.col.province", lang): missing["province_name"].tolist(),
    })


def missing_regencies(coverage: pd.DataFrame, column: str) -> pd.DataFrame:
    """The regencies without results for one year, by province: the gap, never filled."""
    missing = coverage[~coverage[column].astype(bool)]
    return missing[["regency_code", "name", "province_name"]].reset_index(drop=True)


# --- the plan --------------------------------------------------------------------------------

def power_record(values: dict[str, ClusterPower | float | None], years: tuple[int, int] | None,
                 basis: str = "") -> dict:
    """The plan's `power` field: per outcome the MDEs (proportions), the units or
    respondents they rest on and the pair of elections (plan.plan_html prints it)."""
    record: dict[str, dict] = {}
    for outcome, found in values.items():
        if isinstance(found, ClusterPower):
            record[outcome] = {"mde_analytic": found.mde_analytic,
                               "mde_simulated": found.mde_simulated, "n_units": found.units,
                               "strata": found.strata, "outcome_sd": found.outcome_sd,
                               "baseline_corr": found.baseline_corr,
                               "years": list(years) if years else None}
        elif found is not None:
            record[outcome] = {"mde_analytic": float(found), "mde_simulated": None,
                               "basis": basis}
    return record


def make_plan(*, experiment_id: str, title: str, choice: str, waves: list[str],
              outcomes: list[str], share: float, seed: int, baseline_year: int,
              outcome_year: int, signed_off_by: dict[str, str],
              drawn: pd.DataFrame | None, salt: str | None, power: dict | None,
              created_at: str | None = None, synthetic: bool = False) -> dict:
    """The plan of the page's choices (plan.build_plan; PlanError when something is wrong).
    Individual designs carry the thresholds of `share` in every operator x province."""
    from dashboard.experiment import plan as plans

    design, unit = DESIGNS[choice]
    return plans.build_plan(
        experiment_id=experiment_id, title=title, design=design, unit=unit, waves=waves,
        outcomes=outcomes, holdout_share=share, seed=seed, baseline_year=baseline_year,
        outcome_year=outcome_year, signed_off_by=signed_off_by,
        assignment=drawn if design == "cluster" else None,
        thresholds=individual_thresholds(share) if design == "individual" else None,
        salt=salt if design == "individual" else None, power=power, synthetic=synthetic,
        created_at=created_at)


def freeze_command(file_name: str, db_path: object) -> str:
    """The command that freezes a downloaded plan (the CLI writes; the app reads)."""
    import shlex

    return (f"python -m dashboard experiment freeze {shlex.quote(file_name)} "
            f"--db {shlex.quote(str(db_path))}")
