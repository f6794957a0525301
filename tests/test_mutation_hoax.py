"""Edge cases of the hoax statistics that the mutation run showed untested (docs/MUTATION.md):
series too short or all tied for Mann-Kendall and Sen's slope, order statistics at the ends,
rate ratios with no events, all events in one period or zero exposure, and the E-test's
degenerate nulls. The references are scipy and statsmodels, or a brute-force re-computation
of the textbook definition written here, never our own output."""

from __future__ import annotations

import math
import warnings
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from dashboard.analysis.hoax import (
    TEST_COLUMNS,
    TrendResult,
    _answers,
    _day,
    _format_p,
    _order_statistic,
    _rate_row,
    _ratio_interval,
    _signed,
    _trend_row,
    describe_trend,
    hoax_tests,
    mann_kendall,
    moving_average,
    poisson_e_test,
    poisson_rate_ratio,
    sens_slope,
    survey_hoax_comparison,
    takedown_summary,
    trend_test,
    wave_rate_ratios,
    weekly_counts,
)
from tests.test_mutation_survey_stats import _rao_scott_2x2


def _numeric(values):
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if not math.isnan(f):
            out.append(f)
    return out


def _mk_reference(values):
    """Mann-Kendall by the definition (Gilbert 1987, 16.4): S by a double loop, var(S) with
    the ties correction, the continuity-corrected Z, two-sided normal p, tau-a."""
    x = _numeric(values)
    n = len(x)
    s = sum((b > a) - (b < a) for a, b in combinations(x, 2))
    ties = [x.count(v) for v in set(x)]
    var_s = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    return n, s, var_s


MK_CASES = [
    [1, 2],  # n = 2: var(S) = 1, Z = 0
    [2, 1],
    [5, 5, 6],
    [1, 1, 2, 2],
    [3, 1, 2],
    [0, -1, -2, -3, -4],
    [1, "x", 4, None, 2, 8],  # non-numeric and missing cells dropped
    [2.5, 2.5, 2.5, 1.0, 7.0, 7.0, 3.0, 3.0, 3.0, 3.0, 9.0],
    list(range(12, 0, -1)),
]


@pytest.mark.parametrize("values", MK_CASES)
def test_mann_kendall_matches_the_definition(values):
    n, s, var_s = _mk_reference(values)
    result = mann_kendall(values)
    assert (result.n, result.s) == (n, s)
    assert result.var_s == pytest.approx(var_s)
    z = (s - np.sign(s)) / math.sqrt(var_s)
    assert result.z == pytest.approx(z, abs=1e-12)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), abs=1e-12)
    assert result.tau == pytest.approx(s / (n * (n - 1) / 2))
    x = _numeric(values)
    if len(set(x)) == len(x):  # no ties: tau-a equals scipy's tau-b against time
        assert result.tau == pytest.approx(stats.kendalltau(range(n), x).statistic)


@pytest.mark.parametrize("values", [[], [5], [np.nan, 3], ["x", 2.0], [None], [np.nan, np.nan]])
def test_mann_kendall_fewer_than_two_values(values):
    result = mann_kendall(values)
    assert result.n == len(_numeric(values))
    assert (result.s, result.var_s) == (0, 0.0)
    assert math.isnan(result.z) and math.isnan(result.p_value) and math.isnan(result.tau)
    # scipy agrees there is nothing to say: kendalltau of fewer than two points is NaN
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert math.isnan(stats.kendalltau(range(result.n), _numeric(values)).statistic)


@pytest.mark.parametrize("values", [[3, 3], [3, 3, 3, 3], [0.0] * 7, [2, np.nan, 2, "x", 2]])
def test_mann_kendall_all_tied(values):
    n, s, var_s = _mk_reference(values)
    assert (s, var_s) == (0, 0)  # the definition: no pair differs, no variance
    result = mann_kendall(values)
    assert (result.n, result.s, result.var_s) == (n, 0, 0.0)
    # no evidence of a trend: Z = 0, p = 1, tau = 0 (scipy's kendalltau is undefined here)
    assert (result.z, result.p_value, result.tau) == (0.0, 1.0, 0.0)
    assert isinstance(result.var_s, float)


def _sen_reference(values, times, conf):
    """Sen's slope and Gilbert's (1987, eq. 16.7-16.8) interval by the definition."""
    pts = [(float(t), float(x)) for x, t in zip(values, times, strict=True)
           if _numeric([x]) and _numeric([t])]
    slopes = sorted((xb - xa) / (tb - ta) for (ta, xa), (tb, xb) in combinations(pts, 2)
                    if tb != ta)
    nprime = len(slopes)
    _, _, var_s = _mk_reference([x for _, x in pts])
    c = stats.norm.ppf(0.5 + conf / 2) * math.sqrt(var_s)

    def order(rank):
        if rank < 1 or rank > nprime:
            return math.nan
        return float(np.interp(rank, np.arange(1, nprime + 1), slopes))

    return nprime, order((nprime - c) / 2), order((nprime + c) / 2 + 1)


SEN_CASES = [
    ([1, 3, 2, 5, 4, 6, 9, 7, 10, 12, 11, 14], None, 0.95),
    ([1, 3, 2, 5, 4, 6, 9, 7, 10, 12, 11, 14], None, 0.5),
    ([5, 5, 5, 5, 5, 5, 5, 5, 5, 5], None, 0.8),  # all tied: slope 0
    ([4, 1, np.nan, 3, 8, 2, 9, 0, "x", 7, 5], None, 0.9),
    ([0, 4, 9, 1, 2, 6, 7, 3], [0, 2, 3, 3, 5, 8, 9, 9], 0.6),  # repeated times skipped
    ([10, 8, 9, 5, 6, 1, 2, 0, -3, -1], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.95),
]


@pytest.mark.parametrize(("values", "times", "conf"), SEN_CASES)
def test_sens_slope_matches_scipy_and_the_definition(values, times, conf):
    result = sens_slope(values, times, conf=conf)
    t = list(range(len(values))) if times is None else times
    keep = [i for i in range(len(values)) if _numeric([values[i]])]
    theirs = stats.theilslopes([float(values[i]) for i in keep], [float(t[i]) for i in keep],
                               method="joint")
    assert result.slope == pytest.approx(theirs.slope)
    assert result.intercept == pytest.approx(theirs.intercept)
    nprime, low, high = _sen_reference(values, t, conf)
    assert result.n_pairs == nprime
    for ours, ref in ((result.ci_low, low), (result.ci_high, high)):
        assert (math.isnan(ours) and math.isnan(ref)) or ours == pytest.approx(ref)


@pytest.mark.parametrize(("values", "times"), [
    ([], None), ([4], None), ([np.nan, 2], None), ([1, 2, 3], [5, 5, 5]),  # no distinct times
    ([1, None, 3], [0, 1, None]), (["a", "b"], None),
])
def test_sens_slope_without_pairs(values, times):
    result = sens_slope(values, times)
    assert result.n_pairs == 0
    assert all(math.isnan(v) for v in (result.slope, result.ci_low, result.ci_high,
                                        result.intercept))


def test_sens_slope_two_points_and_length_mismatch():
    result = sens_slope([1, 4], [0, 3])
    assert (result.slope, result.intercept, result.n_pairs) == (
        stats.theilslopes([1, 4], [0, 3], method="joint").slope,
        pytest.approx(stats.theilslopes([1, 4], [0, 3], method="joint").intercept), 1)
    with pytest.raises(ValueError, match="^values and times must have the same length$"):
        sens_slope([1, 2, 3], [0, 1])


@pytest.mark.parametrize("rank", [1, 1.5, 2, 2.25, 3.999, 4, 0.999, 4.001, 0, -1, 5])
def test_order_statistic_interpolates_like_numpy(rank):
    values = np.array([-1.0, 0.5, 2.0, 3.0])
    expected = (np.interp(rank, [1, 2, 3, 4], values) if 1 <= rank <= 4 else math.nan)
    got = _order_statistic(values, rank)
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)
    assert isinstance(got, float)


