"""Hoax register analysis: weekly counts, take-down rate, trend and the counts around blast
waves, plus the survey's saw/believed-a-hoax shares. Pure functions on DataFrames.

Everything here describes association in time, not cause: a wave date next to a change in the
number of hoaxes does not show that the SMS blast caused it (debates, the campaign calendar and
Kominfo's own monitoring effort move the counts too).

The register is the clean frame of ``dashboard.ingest.hoax`` (or the ``hoax_reports`` table):
identified_date, content_items, taken_down (NA = unknown), platforms, theme, election_related
and, when the register has one, taken_down_date.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from dashboard import i18n
from dashboard.analysis.multiple_testing import benjamini_hochberg
from dashboard.analysis.province_stats import NotEnoughData
from dashboard.analysis.survey_stats import (
    difference_of_proportions,
    weighted_chi_square,
    weighted_proportion,
)
from dashboard.ingest.hoax import explode_platforms

TEST_COLUMNS = ["test", "group", "outcome", "estimate", "ci_low", "ci_high", "p_value",
                "p_adjusted", "n"]
WEEKLY_COLUMNS = ["week_start", "iso_week", "issues", "content_items", "taken_down",
                  "takedown_unknown"]
SURVEY_GROUPS = ("sms_recipient", "non_recipient", "difference")
SURVEY_OUTCOMES = ("saw_hoax", "believed_hoax")
_YES = frozenset({"yes", "ya", "1", "true", "y"})
_NO = frozenset({"no", "tidak", "0", "false", "n"})
_DONT_KNOW = frozenset({"dont_know", "tidak_tahu", "do_not_know", "dk", "dont know",
                        "don't know", "tidak tahu"})


# ------------------------------------------------------------------------------------------
# Weekly counts
# ------------------------------------------------------------------------------------------

def _day(value: object) -> pd.Timestamp | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).normalize()


def _prepared(register: pd.DataFrame, election_only: bool) -> pd.DataFrame:
    """The register with a normalised ``day`` column, election-related rows only if asked."""
    reg = register.copy()
    # stored days are DATEs; tests give ISO text: one format, no per-value guessing
    day = pd.to_datetime(reg["identified_date"], errors="coerce", format="ISO8601")
    if day.dt.tz is not None:  # an aware timestamp: its calendar day in WIB
        day = day.dt.tz_convert("Asia/Jakarta").dt.tz_localize(None)
    reg["day"] = day.dt.normalize()
    if election_only and "election_related" in reg.columns:
        reg = reg[reg["election_related"].astype("boolean").fillna(True)]
    return reg[reg["day"].notna()]


def _coverage(reg: pd.DataFrame, start: object,
              end: object) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day counted: ``start`` and ``end``, else the register's first and
    last day (NaT for a register without rows)."""
    first, last = _day(start), _day(end)
    return (reg["day"].min() if first is None else first,
            reg["day"].max() if last is None else last)


def _monday(day: pd.Timestamp) -> pd.Timestamp:
    return day - pd.Timedelta(days=day.weekday())


def iso_week(day: object) -> str:
    """ISO 8601 week of a date, 'YYYY-Www' with the ISO year: 2024-12-30 -> '2025-W01'."""
    return i18n.iso_week_label(day)


