"""Reading the experiment after the vote: the intention-to-treat effect with its 95 % interval
(effect first), its p-value, and the effect on those actually reached.

What the numbers estimate. Assignment was random, so the difference between the arms is
causal, but for the *assignment*: the intention-to-treat effect (ITT) of being put in the
blast arm rather than held out, whatever the operators then delivered; effect = blast - holdout,
the effect of sending. It is not the effect of reading the message. Where delivery was
imperfect (some blast units or numbers not reached, some held-out ones reached by mistake),
complier_effect scales it to the units the assignment actually moved (Wald / instrumental
variables; Angrist, Imbens and Rubin 1996).

- cluster_itt (regencies or provinces): OLS of outcome on blast + baseline + stratum fixed
  effects (ANCOVA), HC2 standard error (MacKinnon and White 1985; the small-sample choice for
  randomised designs, Imbens and Kolesar 2016), interval on t with Bell-McCaffrey degrees of
  freedom (n - k undercovers when one arm has few units); the p-value by randomisation
  inference: the assignment re-drawn within strata, the same coefficient recomputed each time
  (Fisher's sharp null of no effect on any unit; exact whatever the number of units).
  Computed by Frisch-Waugh-Lovell: the blast indicator and the outcome are freed of the
  stratum means and of the baseline once; the coefficient is then d'y / d'd, one dot product
  per re-draw, so thousands of re-draws cost little.
- individual_itt (survey respondents): the weighted share answering 1 in each arm, their
  difference, the linearised (Taylor) standard error of a domain mean in a single-stage
  with-replacement design (each respondent its own sampling unit; what R's
  survey::svyby(~y, ~arm, svydesign(ids = ~1, weights = ~w), svymean) with svycontrast gives),
  normal interval. It assumes one hold-out share for all respondents: where the thresholds
  differ between operator x province strata and turnout differs between them too, the pooled
  difference mixes the strata; read by_stratum then (or give the strata equal thresholds).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from dashboard.experiment.assignment import (
    ARMS,
    draw_holdout,
    holdout_with_counts,
    sorted_units,
)

CLUSTER_METHOD = ("ANCOVA: outcome ~ blast + baseline + stratum fixed effects, HC2 standard "
                  "error, t interval on {df} df (Bell-McCaffrey); randomisation-inference "
                  "p-value "
                  "({permutations} re-draws within strata, {scheme})")
INDIVIDUAL_METHOD = ("weighted difference in proportions (survey weights), linearised (Taylor) "
                     "standard error, normal interval")
COMPLIER_METHOD = ("complier effect = ITT / compliance difference (Wald); interval = ITT "
                   "interval / compliance difference (compliance counted from receipts, "
                   "without sampling error)")


@dataclass(frozen=True)
class Estimate:
    effect: float  # blast - holdout
    ci_low: float
    ci_high: float
    p_value: float
    n_holdout: int
    n_blast: int
    method: str
    se: float = math.nan
    df: float = math.inf  # degrees of freedom of the interval (inf: normal)
    note: str = ""


# --- the ANCOVA with stratum fixed effects, vectorised over many outcomes / assignments --------

@dataclass(frozen=True)
class Design:
    """What does not change between re-draws: the strata and the baseline freed of the
    stratum means (xt). Units sorted by stratum (assignment.sorted_units)."""
    strata: np.ndarray  # stratum number per unit, 0..K-1
    sizes: np.ndarray  # units per stratum
    xt: np.ndarray  # baseline minus its stratum mean
    xx: float  # xt'xt (1.0 if the baseline is dropped)
    has_baseline: bool  # False when the baseline is constant within every stratum

    @property
    def n(self) -> int:
        return int(self.strata.size)

    @property
    def df(self) -> int:
        """n - k: k = one column per stratum + the baseline (if kept) + blast."""
        return self.n - self.sizes.size - int(self.has_baseline) - 1

    @property
    def starts(self) -> np.ndarray:
        """Index of each stratum's first unit (units are sorted by stratum)."""
        return np.concatenate(([0], np.cumsum(self.sizes[:-1]))).astype(np.int64)

    def totals(self, values: np.ndarray) -> np.ndarray:
        """Per row, the sum over each stratum's units (rows x K)."""
        return np.add.reduceat(values, self.starts, axis=1)

    def within(self, values: np.ndarray) -> np.ndarray:
        """values (rows x n) minus their stratum means."""
        means = self.totals(values) / self.sizes
        return values - np.repeat(means, self.sizes.astype(np.int64), axis=1)


