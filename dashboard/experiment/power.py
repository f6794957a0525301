"""Power before the blast: the minimum detectable effect (MDE) at 80 % power, analytically and
by simulation over a past pair of elections.

MDE: the smallest true effect the test (two-sided, level alpha) detects with probability
`power`. Analytically (Bloom 1995; Duflo, Glennerster and Kremer 2008):
    MDE = (q_{1 - alpha/2} + q_{power}) * SE,
- cluster design, ANCOVA on the baseline: SE^2 = sigma^2 (1 - rho^2) / (n p (1 - p)), sigma
  the outcome's SD across units, rho its correlation with the baseline, n units, p the
  hold-out share; q are quantiles of t on n - strata - 2 df, the regression's residual df
  (at 38 provinces t instead of z adds about 3 %, at 514 regencies almost nothing; the
  estimator's Bell-McCaffrey df are smaller still when one arm has few units, which only the
  simulation sees);
- individual design, difference in proportions: SE^2 = deff p0 (1 - p0) / (N s (1 - s)), p0
  the hold-out arm's rate, N respondents, s the hold-out share, deff the survey's design
  effect; q from the normal.
Simulation (cluster design) needs no formula: the past election's outcome stands in for what
the units would do without the blast, the assignment is re-drawn by the plan's own rule, an
effect is added to the blast units and the plan's own estimator (ANCOVA with stratum fixed
effects, HC2, t test on Bell-McCaffrey df) is run; power = share of re-draws with p < alpha.
It takes the strata, the units' actual spread and any heavy tails into account, which the
formula cannot.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from dashboard.experiment.assignment import _check_share, draw_holdout, sorted_units
from dashboard.experiment.estimators import ancova_fits, make_design

_CHUNK = 500  # re-draws per block: bounds memory (block x units floats)


def _check_levels(alpha: float, power: float) -> None:
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError("alpha and power must lie strictly between 0 and 1")


def mde_cluster(outcome_sd: float, baseline_corr: float, n_units: int, share: float, *,
                alpha: float = 0.05, power: float = 0.8, n_strata: int = 1) -> float:
    """Analytic MDE of the cluster design (units of the outcome: a turnout of 0.77 gives an MDE
    as a proportion, in points if the outcome is in points)."""
    share = _check_share(share)
    _check_levels(alpha, power)
    if not -1 <= baseline_corr <= 1:
        raise ValueError("the baseline correlation lies between -1 and 1")
    if outcome_sd < 0:
        raise ValueError("a standard deviation is not negative")
    df = n_units - n_strata - 2
    if df < 1:
        raise ValueError(f"{n_units} units leave no degrees of freedom for {n_strata} strata, "
                         "the baseline and the arm")
    se = outcome_sd * math.sqrt((1 - baseline_corr ** 2) / (n_units * share * (1 - share)))
    return float((stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(power, df)) * se)


def mde_individual(p_control: float, n: int, share: float, *, deff: float = 1.0,
                   compliance: float = 1.0, alpha: float = 0.05, power: float = 0.8) -> float:
    """Analytic MDE of the individual design, in proportion points (0.01 = 1 point).

    With compliance = 1 (the default) this is the MDE of the ITT itself. With compliance c < 1
    (share of blast-arm numbers actually reached, minus any held-out ones reached) the ITT is
    only c times the effect on those reached (CACE = ITT / c), so the smallest detectable
    effect *of the message on those reached* is MDE_ITT / c: what is returned."""
    share = _check_share(share)
    _check_levels(alpha, power)
    if not 0 < p_control < 1:
        raise ValueError("the hold-out arm's rate lies strictly between 0 and 1")
    if n < 2:
        raise ValueError("at least two respondents are needed")
    if deff <= 0 or not 0 < compliance <= 1:
        raise ValueError("deff must be positive and compliance in (0, 1]")
    se = math.sqrt(deff * p_control * (1 - p_control) / (n * share * (1 - share)))
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return float(z * se / compliance)


class _Simulation:
    """A past election pair and `sims` re-drawn assignments, fitted once. The residuals of the
    ANCOVA do not depend on an added constant effect (it moves the coefficient by exactly the
    effect), so the power at any effect is a count over the same fits: common random numbers,
    and the bisection for the MDE costs nothing more."""

    def __init__(self, baseline: pd.DataFrame, share: float, sims: int, seed: int,
                 alpha: float) -> None:
        share = _check_share(share)
        if sims < 1:
            raise ValueError("at least one simulation")
        needed = {"unit_code", "stratum", "baseline", "outcome"}
        if baseline is None or len(baseline) == 0:
            raise ValueError("no baseline data: the frame is empty")
        missing = needed - set(baseline.columns)
        if missing:
            raise ValueError(f"the baseline frame needs {sorted(needed)}; missing "
                             f"{sorted(missing)}")
        data = baseline[list(needed)].dropna()
        if data.empty:
            raise ValueError("no unit has both a baseline and an outcome")
        ordered, strata = sorted_units(data)
        ordered = ordered.merge(data.drop(columns="stratum"), on="unit_code", how="left")
        self.design = make_design(strata, ordered["baseline"].to_numpy(dtype=float))
        if self.design.df < 1:
            raise ValueError("too few units for the strata, the baseline and the arm")
        y = ordered["outcome"].to_numpy(dtype=float)
        rng = np.random.default_rng(seed)
        betas, ses, dfs = [], [], []
        for start in range(0, sims, _CHUNK):
            held = draw_holdout(strata, share, rng, min(_CHUNK, sims - start))
            fit = ancova_fits(self.design, np.broadcast_to(y, held.shape), ~held)
            betas.append(fit.beta)
            ses.append(fit.se)
            dfs.append(np.where(np.isfinite(fit.df), fit.df, self.design.df))
        self.beta = np.concatenate(betas)  # coefficient with no effect added
        self.se = np.concatenate(ses)
        # the estimator's own test: t on each draw's Bell-McCaffrey df (it depends on the
        # assignment and the baseline, not on the outcome, so not on the effect either)
        self.critical = stats.t.ppf(1 - alpha / 2, np.concatenate(dfs))
        self.outcome, self.strata, self.share = y, strata, share

    def power(self, effect: float) -> float:
        # a draw that left no contrast (nan) counts as not detecting
        with np.errstate(invalid="ignore"):
            detected = np.abs(self.beta + effect) > self.critical * self.se
        return float(np.mean(detected))

    def mde(self, power: float) -> float:
        """Smallest effect >= 0 with simulated power >= `power`, by bisection. Each draw detects
        every effect above |beta| + critical * se, so power reaches 1 by the upper end; below,
        it may dip near zero effect (a draw whose own beta is negative), far from 0.8."""
        high = float(np.nanmax(self.critical * self.se + np.abs(self.beta))) + 1e-12
        if not math.isfinite(high):
            return math.nan
        low = 0.0
        if self.power(low) >= power:
            return 0.0
        for _ in range(60):
            middle = (low + high) / 2
            if self.power(middle) >= power:
                high = middle
            else:
                low = middle
        return high


def simulated_power_cluster(baseline: pd.DataFrame, share: float, effect: float, *, sims: int,
                            seed: int, alpha: float = 0.05) -> float:
    """Share of `sims` re-drawn assignments in which the plan's estimator (HC2 t test at
    level alpha) detects `effect` added to the blast units' outcome. baseline: unit_code,
    stratum, baseline (the earlier election), outcome (the later one): a past pair."""
    return _Simulation(baseline, share, sims, seed, alpha).power(float(effect))


def simulated_mde_cluster(baseline: pd.DataFrame, share: float, *, sims: int, seed: int,
                          power: float = 0.8, alpha: float = 0.05) -> float:
    """The smallest added effect detected in at least `power` of the re-drawn assignments."""
    _check_levels(alpha, power)
    return _Simulation(baseline, share, sims, seed, alpha).mde(power)


def within_stratum_moments(baseline: pd.DataFrame) -> tuple[float, float, int, int]:
    """(outcome SD, baseline-outcome correlation, units, strata) within strata: what the
    fixed-effects estimator works with, so the formula and the simulation see the same spread.
    The SD has n - strata degrees of freedom."""
    data = baseline[["unit_code", "stratum", "baseline", "outcome"]].dropna()
    if data.empty:
        raise ValueError("no unit has both a baseline and an outcome")
    x = data["baseline"] - data.groupby("stratum")["baseline"].transform("mean")
    y = data["outcome"] - data.groupby("stratum")["outcome"].transform("mean")
    n, k = len(data), int(data["stratum"].nunique())
    if n - k < 1:
        raise ValueError("every stratum has one unit: nothing varies within strata")
    sd = float(math.sqrt((y ** 2).sum() / (n - k)))
    denominator = math.sqrt(float((x ** 2).sum() * (y ** 2).sum()))
    corr = float((x * y).sum() / denominator) if denominator > 0 else 0.0
    return sd, corr, n, k


def mde_curve(baseline: pd.DataFrame, shares: list[float], *, sims: int, seed: int,
              alpha: float = 0.05, power: float = 0.8) -> pd.DataFrame:
    """MDE against the hold-out share: share, n_holdout (expected units held out, share * n
    rounded; the rule holds out that or one more or less), mde_analytic (mde_cluster with the
    within-stratum SD and correlation), mde_simulated."""
    sd, corr, n, k = within_stratum_moments(baseline)
    rows = []
    for i, share in enumerate(shares):
        rows.append({
            "share": float(share),
            "n_holdout": int(round(share * n)),
            "mde_analytic": mde_cluster(sd, corr, n, share, alpha=alpha, power=power,
                                        n_strata=k),
            "mde_simulated": simulated_mde_cluster(baseline, share, sims=sims, seed=seed + i,
                                                   power=power, alpha=alpha),
        })
    return pd.DataFrame(rows, columns=["share", "n_holdout", "mde_analytic", "mde_simulated"])