def weekly_counts(register: pd.DataFrame, start: object = None, end: object = None,
                  by: str | None = None, *, election_only: bool = True) -> pd.DataFrame:
    """Hoax issues per ISO week (weeks start on Monday), zeros for weeks without any.

    Rows identified from ``start`` to ``end`` (inclusive; default: the register's first and
    last day) are counted, so the first and last week can be partial. Columns: week_start,
    iso_week ('2024-W06'), [by], issues, content_items, taken_down (sum of the known counts),
    takedown_unknown (issues whose take-down count is missing).

    ``by='platform'`` counts an issue once on every platform it appeared on (so platforms add
    up to more issues than the total) and splits its content items and take-downs equally among
    them (the register records no per-platform split). Any other ``by`` names a register column
    (theme, category, province_code); missing values become 'unspecified'.
    """
    reg = _prepared(register, election_only)
    first, last = _coverage(reg, start, end)
    columns = WEEKLY_COLUMNS[:2] + ([by] if by else []) + WEEKLY_COLUMNS[2:]
    if pd.isna(first) or pd.isna(last) or first > last:
        return pd.DataFrame({c: [] for c in columns})
    reg = reg[(reg["day"] >= first) & (reg["day"] <= last)].copy()
    reg["week_start"] = reg["day"] - pd.to_timedelta(reg["day"].dt.day_of_week, unit="D")
    weeks = pd.date_range(_monday(first), _monday(last), freq="7D")

    if by == "platform":
        long = explode_platforms(reg)
        grouped = long.groupby(["week_start", "platform"])
        table = pd.DataFrame({
            "issues": grouped.size(),
            "content_items": grouped["content_items_apportioned"].sum().astype("float64"),
            "taken_down": grouped["taken_down_apportioned"].sum().astype("float64"),
            "takedown_unknown": grouped["taken_down"].agg(lambda s: int(s.isna().sum())),
        })
        groups = sorted(long["platform"].dropna().unique())
    else:
        if by:
            reg[by] = reg[by].astype("string").fillna("unspecified")
        keys = ["week_start"] + ([by] if by else [])
        content = pd.to_numeric(reg["content_items"], errors="coerce")
        taken = pd.to_numeric(reg["taken_down"], errors="coerce")
        reg = reg.assign(content_items=content, taken_down=taken, takedown_unknown=taken.isna())
        grouped = reg.groupby(keys)
        table = pd.DataFrame({
            "issues": grouped.size(),
            "content_items": grouped["content_items"].sum(),
            "taken_down": grouped["taken_down"].sum(),
            "takedown_unknown": grouped["takedown_unknown"].sum(),
        })
        groups = sorted(reg[by].unique()) if by else None

    if by:
        index = pd.MultiIndex.from_product([weeks, groups], names=["week_start", by])
    else:
        index = pd.Index(weeks, name="week_start")
    table = table.reindex(index, fill_value=0).reset_index()
    table["iso_week"] = [iso_week(d) for d in table["week_start"]]
    table["takedown_unknown"] = table["takedown_unknown"].astype("int64")
    if by != "platform":
        table["content_items"] = table["content_items"].astype("int64")
        table["taken_down"] = table["taken_down"].astype("int64")
    return table[columns]


def moving_average(weekly: pd.DataFrame, column: str = "issues", window: int = 4,
                   by: str | None = None) -> pd.DataFrame:
    """``weekly`` with ``{column}_ma{window}``: the trailing mean of the last ``window`` weeks
    (this week and the ``window - 1`` before), NaN until a full window exists."""
    out = weekly.sort_values(["week_start"] + ([by] if by else [])).copy()
    name = f"{column}_ma{window}"
    values = out[column].astype("float64")
    if by:
        out[name] = values.groupby(out[by]).transform(
            lambda s: s.rolling(window, min_periods=window).mean())
    else:
        out[name] = values.rolling(window, min_periods=window).mean()
    return out.reset_index(drop=True)


# ------------------------------------------------------------------------------------------
# Take-down rate (and lag when the register has a take-down date)
# ------------------------------------------------------------------------------------------

def takedown_summary(register: pd.DataFrame, by: str | None = None, conf: float = 0.95, *,
                     election_only: bool = True) -> pd.DataFrame:
    """Share of content items taken down, overall or per ``by`` group.

    takedown_rate = sum(taken_down) / sum(content_items) over the issues whose take-down count
    is known (issues_known); issues_unknown says how many were left out. The interval treats
    issues as clusters (a ratio estimator with a linearised variance), because items of one
    issue are taken down together, not independently.

    The register has no take-down date, so there is no take-down lag unless a
    ``taken_down_date`` column is present; then lag_median_days / lag_p90_days (identified ->
    taken down) are given over lag_n issues, and are NaN otherwise.
    """
    reg = _prepared(register, election_only)
    if by == "platform":
        reg = explode_platforms(reg).drop(columns=["content_items", "taken_down"]).rename(
            columns={"content_items_apportioned": "content_items",
                     "taken_down_apportioned": "taken_down"})
    elif by:
        reg[by] = reg[by].astype("string").fillna("unspecified")
    key = reg[by] if by else pd.Series("all", index=reg.index)
    rows = []
    for group, part in reg.groupby(key, sort=True):
        content = pd.to_numeric(part["content_items"], errors="coerce").astype("float64")
        taken = pd.to_numeric(part["taken_down"], errors="coerce").astype("float64")
        known = taken.notna() & content.notna()
        rate, low, high = _ratio_interval(taken[known].to_numpy(), content[known].to_numpy(),
                                          conf)
        lag = _lag_days(part)
        rows.append({
            "group": group, "issues": len(part), "issues_known": int(known.sum()),
            "issues_unknown": int((~known).sum()),
            "content_items": float(content[known].sum()), "taken_down": float(taken[known].sum()),
            "takedown_rate": rate, "ci_low": low, "ci_high": high,
            "lag_median_days": float(lag.median()) if len(lag) else math.nan,
            "lag_p90_days": float(lag.quantile(0.9)) if len(lag) else math.nan,
            "lag_n": len(lag),
        })
    out = pd.DataFrame(rows, columns=["group", "issues", "issues_known", "issues_unknown",
                                      "content_items", "taken_down", "takedown_rate", "ci_low",
                                      "ci_high", "lag_median_days", "lag_p90_days", "lag_n"])
    return out.rename(columns={"group": by}) if by else out