def make_design(strata: np.ndarray, baseline: np.ndarray) -> Design:
    """strata: stratum number per unit, sorted (as assignment.sorted_units numbers them)."""
    strata = np.asarray(strata, dtype=np.int64)
    if strata.size == 0 or np.any(np.diff(strata) < 0) or strata[0] != 0:
        raise ValueError("units must be sorted by stratum, numbered from 0")
    sizes = np.bincount(strata).astype(float)
    x = np.asarray(baseline, dtype=float)
    design = Design(strata, sizes, np.zeros_like(x), 1.0, False)
    xt = design.within(x[None, :])[0]
    xx = float(xt @ xt)
    # a baseline constant within strata is absorbed by the fixed effects (rounding leaves
    # ~1e-30 of it): drop it rather than divide by noise
    if xx > 1e-10 * float(((x - x.mean()) ** 2).sum()):
        design = Design(strata, sizes, xt, xx, True)
    return design


def _partial_baseline(design: Design, values: np.ndarray) -> np.ndarray:
    """values already freed of stratum means, now also of the baseline."""
    if not design.has_baseline:
        return values
    slope = (values @ design.xt) / design.xx
    return values - slope[:, None] * design.xt[None, :]


class Fits(NamedTuple):
    beta: np.ndarray  # coefficient of blast, one per row
    se: np.ndarray  # its HC2 standard error
    df: np.ndarray  # Bell-McCaffrey degrees of freedom for the t interval


def ancova_fits(design: Design, outcome: np.ndarray, blast: np.ndarray) -> Fits:
    """Coefficient of blast, its HC2 standard error and the Bell-McCaffrey degrees of freedom
    in outcome ~ blast + baseline + stratum fixed effects, for each row of outcome (rows x n)
    and blast (rows x n, 0/1).

    By Frisch-Waugh-Lovell with the hat matrix split in three orthogonal parts,
    H = F + u u' + v v' (F: 1 / n_s within a stratum; u = xt / |xt|; v = dt / |dt|), so the
    leverage is h_i = 1 / n_s + u_i^2 + v_i^2 and beta = v'y / |dt|. A unit alone in its
    stratum has h = 1 and residual 0 and carries no information: it adds nothing (not 0 / 0).

    Degrees of freedom (Bell and McCaffrey 2002; Imbens and Kolesar 2016): HC2's variance is
    e' W e with w_i = a_i^2 / (1 - h_i), a_i = dt_i / dt'dt; with e = M eps and homoskedastic
    normal errors it is distributed as a weighted sum of chi-squares, matched by Satterthwaite:
    df = tr(M W)^2 / tr(M W M W) = (sum w_i (1 - h_i))^2 / sum_ij w_i w_j M_ij^2. With few
    units in one arm (4 of 38 provinces held out) this is far below n - k and the t interval
    widens accordingly: n - k undercovers there (91.6 % for a nominal 95 % in simulation)."""
    y = np.atleast_2d(np.asarray(outcome, dtype=float))
    d = np.atleast_2d(np.asarray(blast, dtype=float))
    dt = _partial_baseline(design, design.within(d))
    yt = _partial_baseline(design, design.within(y))
    dd = (dt * dt).sum(axis=1)
    ok = dd > 1e-12
    dd_safe = np.where(ok, dd, 1.0)
    beta = (dt * yt).sum(axis=1) / dd_safe
    resid = yt - beta[:, None] * dt
    v2 = dt * dt / dd_safe[:, None]
    u2 = (design.xt * design.xt / design.xx)[None, :]
    leverage = (1.0 / design.sizes[design.strata])[None, :] + v2
    if design.has_baseline:
        leverage = leverage + u2
    room = 1.0 - leverage
    free = room > 1e-9
    room_safe = np.where(free, room, 1.0)
    scaled = np.where(free, resid * resid / room_safe, 0.0)
    se = np.sqrt((dt * dt * scaled).sum(axis=1)) / dd_safe

    # Bell-McCaffrey: sum_ij w_i w_j M_ij^2 = sum w^2 (1 - 2 h) + sum_ij w_i w_j H_ij^2, and
    # H_ij^2 expands over F, u u' and v v' into stratum totals and dot products
    w = np.where(free, dt * dt / (dd_safe[:, None] ** 2) / room_safe, 0.0)
    v = dt / np.sqrt(dd_safe)[:, None]
    u = (design.xt / math.sqrt(design.xx))[None, :] if design.has_baseline else None
    sizes = design.sizes[None, :]
    square = (w * w * (1 - 2 * leverage)).sum(axis=1)
    square += (design.totals(w) ** 2 / sizes ** 2).sum(axis=1)
    square += (w * v * v).sum(axis=1) ** 2 + 2 * (design.totals(w * v) ** 2 / sizes).sum(axis=1)
    if u is not None:
        square += (w * u * u).sum(axis=1) ** 2
        square += 2 * (design.totals(w * u) ** 2 / sizes).sum(axis=1)
        square += 2 * (w * u * v).sum(axis=1) ** 2
    first = (w * room).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = np.where(square > 0, first * first / square, np.nan)
    nan = np.full_like(beta, np.nan)
    return Fits(np.where(ok, beta, nan), np.where(ok, se, nan), np.where(ok, df, nan))