def _rate_reference(x1, t1, x0, t0, conf):
    """Clopper-Pearson limits for pi (statsmodels, method 'beta') mapped to the rate ratio,
    and the doubled smaller binomial tail from scipy's one-sided binomtest."""
    total = x1 + x0
    low, high = proportion_confint(x1, total, alpha=1 - conf, method="beta")
    scale = t0 / t1

    def to_ratio(pi):
        return math.inf if pi >= 1 else pi / (1 - pi) * scale

    pi0 = t1 / (t0 + t1)
    tails = [stats.binomtest(x1, total, pi0, alternative=a).pvalue for a in ("less", "greater")]
    return to_ratio(low), to_ratio(high), min(1.0, 2 * min(tails))


@pytest.mark.parametrize(("x1", "t1", "x0", "t0", "conf"), [
    (5, 7, 0, 7, 0.95),  # all events after: estimate and upper limit infinite
    (1, 2.0, 0, 3.0, 0.9),
    (0, 7, 6, 7, 0.95),  # all events before: estimate and lower limit 0
    (0, 1.5, 1, 4.0, 0.8),
    (3, 2.5, 7, 1.5, 0.95),
    (12, 14, 5, 7, 0.99),
    (1, 1, 1, 1, 0.95),
])
def test_rate_ratio_one_sided_counts(x1, t1, x0, t0, conf):
    result = poisson_rate_ratio(x1, t1, x0, t0, conf=conf)
    low, high, p = _rate_reference(x1, t1, x0, t0, conf)
    assert result.ci_low == pytest.approx(low, rel=1e-9)
    assert result.ci_high == pytest.approx(high, rel=1e-9)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    expected = math.inf if x0 == 0 else (x1 / t1) / (x0 / t0)
    assert result.estimate == pytest.approx(expected)
    assert (result.count_after, result.exposure_after, result.count_before,
            result.exposure_before) == (x1, t1, x0, t0)
    assert result.p_value_etest == pytest.approx(
        float(stats.poisson_means_test(x1, t1, x0, t0).pvalue), rel=1e-6, abs=1e-12)


def test_rate_ratio_without_any_event():
    result = poisson_rate_ratio(0, 7, 0, 7)
    assert math.isnan(result.estimate)
    assert (result.ci_low, result.ci_high, result.p_value) == (0.0, math.inf, 1.0)
    # nothing happened: scipy's E-test cannot reject either
    assert result.p_value_etest == float(stats.poisson_means_test(0, 7, 0, 7).pvalue) == 1.0


@pytest.mark.parametrize(("x1", "t1", "x0", "t0"), [
    (1, 0, 1, 7), (1, 7, 1, 0), (1, -1, 1, 7), (1, 7, 1, -0.5), (-1, 7, 1, 7), (1, 7, -1, 7),
])
def test_rate_ratio_needs_positive_exposure_and_counts(x1, t1, x0, t0):
    with pytest.raises(ValueError, match="^counts must be >= 0 and exposures > 0$"):
        poisson_rate_ratio(x1, t1, x0, t0)


@pytest.mark.parametrize(("k1", "n1", "k2", "n2", "diff", "alternative"), [
    (0, 7, 0, 7, 0.0, "two-sided"),  # no events: lambda2 = 0, the null cannot be rejected
    (0, 7, 0, 7, 0.0, "less"),
    (3, 5, 0, 5, 2.0, "greater"),  # lambda2 < 0 under the null
    (1, 5, 1, 5, 0.4, "two-sided"),  # lambda2 = 0 exactly
    (0, 3, 4, 3, 0.0, "less"),
    (0, 3, 4, 3, 0.0, "greater"),
    (6, 2, 0, 9, 0.0, "greater"),
    (6, 2, 0, 9, 0.0, "less"),
    (2, 1.0, 2, 1.0, 0.0, "two-sided"),  # observed T = 0: p = 1
])
def test_e_test_degenerate_and_one_sided(k1, n1, k2, n2, diff, alternative):
    ours = poisson_e_test(k1, n1, k2, n2, diff, alternative)
    theirs = stats.poisson_means_test(k1, n1, k2, n2, diff=diff, alternative=alternative)
    assert ours[0] == pytest.approx(float(theirs.statistic), abs=1e-12)
    assert ours[1] == pytest.approx(float(theirs.pvalue), rel=1e-7, abs=1e-12)


def test_e_test_rejects_an_unknown_alternative():
    with pytest.raises(ValueError, match="^alternative must be 'two-sided', 'less' or 'greater'$"):
        poisson_e_test(1, 1, 2, 1, alternative="two_sided")


@pytest.mark.parametrize(("values", "labels", "outcome", "conf"), [
    ([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], True, "issues", None),  # the defaults
    ([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], False, "issues", 0.5),
    ([0, 0, 0, 0], True, "content_items", 0.9),
    ([7], False, "content_items", None),
])
def test_trend_test_is_mann_kendall_and_sen_in_week_order(values, labels, outcome, conf):
    n = len(values)
    weekly = pd.DataFrame({
        "week_start": pd.date_range("2024-01-01", periods=n, freq="7D"),
        "issues": values, "content_items": [2 * v for v in values],
    })
    if labels:
        weekly["iso_week"] = [f"2024-W{i + 1:02d}" for i in range(n)]
    shuffled = weekly.iloc[::-1]  # trend_test sorts by week_start itself
    kwargs = {} if conf is None else {"conf": conf}
    result = (trend_test(shuffled, **kwargs) if outcome == "issues"
              else trend_test(shuffled, outcome, **kwargs))
    series = weekly[outcome].tolist()
    n_, s, var_s = _mk_reference(series)
    assert (result.outcome, result.n, result.s) == (outcome, n_, s)
    assert result.var_s == pytest.approx(var_s)
    _, low, high = _sen_reference(series, list(range(n)), 0.95 if conf is None else conf)
    if n >= 2:
        assert result.slope == pytest.approx(stats.theilslopes(series).slope)
        if var_s > 0:
            z = (s - np.sign(s)) / math.sqrt(var_s)
            assert (result.z, result.p_value) == pytest.approx((z, 2 * stats.norm.sf(abs(z))))
            assert result.tau == pytest.approx(s / (n * (n - 1) / 2))
        else:
            assert (result.z, result.p_value, result.tau) == (0.0, 1.0, 0.0)
    else:
        assert math.isnan(result.slope) and math.isnan(result.tau)
    for ours, ref in ((result.slope_ci_low, low), (result.slope_ci_high, high)):
        assert (math.isnan(ours) and math.isnan(ref)) or ours == pytest.approx(ref)
    first, last = (("2024-W01", f"2024-W{n:02d}") if labels else ("", ""))
    assert (result.first_week, result.last_week) == (first, last)


def test_rate_ratio_without_any_event_keeps_its_inputs():
    result = poisson_rate_ratio(0, 3.5, 0, 7)
    assert (result.count_after, result.exposure_after, result.count_before,
            result.exposure_before) == (0, 3.5, 0, 7.0)


def test_sens_slope_non_numeric_times_are_dropped():
    result = sens_slope([1, 5, 2, 8], ["0", "x", 2, 3])
    theirs = stats.theilslopes([1, 2, 8], [0, 2, 3], method="joint")
    assert (result.slope, result.n_pairs) == (pytest.approx(theirs.slope), 3)
    assert result.intercept == pytest.approx(theirs.intercept)


@pytest.mark.parametrize(("k1", "k2"), [(0, 3), (4, 0), (2, 2)])
def test_e_test_raises_no_floating_point_warnings(k1, k2):
    # the (0, 0) outcome in the sum is 0/0 and must stay silent (no RuntimeWarning on pages)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        poisson_e_test(k1, 7, k2, 7)