def _ratio_interval(numerator: np.ndarray, denominator: np.ndarray,
                    conf: float) -> tuple[float, float, float]:
    total = denominator.sum()
    if len(denominator) == 0 or total <= 0:
        return math.nan, math.nan, math.nan
    rate = numerator.sum() / total
    n = len(denominator)
    if n < 2:
        return float(rate), math.nan, math.nan
    residual = numerator - rate * denominator
    se = math.sqrt(n / (n - 1) * float((residual ** 2).sum())) / total
    z = stats.norm.ppf(0.5 + conf / 2)
    return float(rate), max(0.0, rate - z * se), min(1.0, rate + z * se)


def _lag_days(part: pd.DataFrame) -> pd.Series:
    if "taken_down_date" not in part.columns:
        return pd.Series([], dtype="float64")
    done = pd.to_datetime(part["taken_down_date"], errors="coerce").dt.normalize()
    lag = (done - part["day"]).dt.days
    return lag.dropna().astype("float64")


# ------------------------------------------------------------------------------------------
# Trend: Mann-Kendall test and Sen's slope
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MannKendall:
    n: int
    s: int  # sum of sign(x_j - x_i) over i < j
    var_s: float  # with the correction for tied values
    z: float  # (S - sign(S)) / sqrt(var S): continuity-corrected normal score
    p_value: float  # two-sided, normal approximation
    tau: float  # Kendall's tau-a against time: S / (n (n - 1) / 2)


def mann_kendall(values: Sequence[float] | np.ndarray | pd.Series) -> MannKendall:
    """Mann-Kendall test for a monotonic trend in a series in time order (Mann 1945; Kendall
    1975; Gilbert 1987, section 16.4): S, its variance with the ties correction
    var(S) = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18, the continuity-corrected Z and a
    two-sided normal p-value. Missing values are dropped. The normal approximation is rough for
    n < 10; weekly series are longer than that.
    """
    x = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce")
    x = x.astype("float64").dropna().to_numpy()
    n = len(x)
    if n < 2:
        return MannKendall(n, 0, 0.0, math.nan, math.nan, math.nan)
    upper = np.triu_indices(n, k=1)
    s = int(np.sign(x[upper[1]] - x[upper[0]]).sum())
    _, ties = np.unique(x, return_counts=True)
    var_s = (n * (n - 1) * (2 * n + 5) - float((ties * (ties - 1) * (2 * ties + 5)).sum())) / 18
    if var_s <= 0:  # every value tied: no evidence of a trend
        return MannKendall(n, s, var_s, 0.0, 1.0, 0.0)
    z = (s - np.sign(s)) / math.sqrt(var_s)
    p = 2 * stats.norm.sf(abs(z))
    return MannKendall(n, s, float(var_s), float(z), float(p), s / (n * (n - 1) / 2))


@dataclass(frozen=True)
class SensSlope:
    slope: float  # median of the pairwise slopes
    ci_low: float
    ci_high: float
    intercept: float  # median of x_i - slope * t_i over the points (t = 0, 1, ... by default)
    n_pairs: int


