"""The experiment's statistics (issue 18): the assignment rule, the balance table, power and the
estimators, case by case. The long simulations are in test_experiment_simulations.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dashboard.experiment.assignment import (
    assign_clusters,
    balance_table,
    draw_holdout,
    holdout_counts,
    sorted_units,
)
from dashboard.experiment.estimators import (
    Estimate,
    by_stratum,
    cluster_itt,
    complier_effect,
    individual_itt,
)
from dashboard.experiment.power import (
    mde_cluster,
    mde_curve,
    mde_individual,
    simulated_mde_cluster,
    simulated_power_cluster,
)


def _units(sizes: list[int], start: int = 100) -> pd.DataFrame:
    """Strata 11, 12, ... with the given numbers of units, codes start, start + 1, ..."""
    strata = np.repeat(np.arange(11, 11 + len(sizes)), sizes)
    return pd.DataFrame({"unit_code": np.arange(start, start + strata.size), "stratum": strata})


# --- assignment -----------------------------------------------------------------------------

@pytest.mark.parametrize("sizes, share, u, expected", [
    # share * n = 0.75, 0.75, 1.0: whole parts 0, 0, 1, fractions .75, .75, 0; running sums
    # C = .75, 1.5, 1.5. U = 0.2 puts points at 0.2 (in stratum 1's slice (0, .75]) and 1.2 (in
    # stratum 2's slice (.75, 1.5]); stratum 3's slice is empty.
    ([3, 3, 4], 0.25, 0.2, [1, 1, 1]),
    # U = 0.8: points 0.8 (in (.75, 1.5]) and 1.8 (past the end)
    ([3, 3, 4], 0.25, 0.8, [0, 1, 1]),
    # whole expected counts are never rounded, whatever U
    ([10, 20], 0.5, 0.999, [5, 10]),
    ([10, 20], 0.3, 0.0, [3, 6]),
    # one unit per stratum, share 0.5: fractions .5 each, C = .5, 1, 1.5, 2; U = 0.6 -> points
    # 0.6 (stratum 2) and 1.6 (stratum 4)
    ([1, 1, 1, 1], 0.5, 0.6, [0, 1, 0, 1]),
])
def test_holdout_counts_by_hand(sizes, share, u, expected):
    strata = np.repeat(np.arange(len(sizes)), sizes)
    assert holdout_counts(strata, share, np.array([u]))[0].tolist() == expected


@pytest.mark.parametrize("sizes, share", [
    ([14] * 38, 0.1),  # about 514 regencies in 38 provinces (14 each here)
    ([1, 2, 3, 5, 8, 13, 21, 34], 0.23),
    ([1] * 38, 0.2),  # 38 provinces, each its own stratum
    ([38], 0.5),  # one stratum
])
def test_every_unit_is_held_out_with_probability_share(sizes, share):
    _, strata = sorted_units(_units(sizes))
    draws = draw_holdout(strata, share, np.random.default_rng(7), 20_000)
    # each unit: the share of draws in which it is held out, within 4.5 standard errors (a
    # family of up to 38 * 14 units; a wrong rule, e.g. plain rounding, misses by far more)
    se = math.sqrt(share * (1 - share) / 20_000)
    assert np.abs(draws.mean(axis=0) - share).max() < 4.5 * se
    # the national total stays within one unit of share * N
    expected = share * sum(sizes)
    totals = draws.sum(axis=1)
    assert totals.min() >= math.floor(expected) and totals.max() <= math.ceil(expected)


def test_same_seed_same_units_any_order_same_assignment():
    units = _units([5, 7, 3, 9])
    first = assign_clusters(units, 0.3, seed=2024)
    shuffled = assign_clusters(units.sample(frac=1.0, random_state=1).reset_index(drop=True),
                               0.3, seed=2024)
    pd.testing.assert_frame_equal(first, shuffled)
    assert first.columns.tolist() == ["unit_code", "stratum", "arm"]
    assert set(first["arm"]) <= {"holdout", "blast"}
    # another seed gives another draw (24 units, 7 or 8 held out: a repeat is unlikely)
    assert not assign_clusters(units, 0.3, seed=2025)["arm"].equals(first["arm"])


def test_assign_clusters_is_one_draw_of_the_rule():
    # the rule the p-value and the power simulations re-draw is the plan's rule
    units = _units([4, 6, 5])
    frame, strata = sorted_units(units)
    held = draw_holdout(strata, 0.4, np.random.default_rng(99), 1)[0]
    assert (assign_clusters(units, 0.4, 99)["arm"].eq("holdout").to_numpy() == held).all()


@pytest.mark.parametrize("units, share, message", [
    (pd.DataFrame({"unit_code": [], "stratum": []}), 0.1, "empty"),
    (_units([3]).drop(columns="stratum"), 0.1, "stratum"),
    (pd.DataFrame({"unit_code": [1, 1], "stratum": [11, 12]}), 0.1, "more than once"),
    (pd.DataFrame({"unit_code": [1, 2], "stratum": [11, None]}), 0.1, "no unit_code or"),
    (_units([3]), 0.0, "strictly between"),
    (_units([3]), 1.0, "strictly between"),
])
def test_assign_clusters_refuses(units, share, message):
    with pytest.raises(ValueError, match=message):
        assign_clusters(units, share, seed=1)


@pytest.mark.parametrize("sizes, share, held", [
    ([10], 0.5, 5),  # one stratum, share 0.5: exactly half
    ([6, 4], 0.5, 5),
])
def test_whole_expected_counts_are_exact(sizes, share, held):
    for seed in range(20):
        assert assign_clusters(_units(sizes), share, seed)["arm"].eq("holdout").sum() == held


# --- balance table ---------------------------------------------------------------------------

def test_balance_table_by_hand():
    assignment = pd.DataFrame({"unit_code": [1, 2, 3, 4, 5],
                               "arm": ["holdout", "holdout", "blast", "blast", "blast"]})
    covariates = pd.DataFrame({"unit_code": [1, 2, 3, 4, 5],
                               "turnout": [1.0, 3.0, 2.0, 6.0, np.nan],
                               "flat": [7.0] * 5})
    table = balance_table(assignment, covariates).set_index("covariate")
    # turnout: holdout 1, 3 (mean 2); blast 2, 6 (mean 4; unit 5 has no value). Pooled SD:
    # sum of squares (1 + 1) + (4 + 4) = 10 over 2 + 2 - 2 = 2 df -> sqrt(5); d = 2 / sqrt(5)
    row = table.loc["turnout"]
    assert (row["mean_holdout"], row["mean_blast"], row["difference"]) == (2.0, 4.0, 2.0)
    assert row["std_difference"] == pytest.approx(2 / math.sqrt(5))
    assert (row["n_holdout"], row["n_blast"]) == (2, 2)
    # a covariate equal everywhere is perfectly balanced, not 0 / 0
    assert table.loc["flat", "std_difference"] == 0.0
    assert table.loc["flat", "n_blast"] == 3


def test_balance_table_refuses_unknown_arm_and_empty():
    with pytest.raises(ValueError, match="arms must be"):
        balance_table(pd.DataFrame({"unit_code": [1], "arm": ["control"]}),
                      pd.DataFrame({"unit_code": [1], "x": [1.0]}))
    with pytest.raises(ValueError, match="empty"):
        balance_table(pd.DataFrame({"unit_code": [], "arm": []}),
                      pd.DataFrame({"unit_code": [], "x": []}))


# --- cluster ITT -----------------------------------------------------------------------------

# Twelve units in three strata, written out (baseline and outcome in turnout points).
SMALL = pd.DataFrame({
    "unit_code": range(1, 13),
    "stratum": [1] * 4 + [2] * 4 + [3] * 4,
    "arm": ["holdout", "blast", "blast", "holdout", "blast", "holdout", "blast", "blast",
            "holdout", "blast", "holdout", "blast"],
    "baseline": [70.2, 65.1, 80.4, 75.0, 60.3, 62.8, 71.5, 68.9, 77.7, 81.2, 74.4, 79.0],
    "outcome": [71.0, 68.3, 83.9, 74.1, 63.0, 62.1, 74.8, 70.2, 77.9, 84.6, 73.5, 82.7],
})


def _bell_mccaffrey_dense(frame: pd.DataFrame) -> float:
    """Bell-McCaffrey df from its definition with n x n matrices (numpy, not the code under
    test's stratum-total algebra): w_i = a_i^2 / (1 - h_i), a = the blast row of
    (X'X)^-1 X', M = I - H; df = tr(M W)^2 / tr(M W M W)."""
    dummies = pd.get_dummies(frame["stratum"]).to_numpy(dtype=float)
    x = np.column_stack([frame["arm"].eq("blast").to_numpy(dtype=float), dummies,
                         frame["baseline"].to_numpy(dtype=float)])
    inverse = np.linalg.pinv(x.T @ x)
    hat = x @ inverse @ x.T
    m = np.eye(len(frame)) - hat
    a = (inverse @ x.T)[0]
    w = np.diag(a ** 2 / (1 - np.diag(hat)))
    return float(np.trace(m @ w) ** 2 / np.trace(m @ w @ m @ w))


def test_cluster_itt_equals_statsmodels_hc2_on_a_fixed_dataset():
    # statsmodels 0.15.0, independent reference:
    #   smf.ols("outcome ~ blast + baseline + C(stratum)", SMALL).fit(cov_type="HC2",
    #           use_t=True)
    # gives blast 3.5082125614080972, bse 0.39564905913625814 (and, on n - k = 7 df, the
    # interval [2.572651201054634, 4.443773921761561]). Bell-McCaffrey df from the dense
    # definition: 5.086734661470207; scipy t.ppf(0.975, that) = 2.557454134159826, so the
    # interval is 3.5082125614 -+ 2.5574541342 * 0.3956490591 = [2.4963582394, 4.5200668834].
    estimate = cluster_itt(SMALL, permutations=200, seed=1)
    assert estimate.effect == pytest.approx(3.5082125614080972, rel=1e-12)
    assert estimate.se == pytest.approx(0.39564905913625814, rel=1e-12)
    assert estimate.df == pytest.approx(5.086734661470207, rel=1e-10)
    assert _bell_mccaffrey_dense(SMALL) == pytest.approx(5.086734661470207, rel=1e-12)
    assert estimate.ci_low == pytest.approx(2.4963582394436283, rel=1e-10)
    assert estimate.ci_high == pytest.approx(4.520066883372566, rel=1e-10)
    assert (estimate.n_holdout, estimate.n_blast) == (5, 7)


def test_cluster_itt_randomisation_p_value_matches_full_enumeration():
    # Strata of 4, 4, 4 holding out 2, 1, 2: C(4,2) * C(4,1) * C(4,2) = 144 possible
    # assignments. Refitting OLS (numpy lstsq, not the code under test) on each, exactly one
    # (the observed) has |coefficient| >= the observed 3.508: the exact p-value is 1 / 144.
    import itertools

    dummies = pd.get_dummies(SMALL["stratum"]).to_numpy(dtype=float)
    y = SMALL["outcome"].to_numpy(dtype=float)

    def coefficient(blast: np.ndarray) -> float:
        x = np.column_stack([blast, dummies, SMALL["baseline"].to_numpy(dtype=float)])
        return float(np.linalg.lstsq(x, y, rcond=None)[0][0])

    observed = coefficient(SMALL["arm"].eq("blast").to_numpy(dtype=float))
    extreme = 0
    for a in itertools.combinations(range(4), 2):
        for b in itertools.combinations(range(4, 8), 1):
            for c in itertools.combinations(range(8, 12), 2):
                blast = np.ones(12)
                blast[list(a + b + c)] = 0
                extreme += abs(coefficient(blast)) >= abs(observed) - 1e-9
    assert extreme == 1
    estimate = cluster_itt(SMALL, permutations=20_000, seed=5)
    # Monte Carlo p = (1 + hits) / 20001 around 1/144 = 0.00694, SE 0.0006: within 4 SE
    assert estimate.p_value == pytest.approx(1 / 144, abs=0.0025)


@pytest.mark.parametrize("seed, n_units, n_strata, share", [
    (1, 60, 4, 0.3),
    (2, 514, 38, 0.1),
    (3, 38, 7, 0.5),  # 38 provinces in 7 island groups
    (4, 40, 1, 0.25),  # one stratum
])
def test_cluster_itt_equals_statsmodels_hc2(seed, n_units, n_strata, share):
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(seed)
    units = pd.DataFrame({"unit_code": np.arange(n_units) + 1000,
                          "stratum": np.sort(np.arange(n_units) % n_strata)})
    frame = assign_clusters(units, share, seed)
    frame["baseline"] = rng.normal(75, 6, n_units)
    frame["outcome"] = (5 + 0.9 * frame["baseline"] + frame["stratum"] * 0.3
                        + rng.standard_t(4, n_units) * (1 + frame["baseline"] / 80)
                        + 0.8 * frame["arm"].eq("blast"))
    estimate = cluster_itt(frame, permutations=100, seed=seed)
    data = frame.assign(blast=frame["arm"].eq("blast").astype(float))
    formula = "outcome ~ blast + baseline" + (" + C(stratum)" if n_strata > 1 else "")
    fit = smf.ols(formula, data).fit(cov_type="HC2", use_t=True)
    assert estimate.effect == pytest.approx(fit.params["blast"], rel=1e-9)
    assert estimate.se == pytest.approx(fit.bse["blast"], rel=1e-9)
    df = _bell_mccaffrey_dense(frame)
    assert estimate.df == pytest.approx(df, rel=1e-9)
    assert df < fit.df_resid  # never more than n - k
    half = stats.t.ppf(0.975, df) * fit.bse["blast"]
    assert (estimate.ci_low, estimate.ci_high) == (
        pytest.approx(fit.params["blast"] - half, rel=1e-9),
        pytest.approx(fit.params["blast"] + half, rel=1e-9))


def test_cluster_itt_a_stratum_of_one_unit_adds_nothing():
    # a unit alone in its stratum is fitted exactly by its fixed effect (leverage 1,
    # residual 0): the estimate and its HC2 error are those without it, not 0 / 0
    lone = pd.DataFrame({"unit_code": [99], "stratum": [4], "arm": ["holdout"],
                         "baseline": [66.0], "outcome": [70.0]})
    with_lone = cluster_itt(pd.concat([SMALL, lone]), permutations=50)
    without = cluster_itt(SMALL, permutations=50)
    assert with_lone.effect == pytest.approx(without.effect, rel=1e-12)
    assert with_lone.se == pytest.approx(without.se, rel=1e-12)
    assert with_lone.df == pytest.approx(without.df, rel=1e-10)  # it adds no information
    assert with_lone.n_holdout == without.n_holdout + 1


def test_cluster_itt_all_equal_outcomes():
    flat = SMALL.assign(outcome=50.0)
    estimate = cluster_itt(flat, permutations=300, seed=2)
    assert estimate.effect == pytest.approx(0.0, abs=1e-12)
    assert estimate.ci_low == pytest.approx(0.0, abs=1e-12)
    assert estimate.ci_high == pytest.approx(0.0, abs=1e-12)
    assert estimate.p_value == 1.0  # every re-draw ties with the observed 0


def test_cluster_itt_with_the_plan_share_redraws_by_the_rule():
    estimate = cluster_itt(SMALL, permutations=2000, seed=4, share=5 / 12)
    assert "assignment rule at share 0.416667" in estimate.method
    assert 0 < estimate.p_value < 0.05  # the effect is 9 HC2 errors from zero


def test_cluster_itt_leaves_out_units_without_data_and_says_so():
    gappy = SMALL.copy()
    gappy.loc[0, "outcome"] = np.nan
    estimate = cluster_itt(gappy, permutations=50, share=5 / 12)
    assert estimate.n_holdout == 4 and "1 units without baseline or outcome" in estimate.note
    # the plan's rule over a subset is not the design's: the counts actually drawn are kept
    assert "realised hold-out count kept" in estimate.method


@pytest.mark.parametrize("frame, message", [
    (SMALL.iloc[0:0], "empty"),
    (SMALL.drop(columns="baseline"), "missing"),
    (SMALL.assign(arm="blast"), "both arms"),
    (SMALL.assign(arm="control"), "arms must be"),
    (SMALL.assign(stratum=SMALL["unit_code"]), "no degrees of freedom"),
    (SMALL.iloc[[0, 1, 4, 5]], "no degrees of freedom"),  # 4 units, 4 parameters
])
def test_cluster_itt_refuses(frame, message):
    with pytest.raises(ValueError, match=message):
        cluster_itt(frame, permutations=10)


# --- individual ITT --------------------------------------------------------------------------

def _respondents(successes: tuple[int, int], totals: tuple[int, int]) -> pd.DataFrame:
    """Unweighted respondents: (blast, holdout) successes out of totals."""
    rows = []
    for arm, k, n in (("blast", successes[0], totals[0]), ("holdout", successes[1], totals[1])):
        rows += [(arm, 1.0)] * k + [(arm, 0.0)] * (n - k)
    return pd.DataFrame(rows, columns=["arm", "outcome"]).assign(weight=1.0)


def test_individual_itt_reproduces_a_published_worked_example():
    # Beside the published SMS experiments below (Kalla's, with arm sizes and rates), a worked
    # example of the Wald interval with all its digits: homeworksource.com/p/997733 (a textbook
    # exercise,
    # "allergy drug" relief in 66 of 102 men and 47 of 94 women): difference 0.14706,
    # "(0.64706 - 0.5) +- 1.96 * sqrt(0.0049)" = [0.00988, 0.28424] (the Wald interval).
    estimate = individual_itt(_respondents((66, 47), (102, 94)))
    assert estimate.effect == pytest.approx(0.14706, abs=5e-6)
    # our linearised variance carries the with-replacement factor n / (n - 1) = 196 / 195;
    # without it the published interval comes back to its 5 printed decimals
    half = (estimate.ci_high - estimate.ci_low) / 2 / math.sqrt(196 / 195)
    assert estimate.effect - half == pytest.approx(0.00988, abs=1e-5)
    assert estimate.effect + half == pytest.approx(0.28424, abs=1e-5)
    # and with it the interval is wider by a quarter of a percent, nothing more
    assert estimate.ci_low == pytest.approx(0.00988, abs=4e-4)
    assert estimate.ci_high == pytest.approx(0.28424, abs=4e-4)


# Published SMS get-out-the-vote experiments with their arm sizes and turnout (abstracts as
# quoted at https://www.sciencegate.app/document/10.31219/osf.io/syzpr):
# - Kalla, J. (2021) "Results from 2016 Illinois Text Message Experiment", OSF Preprints,
#   doi:10.31219/osf.io/syzpr: 94,257 texted, 94,229 control; "32.50% of the treatment group
#   voted while 32.26% of the control group did"; covariate-adjusted effect 0.25 points,
#   SE = 0.20 points (p = 0.20).
# - Yan, A. N. and Kalla, J. (2021), NextGen America's 2017 Virginia primary texting: 250,000
#   treated, 125,000 control; "11.32% of the treatment group voted, while 10.73% of the
#   control group voted"; covariate-adjusted 0.62 points, SE = .001 (0.1 points).
# The voters are the printed rates times the arm sizes (rounded: the rates have 4 digits, so
# the difference is exact to +-0.01 points). Our estimator is the unadjusted difference, so its
# effect is the printed rates' difference and its SE may only be a little above the published
# covariate-adjusted one (adjustment removes variance; it never adds it in expectation).
@pytest.mark.parametrize(("rates", "totals", "difference", "published_se"), [
    ((0.3250, 0.3226), (94_257, 94_229), 0.0024, 0.0020),
    ((0.1132, 0.1073), (250_000, 125_000), 0.0059, 0.0010),
])
def test_individual_itt_on_published_sms_experiments(rates, totals, difference, published_se):
    successes = tuple(round(r * n) for r, n in zip(rates, totals, strict=True))
    estimate = individual_itt(_respondents(successes, totals))
    assert estimate.effect == pytest.approx(difference, abs=1e-4)
    assert published_se <= estimate.se <= published_se * 1.1
    assert estimate.ci_low < difference < estimate.ci_high
    assert (estimate.n_blast, estimate.n_holdout) == totals


@pytest.mark.parametrize("successes, totals", [
    ((66, 47), (102, 94)),  # the worked example above: statsmodels gives [0.009882, 0.284236]
    ((1_251, 1_180), (4_000, 4_000)),
    ((30, 2), (40, 35)),
])
def test_individual_itt_unweighted_equals_statsmodels_wald(successes, totals):
    # statsmodels' Wald interval for a difference of independent proportions, an independent
    # implementation; ours differs only by the factor sqrt(n / (n - 1)) on the half-width
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(successes[0], totals[0], successes[1], totals[1],
                                           method="wald", compare="diff")
    estimate = individual_itt(_respondents(successes, totals))
    n = sum(totals)
    assert estimate.effect == pytest.approx((low + high) / 2, rel=1e-12)
    half = (estimate.ci_high - estimate.ci_low) / 2
    assert half == pytest.approx((high - low) / 2 * math.sqrt(n / (n - 1)), rel=1e-10)
    # and the p-value is statsmodels' Wald test's, its statistic shrunk by the same factor
    # (the worked example: z = 2.10116, p = 0.03563 without it)
    from statsmodels.stats.proportion import test_proportions_2indep

    z = test_proportions_2indep(successes[0], totals[0], successes[1], totals[1],
                                method="wald", compare="diff").statistic
    assert estimate.p_value == pytest.approx(
        2 * stats.norm.sf(abs(z) * math.sqrt((n - 1) / n)), rel=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_individual_itt_equals_weighted_least_squares_hc0(seed):
    # statsmodels WLS of the answer on the arm with the survey weights: the arm coefficient is
    # the weighted difference and its HC0 (sandwich) variance is the linearised variance
    # without the factor n / (n - 1)
    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    n = 800
    frame = pd.DataFrame({"arm": np.where(rng.random(n) < 0.3, "holdout", "blast"),
                          "weight": rng.lognormal(0, 0.6, n)})
    frame["outcome"] = (rng.random(n) < 0.6 + 0.05 * frame["arm"].eq("blast")).astype(float)
    estimate = individual_itt(frame)
    x = sm.add_constant(frame["arm"].eq("blast").astype(float).rename("blast"))
    fit = sm.WLS(frame["outcome"], x, weights=frame["weight"]).fit(cov_type="HC0")
    assert estimate.effect == pytest.approx(fit.params["blast"], rel=1e-10)
    assert estimate.se == pytest.approx(fit.bse["blast"] * math.sqrt(n / (n - 1)), rel=1e-10)
    assert estimate.ci_low == pytest.approx(estimate.effect - 1.959963984540054 * estimate.se)


def test_individual_itt_by_hand_with_weights():
    # blast: weights 1, 3 answering 1, 0 -> p_b = 1 / 4; holdout: weights 2, 2 answering 1, 1
    # -> p_h = 1. u: blast 1 * (1 - .25) / 4 = .1875, 3 * (0 - .25) / 4 = -.1875; holdout 0, 0.
    # var = 4 / 3 * (2 * .1875^2) = 0.09375
    frame = pd.DataFrame({"arm": ["blast", "blast", "holdout", "holdout"],
                          "outcome": [1, 0, 1, 1], "weight": [1.0, 3.0, 2.0, 2.0]})
    estimate = individual_itt(frame)
    assert estimate.effect == pytest.approx(-0.75)
    assert estimate.se == pytest.approx(math.sqrt(0.09375))


@pytest.mark.parametrize("frame, message", [
    (pd.DataFrame({"arm": [], "outcome": []}), "empty"),
    (pd.DataFrame({"arm": ["blast", "blast"], "outcome": [1, 0]}), "both arms"),
    (pd.DataFrame({"arm": ["blast", "holdout"], "outcome": [2, 0]}), "0 or 1"),
    (pd.DataFrame({"arm": ["blast", "holdout"], "outcome": [1, 0], "weight": [1, 0]}),
     "positive"),
    (pd.DataFrame({"arm": ["sent", "holdout"], "outcome": [1, 0]}), "arms must be"),
    # each arm answered all alike: the linearised SE is 0 however many respondents there are,
    # and a point interval with p = 0 would claim certainty (attack of 7 Dec 2026: 5 against
    # 5 gave "+100 points (95 % CI +100 to +100), p = 0", where scipy's fisher_exact of
    # [[5, 0], [0, 5]] gives p = 0.0079 and the Newcombe interval is +39 to +100 points)
    (_respondents((5, 0), (5, 5)), "same answer"),
    (_respondents((1, 0), (1, 1)), "same answer"),
    (_respondents((0, 0), (4, 3)), "same answer"),  # no difference, still no variation
    (_respondents((6, 6), (6, 6)).assign(weight=[1.0, 2.0] * 6), "same answer"),
])
def test_individual_itt_refuses(frame, message):
    with pytest.raises(ValueError, match=message):
        individual_itt(frame)


def test_individual_itt_without_weights_column_counts_each_respondent_once():
    frame = _respondents((30, 20), (50, 50)).drop(columns="weight")
    assert individual_itt(frame).effect == pytest.approx(0.6 - 0.4)


# --- complier effect and strata -------------------------------------------------------------

def test_complier_effect_divides_the_itt_and_its_interval():
    itt = Estimate(0.02, 0.01, 0.03, 0.001, 100, 900, "x", se=0.005)
    # 90 % of the blast arm reached, 10 % of the hold-out by mistake: difference 0.8
    cace = complier_effect(itt, 0.9, 0.1)
    assert (cace.effect, cace.ci_low, cace.ci_high) == (
        pytest.approx(0.025), pytest.approx(0.0125), pytest.approx(0.0375))
    assert cace.se == pytest.approx(0.00625) and cace.p_value == 0.001


@pytest.mark.parametrize("blast, holdout", [(0.3, 0.3), (0.2, 0.5), (1.2, 0.0), (0.9, -0.1)])
def test_complier_effect_refuses(blast, holdout):
    with pytest.raises(ValueError):
        complier_effect(Estimate(0.02, 0.01, 0.03, 0.001, 1, 1, "x"), blast, holdout)


def test_by_stratum_runs_each_stratum_and_explains_the_ones_it_cannot():
    frame = pd.concat([SMALL, pd.DataFrame({
        "unit_code": [20, 21, 22], "stratum": [9, 9, 9], "arm": ["blast"] * 3,
        "baseline": [60.0, 61.0, 62.0], "outcome": [60.0, 61.0, 62.0]})])
    table = by_stratum(frame, cluster_itt, permutations=50)
    assert table["stratum"].tolist() == [1, 2, 3, 9]
    # stratum 1 alone: 4 units, 2 held out; a one-stratum ANCOVA leaves 4 - 3 = 1 df
    assert table.loc[0, "n_holdout"] == 2 and np.isfinite(table.loc[0, "effect"])
    assert np.isnan(table.loc[3, "effect"]) and "both arms" in table.loc[3, "note"]
    with pytest.raises(ValueError, match="stratum"):
        by_stratum(SMALL.drop(columns="stratum"), cluster_itt)


# --- power -----------------------------------------------------------------------------------

def test_mde_cluster_by_hand():
    # 514 regencies, 38 strata, 10 % held out, outcome SD 0.05 (5 turnout points), baseline
    # correlation 0.8: SE = 0.05 * sqrt((1 - 0.64) / (514 * 0.1 * 0.9)) = 0.05 * sqrt(0.36 /
    # 46.26) = 0.0044108; df = 514 - 38 - 2 = 474; t quantiles (scipy 1.17) 1.964981 + 0.842380
    se = 0.05 * math.sqrt(0.36 / 46.26)
    assert se == pytest.approx(0.0044108, abs=5e-8)
    multiplier = stats.t.ppf(0.975, 474) + stats.t.ppf(0.8, 474)
    assert multiplier == pytest.approx(1.964981 + 0.842380, abs=2e-6)
    assert mde_cluster(0.05, 0.8, 514, 0.1, n_strata=38) == pytest.approx(se * multiplier)
    # 38 provinces, no strata, half held out: SE = 0.05 * 0.6 / sqrt(38 * 0.25) = 0.0097333;
    # df 35: t quantiles 2.030108 + 0.852012 -- the t correction adds 2.9 % over z's 2.801585
    se38 = 0.05 * 0.6 / math.sqrt(9.5)
    assert mde_cluster(0.05, 0.8, 38, 0.5) == pytest.approx(se38 * (2.030108 + 0.852012),
                                                            rel=1e-5)


@pytest.mark.parametrize("p0, n, share, deff, compliance", [
    (0.7, 2000, 0.5, 1.0, 1.0),
    (0.55, 5000, 0.1, 1.6, 1.0),
    (0.8, 1200, 0.2, 1.0, 0.6),
])
def test_mde_individual_against_statsmodels_normal_power(p0, n, share, deff, compliance):
    from statsmodels.stats.power import NormalIndPower

    # statsmodels solves for the standardised effect d with nobs1 = blast respondents and
    # ratio = holdout / blast; the MDE in points is d * sqrt(p0 (1 - p0) deff) / compliance
    blast = n * (1 - share)
    d = NormalIndPower().solve_power(effect_size=None, nobs1=blast, alpha=0.05, power=0.8,
                                     ratio=share / (1 - share))
    expected = d * math.sqrt(p0 * (1 - p0) * deff) / compliance
    assert mde_individual(p0, n, share, deff=deff, compliance=compliance) == pytest.approx(
        expected, rel=1e-4)


def test_mde_individual_by_hand():
    # p0 0.7, 2000 respondents, half held out: SE = sqrt(0.21 / 500) = 0.0204939;
    # (1.959964 + 0.841621) * SE = 0.057416; at 50 % compliance twice that
    assert mde_individual(0.7, 2000, 0.5) == pytest.approx(0.057416, abs=1e-6)
    assert mde_individual(0.7, 2000, 0.5, compliance=0.5) == pytest.approx(0.114832, abs=2e-6)


@pytest.mark.parametrize("call", [
    lambda: mde_cluster(0.05, 0.8, 4, 0.5, n_strata=2),
    lambda: mde_cluster(0.05, 1.2, 514, 0.1),
    lambda: mde_cluster(0.05, 0.8, 514, 0.0),
    lambda: mde_individual(0.0, 100, 0.5),
    lambda: mde_individual(0.5, 100, 0.5, compliance=0.0),
])
def test_power_refuses(call):
    with pytest.raises(ValueError):
        call()


def test_simulated_power_edge_cases():
    units = _units([10, 10, 10])
    base = units.assign(baseline=np.linspace(60, 80, 30), outcome=np.linspace(61, 82, 30))
    # outcomes on an exact line in the baseline: no residual, any effect is detected
    assert simulated_power_cluster(base, 0.5, 0.5, sims=50, seed=1) == 1.0
    with pytest.raises(ValueError, match="empty"):
        simulated_power_cluster(base.iloc[0:0], 0.5, 0.5, sims=10, seed=1)
    with pytest.raises(ValueError, match="strictly between"):
        simulated_mde_cluster(base, 1.0, sims=10, seed=1)
    curve = mde_curve(base.assign(outcome=base["outcome"] + np.tile([0.5, -0.5], 15)),
                      [0.2, 0.5], sims=200, seed=3)
    assert curve.columns.tolist() == ["share", "n_holdout", "mde_analytic", "mde_simulated"]
    assert curve["n_holdout"].tolist() == [6, 15]
    # holding out half needs a smaller effect than holding out a fifth
    assert curve.loc[1, "mde_analytic"] < curve.loc[0, "mde_analytic"]
    assert curve.loc[1, "mde_simulated"] < curve.loc[0, "mde_simulated"]
