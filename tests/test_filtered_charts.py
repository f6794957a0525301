"""Filters are not data (issue 15, point 5): what the page's filter leaves out is drawn and
named "di luar filter / outside the filter", apart from "tanpa data / no data"; values on
tiles, cells and colour bars are written to a sensible precision and fit their space."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.charts import reach, style, tilemap

ALL_CODES = tilemap.province_tiles()["province_code"].astype(int).tolist()


def _by_name(fig, name):
    return [tr for tr in fig.data if tr.name == name]


def _provinces(codes, metric="delivery_rate", values=None):
    values = values if values is not None else np.linspace(0.9, 0.99, len(codes))
    return pd.DataFrame({"province_code": codes, metric: values})


# ---------------------------------------------------------------------------- tile map
@pytest.mark.parametrize(("lang", "outside", "no_data"), [
    ("id", "di luar filter", "tanpa data"), ("en", "outside the filter", "no data")])
def test_tile_map_names_provinces_outside_the_filter_apart_from_no_data(lang, outside,
                                                                         no_data):
    # the filter covers Jabar, Jateng and Jatim; Jatim sent nothing in it
    fig = tilemap.province_tile_map(_provinces([32, 33], values=[0.95, 0.97]), "delivery_rate",
                                    lang, in_filter=[32, 33, 35])
    (shown,) = _by_name(fig, "tiles")
    (grey,) = _by_name(fig, "tiles_no_data")
    (white,) = _by_name(fig, "tiles_outside_filter")
    assert sorted(shown.customdata) == [32, 33]
    assert list(grey.customdata) == [35]
    assert sorted(white.customdata) == sorted(set(ALL_CODES) - {32, 33, 35})
    assert all(outside in h and no_data not in h for h in white.hovertemplate)
    assert all(no_data in h for h in grey.hovertemplate)
    assert grey.marker.color == style.NO_DATA_COLOR
    assert white.marker.color == tilemap.OUTSIDE_FILTER_COLOR != style.NO_DATA_COLOR
    (key,) = [a for a in fig.layout.annotations if a.name == "tile_key"]
    assert no_data in key.text and outside in key.text


def test_tile_map_outside_the_filter_wins_over_a_value_for_a_province_left_out():
    # a frame that still holds a province the filter leaves out does not colour it
    fig = tilemap.province_tile_map(_provinces([32, 33]), "delivery_rate", in_filter=[32])
    (shown,) = _by_name(fig, "tiles")
    assert list(shown.customdata) == [32]
    assert 33 in _by_name(fig, "tiles_outside_filter")[0].customdata
    assert not _by_name(fig, "tiles_no_data")


def test_tile_map_without_a_province_filter_has_nothing_outside_it():
    fig = tilemap.province_tile_map(_provinces([32, 33]), "delivery_rate")
    assert not _by_name(fig, "tiles_outside_filter")
    (grey,) = _by_name(fig, "tiles_no_data")
    assert len(grey.customdata) == 36
    (key,) = [a for a in fig.layout.annotations if a.name == "tile_key"]
    assert "tanpa data" in key.text and "luar filter" not in key.text


def test_tile_map_with_one_province_writes_its_colour_bar_tick_as_the_value():
    # 49/51: the single-value colour bar used to read 96,0784314%
    fig = tilemap.province_tile_map(_provinces([32], values=[49 / 51]), "delivery_rate", "id",
                                    in_filter=[32])
    (shown,) = _by_name(fig, "tiles")
    assert list(shown.marker.colorbar.ticktext) == ["96,1%"]
    assert shown.text[0] == "<b>Jabar</b><br>96%"


# one unit whatever the values (style.PER_VOTERS; visual review item 7)
@pytest.mark.parametrize(("values", "factor", "tile", "title"), [
    ([0.000021, 0.000015], 1_000, "0,021", "per 1.000 pemilih"),
    ([0.00095, 0.00061], 1_000, "0,95", "per 1.000 pemilih"),
    ([1.234, 0.8], 1_000, "1.234", "per 1.000 pemilih"),
])
def test_tile_map_writes_per_voter_values_per_thousand(values, factor, tile, title):
    fig = tilemap.province_tile_map(_provinces([32, 33], "delivered_per_voter", values),
                                    "delivered_per_voter", "id")
    (shown,) = _by_name(fig, "tiles")
    jabar = list(shown.customdata).index(32)
    assert shown.text[jabar] == f"<b>Jabar</b><br>{tile}"
    assert tilemap.per_voter_scale(values, "delivered_per_voter")[0] == factor
    bar = shown.marker.colorbar
    assert (bar.title.text if bar.title else None) == title
    # the ticks sit at data values, labelled in the tiles' unit, with shared decimals
    assert len({len(label.partition(",")[2]) for label in bar.ticktext}) == 1, bar.ticktext
    assert all(min(values) <= v <= max(values) for v in bar.tickvals)
    # hover: the value per 1,000 voters, as everywhere
    assert style.format_metric(values[0], "delivered_per_voter", "id") in shown.hovertemplate[
        jabar]


@pytest.mark.parametrize(("value", "metric", "expected"), [
    (0.000021, "delivered_per_voter", "0,021"),  # per 1,000 voters
    (12_345_678, "sent", "12,3 jt"),
    (0.9607843, "delivery_rate", "96%"),
])
def test_short_values_fit_a_tile(value, metric, expected):
    assert tilemap.short_value(value, metric, "id") == expected


def test_short_per_voter_values_have_two_significant_digits():
    # per 1,000 voters (style.PER_VOTERS)
    cases = {0.021: "21", 0.0998: "100", 0.0054: "5,4", 0.00071: "0,71", 0.0000071: "0,0071"}
    for value, expected in cases.items():
        assert tilemap.short_value(value, "delivered_per_voter", "id") == expected
    for value in np.geomspace(1e-4, 2.0, 60):  # a campaign's range: at most five characters
        text = tilemap.short_value(value, "delivered_per_voter", "en")
        assert len(text) <= 5, (value, text)


@pytest.mark.parametrize(("low", "high", "metric", "expected"), [
    (0.9607843, 0.9607843, "delivery_rate", ["96,1%"]),
    (0.925, 1.0, "delivery_rate", ["94%", "96%", "98%", "100%"]),
    (12_000, 12_000, "sent", ["12.000"]),
])
def test_colorbar_ticks_never_show_raw_fractions(low, high, metric, expected):
    ticks, labels = tilemap.colorbar_ticks(low, high, metric, "id")
    assert labels == expected
    assert len(ticks) == len(labels)


# ---------------------------------------------------------------------------- heatmap
def _cells(codes, operators=("telkomsel", "xl")):
    return pd.DataFrame([{"operator": op, "province_code": code, "delivery_rate": 0.9}
                         for op in operators for code in codes])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_heatmap_draws_only_the_provinces_in_the_filter_and_says_so(lang):
    # Jatim is in the filter but only Telkomsel sent there: one grey cell, nothing else grey
    frame = pd.concat([_cells([32, 33]), _cells([35], ["telkomsel"])])
    fig = reach.operator_province_heatmap(frame, "delivery_rate", lang, in_filter=[32, 33, 35])
    (values,) = [tr for tr in fig.data if tr.type == "heatmap" and tr.name != "no_data"]
    assert list(values.x) == ["Jabar", "Jateng", "Jatim"]
    assert values.customdata[0] == [32, 33, 35]
    (grey,) = [tr for tr in fig.data if tr.name == "no_data"]
    assert np.isfinite(np.array(grey.z, dtype=float)).sum() == 1
    hover = " ".join(h for row in values.hovertext for h in row)
    assert "Aceh" not in hover and "Papua" not in hover
    notes = {a.name: a.text for a in fig.layout.annotations}
    outside = notes["outside_filter_note"]
    assert "35" in outside
    assert ("di luar filter" if lang == "id" else "outside the filter") in outside
    assert "no_data_note" in notes


def test_heatmap_without_a_province_filter_has_no_outside_note():
    fig = reach.operator_province_heatmap(_cells([32]), "delivery_rate")
    names = [a.name for a in fig.layout.annotations]
    assert "outside_filter_note" not in names and "no_data_note" in names


def test_heatmap_of_one_value_writes_its_colour_bar_as_the_value():
    frame = _cells([32], ["xl"]).assign(delivery_rate=49 / 51)
    fig = reach.operator_province_heatmap(frame, "delivery_rate", "id", in_filter=[32])
    (values,) = [tr for tr in fig.data if tr.type == "heatmap" and tr.name != "no_data"]
    assert list(values.colorbar.ticktext) == ["96,1%"]


def test_heatmap_turned_for_phones_has_provinces_down_and_values_written():
    fig = reach.operator_province_heatmap(_cells([32, 33]), "delivery_rate", "id",
                                          in_filter=[32, 33], provinces_as_rows=True)
    (values,) = [tr for tr in fig.data if tr.type == "heatmap" and tr.name != "no_data"]
    assert list(values.y) == ["Jawa Barat", "Jawa Tengah"]
    assert list(values.x) == ["Telkomsel", "XL"]  # short names across a phone
    assert values.texttemplate == "%{text}" and values.text[0] == ["90%", "90%"]
    assert [row[0] for row in values.customdata] == [32, 33]
    assert "Jawa Barat" in values.hovertext[0][1] and "XL Axiata" in values.hovertext[0][1]
    assert values.colorbar.orientation == "h"


# ---------------------------------------------------------------------------- ranked list
def test_province_ranking_lists_the_map_numbers_largest_first():
    frame = _provinces([32, 33, 35], "delivered_per_voter", [0.000021, 0.000034, 0.000015])
    fig = reach.province_ranking(frame, "delivered_per_voter", "id")
    (bars,) = fig.data
    assert list(bars.y) == ["1. Jawa Tengah", "2. Jawa Barat", "3. Jawa Timur"]
    assert list(bars.customdata) == [33, 32, 35]
    assert list(bars.text) == ["0,034", "0,021", "0,015"]  # as the tiles write them
    assert fig.layout.xaxis.title.text == "per 1.000 pemilih"


def test_province_ranking_leaves_out_the_provinces_outside_the_filter_and_says_so():
    frame = _provinces([32, 33, 11])
    fig = reach.province_ranking(frame, "delivery_rate", "en", in_filter=[32, 33, 35])
    assert sorted(fig.data[0].customdata) == [32, 33]
    note = reach.ranking_note(frame, "delivery_rate", "en", in_filter=[32, 33, 35])
    assert note == "No data: Jawa Timur. Outside the filter: 35 provinces."
    assert reach.ranking_note(_provinces(ALL_CODES), "delivery_rate", "id") is None
    # only what applies: no "Tanpa data: –" when every province in the filter has a value
    assert reach.ranking_note(frame, "delivery_rate", "id", in_filter=[32, 33]) == (
        "Di luar filter: 36 provinsi.")
    assert reach.ranking_note(_provinces([32]), "delivery_rate", "id") == (
        "Tanpa data: " + ", ".join(n for c, n in zip(tilemap.province_tiles()["province_code"],
                                                     tilemap.province_tiles()["name"],
                                                     strict=True) if c != 32) + ".")


def test_the_exported_tile_map_says_outside_the_filter_too(sample_db):
    """`python -m dashboard figure tile_map --province 32`: the other provinces are outside
    the filter, not 'no data', as on the page."""
    from dashboard.filters import Filters
    from dashboard.reports import figures_registry
    from dashboard.store import db

    with db.connect(sample_db, read_only=True) as conn:
        fig = figures_registry.figure(conn, "tile_map", Filters(provinces=(32,)), "en")
    hovers = " ".join(str(trace.hovertext or trace.hovertemplate or "") for trace in fig.data)
    assert "outside the filter" in hovers