def _ratio_reference(num, den, conf):
    """Ratio estimator with issues as clusters (Cochran 1977, 6.9): R = sum y / sum x,
    v(R) = n / (n - 1) * sum (y_i - R x_i)^2 / X^2, a normal interval cut to [0, 1]."""
    total = sum(den)
    if not den or total <= 0:
        return (math.nan,) * 3
    r = sum(num) / total
    if len(den) < 2:
        return r, math.nan, math.nan
    n = len(den)
    se = math.sqrt(n / (n - 1) * sum((y - r * x) ** 2 for y, x in zip(num, den, strict=True)))
    se /= total
    z = stats.norm.ppf(0.5 + conf / 2)
    return r, max(0.0, r - z * se), min(1.0, r + z * se)


@pytest.mark.parametrize(("num", "den", "conf"), [
    ([], [], 0.95),
    ([0, 0], [0, 0], 0.95),  # no content items at all
    ([0.5], [0.8], 0.95),  # less than one item in total (apportioned counts)
    ([3], [4], 0.95),  # one issue: a rate but no interval
    ([3, 1, 0, 5], [4, 2, 3, 5], 0.95),
    ([3, 1, 0, 5], [4, 2, 3, 5], 0.5),
    ([10, 9], [10, 10], 0.99),  # the upper limit is cut at 1
    ([0, 1], [10, 12], 0.95),  # the lower limit is cut at 0
    ([2, 2, 2], [4, 4, 4], 0.9),  # every issue at the same rate: zero width
])
def test_takedown_ratio_interval(num, den, conf):
    got = _ratio_interval(np.array(num, float), np.array(den, float), conf)
    for ours, ref in zip(got, _ratio_reference(num, den, conf), strict=True):
        assert (math.isnan(ours) and math.isnan(ref)) or ours == pytest.approx(ref)


@pytest.mark.parametrize(("window", "by"), [(4, None), (2, None), (3, "theme"), (1, "theme")])
def test_moving_average_is_a_trailing_mean(window, by):
    weeks = pd.date_range("2024-01-01", periods=6, freq="7D")
    frame = pd.DataFrame({"week_start": list(weeks) * 2, "theme": ["a"] * 6 + ["b"] * 6,
                          "issues": [1, 4, 2, 8, 5, 7, 0, 0, 3, 9, 1, 2]})
    if by is None:
        frame = frame[frame["theme"] == "a"]
    shuffled = frame.sample(frac=1, random_state=1)
    out = (moving_average(shuffled, window=window) if by is None
           else moving_average(shuffled, "issues", window, by="theme"))
    assert list(out.index) == list(range(len(frame)))  # a fresh index, no old one as column
    assert "index" not in out.columns
    for theme, part in out.groupby("theme"):
        part = part.sort_values("week_start")
        values = frame[frame["theme"] == theme].sort_values("week_start")["issues"].tolist()
        expected = [sum(values[i - window + 1:i + 1]) / window if i >= window - 1 else math.nan
                    for i in range(len(values))]
        got = part[f"issues_ma{window}"].tolist()
        assert all((math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)
                   for a, b in zip(got, expected, strict=True))
    assert list(out["week_start"]) == sorted(out["week_start"])
    if by:  # rows in week order, then group order
        pairs = list(zip(out["week_start"], out["theme"], strict=True))
        assert pairs == sorted(pairs)


def _takedown_register():
    return pd.DataFrame({
        "hoax_id": ["H0", "H1", "H2", "H3"],
        "identified_date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03",
                                           "2024-01-04"]),
        "content_items": [10, 6, 8, 20],
        "taken_down": pd.array([4, 6, None, 0], dtype="Int64"),
        "platforms": ["Facebook;TikTok", "TikTok", "Facebook", "Facebook"],
        "theme": ["sara", None, "politik", "sara"],
        "election_related": [True, True, True, False],
    })


COLUMNS = ["issues", "issues_known", "issues_unknown", "content_items", "taken_down",
           "takedown_rate", "ci_low", "ci_high", "lag_median_days", "lag_p90_days", "lag_n"]


@pytest.mark.parametrize(("by", "kwargs", "expected"), [
    # by hand from the register above: (group, issues, known, [taken], [content]); H3 is not
    # election-related; H2's take-down count is unknown; by platform, H0 counts half on each
    (None, {}, [("all", 3, 1, [4, 6], [10, 6])]),
    (None, {"election_only": False}, [("all", 4, 1, [4, 6, 0], [10, 6, 20])]),
    (None, {"conf": 0.5}, [("all", 3, 1, [4, 6], [10, 6])]),
    ("theme", {}, [("politik", 1, 1, [], []), ("sara", 1, 0, [4], [10]),
                   ("unspecified", 1, 0, [6], [6])]),
    ("platform", {}, [("Facebook", 2, 1, [2], [5]), ("TikTok", 2, 0, [2, 6], [5, 6])]),
])
def test_takedown_summary_by_hand(by, kwargs, expected):
    summary = takedown_summary(_takedown_register(), by, **kwargs)
    assert list(summary.columns) == [by or "group", *COLUMNS]
    assert list(summary[by or "group"]) == [e[0] for e in expected]
    for (_, issues, unknown, taken, content), (_, row) in zip(expected, summary.iterrows(),
                                                               strict=True):
        assert (row["issues"], row["issues_known"], row["issues_unknown"]) == (
            issues, issues - unknown, unknown)
        assert (row["content_items"], row["taken_down"]) == (sum(content), sum(taken))
        ref = _ratio_reference(taken, content, kwargs.get("conf", 0.95))
        for column, value in zip(("takedown_rate", "ci_low", "ci_high"), ref, strict=True):
            assert (math.isnan(row[column]) and math.isnan(value)) or \
                row[column] == pytest.approx(value)
        assert math.isnan(row["lag_median_days"]) and math.isnan(row["lag_p90_days"])
        assert row["lag_n"] == 0


def test_takedown_lag_percentiles():
    reg = _takedown_register()
    reg["taken_down_date"] = pd.to_datetime(["2024-01-03", "2024-01-02", "2024-01-13", None])
    row = takedown_summary(reg).iloc[0]
    lags = [2.0, 0.0, 10.0]  # days from identified to taken down
    assert row["lag_n"] == 3
    assert row["lag_median_days"] == float(np.median(lags))
    assert row["lag_p90_days"] == pytest.approx(float(np.quantile(lags, 0.9)))


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), (np.nan, None), (pd.NaT, None), (float("nan"), None),
    ("2024-01-05 13:45", pd.Timestamp("2024-01-05")),
    (pd.Timestamp("2024-02-29 23:59"), pd.Timestamp("2024-02-29")),
    (np.datetime64("2024-03-01T06:00"), pd.Timestamp("2024-03-01")),
])
def test_day_of_a_value(value, expected):
    got = _day(value)
    assert got is None if expected is None else got == expected


@pytest.mark.parametrize(("x", "lang", "text"), [
    # the rule: a sign for positive numbers that do not round to zero; 2 decimals below 10,
    # 1 from 10 on; Indonesian uses a decimal comma
    (1.234, "en", "+1.23"), (-1.234, "en", "-1.23"), (1.0, "en", "+1.00"),
    (0.004, "en", "0.00"), (0.0, "en", "0.00"), (0.5, "en", "+0.50"),
    (9.5, "en", "+9.50"), (10.0, "en", "+10.0"), (10.46, "en", "+10.5"), (-12.34, "en", "-12.3"),
    (12.34, "id", "+12,3"), (0.25, "id", "+0,25"),
])
def test_signed_numbers(x, lang, text):
    assert _signed(x, lang) == text


@pytest.mark.parametrize(("p", "lang", "text"), [
    (0.0009, "en", "< 0.001"), (0.001, "en", "= 0.001"), (0.04567, "en", "= 0.046"),
    (0.5, "id", "= 0,500"), (0.00001, "id", "< 0,001"),
])
def test_p_value_text(p, lang, text):
    assert _format_p(p, lang) == text