def sens_slope(values: Sequence[float] | np.ndarray | pd.Series,
               times: Sequence[float] | np.ndarray | None = None,
               conf: float = 0.95) -> SensSlope:
    """Sen's (1968) slope: the median of (x_j - x_i) / (t_j - t_i) over pairs i < j with
    different times, with Gilbert's (1987, eq. 16.7-16.8) confidence interval:
    C = z_{1-a/2} sqrt(var S), M1 = (N' - C) / 2, M2 = (N' + C) / 2; the limits are the M1-th
    and (M2 + 1)-th smallest slopes, interpolated linearly between neighbours when M1 and M2
    are not whole numbers. NaN limits mean the series is too short for that confidence.

    The intercept is the median of x_i - slope * t_i over the points (scipy.stats.theilslopes
    with method="joint"), so half the points lie on or above the line; not Conover's
    median(x) - slope * median(t) (theilslopes' default, method="separate"), which can differ
    (1.25 against 0.75 for 1, 3, 2, 5).
    """
    x = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").astype("float64")
    t = (pd.Series(np.arange(len(x), dtype="float64")) if times is None
         else pd.to_numeric(pd.Series(times, dtype="object"), errors="coerce").astype("float64"))
    if len(t) != len(x):
        raise ValueError("values and times must have the same length")
    keep = x.notna().to_numpy() & t.notna().to_numpy()
    x, t = x.to_numpy()[keep], t.to_numpy()[keep]
    i, j = np.triu_indices(len(x), k=1)
    distinct = t[j] != t[i]
    slopes = np.sort((x[j] - x[i])[distinct] / (t[j] - t[i])[distinct])
    pairs = len(slopes)
    if pairs == 0:
        return SensSlope(math.nan, math.nan, math.nan, math.nan, 0)
    slope = float(np.median(slopes))
    intercept = float(np.median(x - slope * t))
    c = stats.norm.ppf(0.5 + conf / 2) * math.sqrt(mann_kendall(x).var_s)
    low = _order_statistic(slopes, (pairs - c) / 2)
    high = _order_statistic(slopes, (pairs + c) / 2 + 1)
    return SensSlope(slope, low, high, intercept, pairs)


def _order_statistic(sorted_values: np.ndarray, rank: float) -> float:
    """The rank-th smallest value (1-based), interpolated for a fractional rank."""
    if rank < 1 or rank > len(sorted_values):
        return math.nan
    below = int(math.floor(rank))
    fraction = rank - below
    value = sorted_values[below - 1]
    if fraction > 0:
        value = value + fraction * (sorted_values[below] - value)
    return float(value)


@dataclass(frozen=True)
class TrendResult:
    """Mann-Kendall and Sen's slope on one weekly series; slope in units per week."""

    outcome: str  # 'issues' or 'content_items'
    n: int  # weeks
    s: int
    var_s: float
    z: float
    p_value: float
    tau: float
    slope: float
    slope_ci_low: float
    slope_ci_high: float
    first_week: str = ""
    last_week: str = ""


def trend_test(weekly: pd.DataFrame, outcome: str = "issues", conf: float = 0.95) -> TrendResult:
    """Mann-Kendall test and Sen's slope of ``weekly[outcome]`` in week order (one group)."""
    ordered = weekly.sort_values("week_start")
    values = ordered[outcome].astype("float64").to_numpy()
    mk = mann_kendall(values)
    sen = sens_slope(values, conf=conf)
    weeks = ordered["iso_week"] if "iso_week" in ordered.columns else pd.Series([], dtype=str)
    return TrendResult(outcome, mk.n, mk.s, mk.var_s, mk.z, mk.p_value, mk.tau, sen.slope,
                       sen.ci_low, sen.ci_high,
                       str(weeks.iloc[0]) if len(weeks) else "",
                       str(weeks.iloc[-1]) if len(weeks) else "")


_OUTCOME_WORDS = {
    "issues": {"id": ("isu hoaks", "isu"), "en": ("hoax issues", "issues")},
    "content_items": {"id": ("konten hoaks", "konten"),
                      "en": ("hoax content items", "items")},
}


