"""Statistics tables on screen put the effect and its 95% interval right after the test's
name, then p (visual review item 12: on a 390 px phone only "Uji / Kelompok" showed and the
estimate, interval and p were off-screen). Downloads keep the export contract's order."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis.hoax import TEST_COLUMNS
from dashboard.analysis.participation import RESULT_COLUMNS, SURVEY_RESULT_COLUMNS
from dashboard.reports import display

EFFECT_FIRST = ["test", "estimate", "ci_low", "ci_high", "p_value", "p_adjusted"]


@pytest.mark.parametrize(("table", "columns", "rest"), [
    ("hoax tests", TEST_COLUMNS, ["group", "outcome", "n"]),
    ("survey tests", SURVEY_RESULT_COLUMNS, ["group", "outcome", "n", "method_note"]),
    ("participation tests", RESULT_COLUMNS, ["exposure", "outcome", "n", "method_note"]),
    ("no statistics", ["province_code", "delivered"], None),
])
def test_the_effect_and_its_interval_follow_the_test(table, columns, rest):
    frame = pd.DataFrame([[None] * len(columns)], columns=list(columns))
    shown = display.styled(frame, "id").data
    labels = display.column_labels(columns, "id")
    expected = list(columns) if rest is None else EFFECT_FIRST + rest
    assert list(shown.columns) == [labels[c] for c in expected]