def test_table_rows_carry_every_field_under_its_name():
    rr = poisson_rate_ratio(9, 7, 3, 7)
    row = _rate_row("sms", "2024-01-10", rr)
    assert row == {"group": "sms", "wave_date": "2024-01-10", "before": 3, "after": 9,
                   "days_before": 7.0, "days_after": 7.0, "estimate": rr.estimate,
                   "ci_low": rr.ci_low, "ci_high": rr.ci_high, "p_value": rr.p_value,
                   "p_value_etest": rr.p_value_etest}
    weekly = pd.DataFrame({"week_start": pd.date_range("2024-01-01", periods=6, freq="7D"),
                           "issues": [1, 3, 2, 5, 4, 6]})
    result = trend_test(weekly)
    assert _trend_row("all", result) == {
        "test": "mann_kendall_sen", "group": "all", "outcome": "weekly_issues",
        "estimate": result.slope, "ci_low": result.slope_ci_low,
        "ci_high": result.slope_ci_high, "p_value": result.p_value, "n": 6}


def test_takedown_summary_reads_unusable_counts_and_dates_as_unknown():
    reg = _takedown_register()
    reg["content_items"] = pd.array(["10", "n/a", "8", "20"], dtype="object")
    reg["taken_down_date"] = ["2024-01-03", "not yet", None, None]
    row = takedown_summary(reg).iloc[0]
    # H1's content is unusable, H2's take-down unknown: only H0 is known
    assert (row["issues"], row["issues_known"], row["issues_unknown"]) == (3, 1, 2)
    assert (row["content_items"], row["taken_down"]) == (10.0, 4.0)
    assert (row["lag_n"], row["lag_median_days"]) == (1, 2.0)


def test_takedown_summary_of_an_empty_register_keeps_its_columns():
    empty = _takedown_register().iloc[0:0]
    assert list(takedown_summary(empty).columns) == ["group", *COLUMNS]
    assert list(takedown_summary(empty, "theme").columns) == ["theme", *COLUMNS]
    assert len(takedown_summary(empty)) == 0


# ------------------------------------------------------------------------------------------
# The trend sentence: every branch in both languages, written out in full
# ------------------------------------------------------------------------------------------

def _trend(outcome="issues", n=12, s=30, p=0.01, slope=0.5, low=0.25, high=1.0):
    return TrendResult(outcome, n, s, 100.0, 2.0, p, 0.4, slope, low, high)


ID_TAIL = "Ini menggambarkan keterkaitan dengan waktu, bukan bukti sebab-akibat."
EN_TAIL = "This describes an association with time, not evidence of cause."


@pytest.mark.parametrize(("result", "lang", "alpha", "text"), [
    (_trend(), "id", 0.05,
     "Selama 12 minggu, jumlah isu hoaks per minggu cenderung naik (kemiringan Sen +0,50 isu "
     f"per minggu; IK 95% +0,25 hingga +1,00; uji Mann-Kendall p = 0,010). {ID_TAIL}"),
    (_trend(), "en-GB", 0.05,
     "Over 12 weeks, the weekly number of hoax issues tended to rise (Sen's slope +0.50 issues "
     f"per week; 95% CI +0.25 to +1.00; Mann-Kendall test p = 0.010). {EN_TAIL}"),
    (_trend("content_items", 1500, -30, 0.0002, -12.34, -20.0, -3.5), "id", 0.05,
     "Selama 1.500 minggu, jumlah konten hoaks per minggu cenderung turun (kemiringan Sen "
     "-12,3 konten per minggu; IK 95% -20,0 hingga -3,50; uji Mann-Kendall p < 0,001). "
     f"{ID_TAIL}"),
    (_trend("content_items", 1500, -30, 0.0002, -12.34, -20.0, -3.5), "en", 0.05,
     "Over 1,500 weeks, the weekly number of hoax content items tended to fall (Sen's slope "
     "-12.3 items per week; 95% CI -20.0 to -3.50; Mann-Kendall test p < 0.001). "
     f"{EN_TAIL}"),
    # p exactly at alpha is not below it; an unknown outcome reads as issues; an unknown
    # language as Indonesian
    (_trend("other", p=0.05, low=math.nan), "xx", 0.05,
     "Selama 12 minggu, tidak tampak tren yang jelas dalam jumlah isu hoaks per minggu "
     f"(kemiringan Sen +0,50 isu per minggu; uji Mann-Kendall p = 0,050). {ID_TAIL}"),
    (_trend(p=0.05, high=math.inf), "en", 0.05,
     "Over 12 weeks, there is no clear trend in the weekly number of hoax issues (Sen's slope "
     f"+0.50 issues per week; Mann-Kendall test p = 0.050). {EN_TAIL}"),
    # a small p with S = 0 is no direction; a larger alpha makes p = 0.05 clear
    (_trend(s=0, p=0.001), "en", 0.05,
     "Over 12 weeks, there is no clear trend in the weekly number of hoax issues (Sen's slope "
     f"+0.50 issues per week; 95% CI +0.25 to +1.00; Mann-Kendall test p = 0.001). {EN_TAIL}"),
    (_trend(p=0.05), "en", 0.1,
     "Over 12 weeks, the weekly number of hoax issues tended to rise (Sen's slope +0.50 issues "
     f"per week; 95% CI +0.25 to +1.00; Mann-Kendall test p = 0.050). {EN_TAIL}"),
    (_trend(n=3, s=-3, p=0.02, slope=-1.0, low=-2.0, high=-0.5), "id", 0.05,
     "Selama 3 minggu, jumlah isu hoaks per minggu cenderung turun (kemiringan Sen -1,00 isu "
     f"per minggu; IK 95% -2,00 hingga -0,50; uji Mann-Kendall p = 0,020). {ID_TAIL}"),
])
def test_describe_trend_sentences(result, lang, alpha, text):
    assert describe_trend(result, lang, alpha) == text


@pytest.mark.parametrize(("result", "lang", "text"), [
    (_trend(n=2), "id", "Data mingguan belum cukup (2 minggu) untuk menilai tren jumlah isu "
                        "hoaks."),
    (_trend(n=2), "en", "Too few weeks of data (2) to assess a trend in the number of hoax "
                        "issues."),
    (_trend("content_items", n=0), "en", "Too few weeks of data (0) to assess a trend in the "
                                         "number of hoax content items."),
    (_trend(n=1200, p=math.nan), "id", "Data mingguan belum cukup (1.200 minggu) untuk "
                                       "menilai tren jumlah isu hoaks."),
    (_trend(slope=math.nan), "en", "Too few weeks of data (12) to assess a trend in the number "
                                   "of hoax issues."),
    (_trend(slope=math.inf), "en", "Too few weeks of data (12) to assess a trend in the number "
                                   "of hoax issues."),
])
def test_describe_trend_too_few_weeks(result, lang, text):
    assert describe_trend(result, lang) == text


def test_describe_trend_direction_is_the_sign_of_s():
    # the direction is read from S alone, even at S = +-1
    assert "tended to rise" in describe_trend(_trend(s=1, p=0.01), "en")
    assert "cenderung naik" in describe_trend(_trend(s=1, p=0.01), "id")
    assert "tended to fall" in describe_trend(_trend(s=-1, p=0.01), "en")
    assert "cenderung turun" in describe_trend(_trend(s=-1, p=0.01), "id")


def test_describe_trend_defaults_to_indonesian_at_five_percent():
    assert describe_trend(_trend(p=0.049)).startswith(
        "Selama 12 minggu, jumlah isu hoaks per minggu cenderung naik")
    assert describe_trend(_trend(p=0.051)).startswith("Selama 12 minggu, tidak tampak tren")


# ------------------------------------------------------------------------------------------
# Weekly counts: counted by hand from the rows below
# ------------------------------------------------------------------------------------------

