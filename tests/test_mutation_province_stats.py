"""Edge cases of the province statistics that the mutation run showed untested
(docs/MUTATION.md): exactly the minimum number of provinces, constant columns, n <= 3 and
|r| = 1 in Fisher's z, zero and negative weights, tiny resample counts, the exact error
messages. References: scipy (pearsonr, spearmanr, rankdata), statsmodels (DescrStatsW,
OLS with HC3), or the definition written out here."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

from dashboard.analysis import province_stats as ps
from dashboard.analysis.province_stats import NotEnoughData

X5 = [1.0, 2.0, 4.0, 3.0, 7.0]
Y5 = [2.0, 1.0, 5.0, 6.0, 8.0]


@pytest.mark.parametrize(("x", "y"), [
    ([1, 2, 3], [1, 3, 2]),  # exactly the minimum of 3 provinces
    ([1, 2, 3], [3, 2, 1]),  # r = -1
    ([1, 2, 3, np.inf, 5], [2, 4, 1, 3, -np.inf]),  # infinite values dropped like missing
    (X5, Y5),
])
def test_pearson_matches_scipy_at_the_minimum(x, y):
    keep = [i for i in range(len(x)) if np.isfinite(x[i]) and np.isfinite(y[i])]
    xs, ys = [x[i] for i in keep], [y[i] for i in keep]
    ref = stats.pearsonr(xs, ys)
    result = ps.pearson(x, y)
    assert result.estimate == pytest.approx(ref.statistic)
    assert result.p_value == pytest.approx(ref.pvalue)
    assert result.n == len(xs)
    low, high = ref.confidence_interval(0.95)  # scipy's Fisher z, n - 3 degrees
    if len(xs) <= 3 or abs(ref.statistic) >= 1 - 1e-12:
        assert (result.ci_low, result.ci_high) == ((-1.0, 1.0) if len(xs) <= 3
                                                   else (np.sign(ref.statistic),) * 2)
    else:
        assert (result.ci_low, result.ci_high) == pytest.approx((low, high))
    assert result.note == "Fisher-z interval; t-test p-value"


@pytest.mark.parametrize(("r", "n", "confidence"), [
    (0.4, 3.5, 0.95), (0.4, 4, 0.9), (-0.7, 10, 0.5), (0.0, 30, 0.99), (0.999, 6, 0.95),
])
def test_fisher_z_interval_and_p_match_scipy(r, n, confidence):
    # scipy's pearsonr on data with correlation r and size n gives the Fisher-z interval
    z, se = math.atanh(r), 1 / math.sqrt(n - 3)
    crit = stats.norm.ppf(0.5 + confidence / 2)
    expected = (math.tanh(z - crit * se), math.tanh(z + crit * se))
    assert ps.fisher_z_interval(r, n, confidence) == pytest.approx(expected)
    assert ps.fisher_z_p_value(r, n) == pytest.approx(2 * stats.norm.sf(abs(z) / se))
    if n == int(n):
        x = np.arange(int(n), dtype=float)
        y = x + np.random.default_rng(1).normal(size=int(n))
        ref = stats.pearsonr(x, y)
        ours = ps.fisher_z_interval(ref.statistic, n, confidence)
        assert ours == pytest.approx(tuple(ref.confidence_interval(confidence)))


@pytest.mark.parametrize(("r", "n", "interval", "p"), [
    (math.nan, 10, (math.nan, math.nan), math.nan),
    (math.inf, 10, (math.nan, math.nan), math.nan),
    (0.5, 3, (-1.0, 1.0), 1.0),  # n - 3 = 0: no information
    (0.5, 3.0001, None, None),  # just above: a real (wide) interval
    (0.5, 2, (-1.0, 1.0), 1.0),
    (1.0, 3, (-1.0, 1.0), 1.0),
    (1.0, 4, (1.0, 1.0), 0.0),
    (-1.0, 4, (-1.0, -1.0), 0.0),
    (1.0000001, 5, (1.0, 1.0), 0.0),
])
def test_fisher_z_edges(r, n, interval, p):
    got = ps.fisher_z_interval(r, n)
    got_p = ps.fisher_z_p_value(r, n)
    if interval is None:
        z, half = math.atanh(r), stats.norm.ppf(0.975) / math.sqrt(n - 3)
        assert got == pytest.approx((math.tanh(z - half), math.tanh(z + half)))
        assert got_p == pytest.approx(2 * stats.norm.sf(math.atanh(r) * math.sqrt(n - 3)))
        return
    assert all((math.isnan(a) and math.isnan(b)) or a == b for a, b in zip(got, interval,
                                                                            strict=True))
    assert (math.isnan(got_p) and math.isnan(p)) or got_p == p
    assert all(isinstance(v, float) for v in got)


@pytest.mark.parametrize("confidence", [0, 1, -0.5, 1.5])
def test_confidence_must_lie_strictly_between_0_and_1(confidence):
    for call in (lambda: ps.fisher_z_interval(0.3, 10, confidence),
                 lambda: ps.spearman(X5, Y5, confidence, n_resamples=10)):
        with pytest.raises(ValueError, match="^confidence must lie strictly between 0 and 1$"):
            call()


@pytest.mark.parametrize(("x", "y", "w"), [
    (X5, Y5, [1, 2, 3, 4, 5]),
    (X5, Y5, [0.1, 10, 1, 1, 3]),
    ([1, 2, 3], [2, 2, 5], [5, 1, 1]),
])
def test_weighted_correlation_matches_statsmodels(x, y, w):
    ref = DescrStatsW(np.column_stack([x, y]), weights=w).corrcoef[0, 1]
    assert ps.weighted_correlation(np.array(x), np.array(y), np.array(w, float)) == \
        pytest.approx(ref)
    result = ps.weighted_pearson(x, y, w)
    assert result.estimate == pytest.approx(ref)
    n_eff = sum(w) ** 2 / sum(v * v for v in w)  # Kish
    assert ps.kish_effective_n(np.array(w)) == pytest.approx(n_eff)
    assert (result.ci_low, result.ci_high) == pytest.approx(ps.fisher_z_interval(ref, n_eff))
    assert result.p_value == pytest.approx(ps.fisher_z_p_value(ref, n_eff))
    assert result.n == len(x)
    assert result.note == ("weighted; Fisher-z interval and z-test on Kish effective n = "
                           f"{n_eff:.1f}")


def test_weighted_pearson_zero_weights_leave_exactly_three():
    full = ps.weighted_pearson([1, 2, 3, 9, 4], [1, 3, 2, -5, 6], [1, 1, 0, 0, 2])
    # the zero-weight provinces are gone: the same as the three others alone
    ref = DescrStatsW(np.column_stack([[1, 2, 4], [1, 3, 6]]), weights=[1, 1, 2]).corrcoef
    assert full.estimate == pytest.approx(ref[0, 1])
    assert full.n == 3
    with pytest.raises(ValueError, match="^weights must not be negative$"):
        ps.permutation_p_value([1, 2, 3, 4], [1, 3, 2, 4], weights=[1, 1, -0.1, 1])


@pytest.mark.parametrize(("call", "message"), [
    (lambda: ps.pearson([1, 2, 3], [1, 2]), "^all inputs must have the same length$"),
    (lambda: ps.pearson([1, 2], [3, 4]),
     "^2 provinces with complete data; at least 3 are needed$"),
    (lambda: ps.ols_change([1, 2, 3, 4], [5, 6, 7, 9], [6, 6, 8, 9]),
     "^4 provinces with complete data; at least 5 are needed$"),
    (lambda: ps.pearson([2, 2, 2, 2], [1, 2, 3, 4]),
     "^exposure has the same value in every province: no correlation can be computed$"),
    (lambda: ps.pearson([1, 2, 3, 4], [5, 5, 5, 5]),
     "^outcome has the same value in every province: no correlation can be computed$"),
    (lambda: ps.spearman([1, 2, 3, 4], [5, 5, 5, 5], n_resamples=10),
     "^outcome has the same value"),
    (lambda: ps.ols_change([3, 3, 3, 3, 3], [1, 2, 3, 4, 5], [2, 3, 1, 5, 4]),
     "^exposure has the same value"),
    (lambda: ps.ols_change([1, 2, 3, 4, 5], [2, 4, 6, 8, 10], [1, 3, 2, 5, 4]),
     "^exposure and the 2019 baseline are collinear: the regression cannot separate them$"),
    (lambda: ps.permutation_p_value(X5, Y5, n_resamples=0), "^n_resamples must be positive$"),
    (lambda: ps.noken_flags([91], "2020"), r"^units must be '2019' or '2024'$"),
])
def test_refusals_and_their_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_leverage_one_is_refused():
    # exposure 0 everywhere but one province, the 2019 level varying independently: that
    # province's residual is forced to 0 (leverage 1), HC3 divides by 1 - h = 0
    with pytest.raises(NotEnoughData, match="^one province alone determines the fit"):
        ps.ols_change([0, 0, 0, 0, 1], [1, 2, 3, 4, 5], [2, 2, 5, 3, 7])


@pytest.mark.parametrize(("x", "b", "a", "confidence"), [
    ([1, 2, 3, 4, 5], [3, 1, 4, 1, 5], [4, 3, 6, 2, 9], 0.95),  # exactly 5 provinces
    ([0.2, 0.5, 0.1, 0.9, 0.4, 0.3], [60, 70, 65, 80, 75, 68], [62, 75, 64, 86, 77, 70], 0.9),
])
def test_ols_change_matches_statsmodels_hc3(x, b, a, confidence):
    exog = sm.add_constant(np.column_stack([x, b]))
    fit = sm.OLS(np.array(a, float) - np.array(b, float), exog).fit(cov_type="HC3",
                                                                     use_t=True)
    result = ps.ols_change(x, b, a, confidence)
    assert result.estimate == pytest.approx(fit.params[1])
    assert (result.ci_low, result.ci_high) == pytest.approx(
        tuple(fit.conf_int(alpha=1 - confidence)[1]))
    assert result.p_value == pytest.approx(fit.pvalues[1])
    assert result.n == len(x)


@pytest.mark.parametrize(("codes", "units", "expected"), [
    ([93, 11], None, [False, False]),  # 93 alone says 2024 units: 91 would not be noken
    ([96, 91], None, [False, False]),
    ([91, 11], None, [True, False]),
    ([None, 94], None, [False, True]),
    ([], None, []),
    ([94, 95], "2019", [False, False]),
    ([91], "2024", [False]),
])
def test_noken_flags_edges(codes, units, expected):
    # NOKEN units as documented: 2019 -> {91}; 2024 -> {94, 95}; 93..96 mean 2024 units
    flags = ps.noken_flags(codes, units)
    assert flags.tolist() == expected and flags.dtype == bool


@pytest.mark.parametrize(("observed", "resampled"), [
    (0.5, [0.5, -0.5, 0.4999, 0.9]),  # exact ties count as extreme
    (-0.3, [0.1, 0.2]),
    (0.0, [0.0, 0.0, 0.1]),
    (0.8, [0.1]),
])
def test_permutation_p_counts_ties(observed, resampled):
    # Phipson & Smyth (2010): (1 + #{|r*| >= |r|}) / (1 + B)
    extreme = sum(abs(r) >= abs(observed) for r in resampled)
    assert ps._permutation_p(observed, np.array(resampled)) == pytest.approx(
        (1 + extreme) / (1 + len(resampled)))


def test_permutation_p_value_exact_for_three_provinces():
    # 3 provinces: 6 permutations; with many resamples the Monte Carlo p approaches the share
    # of permutations at least as extreme (scipy's exact permutation test)
    x, y = [1.0, 2.0, 3.0], [1.0, 3.0, 2.0]
    exact = stats.permutation_test((y,), lambda v: stats.pearsonr(x, v).statistic,
                                   permutation_type="pairings").pvalue
    ours = ps.permutation_p_value(x, y, n_resamples=4000)
    assert ours == pytest.approx(exact, abs=0.03)
    weighted = ps.permutation_p_value(x, y, weights=[1, 1, 1], n_resamples=4000)
    assert weighted == ours
    ranked = ps.permutation_p_value(x, [10.0, 300.0, 20.0], rank=True, n_resamples=4000)
    assert ranked == ours  # ranks of y are 1, 3, 2 as before


# (the bootstrap interval needs MIN_PROVINCES_BOOTSTRAP = 6 provinces: these use 12)
def test_spearman_with_a_single_resample_gives_the_widest_interval():
    result = ps.spearman(X12, Y12, n_resamples=1)
    assert result.estimate == pytest.approx(stats.spearmanr(X12, Y12).statistic)
    assert (result.ci_low, result.ci_high) == (-1.0, 1.0)
    assert result.p_value in (0.5, 1.0)  # (1 + 0 or 1) / (1 + 1)
    assert result.n == 12


@pytest.mark.parametrize("n_resamples", [2, 50])
def test_spearman_interval_is_the_bootstrap_percentiles(n_resamples):
    result = ps.spearman(X12, Y12, confidence=0.8, n_resamples=n_resamples, seed=7)
    picks = ps._bootstrap_picks(n_resamples, 12, 7)
    boot = np.array([stats.spearmanr(np.array(X12)[p], np.array(Y12)[p]).statistic
                     for p in picks])
    boot = boot[np.isfinite(boot)]
    rho = stats.spearmanr(X12, Y12).statistic
    if boot.size >= 2:
        low, high = np.quantile(boot, [0.1, 0.9])
        assert result.ci_low == pytest.approx(min(low, rho))
        assert result.ci_high == pytest.approx(max(high, rho))
    assert result.note == ("percentile bootstrap interval and permutation p-value "
                           f"({n_resamples:,} draws each, seed 7)")


def test_pearson_permutation_note_and_values():
    result = ps.pearson_permutation(X5, Y5, confidence=0.9, n_resamples=200, seed=3)
    ref = stats.pearsonr(X5, Y5)
    assert result.estimate == pytest.approx(ref.statistic)
    assert (result.ci_low, result.ci_high) == pytest.approx(
        tuple(ref.confidence_interval(0.9)))
    assert result.p_value == ps.permutation_p_value(X5, Y5, n_resamples=200, seed=3)
    assert result.note == "Fisher-z interval; permutation p-value (200 shuffles, seed 3)"


def test_row_correlations_match_numpy():
    a = np.array([[1.0, 2, 3, 4], [4, 1, 2, 2], [1, 1, 1, 1]])
    b = np.array([[2.0, 1, 4, 3], [10, 2, 3, 4], [1, 2, 3, 4]])  # rows with different means
    got = ps._row_correlations(ps._centred_rows(a), ps._centred_rows(b))
    for i in range(2):
        assert got[i] == pytest.approx(np.corrcoef(a[i], b[i])[0, 1])
    assert math.isnan(got[2])  # a constant row has no correlation


@pytest.mark.parametrize("values", [[3.0, 3.0, 3.0], [1.0], [2.0, 1.0, 2.0, 5.0, 1.0]])
def test_resampled_ranks_edges(values):
    picks = np.array([[0] * len(values), list(range(len(values)))[::-1]])
    expected = stats.rankdata(np.array(values)[picks], axis=1)
    np.testing.assert_allclose(ps.resampled_ranks(np.array(values), picks), expected)


X12 = [3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]
Y12 = [2.0, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 6]


def test_the_seed_reaches_every_resampling():
    # the same seed gives the same p-value; the spearman p-value is the rank permutation
    # test with the caller's seed (not the default); different seeds may differ
    for seed in (1, 2, 3):
        rank_p = ps.permutation_p_value(X12, Y12, rank=True, n_resamples=30, seed=seed)
        assert ps.spearman(X12, Y12, n_resamples=30, seed=seed).p_value == rank_p
    assert len({ps.permutation_p_value(X12, Y12, rank=True, n_resamples=30, seed=s)
                for s in (1, 2, 3)}) > 1
    assert len({ps.permutation_p_value(X12, Y12, n_resamples=30, seed=s)
                for s in (1, 2, 3)}) > 1
    result = ps.pearson_permutation(X12, Y12, n_resamples=30, seed=2)
    assert result.p_value == ps.permutation_p_value(X12, Y12, n_resamples=30, seed=2)
    assert result.n == 12


@pytest.mark.parametrize("call", [
    lambda x, y: ps.permutation_p_value(x, y, n_resamples=10),
    lambda x, y: ps.permutation_p_value(x, y, weights=[1, 2, 1, 1], n_resamples=10),
    lambda x, y: ps.spearman(x, y, n_resamples=10),
    lambda x, y: ps.weighted_pearson(x, y, [1, 2, 1, 1]),
    lambda x, y: ps.pearson(x, y),
])
def test_every_correlation_refuses_a_constant_column(call):
    with pytest.raises(NotEnoughData, match="^exposure has the same value in every province"):
        call([2, 2, 2, 2], [1, 3, 2, 4])
    with pytest.raises(NotEnoughData, match="^outcome has the same value in every province"):
        call([1, 3, 2, 4], [5, 5, 5, 5])


# six provinces where the outcome is an exact linear function of the exposure: the weighted
# correlation rounds to 1.0000000000000002; a correlation is never outside [-1, 1]
LINEAR_X = [-1.3943134012757294, -0.26870972148191147, 1.2007016228151786,
            0.3950023600398774, -0.7222511627848428, -0.521049962690871]
LINEAR_W = [1.0625941079245032, 0.7428989301487537, 0.46572997517193904, 0.7033379000969261,
            0.7703107250832294, 0.6819220590255246]


@pytest.mark.parametrize("sign", [1, -1])
def test_weighted_correlation_of_a_line_is_exactly_one(sign):
    y = [sign * (0.23660876901662806 * v + 0.5) for v in LINEAR_X]
    result = ps.weighted_pearson(LINEAR_X, y, LINEAR_W)
    assert result.estimate == sign * 1.0  # the definition: |r| <= 1 (Cauchy-Schwarz)
    assert (result.ci_low, result.ci_high, result.p_value) == (sign * 1.0, sign * 1.0, 0.0)


def test_weighted_pearson_uses_the_requested_confidence():
    result = ps.weighted_pearson(X12, Y12, list(range(1, 13)), confidence=0.8)
    ref = DescrStatsW(np.column_stack([X12, Y12]), weights=list(range(1, 13))).corrcoef[0, 1]
    n_eff = sum(range(1, 13)) ** 2 / sum(v * v for v in range(1, 13))
    z, half = math.atanh(ref), stats.norm.ppf(0.9) / math.sqrt(n_eff - 3)
    assert (result.ci_low, result.ci_high) == pytest.approx((math.tanh(z - half),
                                                             math.tanh(z + half)))


def test_kish_effective_n_of_large_integer_weights():
    # registered voters can be large integers; equal weights give n however large they are
    assert ps.kish_effective_n(np.array([4_000_000_000] * 3)) == pytest.approx(3.0)


def test_text_cells_are_read_as_numbers_or_dropped():
    result = ps.pearson(["1", "2", "n/a", 4, 3], [2, 1, 5, "6", 8.0])
    ref = stats.pearsonr([1, 2, 4, 3], [2, 1, 6, 8])
    assert (result.estimate, result.n) == (pytest.approx(ref.statistic), 4)
    assert ps.noken_flags(["91", "94"]).tolist() == [False, True]  # codes as text: 2024 units


def test_row_correlations_raise_no_warnings_for_a_constant_row():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = ps._row_correlations(ps._centred_rows(np.array([[1.0, 1, 1]])),
                                   ps._centred_rows(np.array([[1.0, 2, 3]])))
    assert math.isnan(got[0])


def test_a_resampled_correlation_within_rounding_of_the_observed_counts_as_a_tie():
    # the documented tolerance: |r*| >= |r| (1 - 1e-12) - 1e-12
    assert ps._permutation_p(0.5, np.array([0.5 - 1e-12])) == 1.0
    assert ps._permutation_p(0.5, np.array([0.5 - 1e-9])) == 0.5


@pytest.mark.parametrize("n_resamples", [200])
def test_spearman_upper_limit_is_the_upper_percentile(n_resamples):
    result = ps.spearman(X12, Y12, confidence=0.8, n_resamples=n_resamples, seed=5)
    picks = ps._bootstrap_picks(n_resamples, 12, 5)
    boot = np.array([stats.spearmanr(np.array(X12)[p], np.array(Y12)[p]).statistic
                     for p in picks])
    low, high = np.quantile(boot[np.isfinite(boot)], [0.1, 0.9])
    rho = stats.spearmanr(X12, Y12).statistic
    assert (result.ci_low, result.ci_high) == pytest.approx((min(low, rho), max(high, rho)))


def test_ols_change_messages_and_note():
    with pytest.raises(NotEnoughData, match=r"^one province alone determines the fit "
                       r"\(leverage 1\): the HC3 standard error is undefined$"):
        ps.ols_change([0, 0, 0, 0, 1], [1, 2, 3, 4, 5], [2, 2, 5, 3, 7])
    result = ps.ols_change([1, 2, 3, 4, 5], [3, 1, 4, 1, 5], [4, 3, 6, 2, 9])
    assert result.note == "OLS of the change on exposure + 2019 level; HC3 errors, t intervals"
