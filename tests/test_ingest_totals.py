"""What a total row is (ingest/totals.py): one definition for every tabular kind."""

import pandas as pd
import pytest

from dashboard.ingest.totals import is_total_label, total_labels


@pytest.mark.parametrize(("text", "total"), [
    ("Jumlah", True), ("Total", True), ("Nasional", True), ("Indonesia", True),
    ("Grand Total", True), ("Jumlah Total", True), ("JUMLAH", True), ("  total  ", True),
    ("GRAND   TOTAL", True), ("grand_total", True), ("Sub-Total", True), ("Total:", True),
    ("TOTAL NASIONAL", True), ("National", True),
    # units, not totals
    ("Jawa Barat", False), ("32", False), ("Jumlahan", False), ("Totalitas", False),
    ("Total Jawa Barat", False), ("R1", False), ("", False), (None, False),
])
def test_a_total_label_in_any_case_or_spacing(text, total):
    assert is_total_label(text) is total
    assert total_labels(pd.Series([text], dtype="string")).tolist() == [total]


def test_total_labels_keeps_the_index_and_is_bool():
    flags = total_labels(pd.Series(["Jumlah", pd.NA, "Aceh"], index=[7, 9, 11],
                                   dtype="string"))
    assert flags.index.tolist() == [7, 9, 11] and flags.dtype == bool
    assert flags.tolist() == [True, False, False]
