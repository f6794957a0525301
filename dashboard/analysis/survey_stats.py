"""Survey methods for weighted yes/no answers: proportions, differences, chi-square, weighted
logistic regression and power.

Weights are sampling weights (how many people a respondent stands for), not frequencies. The
uncertainty they add is taken into account in three ways:
- proportions, differences and power use Kish's effective sample size
  n_eff = (sum w)^2 / sum w^2 (the design effect of unequal weights; with equal weights it is
  n, so every method reduces to its textbook unweighted form). It ignores any correlation
  between weights and answers;
- the chi-square of independence has the first-order Rao-Scott correction with the design
  effects estimated by linearisation (what R's survey::svychisq(statistic = "Chisq")
  computes), which does catch that correlation; the survey file carries no cluster or stratum
  ids, so each respondent is its own sampling unit (clusters can be given);
- the logistic regression uses the weighted pseudo-likelihood with sandwich (linearisation)
  standard errors, which is what survey software does for a single-stage design.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, optimize, special, stats

from dashboard.analysis.province_stats import NotEnoughData, StatResult, kish_effective_n


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _as_arrays(success: object, weights: object | None) -> tuple[np.ndarray, np.ndarray]:
    """Success indicator (0/1, NaN dropped) and positive finite weights (1 if None)."""
    s = pd.to_numeric(pd.Series(success, dtype="object"), errors="coerce")
    y = s.astype("float64").to_numpy(na_value=np.nan)
    w = (np.ones_like(y) if weights is None
         else pd.to_numeric(pd.Series(weights, dtype="object"), errors="coerce")
         .astype("float64").to_numpy(na_value=np.nan))
    if y.size != w.size:
        raise ValueError("answers and weights must have the same length")
    keep = np.isfinite(y) & np.isfinite(w)
    y, w = y[keep], w[keep]
    if np.any(w <= 0):
        raise ValueError("weights must be positive")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("answers must be 0 or 1 (or missing)")
    return y, w


def wilson_interval(p: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion p observed on (effective) sample size n. It stays
    inside [0, 1] and always contains p (Wilson 1927; Newcombe 1998)."""
    z = _z(confidence)
    if n <= 0 or not math.isfinite(p):
        return (math.nan, math.nan)
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # mathematically low <= p <= high; the min/max only absorb rounding (p = 0 gives 1e-17)
    return (min(max(0.0, centre - half), p), max(min(1.0, centre + half), p))


@dataclass(frozen=True)
class Proportion:
    estimate: float
    ci_low: float
    ci_high: float
    n: int  # respondents with an answer
    n_eff: float  # Kish effective sample size


def weighted_proportion(success: object, weights: object | None = None,
                        confidence: float = 0.95) -> Proportion:
    """Weighted share of 1s, sum(w * y) / sum(w), with a Wilson interval on Kish's n_eff."""
    y, w = _as_arrays(success, weights)
    if y.size == 0:
        raise NotEnoughData("no respondents with an answer")
    # one summation for both sums: with w @ y (BLAS's order) a group that all answered yes
    # came out 0.9999999999999999 on some CPUs (AMD EPYC), not 1
    p = float(np.sum(w * y) / np.sum(w))
    n_eff = kish_effective_n(w)
    low, high = wilson_interval(p, n_eff, confidence)
    return Proportion(p, low, high, int(y.size), n_eff)


def difference_of_proportions(first: Proportion, second: Proportion,
                              confidence: float = 0.95) -> tuple[float, float, float]:
    """first - second with Newcombe's hybrid score interval (Newcombe 1998, method 10), built
    from the two Wilson intervals; it stays inside [-1, 1] and behaves near 0 and 1."""
    for part in (first, second):  # recompute at the requested level
        if part.n_eff <= 0:
            raise NotEnoughData("a group has no respondents")
    l1, u1 = wilson_interval(first.estimate, first.n_eff, confidence)
    l2, u2 = wilson_interval(second.estimate, second.n_eff, confidence)
    d = first.estimate - second.estimate
    low = d - math.sqrt((first.estimate - l1) ** 2 + (u2 - second.estimate) ** 2)
    high = d + math.sqrt((u1 - first.estimate) ** 2 + (second.estimate - l2) ** 2)
    return d, low, high


