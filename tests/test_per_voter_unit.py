"""Every view a person reads shows per-voter figures per 1,000 voters, says so, and never
tells them per voter, per million or raw (visual review item 7); a machine export keeps the
ratio per voter and its notes say which unit that is."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.analysis.participation import fitted_line
from dashboard.charts import reach, style, tilemap
from dashboard.charts.participation import exposure_scatter
from dashboard.export.provenance import Provenance
from dashboard.i18n import t
from dashboard.reports import display, weekly

# Jawa Barat 0,00098 per voter and DKI Jakarta 0,00061: 0,98 and 0,61 per 1,000 voters
PROVINCES = pd.DataFrame({"province_code": [32, 31, 11], "province_name": ["Jawa Barat",
                          "DKI Jakarta", "Aceh"], "delivered_per_voter": [0.00098, 0.00061,
                                                                          0.00072]})
UNIT = {"id": "per 1.000 pemilih", "en": "per 1,000 voters"}
WRONG_UNITS = ("per 1 juta", "per million", "per pemilih", "per voter")


def _texts(fig: go.Figure) -> str:
    """Every piece of text a reader of the figure sees: titles, axes, colour bars, ticks,
    tiles and hovers."""
    return json.dumps(fig.to_plotly_json(), ensure_ascii=False).replace("<br>", " ")


def _scatter(lang: str) -> go.Figure:
    points = PROVINCES.assign(name=PROVINCES["province_name"], y=[1.0, 2.0, 3.0],
                              noken=False)
    return exposure_scatter(points, "delivered_per_voter", "y", lang,
                            fit=fitted_line(points["delivered_per_voter"], points["y"]),
                            x_label=style.exposure_label("delivered_per_voter", lang),
                            y_label="y")


# (view, what a reader sees, its value of Jawa Barat as written)
VIEWS = [
    ("tile map", lambda lang: _texts(tilemap.province_tile_map(
        PROVINCES, "delivered_per_voter", lang)), "0,98"),
    ("phone ranking", lambda lang: _texts(reach.province_ranking(
        PROVINCES, "delivered_per_voter", lang)), "0,98"),
    ("participation scatter", lambda lang: _texts(_scatter(lang)), "0,98"),
    ("page table", lambda lang: " ".join(
        [*display.column_labels(["delivered_per_voter"], lang).values(),
         display.value_formats(PROVINCES, lang)["delivered_per_voter"](0.00098)]), "0,98"),
    ("weekly summary", lambda lang: " ".join(
        [weekly.per_voter_unit(weekly.per_voter_factor(PROVINCES["delivered_per_voter"]), lang),
         weekly.format_per_voter(0.00098, weekly.per_voter_factor(), lang)]), "0,98"),
    ("footnote", lambda lang: t("note.per_voter", lang), None),
]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("view", "text"), [(v[0], v[1]) for v in VIEWS],
                         ids=[v[0] for v in VIEWS])
def test_every_view_shows_per_1000_voters(view, text, lang):
    shown = text(lang)
    unit = UNIT[lang]
    assert unit in shown or unit.capitalize() in shown, shown[:400]
    rest = shown.replace(unit, "").replace(unit.capitalize(), "")
    assert not [w for w in WRONG_UNITS if w in rest.lower()], rest[:400]
    expected = dict((v[0], v[2]) for v in VIEWS)[view]
    if expected is not None:
        assert (expected if lang == "id" else expected.replace(",", ".")) in shown
        # never the raw ratio written out (in English "0.00098" is also the figure's data)
        assert "0,00098" not in shown and "0,0007" not in shown


def test_the_unit_is_one_constant():
    assert style.PER_VOTERS == 1_000
    assert style.per_voters_unit("id") == UNIT["id"]
    # the values do not choose it: a tiny or a large campaign, the same unit
    for values in ([0.000021], [0.00098], [1.7]):
        assert tilemap.per_voter_scale(values, "delivered_per_voter")[0] == style.PER_VOTERS
        assert weekly.per_voter_factor(pd.Series(values)) == style.PER_VOTERS


@pytest.mark.parametrize(("lang", "columns", "note"), [
    ("id", ["province_code", "delivered_per_voter"], "tidak dikali 1.000"),
    ("en", ["province_code", "unique_reach_per_voter"], "not times 1,000"),
    ("id", ["province_code", "delivered"], None),
])
def test_a_machine_export_names_the_raw_unit(lang, columns, note):
    lines = Provenance((), "", "", False, lang).table_lines(columns)
    assert any(note in line for line in lines) if note else not any(
        "per_voter" in line for line in lines)