def redrawn_coefficients(design: Design, outcome: np.ndarray, held: np.ndarray) -> np.ndarray:
    """The ANCOVA coefficient of blast for each re-drawn assignment (held: draws x n, True =
    held out) with the outcome fixed (the sharp null). With d binary, d' y~ and
    d'd - sum_s m_s^2 / n_s - (d'xt)^2 / xt'xt need only matrix products (m_s: blast units in
    stratum s)."""
    y = np.asarray(outcome, dtype=float)
    yt = _partial_baseline(design, design.within(y[None, :]))[0]
    d = (~held).astype(float)
    per_stratum = design.totals(d)
    denominator = per_stratum.sum(axis=1) - (per_stratum ** 2 / design.sizes).sum(axis=1)
    if design.has_baseline:
        denominator = denominator - (d @ design.xt) ** 2 / design.xx
    numerator = d @ yt
    # a re-draw with no contrast left cannot be computed: count it as at least as extreme
    return np.where(denominator > 1e-12, numerator / np.where(denominator > 1e-12,
                                                               denominator, 1.0), np.inf)


def _t_interval(effect: float, se: float, df: float, confidence: float) -> tuple[float, float]:
    q = float(stats.t.ppf(0.5 + confidence / 2, df)) if math.isfinite(df) else float(
        stats.norm.ppf(0.5 + confidence / 2))
    return effect - q * se, effect + q * se


# --- the cluster design ------------------------------------------------------------------------

def _cluster_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, int]:
    if frame is None or len(frame) == 0:
        raise ValueError("no units to analyse: the frame is empty")
    needed = {"unit_code", "stratum", "arm", "baseline", "outcome"}
    missing = needed - set(frame.columns)
    if missing:
        raise ValueError(f"the frame needs {sorted(needed)}; missing {sorted(missing)}")
    unknown = set(frame["arm"].dropna().unique()) - set(ARMS)
    if unknown or frame["arm"].isna().any():
        raise ValueError(f"arms must be 'holdout' or 'blast', not {sorted(map(str, unknown))}")
    data = frame[["unit_code", "stratum", "arm", "baseline", "outcome"]].copy()
    for column in ("baseline", "outcome"):
        data[column] = pd.to_numeric(data[column], errors="coerce")
    usable = data["baseline"].notna() & data["outcome"].notna()
    dropped = int((~usable).sum())
    data = data[usable]
    if data.empty:
        raise ValueError("no unit has both a baseline and an outcome")
    ordered, strata = sorted_units(data)
    ordered = ordered.merge(data.drop(columns="stratum"), on="unit_code", how="left")
    return ordered, strata, dropped


