"""A simulated past experiment (issue 18), all synthetic: regency election results for 2019 and
2024, a cluster hold-out by regency over the waves SMS08 and SMS09, its frozen plan, and the
receipts of those waves that name the recipient's regency.

What it writes (sample_data/README.md, section "Simulated experiment", says the same):

- ``election_results_regency_synthetic.csv``: per regency (the 514 of
  dashboard/reference/regencies.csv) and year, dpt, ballots cast, valid and invalid votes in
  the election-results format with its optional ``regency`` column; ``source`` is
  ``SINTETIS / synthetic sample`` on every row. Each province's regencies add up exactly to
  that province's row of the sample's election_results.csv (DPT, ballots cast and invalid
  votes; valid = ballots - invalid), 2019 in the provinces of 2019 (Papua before the 2022
  split). Turnout and the invalid rate vary by regency with a persistent part (so 2019 predicts
  2024, which the ANCOVA uses) and a yearly part. A few regencies have no 2019 row on purpose
  (MISSING_BASELINE), so the page shows the coverage gap.
- ``experiment_plan_sample.json``: the plan, built by dashboard.experiment.plan.build_plan
  with the assignment of dashboard.experiment.assignment.assign_clusters (10 % of regencies
  held out, stratified by province, seed ASSIGNMENT_SEED). ``init --sample`` freezes it
  (freeze_sample_plan).
- ``receipts_zz_experiment_regency_sms08-09.csv.gz``: canonical receipts with a ``regency``
  column, further messages of SMS08 and SMS09 to the sample's own recipients (numbers that the
  operators' exports do not already give that wave). Telkomsel and Indosat keep the hold-out;
  XL messages a few of its subscribers in held-out regencies (LEAK 5 %), Smartfren most of
  them (85 %: about 8 % of its messages land in held-out regencies). The exports of these
  waves carry no regency, so the page counts their receipts as unplaced.

The injected truth: being fully reached by the two waves raises a regency's turnout by
TURNOUT_EFFECT (1.0 point) and lowers its invalid rate by INVALID_EFFECT (0.2 point). A
held-out regency is reached only by the leaking operators: its exposure is the sum over
operators of (the operator's share of the province's subscribers x its LEAK), so the
intention-to-treat effect is the full effect x (1 - mean exposure of the held-out regencies);
the manifest gives both, and the compliance per operator.

Run ``python -m dashboard.sample.experiment --out sample_data`` (after dashboard.sample.receipts
and dashboard.sample.election, whose files it builds on) to regenerate the three files and the
manifest's section "experiment".
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import config, reference
from dashboard.experiment import plan
from dashboard.experiment.assignment import assign_clusters
from dashboard.experiment.power import mde_cluster
from dashboard.sample import election
from dashboard.sample import receipts as base
from dashboard.sample.manifest import write_group

DEFAULT_SEED = 2024
ASSIGNMENT_SEED = 18_2024  # recorded in the plan: assign_clusters(units, 0.10, 182024)
EXPERIMENT_ID = "SAMPEL-2024-SMS08-09"
TITLE = ("Contoh: uji hold-out per kabupaten/kota, gelombang SMS08-SMS09 (SINTETIS) / "
         "Example: regency hold-out, waves SMS08-SMS09 (synthetic)")
WAVES = ("SMS08", "SMS09")
HOLDOUT_SHARE = 0.10
BASELINE_YEAR, OUTCOME_YEAR = 2019, 2024
OUTCOMES = ("turnout", "invalid_rate")
SIGNED_OFF_BY = {"name": "Contoh / Example", "role": "Direktur (sampel)", "date": "2024-01-25"}
CREATED_AT = "2024-01-25T10:00:00+07:00"
FROZEN_AT = "2024-01-29T09:00:00+07:00"  # before SMS08 (1 Feb 2024)
SOURCE = "SINTETIS / synthetic sample"

ELECTION_FILE = "election_results_regency_synthetic.csv"
RECEIPTS_FILE = "receipts_zz_experiment_regency_sms08-09.csv.gz"  # loads after the exports
PLAN_FILE = "experiment_plan_sample.json"
REGENERATE = ".venv/bin/python -m dashboard.sample.experiment --out sample_data"
ELECTION_HEADER = ("year", "province", "regency", "dpt", "ballots_cast", "valid_votes",
                   "invalid_votes", "source")
RECEIPTS_HEADER = (*base.CANONICAL_HEADER, "regency")

# The injected effects of full exposure to both waves, as proportions (0.010 = 1.0 point).
TURNOUT_EFFECT = 0.010
INVALID_EFFECT = -0.002
# Share of an operator's subscribers in a held-out regency that it messaged anyway.
LEAK = {"telkomsel": 0.0, "indosat": 0.0, "xl": 0.05, "smartfren": 0.85}
# Regency variation (proportions): a persistent part shared by both years and a yearly part.
TURNOUT_PERSISTENT_SD, TURNOUT_YEARLY_SD, KOTA_TURNOUT = 0.040, 0.012, -0.015
INVALID_PERSISTENT_SD, INVALID_YEARLY_SD = 0.30, 0.08  # on the log scale of the rate
MIN_INVALID_RATE = 0.0005
# Baseline rows left out on purpose: this many regencies of the noken provinces (Papua Tengah,
# Papua Pegunungan), whose 2019 regency figures are the hardest to find, and of the rest.
MISSING_BASELINE = {"noken": 4, "other": 3}
NOKEN = (94, 95)
# The experiment's receipts: a recipient of the pool who is not in a wave's exports gets the
# wave with this probability (times LEAK in a held-out regency).
SEND_PROBABILITY = 0.40
ID_OFFSET = 5_000_000  # message ids above every export's (base.ID_OFFSET + about 90,000)
REGENCY_STYLES = {"code": 0.60, "dotted_code": 0.10, "listed_name": 0.15, "short_name": 0.15}
# Odd rows of the receipts file: a bare name two regencies share (unknown_regency), a regency
# of another province than the row's (regency_province_mismatch), no regency at all (no
# warning; counted as unplaced).
AMBIGUOUS_REGENCY = "Bandung"
ODD_RECEIPTS = {"unknown_regency": 4, "regency_province_mismatch": 3, "blank_regency": 8}


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers in proportion to weights that add up to total exactly (largest
    remainders get the rest)."""
    share = total * weights / weights.sum()
    whole = np.floor(share).astype(np.int64)
    rest = int(total - whole.sum())
    order = np.argsort(-(share - whole), kind="stable")
    whole[order[:rest]] += 1
    return whole


