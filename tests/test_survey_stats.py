"""Survey methods checked against published numbers (cited per test) and properties."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.datasets import spector
from statsmodels.stats.power import NormalIndPower

from dashboard.analysis import survey_stats as ss
from dashboard.analysis.province_stats import NotEnoughData, kish_effective_n


def _answers(successes: int, n: int) -> list[int]:
    return [1] * successes + [0] * (n - successes)


@pytest.mark.parametrize(
    ("successes", "n", "expected"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion",
        # Stat. Med. 17:857-872, Table I, Wilson score method (method 3).
        (81, 263, (0.2553, 0.3662)),
        (15, 148, (0.0624, 0.1605)),
        (0, 20, (0.0, 0.1611)),
        (1, 29, (0.0061, 0.1718)),
    ],
)
def test_wilson_interval_newcombe_table(successes, n, expected):
    assert ss.wilson_interval(successes / n, n) == pytest.approx(expected, abs=6e-5)
    unweighted = ss.weighted_proportion(_answers(successes, n))
    assert (unweighted.ci_low, unweighted.ci_high) == pytest.approx(expected, abs=6e-5)
    assert unweighted.n == n and unweighted.n_eff == n


@pytest.mark.parametrize(
    ("a", "m", "b", "n", "expected"),
    [
        # Newcombe (1998), "Interval estimation for the difference between independent
        # proportions: comparison of eleven methods", Stat. Med. 17:873-890, Table II,
        # method 10 (hybrid score, from Wilson intervals).
        (56, 70, 48, 80, (0.0524, 0.3339)),
        (9, 10, 3, 10, (0.1705, 0.8090)),
        (6, 7, 2, 7, (0.0582, 0.8062)),
        (5, 56, 0, 29, (-0.0381, 0.1926)),
    ],
)
def test_newcombe_difference_interval(a, m, b, n, expected):
    first = ss.weighted_proportion(_answers(a, m))
    second = ss.weighted_proportion(_answers(b, n))
    d, low, high = ss.difference_of_proportions(first, second)
    assert d == pytest.approx(a / m - b / n)
    assert (low, high) == pytest.approx(expected, abs=6e-5)


def test_chi_square_agresti_party_identification():
    # Agresti, Categorical Data Analysis (2nd ed., 2002), section 3.2: party identification by
    # gender (Democrat, Independent, Republican): females 762 327 468, males 484 239 477;
    # Pearson X^2 = 30.1 with df = 2. Unweighted, Rao-Scott's design effects are all
    # n / (n - 1) (the with-replacement variance of survey software), so the corrected
    # statistic is X^2 (n - 1) / n.
    table = {("female", "dem"): 762, ("female", "ind"): 327, ("female", "rep"): 468,
             ("male", "dem"): 484, ("male", "ind"): 239, ("male", "rep"): 477}
    rows = [k for k, v in table.items() for _ in range(v)]
    result = ss.weighted_chi_square([r for r, _ in rows], [c for _, c in rows])
    n = len(rows)
    assert result.pearson == pytest.approx(30.07, abs=5e-3)
    assert result.design_effects == pytest.approx((n / (n - 1),) * 2, rel=1e-9)
    assert result.statistic == pytest.approx(result.pearson * (n - 1) / n, rel=1e-9)
    assert result.df == 2
    assert result.p_value < 1e-6


# The R survey package's own example (r-survey.r-forge.r-project.org/survey/example-chisq.html;
# the svychisq help page's example): apiclus1, a cluster sample of 15 of California's 757 school
# districts with every school in them, dclus1 <- svydesign(id = ~dnum, weights = ~pw,
# data = apiclus1, fpc = ~fpc), printed there as
#   svytable(~sch.wide + stype, dclus1): No 406.1640 101.5410 270.7760,
#                                        Yes 4467.8035 372.3170 575.3989 (E, H, M)
#   svychisq(~sch.wide + stype, dclus1):  F = 5.1934, ndf = 1.495, ddf = 20.925, p = 0.02175
#   svychisq(~sch.wide + stype, dclus1, statistic = "Chisq"):
#                                         X-squared = 11.9409, df = 2, p-value = 0.005553
# (X-squared is Pearson's statistic before the correction; the p-value is the corrected one;
# F = X2 / sum of the design effects, ndf = (sum)^2 / sum of squares, ddf = ndf x 14.)
# The data: schools per district (dnum) and cell (sch.wide, stype), counted from apiclus1 in
# data/api.rda of the survey package (CRAN mirror, version 4.5); every school weighs
# pw = 33.84699631 there and fpc = 757 districts.
APICLUS1 = {  # dnum: schools (No E, No H, No M, Yes E, Yes H, Yes M)
    61: (0, 0, 2, 10, 0, 1), 135: (3, 0, 0, 31, 0, 0), 178: (0, 0, 1, 2, 1, 0),
    197: (1, 0, 2, 9, 0, 1), 255: (1, 0, 0, 12, 0, 3), 406: (0, 0, 0, 2, 0, 0),
    413: (0, 0, 0, 1, 0, 0), 437: (0, 0, 0, 2, 1, 1), 448: (0, 0, 0, 9, 1, 2),
    510: (1, 1, 1, 15, 1, 2), 568: (1, 1, 0, 3, 3, 1), 637: (0, 0, 0, 8, 1, 2),
    716: (5, 0, 0, 25, 3, 4), 778: (0, 0, 1, 1, 0, 0), 815: (0, 1, 1, 2, 0, 0),
}
CELLS = [(wide, stype) for wide in ("No", "Yes") for stype in ("E", "H", "M")]


def _apiclus1() -> pd.DataFrame:
    rows = [(dnum, *cell) for dnum, counts in APICLUS1.items()
            for cell, count in zip(CELLS, counts, strict=True) for _ in range(count)]
    frame = pd.DataFrame(rows, columns=["dnum", "sch_wide", "stype"])
    return frame.assign(pw=33.84699631)


def test_rao_scott_reproduces_svychisq_on_apiclus1():
    data = _apiclus1()
    assert len(data) == 183
    weighted = data.groupby(["sch_wide", "stype"])["pw"].sum()
    assert weighted[("No", "E")] == pytest.approx(406.1640, abs=5e-5)
    assert weighted[("Yes", "M")] == pytest.approx(575.3989, abs=5e-5)
    result = ss.weighted_chi_square(data["sch_wide"], data["stype"], data["pw"],
                                    clusters=data["dnum"], population_clusters=757)
    assert result.pearson == pytest.approx(11.9409, abs=5e-5)
    assert result.df == 2
    assert result.p_value == pytest.approx(0.005553, abs=5e-7)
    deffs = np.array(result.design_effects)
    assert result.pearson / deffs.sum() == pytest.approx(5.1934, abs=5e-5)  # R's F
    assert deffs.sum() ** 2 / (deffs ** 2).sum() == pytest.approx(1.495, abs=5e-4)  # ndf
    assert 14 * deffs.sum() ** 2 / (deffs ** 2).sum() == pytest.approx(20.925, abs=5e-4)
    assert result.statistic == pytest.approx(result.pearson / deffs.mean())
    # rows and columns swapped: the same test
    swapped = ss.weighted_chi_square(data["stype"], data["sch_wide"], data["pw"],
                                     clusters=data["dnum"], population_clusters=757)
    assert swapped.p_value == pytest.approx(result.p_value, rel=1e-9)


def test_copies_of_a_respondent_in_its_own_cluster_add_no_information():
    # k copies of every respondent inside one cluster each: the shares and the cluster totals
    # are unchanged, so the design effects grow k-fold with X2 and the test stays the same
    # (Kish's n_eff, blind to clusters, would have multiplied X2 by k)
    rng = np.random.default_rng(7)
    group = rng.integers(0, 2, 300)
    answer = (rng.random(300) < 0.35 + 0.1 * group).astype(int)
    weights = rng.uniform(0.3, 3.0, 300)
    once = ss.weighted_chi_square(group, answer, weights)
    copies = 4
    copied = ss.weighted_chi_square(np.repeat(group, copies), np.repeat(answer, copies),
                                    np.repeat(weights, copies),
                                    clusters=np.repeat(np.arange(300), copies))
    assert copied.pearson == pytest.approx(copies * once.pearson, rel=1e-9)
    assert copied.statistic == pytest.approx(once.statistic, rel=1e-9)
    assert copied.p_value == pytest.approx(once.p_value, rel=1e-9)


@pytest.mark.parametrize("scale", [0.01, 1.0, 250.0])
def test_chi_square_does_not_depend_on_the_scale_of_the_weights(scale):
    rng = np.random.default_rng(1)
    group = rng.integers(0, 2, 400)
    answer = (rng.random(400) < 0.4 + 0.1 * group).astype(int)
    weights = rng.uniform(0.2, 3, 400)
    base = ss.weighted_chi_square(group, answer, weights)
    scaled = ss.weighted_chi_square(group, answer, weights * scale)
    assert scaled.statistic == pytest.approx(base.statistic, rel=1e-9)
    # no clusters: each respondent is its own sampling unit
    units = ss.weighted_chi_square(group, answer, weights, clusters=np.arange(400))
    assert units.statistic == pytest.approx(base.statistic, rel=1e-12)


def test_informative_weights_move_rao_scott_away_from_kish():
    # weights that follow the answer: Kish's n_eff sees only their spread, Rao-Scott sees how
    # they load on the cells, and the two corrections differ
    rng = np.random.default_rng(11)
    group = rng.integers(0, 2, 2000)
    answer = (rng.random(2000) < 0.3 + 0.08 * group).astype(int)
    weights = np.where(answer == 1, rng.uniform(2, 6, 2000), rng.uniform(0.5, 1.5, 2000))
    result = ss.weighted_chi_square(group, answer, weights)
    kish = _pearson_chi2_on_table(group, answer, weights, total=kish_effective_n(weights))
    assert result.statistic != pytest.approx(kish, rel=0.05)
    assert result.note().startswith("first-order Rao-Scott")


def _pearson_chi2_on_table(group, answer, weights, total):
    table = pd.crosstab(group, answer, values=weights, aggfunc="sum").to_numpy()
    table = table * total / table.sum()
    expected = np.outer(table.sum(1), table.sum(0)) / table.sum()
    return ((table - expected) ** 2 / expected).sum()


def test_chi_square_needs_two_groups_and_two_answers():
    with pytest.raises(NotEnoughData):
        ss.weighted_chi_square([1, 1, 1], [0, 1, 0])
    with pytest.raises(NotEnoughData):  # one cluster: no variance between sampling units
        ss.weighted_chi_square([1, 0, 1, 0], [0, 1, 1, 0], clusters=["a"] * 4)


# Spector & Mazzeo (1980) data as shipped with statsmodels; logit estimates published in
# Greene, Econometric Analysis (5th ed.), Table 21.1: constant -13.021, GPA 2.826,
# TUCE 0.095, PSI 2.379.
GREENE_LOGIT = {"const": -13.021, "GPA": 2.826, "TUCE": 0.095, "PSI": 2.379}


def _spector():
    data = spector.load_pandas().data
    return data["GRADE"].to_numpy(), sm.add_constant(data[["GPA", "TUCE", "PSI"]])


def test_logit_matches_greene_spector():
    y, exog = _spector()
    fit = ss.fit_weighted_logit(y, exog)
    for name, value in GREENE_LOGIT.items():
        assert fit.params[name] == pytest.approx(value, abs=5e-4)


def _separated_design():
    """A survey-like design with controls, unequal weights and a dummy whose group all
    answered yes (quasi-separation, as an age band of the sample survey does)."""
    frame = _saturated_frame(seed=8, n=900)
    frame.loc[frame.area == "c", "y"] = 1.0
    frame.index = frame.index * 2 + 1000  # as after dropping unanswered rows: not 0..n-1
    return frame.y.to_numpy(), ss._design_matrix(frame, "x", ["area"]), frame.weight.to_numpy()


def _weighted_spector():
    y, exog = _spector()
    return y, exog, np.random.default_rng(2).uniform(0.5, 3.0, len(y))


# the reference: statsmodels' own GLM (IRLS, its default solver), which fit_weighted_logit
# replaced for speed; the estimating equations and sandwich are the same, so the results agree
# to the convergence tolerance (1e-8 on the deviance)
@pytest.mark.parametrize(("data", "rtol"), [
    (lambda: (*_spector(), None), 1e-6),
    (_weighted_spector, 1e-6),
    (_separated_design, 1e-5),
])
def test_weighted_logit_equals_statsmodels_glm(data, rtol):
    y, exog, weights = data()
    w = np.ones(len(y)) if weights is None else weights / weights.mean()
    reference = sm.GLM(y, exog, family=sm.families.Binomial(), var_weights=w).fit(
        cov_type="HC0")
    fit = ss.fit_weighted_logit(y, exog, weights)
    exposure = exog.columns[1:] if "x" not in exog.columns else ["x"]
    # named as statsmodels names them (weighted_logistic reads them by name)
    pd.testing.assert_series_equal(fit.params[exposure], reference.params[exposure], rtol=rtol)
    pd.testing.assert_series_equal(fit.bse[exposure], reference.bse[exposure], rtol=rtol)
    pd.testing.assert_series_equal(fit.pvalues[exposure], reference.pvalues[exposure],
                                   rtol=1e-4)
    pd.testing.assert_frame_equal(fit.cov_params().loc[exposure, exposure],
                                  reference.cov_params().loc[exposure, exposure], rtol=rtol)
    pd.testing.assert_series_equal(fit.fittedvalues, reference.fittedvalues, atol=1e-6,
                                   check_names=False)
    assert 1 < fit.iterations < ss.LOGIT_MAX_ITERATIONS


@pytest.mark.parametrize("cap", [1, 2, 3])
def test_the_iteration_cap_stops_after_that_many_newton_steps(monkeypatch, cap):
    """Newton-Raphson from zero, written out: mu = expit(X b), b += (X'WX)^-1 X'W(y - mu)."""
    y, exog, weights = _weighted_spector()
    x, w = exog.to_numpy(), weights / weights.mean()
    beta = np.zeros(x.shape[1])
    for _ in range(cap):
        mu = 1 / (1 + np.exp(-x @ beta))
        beta = beta + np.linalg.solve((x * (w * mu * (1 - mu))[:, None]).T @ x,
                                      x.T @ (w * (y - mu)))
    monkeypatch.setattr(ss, "LOGIT_MAX_ITERATIONS", cap)
    fit = ss.fit_weighted_logit(y, exog, weights)
    assert fit.iterations == cap
    np.testing.assert_allclose(fit.params.to_numpy(), beta, rtol=1e-9)


@pytest.mark.parametrize("scale", [1.0, 1000.0, 1e-3])
def test_the_fit_stops_when_the_deviance_changes_by_at_most_the_tolerance(scale):
    """The stopping rule written out: Newton steps until the weighted deviance (weights scaled
    to mean 1, as statsmodels' var_weights) changes by at most LOGIT_TOLERANCE; survey weights
    of a thousand people each stop where weights of one do."""
    y, exog, weights = _weighted_spector()
    x, w = exog.to_numpy(), weights / weights.mean()
    beta, previous, expected = np.zeros(x.shape[1]), math.inf, None
    for iteration in range(1, 50):
        mu = 1 / (1 + np.exp(-x @ beta))
        beta = beta + np.linalg.solve((x * (w * mu * (1 - mu))[:, None]).T @ x,
                                      x.T @ (w * (y - mu)))
        mu = 1 / (1 + np.exp(-x @ beta))
        deviance = -2 * np.sum(w * (y * np.log(mu) + (1 - y) * np.log(1 - mu)))
        if abs(deviance - previous) <= ss.LOGIT_TOLERANCE:
            expected = iteration
            break
        previous = deviance
    fit = ss.fit_weighted_logit(y, exog, weights * scale)
    assert fit.iterations == expected
    np.testing.assert_allclose(fit.params.to_numpy(), beta, rtol=1e-9)


def test_weighted_logit_sandwich_matches_numpy_formula():
    y, exog = _spector()
    weights = np.random.default_rng(2).uniform(0.5, 3.0, len(y))
    fit = ss.fit_weighted_logit(y, exog, weights)
    x, mu = exog.to_numpy(), fit.fittedvalues.to_numpy()
    w = weights / weights.mean()
    # the weighted score equations hold at the estimate
    np.testing.assert_allclose(x.T @ (w * (y - mu)), 0, atol=1e-8)
    bread = np.linalg.inv((x * (w * mu * (1 - mu))[:, None]).T @ x)
    score = x * (w * (y - mu))[:, None]
    cov = bread @ (score.T @ score) @ bread
    np.testing.assert_allclose(fit.bse, np.sqrt(np.diag(cov)), rtol=1e-6)


def test_integer_weights_give_the_coefficients_of_duplicated_rows():
    y, exog = _spector()
    counts = np.random.default_rng(3).integers(1, 4, len(y))
    weighted = ss.fit_weighted_logit(y, exog, counts.astype(float))
    duplicated = ss.fit_weighted_logit(np.repeat(y, counts), exog.loc[exog.index.repeat(counts)])
    np.testing.assert_allclose(weighted.params, duplicated.params, rtol=1e-7)


def _saturated_frame(seed: int = 4, n: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    exposed = rng.integers(0, 2, n)
    return pd.DataFrame({
        "y": (rng.random(n) < 0.6 + 0.15 * exposed).astype(float),
        "x": exposed.astype(float),
        "area": rng.choice(["a", "b", "c"], n),
        "weight": rng.uniform(0.3, 3.0, n),
    })


def _exposure_separated(frame: pd.DataFrame) -> pd.DataFrame:
    """Every exposed respondent answered yes: the exposure's odds ratio has no finite estimate
    (its coefficient grows without end), while the unexposed still answer both ways."""
    return frame.assign(y=np.where(frame.x == 1, 1.0, frame.y))


# separated fits meet 0 x log 0 and variances a rounding error below 0: handled, not warned
@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("controls", [(), ("area",)])
def test_an_exposure_whose_answers_are_separated_has_no_logit_estimate(controls):
    frame = _exposure_separated(_saturated_frame(seed=9))
    with pytest.raises(NotEnoughData, match="no finite estimate"):
        ss.weighted_logistic(frame, "y", "x", controls=controls)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_a_control_whose_answers_are_separated_leaves_the_exposure_estimated():
    frame = _saturated_frame(seed=9)
    frame.loc[frame.area == "c", "y"] = 1.0  # one control group answered yes throughout
    result = ss.weighted_logistic(frame, "y", "x", controls=("area",))
    assert math.isfinite(result.odds_ratio.ci_high) and 0 < result.odds_ratio.estimate


@pytest.mark.parametrize(("x", "expected"), [
    (0.0, 1.0), (1.0, math.e), (-800.0, 0.0), (708.0, math.exp(708.0)), (709.0, math.inf),
    (1e6, math.inf),
    (math.nan, math.nan),  # was +inf: an interval (inf, inf) around an odds ratio of 0.91
])
def test_exp_of_an_interval_end_beyond_the_float_range_is_infinite(x, expected):
    assert ss._exp(x) == expected or math.isnan(ss._exp(x)) and math.isnan(expected)


# --- separation hidden by the controls (attack findings 03 and 04): two non-recipients who
# both voted, in age bands where everyone voted. The exposure's last Newton step stayed near
# 1e-6, so the old check passed it, and the sandwich gave the exposure a variance of -712 (03,
# a zero-width marginal-effect interval and an odds-ratio interval of (inf, inf)) or an odds
# ratio's interval reaching 3.4e32 (04, which crashed the page's sentence). statsmodels 0.15.0
# GLM(y, X, Binomial(), var_weights=w).fit(cov_type="HC0") on the same designs "converges"
# with the exposure's coefficient -0.0930 (03) / -1.7506 (04) and standard error NaN, the
# intercept near +24 and age bands near -20 to -44: no finite estimate. By hand: every
# non-recipient answered yes, so along b = const - exposure (x'b = 1 for non-recipients, 0
# for recipients) the likelihood never decreases - quasi-complete separation (Albert &
# Anderson 1984) whatever the controls.

# each respondent: received_sms voted (1 = yes), age band, gender, urban/rural, weight
ATTACK_03 = """
    11 35-44 P r 0.55 | 10 55+ P r 1.46 | 11 17-24 P u 1.06 | 11 17-24 P u 2.07
    11 55+ L u 1.93 | 11 45-54 L u 0.75 | 11 25-34 L u 2.41 | 11 35-44 L r 2.23
    11 35-44 P u 1.54 | 11 55+ L r 1.36 | 11 17-24 L u 1.15 | 11 25-34 P r 1.83
    11 17-24 P u 2.22 | 11 45-54 P r 0.69 | 11 55+ L u 1.93 | 11 35-44 L r 1.93
    11 45-54 L r 0.56 | 11 17-24 L u 2.01 | 11 35-44 L u 1.77 | 11 25-34 L u 0.59
    10 35-44 L r 0.97 | 10 45-54 P u 1.26 | 10 45-54 P u 2.09 | 11 17-24 P u 2.13
    11 17-24 L u 1.55 | 11 25-34 L r 1.55 | 11 55+ P u 1.27 | 11 17-24 L r 1.33
    10 45-54 P r 0.51 | 10 45-54 L u 2.27 | 11 17-24 L u 1.1 | 10 55+ P r 1.4
    11 45-54 P r 0.55 | 11 45-54 P u 1.09 | 11 35-44 L u 2.14 | 01 25-34 L u 1.6
    11 35-44 P r 0.95 | 11 25-34 L u 2.14 | 11 35-44 P u 2.03 | 11 17-24 L u 2.05
    11 25-34 P u 1.02 | 01 17-24 P u 2.39 | 11 55+ P u 1.91 | 11 17-24 L r 1.96
    11 25-34 L r 1.59 | 11 45-54 L r 1.02 | 11 55+ L r 1.67 | 11 35-44 P r 1.15
"""
ATTACK_04 = """
    11 35-44 L u 1.97 | 11 35-44 P r 1.14 | 11 25-34 P r 1.35 | 10 25-34 P u 0.79
    01 45-54 P r 0.95 | 10 45-54 L u 1.68 | 11 17-24 P r 1.77 | 11 45-54 P r 1.84
    11 55+ L u 1.17 | 11 35-44 L u 1.12 | 11 17-24 L u 1.04 | 11 25-34 L u 1.69
    11 45-54 L u 1.56 | 11 35-44 P u 2.44 | 11 35-44 L r 0.87 | 11 25-34 P r 2.0
    11 35-44 P u 2.33 | 11 45-54 P r 0.9 | 11 25-34 P r 1.87 | 01 35-44 P u 1.22
    11 35-44 L u 2.15 | 11 55+ L u 1.62 | 11 17-24 P r 2.45 | 11 25-34 P u 0.77
    11 55+ L u 0.89 | 11 55+ L u 0.71 | 11 45-54 L r 1.12 | 11 17-24 P u 1.02
"""


def _attack_frame(packed: str) -> pd.DataFrame:
    rows = [part.split() for line in packed.strip().splitlines() for part in line.split("|")]
    return pd.DataFrame({
        "x": [float(r[0][0]) for r in rows], "y": [float(r[0][1]) for r in rows],
        "age": [r[1] for r in rows], "gender": [r[2] for r in rows],
        "area": [r[3] for r in rows], "weight": [float(r[4]) for r in rows]})


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize(("packed", "n", "non_recipients"), [
    pytest.param(ATTACK_03, 48, 2, id="03: variance -712, zero-width interval"),
    pytest.param(ATTACK_04, 28, 2, id="04: odds-ratio interval to 3.4e32"),
])
def test_separation_absorbed_by_the_controls_is_refused(packed, n, non_recipients):
    frame = _attack_frame(packed)
    unexposed = frame[frame.x == 0]
    assert (len(frame), len(unexposed), unexposed.y.min()) == (n, non_recipients, 1.0)
    with pytest.raises(NotEnoughData, match="no finite estimate"):
        ss.weighted_logistic(frame, "y", "x", ("age", "gender", "area"))


@pytest.mark.parametrize("variance", [
    -712.2,  # the exposure's sandwich variance in finding 03 (fit_weighted_logit, this CPU)
    0.0, math.nan, math.inf,
])
def test_a_fit_without_a_positive_exposure_variance_is_refused(monkeypatch, variance):
    """Belt and braces behind the separation check: a sandwich that gives the exposure no
    positive finite variance refuses the fit (-712 became a zero-width marginal-effect
    interval and an odds-ratio interval of (inf, inf))."""
    fit_cells = ss._fit_cells

    def broken(x, sums):
        beta, cov, mu, iterations, step = fit_cells(x, sums)
        cov = cov.copy()
        cov[1, 1] = variance  # the exposure is the design's second column
        return beta, cov, mu, iterations, step

    frame = _saturated_frame(seed=9)
    assert math.isfinite(ss.weighted_logistic(frame, "y", "x", ("area",)).odds_ratio.ci_high)
    monkeypatch.setattr(ss, "_fit_cells", broken)
    with pytest.raises(NotEnoughData, match="no finite estimate"):
        ss.weighted_logistic(frame, "y", "x", ("area",))


# Cells (area, exposed, yes, no) and whether the exposure's coefficient is infinite, by hand:
# C = {b : x'b >= 0 on all-yes cells, <= 0 on all-no cells, = 0 on mixed cells}, b = (const,
# area dummies, x) with the most common area the reference; separated iff some b in C has
# b_x != 0. The statsmodels 0.15.0 GLM(HC0) coefficient of x on the same respondents (weights
# uniform(0.5, 2), seed 1) is quoted: about -21 where separated, 1 in size where not.
@pytest.mark.parametrize(("spec", "separated"), [
    # every cell mixed: C = {0} (statsmodels beta_x 1.0964, se 0.684)
    ([("a", 0, 5, 5), ("a", 1, 7, 3), ("b", 0, 4, 6), ("b", 1, 6, 4)], False),
    # the unexposed all yes: b = const - x (statsmodels beta_x -21.1)
    ([("a", 0, 3, 0), ("a", 1, 7, 3), ("b", 0, 2, 0), ("b", 1, 6, 4)], True),
    # the exposed all no: b = -x (statsmodels beta_x -22.4)
    ([("a", 0, 5, 5), ("a", 1, 0, 4), ("b", 0, 4, 6), ("b", 1, 0, 3)], True),
    # a control group all yes in both arms: b = area_c only, b_x = 0 (statsmodels beta_x
    # 1.0964 as without it, area_c 22.0)
    ([("a", 0, 5, 5), ("a", 1, 7, 3), ("b", 0, 4, 6), ("b", 1, 6, 4), ("c", 0, 3, 0),
      ("c", 1, 4, 0)], False),
    # neither arm nor area all alike, yet separated through the control: mixed cells give
    # const = 0 (b, 0) and area_a + x = 0 (a, 1); (a, 0) all yes: area_a >= 0; (b, 1) all no:
    # x <= 0; so b = area_a - x (statsmodels beta_x -22.4, se 15.1)
    ([("a", 0, 4, 0), ("a", 1, 5, 5), ("b", 0, 5, 5), ("b", 1, 0, 4)], True),
    # opposite answers within one area only (an interaction the model does not have): mixed
    # cells force const = x = 0, then area_a >= 0 and <= 0: C = {0} (statsmodels beta_x -1.10)
    ([("a", 0, 4, 0), ("a", 1, 0, 4), ("b", 0, 5, 5), ("b", 1, 6, 4)], False),
])
def test_the_exposure_is_separated_exactly_when_a_separating_direction_moves_it(spec,
                                                                                  separated):
    frame = pd.DataFrame([(area, float(x), float(answer)) for area, x, yes, no in spec
                          for answer in [1] * yes + [0] * no], columns=["area", "x", "y"])
    weights = np.random.default_rng(1).uniform(0.5, 2.0, len(frame))
    first, cell = ss._covariate_cells(frame, ["x", "area"])
    exog = ss._design_matrix(frame.iloc[first], "x", ["area"],
                             np.bincount(cell, minlength=len(first)))
    sums = ss._CellSums.of(frame.y.to_numpy(), weights, cell, len(first))
    assert ss._exposure_separated(exog.to_numpy(), sums, exog.columns.get_loc("x")) is separated


def test_logit_without_controls_reproduces_weighted_proportions():
    """With a binary exposure alone the model is saturated: the average marginal effect is the
    difference of weighted proportions and the odds ratio is their odds ratio."""
    frame = _saturated_frame()
    result = ss.weighted_logistic(frame, "y", "x", controls=())
    exposed, other = frame[frame.x == 1], frame[frame.x == 0]
    p1 = ss.weighted_proportion(exposed.y, exposed.weight).estimate
    p0 = ss.weighted_proportion(other.y, other.weight).estimate
    assert result.marginal_effect.estimate == pytest.approx(p1 - p0, abs=1e-9)
    assert result.odds_ratio.estimate == pytest.approx(p1 / (1 - p1) / (p0 / (1 - p0)),
                                                       rel=1e-7)


def test_marginal_effect_delta_method_matches_numerical_gradient():
    frame = _saturated_frame(seed=5)
    result = ss.weighted_logistic(frame, "y", "x", controls=("area",))
    exog = ss._design_matrix(frame, "x", ["area"])
    share = frame.weight.to_numpy() / frame.weight.sum()

    def ame(beta):
        x1, x0 = exog.assign(x=1.0).to_numpy(), exog.assign(x=0.0).to_numpy()
        return share @ (1 / (1 + np.exp(-x1 @ beta)) - 1 / (1 + np.exp(-x0 @ beta)))

    beta = result.params.to_numpy()
    step = 1e-6
    gradient = np.array([(ame(beta + step * e) - ame(beta - step * e)) / (2 * step)
                         for e in np.eye(beta.size)])
    se = math.sqrt(gradient @ result.cov.to_numpy() @ gradient)
    half = (result.marginal_effect.ci_high - result.marginal_effect.ci_low) / 2
    assert half == pytest.approx(1.959964 * se, rel=1e-5)
    assert result.marginal_effect.estimate == pytest.approx(ame(beta))


def test_single_level_controls_are_dropped():
    frame = _saturated_frame().assign(constant="same")
    with_constant = ss.weighted_logistic(frame, "y", "x", controls=("constant",))
    without = ss.weighted_logistic(frame, "y", "x", controls=())
    assert with_constant.odds_ratio.estimate == pytest.approx(without.odds_ratio.estimate)


@pytest.mark.parametrize(
    ("n_per_group", "h"),
    [
        # Cohen (1988), Statistical Power Analysis, Table 6.4.1 (a2 = .05, power .80):
        # n = 392 per group for h = .20, n = 63 for h = .50, n = 25 for h = .80.
        (392, 0.20),
        (63, 0.50),
        (25, 0.80),
    ],
)
def test_minimum_detectable_h_cohen_table(n_per_group, h):
    result = ss.minimum_detectable_difference(n_per_group, n_per_group, 0.5)
    assert result.cohens_h == pytest.approx(h, abs=0.01)
    # and statsmodels' normal power solver agrees
    solved = NormalIndPower().solve_power(nobs1=n_per_group, alpha=0.05, power=0.8, ratio=1)
    assert result.cohens_h == pytest.approx(solved, rel=1e-4)


def test_minimum_detectable_difference_in_proportions():
    # h = 0.2 around p = 0.5: p1 = sin^2(pi/4 + 0.1) = 0.5 + sin(0.2) / 2
    result = ss.minimum_detectable_difference(392.4, 392.4, 0.5)
    assert result.difference == pytest.approx(math.sin(result.cohens_h) / 2, rel=1e-9)


@pytest.mark.parametrize("baseline", [0.02, 0.5, 0.85, 0.99])
def test_minimum_detectable_difference_shrinks_with_sample_size(baseline):
    small = ss.minimum_detectable_difference(200, 100, baseline).difference
    large = ss.minimum_detectable_difference(2000, 1000, baseline).difference
    assert 0 < large < small


@pytest.mark.parametrize(
    ("weights", "expected"),
    [([1, 1, 1, 1], 4.0), ([2, 2, 2], 3.0), ([1, 1, 2, 2], 36 / 10), ([5, 0.0001], 1.00004)],
)
def test_kish_effective_n(weights, expected):
    assert kish_effective_n(np.asarray(weights, dtype=float)) == pytest.approx(expected,
                                                                               rel=1e-4)


@pytest.mark.parametrize("bad", [[1, 0, -1], [1, 1, 0]])
def test_weights_must_be_positive(bad):
    with pytest.raises(ValueError, match="positive"):
        ss.weighted_proportion([1, 0, 1], bad)


def test_proportion_ignores_missing_answers():
    result = ss.weighted_proportion([1, None, 0, float("nan"), 1], [1, 5, 1, 5, 2])
    assert result.estimate == pytest.approx(3 / 4)
    assert result.n == 3


# --- properties --------------------------------------------------------------------------

samples = st.integers(2, 60).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 1), min_size=n, max_size=n),
    st.lists(st.floats(0.05, 20), min_size=n, max_size=n)))


@given(samples)
def test_every_interval_contains_its_estimate(sample):
    answers, weights = sample
    result = ss.weighted_proportion(answers, weights)
    assert 0 <= result.ci_low <= result.estimate <= result.ci_high <= 1
    half = len(answers) // 2
    if 0 < half < len(answers):
        first = ss.weighted_proportion(answers[:half], weights[:half])
        second = ss.weighted_proportion(answers[half:], weights[half:])
        d, low, high = ss.difference_of_proportions(first, second)
        assert -1 <= low <= d <= high <= 1


@given(samples, st.floats(0.01, 1000))
def test_all_equal_weights_give_the_unweighted_answer(sample, weight):
    answers, _ = sample
    plain = ss.weighted_proportion(answers)
    weighted = ss.weighted_proportion(answers, [weight] * len(answers))
    assert weighted.estimate == pytest.approx(plain.estimate, abs=1e-12)
    assert (weighted.ci_low, weighted.ci_high) == pytest.approx((plain.ci_low, plain.ci_high))


@given(samples)
def test_integer_weights_give_the_estimate_of_duplicated_rows(sample):
    answers, weights = sample
    counts = [max(1, round(w)) for w in weights]
    duplicated = ss.weighted_proportion(np.repeat(answers, counts))
    assert ss.weighted_proportion(answers, counts).estimate == pytest.approx(
        duplicated.estimate, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.1, 10))
def test_logit_is_invariant_to_the_scale_of_the_weights(scale):
    frame = _saturated_frame(seed=6, n=200)
    base = ss.weighted_logistic(frame, "y", "x", controls=("area",))
    scaled = ss.weighted_logistic(frame.assign(weight=frame.weight * scale), "y", "x",
                                  controls=("area",))
    assert scaled.odds_ratio.estimate == pytest.approx(base.odds_ratio.estimate, rel=1e-7)
    assert scaled.odds_ratio.ci_low == pytest.approx(base.odds_ratio.ci_low, rel=1e-6)


# --- controls in any coding (issue 14, point 4) --------------------------------------------

def _two_vendor_frame(seed: int = 8, n: int = 800) -> pd.DataFrame:
    """One survey from two vendors: the first half codes gender L/P and age bands of its own,
    the second half female/male and the contract's bands. The true model has age, gender and
    the vendor (file) as controls."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n)
    age = rng.choice(["young", "middle", "old"], n)
    male = rng.random(n) < 0.5
    first = np.arange(n) < n // 2
    logit = -0.2 + 0.6 * x + 0.5 * (age == "old") - 0.3 * male + 0.4 * first
    return pd.DataFrame({
        "y": (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float),
        "x": x.astype(float),
        "weight": rng.uniform(0.4, 2.5, n),
        "age": age, "male": male.astype(int), "first": first.astype(int),
        "male_first": (male & first).astype(int),
        "age_first": np.where(first, np.char.add("A:", age), age),
        # as the two vendors wrote them
        "age_as_written": np.where(first, pd.Series(age).map(
            {"young": "<25", "middle": "25-44", "old": "45+"}), pd.Series(age).map(
            {"young": "17-24", "middle": "25-44 ", "old": "55+"})),
        "gender_as_written": np.where(first, np.where(male, "L", "P"),
                                      np.where(male, "male", "female")),
    })


def _same_fit(left: ss.LogitResult, right: ss.LogitResult) -> None:
    for a, b in ((left.odds_ratio, right.odds_ratio),
                 (left.marginal_effect, right.marginal_effect)):
        assert (a.estimate, a.ci_low, a.ci_high, a.p_value, a.n) == pytest.approx(
            (b.estimate, b.ci_low, b.ci_high, b.p_value, b.n), rel=1e-7)


def _relabelled(frame: pd.DataFrame) -> pd.DataFrame:
    labels = {"young": "1", "middle": "  2 ", "old": "Usia >= 55 (tahun)"}
    return frame.assign(age=frame["age"].map(labels))


CONTROL_CASES = [
    # (case, frame and controls as given, frame and controls of the same model)
    ("two vendors code the same people differently (dependent dummies)",
     lambda f: (f, ("age_as_written", "gender_as_written")),
     lambda f: (f, ("age_first", "male", "male_first"))),
    ("a control nobody answered is left out",
     lambda f: (f.assign(urban=pd.NA), ("age", "urban")),
     lambda f: (f, ("age",))),
    ("a control with one level is left out",
     lambda f: (f.assign(urban="kota"), ("urban", "age")),
     lambda f: (f, ("age",))),
    ("a control with one level among those who answered it: nobody is left out for it",
     lambda f: (f.assign(urban=np.where(f["age"] == "old", "kota", None)), ("age", "urban")),
     lambda f: (f, ("age",))),
    ("labels of any kind: digits, spaces, symbols",
     lambda f: (_relabelled(f), ("age", "male")),
     lambda f: (f, ("age", "male"))),
    ("all weights equal: the unweighted fit",
     lambda f: (f.assign(weight=2.5), ("age",)),
     lambda f: (f.assign(weight=1.0), ("age",))),
]


@pytest.mark.parametrize(("case", "given", "same_as"), CONTROL_CASES,
                         ids=[c[0] for c in CONTROL_CASES])
def test_controls_in_any_coding_give_the_fit_of_the_same_model(case, given, same_as):
    frame = _two_vendor_frame()
    data, controls = given(frame)
    reference, reference_controls = same_as(frame)
    _same_fit(ss.weighted_logistic(data, "y", "x", controls),
              ss.weighted_logistic(reference, "y", "x", reference_controls))


def test_equal_weights_give_the_statsmodels_unweighted_logit():
    frame = _two_vendor_frame().assign(weight=3.0)
    result = ss.weighted_logistic(frame, "y", "x", ("age",))
    exog = sm.add_constant(pd.get_dummies(frame[["x", "age"]], columns=["age"],
                                          drop_first=True, dtype=float))
    plain = sm.Logit(frame["y"], exog).fit(disp=0, cov_type="HC0")
    assert result.odds_ratio.estimate == pytest.approx(math.exp(plain.params["x"]), rel=1e-7)
    assert result.odds_ratio.ci_high == pytest.approx(
        math.exp(plain.params["x"] + 1.959964 * plain.bse["x"]), rel=1e-5)


def test_a_level_of_one_respondent_is_kept_and_absorbs_that_respondent():
    """A label only one respondent has is a level of its own: its dummy fits that respondent
    exactly, so the exposure's odds ratio is the one without them (and stays finite)."""
    frame = _two_vendor_frame()
    frame["operator"] = "telkomsel"
    frame.loc[frame.index[0], "operator"] = "Net1"  # one respondent
    result = ss.weighted_logistic(frame, "y", "x", ("age", "operator"))
    without = ss.weighted_logistic(frame.iloc[1:], "y", "x", ("age",))
    assert result.odds_ratio.estimate == pytest.approx(without.odds_ratio.estimate, rel=1e-4)
    assert all(math.isfinite(v) for v in (result.odds_ratio.ci_low, result.odds_ratio.ci_high,
                                          result.marginal_effect.ci_low))
    assert result.odds_ratio.n == len(frame)


@pytest.mark.parametrize(("case", "change"), [
    ("the controls determine the exposure", lambda f: f.assign(group=f["x"].astype(int))),
    ("everyone in one group", lambda f: f.assign(x=1.0)),
    ("one answer only", lambda f: f.assign(y=0.0)),
    ("nobody answered every control", lambda f: f.assign(
        group=np.where(f["x"] == 1, f["age"], None), other=np.where(f["x"] == 0, f["age"], None))),
])
def test_a_regression_that_cannot_be_estimated_says_so(case, change):
    frame = change(_two_vendor_frame())
    controls = [c for c in ("group", "other") if c in frame.columns] or ["age"]
    with pytest.raises(NotEnoughData):
        ss.weighted_logistic(frame, "y", "x", controls)


# --- covariate cells: weighted_logistic fits respondents with the same covariates as one cell;
# the reference is statsmodels' GLM on the respondents themselves (one row each)

def _cell_frames() -> list[tuple[str, pd.DataFrame, float]]:  # name, respondents, rtol
    saturated = _saturated_frame(seed=11, n=700)  # 6 cells, mixed answers, unequal weights
    separated = _saturated_frame(seed=8, n=900)
    separated.loc[separated.area == "c", "y"] = 1.0  # cells where everyone answered yes
    equal = _saturated_frame(seed=5, n=300).assign(weight=1.0)
    two_controls = _saturated_frame(seed=6, n=800).assign(
        band=lambda f: np.random.default_rng(60).choice(["1", "2", "3", "4"], len(f)))
    return [("saturated", saturated, 1e-6), ("separated", separated, 1e-5),
            ("equal weights", equal, 1e-6), ("two controls", two_controls, 1e-6)]


@pytest.mark.parametrize(("frame", "rtol"), [pytest.param(frame, rtol, id=name)
                                             for name, frame, rtol in _cell_frames()])
def test_weighted_logistic_on_cells_equals_statsmodels_on_respondents(frame, rtol):
    controls = [c for c in ("area", "band") if c in frame.columns]
    result = ss.weighted_logistic(frame, "y", "x", controls=controls)
    exog = ss._design_matrix(frame, "x", controls)  # one row per respondent
    w = frame.weight.to_numpy() / frame.weight.mean()
    reference = sm.GLM(frame.y.to_numpy(), exog, family=sm.families.Binomial(),
                       var_weights=w).fit(cov_type="HC0")
    assert result.odds_ratio.estimate == pytest.approx(math.exp(reference.params["x"]), rel=rtol)
    assert result.params["x"] == pytest.approx(reference.params["x"], rel=rtol)
    assert result.cov.loc["x", "x"] == pytest.approx(reference.cov_params().loc["x", "x"],
                                                     rel=rtol)
    assert result.odds_ratio.p_value == pytest.approx(reference.pvalues["x"], rel=1e-4)
    # the average marginal effect over respondents, from statsmodels' fit (delta method)
    beta, cov = reference.params.to_numpy(), reference.cov_params().to_numpy()
    x1, x0 = exog.assign(x=1.0).to_numpy(), exog.assign(x=0.0).to_numpy()
    mu1, mu0 = 1 / (1 + np.exp(-x1 @ beta)), 1 / (1 + np.exp(-x0 @ beta))
    share = w / w.sum()
    gradient = (share * mu1 * (1 - mu1)) @ x1 - (share * mu0 * (1 - mu0)) @ x0
    assert result.marginal_effect.estimate == pytest.approx(share @ (mu1 - mu0), rel=rtol)
    assert result.marginal_effect.ci_high - result.marginal_effect.estimate == pytest.approx(
        1.959963984540054 * math.sqrt(gradient @ cov @ gradient), rel=rtol)
    assert result.odds_ratio.n == result.marginal_effect.n == len(frame)


@pytest.mark.parametrize(("columns", "partition"), [
    ({"a": ["p", "p", "q"]}, [[0, 1], [2]]),
    ({"a": ["p", "p", "p", "p"]}, [[0, 1, 2, 3]]),  # all equal: one cell
    ({"a": ["p", "q", "r"]}, [[0], [1], [2]]),  # all distinct: a cell each
    ({"a": ["p"]}, [[0]]),
    ({"x": [1.0, 1.0, 0.0, 0.0, 1.0], "g": ["p", "q", "p", "p", "p"]}, [[0, 4], [1], [2, 3]]),
    # the same codes in another column's order: (p, 1) and (1, p) are not one cell
    ({"x": ["1", "p", "p"], "g": ["p", "1", "p"]}, [[0], [1], [2]]),
])
def test_covariate_cells_group_respondents_with_the_same_values(columns, partition):
    first, cell = ss._covariate_cells(pd.DataFrame(columns), list(columns))
    groups = sorted(sorted(np.flatnonzero(cell == c).tolist()) for c in range(len(first)))
    assert groups == partition
    assert all(cell[f] == c for c, f in enumerate(first))  # each cell's first respondent


def test_covariate_cells_of_many_levels_do_not_overflow():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({c: rng.integers(0, 100_000, 5000) for c in "abcd"})
    first, cell = ss._covariate_cells(frame, list("abcd"))
    assert len(first) == len(frame.drop_duplicates())
    assert (frame.iloc[first].iloc[cell].to_numpy() == frame.to_numpy()).all()


def test_design_on_cells_keeps_the_reference_of_respondents():
    # "b" is the most common level among respondents (3) but not among cells (1 of 4):
    # counted per cell, "a" would become the reference and the dummies would change
    frame = pd.DataFrame({"x": [0.0, 1.0, 1.0, 1.0, 0.0, 1.0],
                          "area": ["a", "a", "b", "b", "c", "b"]})
    first, cell = ss._covariate_cells(frame, ["x", "area"])
    on_cells = ss._design_matrix(frame.iloc[first], "x", ["area"],
                                 np.bincount(cell, minlength=len(first)))
    assert list(on_cells.columns) == list(ss._design_matrix(frame, "x", ["area"]).columns) == [
        "const", "x", "area_a", "area_c"]
