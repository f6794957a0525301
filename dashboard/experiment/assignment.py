"""Stratified random assignment of clusters (regencies or provinces) to hold-out or blast, and
the balance table that shows the draw did not happen to split the units unevenly.

The rule (one rule, used by the plan, by the randomisation-inference p-value and by the power
simulations, so what is analysed is what was drawn):

1. Units are sorted by (stratum, unit_code); strata are numbered in that order. So the same
   seed and the same units give the same assignment whatever the row order of the input.
2. How many units each stratum holds out: stratum s with n_s units has the expected count
   share * n_s = f_s + r_s (f_s its whole part, 0 <= r_s < 1 the fraction). It holds out f_s,
   plus one more if a point U + k (one U ~ Uniform[0, 1) for the whole draw, k = 0, 1, 2, ...)
   falls in its slice (C_{s-1}, C_s] of the running sum C of the fractions r. That is
   systematic randomised rounding (Madow 1949): each stratum gets its extra unit with
   probability exactly r_s, so every unit is held out with probability exactly `share` (the
   overall share is exact in expectation, and within each stratum), and the national total is
   never further than one unit from share * N (floor or ceil of sum f_s + sum r_s) -- plain
   independent rounding per stratum would let the total wander by several units with 38
   strata.
3. Which units: within each stratum, a uniformly random subset of that size (a random
   permutation of the stratum's units, sorted, the first ones held out).
Both steps draw from numpy's default_rng(seed): first U, then one shuffle per stratum in
stratum order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ARMS = ("holdout", "blast")


def _check_share(share: float) -> float:
    share = float(share)
    if not 0.0 < share < 1.0:
        raise ValueError(f"the hold-out share must lie strictly between 0 and 1, not {share}")
    return share


def sorted_units(units: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The units sorted by (stratum, unit_code) and each one's stratum number 0..K-1 in that
    order. Rejects an empty frame, missing values and a unit listed twice."""
    if units is None or len(units) == 0:
        raise ValueError("no units to assign: the frame is empty")
    missing = {"unit_code", "stratum"} - set(units.columns)
    if missing:
        raise ValueError(f"units need the columns unit_code and stratum; missing {sorted(missing)}")
    frame = units[["unit_code", "stratum"]]
    if frame.isna().any().any():
        raise ValueError("a unit has no unit_code or no stratum")
    if frame["unit_code"].duplicated().any():
        twice = frame.loc[frame["unit_code"].duplicated(), "unit_code"].tolist()[:5]
        raise ValueError(f"units listed more than once: {twice}")
    frame = frame.sort_values(["stratum", "unit_code"], kind="mergesort").reset_index(drop=True)
    strata, _ = pd.factorize(frame["stratum"], sort=False)  # already in sorted order
    return frame, strata.astype(np.int64)


def holdout_counts(strata: np.ndarray, share: float, uniforms: np.ndarray) -> np.ndarray:
    """Units held out per stratum, one row per draw (systematic randomised rounding, see the
    module docstring). strata: stratum number of each unit (sorted); uniforms: one U per draw."""
    sizes = np.bincount(strata).astype(float)
    expected = np.round(share * sizes, 9)  # 0.3 * 10 is 3.0000000000000004 in floats
    whole = np.floor(expected)
    upper = np.cumsum(expected - whole)  # C_s
    lower = upper - (expected - whole)  # C_{s-1}
    u = np.asarray(uniforms, dtype=float)[:, None]
    # points U + k in (C_{s-1}, C_s]: count = floor(C_s - U) - floor(C_{s-1} - U), 0 or 1
    extra = np.floor(upper[None, :] - u) - np.floor(lower[None, :] - u)
    return (whole[None, :] + extra).astype(np.int64)


