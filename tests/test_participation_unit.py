"""Partisipasi in one unit (visual review, per-voter unit): the exposure picker, the scatter's
axis, the results table and the regression's slope and interval all per 1.000 pemilih
(style.PER_VOTERS, style.per_voters_unit), never per single voter beside an axis per 1.000."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.analysis import participation as pa
from dashboard.charts.style import exposure_label, per_voters_unit
from dashboard.reports.display import display_value

EXPOSURES = ("delivered_per_voter", "reach_per_voter", "status_bar_per_voter",
             "contacts_per_voter")


@pytest.mark.parametrize(("exposure", "lang", "label"), [
    ("delivered_per_voter", "id", "Pesan diterima per 1.000 pemilih"),
    ("delivered_per_voter", "en", "Messages delivered per 1,000 voters"),
    ("reach_per_voter", "id", "Jangkauan unik per 1.000 pemilih"),
    ("status_bar_per_voter", "en", "Status-bar impressions per 1,000 voters"),
    ("contacts_per_voter", "id", "Kontak per 1.000 pemilih (SMS diterima + status bar)"),
])
def test_picker_axis_and_table_name_the_exposure_per_1000_voters(exposure, lang, label):
    assert exposure_label(exposure, lang) == label
    assert display_value("exposure", exposure, lang) == label  # the results table's cell
    assert "{unit}" not in pa._label(pa.EXPOSURE_LABELS, exposure, lang)
    assert per_voters_unit(lang) in pa._label(pa.EXPOSURE_LABELS, exposure, lang)


# (exposure per voter of five provinces, the true slope in points per message per 1,000
# voters): the turnout change is exactly slope x (exposure x 1,000), whatever the 2019 level
SLOPE_CASES = [
    ([0.0007, 0.0008, 0.0009, 0.0010, 0.0011], 2.5),
    ([0.0007, 0.0008, 0.0009, 0.0010, 0.0011], -1.0),
    ([0.01, 0.02, 0.05, 0.03, 0.04], 0.2),
]


@pytest.mark.parametrize(("exposure", "slope"), SLOPE_CASES)
def test_the_regression_slope_and_interval_are_per_message_per_1000_voters(exposure, slope):
    x = np.array(exposure)
    before = np.array([0.80, 0.75, 0.82, 0.78, 0.70])
    noise = np.array([0.01, -0.02, 0.015, -0.005, 0.0]) / 100  # points, small
    after = before + slope * x * 1000 / 100 + noise
    result = pa._province_test("ols_change_hc3", x, before, after, np.ones(5), 0.95, 10, 1)
    assert result.estimate == pytest.approx(slope, abs=0.05)
    assert result.ci_low < result.estimate < result.ci_high
    assert result.ci_high - result.ci_low < 1.0  # in the axis's unit, not 1,000 times it
    assert "per message per 1,000 voters" in result.note
    row = {"test": "ols_change_hc3", "exposure": "delivered_per_voter",
           "outcome": "turnout_change", "estimate": result.estimate, "ci_low": result.ci_low,
           "ci_high": result.ci_high, "p_value": result.p_value, "p_adjusted": 0.5, "n": 5}
    sentence = pa.interpret_participation_row(row, "id")
    assert "setiap tambahan 1 pesan diterima per 1.000 pemilih" in sentence
    assert "per pemilih " not in sentence.replace("per 1.000 pemilih", "")