def _exact(total: int, values: np.ndarray) -> np.ndarray:
    """Round values (already adding up to about total) to whole numbers adding up to total."""
    return _allocate(total, np.clip(values, 1e-9, None))


def _province_results() -> pd.DataFrame:
    """The sample's province rows (election_results.csv) with their province codes."""
    rows = election.election_results()
    rows["province_code"] = rows["province"].map(reference.province_code).astype("int64")
    return rows.set_index(["year", "province_code"])


def _unit_2019(regencies: pd.DataFrame) -> pd.Series:
    """The 2019 province of each regency (Papua's 2022 parts in their parent)."""
    provinces = reference.provinces().set_index("province_code")["split_from_2019"]
    parent = regencies["province_code"].map(provinces)
    return parent.fillna(regencies["province_code"]).astype("int64")


def operator_shares() -> pd.DataFrame:
    """Each operator's share of a province's subscribers, as the receipts sample draws them:
    province_code x operator."""
    ref = base._reference()
    shares = np.diff(np.concatenate([np.zeros((len(ref.codes), 1)), ref.share_cdf], axis=1),
                     axis=1)
    return pd.DataFrame(shares, index=pd.Index(ref.codes, name="province_code"),
                        columns=list(base.OPERATORS))


@dataclass
class Truth:
    """What the generator injected, for the manifest and the tests."""
    assignment: pd.DataFrame  # unit_code, stratum, arm
    exposure: pd.Series  # by regency_code: 1 for blast, the leak for held-out
    missing_baseline: list[int]


def _assignment() -> pd.DataFrame:
    regencies = reference.regencies()
    units = pd.DataFrame({"unit_code": regencies["regency_code"].astype("int64"),
                          "stratum": regencies["province_code"].astype(str)})
    return assign_clusters(units, HOLDOUT_SHARE, ASSIGNMENT_SEED)