def _weekly_register():
    # 2024-01-01 is a Monday (ISO 2024-W01)
    return pd.DataFrame({
        "identified_date": ["2024-01-02", "2024-01-07", "2024-01-08", "not a date",
                            "2024-01-20", "2024-01-03", None, "2024-01-21"],
        "content_items": [10, "4", 6, 99, "x", 7, 99, 2],
        "taken_down": pd.array([5, None, 6, 99, 1, 7, 99, 0], dtype="Int64"),
        "platforms": ["Facebook", "Facebook; TikTok", "TikTok", "Facebook", None,
                      "Facebook", "TikTok", "TikTok; Facebook"],
        "theme": ["sara", None, "sara", "sara", "ekonomi", "sara", "sara", "ekonomi"],
        "election_related": pd.array([True, True, None, True, True, False, True, True],
                                     dtype="boolean"),
    })


WEEKLY_HEAD = ["week_start", "iso_week"]
WEEKLY_TAIL = ["issues", "content_items", "taken_down", "takedown_unknown"]
JAN = pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-15"])


def test_weekly_counts_by_hand():
    # election rows (a missing flag counts as election-related; 3 Jan is not): 2 Jan (10, 5),
    # 7 Jan (4, unknown) | 8 Jan (6, 6) | 20 Jan ("x", 1), 21 Jan (2, 0); the undated dropped
    weekly = weekly_counts(_weekly_register())
    assert list(weekly.columns) == WEEKLY_HEAD + WEEKLY_TAIL
    assert list(weekly["week_start"]) == list(JAN)
    assert list(weekly["iso_week"]) == ["2024-W01", "2024-W02", "2024-W03"]
    assert list(weekly["issues"]) == [2, 1, 2]
    assert list(weekly["content_items"]) == [14, 6, 2]
    assert list(weekly["taken_down"]) == [5, 6, 1]
    assert list(weekly["takedown_unknown"]) == [1, 0, 0]
    assert all(weekly[c].dtype == "int64" for c in WEEKLY_TAIL)
    everything = weekly_counts(_weekly_register(), election_only=False)
    assert list(everything["issues"]) == [3, 1, 2]
    assert list(everything["content_items"]) == [21, 6, 2]
    no_flag = _weekly_register().drop(columns="election_related")
    assert list(weekly_counts(no_flag)["issues"]) == [3, 1, 2]


def test_weekly_counts_in_a_window():
    reg = _weekly_register()
    # from Sunday 7 Jan: the week of 1 Jan is partial, holding 7 Jan only
    weekly = weekly_counts(reg, start="2024-01-07")
    assert list(weekly["week_start"]) == list(JAN)
    assert list(weekly["issues"]) == [1, 1, 2]
    weekly = weekly_counts(reg, end=pd.Timestamp("2024-01-08 23:00"))
    assert list(weekly["week_start"]) == list(JAN[:2])
    assert list(weekly["issues"]) == [2, 1]
    weekly = weekly_counts(reg, "2023-12-25", "2024-01-29")  # empty weeks at both ends
    assert list(weekly["iso_week"]) == ["2023-W52", "2024-W01", "2024-W02", "2024-W03",
                                        "2024-W04", "2024-W05"]
    assert list(weekly["issues"]) == [0, 2, 1, 2, 0, 0]


@pytest.mark.parametrize("by", [None, "theme", "platform"])
def test_weekly_counts_without_weeks_keep_their_columns(by):
    middle = [by] if by else []
    for reg, start, end in ((_weekly_register().iloc[0:0], None, None),
                            (_weekly_register().iloc[0:0], "2024-01-01", None),
                            (_weekly_register().iloc[0:0], None, "2024-01-31"),
                            (_weekly_register(), "2024-01-10", "2024-01-09"),
                            (_weekly_register().assign(identified_date="?"), None, None)):
        weekly = weekly_counts(reg, start, end, by=by)
        assert list(weekly.columns) == WEEKLY_HEAD + middle + WEEKLY_TAIL
        assert len(weekly) == 0


def test_weekly_counts_by_theme_by_hand():
    weekly = weekly_counts(_weekly_register(), by="theme")
    assert list(weekly.columns) == WEEKLY_HEAD + ["theme"] + WEEKLY_TAIL
    assert list(weekly["week_start"]) == list(JAN.repeat(3))
    assert list(weekly["theme"]) == ["ekonomi", "sara", "unspecified"] * 3
    assert list(weekly["iso_week"]) == ["2024-W01"] * 3 + ["2024-W02"] * 3 + ["2024-W03"] * 3
    assert list(weekly["issues"]) == [0, 1, 1, 0, 1, 0, 2, 0, 0]
    assert list(weekly["content_items"]) == [0, 10, 4, 0, 6, 0, 2, 0, 0]
    assert list(weekly["taken_down"]) == [0, 5, 0, 0, 6, 0, 1, 0, 0]
    assert list(weekly["takedown_unknown"]) == [0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert all(weekly[c].dtype == "int64" for c in WEEKLY_TAIL)


def test_weekly_counts_by_platform_by_hand():
    # an issue on two platforms counts once on each, with half its items and take-downs;
    # one without a platform counts as Other
    weekly = weekly_counts(_weekly_register(), by="platform")
    assert list(weekly.columns) == WEEKLY_HEAD + ["platform"] + WEEKLY_TAIL
    assert list(weekly["platform"]) == ["Facebook", "Other", "TikTok"] * 3
    assert list(weekly["week_start"]) == list(JAN.repeat(3))
    assert list(weekly["issues"]) == [2, 0, 1, 0, 0, 1, 1, 1, 1]
    assert list(weekly["content_items"]) == [12.0, 0.0, 2.0, 0.0, 0.0, 6.0, 1.0, 0.0, 1.0]
    assert list(weekly["taken_down"]) == [5.0, 0.0, 0.0, 0.0, 0.0, 6.0, 0.0, 1.0, 0.0]
    assert list(weekly["takedown_unknown"]) == [1, 0, 1, 0, 0, 0, 0, 0, 0]
    assert weekly["issues"].dtype == "int64" and weekly["takedown_unknown"].dtype == "int64"
    assert weekly["content_items"].dtype == "float64"
    assert weekly["taken_down"].dtype == "float64"


def test_weekly_counts_use_the_wib_day_of_an_aware_time():
    # 20:00 UTC on Sunday 7 Jan is 03:00 on Monday 8 Jan in Jakarta (UTC+7)
    reg = pd.DataFrame({"identified_date": pd.to_datetime(["2024-01-02T10:00Z",
                                                           "2024-01-07T20:00Z"]),
                        "content_items": [1, 2], "taken_down": [1, 1]})
    weekly = weekly_counts(reg)
    assert list(weekly["week_start"]) == list(JAN[:2])
    assert list(weekly["issues"]) == [1, 1]
    assert list(weekly["content_items"]) == [1, 2]


# ------------------------------------------------------------------------------------------
# Survey answers and the recipients' comparison
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    # the documented spellings, in any case, with spaces around, '-' read as '_'
    ("yes", "yes"), (" YA ", "yes"), ("1", "yes"), ("True", "yes"), ("y", "yes"),
    ("no", "no"), ("Tidak", "no"), ("0", "no"), ("FALSE", "no"), ("n ", "no"),
    ("dont_know", "dont_know"), ("Tidak Tahu", "dont_know"), ("tidak_tahu", "dont_know"),
    ("do-not-know", "dont_know"), ("do not know", "dont_know"), ("DK", "dont_know"),
    ("dont know", "dont_know"), ("Don't know", "dont_know"), ("dont-know", "dont_know"),
    ("maybe", None), ("", None), (None, None), (np.nan, None), ("yes please", None),
])
def test_survey_answer_spellings(raw, expected):
    series = pd.Series(["no", raw, "yes"], index=[7, 8, 9], dtype="object")
    out = _answers(series)
    assert list(out.index) == [7, 8, 9]
    assert str(out.dtype) == "string"
    assert out.iloc[0] == "no" and out.iloc[2] == "yes"
    assert (pd.isna(out.iloc[1]) if expected is None else out.iloc[1] == expected)


