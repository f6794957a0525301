"""Edge cases of the survey statistics that the mutation run showed untested
(docs/MUTATION.md): shares of 0 and 1, empty and one-sided groups, bad answers and weights with
their exact messages, equal-weight chi-square against scipy, the finite-population factor, and
the detectable difference at the ends of [0, 1]. References: statsmodels (Wilson and Newcombe
intervals, NormalIndPower), scipy (chi2_contingency), or the definition written out here."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import optimize, stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
)

from dashboard.analysis import survey_stats as ss
from dashboard.analysis.province_stats import NotEnoughData


@pytest.mark.parametrize(("count", "n", "confidence"), [
    (0, 10, 0.95), (10, 10, 0.95), (1, 1, 0.9), (0, 1, 0.5), (3, 7, 0.99), (50, 100, 0.95),
])
def test_wilson_matches_statsmodels_at_the_ends(count, n, confidence):
    low, high = proportion_confint(count, n, alpha=1 - confidence, method="wilson")
    got = ss.wilson_interval(count / n, n, confidence)
    assert got == pytest.approx((low, high), abs=1e-12)
    assert got[0] <= count / n <= got[1]
    answers = [1] * count + [0] * (n - count)
    share = ss.weighted_proportion(answers, confidence=confidence)
    assert (share.estimate, share.n, share.n_eff) == (pytest.approx(count / n), n,
                                                      pytest.approx(n))
    assert (share.ci_low, share.ci_high) == pytest.approx((low, high), abs=1e-12)


@pytest.mark.parametrize(("p", "n"), [(0.5, 0), (0.5, -1), (math.nan, 10), (math.inf, 10)])
def test_wilson_without_information_is_nan(p, n):
    assert all(math.isnan(v) for v in ss.wilson_interval(p, n))


@pytest.mark.parametrize(("a", "m", "b", "n"), [
    (0, 10, 5, 10), (10, 10, 0, 10), (0, 8, 0, 12), (12, 12, 7, 7), (3, 9, 4, 11), (1, 1, 0, 1),
])
def test_newcombe_difference_at_the_ends_matches_statsmodels(a, m, b, n):
    first = ss.weighted_proportion([1] * a + [0] * (m - a))
    second = ss.weighted_proportion([1] * b + [0] * (n - b))
    d, low, high = ss.difference_of_proportions(first, second)
    ref = confint_proportions_2indep(a, m, b, n, method="newcomb", compare="diff")
    assert d == pytest.approx(a / m - b / n)
    assert (low, high) == pytest.approx(tuple(float(v) for v in ref), abs=1e-12)
    assert -1 <= low <= d <= high <= 1


def test_difference_needs_respondents_in_both_groups():
    some = ss.weighted_proportion([1, 0, 1])
    empty = ss.Proportion(math.nan, math.nan, math.nan, 0, 0.0)
    for pair in ((some, empty), (empty, some)):
        with pytest.raises(NotEnoughData, match="^a group has no respondents$"):
            ss.difference_of_proportions(*pair)


@pytest.mark.parametrize(("answers", "weights", "message", "error"), [
    ([1, 0], [1.0], "^answers and weights must have the same length$", ValueError),
    ([1, 0], [1.0, 0.0], "^weights must be positive$", ValueError),
    ([1, 0], [1.0, -2.0], "^weights must be positive$", ValueError),
    ([1, 2], None, r"^answers must be 0 or 1 \(or missing\)$", ValueError),
    ([0.5], None, r"^answers must be 0 or 1 \(or missing\)$", ValueError),
    ([], None, "^no respondents with an answer$", NotEnoughData),
    ([None, "x", np.nan], None, "^no respondents with an answer$", NotEnoughData),
    ([1, 0], ["a", "b"], "^no respondents with an answer$", NotEnoughData),
])
def test_bad_answers_and_weights(answers, weights, message, error):
    with pytest.raises(error, match=message):
        ss.weighted_proportion(answers, weights)


def test_missing_answer_or_weight_drops_the_respondent():
    share = ss.weighted_proportion([1, None, 0, 1, "?"], [2.0, 5.0, np.nan, 1.0, 3.0])
    # the definition: sum(w y) / sum(w) over the rows with both; Kish n_eff on those weights
    assert share.estimate == pytest.approx((2 + 1) / 3)
    assert share.n == 2 and share.n_eff == pytest.approx(9 / 5)
    low, high = ss.wilson_interval(1.0, 9 / 5)
    assert (share.ci_low, share.ci_high) == (low, high)


@pytest.mark.parametrize("confidence", [0, 1, 1.2, -0.1])
def test_confidence_level_is_checked(confidence):
    with pytest.raises(ValueError, match="^confidence must lie strictly between 0 and 1$"):
        ss.wilson_interval(0.5, 10, confidence)


TABLES = [
    # rows, columns: equal weights, no clusters
    (["a", "a", "b", "b", "a", "b"], ["y", "n", "y", "y", "y", "n"]),  # same shares: X2 = 0
    (["a", "a", "b", "b", "a", "b", "b"], ["y", "n", "y", "n", "n", "y", "y"]),
    (["a"] * 5 + ["b"] * 4 + ["c"] * 3, list("yyynnyynnyyn")),
    ([1, 1, 2, 2, 1, 2, 1, None], [0, 1, 1, 1, 0, 0, 0, 1]),  # a missing row is dropped
]


@pytest.mark.parametrize(("rows", "columns"), TABLES)
def test_equal_weight_chi_square_is_pearson_times_n_minus_1_over_n(rows, columns):
    frame = pd.DataFrame({"r": rows, "c": columns}).dropna()
    table = pd.crosstab(frame["r"], frame["c"]).to_numpy()
    ref = stats.chi2_contingency(table, correction=False)
    n = len(frame)
    result = ss.weighted_chi_square(rows, columns)
    assert result.pearson == pytest.approx(ref.statistic)
    assert result.df == ref.dof
    assert result.n == n
    assert result.statistic == pytest.approx(ref.statistic * (n - 1) / n)
    assert result.p_value == pytest.approx(stats.chi2.sf(ref.statistic * (n - 1) / n, ref.dof))
    assert result.n_eff == pytest.approx(n - 1)
    if ref.statistic > 0:  # X2 = 0 (identical shares) leaves the ratio undefined
        assert result.mean_design_effect == pytest.approx(n / (n - 1))
    else:
        assert math.isnan(result.mean_design_effect)
    assert result.design_effects == pytest.approx((n / (n - 1),) * ref.dof)
    deff = n / (n - 1) if ref.statistic > 0 else math.nan
    assert result.note() == (f"{ss.CHI_SQUARE_METHOD}: X2 = {ref.statistic:.2f} / mean design "
                             f"effect {deff:.2f} = {ref.statistic * (n - 1) / n:.2f}, "
                             f"df {ref.dof}")
    weighted = ss.weighted_chi_square(rows, columns, weights=[3.0] * len(rows))
    assert weighted.statistic == pytest.approx(result.statistic)


def test_finite_population_factor_scales_the_design_effects():
    rows, columns = TABLES[2]
    g = len(rows)
    whole = ss.weighted_chi_square(rows, columns)
    half = ss.weighted_chi_square(rows, columns, population_clusters=2 * g)
    # V is multiplied by (1 - f), f = G / population: so is every design effect
    assert half.design_effects == pytest.approx(tuple(d * 0.5 for d in whole.design_effects))
    assert half.statistic == pytest.approx(whole.statistic * 2)


@pytest.mark.parametrize(("rows", "columns", "weights", "clusters", "message", "error"), [
    (["a", "a", "a"], ["y", "n", "y"], None, None,
     "^the table needs at least two groups and two answers$", NotEnoughData),
    (["a", "b", "a"], ["y", "y", None], None, None,
     "^the table needs at least two groups and two answers$", NotEnoughData),
    (["a", "b", "a", "b"], ["y", "n", "n", "y"], None, [1, 1, 1, 1],
     "^the design needs at least two sampling units$", NotEnoughData),
    (["a", "b", "a", "b"], ["y", "n", "n", "y"], [1, 0, 1, 1], None,
     "^weights must be positive$", ValueError),
])
def test_chi_square_refusals(rows, columns, weights, clusters, message, error):
    with pytest.raises(error, match=message):
        ss.weighted_chi_square(rows, columns, weights, clusters)


def _detectable_by_statsmodels(n1, n2, baseline, alpha=0.05, power=0.8):
    """The largest of the smallest increase and the smallest decrease from ``baseline`` that
    statsmodels' two-sample normal power (NormalIndPower, effect size by
    proportion_effectsize) detects with ``power``, each found by root finding (brentq) on the
    power curve; NaN when neither direction reaches it inside [0, 1]. Nothing here uses the
    arcsine inversion of survey_stats."""
    engine = NormalIndPower()

    def shortfall(p1):
        effect = abs(proportion_effectsize(p1, baseline))
        return engine.power(effect, nobs1=n1, alpha=alpha, ratio=n2 / n1) - power

    found = []
    for end in (1.0, 0.0):
        if end != baseline and shortfall(end) >= 0:
            found.append(abs(optimize.brentq(shortfall, baseline, end, xtol=1e-14) - baseline))
    return max(found) if found else math.nan


@pytest.mark.parametrize(("n1", "n2", "baseline", "alpha", "power"), [
    (50, 100, 0.3, 0.05, 0.8), (200, 200, 0.0, 0.05, 0.8), (200, 200, 1.0, 0.05, 0.8),
    (10, 10, 0.5, 0.1, 0.9), (40, 25, 0.05, 0.01, 0.5),
    (24.5, 24.5, 0.9, 0.05, 0.8),  # h = 0.8: only the decrease fits inside [0, 1]
    (24.5, 24.5, 0.1, 0.05, 0.8),  # only the increase
    (4, 4, 0.1, 0.05, 0.8),  # h = 1.98: the increase still fits
    (2, 2, 0.95, 0.05, 0.8), (2, 2, 0.05, 0.05, 0.8),  # h = 2.8: neither fits
    (1, 1, 0.5, 0.05, 0.8),  # nor here
])
def test_detectable_difference_matches_statsmodels_power(n1, n2, baseline, alpha, power):
    # NormalIndPower counts both tails and Cohen's h only the one in the direction of the
    # difference: the far tail adds under 1e-4 of power at these sizes, hence rel=1e-4
    h = NormalIndPower().solve_power(nobs1=n1, ratio=n2 / n1, alpha=alpha, power=power)
    result = ss.minimum_detectable_difference(n1, n2, baseline, alpha, power)
    assert result.cohens_h == pytest.approx(h, rel=1e-4)
    expected = _detectable_by_statsmodels(n1, n2, baseline, alpha, power)
    assert (math.isnan(result.difference) and math.isnan(expected)) or \
        result.difference == pytest.approx(expected, rel=1e-4)
    assert (result.baseline, result.n1_eff, result.n2_eff) == (baseline, n1, n2)


def test_detectable_difference_edges():
    # tiny groups: h beyond the whole arcsine range either way: nothing is detectable
    assert math.isnan(ss.minimum_detectable_difference(1, 1, 0.5).difference)
    for n1, n2 in ((0, 10), (10, 0), (-1, 10)):
        with pytest.raises(NotEnoughData, match="^a group has no respondents$"):
            ss.minimum_detectable_difference(n1, n2, 0.5)
    for baseline in (-0.01, 1.01):
        with pytest.raises(ValueError, match="^baseline must be a proportion$"):
            ss.minimum_detectable_difference(10, 10, baseline)


@pytest.mark.parametrize(("a", "m", "b", "n", "confidence"), [(3, 9, 7, 11, 0.8),
                                                              (0, 6, 4, 5, 0.5)])
def test_newcombe_difference_at_the_requested_level(a, m, b, n, confidence):
    first = ss.weighted_proportion([1] * a + [0] * (m - a))
    second = ss.weighted_proportion([1] * b + [0] * (n - b))
    _, low, high = ss.difference_of_proportions(first, second, confidence)
    ref = confint_proportions_2indep(a, m, b, n, method="newcomb", compare="diff",
                                     alpha=1 - confidence)
    assert (low, high) == pytest.approx(tuple(float(v) for v in ref), abs=1e-12)


def test_chi_square_with_two_sampling_units_and_an_empty_last_cell():
    # cells sorted as ("a", "n"), ("b", "n"), ("a", "y"), ("b", "y"): nobody in the last
    rows = ["a", "a", "b", "a", "b", "a", "b", "a"]
    cols = ["y", "n", "n", "y", "n", "n", "n", "y"]
    table = pd.crosstab(pd.Series(rows), pd.Series(cols)).to_numpy()
    result = ss.weighted_chi_square(rows, cols, clusters=[1, 2, 1, 2, 1, 2, 1, 2])
    assert result.pearson == pytest.approx(stats.chi2_contingency(table,
                                                                  correction=False).statistic)
    assert math.isfinite(result.statistic) and math.isfinite(result.p_value)
    assert result.df == 1 and result.n == 8


def test_design_effects_are_listed_largest_first():
    rng = np.random.default_rng(3)
    rows = rng.choice(["a", "b", "c"], 90)
    cols = rng.choice(["y", "n"], 90)
    result = ss.weighted_chi_square(rows, cols, weights=rng.uniform(0.2, 5, 90))
    assert len(result.design_effects) == 2
    assert list(result.design_effects) == sorted(result.design_effects, reverse=True)
    assert result.design_effects[0] > result.design_effects[1]


def test_chi_square_with_no_variation_between_sampling_units_claims_nothing():
    # both clusters hold the same respondents: the linearised variance is 0, so there is no
    # design effect to divide by and no test; X2 itself is still reported
    rows, cols = ["a", "b", "a", "b"], ["y", "n", "y", "n"]
    table = pd.crosstab(pd.Series(rows), pd.Series(cols)).to_numpy()
    result = ss.weighted_chi_square(rows, cols, clusters=[1, 1, 2, 2])
    assert math.isnan(result.statistic) and math.isnan(result.p_value)
    assert math.isnan(result.n_eff)
    assert (result.df, result.n) == (1, 4)
    assert result.pearson == pytest.approx(stats.chi2_contingency(table,
                                                                  correction=False).statistic)
    assert len(result.design_effects) == 1
    assert all(isinstance(d, float) and abs(d) < 1e-12 for d in result.design_effects)


def _logit_frame(n=400, seed=4):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n).astype(float)
    age = rng.choice(["young", "old", "middle"], n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-0.3 + 0.8 * x + 0.4 * (age == "old"))))).astype(float)
    return pd.DataFrame({"y": y, "x": x, "age": age, "weight": rng.uniform(0.3, 3, n)})


@pytest.mark.parametrize(("weight", "confidence"), [(None, 0.95), ("weight", 0.9)])
def test_logit_odds_ratio_and_interval_match_statsmodels(weight, confidence):
    frame = _logit_frame()
    result = ss.weighted_logistic(frame, "y", "x", ("age",), weight=weight,
                                  confidence=confidence)
    reference = frame["age"].value_counts().idxmax()  # the most common level, as documented
    exog = sm.add_constant(pd.get_dummies(frame[["x", "age"]], columns=["age"], dtype=float)
                           .drop(columns=f"age_{reference}"))
    w = None if weight is None else frame["weight"].to_numpy()
    fit = sm.GLM(frame["y"], exog, family=sm.families.Binomial(),
                 var_weights=w).fit(cov_type="HC0")
    low, high = fit.conf_int(alpha=1 - confidence).loc["x"]
    odds = result.odds_ratio
    assert odds.estimate == pytest.approx(math.exp(fit.params["x"]), rel=1e-6)
    assert (odds.ci_low, odds.ci_high) == pytest.approx((math.exp(low), math.exp(high)),
                                                        rel=1e-6)
    assert odds.p_value == pytest.approx(fit.pvalues["x"], rel=1e-6)
    assert odds.n == len(frame)
    assert odds.note == "odds ratio; weighted logistic regression, sandwich errors"
    assert "const" in result.params.index
    effect = result.marginal_effect
    assert effect.note == "average marginal effect (difference in probability), delta method"
    se = (effect.ci_high - effect.ci_low) / (2 * stats.norm.ppf(0.5 + confidence / 2))
    # the p-value and the interval come from one normal approximation
    assert effect.p_value == pytest.approx(2 * stats.norm.sf(abs(effect.estimate) / se))


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: f.assign(x=1.0), "^the regression needs respondents in both groups and both "
                                "answers$"),
    (lambda f: f.assign(y=0.0), "^the regression needs respondents in both groups and both "
                                "answers$"),
    (lambda f: f.assign(age=np.where(f["x"] == 1, "old", "young")),
     "^the controls determine the exposure: no effect adjusted for them$"),
])
def test_logit_refusals_say_why(change, message):
    with pytest.raises(NotEnoughData, match=message):
        ss.weighted_logistic(change(_logit_frame()), "y", "x", ("age",))


@pytest.mark.parametrize(("n", "confidence"), [(2, 0.5), (10, 0.5), (50, 0.5), (31.4, 0.8)])
def test_wilson_upper_limit_of_a_full_share_is_exactly_one(n, confidence):
    # (1 + z^2/2n + z^2/2n) / (1 + z^2/n) = 1, which rounds to 1.0000000000000002 here
    low, high = ss.wilson_interval(1.0, n, confidence)
    assert high == 1.0
    assert low == pytest.approx(proportion_confint(n, n, alpha=1 - confidence,
                                                   method="wilson")[0])


def _rao_scott_2x2(rows, cols, weights, clusters):
    """svychisq(statistic = "Chisq") for a 2 x 2 table, written out by the definition (Rao &
    Scott 1984; R survey's svychisq): cell shares p from the weights, each respondent's
    u_i = w_i (e_i - p) / sum w summed per sampling unit and centred, V = G / (G - 1) sum z z',
    and, with one degree of freedom, the design effect d = n c'D^-1 V D^-1 c / c'D^-1 c for the
    interaction contrast c = (1, -1, -1, 1) over the cells (r1c1, r2c1, r1c2, r2c2); D^-1 has
    0 for an empty cell, as svychisq's ifelse(mean == 0, 0, 1/mean). Returns (X2, d, X2 / d,
    p)."""
    rl, cl = sorted(set(rows)), sorted(set(cols))
    cells = [(r, c) for c in cl for r in rl]
    total = sum(weights)
    n = len(rows)
    p = [sum(w for r, c, w in zip(rows, cols, weights, strict=True) if (r, c) == cell) / total
         for cell in cells]
    units = sorted(set(clusters))
    z = []
    for g in units:
        zg = [0.0] * 4
        for r, c, w, k in zip(rows, cols, weights, clusters, strict=True):
            if k == g:
                for j, cell in enumerate(cells):
                    zg[j] += w * ((1.0 if (r, c) == cell else 0.0) - p[j]) / total
        z.append(zg)
    mean = [sum(zg[j] for zg in z) / len(z) for j in range(4)]
    big_g = len(units)
    v = [[big_g / (big_g - 1) * sum((zg[a] - mean[a]) * (zg[b] - mean[b]) for zg in z)
          for b in range(4)] for a in range(4)]
    contrast = [1.0, -1.0, -1.0, 1.0]
    dc = [contrast[j] / p[j] if p[j] > 0 else 0.0 for j in range(4)]
    numerator = sum(dc[a] * v[a][b] * dc[b] for a in range(4) for b in range(4))
    denominator = sum(contrast[j] * dc[j] for j in range(4)) / n
    deff = numerator / denominator
    table = np.array([[p[0], p[2]], [p[1], p[3]]]) * n
    x2 = stats.chi2_contingency(table, correction=False).statistic
    return x2, deff, x2 / deff, stats.chi2.sf(x2 / deff, 1)


CLUSTERED = [
    # rows, columns, weights (varying within and between units), units
    (list("aabbabab"), list("yynnynny"), [1.0, 3.0, 0.5, 2.0, 4.0, 1.5, 2.5, 0.7],
     None),
    (list("aabbababba"), list("ynnyyynnyn"), [1.2, 0.4, 3.0, 2.2, 0.9, 1.7, 2.8, 0.3, 1.1, 2.0],
     [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),
    # nobody in ("b", "y"): an empty cell, whose inverse share svychisq sets to 0
    (list("aabbabab"), list("yynnynnn"), [1.0, 3.0, 0.5, 2.0, 4.0, 1.5, 2.5, 0.7],
     [1, 2, 3, 1, 2, 3, 1, 2]),
]


@pytest.mark.parametrize(("rows", "cols", "weights", "clusters"), CLUSTERED)
def test_chi_square_with_unequal_weights_matches_the_written_out_rao_scott(rows, cols, weights,
                                                                           clusters):
    units = list(range(len(rows))) if clusters is None else clusters
    x2, deff, statistic, p = _rao_scott_2x2(rows, cols, weights, units)
    result = ss.weighted_chi_square(rows, cols, weights, clusters)
    assert result.pearson == pytest.approx(x2, rel=1e-12)
    assert result.design_effects == pytest.approx((deff,), rel=1e-9)
    assert result.statistic == pytest.approx(statistic, rel=1e-9)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    assert result.n_eff == pytest.approx(len(rows) / deff, rel=1e-9)


def test_chi_square_without_a_design_effect_matrix_claims_nothing():
    # a 3 x 3 table with only its diagonal filled: 3 non-empty cells cannot carry the 4
    # interaction contrasts, so C'D^-1 C is singular and the design-effect matrix
    # (C'D^-1 C / n)^-1 (C'D^-1 V D^-1 C) does not exist (R's solve() stops there)
    rows = ["a", "b", "c"] * 2
    cols = ["x", "y", "z"] * 2
    result = ss.weighted_chi_square(rows, cols, weights=[1.0, 2.0, 1.5, 0.5, 1.0, 2.5])
    # the weighted cell totals 1.5, 3 and 4 of 8.5, scaled to n = 6
    table = np.diag([1.5, 3.0, 4.0]) / 8.5 * 6
    assert result.pearson == pytest.approx(stats.chi2_contingency(table,
                                                                  correction=False).statistic)
    assert (result.df, result.n) == (4, 6)
    assert len(result.design_effects) == 4
    assert all(math.isnan(d) for d in result.design_effects)
    assert math.isnan(result.statistic) and math.isnan(result.p_value)
    assert math.isnan(result.n_eff)


def test_logit_control_answered_only_without_a_weight_is_left_out():
    # "region" is known only for respondents without a weight: among those the model uses it
    # has no level, so the fit is that without it, on every weighted respondent
    frame = _logit_frame()
    unweighted = frame.index % 5 == 0
    frame.loc[unweighted, "weight"] = np.nan
    frame["region"] = np.where(unweighted, np.where(frame.index % 2 == 0, "n", "s"), None)
    result = ss.weighted_logistic(frame, "y", "x", ("age", "region"))
    used = frame[~unweighted]
    reference = used["age"].value_counts().idxmax()
    exog = sm.add_constant(pd.get_dummies(used[["x", "age"]], columns=["age"], dtype=float)
                           .drop(columns=f"age_{reference}"))
    fit = sm.GLM(used["y"], exog, family=sm.families.Binomial(),
                 var_weights=used["weight"].to_numpy()).fit(cov_type="HC0")
    assert result.odds_ratio.estimate == pytest.approx(math.exp(fit.params["x"]), rel=1e-6)
    assert result.odds_ratio.n == len(used)


@pytest.mark.parametrize("se", [0.0, math.nan, math.inf])
def test_marginal_effect_without_a_standard_error_is_refused(monkeypatch, se):
    # a delta-method variance of 0 or less (NaN from _average_marginal_effect) is a broken
    # covariance, not certainty: no zero-width (or infinite) interval, the row is refused
    monkeypatch.setattr(ss, "_average_marginal_effect", lambda *args: (0.125, se))
    with pytest.raises(NotEnoughData, match="no standard error"):
        ss.weighted_logistic(_logit_frame(), "y", "x", ("age",))


EPS = np.finfo(float).eps


@pytest.mark.parametrize(("matrix", "singular"), [
    (np.eye(3), False),
    (np.diag([0.2, 0.05, 0.04]), False),                    # well conditioned
    (np.zeros((2, 2)), True),                               # nothing at all
    (np.ones((2, 2)), True),                                # all equal: rank 1
    (np.diag([0.2, 0.0]), True),                            # exactly singular
    (np.diag([0.2, -3e-30]), True),                         # the AMD EPYC case: below 0
    (np.diag([1.0, EPS]), True),                            # rcond = eps: singular, as R
    (np.diag([1.0, 4 * EPS]), False),                       # just above it
    (np.diag([-1.0, -2.0]), True),                          # negative definite
])
def test_a_matrix_is_singular_as_r_solve_judges_it(matrix, singular):
    assert ss._singular(matrix) is singular


def test_weighted_share_of_a_group_that_all_said_yes_is_exactly_one():
    # w @ y summed in BLAS's order gave 0.9999999999999999 on some CPUs
    weights = np.random.default_rng(7).uniform(0.1, 3.0, 997)
    assert ss.weighted_proportion(np.ones(997), weights).estimate == 1.0
    assert ss.weighted_proportion(np.zeros(997), weights).estimate == 0.0
