"""Hoax analysis: methods checked against published numbers, weekly counts that reconcile with
the register, ISO weeks across the new year, and the tidy test table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats import rates

from dashboard import config, reference
from dashboard.analysis.hoax import (
    TEST_COLUMNS,
    TrendResult,
    describe_trend,
    hoax_tests,
    iso_week,
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
from dashboard.analysis.multiple_testing import benjamini_hochberg
from dashboard.ingest.hoax import validate_hoax_register

# ------------------------------------------------------------------------------------------
# Mann-Kendall and Sen's slope
# ------------------------------------------------------------------------------------------

# USEPA (2006) Data Quality Assessment: Statistical Methods for Practitioners, EPA QA/G-9S
# (EPA/240/B-06/003), Mann-Kendall example for n > 10, p. 109: 11 values with tie groups of 4
# (the 10s) and 2 (the 15s); S = 22, var(S) = 155.33, Z = 1.685. The two-sided p-value is
# 2 * (1 - Phi(1.685)) = 0.092 (the guidance tests one-sided: 0.046 < 0.05).
EPA_G9S = [10, 10, 10, 5, 10, 20, 18, 17, 15, 24, 15]


def test_mann_kendall_epa_g9s_example():
    result = mann_kendall(EPA_G9S)
    assert result.n == 11
    assert result.s == 22
    assert result.var_s == pytest.approx(155.33, abs=0.005)
    assert result.z == pytest.approx(1.685, abs=0.0005)
    assert result.p_value == pytest.approx(0.092, abs=0.0005)
    assert result.p_value / 2 < 0.05 < result.p_value  # significant one-sided only
    assert result.tau == pytest.approx(22 / 55)


@pytest.mark.parametrize(("values", "s", "var_s", "z"), [
    # strictly increasing, n = 100: S = n(n-1)/2 = 4950, var = 100*99*205/18 = 112750,
    # Z = 4949 / sqrt(112750)
    (list(range(100)), 4950, 112750.0, 4949 / math.sqrt(112750)),
    # hand-worked ties: pairs (1,1) 0, (1,2) +1, (1,2) +1; var = (3*2*11 - 2*1*9) / 18
    ([1, 1, 2], 2, 48 / 18, 1 / math.sqrt(48 / 18)),
    # decreasing, n = 4: S = -6, var = 4*3*13/18, Z = (S + 1) / sd
    ([4, 3, 2, 1], -6, 156 / 18, -5 / math.sqrt(156 / 18)),
])
def test_mann_kendall_closed_forms(values, s, var_s, z):
    result = mann_kendall(values)
    assert (result.s, result.var_s) == (s, pytest.approx(var_s))
    assert result.z == pytest.approx(z)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(abs(z)))


def test_mann_kendall_without_variation_or_data():
    assert mann_kendall([3, 3, 3, 3]).p_value == 1.0
    assert math.isnan(mann_kendall([5]).p_value)
    assert mann_kendall([1, np.nan, 2, 3]).n == 3  # missing weeks are dropped


def test_sens_slope_hand_worked_interpolation():
    # x = 1, 3, 2, 5 at t = 0..3. Pairwise slopes: 2, 1/2, 4/3, -1, 1, 3; sorted
    # -1, 0.5, 1, 4/3, 2, 3; median (1 + 4/3) / 2 = 7/6. var(S) = 4*3*13/18 = 8.667.
    # Gilbert (1987) eq. 16.7-16.8 at 50%: C = 0.67449 * sqrt(8.667) = 1.98563,
    # M1 = (6 - C)/2 = 2.00718 -> 0.5 + 0.00718 * (1 - 0.5) = 0.50359,
    # M2 + 1 = (6 + C)/2 + 1 = 4.99282 -> 4/3 + 0.99282 * (2 - 4/3) = 1.99521.
    result = sens_slope([1, 3, 2, 5], conf=0.5)
    assert result.slope == pytest.approx(7 / 6)
    assert result.n_pairs == 6
    assert result.ci_low == pytest.approx(0.50359, abs=1e-5)
    assert result.ci_high == pytest.approx(1.99521, abs=1e-5)
    assert math.isnan(sens_slope([1, 3, 2, 5], conf=0.95).ci_low)  # too short for 95%


def test_sens_slope_epa_series_matches_scipy():
    # The EPA G-9S series: N' = 55, C = 1.96 * sqrt(155.33) = 24.43, M1 = 15.29, M2 = 39.71;
    # the 15th-16th and 40th-41st smallest slopes are 0 and 2, as scipy's Sen (1968) interval.
    ours = sens_slope(EPA_G9S)
    theirs = stats.theilslopes(EPA_G9S)
    assert (ours.slope, ours.ci_low, ours.ci_high) == (1.0, 0.0, 2.0)
    assert (ours.slope, ours.ci_low, ours.ci_high) == (theirs.slope, theirs.low_slope,
                                                       theirs.high_slope)


def test_sens_slope_with_uneven_times():
    # t = 0, 2, 3; x = 0, 4, 9: slopes 4/2 = 2, 9/3 = 3, 5/1 = 5 -> median 3
    assert sens_slope([0, 4, 9], times=[0, 2, 3]).slope == 3.0


@pytest.mark.parametrize(("values", "times", "joint", "separate"), [
    # intercept = median of x_i - slope * t_i (scipy.stats.theilslopes method="joint"), not
    # Conover's median(x) - slope * median(t) (method="separate"); the numbers are scipy's
    ([1, 3, 2, 5], None, 1.25, 0.75),
    (EPA_G9S, None, 9.0, 10.0),
    ([1, 3, 2, 5, 4, 6, 9, 7, 10, 12, 11, 14], None, 1.0, 0.3125),
    ([0, 4, 9], [0, 2, 3], 0.0, -2.0),
])
def test_sens_slope_intercept_is_the_median_of_the_residual_intercepts(values, times, joint,
                                                                       separate):
    ours = sens_slope(values, times)
    assert ours.intercept == pytest.approx(joint)
    theirs = (stats.theilslopes(values, times, method="joint"),
              stats.theilslopes(values, times, method="separate"))
    assert (theirs[0].intercept, theirs[1].intercept) == pytest.approx((joint, separate))
    assert ours.slope == pytest.approx(theirs[0].slope)


# ------------------------------------------------------------------------------------------
# Poisson rate comparison
# ------------------------------------------------------------------------------------------

def test_e_test_scipy_documented_example():
    # scipy.stats.poisson_means_test docstring: dodder seeds, k1 = 0 in 100 g, k2 = 3 in 100 g
    # (Przyborowski & Wilenski 1940): statistic -1.7320508075688772, p 0.08837900929018157.
    statistic, p = poisson_e_test(0, 100, 3, 100)
    assert statistic == pytest.approx(-1.7320508075688772, rel=1e-12)
    assert p == pytest.approx(0.08837900929018157, rel=1e-8)


@pytest.mark.parametrize(("k1", "n1", "k2", "n2", "diff", "alternative"), [
    (5, 10, 2, 10, 0.0, "two-sided"),
    (20, 7, 9, 7, 0.0, "two-sided"),
    (1, 3.5, 12, 7, 0.0, "two-sided"),
    (40, 14, 3, 7, 0.0, "two-sided"),
    (12, 10, 4, 10, 0.0, "greater"),
    (2, 10, 9, 10, 0.0, "less"),
    (30, 10, 10, 10, 1.0, "two-sided"),
    (0, 5, 0, 5, 0.0, "two-sided"),
])
def test_e_test_agrees_with_scipy(k1, n1, k2, n2, diff, alternative):
    ours = poisson_e_test(k1, n1, k2, n2, diff, alternative)
    theirs = stats.poisson_means_test(k1, n1, k2, n2, diff=diff, alternative=alternative)
    assert ours[0] == pytest.approx(float(theirs.statistic), abs=1e-12)
    assert ours[1] == pytest.approx(float(theirs.pvalue), rel=1e-7, abs=1e-12)


@pytest.mark.parametrize(("k1", "n1", "k2", "n2", "scipy_p"), [
    # scipy 1.17.1's poisson_means_test rounds the observed T (k/n^2) and the T of the same
    # outcome in its sum ((k/n)/n) differently and loses the observed outcome (and its mirror)
    # from "at least as extreme"; statsmodels' independent E-test (test_poisson_2indep,
    # method="etest-wald": Krishnamoorthy & Thomson's pivot) counts them, as the definition does
    (14, 7, 19, 7, 0.37999958208828005),
    (15, 7, 19, 7, 0.48885080795862784),
    (18, 7, 27, 7, 0.17679268500177342),
    (59, 7, 29, 3.5, 0.9390262259360431),
])
def test_e_test_counts_the_observed_outcome_where_scipy_rounds_it_away(k1, n1, k2, n2,
                                                                       scipy_p):
    ours = poisson_e_test(k1, n1, k2, n2)[1]
    referee = rates.test_poisson_2indep(k1, n1, k2, n2, method="etest-wald",
                                        compare="diff").pvalue
    assert ours == pytest.approx(float(referee), rel=1e-9)
    theirs = float(stats.poisson_means_test(k1, n1, k2, n2).pvalue)
    # when this fails scipy has been fixed: poisson_e_test can then call it
    assert theirs == pytest.approx(scipy_p, rel=1e-9) and theirs < ours - 1e-3


@pytest.mark.parametrize(("after", "t1", "before", "t0", "estimate", "low", "high", "p"), [
    # 0 after, 5 before, equal days: Clopper-Pearson upper for pi with x = 0 is
    # 1 - 0.025^(1/5), so R_high = 0.025^(-1/5) - 1 = 1.091279; p = 2 * 0.5^5 = 0.0625
    (0, 1, 5, 1, 0.0, 0.0, 0.025 ** (-1 / 5) - 1, 0.0625),
    # 4 after, 0 before: pi_low = 0.025^(1/4), R_low = pi / (1 - pi) = 0.660124; p = 2 * 0.5^4
    (4, 1, 0, 1, math.inf, 0.025 ** 0.25 / (1 - 0.025 ** 0.25), math.inf, 0.125),
    # 2 in 1 day against 8 in 2 days: pi0 = 1/3, P(X <= 2 | 10, 1/3) = (2/3)^10 (1 + 5 + 11.25)
    # = 0.299141; doubled 0.598283; R = (2/1) / (8/2) = 0.5
    (2, 1, 8, 2, 0.5, None, None, 2 * (2 / 3) ** 10 * 17.25),
])
def test_exact_conditional_rate_ratio_hand_computed(after, t1, before, t0, estimate, low, high,
                                                    p):
    result = poisson_rate_ratio(after, t1, before, t0)
    assert result.estimate == pytest.approx(estimate)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    if low is not None:
        assert result.ci_low == pytest.approx(low, rel=1e-9)
        assert result.ci_high == pytest.approx(high, rel=1e-9)
    assert result.ci_low <= result.estimate <= result.ci_high


@pytest.mark.parametrize(("after", "before"), [(3, 12), (9, 2), (15, 15), (30, 12), (1, 9)])
def test_rate_ratio_interval_and_test_agree(after, before):
    result = poisson_rate_ratio(after, 7, before, 7)
    excludes_one = result.ci_low > 1 or result.ci_high < 1
    assert excludes_one == (result.p_value < 0.05)
    # the interval inverts the binomial: at its limits the tail probability is exactly 2.5%
    if 0 < after:
        pi = result.ci_low / (1 + result.ci_low)
        assert stats.binom.sf(after - 1, after + before, pi) == pytest.approx(0.025)


# ------------------------------------------------------------------------------------------
# Weekly counts
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "label"), [
    ("2023-12-25", "2023-W52"),
    ("2023-12-31", "2023-W52"),  # a Sunday: still the week of 25 Dec
    ("2024-01-01", "2024-W01"),
    ("2024-02-14", "2024-W07"),
    ("2020-12-28", "2020-W53"),  # 2020 has 53 ISO weeks
    ("2021-01-03", "2020-W53"),
    ("2021-01-04", "2021-W01"),
    ("2024-12-30", "2025-W01"),  # ISO year differs from the calendar year
])
def test_iso_week_labels(day, label):
    assert iso_week(day) == label


def register(days: list[str], content: list[int] | None = None,
             taken: list[int | None] | None = None, **columns: list[object]) -> pd.DataFrame:
    n = len(days)
    return pd.DataFrame({
        "hoax_id": [f"H{i}" for i in range(n)],
        "identified_date": pd.to_datetime(days),
        "content_items": content or [10] * n,
        "taken_down": pd.array(taken or [5] * n, dtype="Int64"),
        "platforms": columns.pop("platforms", ["Facebook"] * n),
        "theme": columns.pop("theme", ["sara"] * n),
        "election_related": columns.pop("election_related", [True] * n),
        **columns,
    })


def test_weeks_across_the_new_year_with_zeros():
    reg = register(["2023-12-20", "2023-12-31", "2024-01-01", "2024-01-17"], [1, 2, 4, 8],
                   [1, None, 3, 0])
    weekly = weekly_counts(reg, "2023-12-18", "2024-01-21")
    assert list(weekly.columns) == ["week_start", "iso_week", "issues", "content_items",
                                    "taken_down", "takedown_unknown"]
    assert list(weekly["iso_week"]) == ["2023-W51", "2023-W52", "2024-W01", "2024-W02",
                                        "2024-W03"]
    assert list(weekly["week_start"]) == list(pd.to_datetime(
        ["2023-12-18", "2023-12-25", "2024-01-01", "2024-01-08", "2024-01-15"]))
    assert list(weekly["issues"]) == [1, 1, 1, 0, 1]
    assert list(weekly["content_items"]) == [1, 2, 4, 0, 8]
    assert list(weekly["taken_down"]) == [1, 0, 3, 0, 0]  # the NULL is not a 0 ...
    assert list(weekly["takedown_unknown"]) == [0, 1, 0, 0, 0]  # ... it is counted as unknown


def test_week_53():
    weekly = weekly_counts(register(["2020-12-30", "2021-01-05"]), "2020-12-14", "2021-01-10")
    assert list(weekly["iso_week"]) == ["2020-W51", "2020-W52", "2020-W53", "2021-W01"]
    assert list(weekly["issues"]) == [0, 0, 1, 1]


@pytest.fixture(scope="module")
def sample_register() -> pd.DataFrame:
    frame = pd.read_csv(config.SAMPLE_DIR / "hoax_register.csv", dtype="string",
                        keep_default_na=False)
    frame.insert(0, "line", range(2, len(frame) + 2))
    return validate_hoax_register(frame, reference.province_code)[0]


@pytest.mark.parametrize(("start", "end"), [
    (None, None), ("2023-12-01", "2024-02-29"), ("2023-12-27", "2024-01-03"),
    ("2024-02-14", "2024-02-14"), ("2022-01-01", "2022-03-01"),
])
def test_weekly_counts_reconcile_with_the_register(sample_register, start, end):
    election = sample_register[sample_register["election_related"].astype(bool)]
    day = election["identified_date"]
    in_range = election[(day >= (start or day.min())) & (day <= (end or day.max()))]
    weekly = weekly_counts(sample_register, start, end)
    assert weekly["issues"].sum() == len(in_range)
    assert weekly["content_items"].sum() == in_range["content_items"].sum()
    assert weekly["taken_down"].sum() == in_range["taken_down"].sum()
    assert weekly["takedown_unknown"].sum() == in_range["taken_down"].isna().sum()
    assert weekly["week_start"].dt.day_of_week.eq(0).all()
    assert weekly["week_start"].diff().dropna().eq(pd.Timedelta(days=7)).all()
    everything = weekly_counts(sample_register, start, end, election_only=False)
    all_day = sample_register["identified_date"]
    assert everything["issues"].sum() == ((all_day >= (start or all_day.min()))
                                          & (all_day <= (end or all_day.max()))).sum()


def test_weekly_by_theme_and_platform(sample_register):
    total = weekly_counts(sample_register)
    by_theme = weekly_counts(sample_register, by="theme")
    assert list(by_theme.columns)[:3] == ["week_start", "iso_week", "theme"]
    summed = by_theme.groupby("week_start")[["issues", "content_items"]].sum()
    assert summed["issues"].tolist() == total["issues"].tolist()
    assert summed["content_items"].tolist() == total["content_items"].tolist()
    by_platform = weekly_counts(sample_register, by="platform")
    per_week = by_platform.groupby("week_start")[["issues", "content_items"]].sum()
    assert (per_week["issues"].to_numpy() >= total["issues"].to_numpy()).all()
    assert per_week["content_items"].to_numpy() == pytest.approx(
        total["content_items"].to_numpy(dtype=float))


def test_moving_average_is_trailing_four_weeks():
    weekly = pd.DataFrame({"week_start": pd.date_range("2024-01-01", periods=6, freq="7D"),
                           "issues": [4, 0, 8, 4, 12, 0]})
    out = moving_average(weekly)
    assert out["issues_ma4"].isna().tolist()[:3] == [True, True, True]
    assert out["issues_ma4"].tolist()[3:] == [4.0, 6.0, 6.0]


def test_takedown_summary_uses_known_counts_only():
    reg = register(["2024-01-01"] * 3, [10, 30, 50], [5, 12, None])
    summary = takedown_summary(reg)
    first = summary.iloc[0]
    assert (first["issues"], first["issues_known"], first["issues_unknown"]) == (3, 2, 1)
    assert first["takedown_rate"] == pytest.approx(17 / 40)
    assert first["ci_low"] < 17 / 40 < first["ci_high"]
    assert math.isnan(first["lag_median_days"]) and first["lag_n"] == 0  # no take-down date


def test_takedown_lag_with_optional_date():
    reg = register(["2024-01-01", "2024-01-01", "2024-01-03"],
                   taken_down_date=pd.to_datetime(["2024-01-02", "2024-01-05", pd.NaT]))
    first = takedown_summary(reg).iloc[0]
    assert (first["lag_median_days"], first["lag_n"]) == (2.5, 2)


# ------------------------------------------------------------------------------------------
# Waves
# ------------------------------------------------------------------------------------------

WAVES = pd.DataFrame({"wave_id": ["SMS01", "SB01", "SMS02", "SMS03"],
                      "channel": ["sms", "status_bar", "sms", "sms"],
                      "sent_date": ["2024-01-10", "2024-01-10", "2024-01-20", "2024-01-20"]})


def test_wave_windows_and_pooling():
    # before SMS01 (3-9 Jan): 2 issues; from SMS01 (10-16 Jan): 4 issues
    days = (["2024-01-01"] + ["2024-01-03", "2024-01-09"] + ["2024-01-10"] * 3
            + ["2024-01-16", "2024-01-17", "2024-01-30"])
    ratios = wave_rate_ratios(register(days), WAVES, k=7)
    assert list(ratios["group"]) == ["SMS01", "SMS02+SMS03", "all_waves"]
    first = ratios.iloc[0]
    assert (first["before"], first["after"], first["days_before"], first["days_after"]) == (
        2, 4, 7, 7)
    assert first["estimate"] == pytest.approx(2.0)
    # SMS02/03 on 20 Jan: before 13-19 Jan holds 16 and 17 Jan; after 20-26 Jan none
    second = ratios.iloc[1]
    assert (second["before"], second["after"]) == (2, 0)
    pooled = ratios.iloc[2]
    assert (pooled["before"], pooled["after"], pooled["days_before"]) == (4, 4, 14)
    assert pooled["p_value"] == pytest.approx(poisson_rate_ratio(4, 14, 4, 14).p_value)


def test_wave_windows_are_cut_to_the_register_coverage():
    ratios = wave_rate_ratios(register(["2024-01-08", "2024-01-12"]), WAVES, k=7,
                              start="2024-01-07", end="2024-01-12")
    first = ratios.iloc[0]
    assert (first["days_before"], first["days_after"]) == (3, 3)  # 7-9 Jan, 10-12 Jan
    assert "SMS02+SMS03" not in set(ratios["group"])  # 20 Jan lies outside the coverage


# ------------------------------------------------------------------------------------------
# Survey
# ------------------------------------------------------------------------------------------

def survey_frame() -> pd.DataFrame:
    # Newcombe (1998b), Statistics in Medicine 17:873-890, Table II example (a): 56/70 - 48/80.
    # Equal weights (2.5: a constant weight must not matter) make the weighted methods the
    # textbook ones.
    received = ["yes"] * 70 + ["no"] * 80 + ["yes", "no"] + ["dont_know"] * 3
    saw = (["yes"] * 56 + ["no"] * 14 + ["ya"] * 48 + ["tidak"] * 32 + ["dont_know"] * 2
           + ["yes"] * 3)
    believed = (["yes"] * 9 + ["no"] * 61 + ["yes"] * 3 + ["no"] * 77 + ["no", "yes"]
                + ["no"] * 3)
    return pd.DataFrame({"received_sms": received, "saw_hoax": saw, "believed_hoax": believed,
                         "weight": 2.5})


def test_survey_comparison_matches_newcombe():
    table = survey_hoax_comparison(survey_frame())
    saw = table[table["outcome"] == "saw_hoax"].set_index("group")
    assert saw.loc["sms_recipient", "estimate"] == pytest.approx(0.8)
    assert saw.loc["non_recipient", "estimate"] == pytest.approx(0.6)
    assert (saw.loc["sms_recipient", "n"], saw.loc["non_recipient", "n"]) == (70, 80)
    # with equal weights the interval is the plain Wilson score interval (scipy's binomtest)
    low, high = stats.binomtest(56, 70).proportion_ci(method="wilson")
    assert saw.loc["sms_recipient", "ci_low"] == pytest.approx(low)
    assert saw.loc["sms_recipient", "ci_high"] == pytest.approx(high)
    # Newcombe (1998b) Table II, method 10 (hybrid score): 0.2000 (0.0524, 0.3339)
    assert saw.loc["difference", "estimate"] == pytest.approx(0.2)
    assert saw.loc["difference", "ci_low"] == pytest.approx(0.0524, abs=5e-5)
    assert saw.loc["difference", "ci_high"] == pytest.approx(0.3339, abs=5e-5)
    # Pearson chi-square without continuity correction on the 2x2 table, with the first-order
    # Rao-Scott correction: equal weights make the design effect n / (n - 1), as R's
    # svychisq(statistic = "Chisq") has it for svydesign(ids = ~1, weights = ~weight)
    chi = stats.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert saw.loc["difference", "p_value"] == pytest.approx(
        stats.chi2.sf(chi.statistic * 149 / 150, 1))
    assert (saw["dont_know"].tolist(), saw["recipient_unknown"].iloc[0]) == ([1, 1, 2], 3)


@pytest.mark.parametrize(("yes", "n", "low", "high"), [
    # Newcombe (1998a), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score)
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_survey_share_interval_matches_newcombe_table(yes, n, low, high):
    frame = pd.DataFrame({"received_sms": ["yes"] * n + ["no"] * 2,
                          "saw_hoax": ["yes"] * yes + ["no"] * (n - yes) + ["yes", "no"],
                          "believed_hoax": "no", "weight": 1.7})
    row = survey_hoax_comparison(frame).iloc[0]
    assert (row["outcome"], row["group"], row["n"]) == ("saw_hoax", "sms_recipient", n)
    assert row["estimate"] == pytest.approx(yes / n)
    assert row["ci_low"] == pytest.approx(low, abs=5e-5)
    assert row["ci_high"] == pytest.approx(high, abs=5e-5)


def test_survey_believed_and_dont_know_counts():
    table = survey_hoax_comparison(survey_frame())
    believed = table[table["outcome"] == "believed_hoax"].set_index("group")
    assert believed.loc["sms_recipient", "estimate"] == pytest.approx(9 / 71)
    assert believed.loc["non_recipient", "estimate"] == pytest.approx(4 / 81)
    assert believed["dont_know"].tolist() == [0, 0, 0]


# ------------------------------------------------------------------------------------------
# The tidy table and the sentence
# ------------------------------------------------------------------------------------------

def test_hoax_tests_table(sample_register):
    waves = pd.read_csv(config.SAMPLE_DIR / "waves.csv")
    table = hoax_tests(sample_register, waves, k=7, survey=survey_frame())
    assert list(table.columns) == TEST_COLUMNS
    assert set(table["test"]) == {"mann_kendall_sen", "wave_rate_ratio",
                                  "wave_rate_ratio_pooled", "survey_difference"}
    assert (table["test"] == "wave_rate_ratio").sum() == 10  # SMS01-SMS10
    overall = table[(table["test"] == "mann_kendall_sen") & (table["group"] == "all")]
    assert list(overall["outcome"]) == ["weekly_issues", "weekly_content_items"]
    assert overall["n"].iloc[0] == len(weekly_counts(sample_register))
    expected = benjamini_hochberg(table["p_value"].to_numpy())
    assert table["p_adjusted"].to_numpy() == pytest.approx(expected, nan_ok=True)
    assert (table["p_adjusted"] >= table["p_value"]).all()
    assert table["n"].dtype == "int64"


def test_hoax_tests_without_waves_or_survey():
    table = hoax_tests(register(["2024-01-01", "2024-01-09", "2024-01-20"]), by_theme=False)
    assert list(table["test"]) == ["mann_kendall_sen"] * 2
    assert list(table.columns) == TEST_COLUMNS


def rising() -> TrendResult:
    weekly = pd.DataFrame({"week_start": pd.date_range("2023-11-06", periods=12, freq="7D"),
                           "iso_week": [f"W{i}" for i in range(12)],
                           "issues": [1, 3, 2, 5, 4, 6, 9, 7, 10, 12, 11, 14]})
    return trend_test(weekly)


@pytest.mark.parametrize(("result", "lang", "expected"), [
    (rising(), "id", ["Selama 12 minggu", "cenderung naik", "isu per minggu", "IK 95%",
                      "bukan bukti sebab-akibat"]),
    (rising(), "en", ["Over 12 weeks", "tended to rise", "per week", "95% CI",
                      "not evidence of cause"]),
    (TrendResult("issues", 12, 4, 212.7, 0.2, 0.84, 0.1, 0.0, -0.5, 0.5), "en",
     ["no clear trend", "p = 0.840", "association"]),
    (TrendResult("content_items", 2, 1, 1.0, 0.0, math.nan, 1.0, math.nan, math.nan,
                 math.nan), "id", ["belum cukup", "2 minggu", "konten hoaks"]),
    (TrendResult("issues", 20, -90, 950.0, -2.9, 0.0004, -0.47, -1.25, math.nan, math.nan),
     "en", ["tended to fall", "p < 0.001", "-1.25"]),
])
def test_describe_trend(result, lang, expected):
    text = describe_trend(result, lang)
    for part in expected:
        assert part in text
    assert "nan" not in text.lower() and "None" not in text