def _weighted_survey():
    #        received       saw          believed     weight
    rows = [("yes",         "yes",       "no",        2.0),
            ("Ya",          "no",        "yes",       1.0),
            ("yes",         "YES",       "dont_know", 3.0),
            ("yes",         "dont_know", "no",        1.0),
            ("no",          "no",        "no",        1.0),
            ("tidak",       "yes",       "yes",       4.0),
            ("no",          "no",        "yes",       0.0),  # no weight: left out
            ("no",          "no",        "no",        None),  # neither
            ("no",          "tidak tahu", "no",       2.0),
            ("dont_know",   "yes",       "yes",       1.0),  # recipient unknown
            ("?",           "no",        "no",        1.0),
            (None,          "yes",       "no",        1.0)]
    return pd.DataFrame(rows, columns=["received_sms", "saw_hoax", "believed_hoax", "weight"])


def _wilson(share, n_eff, conf=0.95):
    return proportion_confint(share * n_eff, n_eff, alpha=1 - conf, method="wilson")


def _kish(weights):
    return sum(weights) ** 2 / sum(w * w for w in weights)


@pytest.mark.parametrize("conf", [0.95, 0.8])
def test_survey_comparison_with_unequal_weights_by_hand(conf):
    table = survey_hoax_comparison(_weighted_survey(), conf)
    assert list(table.columns) == ["outcome", "group", "estimate", "ci_low", "ci_high",
                                   "p_value", "n", "n_effective", "dont_know",
                                   "recipient_unknown"]
    assert list(table["outcome"]) == ["saw_hoax"] * 3 + ["believed_hoax"] * 3
    assert list(table["group"]) == ["sms_recipient", "non_recipient", "difference"] * 2
    assert (table["recipient_unknown"] == 3).all()
    saw = table.iloc[:3].set_index("group")
    # recipients: yes (2), no (1), yes (3); non-recipients: no (1), yes (4)
    shares = {"sms_recipient": (5 / 6, [2.0, 1.0, 3.0]), "non_recipient": (4 / 5, [1.0, 4.0])}
    for group, (share, weights) in shares.items():
        row = saw.loc[group]
        n_eff = _kish(weights)
        assert row["estimate"] == pytest.approx(share)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(_wilson(share, n_eff, conf))
        assert (row["n"], row["n_effective"]) == (len(weights), pytest.approx(n_eff))
        assert math.isnan(row["p_value"])
    assert (saw.loc["sms_recipient", "dont_know"], saw.loc["non_recipient", "dont_know"]) == (
        1, 1)
    diff = saw.loc["difference"]
    (p1, w1), (p2, w2) = shares.values()
    (l1, u1), (l2, u2) = _wilson(p1, _kish(w1), conf), _wilson(p2, _kish(w2), conf)
    d = p1 - p2  # Newcombe (1998) method 10 from the two Wilson intervals
    assert diff["estimate"] == pytest.approx(d)
    assert diff["ci_low"] == pytest.approx(d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
    assert diff["ci_high"] == pytest.approx(d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
    ref = confint_proportions_2indep(p1 * _kish(w1), _kish(w1), p2 * _kish(w2), _kish(w2),
                                     method="newcomb", compare="diff", alpha=1 - conf)
    assert (diff["ci_low"], diff["ci_high"]) == pytest.approx(tuple(float(v) for v in ref))
    assert (diff["n"], diff["dont_know"]) == (5, 2)
    assert diff["n_effective"] == pytest.approx(_kish(w1) + _kish(w2))
    _, _, _, p = _rao_scott_2x2(["yes"] * 3 + ["no"] * 2, ["yes", "no", "yes", "no", "yes"],
                                [2.0, 1.0, 3.0, 1.0, 4.0], list(range(5)))
    assert diff["p_value"] == pytest.approx(p, rel=1e-9)
    believed = table.iloc[3:].set_index("group")
    # recipients: no (2), yes (1), [dont_know], no (1); non-recipients: no (1), yes (4), no (2)
    assert believed.loc["sms_recipient", "estimate"] == pytest.approx(1 / 4)
    assert believed.loc["non_recipient", "estimate"] == pytest.approx(4 / 7)
    assert list(believed["n"]) == [3, 3, 6]
    assert list(believed["dont_know"]) == [1, 0, 1]
    _, _, _, p = _rao_scott_2x2(["yes"] * 3 + ["no"] * 3, ["no", "yes", "no", "no", "yes", "no"],
                                [2.0, 1.0, 1.0, 1.0, 4.0, 2.0], list(range(6)))
    assert believed.loc["difference", "p_value"] == pytest.approx(p, rel=1e-9)


def test_survey_comparison_with_an_empty_group():
    frame = _weighted_survey()
    frame.loc[frame["received_sms"].isin(["no", "tidak"]), "saw_hoax"] = "dont_know"
    frame.loc[5, "saw_hoax"] = "maybe"  # unreadable: neither an answer nor a "don't know"
    saw = survey_hoax_comparison(frame).iloc[:3].set_index("group")
    empty = saw.loc["non_recipient"]
    assert all(math.isnan(empty[c]) for c in ("estimate", "ci_low", "ci_high", "p_value"))
    assert (empty["n"], empty["n_effective"], empty["dont_know"]) == (0, 0.0, 4)
    assert saw.loc["sms_recipient", "estimate"] == pytest.approx(5 / 6)
    diff = saw.loc["difference"]
    assert all(math.isnan(diff[c]) for c in ("estimate", "ci_low", "ci_high", "p_value",
                                             "n_effective"))
    assert (diff["n"], diff["dont_know"]) == (3, 5)


def test_survey_comparison_when_everyone_gives_one_answer():
    # no variation in the answer: the difference 0 has its interval, the chi-square no table
    frame = pd.DataFrame({"received_sms": ["yes"] * 4 + ["no"] * 6, "saw_hoax": "yes",
                          "believed_hoax": "no", "weight": 1.5})
    table = survey_hoax_comparison(frame).set_index(["outcome", "group"])
    ref = confint_proportions_2indep(4, 4, 6, 6, method="newcomb", compare="diff")
    row = table.loc[("saw_hoax", "difference")]
    assert row["estimate"] == 0.0
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(tuple(float(v) for v in ref))
    assert math.isnan(row["p_value"]) and row["n"] == 10
    ref = confint_proportions_2indep(0, 4, 0, 6, method="newcomb", compare="diff")
    row = table.loc[("believed_hoax", "difference")]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(tuple(float(v) for v in ref))
    assert table.loc[("saw_hoax", "sms_recipient"), "estimate"] == 1.0
    assert (table["recipient_unknown"] == 0).all()


# ------------------------------------------------------------------------------------------
# Wave windows: counted by hand, each rate ratio by the exact conditional definition and the
# E-test of scipy
# ------------------------------------------------------------------------------------------

def _wave_reference(after, t1, before, t0, conf=0.95):
    """The rate ratio's estimate, limits and p-value by _rate_reference above (Clopper-Pearson
    mapped to the ratio, the doubled binomial tail) and the E-test by scipy's
    poisson_means_test (which, like poisson_e_test and unlike statsmodels, never counts the
    pair (0, 0), whose statistic is 0/0; the counts here are clear of scipy's rounding slip)."""
    low, high, p = _rate_reference(after, t1, before, t0, conf)
    estimate = math.inf if before == 0 else (after / t1) / (before / t0)
    etest = float(stats.poisson_means_test(after, t1, before, t0).pvalue)
    return estimate, low, high, p, etest


def _wave_register():
    days = ["2024-01-02", "2024-01-04", "2024-01-08", "2024-01-08", "2024-01-09",
            "2024-01-10", "2024-01-12", "2024-01-15", "2024-01-20", "2024-01-22",
            "2024-01-25"]
    flags = [True] * 8 + [False, True, True]  # 20 Jan is not election-related
    return pd.DataFrame({"identified_date": days, "content_items": 1, "taken_down": 1,
                         "platforms": "Facebook", "theme": "sara", "election_related": flags})


def _waves():
    return pd.DataFrame({
        "wave_id": ["W3", "W1", "W2", "W4", "W5", "W6", "W7"],
        "channel": ["sms", "SMS", "status_bar", "sms", "Sms", "sms", "sms"],
        "sent_date": ["2024-01-20 08:00", "2024-01-09 07:15", "2024-01-09 12:00",
                      "2024-01-01 09:00", "2024-01-09 18:45", None, "2024-01-26 10:30"],
    })


WAVE_COLUMNS = ["group", "wave_date", "before", "after", "days_before", "days_after",
                "estimate", "ci_low", "ci_high", "p_value", "p_value_etest"]


def _check_waves(table, expected, conf=0.95):
    assert list(table.columns) == WAVE_COLUMNS
    assert list(table["group"]) == [e[0] for e in expected]
    for (_, row), (group, day, before, after, t0, t1) in zip(table.iterrows(), expected,
                                                             strict=True):
        assert (row["group"], row["before"], row["after"]) == (group, before, after)
        assert (row["days_before"], row["days_after"]) == (t0, t1)
        assert pd.isna(row["wave_date"]) if day is None else row["wave_date"] == pd.Timestamp(day)
        estimate, low, high, p, etest = _wave_reference(after, t1, before, t0, conf)
        assert row["estimate"] == pytest.approx(estimate)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-9)
        assert row["p_value"] == pytest.approx(p, rel=1e-9)
        assert row["p_value_etest"] == pytest.approx(etest, rel=1e-7)


def test_wave_windows_by_hand_with_the_defaults():
    # coverage 2-25 Jan (the election rows); SMS waves only, same day joined, sorted by day.
    # W4 (1 Jan) has no covered day before it, W7 (26 Jan) none from it on, W6 no date.
    # W1+W5 (9 Jan): 2-8 Jan holds 2, 4, 8, 8 Jan; 9-15 Jan holds 9, 10, 12, 15 Jan.
    # W3 (20 Jan): 13-19 Jan holds 15 Jan; 20-25 Jan (6 days) 22 and 25 Jan (20 Jan is not
    # election-related).
    table = wave_rate_ratios(_wave_register(), _waves())
    _check_waves(table, [("W1+W5", "2024-01-09", 4, 4, 7, 7), ("W3", "2024-01-20", 1, 2, 7, 6),
                         ("all_waves", None, 5, 6, 14, 13)])


def test_wave_windows_by_hand_with_every_option():
    # every channel, every issue, 3-day windows, 90 % intervals, coverage 8-21 Jan:
    # W1+W2+W5 (9 Jan): 8 Jan only before (1 day, 2 issues), 9-11 Jan after (9, 10 Jan);
    # W3 (20 Jan): 17-19 Jan nothing, 20-21 Jan (2 days) holds 20 Jan
    table = wave_rate_ratios(_wave_register(), _waves(), 3, start="2024-01-08",
                             end="2024-01-21", channel=None, election_only=False, conf=0.9)
    _check_waves(table, [("W1+W2+W5", "2024-01-09", 2, 2, 1, 3), ("W3", "2024-01-20", 0, 1, 3, 2),
                         ("all_waves", None, 2, 3, 4, 5)], conf=0.9)


def test_wave_windows_of_one_day_and_waves_without_a_channel():
    # k = 1: the day before against the wave day; the end on the wave day leaves it one day
    waves = _waves().drop(columns="channel")  # no channel column: every wave counts
    table = wave_rate_ratios(_wave_register(), waves, 1, end="2024-01-09")
    _check_waves(table, [("W1+W2+W5", "2024-01-09", 2, 1, 1, 1),
                         ("all_waves", None, 2, 1, 1, 1)])


@pytest.mark.parametrize("k", [0, -3])
def test_wave_windows_need_a_day(k):
    with pytest.raises(ValueError, match="^k must be at least 1$"):
        wave_rate_ratios(_wave_register(), _waves(), k)


@pytest.mark.parametrize(("start", "end"), [(None, None), ("2024-01-01", None),
                                            (None, "2024-01-31"), ("2024-01-01", "2024-01-31")])
def test_wave_windows_of_an_empty_register(start, end):
    # no issue in the register: no coverage unless both ends are given, and then 0 against 0
    empty = _wave_register().iloc[0:0]
    table = wave_rate_ratios(empty, _waves(), start=start, end=end)
    assert list(table.columns) == WAVE_COLUMNS
    if start and end:
        _check_waves(table.iloc[:0], [])
        assert list(table["group"]) == ["W1+W5", "W3", "W7", "all_waves"]
        assert (table["before"] == 0).all() and (table["after"] == 0).all()
        assert table["estimate"].isna().all() and (table["p_value"] == 1.0).all()
    else:
        assert len(table) == 0


# ------------------------------------------------------------------------------------------
# The tidy table: every row by hand (weekly series, windows, survey) and its references
# ------------------------------------------------------------------------------------------

def _tests_register():
    rows = [("2024-01-02", "sara", 3, True), ("2024-01-04", "ekonomi", 1, True),
            ("2024-01-08", "sara", 2, True), ("2024-01-08", None, 5, True),
            ("2024-01-09", "sara", 1, False), ("2024-01-10", "ekonomi", 4, True),
            ("2024-01-16", "sara", 2, True), ("2024-01-20", "sara", 6, True),
            ("2024-01-23", "ekonomi", 1, True), ("2024-01-25", "sara", 3, True),
            ("2024-01-31", "sara", 2, True)]
    frame = pd.DataFrame(rows, columns=["identified_date", "theme", "content_items",
                                        "election_related"])
    return frame.assign(taken_down=1, platforms="Facebook")


def _trend_expected(group, outcome, series, conf):
    n, s, var_s = _mk_reference(series)
    _, low, high = _sen_reference(series, list(range(n)), conf)
    p = 2 * stats.norm.sf(abs((s - np.sign(s)) / math.sqrt(var_s))) if var_s > 0 else 1.0
    return ("mann_kendall_sen", group, f"weekly_{outcome}", stats.theilslopes(series).slope,
            low, high, p, n)


def _wave_expected(group, before, after, t0, t1, k, conf):
    estimate, low, high, p, _ = _wave_reference(after, t1, before, t0, conf)
    return ("wave_rate_ratio_pooled" if group == "all_waves" else "wave_rate_ratio", group,
            f"issues_{k}d_after_vs_before", estimate, low, high, p, before + after)


# _weighted_survey by hand: (answers of the answering recipients, their weights, the same for
# non-recipients); yes = 1
SURVEY_BY_HAND = {"saw_hoax": ([1, 0, 1], [2.0, 1.0, 3.0], [0, 1], [1.0, 4.0]),
                  "believed_hoax": ([0, 1, 0], [2.0, 1.0, 1.0], [0, 1, 0], [1.0, 4.0, 2.0])}


def _survey_expected(outcome, conf):
    """Newcombe's interval by statsmodels on Kish's n_eff, the Rao-Scott p written out."""
    y1, w1, y2, w2 = SURVEY_BY_HAND[outcome]
    p1 = sum(y * w for y, w in zip(y1, w1, strict=True)) / sum(w1)
    p2 = sum(y * w for y, w in zip(y2, w2, strict=True)) / sum(w2)
    low, high = confint_proportions_2indep(p1 * _kish(w1), _kish(w1), p2 * _kish(w2),
                                           _kish(w2), method="newcomb", compare="diff",
                                           alpha=1 - conf)
    n = len(y1) + len(y2)
    _, _, _, p = _rao_scott_2x2(["yes"] * len(y1) + ["no"] * len(y2), y1 + y2, w1 + w2,
                                list(range(n)))
    return ("survey_difference", "sms_recipient_minus_non_recipient", outcome, p1 - p2,
            float(low), float(high), p, n)


def _check_table(table, expected):
    assert list(table.columns) == TEST_COLUMNS
    assert len(table) == len(expected)
    for (_, row), (test, group, outcome, estimate, low, high, p, n) in zip(
            table.iterrows(), expected, strict=True):
        assert (row["test"], row["group"], row["outcome"], row["n"]) == (test, group, outcome, n)
        for got, want in ((row["estimate"], estimate), (row["ci_low"], low),
                          (row["ci_high"], high), (row["p_value"], p)):
            assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, rel=1e-9)
    p = table["p_value"].to_numpy()
    adjusted = np.full(len(p), np.nan)
    known = ~np.isnan(p)
    if known.any():
        adjusted[known] = multipletests(p[known], method="fdr_bh")[1]
    assert table["p_adjusted"].to_numpy() == pytest.approx(adjusted, nan_ok=True)
    assert table["n"].dtype == "int64"
    assert all(table[c].dtype == "float64" for c in ("estimate", "ci_low", "ci_high",
                                                     "p_value", "p_adjusted"))