CHI_SQUARE_METHOD = "first-order Rao-Scott chi-square, design effects by linearisation"


@dataclass(frozen=True)
class ChiSquare:
    statistic: float  # Rao-Scott: pearson / the mean design effect; p_value is its chi-square
    df: int
    p_value: float
    n: int
    n_eff: float  # n / the mean design effect: the statistic is Pearson's X2 at this size
    pearson: float = math.nan  # Pearson X2 on the weighted shares scaled to n (R's X-squared)
    design_effects: tuple[float, ...] = ()  # generalized design effects, largest first
    method: str = CHI_SQUARE_METHOD

    @property
    def mean_design_effect(self) -> float:
        return self.pearson / self.statistic if self.statistic else math.nan

    def note(self) -> str:
        """The method and the numbers, for a table's note column."""
        return (f"{self.method}: X2 = {self.pearson:.2f} / mean design effect "
                f"{self.mean_design_effect:.2f} = {self.statistic:.2f}, df {self.df}")


def weighted_chi_square(rows: object, columns: object, weights: object | None = None,
                        clusters: object | None = None,
                        population_clusters: float | None = None) -> ChiSquare:
    """Chi-square test of independence of two answers in a weighted survey, with the
    first-order Rao-Scott correction (Rao & Scott 1981, 1984) as R's
    survey::svychisq(~rows + columns, design, statistic = "Chisq") computes it.

    X2 is Pearson's statistic on the estimated cell shares p (weighted), scaled to the n
    respondents. Its design effects come from the linearised covariance V of p: with
    u_i = w_i (e_i - p) / sum w (e_i the respondent's cell), summed per sampling unit (each
    respondent without clusters) and centred, V = (1 - f) G / (G - 1) sum_g z_g z_g' over the G
    units (f = G / population_clusters, 0 if not given). The (r - 1)(c - 1) interaction
    contrasts C, orthogonal to the main effects, give the design-effect matrix
    Delta = (C' D^-1 C / n)^-1 (C' D^-1 V D^-1 C), D = diag(p); its eigenvalues are the
    generalized design effects. X2 divided by their mean is referred to chi-square on
    (r - 1)(c - 1) df. With equal weights and no clusters every design effect is n / (n - 1)
    (the with-replacement variance), so the statistic is X2 (n - 1) / n.
    """
    frame = pd.DataFrame({"r": pd.Series(rows, dtype="object").to_numpy(),
                          "c": pd.Series(columns, dtype="object").to_numpy(),
                          "w": 1.0 if weights is None else np.asarray(weights, dtype=float)})
    frame["g"] = (np.arange(len(frame)) if clusters is None
                  else pd.Series(clusters, dtype="object").to_numpy())
    frame = frame.dropna()
    if (frame["w"] <= 0).any():
        raise ValueError("weights must be positive")
    row_codes, row_levels = pd.factorize(frame["r"], sort=True)
    col_codes, col_levels = pd.factorize(frame["c"], sort=True)
    nr, nc = len(row_levels), len(col_levels)
    if nr < 2 or nc < 2:
        raise NotEnoughData("the table needs at least two groups and two answers")
    unit_codes, units = pd.factorize(frame["g"])
    if len(units) < 2:
        raise NotEnoughData("the design needs at least two sampling units")
    n, cells, w = len(frame), nr * nc, frame["w"].to_numpy(dtype=float)
    cell = row_codes + nr * col_codes  # rows vary fastest, as in R
    p = np.bincount(cell, weights=w, minlength=cells) / w.sum()
    table = p.reshape(nc, nr).T * n
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    pearson = float(((table - expected) ** 2 / expected).sum())
    df = (nr - 1) * (nc - 1)

    # per unit: sum of u_i = (its weighted cell totals - p * its weight) / sum w
    g = len(units)
    totals = np.bincount(unit_codes * cells + cell, weights=w, minlength=g * cells)
    z = (totals.reshape(g, cells) - np.outer(np.bincount(unit_codes, weights=w), p)) / w.sum()
    z -= z.mean(axis=0)
    sampled = 0.0 if population_clusters is None else g / float(population_clusters)
    v = (1 - sampled) * g / (g - 1) * (z.T @ z)

    contrasts = _interaction_contrasts(nr, nc)
    inverse_p = np.divide(1.0, p, out=np.zeros_like(p), where=p > 0)
    scaled = contrasts * inverse_p[:, None]  # D^-1 C
    denominator = contrasts.T @ scaled / n
    numerator = scaled.T @ v @ scaled
    try:
        if _singular(denominator):
            raise linalg.LinAlgError("the contrasts' matrix is singular")
        deffs = linalg.eigh(numerator, denominator, eigvals_only=True)[::-1]
    except linalg.LinAlgError:  # no variation left in some contrast
        deffs = np.full(df, math.nan)
    mean_deff = float(deffs.mean())
    if not math.isfinite(mean_deff) or mean_deff <= 0:
        return ChiSquare(math.nan, df, math.nan, n, math.nan, pearson, tuple(map(float, deffs)))
    statistic = pearson / mean_deff
    return ChiSquare(statistic, df, float(stats.chi2.sf(statistic, df)), n, n / mean_deff,
                     pearson, tuple(float(d) for d in deffs))


