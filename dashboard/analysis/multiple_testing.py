"""Benjamini-Hochberg false discovery rate control across the tests shown on a page."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def benjamini_hochberg(p_values: Sequence[float] | np.ndarray | pd.Series) -> np.ndarray:
    """BH-adjusted p-values (Benjamini & Hochberg 1995, the "step-up" q-values), in the input
    order. Missing p-values stay missing and do not count towards the number of tests m.

    adjusted p_(i) = min over j >= i of (m / j) * p_(j), capped at 1, for p sorted ascending.
    A hypothesis is rejected at FDR level q when its adjusted p-value is <= q.
    """
    p = pd.to_numeric(pd.Series(list(p_values), dtype="object"), errors="coerce")
    p = p.astype("float64").to_numpy(na_value=np.nan)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    adjusted = np.full(p.shape, np.nan)
    present = np.flatnonzero(~np.isnan(p))
    m = present.size
    if m == 0:
        return adjusted
    order = present[np.argsort(p[present], kind="stable")]
    ranked = p[order] * m / np.arange(1, m + 1)
    # the running minimum from the largest p downwards makes the adjusted values monotone
    stepped = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def bh_reject(p_values: Sequence[float] | np.ndarray | pd.Series, q: float = 0.05) -> np.ndarray:
    """True where the Benjamini-Hochberg procedure rejects at false discovery rate q."""
    if not 0 < q < 1:
        raise ValueError("q must lie strictly between 0 and 1")
    adjusted = benjamini_hochberg(p_values)
    return np.where(np.isnan(adjusted), False, adjusted <= q)