def test_hoax_tests_by_hand_with_the_defaults():
    # election rows, weeks of 1, 8, 15, 22 and 29 Jan: issues 2 3 2 2 1, items 4 11 8 4 2;
    # themes ekonomi 1 1 0 1 0, sara 1 1 2 1 1, unspecified 0 1 0 0 0.
    # SMS waves, 7 days, coverage 2-31 Jan: W1+W5 (9 Jan) 4 before, 1 after (9 Jan is not
    # election-related); W3 (20 Jan) 1 and 3; W7 (26 Jan) 3 and 1 (26-31 Jan: 6 days)
    table = hoax_tests(_tests_register(), _waves(), survey=_weighted_survey())
    _check_table(table, [
        _trend_expected("all", "issues", [2, 3, 2, 2, 1], 0.95),
        _trend_expected("all", "content_items", [4, 11, 8, 4, 2], 0.95),
        _trend_expected("ekonomi", "issues", [1, 1, 0, 1, 0], 0.95),
        _trend_expected("sara", "issues", [1, 1, 2, 1, 1], 0.95),
        _trend_expected("unspecified", "issues", [0, 1, 0, 0, 0], 0.95),
        _wave_expected("W1+W5", 4, 1, 7, 7, 7, 0.95),
        _wave_expected("W3", 1, 3, 7, 7, 7, 0.95),
        _wave_expected("W7", 3, 1, 7, 6, 7, 0.95),
        _wave_expected("all_waves", 8, 5, 21, 20, 7, 0.95),
        _survey_expected("saw_hoax", 0.95),
        _survey_expected("believed_hoax", 0.95),
    ])