def describe_trend(result: TrendResult, lang: str = "id", alpha: float = 0.05) -> str:
    """One plain-language sentence on the trend, in Indonesian ('id') or English ('en'); never
    shows NaN, and words the result as association in time, not cause."""
    lang = i18n.normalize_lang(lang)
    what, unit = _OUTCOME_WORDS.get(result.outcome, _OUTCOME_WORDS["issues"])[lang]
    weeks = i18n.format_number(result.n, 0, lang)
    if result.n < 3 or not math.isfinite(result.p_value) or not math.isfinite(result.slope):
        return (f"Data mingguan belum cukup ({weeks} minggu) untuk menilai tren jumlah {what}."
                if lang == "id" else
                f"Too few weeks of data ({weeks}) to assess a trend in the number of {what}.")
    slope = _signed(result.slope, lang)
    interval = ""
    if math.isfinite(result.slope_ci_low) and math.isfinite(result.slope_ci_high):
        low, high = _signed(result.slope_ci_low, lang), _signed(result.slope_ci_high, lang)
        interval = (f"; IK 95% {low} hingga {high}" if lang == "id"
                    else f"; 95% CI {low} to {high}")
    p = _format_p(result.p_value, lang)
    clear = result.p_value < alpha and result.s != 0
    if lang == "id":
        if clear:
            direction = "naik" if result.s > 0 else "turun"
            head = f"Selama {weeks} minggu, jumlah {what} per minggu cenderung {direction}"
        else:
            head = (f"Selama {weeks} minggu, tidak tampak tren yang jelas dalam jumlah {what} "
                    "per minggu")
        return (f"{head} (kemiringan Sen {slope} {unit} per minggu{interval}; uji Mann-Kendall "
                f"p {p}). Ini menggambarkan keterkaitan dengan waktu, bukan bukti sebab-akibat.")
    if clear:
        direction = "rise" if result.s > 0 else "fall"
        head = f"Over {weeks} weeks, the weekly number of {what} tended to {direction}"
    else:
        head = f"Over {weeks} weeks, there is no clear trend in the weekly number of {what}"
    return (f"{head} (Sen's slope {slope} {unit} per week{interval}; Mann-Kendall test p {p}). "
            "This describes an association with time, not evidence of cause.")


def _signed(x: float, lang: str) -> str:
    text = i18n.format_number(x, 2 if abs(x) < 10 else 1, lang)
    return ("+" + text) if x > 0 and text.strip("0,.") else text


def _format_p(p: float, lang: str) -> str:
    if p < 0.001:
        return "< " + i18n.format_number(0.001, 3, lang)
    return "= " + i18n.format_number(p, 3, lang)


# ------------------------------------------------------------------------------------------
# Poisson rate comparison: exact conditional test and interval, and the E-test
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RateRatio:
    """(count_after / exposure_after) / (count_before / exposure_before)."""

    count_after: int
    exposure_after: float
    count_before: int
    exposure_before: float
    estimate: float  # inf when nothing before; NaN when nothing at all
    ci_low: float
    ci_high: float  # inf when nothing before
    p_value: float  # exact conditional (binomial), two-sided, doubled smaller tail
    p_value_etest: float  # Krishnamoorthy & Thomson (2004) E-test, two-sided


def poisson_rate_ratio(count_after: int, exposure_after: float, count_before: int,
                       exposure_before: float, conf: float = 0.95) -> RateRatio:
    """Ratio of two Poisson rates with the exact conditional interval and test.

    Given the total N = x1 + x0, x1 is Binomial(N, pi) with pi = R t1 / (R t1 + t0), R the rate
    ratio (Przyborowski & Wilenski 1940; Breslow & Day 1987, section 7.2). The Clopper-Pearson
    limits for pi map to R = pi / (1 - pi) * t0 / t1; the p-value doubles the smaller binomial
    tail at pi0 = t1 / (t0 + t1), so it agrees with the interval (p < 1 - conf exactly when the
    interval excludes 1). The E-test p-value is given beside it.
    """
    x1, x0 = int(count_after), int(count_before)
    t1, t0 = float(exposure_after), float(exposure_before)
    if x1 < 0 or x0 < 0 or t1 <= 0 or t0 <= 0:
        raise ValueError("counts must be >= 0 and exposures > 0")
    total = x1 + x0
    alpha = 1 - conf
    etest = poisson_e_test(x1, t1, x0, t0)[1]
    if total == 0:
        return RateRatio(x1, t1, x0, t0, math.nan, 0.0, math.inf, 1.0, etest)
    pi_low = 0.0 if x1 == 0 else float(stats.beta.ppf(alpha / 2, x1, total - x1 + 1))
    pi_high = 1.0 if x1 == total else float(stats.beta.ppf(1 - alpha / 2, x1 + 1, total - x1))
    scale = t0 / t1

    def to_ratio(pi: float) -> float:
        return math.inf if pi >= 1 else pi / (1 - pi) * scale

    pi0 = t1 / (t0 + t1)
    tails = 2 * min(stats.binom.cdf(x1, total, pi0), stats.binom.sf(x1 - 1, total, pi0))
    estimate = math.inf if x0 == 0 else (x1 / t1) / (x0 / t0)
    return RateRatio(x1, t1, x0, t0, estimate, to_ratio(pi_low), to_ratio(pi_high),
                     float(min(1.0, tails)), etest)