def _singular(matrix: np.ndarray) -> bool:
    """Whether a symmetric positive semi-definite matrix is computationally singular as R's
    solve() judges it (reciprocal condition number below machine epsilon; here the 2-norm's,
    from the eigenvalues). eigh's Cholesky alone passed a singular one on some CPUs: an
    eigenvalue of -3e-30 beside 0.2 (AMD EPYC), and the design effects were noise."""
    eigenvalues = np.linalg.eigvalsh(matrix)  # ascending; none positive: singular too
    return bool(eigenvalues[0] <= np.finfo(float).eps * eigenvalues[-1])


def _interaction_contrasts(nr: int, nc: int) -> np.ndarray:
    """The (nr - 1)(nc - 1) row x column interaction columns over the nr * nc cells (rows
    varying fastest) with the main effects (intercept, rows, columns) projected out, as R's
    qr.resid(qr(X1), X12) in svychisq: the directions of departure from independence."""
    row = np.tile(np.arange(nr), nc)
    col = np.repeat(np.arange(nc), nr)
    rows = (row[:, None] == np.arange(1, nr)).astype(float)
    cols = (col[:, None] == np.arange(1, nc)).astype(float)
    main = np.column_stack([np.ones(nr * nc), rows, cols])
    interaction = (rows[:, :, None] * cols[:, None, :]).reshape(nr * nc, -1)
    fitted = main @ np.linalg.lstsq(main, interaction, rcond=None)[0]
    return interaction - fitted


@dataclass(frozen=True)
class LogitResult:
    odds_ratio: StatResult
    marginal_effect: StatResult
    params: pd.Series
    cov: pd.DataFrame


@dataclass(frozen=True)
class LogitFit:
    """A fitted weighted logit: coefficients, sandwich covariance and what goes with them,
    named as statsmodels' results are (params, bse, pvalues, cov_params(), fittedvalues)."""

    params: pd.Series
    bse: pd.Series
    pvalues: pd.Series
    covariance: pd.DataFrame
    fittedvalues: pd.Series
    iterations: int
    last_step: pd.Series  # each coefficient's change in the last iteration

    def cov_params(self) -> pd.DataFrame:
        return self.covariance


LOGIT_TOLERANCE = 1e-8  # on the change of the deviance, as statsmodels' IRLS (atol, rtol 0)
LOGIT_MAX_ITERATIONS = 100
# A coefficient still moving this much (logit scale) when the deviance has stopped changing
# has no finite estimate: its group's answers are separated, and each step only pushes its
# fitted probabilities nearer 0 or 1. A converged coefficient moves by less than 1e-6.
SEPARATED_STEP = 1e-3


def _exp(x: float) -> float:
    """exp, with +inf beyond the float range (an interval's end on the odds-ratio scale); NaN
    stays NaN (it used to fail `x < 709` and become +inf, an interval excluding its estimate)."""
    if math.isnan(x):
        return math.nan
    return math.exp(x) if x < 709.0 else math.inf


# The largest exposure component of a separating direction within the box [-1, 1]: a vertex
# of a polytope of 0/1 design rows, of order 1 when not 0 (exactly 1 in every separated case
# of tests/test_survey_stats.py); HiGHS solves to a feasibility tolerance of 1e-7.
SEPARATION_TOLERANCE = 1e-6


