"""Results of pure functions of a table, kept for the next call with the same table.

The Partisipasi page's election units and survey tests do not change with most of its
filters (operator, wave, period), yet every view worked them out again. A result is found by
a hash of the table's content and returned only when the stored table equals the new one
(values, dtypes, index), so a hash collision can never return another table's numbers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import pandas as pd


class TableMemo:
    """The last `size` results of `compute(table, **options)`, per table content and options
    (hashable values). Thread-safe: the app's sessions run in threads. Each caller gets its
    own copy of the result (attrs included)."""

    def __init__(self, compute: Callable[..., pd.DataFrame], size: int = 4) -> None:
        self._compute = compute
        self._size = size
        self._entries: OrderedDict[tuple, tuple[pd.DataFrame, pd.DataFrame]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, table: pd.DataFrame, **options: Hashable) -> pd.DataFrame:
        key = (len(table), tuple(table.columns),
               int(pd.util.hash_pandas_object(table, index=True).sum()),
               tuple(sorted(options.items())))
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0].equals(table):
            return entry[1].copy(deep=True)
        result = self._compute(table, **options)  # an exception is not kept: tried again
        with self._lock:
            self._entries[key] = (table.copy(deep=True), result.copy(deep=True))
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
