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
from statsmodels.stats.proportion import proportion_confint

from dashboard.analysis.hoax import (
    _day,
    _format_p,
    _order_statistic,
    _rate_row,
    _ratio_interval,
    _signed,
    _trend_row,
    mann_kendall,
    moving_average,
    poisson_e_test,
    poisson_rate_ratio,
    sens_slope,
    takedown_summary,
    trend_test,
)


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