def _exposure_separated(x: np.ndarray, sums: _CellSums, column: int) -> bool:
    """Whether the exposure's coefficient has no finite maximum-likelihood estimate: some
    direction b with b[column] != 0 along which the likelihood never decreases (complete or
    quasi-complete separation, Albert & Anderson 1984), found by linear programming as in
    Konis (2007, "Linear programming algorithms for detecting separated data in binary logistic
    regression models", DPhil thesis, Oxford; R's safeBinaryRegression / detectseparation).

    Such directions form the cone C = {b : x_i'b >= 0 for cells where everyone answered yes,
    x_i'b <= 0 where everyone answered no, x_i'b = 0 where answers are mixed}; with a design
    of full rank the coefficients that run off to infinity are exactly those on which some b
    in C is not 0 (the span of C is where the fit is not identified). So two LPs over C within
    the box [-1, 1]: the largest and the smallest exposure component. Unlike the exposure's
    last Newton step, this does not depend on how the divergence is shared with the intercept
    and the controls (two non-recipients who both voted, absorbed by age bands in which
    everyone voted, left the step at 1e-6 and the sandwich variance at -712)."""
    yes, no = sums.weight_yes > 0, sums.weight > sums.weight_yes
    upper = np.concatenate([-x[yes & ~no], x[no & ~yes]])  # -x'b <= 0 (yes), x'b <= 0 (no)
    mixed = x[yes & no]
    for sign in (1.0, -1.0):  # minimise -b and b: the largest and smallest exposure component
        objective = np.zeros(x.shape[1])
        objective[column] = -sign
        solution = optimize.linprog(
            objective, A_ub=upper if len(upper) else None,
            b_ub=np.zeros(len(upper)) if len(upper) else None,
            A_eq=mixed if len(mixed) else None, b_eq=np.zeros(len(mixed)) if len(mixed) else None,
            bounds=(-1.0, 1.0), method="highs")
        if solution.status != 0 or -solution.fun > SEPARATION_TOLERANCE:
            return True  # no LP answer is no evidence of a finite estimate: refuse
    return False


