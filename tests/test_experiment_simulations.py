"""Simulations of the experiment's estimators (issue 18): over 2,000 simulated experiments each,
an A/A test (no effect) rejects at 5 % +- 1.5 points, and an injected effect is covered by the
95 % interval 95 % +- 1.5 points of the time.

Fixed seeds. Vectorised: the cluster estimator is run through the same functions cluster_itt
uses (estimators.make_design / ancova_fits / redrawn_coefficients, assignment.draw_holdout), one
simulated data set per loop turn; the individual estimator through weighted_differences, the
arithmetic of individual_itt, on all 2,000 surveys at once. The
randomisation-inference p-value uses 200 re-draws per simulation (not the 2,000 of a real
reading): with 200, p <= 0.05 means at most 9 of 200 re-draws as extreme, a level of 10 / 201 =
4.98 %; an RI test's false-positive rate is exact by construction, so this checks the code, not
the theory.

Finding (38 provinces): with 4 of 38 units held out (share 0.1), HC2 with t on n - k df covers
only about 91.6 % (20,000 simulations, 7 strata); with Bell-McCaffrey df about 97.0 % (safe,
conservative). At share 0.2 and 0.5 Bell-McCaffrey is within 95 +- 1.5. So the estimator uses
Bell-McCaffrey df, and the page should not offer fewer than about 8 held-out provinces.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dashboard.experiment.assignment import draw_holdout
from dashboard.experiment.estimators import (
    ancova_fits,
    individual_itt,
    make_design,
    redrawn_coefficients,
    weighted_differences,
)
from dashboard.experiment.power import mde_cluster, simulated_power_cluster, within_stratum_moments

SIMS = 2_000
PERMUTATIONS = 200
# 514 synthetic regencies in 38 provinces of uneven size (1 to 36 regencies; drawn once from a
# gamma distribution and written out so the test does not depend on that draw)
REGENCY_SIZES = [12, 18, 7, 27, 6, 7, 1, 4, 7, 15, 10, 6, 21, 6, 8, 5, 10, 13, 6, 20, 3, 28, 14,
                 29, 36, 15, 11, 3, 15, 4, 8, 34, 14, 32, 18, 12, 23, 6]
# 38 provinces in 7 island groups (Sumatra 10, Java 6, Bali-Nusa Tenggara 3, Kalimantan 5,
# Sulawesi 6, Maluku 2, Papua 6)
PROVINCE_SIZES = [10, 6, 3, 5, 6, 2, 6]
LOW, HIGH = 0.035, 0.065  # 5 % +- 1.5 points
COVER_LOW, COVER_HIGH = 0.935, 0.965


def _world(rng: np.random.Generator, strata: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One synthetic pair of elections: baseline turnout with stratum means, and the outcome
    without any blast: 0.05 + 0.9 baseline + a stratum shock + heavy-tailed (t, 5 df) noise
    whose spread differs by unit (the reason for HC2)."""
    k, n = int(strata.max()) + 1, strata.size
    baseline = rng.normal(0.75, 0.05, k)[strata] + rng.normal(0, 0.04, n)
    spread = 0.01 * (1 + 2 * rng.random(n))
    outcome = (0.05 + 0.9 * baseline + rng.normal(0, 0.01, k)[strata]
               + rng.standard_t(5, n) * spread)
    return baseline, outcome


def _simulate_cluster(sizes: list[int], share: float, effect: float, seed: int,
                      permutations: int = PERMUTATIONS, sims: int = SIMS) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    strata = np.repeat(np.arange(len(sizes)), sizes)
    held = draw_holdout(strata, share, rng, sims)
    reject_ri = 0
    beta, se, df, df_nk = (np.empty((sims, 2)), np.empty((sims, 2)), np.empty((sims, 2)),
                           np.empty(sims))
    block = 50  # re-draws for 50 simulations at a time: fewer, larger calls
    for i in range(sims):
        if permutations and i % block == 0:
            redraws = draw_holdout(strata, share, rng, block * permutations).reshape(
                block, permutations, strata.size)
        baseline, outcome = _world(rng, strata)
        design = make_design(strata, baseline)
        blast = ~held[i]
        # row 0: no effect (A/A); row 1: the effect added to the blast units
        fit = ancova_fits(design, np.vstack([outcome, outcome + effect * blast]),
                          np.vstack([blast, blast]))
        beta[i], se[i], df[i], df_nk[i] = fit.beta, fit.se, fit.df, design.df
        if permutations:
            redrawn = redrawn_coefficients(design, outcome, redraws[i % block])
            extreme = int((np.abs(redrawn) >= abs(fit.beta[0]) - 1e-12).sum())
            reject_ri += (1 + extreme) / (1 + permutations) <= 0.05
    critical = stats.t.ppf(0.975, df)
    error = np.abs(beta[:, 1] - effect)
    return {"fpr_t": float(np.mean(np.abs(beta[:, 0]) > critical[:, 0] * se[:, 0])),
            "fpr_ri": reject_ri / sims,
            "coverage": float(np.mean(error <= critical[:, 1] * se[:, 1])),
            "coverage_nk": float(np.mean(error <= stats.t.ppf(0.975, df_nk) * se[:, 1])),
            "mean": float(beta[:, 1].mean()),
            "mean_se": float(beta[:, 1].std() / np.sqrt(sims))}