def cluster_itt(frame: pd.DataFrame, *, permutations: int = 2000, seed: int = 0,
                share: float | None = None, confidence: float = 0.95) -> Estimate:
    """ITT of the cluster hold-out. frame: unit_code, stratum, arm, baseline, outcome (one row
    per unit; units missing the baseline or the outcome are left out and counted in `note`).

    The p-value re-draws the assignment `permutations` times: with `share` (the plan's
    hold-out share) by assignment.assign_clusters's own rule; without it, each stratum's
    realised hold-out count is kept and only which units is re-drawn (a test conditional on
    the counts, exact too: the counts never depend on the outcomes). Give `share` only when
    the frame holds every assigned unit: the rule re-drawn over a subset (units left out for a
    missing baseline) is not quite the design's; without `share` the test stays exact for
    that subset (and it is used whenever this function leaves units out itself). Two-sided:
    (1 + #{|b*| >= |b|}) / (1 + permutations)."""
    data, strata, dropped = _cluster_frame(frame)
    blast = data["arm"].eq("blast").to_numpy()
    n_blast, n_holdout = int(blast.sum()), int((~blast).sum())
    if n_blast == 0 or n_holdout == 0:
        raise ValueError("both arms need units: the effect is a comparison")
    design = make_design(strata, data["baseline"].to_numpy(dtype=float))
    if design.df < 1:
        raise ValueError(f"too few units ({design.n}) for {design.sizes.size} strata, the "
                         "baseline and the arm: no degrees of freedom left")
    y = data["outcome"].to_numpy(dtype=float)
    fit = ancova_fits(design, y, blast)
    effect, se_, df = float(fit.beta[0]), float(fit.se[0]), float(fit.df[0])
    if not math.isfinite(effect):
        raise ValueError("no stratum has units in both arms: the fixed effects absorb the "
                         "whole contrast")
    if not math.isfinite(df):  # no residual variation at all (e.g. every outcome equal)
        df = float(design.df)
    low, high = _t_interval(effect, se_, df, confidence)

    rng = np.random.default_rng(seed)
    if share is None or dropped:
        counts = np.bincount(strata[~blast], minlength=design.sizes.size)
        held = holdout_with_counts(strata, np.repeat(counts[None, :], permutations, 0), rng)
        scheme = "each stratum's realised hold-out count kept"
    else:
        held = draw_holdout(strata, share, rng, permutations)
        scheme = f"the assignment rule at share {share:g}"
    redrawn = redrawn_coefficients(design, y, held)
    tolerance = 1e-10 * max(1.0, float(np.abs(y).max()))  # ties, e.g. all outcomes equal
    extreme = int((np.abs(redrawn) >= abs(effect) - tolerance).sum())
    p_value = (1 + extreme) / (1 + permutations)
    note = f"{dropped} units without baseline or outcome left out" if dropped else ""
    return Estimate(effect, low, high, p_value, n_holdout, n_blast,
                    CLUSTER_METHOD.format(df=f"{df:.1f}", permutations=permutations,
                                          scheme=scheme),
                    se=se_, df=df, note=note)


# --- the individual design ----------------------------------------------------------------------

def individual_itt(frame: pd.DataFrame, *, confidence: float = 0.95) -> Estimate:
    """ITT of the individual hold-out from survey respondents. frame: arm, outcome (0/1; missing
    answers left out), weight (survey weight; all 1 if the column is absent).

    p_a = sum_a w y / sum_a w per arm; effect = p_blast - p_holdout. Linearised variance:
    u_i = w_i (y_i - p_a) / W_a for a respondent in arm a, with the sign of the arm;
    var = n / (n - 1) sum_i u_i^2 over all n respondents (each its own sampling unit, drawn with
    replacement). With equal weights it is n / (n - 1) (p_b (1 - p_b) / n_b + p_h (1 - p_h) /
    n_h), the textbook unpooled variance of a difference of proportions."""
    if frame is None or len(frame) == 0:
        raise ValueError("no respondents to analyse: the frame is empty")
    missing = {"arm", "outcome"} - set(frame.columns)
    if missing:
        raise ValueError(f"the frame needs arm and outcome; missing {sorted(missing)}")
    data = pd.DataFrame({"arm": frame["arm"],
                         "y": pd.to_numeric(frame["outcome"], errors="coerce"),
                         "w": (pd.to_numeric(frame["weight"], errors="coerce")
                               if "weight" in frame.columns else 1.0)})
    data = data[data["y"].notna()]
    unknown = set(data["arm"].dropna().unique()) - set(ARMS)
    if unknown or data["arm"].isna().any():
        raise ValueError(f"arms must be 'holdout' or 'blast', not {sorted(map(str, unknown))}")
    if not data["y"].isin((0.0, 1.0)).all():
        raise ValueError("outcomes must be 0 or 1 (or missing)")
    if data["w"].isna().any() or (data["w"] <= 0).any():
        raise ValueError("weights must be positive numbers")
    y = data["y"].to_numpy(dtype=float)
    w = data["w"].to_numpy(dtype=float)
    blast = data["arm"].eq("blast").to_numpy()
    n_blast, n_holdout = int(blast.sum()), int((~blast).sum())
    if n_blast == 0 or n_holdout == 0:
        raise ValueError("both arms need respondents: the effect is a comparison")
    effects, ses, p_b, p_h = weighted_differences(y, w, blast)
    effect, se = float(effects[0]), float(ses[0])
    if not se > 0:
        # each arm answered all alike (all yes or all no): the linearised variance is zero
        # whatever the number of respondents, and a zero-width interval would claim certainty
        raise ValueError("every respondent of each arm gave the same answer: the linearised "
                         "variance is zero, so no interval or p-value can be given")
    low, high = _t_interval(effect, se, math.inf, confidence)
    p_value = float(2 * stats.norm.sf(abs(effect) / se))
    return Estimate(effect, low, high, p_value, n_holdout, n_blast, INDIVIDUAL_METHOD, se=se,
                    note=f"holdout {float(p_h[0]):.6g}, blast {float(p_b[0]):.6g}")