def fit_weighted_logit(y: np.ndarray, exog: pd.DataFrame,
                       weights: np.ndarray | None = None) -> LogitFit:
    """Weighted logistic regression: the weighted pseudo-likelihood solved by Newton-Raphson,
    with sandwich (HC0) covariance; the same estimates as statsmodels
    GLM(family=Binomial(), var_weights=w).fit(cov_type="HC0") (tests/test_survey_stats.py
    checks them against it), ten times faster: Newton solves the 52 x 52 system X'WX where
    statsmodels' IRLS runs a least-squares SVD of the whole design each step (370 ms against
    32 ms on the sample survey, one thread), and the Partisipasi page fits two per view.

    The estimating equations sum(w_i (y_i - mu_i) x_i) = 0 are the weighted
    pseudo-likelihood of survey practice; frequency weights would give the same coefficients
    but model-based errors as if each respondent were w_i identical people, far too small.
    The sandwich bread^-1 meat bread^-1 with meat = sum((w_i (y_i - mu_i))^2 x_i x_i') is the
    Taylor-linearisation variance of a with-replacement single-stage design (the n/(n-1)
    factor of survey packages is left out: it is negligible at survey sizes). Quasi-separation
    in a small group's dummy lets that coefficient grow until the deviance stops changing;
    it does not affect the exposure term.
    """
    y = np.asarray(y, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    x = exog.to_numpy(dtype=float)
    beta, cov, mu, iterations, step = _fit_cells(x, _CellSums.of(y, w))
    names = exog.columns
    return LogitFit(*_named_estimates(beta, cov, names), pd.DataFrame(cov, index=names,
                                                                      columns=names),
                    pd.Series(mu, index=exog.index), iterations,
                    pd.Series(step, index=names))


@dataclass(frozen=True)
class _CellSums:
    """Per covariate cell (respondents with the same row of the design): the sums of their
    weights w and w^2, and of those of the yes answers. They are all the weighted
    pseudo-likelihood, its score and the sandwich's meat need of the answers, so a fit on
    cells equals the fit on respondents: the page's 5,000 respondents are about 1,300 cells."""

    weight: np.ndarray
    weight_yes: np.ndarray
    squared: np.ndarray
    squared_yes: np.ndarray

    @classmethod
    def of(cls, y: np.ndarray, w: np.ndarray, cell: np.ndarray | None = None,
           cells: int = 0) -> _CellSums:
        """Sums per cell (cell: each respondent's cell number; None: one cell each) of the
        weights scaled to mean 1: their scale changes neither estimate nor sandwich, and so
        the deviance the fit stops on has the scale of statsmodels' (var_weights)."""
        w = w / w.mean()
        columns = (w, w * y, w * w, w * w * y)
        if cell is None:
            return cls(*columns)
        return cls(*(np.bincount(cell, weights=c, minlength=cells) for c in columns))


def _fit_cells(x: np.ndarray, sums: _CellSums) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                         int, np.ndarray]:
    """Newton-Raphson on the cells' design rows x: coefficients, sandwich covariance, fitted
    probabilities per cell, iterations and the last step (see fit_weighted_logit)."""
    beta = np.zeros(x.shape[1])
    deviance, iterations = math.inf, 0
    while iterations < LOGIT_MAX_ITERATIONS:
        iterations += 1
        mu = special.expit(x @ beta)
        information = (x * (sums.weight * mu * (1 - mu))[:, None]).T @ x
        step = linalg.lstsq(information, x.T @ (sums.weight_yes - sums.weight * mu))[0]
        beta = beta + step
        mu = special.expit(x @ beta)
        # xlogy: 0 log 0 = 0 where a fitted probability reaches 0 or 1 (separation)
        new_deviance = -2 * float(np.sum(special.xlogy(sums.weight_yes, mu) + special.xlogy(
            sums.weight - sums.weight_yes, 1 - mu)))
        if abs(new_deviance - deviance) <= LOGIT_TOLERANCE:
            break
        deviance = new_deviance
    bread = linalg.pinvh((x * (sums.weight * mu * (1 - mu))[:, None]).T @ x)
    # sum over a cell's respondents of (w (y - mu))^2, as two sums of squares (no cancellation)
    meat_weights = (sums.squared_yes * (1 - mu) ** 2
                    + (sums.squared - sums.squared_yes) * mu ** 2)
    cov = bread @ ((x * meat_weights[:, None]).T @ x) @ bread
    return beta, cov, mu, iterations, step


def _named_estimates(beta: np.ndarray, cov: np.ndarray,
                     names: pd.Index) -> tuple[pd.Series, pd.Series, pd.Series]:
    # a separated coefficient's variance can come out a rounding error below 0: its se is NaN
    # (weighted_logistic refuses a separated exposure; controls' errors are not reported)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.diag(cov))
        p = 2 * stats.norm.sf(np.abs(beta / se))
    return pd.Series(beta, index=names), pd.Series(se, index=names), pd.Series(p, index=names)


def _design_matrix(frame: pd.DataFrame, exposure: str, controls: list[str],
                   respondents: np.ndarray | None = None) -> pd.DataFrame:
    """const, the exposure, and one 0/1 column per level of each control but its reference
    (named control_level, levels in sorted order). Built from factorised codes: get_dummies
    took three quarters of the time. respondents: how many respondents each row stands for
    (a covariate cell's; None: one each), so the reference is the same on cells.

    Controls arrive in each vendor's own coding, so two files of one survey can code the same
    people differently (gender L/P in one, female/male in the other; other age bands): their
    dummies are then linearly dependent (L + P = the first file = the sum of its age bands).
    A dummy that adds nothing to const and the dummies before it is left out, so the design
    has full rank: the exposure's estimate and sandwich errors are those of the same model
    without the redundant column (with it, the pseudo-inverse gave other errors). Raises
    NotEnoughData when the controls alone determine the exposure (no adjusted effect)."""
    columns = {"const": np.ones(len(frame))}
    for control in controls:
        codes, ordered = pd.factorize(frame[control].astype("string"), sort=True)
        # the most common level is the reference, so its dummies are the best estimated (a
        # tie: the first in sorted order; the exposure's estimate does not depend on it)
        reference = int(np.argmax(np.bincount(codes, weights=respondents,
                                              minlength=len(ordered))))
        for position, level in enumerate(ordered):
            if position != reference:
                columns[f"{control}_{level}"] = (codes == position).astype(float)
    names = list(columns)
    matrix = np.column_stack([*columns.values(), frame[exposure].astype(float).to_numpy()])
    independent = _independent_columns(matrix)
    if not independent[-1]:
        raise NotEnoughData("the controls determine the exposure: no effect adjusted for them")
    kept = {"const": columns["const"], exposure: matrix[:, -1]}
    kept |= {name: columns[name] for name, keep in zip(names[1:], independent[1:-1],
                                                         strict=True) if keep}
    return pd.DataFrame(kept, index=frame.index)


