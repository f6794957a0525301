"""TableMemo: a result comes back only for an equal table and the same options."""

import pandas as pd
import pytest

from dashboard.analysis.memo import TableMemo


def _counting(size: int = 4):
    calls = []

    def compute(table: pd.DataFrame, **options) -> pd.DataFrame:
        calls.append((table.copy(), options))
        if options.get("fail"):
            raise ValueError("no result")
        result = pd.DataFrame({"total": [table.to_numpy().sum()], "scale": [options.get("k", 1)]})
        result.attrs["notes"] = ["computed"]
        return result

    return TableMemo(compute, size=size), calls


BASE = pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 5.0, 6.0]})


@pytest.mark.parametrize(("second", "options", "computed_again"), [
    (BASE.copy(), {}, False),  # the same content: the kept result
    (BASE.assign(a=[1, 2, 4]), {}, True),  # one value
    (BASE.astype({"a": "float64"}), {}, True),  # the same numbers in another dtype
    (BASE.set_axis([5, 6, 7]), {}, True),  # another index
    (BASE.rename(columns={"b": "c"}), {}, True),  # another column name
    (BASE.iloc[:2], {}, True),  # a row fewer
    (BASE.copy(), {"k": 2}, True),  # other options
    (pd.DataFrame({"a": pd.Series([], dtype="int64"), "b": pd.Series([], dtype="float64")}),
     {}, True),  # empty
])
def test_a_result_is_kept_only_for_an_equal_table_and_options(second, options, computed_again):
    memo, calls = _counting()
    memo(BASE)
    result = memo(second, **options)
    assert len(calls) == (2 if computed_again else 1)
    assert result["total"].iloc[0] == second.to_numpy().sum()


def test_a_hash_collision_never_returns_another_tables_result(monkeypatch):
    memo, calls = _counting()
    memo(BASE)
    monkeypatch.setattr(pd.util, "hash_pandas_object",
                        lambda table, index=True: pd.Series([0] * len(table), dtype="uint64"))
    memo(BASE)  # stored under the real hash: computed again under the constant one
    other = BASE.assign(a=[7, 8, 9])
    assert memo(other)["total"].iloc[0] == other.to_numpy().sum()  # same key, other table
    assert len(calls) == 3


def test_each_caller_gets_its_own_copy():
    memo, _ = _counting()
    first = memo(BASE)
    first.loc[0, "total"] = -1
    first.attrs["notes"].append("changed by a caller")
    again = memo(BASE)
    assert again["total"].iloc[0] == BASE.to_numpy().sum()
    assert again.attrs["notes"] == ["computed"]


def test_a_table_changed_after_the_call_is_computed_afresh():
    memo, calls = _counting()
    table = BASE.copy()
    memo(table)
    table.loc[0, "a"] = 100  # the caller's frame, changed in place
    assert memo(table)["total"].iloc[0] == table.to_numpy().sum()
    assert len(calls) == 2


def test_the_oldest_result_goes_first_and_errors_are_not_kept():
    memo, calls = _counting(size=2)
    tables = [BASE.assign(a=[i, 0, 0]) for i in range(3)]
    for table in tables:
        memo(table)
    memo(tables[2])
    memo(tables[1])
    assert len(calls) == 3  # both still kept
    memo(tables[0])  # evicted by the third
    assert len(calls) == 4
    for _ in range(2):
        with pytest.raises(ValueError, match="no result"):
            memo(BASE, fail=True)
    assert len(calls) == 6
    memo.clear()
    memo(tables[0])
    assert len(calls) == 7


def test_the_kept_table_is_a_copy_the_caller_cannot_change(monkeypatch):
    """With every hash equal, only the kept table tells results apart: a caller changing its
    own frame after the call must not make the kept result look like the changed table's."""
    monkeypatch.setattr(pd.util, "hash_pandas_object",
                        lambda table, index=True: pd.Series([0] * len(table), dtype="uint64"))
    memo, calls = _counting()
    table = BASE.copy()
    memo(table)
    table.loc[0, "a"] = 100
    assert memo(table.copy())["total"].iloc[0] == table.to_numpy().sum()
    assert len(calls) == 2