def regency_results(seed: int = DEFAULT_SEED) -> tuple[pd.DataFrame, Truth]:
    """The rows of the regency file (2019 then 2024, regency code order) as numbers, and the
    truth injected into them."""
    rng = np.random.default_rng(seed)
    regencies = reference.regencies().sort_values("regency_code", ignore_index=True)
    code = regencies["regency_code"].to_numpy(dtype=np.int64)
    province = regencies["province_code"].to_numpy(dtype=np.int64)
    unit19 = _unit_2019(regencies).to_numpy()
    kota = (regencies["kind"] == "kota").to_numpy()
    results = _province_results()
    n = len(code)

    # sizes: lognormal, kota smaller; Kepulauan Seribu (about 20,000 voters) tiny
    size = rng.lognormal(0.0, 0.75, n) * np.where(kota, 0.55, 1.0)
    size[regencies["name"].str.contains("SERIBU").to_numpy()] = 0.01
    size19 = size * rng.lognormal(0.0, 0.04, n)

    assignment = _assignment()
    arm = assignment.set_index("unit_code")["arm"].reindex(code).to_numpy()
    shares = operator_shares().reindex(province)
    leak = shares.to_numpy() @ np.array([LEAK[o] for o in base.OPERATORS])
    exposure = np.where(arm == "blast", 1.0, leak)

    persistent_t = rng.normal(0.0, TURNOUT_PERSISTENT_SD, n) + np.where(kota, KOTA_TURNOUT, 0.0)
    persistent_i = rng.normal(0.0, INVALID_PERSISTENT_SD, n)
    yearly = {year: (rng.normal(0.0, TURNOUT_YEARLY_SD, n),
                     rng.normal(0.0, INVALID_YEARLY_SD, n)) for year in (2019, 2024)}

    dpt = {2024: np.zeros(n, np.int64), 2019: np.zeros(n, np.int64)}
    for p in np.unique(province):
        at = province == p
        dpt[2024][at] = _allocate(int(results.loc[(2024, p), "dpt"]), size[at])
    for q in np.unique(unit19):
        at = unit19 == q
        dpt[2019][at] = _allocate(int(results.loc[(2019, q), "dpt"]), size19[at])

    def rate(year: int, p: int, column: str) -> float:
        row = results.loc[(year, p)]
        below = row["dpt"] if column == "ballots_cast" else row["ballots_cast"]
        return float(row[column] / below)

    # 2019: the 2019 unit's turnout, moved by the 2024 province's difference from its 2019
    # unit (Papua Tengah's regencies turned out more than the rest of Papua then, too)
    centre19 = np.zeros(n)
    for p in np.unique(province):
        at = province == p
        q = unit19[at][0]
        parts = np.unique(province[unit19 == q])
        combined = (sum(results.loc[(2024, x), "ballots_cast"] for x in parts)
                    / sum(results.loc[(2024, x), "dpt"] for x in parts))
        centre19[at] = rate(2019, q, "ballots_cast") + rate(2024, p, "ballots_cast") - combined
    raw = {2019: centre19 + persistent_t + yearly[2019][0],
           2024: np.array([rate(2024, p, "ballots_cast") for p in province]) + persistent_t
           + yearly[2024][0] + TURNOUT_EFFECT * exposure}
    group = {2019: unit19, 2024: province}
    ballots: dict[int, np.ndarray] = {}
    invalid: dict[int, np.ndarray] = {}
    for year in (2019, 2024):
        ballots[year] = np.zeros(n, np.int64)
        invalid[year] = np.zeros(n, np.int64)
        for g in np.unique(group[year]):
            at = group[year] == g
            row = results.loc[(year, g)]
            turnout = np.maximum(raw[year][at], 0.40)
            # additive: a province's regencies move together, so differences within it (the
            # injected effect among them) stay exactly as drawn
            turnout = turnout + (row["ballots_cast"] - (dpt[year][at] * turnout).sum()) \
                / dpt[year][at].sum()
            ballots[year][at] = _exact(int(row["ballots_cast"]), dpt[year][at] * turnout)
            level = row["invalid_votes"] / row["ballots_cast"]
            shape = level * np.exp(persistent_i[at] + yearly[year][1][at])
            effect = INVALID_EFFECT * exposure[at] if year == OUTCOME_YEAR else 0.0
            # multiplicative on the regency's own part, the effect added on top unscaled
            scale = ((row["invalid_votes"] - (ballots[year][at] * effect).sum())
                     / (ballots[year][at] * shape).sum())
            rates = np.maximum(scale * shape + effect, MIN_INVALID_RATE)
            invalid[year][at] = _exact(int(row["invalid_votes"]), ballots[year][at] * rates)

    missing = _missing_baseline(rng, code, province)
    frames = []
    for year in (2019, 2024):
        keep = ~np.isin(code, missing) if year == BASELINE_YEAR else np.ones(n, bool)
        frames.append(pd.DataFrame({
            "year": year, "regency_code": code[keep],
            "province_code": (unit19 if year == 2019 else province)[keep],
            "dpt": dpt[year][keep], "ballots_cast": ballots[year][keep],
            "valid_votes": (ballots[year] - invalid[year])[keep],
            "invalid_votes": invalid[year][keep], "source": SOURCE}))
    truth = Truth(assignment, pd.Series(exposure, index=pd.Index(code, name="regency_code")),
                  sorted(int(c) for c in missing))
    return pd.concat(frames, ignore_index=True), truth