def poisson_e_test(k1: int, n1: float, k2: int, n2: float, diff: float = 0.0,
                   alternative: str = "two-sided") -> tuple[float, float]:
    """The E-test of Krishnamoorthy & Thomson (2004) for lambda1 - lambda2 = diff, with k1, k2
    events in exposures n1, n2: (statistic, p-value), as scipy.stats.poisson_means_test.

    T = (k1/n1 - k2/n2 - diff) / sqrt(k1/n1^2 + k2/n2^2) (their eq. 3.3); the p-value sums the
    Poisson probabilities of every (x1, x2) whose T is at least as extreme, with the means
    estimated under the null (eq. 3.4-3.5). A pair with T undefined (0/0) never counts.

    Why not scipy.stats.poisson_means_test itself (scipy 1.17.1): it computes the observed T
    with k/n^2 and the T of every (x1, x2) in its sum with (x/n)/n, which round differently, so
    for some counts the observed outcome (and its mirror image) falls outside "at least as
    extreme" and its probability is lost: with two 7-day windows, 484 of the 10,200 pairs of
    counts 0-100 get a smaller p-value, by up to 0.017 (14 against 19 issues: 0.380 instead of
    0.393; statsmodels' E-test gives 0.393). Here the observed T and the sum's come from one
    expression; elsewhere the two agree to 1e-7 (tests/test_analysis_hoax.py).
    """
    if alternative not in ("two-sided", "less", "greater"):
        raise ValueError("alternative must be 'two-sided', 'less' or 'greater'")
    lambda2 = (k1 + k2) / (n1 + n2) - diff * n1 / (n1 + n2)
    if lambda2 <= 0:  # the null cannot be rejected (K&T 2004, p. 26)
        return 0.0, 1.0
    observed = (k1 / n1 - k2 / n2 - diff) / math.sqrt(k1 / n1 ** 2 + k2 / n2 ** 2) \
        if k1 + k2 > 0 else 0.0
    mu1, mu2 = n1 * (lambda2 + diff), n2 * lambda2

    def support(mu: float) -> np.ndarray:
        return np.arange(0, int(math.ceil(mu + 12 * math.sqrt(mu) + 30)) + 1)

    x1 = support(mu1)
    x2 = support(mu2)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = (x1 / n1 - x2 / n2 - diff) / np.sqrt(x1 / n1 ** 2 + x2 / n2 ** 2)
    if alternative == "two-sided":
        extreme = np.abs(t) >= abs(observed)
    elif alternative == "less":
        extreme = t <= observed
    else:
        extreme = t >= observed
    probability = stats.poisson.pmf(x1, mu1) * stats.poisson.pmf(x2, mu2)
    return float(observed), float(min(1.0, probability[extreme].sum()))