def test_hoax_tests_by_hand_with_every_option():
    # every issue from 7 to 27 Jan: weeks of 1, 8, 15, 22 Jan: issues 0 4 2 2, items 0 12 8 4;
    # themes ekonomi 0 1 0 1, sara 0 2 2 1, unspecified 0 1 0 0. Every wave, 3 days, cut to
    # 7-27 Jan: W1+W2+W5 (9 Jan) 2 before (7-8 Jan: 2 days), 2 after; W3 (20 Jan) 0 and 1;
    # W7 (26 Jan) 2 before, 0 after (26-27 Jan: 2 days)
    table = hoax_tests(_tests_register(), _waves(), k=3, start="2024-01-07", end="2024-01-27",
                       channel=None, election_only=False, conf=0.9)
    _check_table(table, [
        _trend_expected("all", "issues", [0, 4, 2, 2], 0.9),
        _trend_expected("all", "content_items", [0, 12, 8, 4], 0.9),
        _trend_expected("ekonomi", "issues", [0, 1, 0, 1], 0.9),
        _trend_expected("sara", "issues", [0, 2, 2, 1], 0.9),
        _trend_expected("unspecified", "issues", [0, 1, 0, 0], 0.9),
        _wave_expected("W1+W2+W5", 2, 2, 2, 3, 3, 0.9),
        _wave_expected("W3", 0, 1, 3, 3, 3, 0.9),
        _wave_expected("W7", 2, 0, 3, 2, 3, 0.9),
        _wave_expected("all_waves", 4, 3, 8, 8, 3, 0.9),
    ])


def test_hoax_tests_survey_rows_at_another_level():
    table = hoax_tests(_tests_register(), survey=_weighted_survey(), by_theme=False, conf=0.8)
    _check_table(table, [
        _trend_expected("all", "issues", [2, 3, 2, 2, 1], 0.8),
        _trend_expected("all", "content_items", [4, 11, 8, 4, 2], 0.8),
        _survey_expected("saw_hoax", 0.8),
        _survey_expected("believed_hoax", 0.8),
    ])


def test_hoax_tests_without_themes_waves_survey_or_issues():
    no_theme = _tests_register().drop(columns="theme")
    table = hoax_tests(no_theme, _waves().iloc[0:0], survey=_weighted_survey().iloc[0:0])
    assert list(table["group"]) == ["all", "all"]
    empty = hoax_tests(_tests_register().iloc[0:0], _waves(), survey=None)
    _check_table(empty, [])
    assert len(empty) == 0


def test_counts_that_are_not_numbers_are_unknown_take_downs():
    # a take-down count written as text ('n/a', '?') is unknown, as a missing one: left out
    # of the take-down sum and counted as unknown
    reg = _takedown_register()
    reg["taken_down"] = pd.array(["4", "n/a", None, "?"], dtype="object")
    row = takedown_summary(reg).iloc[0]  # election rows H0-H2
    assert (row["issues"], row["issues_known"], row["issues_unknown"]) == (3, 1, 2)
    assert (row["content_items"], row["taken_down"]) == (10.0, 4.0)
    weekly = weekly_counts(reg)
    assert list(weekly["taken_down"]) == [4]
    assert list(weekly["takedown_unknown"]) == [2]
    assert list(weekly["content_items"]) == [24]


def test_weekly_counts_of_weeks_without_issues():
    # a window with weeks but no issue in it: zeros, with the usual types; split by a column
    # there is no group to give a row to
    weekly = weekly_counts(_weekly_register(), "2024-02-05", "2024-02-18")
    assert list(weekly["iso_week"]) == ["2024-W06", "2024-W07"]
    assert (weekly[WEEKLY_TAIL] == 0).all().all()
    assert all(weekly[c].dtype == "int64" for c in WEEKLY_TAIL)
    for by in ("theme", "platform"):
        weekly = weekly_counts(_weekly_register(), "2024-02-05", "2024-02-18", by=by)
        assert list(weekly.columns) == WEEKLY_HEAD + [by] + WEEKLY_TAIL
        assert len(weekly) == 0


def test_survey_weights_that_are_not_numbers_leave_the_respondent_out():
    frame = _weighted_survey()
    frame["weight"] = frame["weight"].astype("object")
    frame.loc[0, "weight"] = "heavy"  # the first recipient (saw: yes) has no usable weight
    saw = survey_hoax_comparison(frame).iloc[:3].set_index("group")
    # recipients now: no (1), yes (3)
    assert saw.loc["sms_recipient", "estimate"] == pytest.approx(3 / 4)
    assert saw.loc["sms_recipient", "n"] == 2
    nullable = _weighted_survey()
    nullable["weight"] = pd.array([None, 1, 3, 1, 1, 4, 0, None, 2, 1, 1, 1], dtype="Int64")
    saw = survey_hoax_comparison(nullable).iloc[:3].set_index("group")
    assert saw.loc["sms_recipient", "estimate"] == pytest.approx(3 / 4)
    assert saw.loc["non_recipient", "estimate"] == pytest.approx(4 / 5)