def _independent_columns(matrix: np.ndarray, tolerance: float = 1e-8) -> np.ndarray:
    """True for each column not in the span of the columns kept before it (Gram-Schmidt, each
    residual orthogonalised twice, which is enough in floating point: Parlett 1998, 6.9)."""
    space = np.empty(matrix.shape)  # the orthonormal basis fills its first `kept` columns
    kept = 0
    keep = np.zeros(matrix.shape[1], dtype=bool)
    for j, column in enumerate(matrix.T):
        basis = space[:, :kept]
        residual = column - basis @ (basis.T @ column)
        residual = residual - basis @ (basis.T @ residual)
        length = float(np.linalg.norm(residual))
        if length > tolerance * max(float(np.linalg.norm(column)), 1.0):
            keep[j] = True
            space[:, kept] = residual / length
            kept += 1
    return keep


def weighted_logistic(frame: pd.DataFrame, outcome: str, exposure: str,
                      controls: list[str] | tuple[str, ...] = (),
                      weight: str | None = "weight", confidence: float = 0.95) -> LogitResult:
    """Logistic regression of a 0/1 outcome on a 0/1 exposure and categorical controls.

    Reports the exposure's odds ratio (exp of the coefficient, Wald interval on the log scale
    with sandwich errors) and its average marginal effect: the weighted mean over respondents
    of P(outcome | exposed, own controls) - P(outcome | not exposed, own controls), with a
    delta-method interval. Rows with a missing value in any used column are left out; controls
    with a single level (or none) are dropped (they carry no information). Control levels are
    any labels, compared as text; see _design_matrix for codings that overlap.

    Raises NotEnoughData when the exposure's coefficient has no finite estimate (its answers
    are separated, given the controls: _exposure_separated) or the fit gives it, or the
    marginal effect, no positive finite variance: no interval is better than a zero-width or
    infinite one.
    """
    z = _z(confidence)
    answered = frame[[outcome, exposure] + ([weight] if weight else [])].notna().all(axis=1)
    # a control nobody answered (or that has one level) carries no information: dropping it
    # first keeps it from emptying the data (any label is a level: vendors' own codings)
    controls = [c for c in controls if frame.loc[answered, c].nunique() > 1]
    columns = [outcome, exposure, *controls] + ([weight] if weight else [])
    data = frame[columns].dropna()
    kept = [c for c in controls if data[c].nunique() > 1]
    if data[exposure].nunique() < 2 or data[outcome].nunique() < 2:
        raise NotEnoughData("the regression needs respondents in both groups and both answers")
    y = data[outcome].astype(float).to_numpy()
    w = data[weight].astype(float).to_numpy() if weight else np.ones(len(data))
    first, cell = _covariate_cells(data, [exposure, *kept])
    sums = _CellSums.of(y, w, cell, len(first))
    exog = _design_matrix(data.iloc[first], exposure, kept,
                          np.bincount(cell, minlength=len(first)))
    column = exog.columns.get_loc(exposure)
    separated = NotEnoughData("the exposure's effect has no finite estimate: with these "
                              "controls its groups' answers are separated (too few respondents)")
    if _exposure_separated(exog.to_numpy(dtype=float), sums, column):
        raise separated
    beta_all, cov, _, _, step = _fit_cells(exog.to_numpy(dtype=float), sums)
    params, bse, pvalues = _named_estimates(beta_all, cov, exog.columns)
    # belt and braces: a fit still moving, or whose sandwich gives the exposure no positive
    # finite variance, has no interval to show (never a zero-width or infinite one)
    if abs(float(step[column])) > SEPARATED_STEP or not 0 < float(cov[column, column]) < math.inf:
        raise separated
    beta, se = float(params[exposure]), float(bse[exposure])
    p_beta = float(pvalues[exposure])
    odds = StatResult(_exp(beta), _exp(beta - z * se), _exp(beta + z * se), p_beta,
                      len(data), "odds ratio; weighted logistic regression, sandwich errors")
    ame, ame_se = _average_marginal_effect(beta_all, cov, exog, exposure, sums.weight)
    if not 0 < ame_se < math.inf:  # NaN too: a delta-method variance of 0 or less is no error
        raise NotEnoughData("the exposure's average marginal effect has no standard error: the "
                            "fit is degenerate (too few respondents)")
    p_ame = float(2 * stats.norm.sf(abs(ame / ame_se)))
    effect = StatResult(ame, ame - z * ame_se, ame + z * ame_se, p_ame, len(data),
                        "average marginal effect (difference in probability), delta method")
    return LogitResult(odds, effect, params,
                       pd.DataFrame(cov, index=exog.columns, columns=exog.columns))