def wave_rate_ratios(register: pd.DataFrame, waves: pd.DataFrame, k: int = 7, *,
                     start: object = None, end: object = None, channel: str | None = "sms",
                     election_only: bool = True, conf: float = 0.95) -> pd.DataFrame:
    """Hoax issues in the k days before each wave against the k days from the wave day on.

    before = [d - k, d - 1], after = [d, d + k - 1] (the wave day counts as after: the blast
    goes out that day). Days outside the register's coverage (``start``..``end``, default its
    first and last day) are left out of both the count and the exposure. Waves on the same day
    are one comparison. The last row, group 'all_waves', pools every wave: the summed counts
    over the summed exposures. Windows of waves less than k days apart overlap, so an issue can
    count for two waves; the pooled ratio is a summary, not an independent replication.

    Columns: group, wave_date, before, after, days_before, days_after, estimate, ci_low,
    ci_high, p_value (exact conditional), p_value_etest.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    reg = _prepared(register, election_only)
    first, last = _coverage(reg, start, end)  # NaT for an empty register: no day is inside
    chosen = waves
    if channel and "channel" in waves.columns:
        chosen = waves[waves["channel"].astype("string").str.lower() == channel]
    dates = pd.to_datetime(chosen["sent_date"]).dt.normalize()
    by_date = (pd.DataFrame({"wave_id": chosen["wave_id"].astype("string").to_numpy(),
                             "day": dates.to_numpy()})
               .dropna().groupby("day", sort=True)["wave_id"].agg(lambda s: "+".join(sorted(s))))
    rows = []
    totals = [0, 0.0, 0, 0.0]
    for day, label in by_date.items():
        before_days = pd.date_range(day - pd.Timedelta(days=k), day - pd.Timedelta(days=1))
        after_days = pd.date_range(day, day + pd.Timedelta(days=k - 1))
        # only the start can cut the days before and the end the days after: a wave with a
        # day before it past the end (or after it before the start) has an empty other window
        before_days = before_days[before_days >= first]
        after_days = after_days[after_days <= last]
        if len(before_days) == 0 or len(after_days) == 0:
            continue  # the wave falls outside the register's coverage
        before = int(reg["day"].isin(before_days).sum())
        after = int(reg["day"].isin(after_days).sum())
        rr = poisson_rate_ratio(after, len(after_days), before, len(before_days), conf)
        rows.append(_rate_row(label, day, rr))
        totals = [totals[0] + after, totals[1] + len(after_days), totals[2] + before,
                  totals[3] + len(before_days)]
    if rows:
        pooled = poisson_rate_ratio(totals[0], totals[1], totals[2], totals[3], conf)
        rows.append(_rate_row("all_waves", pd.NaT, pooled))
    return pd.DataFrame(rows, columns=["group", "wave_date", "before", "after", "days_before",
                                       "days_after", "estimate", "ci_low", "ci_high",
                                       "p_value", "p_value_etest"])


def _rate_row(group: str, day: object, rr: RateRatio) -> dict[str, object]:
    return {"group": group, "wave_date": day, "before": rr.count_before,
            "after": rr.count_after, "days_before": rr.exposure_before,
            "days_after": rr.exposure_after, "estimate": rr.estimate, "ci_low": rr.ci_low,
            "ci_high": rr.ci_high, "p_value": rr.p_value, "p_value_etest": rr.p_value_etest}


# ------------------------------------------------------------------------------------------
# Survey: saw / believed a hoax, SMS recipients against non-recipients
# ------------------------------------------------------------------------------------------

def _answers(series: pd.Series) -> pd.Series:
    """'yes' / 'no' / 'dont_know' / NA from the survey's spellings."""
    key = series.astype("string").str.strip().str.lower().str.replace("-", "_")
    out = pd.Series(pd.NA, index=series.index, dtype="string")
    out = out.mask(key.isin(_YES), "yes").mask(key.isin(_NO), "no")
    return out.mask(key.isin(_DONT_KNOW) | key.str.replace(" ", "_").isin(_DONT_KNOW),
                    "dont_know")


def survey_hoax_comparison(survey: pd.DataFrame, conf: float = 0.95) -> pd.DataFrame:
    """Weighted share who saw a hoax and who believed one, among SMS recipients and
    non-recipients, and their difference (recipients minus non-recipients).

    Shares use the ``weight`` column with a Wilson interval on Kish's effective n; the
    difference has Newcombe's hybrid score interval and the p-value of the chi-square with the
    first-order Rao-Scott correction (``dashboard.analysis.survey_stats.weighted_chi_square``).
    'dont_know' answers are left out and counted (dont_know); so are respondents who do not
    know whether they received the SMS (recipient_unknown, the same on every row). An
    association, not the effect of the SMS.

    Columns: outcome, group, estimate, ci_low, ci_high, p_value (difference rows only), n
    (respondents used), n_effective, dont_know, recipient_unknown.
    """
    received = _answers(survey["received_sms"])
    weight = pd.to_numeric(survey["weight"], errors="coerce").astype("float64")  # NA -> NaN
    known = received.isin(["yes", "no"])
    recipient_unknown = int((~known).sum())
    rows = []
    for outcome in SURVEY_OUTCOMES:
        answer = _answers(survey[outcome])
        parts = {}
        for group, value in (("sms_recipient", "yes"), ("non_recipient", "no")):
            in_group = (received == value).fillna(False)
            answered = in_group & answer.isin(["yes", "no"]) & weight.gt(0)
            dont_know = int((in_group & (answer == "dont_know").fillna(False)).sum())
            y = (answer[answered] == "yes").astype("float64")
            try:
                share = weighted_proportion(y.to_numpy(), weight[answered].to_numpy(), conf)
            except NotEnoughData:
                share = None
            parts[group] = share
            rows.append({"outcome": outcome, "group": group,
                         "estimate": share.estimate if share else math.nan,
                         "ci_low": share.ci_low if share else math.nan,
                         "ci_high": share.ci_high if share else math.nan,
                         "p_value": math.nan, "n": int(answered.sum()),
                         "n_effective": share.n_eff if share else 0.0,
                         "dont_know": dont_know, "recipient_unknown": recipient_unknown})
        both = known & answer.isin(["yes", "no"]) & weight.gt(0)
        difference = {"outcome": outcome, "group": "difference", "estimate": math.nan,
                      "ci_low": math.nan, "ci_high": math.nan, "p_value": math.nan,
                      "n": int(both.sum()), "n_effective": math.nan,
                      "dont_know": int((known & (answer == "dont_know").fillna(False)).sum()),
                      "recipient_unknown": recipient_unknown}
        if parts["sms_recipient"] and parts["non_recipient"]:
            d, low, high = difference_of_proportions(parts["sms_recipient"],
                                                     parts["non_recipient"], conf)
            difference.update(estimate=d, ci_low=low, ci_high=high,
                              n_effective=parts["sms_recipient"].n_eff
                              + parts["non_recipient"].n_eff)
            try:
                chi = weighted_chi_square(received[both].to_numpy(), answer[both].to_numpy(),
                                          weight[both].to_numpy())
                difference["p_value"] = chi.p_value
            except NotEnoughData:
                pass
        rows.append(difference)
    return pd.DataFrame(rows)  # every row has the columns above, in that order


