"""The experiment's statistics (issue 18): the assignment rule, the balance table, power and the
estimators, case by case. The long simulations are in test_experiment_simulations.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.experiment.assignment import (
    assign_clusters,
    balance_table,
    draw_holdout,
    holdout_counts,
    sorted_units,
)


def _units(sizes: list[int], start: int = 100) -> pd.DataFrame:
    """Strata 11, 12, ... with the given numbers of units, codes start, start + 1, ..."""
    strata = np.repeat(np.arange(11, 11 + len(sizes)), sizes)
    return pd.DataFrame({"unit_code": np.arange(start, start + strata.size), "stratum": strata})


# --- assignment -----------------------------------------------------------------------------

@pytest.mark.parametrize("sizes, share, u, expected", [
    # share * n = 0.75, 0.75, 1.0: whole parts 0, 0, 1, fractions .75, .75, 0; running sums
    # C = .75, 1.5, 1.5. U = 0.2 puts points at 0.2 (in stratum 1's slice (0, .75]) and 1.2 (in
    # stratum 2's slice (.75, 1.5]); stratum 3's slice is empty.
    ([3, 3, 4], 0.25, 0.2, [1, 1, 1]),
    # U = 0.8: points 0.8 (in (.75, 1.5]) and 1.8 (past the end)
    ([3, 3, 4], 0.25, 0.8, [0, 1, 1]),
    # whole expected counts are never rounded, whatever U
    ([10, 20], 0.5, 0.999, [5, 10]),
    ([10, 20], 0.3, 0.0, [3, 6]),
    # one unit per stratum, share 0.5: fractions .5 each, C = .5, 1, 1.5, 2; U = 0.6 -> points
    # 0.6 (stratum 2) and 1.6 (stratum 4)
    ([1, 1, 1, 1], 0.5, 0.6, [0, 1, 0, 1]),
])
def test_holdout_counts_by_hand(sizes, share, u, expected):
    strata = np.repeat(np.arange(len(sizes)), sizes)
    assert holdout_counts(strata, share, np.array([u]))[0].tolist() == expected


@pytest.mark.parametrize("sizes, share", [
    ([14] * 38, 0.1),  # about 514 regencies in 38 provinces (14 each here)
    ([1, 2, 3, 5, 8, 13, 21, 34], 0.23),
    ([1] * 38, 0.2),  # 38 provinces, each its own stratum
    ([38], 0.5),  # one stratum
])
def test_every_unit_is_held_out_with_probability_share(sizes, share):
    _, strata = sorted_units(_units(sizes))
    draws = draw_holdout(strata, share, np.random.default_rng(7), 20_000)
    # each unit: the share of draws in which it is held out, within 4.5 standard errors (a
    # family of up to 38 * 14 units; a wrong rule, e.g. plain rounding, misses by far more)
    se = math.sqrt(share * (1 - share) / 20_000)
    assert np.abs(draws.mean(axis=0) - share).max() < 4.5 * se
    # the national total stays within one unit of share * N
    expected = share * sum(sizes)
    totals = draws.sum(axis=1)
    assert totals.min() >= math.floor(expected) and totals.max() <= math.ceil(expected)


def test_same_seed_same_units_any_order_same_assignment():
    units = _units([5, 7, 3, 9])
    first = assign_clusters(units, 0.3, seed=2024)
    shuffled = assign_clusters(units.sample(frac=1.0, random_state=1).reset_index(drop=True),
                               0.3, seed=2024)
    pd.testing.assert_frame_equal(first, shuffled)
    assert first.columns.tolist() == ["unit_code", "stratum", "arm"]
    assert set(first["arm"]) <= {"holdout", "blast"}
    # another seed gives another draw (24 units, 7 or 8 held out: a repeat is unlikely)
    assert not assign_clusters(units, 0.3, seed=2025)["arm"].equals(first["arm"])


def test_assign_clusters_is_one_draw_of_the_rule():
    # the rule the p-value and the power simulations re-draw is the plan's rule
    units = _units([4, 6, 5])
    frame, strata = sorted_units(units)
    held = draw_holdout(strata, 0.4, np.random.default_rng(99), 1)[0]
    assert (assign_clusters(units, 0.4, 99)["arm"].eq("holdout").to_numpy() == held).all()


@pytest.mark.parametrize("units, share, message", [
    (pd.DataFrame({"unit_code": [], "stratum": []}), 0.1, "empty"),
    (_units([3]).drop(columns="stratum"), 0.1, "stratum"),
    (pd.DataFrame({"unit_code": [1, 1], "stratum": [11, 12]}), 0.1, "more than once"),
    (pd.DataFrame({"unit_code": [1, 2], "stratum": [11, None]}), 0.1, "no unit_code or"),
    (_units([3]), 0.0, "strictly between"),
    (_units([3]), 1.0, "strictly between"),
])
def test_assign_clusters_refuses(units, share, message):
    with pytest.raises(ValueError, match=message):
        assign_clusters(units, share, seed=1)


@pytest.mark.parametrize("sizes, share, held", [
    ([10], 0.5, 5),  # one stratum, share 0.5: exactly half
    ([6, 4], 0.5, 5),
])
def test_whole_expected_counts_are_exact(sizes, share, held):
    for seed in range(20):
        assert assign_clusters(_units(sizes), share, seed)["arm"].eq("holdout").sum() == held


# --- balance table ---------------------------------------------------------------------------

def test_balance_table_by_hand():
    assignment = pd.DataFrame({"unit_code": [1, 2, 3, 4, 5],
                               "arm": ["holdout", "holdout", "blast", "blast", "blast"]})
    covariates = pd.DataFrame({"unit_code": [1, 2, 3, 4, 5],
                               "turnout": [1.0, 3.0, 2.0, 6.0, np.nan],
                               "flat": [7.0] * 5})
    table = balance_table(assignment, covariates).set_index("covariate")
    # turnout: holdout 1, 3 (mean 2); blast 2, 6 (mean 4; unit 5 has no value). Pooled SD:
    # sum of squares (1 + 1) + (4 + 4) = 10 over 2 + 2 - 2 = 2 df -> sqrt(5); d = 2 / sqrt(5)
    row = table.loc["turnout"]
    assert (row["mean_holdout"], row["mean_blast"], row["difference"]) == (2.0, 4.0, 2.0)
    assert row["std_difference"] == pytest.approx(2 / math.sqrt(5))
    assert (row["n_holdout"], row["n_blast"]) == (2, 2)
    # a covariate equal everywhere is perfectly balanced, not 0 / 0
    assert table.loc["flat", "std_difference"] == 0.0
    assert table.loc["flat", "n_blast"] == 3


def test_balance_table_refuses_unknown_arm_and_empty():
    with pytest.raises(ValueError, match="arms must be"):
        balance_table(pd.DataFrame({"unit_code": [1], "arm": ["control"]}),
                      pd.DataFrame({"unit_code": [1], "x": [1.0]}))
    with pytest.raises(ValueError, match="empty"):
        balance_table(pd.DataFrame({"unit_code": [], "arm": []}),
                      pd.DataFrame({"unit_code": [], "x": []}))