@pytest.mark.parametrize("sizes, share, effect, seed", [
    (REGENCY_SIZES, 0.1, 0.01, 1),  # 514 regencies, 51 or 52 held out, +1 turnout point
    (PROVINCE_SIZES, 0.5, 0.02, 2),  # 38 provinces, 19 held out, +2 points
])
def test_cluster_estimator_false_positives_and_coverage(sizes, share, effect, seed):
    result = _simulate_cluster(sizes, share, effect, seed)
    assert LOW <= result["fpr_ri"] <= HIGH, result
    assert LOW <= result["fpr_t"] <= HIGH, result
    assert COVER_LOW <= result["coverage"] <= COVER_HIGH, result
    # the injected effect is recovered without bias (within 4 Monte Carlo errors)
    assert abs(result["mean"] - effect) < 4 * result["mean_se"], result


def test_cluster_estimator_at_38_provinces_holding_out_a_fifth():
    # 10,000 simulations: Bell-McCaffrey is a little conservative here (about 96.1 % in
    # 20,000), and 2,000 (Monte Carlo SE 0.43 points) would put the check at a seed's mercy
    result = _simulate_cluster(PROVINCE_SIZES, 0.2, 0.02, 3, permutations=0, sims=10_000)
    assert LOW <= result["fpr_t"] <= HIGH, result
    assert COVER_LOW <= result["coverage"] <= COVER_HIGH, result


def test_few_held_out_provinces_n_minus_k_undercovers_bell_mccaffrey_does_not():
    # 4 of 38 provinces held out: the finding in the module docstring, kept as a test so a
    # change of interval that brings back the undercoverage fails
    result = _simulate_cluster(PROVINCE_SIZES, 0.1, 0.02, 4, permutations=0)
    assert result["coverage_nk"] < COVER_LOW, result
    assert result["coverage"] >= COVER_LOW, result


def _surveys(rng: np.random.Generator, n: int, effect: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SIMS weighted surveys of n respondents each (rows), 20 % held out by the number's
    bucket (independent of everything else). Turnout depends on a group that also drives the
    weight, so weighting matters; the blast adds `effect` to each respondent's probability of
    voting, so the ITT is `effect` whatever the weights. Returns voted, weight, blast."""
    group = rng.random((SIMS, n)) < 0.3  # e.g. young, under-sampled: large weights
    weight = np.where(group, 3.0, 1.0) * rng.lognormal(0, 0.4, (SIMS, n))
    blast = rng.random((SIMS, n)) >= 0.2
    probability = np.where(group, 0.55, 0.8) + effect * blast
    voted = (rng.random((SIMS, n)) < probability).astype(float)
    return voted, weight, blast


@pytest.mark.parametrize("effect, seed", [(0.0, 5), (0.04, 6)])
def test_individual_estimator_false_positives_and_coverage(effect, seed):
    # individual_itt's own arithmetic (weighted_differences), on 2,000 surveys at once; its
    # interval is the normal one, effect -+ 1.959964 SE
    voted, weight, blast = _surveys(np.random.default_rng(seed), 2_000, effect)
    estimates, se, _, _ = weighted_differences(voted, weight, blast)
    covered = np.abs(estimates - effect) <= stats.norm.ppf(0.975) * se
    if effect == 0:
        assert LOW <= 1 - covered.mean() <= HIGH  # A/A: rejections of "no effect"
    else:
        assert COVER_LOW <= covered.mean() <= COVER_HIGH
    assert abs(estimates.mean() - effect) < 4 * estimates.std() / np.sqrt(SIMS)
    # and the first survey through the public function gives the same numbers
    frame = pd.DataFrame({"arm": np.where(blast[0], "blast", "holdout"), "outcome": voted[0],
                          "weight": weight[0]})
    first = individual_itt(frame)
    assert (first.effect, first.se) == (pytest.approx(estimates[0]), pytest.approx(se[0]))


@pytest.mark.parametrize("sizes, share, seed", [
    (REGENCY_SIZES, 0.1, 6),
    (REGENCY_SIZES, 0.3, 7),
])
def test_simulated_power_at_the_analytic_mde_is_near_80_percent(sizes, share, seed):
    # one fixed past pair of elections (normal noise, as the formula assumes); the analytic MDE
    # from its within-stratum SD and correlation; power simulated at that effect over 4,000
    # re-drawn assignments (Monte Carlo SE 0.6 points). Tolerance 0.8 +- 0.03: the formula
    # is a large-sample one and the estimator's Bell-McCaffrey df are a little smaller than
    # the formula's n - k.
    rng = np.random.default_rng(seed)
    strata = np.repeat(np.arange(len(sizes)), sizes)
    baseline = rng.normal(0.75, 0.05, len(sizes))[strata] + rng.normal(0, 0.04, strata.size)
    past = pd.DataFrame({"unit_code": np.arange(strata.size), "stratum": strata,
                         "baseline": baseline,
                         "outcome": 0.05 + 0.9 * baseline + rng.normal(0, 0.015, strata.size)})
    sd, corr, n, k = within_stratum_moments(past)
    mde = mde_cluster(sd, corr, n, share, n_strata=k)
    power = simulated_power_cluster(past, share, mde, sims=4_000, seed=seed)
    assert power == pytest.approx(0.8, abs=0.03)