# ------------------------------------------------------------------------------------------
# All tests in one tidy table
# ------------------------------------------------------------------------------------------

def hoax_tests(register: pd.DataFrame, waves: pd.DataFrame | None = None, *, k: int = 7,
               start: object = None, end: object = None, survey: pd.DataFrame | None = None,
               by_theme: bool = True, channel: str | None = "sms", election_only: bool = True,
               conf: float = 0.95) -> pd.DataFrame:
    """Every hoax test as one tidy table: test, group, outcome, estimate, ci_low, ci_high,
    p_value, p_adjusted (Benjamini-Hochberg across all rows with a p-value), n.

    - mann_kendall_sen: trend of the weekly series (group 'all', and each theme when
      ``by_theme``); estimate = Sen's slope per week with its interval, p = Mann-Kendall,
      n = weeks;
    - wave_rate_ratio / wave_rate_ratio_pooled: issues in the k days from each wave against the
      k days before (see ``wave_rate_ratios``); n = issues in both windows;
    - survey_difference (with ``survey``): recipients minus non-recipients in the share who saw /
      believed a hoax; n = respondents used.

    All of them are associations in time or between groups, not effects of the SMS blast.
    """
    rows: list[dict[str, object]] = []
    weekly = weekly_counts(register, start, end, election_only=election_only)
    for outcome in ("issues", "content_items"):
        if len(weekly):
            rows.append(_trend_row("all", trend_test(weekly, outcome, conf)))
    if by_theme and "theme" in register.columns and len(weekly):
        themed = weekly_counts(register, start, end, by="theme", election_only=election_only)
        for theme, part in themed.groupby("theme"):
            rows.append(_trend_row(str(theme), trend_test(part, "issues", conf)))
    if waves is not None and len(waves):
        ratios = wave_rate_ratios(register, waves, k, start=start, end=end, channel=channel,
                                  election_only=election_only, conf=conf)
        for r in ratios.itertuples(index=False):
            rows.append({"test": "wave_rate_ratio_pooled" if r.group == "all_waves"
                         else "wave_rate_ratio", "group": r.group,
                         "outcome": f"issues_{k}d_after_vs_before", "estimate": r.estimate,
                         "ci_low": r.ci_low, "ci_high": r.ci_high, "p_value": r.p_value,
                         "n": int(r.before + r.after)})
    if survey is not None and len(survey):
        comparison = survey_hoax_comparison(survey, conf)
        for r in comparison[comparison["group"] == "difference"].itertuples(index=False):
            rows.append({"test": "survey_difference",
                         "group": "sms_recipient_minus_non_recipient", "outcome": r.outcome,
                         "estimate": r.estimate, "ci_low": r.ci_low, "ci_high": r.ci_high,
                         "p_value": r.p_value, "n": int(r.n)})
    table = pd.DataFrame(rows, columns=TEST_COLUMNS)
    table["p_adjusted"] = benjamini_hochberg(table["p_value"].to_numpy())
    table["n"] = table["n"].astype("int64")
    for column in ("estimate", "ci_low", "ci_high", "p_value", "p_adjusted"):
        table[column] = table[column].astype("float64")
    return table[TEST_COLUMNS]


def _trend_row(group: str, result: TrendResult) -> dict[str, object]:
    return {"test": "mann_kendall_sen", "group": group, "outcome": f"weekly_{result.outcome}",
            "estimate": result.slope, "ci_low": result.slope_ci_low,
            "ci_high": result.slope_ci_high, "p_value": result.p_value, "n": result.n}