def _missing_baseline(rng: np.random.Generator, code: np.ndarray,
                      province: np.ndarray) -> list[int]:
    noken = rng.choice(code[np.isin(province, NOKEN)], MISSING_BASELINE["noken"], replace=False)
    other = rng.choice(code[~np.isin(province, NOKEN)], MISSING_BASELINE["other"], replace=False)
    return sorted(int(c) for c in (*noken, *other))


def _title(name: str) -> str:
    """'KABUPATEN BANDUNG' -> 'Kab. Bandung', 'KOTA BANDUNG' -> 'Kota Bandung'."""
    text = name.title()
    return "Kab. " + text.removeprefix("Kabupaten ") if text.startswith("Kabupaten ") else text


def election_text(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as written: 2019 with province and regency names in capitals (KPU's 2019
    tables: 'PAPUA', 'KAB. MERAUKE'), 2024 with the province's name and the regency's code."""
    names = reference.provinces().set_index("province_code")["name"]
    regency_names = reference.regencies().set_index("regency_code")["name"]
    early = rows["year"] == 2019
    province = rows["province_code"].map(names)
    listed = rows["regency_code"].map(regency_names)
    regency = rows["regency_code"].map(lambda c: f"{c:04d}").where(
        ~early, listed.str.replace(r"^KABUPATEN ", "KAB. ", regex=True))
    out = pd.DataFrame({"year": rows["year"], "province": province.where(~early,
                                                                         province.str.upper()),
                        "regency": regency})
    for column in ("dpt", "ballots_cast", "valid_votes", "invalid_votes", "source"):
        out[column] = rows[column]
    return out[list(ELECTION_HEADER)]


# --------------------------------------------------------------------------------------------
# Receipts of the experiment's waves
# --------------------------------------------------------------------------------------------

@dataclass
class ExperimentReceipts:
    frame: pd.DataFrame  # one row per message, as written, plus its placement
    lines: list[str]


def _home_regencies(rng: np.random.Generator, province_code: np.ndarray,
                    dpt: pd.Series) -> np.ndarray:
    """A regency for each recipient of the pool, within its province, in proportion to DPT."""
    regencies = reference.regencies().set_index("regency_code")
    home = np.zeros(len(province_code), dtype=np.int64)
    u = rng.random(len(province_code))
    for p in np.unique(province_code):
        members = regencies.index[regencies["province_code"] == p].to_numpy()
        weights = dpt.reindex(members).to_numpy(dtype=float)
        cdf = np.cumsum(weights) / weights.sum()
        at = province_code == p
        home[at] = members[np.minimum(np.searchsorted(cdf, u[at], side="right"),
                                      len(members) - 1)]
    return home


def experiment_receipts(rows: pd.DataFrame, truth: Truth,
                        seed: int = DEFAULT_SEED) -> ExperimentReceipts:
    """Messages of WAVES to the pool's recipients who are not in that wave's exports."""
    rng = np.random.default_rng([seed, 18])
    exports = base._sample_messages(np.random.default_rng(base.DEFAULT_SEED))
    ref = base._reference()
    pool = np.arange(base.SAMPLE_POOL)
    who = base._recipients(pool)
    province_code = ref.codes[who.province]
    dpt = rows[rows["year"] == OUTCOME_YEAR].set_index("regency_code")["dpt"]
    home = _home_regencies(rng, province_code, dpt)
    arm = truth.assignment.set_index("unit_code")["arm"].reindex(home).to_numpy()
    leak = np.array([LEAK[o] for o in base.OPERATORS])[who.operator]
    wave_index = {w.wave_id: i for i, w in enumerate(base.SMS_WAVES)}

    parts = []
    for wave_id in WAVES:
        w = wave_index[wave_id]
        in_export = np.zeros(base.SAMPLE_POOL, dtype=bool)
        in_export[exports.recipient[exports.rows.wave == w]] = True
        chance = SEND_PROBABILITY * np.where(arm == "blast", 1.0, leak)
        sent = ~in_export & ~who.mismatch & (rng.random(base.SAMPLE_POOL) < chance)
        parts.append(pd.DataFrame({"recipient": pool[sent], "wave": w}))
    messages = pd.concat(parts, ignore_index=True)
    r = messages["recipient"].to_numpy()
    operator = who.operator[r]
    out = base._draw_outcomes(rng, operator, who.province[r], messages["wave"].to_numpy())
    order = np.lexsort((r, out.submitted, operator))
    seq = np.empty(len(r), dtype=np.int64)
    first = np.searchsorted(operator[order], np.arange(len(base.OPERATORS)))
    seq[order] = np.arange(len(r)) - first[operator[order]]
    seq += np.array(base.ID_OFFSET, dtype=np.int64)[operator] + ID_OFFSET

    names = reference.provinces().set_index("province_code")["name"]
    regency_names = reference.regencies().set_index("regency_code")["name"]
    frame = pd.DataFrame({
        "operator": np.array(base.OPERATORS)[operator],
        "message_id": base._message_ids(operator, seq).astype(object),
        "wave_id": np.array([w.wave_id for w in base.SMS_WAVES])[messages["wave"]],
        "msisdn": np.strings.add("0", who.nsn[r]).astype(object),
        "province": names.reindex(province_code[r]).to_numpy(),
        "submitted_at": base._format_seconds(out.submitted, "%Y-%m-%d %H:%M:%S").astype(object),
        "done_at": base._format_seconds(out.done, "%Y-%m-%d %H:%M:%S").astype(object),
        "status": np.array(base.STATES)[out.state],
        "error_code": base._digits_text(out.error, 3).astype(object),
        "home_regency": home[r], "home_arm": arm[r],
    })
    frame["regency_code"] = frame["home_regency"]
    style = rng.choice(list(REGENCY_STYLES), len(frame), p=list(REGENCY_STYLES.values()))
    listed = frame["home_regency"].map(regency_names)
    frame["regency"] = np.select(
        [style == "code", style == "dotted_code", style == "listed_name"],
        [frame["home_regency"].map(lambda c: f"{c:04d}"),
         frame["home_regency"].map(lambda c: f"{c // 100:02d}.{c % 100:02d}"), listed],
        default=listed.map(_title))
    frame["regency_style"] = style
    frame = _odd_receipts(rng, frame)
    frame = frame.sort_values(["wave_id", "submitted_at", "operator", "message_id"],
                              ignore_index=True)
    # every spelling the file writes resolves as the reference says (or is an odd row)
    resolved = frame["regency"].map(reference.regency_code)
    odd = frame["odd"] != ""
    if not (resolved[~odd] == frame.loc[~odd, "regency_code"]).all():
        raise AssertionError("a written regency does not resolve to its code")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        frame[list(RECEIPTS_HEADER)].itertuples(index=False))
    return ExperimentReceipts(frame, buffer.getvalue().splitlines())


def _odd_receipts(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """ODD_RECEIPTS rows rewritten: an ambiguous bare name, a regency of another province,
    no regency."""
    out = frame.copy()
    out["odd"] = ""
    picks = rng.choice(len(out), sum(ODD_RECEIPTS.values()), replace=False)
    regencies = reference.regencies()
    start = 0
    for kind, count in ODD_RECEIPTS.items():
        rows = picks[start:start + count]
        start += count
        out.loc[rows, "odd"] = kind
        if kind == "unknown_regency":
            out.loc[rows, "regency"] = AMBIGUOUS_REGENCY
            out.loc[rows, "regency_code"] = -1
        elif kind == "blank_regency":
            out.loc[rows, "regency"] = ""
            out.loc[rows, "regency_code"] = -1
        else:  # a regency of the next province in the list, written as its code
            for row in rows:
                own = reference.province_code(out.at[row, "province"])
                others = regencies[regencies["province_code"] != own]["regency_code"]
                other = int(others.iloc[int(rng.integers(len(others)))])
                out.at[row, "regency"] = f"{other:04d}"
                out.at[row, "regency_code"] = other
    return out


def placed_arm(frame: pd.DataFrame, assignment: pd.DataFrame) -> pd.Series:
    """The arm a receipt counts in: the arm of the regency it names; 'unplaced' without one."""
    arms = assignment.set_index("unit_code")["arm"]
    return frame["regency_code"].map(arms).fillna("unplaced")


def compliance(frame: pd.DataFrame, assignment: pd.DataFrame) -> dict[str, dict[str, object]]:
    """Per operator: messages sent and delivered per arm as the file places them, and the share
    of its delivered messages placed in held-out regencies."""
    placed = frame.assign(arm=placed_arm(frame, assignment),
                          delivered=frame["status"] == "DELIVRD")
    out: dict[str, dict[str, object]] = {}
    for operator in base.OPERATORS:
        mine = placed[placed["operator"] == operator]
        arms = {a: {"sent": int((mine["arm"] == a).sum()),
                    "delivered": int(mine.loc[mine["arm"] == a, "delivered"].sum())}
                for a in ("holdout", "blast", "unplaced")}
        placed_delivered = arms["holdout"]["delivered"] + arms["blast"]["delivered"]
        out[operator] = {**arms, "share_delivered_into_holdout":
                         round(arms["holdout"]["delivered"] / placed_delivered, 4)}
    return out


# --------------------------------------------------------------------------------------------
# The plan, the manifest and the files
# --------------------------------------------------------------------------------------------

def sample_plan(truth: Truth, rows: pd.DataFrame) -> dict:
    """The plan as the design page would have built it before SMS08."""
    return plan.build_plan(
        experiment_id=EXPERIMENT_ID, title=TITLE, design="cluster", unit="regency",
        waves=list(WAVES), outcomes=list(OUTCOMES), holdout_share=HOLDOUT_SHARE,
        seed=ASSIGNMENT_SEED, baseline_year=BASELINE_YEAR, outcome_year=OUTCOME_YEAR,
        signed_off_by=dict(SIGNED_OFF_BY), assignment=truth.assignment, thresholds=None,
        salt=None, power=_power(rows), synthetic=True, created_at=CREATED_AT)


# Assumed before the vote (no earlier pair of regency results to measure them on): how much
# of a regency's turnout and invalid rate the previous election predicts.
ASSUMED_BASELINE_CORR = {"turnout": 0.9, "invalid_rate": 0.7}


def _power(rows: pd.DataFrame) -> dict[str, object]:
    """The plan's power note, per outcome: the analytic MDE at 80 % power from the 2019
    regency spread within provinces (what was known before the vote) and an assumed
    correlation with the coming election (the simulated MDE needs a past pair: none)."""
    baseline = rows[rows["year"] == BASELINE_YEAR]
    values = {"turnout": baseline["ballots_cast"] / baseline["dpt"],
              "invalid_rate": baseline["invalid_votes"] / baseline["ballots_cast"]}
    regencies = reference.regencies()
    n_units, n_strata = len(regencies), int(regencies["province_code"].nunique())
    out: dict[str, object] = {}
    for outcome, value in values.items():
        within = value - value.groupby(baseline["province_code"]).transform("mean")
        sd = float(within.std())
        corr = ASSUMED_BASELINE_CORR[outcome]
        mde = mde_cluster(sd, corr, n_units, HOLDOUT_SHARE, n_strata=n_strata)
        out[outcome] = {"mde_analytic": round(float(mde), 5), "mde_simulated": None,
                        "n_units": n_units, "outcome_sd": round(sd, 5),
                        "baseline_corr_assumed": corr,
                        "basis": f"{BASELINE_YEAR} regency spread within provinces; "
                                 f"correlation {corr} assumed"}
    return out


def _plan_bytes(plan_dict: dict) -> bytes:
    return (json.dumps(plan_dict, indent=2, sort_keys=True, ensure_ascii=False)
            + "\n").encode("utf-8")


def _mean_exposure(truth: Truth, rows: pd.DataFrame | None = None) -> float:
    """The mean exposure of the held-out regencies that have a baseline row (the units the
    ANCOVA reads); weighted by DPT 2024 when rows are given."""
    has_baseline = ~truth.exposure.index.isin(truth.missing_baseline)
    held = truth.assignment.set_index("unit_code")["arm"].reindex(truth.exposure.index) \
        == "holdout"
    chosen = truth.exposure[held & has_baseline]
    if rows is None:
        return float(chosen.mean())
    dpt = rows[rows["year"] == OUTCOME_YEAR].set_index("regency_code")["dpt"]
    weights = dpt.reindex(chosen.index).to_numpy(dtype=float)
    return float((chosen.to_numpy() * weights).sum() / weights.sum())


def itt_truth(truth: Truth, rows: pd.DataFrame, effect: float) -> float:
    """The intention-to-treat effect the data carry: effect x (1 - the mean exposure of the
    held-out regencies the ANCOVA reads; unweighted, as the ANCOVA weighs every unit alike)."""
    return effect * (1 - _mean_exposure(truth))


def _intensity(frame: pd.DataFrame, truth: Truth, rows: pd.DataFrame) -> dict[str, float]:
    """Messages of the experiment's file delivered per 1,000 voters (DPT 2024) in each arm: at
    the sample's scale (about 1/1,000 of a national blast) far below one per voter; their
    ratio (held-out / blast) is what the receipts say of the held-out exposure."""
    arms = truth.assignment.set_index("unit_code")["arm"]
    dpt = rows[rows["year"] == OUTCOME_YEAR].set_index("regency_code")["dpt"]
    delivered = frame[frame["status"] == "DELIVRD"].assign(arm=placed_arm(frame,
                                                                          truth.assignment))
    out = {}
    for arm in ("holdout", "blast"):
        voters = float(dpt[arms[arms == arm].index].sum())
        out[arm] = round(1000 * int((delivered["arm"] == arm).sum()) / voters, 6)
    out["ratio"] = round(out["holdout"] / out["blast"], 4)
    return out


def _units_with_delivery(frame: pd.DataFrame, truth: Truth) -> dict[str, int]:
    """Regencies of each arm in which the file delivered at least one message: at the sample's
    scale the smallest blast regencies get none by chance, and most held-out ones a stray
    one (a unit reached or not is a coarse reading of a partial exposure)."""
    delivered = frame[(frame["status"] == "DELIVRD") & (frame["regency_code"] > 0)]
    reached = set(delivered["regency_code"].astype(int))
    arms = truth.assignment.set_index("unit_code")["arm"]
    return {arm: int(sum(code in reached for code in arms[arms == arm].index))
            for arm in ("holdout", "blast")}


def manifest_section(rows: pd.DataFrame, text: pd.DataFrame, truth: Truth,
                     sent: ExperimentReceipts, plan_dict: dict, seed: int) -> dict[str, object]:
    frame = sent.frame
    above = int((rows["ballots_cast"] > rows["dpt"]).sum())
    by_year = rows.groupby("year")
    arms = truth.assignment["arm"].value_counts()
    names = reference.regencies().set_index("regency_code")["name"]
    odd = frame["odd"].value_counts()
    held = truth.assignment.loc[truth.assignment["arm"] == "holdout"]
    return {
        "about": "A simulated past experiment (issue 18), every figure synthetic: regency "
                 "results for 2019 and 2024 (source 'SINTETIS / synthetic sample'), a cluster "
                 "hold-out of 10 % of regencies in waves SMS08-SMS09 (plan frozen by "
                 "`init --sample`), and receipts of those waves naming the regency. 'truth' is "
                 "what the generator injected.",
        "regenerate": REGENERATE, "seed": seed, "experiment_id": EXPERIMENT_ID,
        "files": [
            {"file": ELECTION_FILE, "format": "election", "rows": len(text),
             "rows_by_year": {str(y): int(c) for y, c in by_year.size().items()},
             "expected": {"rows_read": len(text), "loaded": len(text), "rejected": 0},
             # one missing_year per regency without its baseline row
             "warnings": {**({"turnout_above_100": above} if above else {}),
                          "missing_year": len(truth.missing_baseline)},
             "missing_baseline": [{"regency_code": c, "name": str(names[c])}
                                  for c in truth.missing_baseline],
             "totals": {str(y): {c: int(g[c].sum()) for c in
                                 ("dpt", "ballots_cast", "valid_votes", "invalid_votes")}
                        for y, g in by_year}},
            {"file": RECEIPTS_FILE, "format": "canonical", "waves": list(WAVES),
             "rows": len(frame),
             "expected": {"rows_read": len(frame), "loaded": len(frame), "duplicate": 0,
                          "superseded": 0, "rejected": 0, "replaced": 0,
                          "unknown_province": 0, "operator_mismatch": 0},
             "warnings": {k: int(odd.get(k, 0)) for k in ("unknown_regency",
                                                           "regency_province_mismatch")},
             "variants": {**{f"regency_{s}": int(((frame["regency_style"] == s)
                                                  & (frame["odd"] == "")).sum())
                             for s in REGENCY_STYLES},
                          "regency_blank": int(odd.get("blank_regency", 0))},
             "by_operator": {o: int(c) for o, c in
                             frame["operator"].value_counts().sort_index().items()},
             "by_status": {s: int(c) for s, c in
                           frame["status"].value_counts().sort_index().items()}},
            {"file": PLAN_FILE, "format": "experiment_plan",
             "plan_sha256": plan.plan_sha256(plan_dict), "frozen_at": FROZEN_AT},
        ],
        "truth": {
            "units": {"holdout": int(arms.get("holdout", 0)), "blast": int(arms.get("blast", 0))},
            "holdout_units": [int(c) for c in held["unit_code"]],
            "effect_full_exposure": {"turnout": TURNOUT_EFFECT, "invalid_rate": INVALID_EFFECT},
            "leak": LEAK,
            "exposure": {
                "definition": "a blast regency 1; a held-out one the sum over operators of "
                              "the operator's share of the province's subscribers x its leak. "
                              "The effect is the full effect x exposure.",
                "holdout_mean": round(_mean_exposure(truth), 5),
                "holdout_mean_dpt_weighted": round(_mean_exposure(truth, rows), 5)},
            "itt": {"turnout": round(itt_truth(truth, rows, TURNOUT_EFFECT), 5),
                    "invalid_rate": round(itt_truth(truth, rows, INVALID_EFFECT), 5)},
            "complier_effect": {"turnout": TURNOUT_EFFECT, "invalid_rate": INVALID_EFFECT},
            "delivered_per_1000_voters": _intensity(frame, truth, rows),
            "units_with_delivery": _units_with_delivery(frame, truth),
            "compliance": compliance(frame, truth.assignment),
        },
    }


def generate_experiment(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the three files into out_dir and the section "experiment" of its MANIFEST.json."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows, truth = regency_results(seed)
    text = election_text(rows)
    election_path = out_dir / ELECTION_FILE
    text.to_csv(election_path, index=False, lineterminator="\n")
    sent = experiment_receipts(rows, truth, seed)
    receipts_path = out_dir / RECEIPTS_FILE
    with base._open_out(receipts_path, base.SAMPLE_GZIP_LEVEL) as sink:
        sink.write(base._lines_bytes([",".join(RECEIPTS_HEADER), *sent.lines], "\n"))
    plan_dict = sample_plan(truth, rows)
    plan_path = out_dir / PLAN_FILE
    plan_path.write_bytes(_plan_bytes(plan_dict))
    write_group(out_dir, "experiment", manifest_section(rows, text, truth, sent, plan_dict,
                                                         seed))
    return [election_path, receipts_path, plan_path]


def freeze_sample_plan(conn, folder: Path = config.SAMPLE_DIR) -> str | None:
    """Freeze the sample's plan (experiment_plan_sample.json) into conn, as `init --sample`
    does before it loads the files (the plan was frozen before SMS08: FROZEN_AT). The same
    plan frozen already changes nothing; another plan under its id raises PlanError.
    Returns the plan's SHA-256, or None when the folder has no plan."""
    path = Path(folder) / PLAN_FILE
    if not path.exists():
        return None
    return plan.freeze(conn, plan.read_plan(path),
                       frozen_at=datetime.fromisoformat(FROZEN_AT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=config.SAMPLE_DIR)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in generate_experiment(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
