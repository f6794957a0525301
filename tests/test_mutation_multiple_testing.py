"""Edge cases of the Benjamini-Hochberg adjustment that the mutation run showed untested
(docs/MUTATION.md): non-numeric entries, the empty input, the exact boundary q, the default q
and missing p-values in `bh_reject`. References: statsmodels' `multipletests(method="fdr_bh")`
on the present p-values."""

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from dashboard.analysis.multiple_testing import benjamini_hochberg, bh_reject


def _reference(p_values, q=0.05):
    """statsmodels on the numeric entries; missing/non-numeric entries stay NaN / not rejected."""
    present = [i for i, p in enumerate(p_values) if isinstance(p, (int, float)) and not np.isnan(p)]
    adjusted = np.full(len(p_values), np.nan)
    rejected = np.zeros(len(p_values), dtype=bool)
    if present:
        reject, corrected, _, _ = multipletests([p_values[i] for i in present], alpha=q,
                                                method="fdr_bh")
        adjusted[present] = corrected
        rejected[present] = reject
    return adjusted, rejected


@pytest.mark.parametrize(
    "p_values",
    [
        ["n/a", 0.01, 0.04],  # a non-numeric cell counts as missing, not as an error
        [0.02, "", np.nan, 0.03],
        [0.01, 0.01, 0.01],  # all ties
        [1.0, 1.0],
        [0.0, 0.0, 1.0],
        [0.05],  # exactly at q: rejected (adjusted <= q)
        [0.025, 0.05],  # both adjusted to exactly 0.05
        [np.nan, np.nan],
        [0.9, 0.01, 0.7, 0.03],
    ],
)
def test_bh_edge_cases_match_statsmodels(p_values):
    expected_adjusted, expected_rejected = _reference(p_values)
    adjusted = benjamini_hochberg(p_values)
    assert adjusted.shape == (len(p_values),)
    np.testing.assert_allclose(adjusted, expected_adjusted, rtol=1e-12)
    rejected = bh_reject(p_values)  # the default q is 0.05
    assert rejected.tolist() == expected_rejected.tolist()
    assert rejected.dtype == bool


@pytest.mark.parametrize(("p_values", "q"), [([0.05], 0.05), ([0.02, 0.04], 0.04),
                                             ([0.5, np.nan], 0.5), ([0.3], 0.2)])
def test_bh_reject_at_the_boundary(p_values, q):
    _, expected = _reference(p_values, q)
    assert bh_reject(p_values, q=q).tolist() == expected.tolist()


def test_bh_empty_input_is_an_empty_vector():
    for empty in ([], np.array([]), ()):
        assert benjamini_hochberg(empty).shape == (0,)
        assert bh_reject(empty).shape == (0,)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: benjamini_hochberg([1.5]), r"^p-values must lie in \[0, 1\]$"),
        (lambda: benjamini_hochberg([-0.01]), r"^p-values must lie in \[0, 1\]$"),
        (lambda: bh_reject([0.1], q=0), r"^q must lie strictly between 0 and 1$"),
        (lambda: bh_reject([0.1], q=1.0), r"^q must lie strictly between 0 and 1$"),
    ],
)
def test_bh_error_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()