def weighted_differences(outcome: np.ndarray, weight: np.ndarray, blast: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """individual_itt's arithmetic for each row (rows x respondents, or one row): effect,
    linearised SE, p_blast, p_holdout. Every row needs respondents in both arms."""
    y = np.atleast_2d(np.asarray(outcome, dtype=float))
    w = np.atleast_2d(np.asarray(weight, dtype=float))
    b = np.atleast_2d(np.asarray(blast, dtype=bool))
    wb, wh = np.where(b, w, 0.0), np.where(b, 0.0, w)
    total_b, total_h = wb.sum(axis=1), wh.sum(axis=1)
    p_b = (wb * y).sum(axis=1) / total_b
    p_h = (wh * y).sum(axis=1) / total_h
    u = (wb * (y - p_b[:, None]) / total_b[:, None]
         - wh * (y - p_h[:, None]) / total_h[:, None])
    n = y.shape[1]
    se = np.sqrt(n / (n - 1) * (u * u).sum(axis=1)) if n > 1 else np.full(len(y), np.nan)
    return p_b - p_h, se, p_b, p_h


# --- the effect on those reached ------------------------------------------------------------------

def complier_effect(itt: Estimate, compliance_blast: float,
                    compliance_holdout: float) -> Estimate:
    """Effect on the units the assignment moved (compliers): ITT / (compliance_blast -
    compliance_holdout), where compliance is the share of each arm that received the blast
    (delivered messages from the receipts; a held-out unit reached by mistake counts in
    compliance_holdout).

    The interval is the ITT interval divided by the same difference. That is exact here, not
    an approximation: compliance is counted from every receipt of the experiment's waves, not
    estimated from a sample, so the denominator has no sampling error (a delta-method
    interval would add the denominator's variance, which is zero). The p-value is the ITT's:
    the complier effect is zero exactly when the ITT is."""
    difference = float(compliance_blast) - float(compliance_holdout)
    for value in (compliance_blast, compliance_holdout):
        if not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"compliance is a share between 0 and 1, not {value}")
    if difference <= 0:
        raise ValueError("the blast arm was not reached more than the hold-out arm: no "
                         "complier effect can be estimated (compliance difference "
                         f"{difference:g})")
    return Estimate(itt.effect / difference, itt.ci_low / difference, itt.ci_high / difference,
                    itt.p_value, itt.n_holdout, itt.n_blast, COMPLIER_METHOD,
                    se=itt.se / difference, df=itt.df,
                    note=f"compliance blast {compliance_blast:.4g}, holdout "
                         f"{compliance_holdout:.4g}")


# --- per stratum ---------------------------------------------------------------------------------

def by_stratum(frame: pd.DataFrame, estimator: Callable[..., Estimate],
               **options: object) -> pd.DataFrame:
    """The estimator run on each stratum alone (frame needs a stratum column). A stratum where it
    cannot run (one arm empty, too few units) gets a row with NaN and the reason in `note`.
    Columns: stratum, effect, ci_low, ci_high, p_value, n_holdout, n_blast, method, note."""
    if frame is None or len(frame) == 0:
        raise ValueError("no rows to split: the frame is empty")
    if "stratum" not in frame.columns:
        raise ValueError("the frame needs a stratum column")
    rows = []
    for stratum, part in frame.groupby("stratum", sort=True):
        try:
            estimate = estimator(part, **options)
            rows.append({"stratum": stratum, "effect": estimate.effect,
                         "ci_low": estimate.ci_low, "ci_high": estimate.ci_high,
                         "p_value": estimate.p_value, "n_holdout": estimate.n_holdout,
                         "n_blast": estimate.n_blast, "method": estimate.method,
                         "note": estimate.note})
        except ValueError as error:
            arms = part["arm"] if "arm" in part.columns else pd.Series(dtype=object)
            rows.append({"stratum": stratum, "effect": math.nan, "ci_low": math.nan,
                         "ci_high": math.nan, "p_value": math.nan,
                         "n_holdout": int(arms.eq("holdout").sum()),
                         "n_blast": int(arms.eq("blast").sum()), "method": "",
                         "note": str(error)})
    return pd.DataFrame(rows, columns=["stratum", "effect", "ci_low", "ci_high", "p_value",
                                       "n_holdout", "n_blast", "method", "note"])
