"""Benjamini-Hochberg adjustment, checked against the published example and scipy."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from dashboard.analysis.multiple_testing import benjamini_hochberg, bh_reject

# Benjamini & Hochberg (1995), J. R. Stat. Soc. B 57(1):289-300, section 4: the 15 p-values of
# the thrombolytic-treatment study (Neuhaus et al. 1992). At q = 0.05 the procedure rejects
# the four smallest (Bonferroni only three).
BH_1995 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
           0.4262, 0.5719, 0.6528, 0.7590, 1.000]
# scipy.stats.false_discovery_control documentation, "Examples": the same 15 p-values and the
# BH-adjusted values it prints.
SCIPY_DOC_ADJUSTED = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714, 0.06385714, 0.0645,
                      0.0765, 0.486, 0.58118182, 0.714875, 0.75323077, 0.81321429, 1.0]


def test_bh_1995_rejects_four_hypotheses():
    rejected = bh_reject(BH_1995, q=0.05)
    assert rejected.sum() == 4
    assert rejected[:4].all() and not rejected[4:].any()


def test_bh_matches_scipy_documented_adjusted_values():
    np.testing.assert_allclose(benjamini_hochberg(BH_1995), SCIPY_DOC_ADJUSTED, rtol=1e-6)


@pytest.mark.parametrize(
    ("p_values", "expected"),
    [
        ([0.01, np.nan, 0.04], [0.02, np.nan, 0.04]),  # m = 2: missing p-values do not count
        ([0.04, 0.01], [0.04, 0.02]),  # input order is kept
        ([0.5], [0.5]),
        ([0.9, 0.8], [0.9, 0.9]),  # monotone: never below a smaller p's adjustment
        ([None, 0.03], [np.nan, 0.03]),
        ([], []),
    ],
)
def test_bh_small_cases(p_values, expected):
    np.testing.assert_allclose(benjamini_hochberg(p_values), expected)


@pytest.mark.parametrize("bad", [[1.2], [-0.1, 0.5]])
def test_bh_rejects_values_outside_unit_interval(bad):
    with pytest.raises(ValueError, match="p-values"):
        benjamini_hochberg(bad)


@pytest.mark.parametrize("q", [0, 1, 1.5])
def test_bh_reject_needs_q_between_0_and_1(q):
    with pytest.raises(ValueError):
        bh_reject([0.01], q=q)


p_lists = st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=40)


@given(p_lists)
def test_bh_equals_scipy_and_is_bounded(p_values):
    adjusted = benjamini_hochberg(p_values)
    np.testing.assert_allclose(adjusted, stats.false_discovery_control(p_values), atol=1e-12)
    assert np.all(adjusted >= np.asarray(p_values) - 1e-15) and np.all(adjusted <= 1)


@given(p_lists, st.randoms(use_true_random=False))
def test_bh_is_permutation_equivariant(p_values, random):
    order = list(range(len(p_values)))
    random.shuffle(order)
    shuffled = [p_values[i] for i in order]
    np.testing.assert_allclose(benjamini_hochberg(shuffled), benjamini_hochberg(p_values)[order])