def _covariate_cells(data: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Respondents with the same values in columns form a cell: the position of each cell's
    first respondent, and each respondent's cell number (an index into those positions)."""
    key = np.zeros(len(data), dtype=np.int64)
    for column in columns:  # codes of the columns so far, times this column's, plus its code
        codes, levels = pd.factorize(data[column])
        _, key = np.unique(key * max(len(levels), 1) + codes, return_inverse=True)
    _, first, cell = np.unique(key, return_index=True, return_inverse=True)
    return first, cell


def _average_marginal_effect(beta: np.ndarray, cov: np.ndarray, exog: pd.DataFrame,
                             exposure: str, weights: np.ndarray) -> tuple[float, float]:
    exposed, unexposed = exog.copy(), exog.copy()
    exposed[exposure], unexposed[exposure] = 1.0, 0.0
    x1, x0 = exposed.to_numpy(), unexposed.to_numpy()
    mu1, mu0 = 1 / (1 + np.exp(-x1 @ beta)), 1 / (1 + np.exp(-x0 @ beta))
    share = weights / weights.sum()
    ame = float(share @ (mu1 - mu0))
    gradient = (share * mu1 * (1 - mu1)) @ x1 - (share * mu0 * (1 - mu0)) @ x0
    variance = float(gradient @ cov @ gradient)
    # a quadratic form of a covariance is >= 0; below 0 the covariance is broken, and
    # clamping it to 0 claimed certainty: NaN, which weighted_logistic refuses
    return ame, math.sqrt(variance) if variance > 0 else math.nan


@dataclass(frozen=True)
class DetectableDifference:
    cohens_h: float
    difference: float  # in proportion units, the larger of the increase and the decrease
    baseline: float
    n1_eff: float
    n2_eff: float


def minimum_detectable_difference(n1_eff: float, n2_eff: float, baseline: float,
                                  alpha: float = 0.05, power: float = 0.80
                                  ) -> DetectableDifference:
    """The smallest difference between two proportions a two-sided test at level alpha detects
    with the given power, for groups of (effective) sizes n1 and n2 around a baseline share.

    Cohen's arcsine effect size (Cohen 1988, ch. 6): h = (z_(1-alpha/2) + z_power) *
    sqrt(1/n1 + 1/n2), with h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p0)); h is turned back into a
    difference of proportions from the baseline upwards and downwards and the larger one
    reported (a difference of that size either way would be detected).
    """
    if n1_eff <= 0 or n2_eff <= 0:
        raise NotEnoughData("a group has no respondents")
    if not 0 <= baseline <= 1:
        raise ValueError("baseline must be a proportion")
    h = (stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * math.sqrt(1 / n1_eff
                                                                              + 1 / n2_eff)
    angle = math.asin(math.sqrt(baseline))
    candidates = []
    if angle + h / 2 <= math.pi / 2:
        candidates.append(math.sin(angle + h / 2) ** 2 - baseline)
    if angle - h / 2 >= 0:
        candidates.append(baseline - math.sin(angle - h / 2) ** 2)
    difference = max(candidates) if candidates else math.nan
    return DetectableDifference(float(h), difference, baseline, n1_eff, n2_eff)