def holdout_with_counts(strata: np.ndarray, counts: np.ndarray,
                        rng: np.random.Generator) -> np.ndarray:
    """Per draw (row of counts: units to hold out per stratum), a uniformly random subset of
    that many units in each stratum: a boolean matrix draws x units, True = held out. The units
    must be sorted by stratum. Each stratum's rows are shuffled independently (Generator.permuted,
    in C: the power simulations and the p-value draw hundreds of thousands of these)."""
    counts = np.atleast_2d(counts)
    sizes = np.bincount(strata, minlength=counts.shape[1])
    out = np.empty((counts.shape[0], strata.size), dtype=bool)
    start = 0
    for s, size in enumerate(sizes):
        block = np.arange(size)[None, :] < counts[:, s : s + 1]
        out[:, start : start + size] = rng.permuted(block, axis=1)
        start += size
    return out


def draw_holdout(strata: np.ndarray, share: float, rng: np.random.Generator,
                 draws: int) -> np.ndarray:
    """`draws` independent assignments under the rule: a boolean matrix (draws x units), True =
    held out. The units must be in sorted_units order; assign_clusters is draws=1 of this."""
    share = _check_share(share)
    counts = holdout_counts(strata, share, rng.random(draws))
    return holdout_with_counts(strata, counts, rng)


def assign_clusters(units: pd.DataFrame, share: float, seed: int) -> pd.DataFrame:
    """Stratified random hold-out of whole clusters. units: unit_code, stratum (one row per
    unit). Returns unit_code, stratum, arm ('holdout' or 'blast'), sorted by stratum and
    unit_code; the rule is in the module docstring, the randomness is default_rng(seed)."""
    share = _check_share(share)
    frame, strata = sorted_units(units)
    held = draw_holdout(strata, share, np.random.default_rng(seed), 1)[0]
    frame["arm"] = np.where(held, "holdout", "blast")
    return frame


def _pooled_sd(a: np.ndarray, b: np.ndarray) -> float:
    """sqrt(((n_a - 1) s_a^2 + (n_b - 1) s_b^2) / (n_a + n_b - 2)): the pooled within-arm SD."""
    dof = a.size + b.size - 2
    if dof <= 0:
        return float("nan")
    ss = ((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum()
    return float(np.sqrt(ss / dof))


def balance_table(assignment: pd.DataFrame, covariates: pd.DataFrame) -> pd.DataFrame:
    """Baseline covariates by arm. assignment: unit_code, arm (as assign_clusters returns);
    covariates: unit_code and one numeric column per covariate. One row per covariate:
    covariate, mean_holdout, mean_blast, difference (blast - holdout, the sign of the effect),
    std_difference (difference / pooled within-arm SD; |d| above about 0.1 is the usual flag of
    imbalance, Austin 2009), n_holdout, n_blast (units with a value). Units without a value for
    a covariate are left out of that row only."""
    if assignment is None or len(assignment) == 0:
        raise ValueError("no assignment to describe: the frame is empty")
    arms = assignment[["unit_code", "arm"]]
    unknown = set(arms["arm"].unique()) - set(ARMS)
    if unknown:
        raise ValueError(f"arms must be 'holdout' or 'blast', not {sorted(map(str, unknown))}")
    merged = arms.merge(covariates, on="unit_code", how="left", validate="one_to_one")
    names = [c for c in covariates.columns if c not in ("unit_code", "stratum", "arm")]
    rows = []
    for name in names:
        values = pd.to_numeric(merged[name], errors="coerce")
        held = values[merged["arm"].eq("holdout")].dropna().to_numpy(dtype=float)
        sent = values[merged["arm"].eq("blast")].dropna().to_numpy(dtype=float)
        mean_h = float(held.mean()) if held.size else float("nan")
        mean_b = float(sent.mean()) if sent.size else float("nan")
        difference = mean_b - mean_h
        sd = _pooled_sd(held, sent) if held.size and sent.size else float("nan")
        if sd > 0:
            std_difference = difference / sd
        elif sd == 0:  # every value equal: perfectly balanced
            std_difference = 0.0
        else:
            std_difference = float("nan")
        rows.append({"covariate": name, "mean_holdout": mean_h, "mean_blast": mean_b,
                     "difference": difference, "std_difference": std_difference,
                     "n_holdout": int(held.size), "n_blast": int(sent.size)})
    return pd.DataFrame(rows, columns=["covariate", "mean_holdout", "mean_blast", "difference",
                                       "std_difference", "n_holdout", "n_blast"])
