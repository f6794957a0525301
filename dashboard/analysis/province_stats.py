"""Province-level association between campaign exposure and an election outcome.

With 34 units (2024 compared with 2019 on the 2019 provinces) every method reports n, an
interval and a p-value; the resampling methods use a fixed seed, so a page shows the same
numbers on every run. These are associations between provinces, not effects on voters.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.regression.linear_model import RegressionResultsWrapper

DEFAULT_SEED = 20240214  # election day: any fixed seed would do
DEFAULT_RESAMPLES = 9_999
MIN_PROVINCES = 3
MIN_PROVINCES_OLS = 5  # 3 coefficients; HC3 needs residual degrees of freedom to spare
# Below this, spearman gives no bootstrap interval: with so few provinces most resamples
# repeat provinces and the percentile interval covers far less than its level (see spearman).
MIN_PROVINCES_BOOTSTRAP = 6
NO_BOOTSTRAP_INTERVAL = "no interval: too few provinces for a bootstrap interval"
# Papua highland provinces where the noken (community/proxy) system is used and turnout is
# near or above 100%: Papua Tengah (94) and Papua Pegunungan (95) in the 38 provinces of 2024;
# in the 34 units of 2019 both lie inside Papua (91).
NOKEN_2024_UNITS = frozenset({94, 95})
NOKEN_2019_UNITS = frozenset({91})
SPLIT_PROVINCES = frozenset({93, 94, 95, 96})


class NotEnoughData(ValueError):
    """Too few provinces (or respondents) with data, or no variation: a result would be
    meaningless, so none is computed."""


@dataclass(frozen=True)
class StatResult:
    """One test: the effect with its interval first, then the p-value, n and a method note."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    note: str = ""


def noken_flags(province_codes: Iterable[int | None], units: str | None = None) -> np.ndarray:
    """True for the noken provinces. units '2019' (34 units: Papua 91), '2024' (38 provinces:
    94, 95) or None to infer: a frame holding any of 93..96 is in 2024 units."""
    codes = pd.array(list(province_codes), dtype="Int64")
    if units is None:
        units = "2024" if bool(pd.Series(codes).isin(SPLIT_PROVINCES).any()) else "2019"
    if units not in ("2019", "2024"):
        raise ValueError("units must be '2019' or '2024'")
    noken = NOKEN_2019_UNITS if units == "2019" else NOKEN_2024_UNITS
    return pd.Series(codes).isin(noken).to_numpy(dtype=bool)


def _complete(*columns: object) -> list[np.ndarray]:
    """The columns as float arrays, keeping only rows where every column is finite."""
    arrays = [as_floats(c) for c in columns]
    lengths = {a.size for a in arrays}
    if len(lengths) != 1:
        raise ValueError("all inputs must have the same length")
    keep = np.logical_and.reduce([np.isfinite(a) for a in arrays])
    return [a[keep] for a in arrays]


def as_floats(column: object) -> np.ndarray:
    """A column (array, Series, list) as a float64 array, what is not a number NaN (pd.NA
    included). A float array is taken as it is: through pandas it took half of the
    Partisipasi page's tests (five calls per test)."""
    if isinstance(column, np.ndarray) and column.dtype.kind == "f":
        return column.astype(np.float64)
    return np.asarray(pd.to_numeric(pd.Series(column), errors="coerce").astype("float64")
                      .to_numpy(na_value=np.nan), dtype=float)


def _check_enough(n: int, minimum: int = MIN_PROVINCES, what: str = "provinces") -> None:
    if n < minimum:
        raise NotEnoughData(f"{n} {what} with complete data; at least {minimum} are needed")


def _check_variation(**named: np.ndarray) -> None:
    for name, values in named.items():
        if np.ptp(values) == 0:
            raise NotEnoughData(f"{name} has the same value in every province: no correlation "
                                "can be computed")


def _z_crit(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def fisher_z_interval(r: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Interval for a correlation: z = atanh(r) is near normal with SE 1/sqrt(n - 3).
    n may be an effective (non-integer) sample size; with n <= 3 nothing is known: (-1, 1)."""
    crit = _z_crit(confidence)
    if not math.isfinite(r):
        return (math.nan, math.nan)
    if n <= 3:
        return (-1.0, 1.0)
    if abs(r) >= 1:
        return (float(np.sign(r)), float(np.sign(r)))
    z, half = math.atanh(r), crit / math.sqrt(n - 3)
    return (math.tanh(z - half), math.tanh(z + half))


def weighted_correlation(x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> float:
    """Pearson correlation with weighted means, variances and covariance."""
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    xc, yc = x - w @ x, y - w @ y
    return float((w @ (xc * yc)) / math.sqrt((w @ xc**2) * (w @ yc**2)))


def kish_effective_n(weights: np.ndarray) -> float:
    """Kish's effective sample size (sum w)^2 / sum w^2: n for equal weights, less otherwise."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum())


def _permuted_correlations(x: np.ndarray, y: np.ndarray, weights: np.ndarray,
                           n_resamples: int, seed: int) -> np.ndarray:
    """Weighted correlation of x with n_resamples random permutations of y, all at once.
    x and the weights stay together (they describe the province); only y moves."""
    w = weights / weights.sum()
    xc = x - w @ x
    permuted, var_y = _permuted_outcome(y.tobytes(), w.tobytes(), n_resamples, seed)
    cov = permuted @ (w * xc)  # the mean of y drops out because sum(w * xc) = 0
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / np.sqrt((w @ xc**2) * var_y)


@functools.lru_cache(maxsize=16)
def _permuted_outcome(values: bytes, weights: bytes, n_resamples: int,
                      seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The permuted copies of y (float64 values, as bytes: hashable) and the weighted variance
    of each. A page tests each outcome against every exposure with the same shuffles, so only
    the covariance depends on the exposure: these were a third of the province tests' time
    (the same numbers, computed once). Read-only, at most 16 x 3 MB."""
    y, w = np.frombuffer(values, dtype=np.float64), np.frombuffer(weights, dtype=np.float64)
    permuted = y[_permutations(n_resamples, y.size, seed)]
    my = permuted @ w
    var_y = (permuted**2) @ w - my**2
    permuted.flags.writeable = var_y.flags.writeable = False
    return permuted, var_y


@functools.lru_cache(maxsize=8)
def _permutations(n_resamples: int, size: int, seed: int) -> np.ndarray:
    """n_resamples independent uniform permutations of range(size), one per row (argsort of
    uniform noise). They depend only on the arguments, so a page's 16 permutation tests on
    the same provinces share one matrix; read-only, so no caller can change it."""
    rng = np.random.default_rng(seed)
    order = np.argsort(rng.random((n_resamples, size)), axis=1)
    order.flags.writeable = False
    return order


@functools.lru_cache(maxsize=8)
def _bootstrap_picks(n_resamples: int, size: int, seed: int) -> np.ndarray:
    """n_resamples draws of size indices with replacement, one resample per row (read-only,
    shared like _permutations)."""
    picks = np.random.default_rng(seed).integers(0, size, size=(n_resamples, size))
    picks.flags.writeable = False
    return picks


@functools.lru_cache(maxsize=16)
def _bootstrap_ranks(values: bytes, n_resamples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """resampled_ranks of float64 values (as bytes: hashable) over the shared bootstrap
    picks, centred on each row's mean, with each row's sum of squares: the parts of a
    resample's correlation that do not depend on its partner. A page tests each exposure and
    each outcome against several partners, so the same ranks recur; kept read-only (at most
    16 x 2.7 MB)."""
    array = np.frombuffer(values, dtype=np.float64)
    centred, squares = _centred_rows(
        resampled_ranks(array, _bootstrap_picks(n_resamples, array.size, seed)))
    centred.flags.writeable = squares.flags.writeable = False
    return centred, squares


def _centred_rows(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row minus its mean, and each row's sum of squares after that."""
    centred = a - a.mean(axis=1, keepdims=True)
    return centred, (centred**2).sum(axis=1)


def _row_correlations(a: tuple[np.ndarray, np.ndarray],
                      b: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Pearson correlation of each row of one matrix with the same row of another, both
    given as _centred_rows; NaN for a constant row (no warning)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (a[0] * b[0]).sum(axis=1) / np.sqrt(a[1] * b[1])


def resampled_ranks(values: np.ndarray, picks: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean of their positions, as scipy.stats.rankdata) of
    values[picks] within each row, without sorting each row: every pick is replaced by its
    value's position among the distinct values, counted per row; a value's rank is the
    number of smaller picks plus (its own count + 1) / 2. The same numbers as
    rankdata(values[picks], axis=1), several times faster for many short rows."""
    distinct, code = np.unique(values, return_inverse=True)
    rows, width = picks.shape
    codes = code[picks]
    counts = np.bincount((np.arange(rows)[:, None] * distinct.size + codes).ravel(),
                         minlength=rows * distinct.size).reshape(rows, distinct.size)
    below = np.cumsum(counts, axis=1) - counts
    average = below + (counts + 1) / 2
    return np.take_along_axis(average, codes, axis=1)


def _permutation_p(observed: float, resampled: np.ndarray) -> float:
    """Two-sided Monte Carlo p-value, (1 + as extreme) / (1 + resamples): never 0, valid
    (Phipson & Smyth 2010). A small tolerance keeps exact ties from rounding noise."""
    extreme = np.abs(resampled) >= abs(observed) * (1 - 1e-12) - 1e-12
    return float((1 + np.count_nonzero(extreme)) / (1 + resampled.size))


def permutation_p_value(x: object, y: object, weights: object | None = None,
                        rank: bool = False, n_resamples: int = DEFAULT_RESAMPLES,
                        seed: int = DEFAULT_SEED) -> float:
    """Two-sided permutation p-value for the (weighted) Pearson correlation, or for Spearman's
    rho with rank=True: how often shuffling y across provinces gives a correlation at least as
    far from 0 as the observed one."""
    if n_resamples < 1:
        raise ValueError("n_resamples must be positive")
    if weights is None:
        xs, ys = _complete(x, y)
        ws = np.ones_like(xs)
    else:
        xs, ys, ws = _complete(x, y, weights)
        xs, ys, ws = _positive_weights(xs, ys, ws)
    _check_enough(xs.size)
    _check_variation(exposure=xs, outcome=ys)
    if rank:
        xs, ys = stats.rankdata(xs), stats.rankdata(ys)
    observed = weighted_correlation(xs, ys, ws)
    return _permutation_p(observed, _permuted_correlations(xs, ys, ws, n_resamples, seed))


def _positive_weights(x: np.ndarray, y: np.ndarray,
                      w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if np.any(w < 0):
        raise ValueError("weights must not be negative")
    keep = w > 0  # a zero weight takes the province out of the weighted analysis
    return x[keep], y[keep], w[keep]


def pearson(x: object, y: object, confidence: float = 0.95) -> StatResult:
    """Pearson's r with a Fisher-z interval and the classical t-test p-value (n - 2 df)."""
    xs, ys = _complete(x, y)
    _check_enough(xs.size)
    _check_variation(exposure=xs, outcome=ys)
    r = float(np.clip(np.corrcoef(xs, ys)[0, 1], -1, 1))
    low, high = fisher_z_interval(r, xs.size, confidence)
    p = float(stats.pearsonr(xs, ys).pvalue)
    return StatResult(r, low, high, p, int(xs.size), "Fisher-z interval; t-test p-value")


def pearson_permutation(x: object, y: object, confidence: float = 0.95,
                        n_resamples: int = DEFAULT_RESAMPLES,
                        seed: int = DEFAULT_SEED) -> StatResult:
    """Pearson's r with a Fisher-z interval and a permutation p-value (no normality needed)."""
    base = pearson(x, y, confidence)
    p = permutation_p_value(x, y, n_resamples=n_resamples, seed=seed)
    return StatResult(base.estimate, base.ci_low, base.ci_high, p, base.n,
                      f"Fisher-z interval; permutation p-value ({n_resamples:,} shuffles, "
                      f"seed {seed})")


def spearman(x: object, y: object, confidence: float = 0.95,
             n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> StatResult:
    """Spearman's rho with a percentile bootstrap interval (provinces resampled with
    replacement) and a permutation p-value, both with n_resamples draws and a fixed seed.

    With fewer than MIN_PROVINCES_BOOTSTRAP provinces there is no interval (NaN bounds, the
    note says why): the percentile bootstrap's coverage was measured there (x, y independent
    normal, true rho 0; this function with its defaults, 9,999 draws, seed 20240214; 2,000
    samples per n, numpy default_rng(2); binomial standard error about 0.4-0.8 points):

        n         4     5     6     7     8     9    10    11    12
        coverage 91.3  86.6  97.2  96.5  96.4  96.1  96.4  95.7  95.1   (% at 95%)

    At n = 4 and 5 it covers far less than 95% (and 4 provinces in the same order give the
    interval (1, 1) beside an exact p of 2/24 = 0.083); n = 6 is the smallest n from which it
    is not below 95% by more than the Monte Carlo error (it is conservative there). Checked
    away from 0 too (bivariate normal with r = 0.7, population Spearman 0.683; 1,000 samples
    per n, default_rng(3)): n 5: 92.6, 6: 97.2, 7: 93.8, 8: 96.5, 10: 98.0%. Bonett &
    Wright's (2000) Fisher-z interval, SE sqrt((1 + rho^2 / 2) / (n - 3)), measured on the
    same rho-0 samples, is no rescue at n = 4 (91.3%: it has no interval at |rho| = 1, which
    2 of the 24 orderings give)."""
    _z_crit(confidence)  # validates the level
    xs, ys = _complete(x, y)
    _check_enough(xs.size)
    _check_variation(exposure=xs, outcome=ys)
    rho = float(stats.spearmanr(xs, ys).statistic)
    p = permutation_p_value(xs, ys, rank=True, n_resamples=n_resamples, seed=seed)
    if xs.size < MIN_PROVINCES_BOOTSTRAP:
        return StatResult(rho, math.nan, math.nan, p, int(xs.size),
                          f"{NO_BOOTSTRAP_INTERVAL} ({xs.size} < {MIN_PROVINCES_BOOTSTRAP}); "
                          f"permutation p-value ({n_resamples:,} draws, seed {seed})")
    boot = _row_correlations(_bootstrap_ranks(xs.tobytes(), n_resamples, seed),
                             _bootstrap_ranks(ys.tobytes(), n_resamples, seed))
    boot = boot[np.isfinite(boot)]  # a resample of one repeated province has no rho
    alpha = 1 - confidence
    if boot.size < 2:
        low, high = -1.0, 1.0
    else:
        low, high = (float(v) for v in np.quantile(boot, [alpha / 2, 1 - alpha / 2]))
    # With heavy ties nearly every resample can fall on one side of rho; the interval is
    # widened to reach the estimate rather than exclude it.
    low, high = min(low, rho), max(high, rho)
    return StatResult(rho, low, high, p, int(xs.size),
                      f"percentile bootstrap interval and permutation p-value "
                      f"({n_resamples:,} draws each, seed {seed})")


def weighted_pearson(x: object, y: object, weights: object,
                     confidence: float = 0.95) -> StatResult:
    """Pearson's r weighted by, say, registered voters (DPT): large provinces count more.

    Interval and p-value both come from Fisher's z on Kish's effective number of provinces
    n_eff = (sum w)^2 / sum w^2 (z = atanh(r) * sqrt(n_eff - 3)), so they always agree with
    each other. Equal weights give n_eff = n: the unweighted r with its Fisher-z interval.
    The weights are not frequencies: a province is one observation however many voters it
    has, so integer weights reproduce the estimate of duplicated rows but, deliberately, not
    their (over-confident) interval.
    """
    xs, ys, ws = _complete(x, y, weights)
    xs, ys, ws = _positive_weights(xs, ys, ws)
    _check_enough(xs.size)
    _check_variation(exposure=xs, outcome=ys)
    r = float(np.clip(weighted_correlation(xs, ys, ws), -1, 1))
    n_eff = kish_effective_n(ws)
    low, high = fisher_z_interval(r, n_eff, confidence)
    p = fisher_z_p_value(r, n_eff)
    return StatResult(r, low, high, p, int(xs.size),
                      f"weighted; Fisher-z interval and z-test on Kish effective n = "
                      f"{n_eff:.1f}")


def fisher_z_p_value(r: float, n: float) -> float:
    """Two-sided p-value of H0: rho = 0 from Fisher's z with (effective) sample size n. With
    n <= 3 the data carry no information (the interval is (-1, 1)), so p is 1."""
    if not math.isfinite(r):
        return math.nan
    if n <= 3:
        return 1.0
    if abs(r) >= 1:
        return 0.0
    return float(2 * stats.norm.sf(abs(math.atanh(r)) * math.sqrt(n - 3)))


def fit_ols_hc3(y: object, exog: pd.DataFrame | np.ndarray) -> RegressionResultsWrapper:
    """OLS with HC3 (MacKinnon & White 1985) standard errors and t-based intervals and
    p-values: with 30-odd provinces HC3 is the small-sample choice (Long & Ervin 2000) and t
    is more honest than the normal. exog must already hold the constant."""
    return sm.OLS(np.asarray(y, dtype=float), exog).fit(cov_type="HC3", use_t=True)


def ols_change(exposure: object, outcome_2019: object, outcome_2024: object,
               confidence: float = 0.95) -> StatResult:
    """OLS of the change (2024 - 2019) on exposure with the 2019 level as control, HC3 errors.
    The estimate is the slope on exposure: the change in the outcome (in its own unit) that
    goes with one more unit of exposure, between provinces with the same 2019 level."""
    xs, before, after = _complete(exposure, outcome_2019, outcome_2024)
    _check_enough(xs.size, MIN_PROVINCES_OLS)
    _check_variation(exposure=xs)
    exog = np.column_stack([np.ones_like(xs), xs, before])
    if np.linalg.matrix_rank(exog) < exog.shape[1]:
        raise NotEnoughData("exposure and the 2019 baseline are collinear: the regression "
                            "cannot separate them")
    leverage = np.diag(exog @ np.linalg.pinv(exog.T @ exog) @ exog.T)
    if leverage.max() > 1 - 1e-9:
        raise NotEnoughData("one province alone determines the fit (leverage 1): the HC3 "
                            "standard error is undefined")
    fit = fit_ols_hc3(after - before, exog)
    low, high = (float(v) for v in fit.conf_int(alpha=1 - confidence)[1])
    return StatResult(float(fit.params[1]), low, high, float(fit.pvalues[1]), int(xs.size),
                      "OLS of the change on exposure + 2019 level; HC3 errors, t intervals")
