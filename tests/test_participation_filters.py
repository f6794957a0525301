"""The province choice and a user's province scope on the participation tests (visual review
item 1): the tests and the scatter cover only the chosen 2019 units, a unit of which only
some of today's provinces are chosen (Papua: 91, 93, 94, 95) is left out and named, and too
few units give the "too few provinces" refusal. Expected values are written out from the
rows inserted in tests/test_participation_channels.py, never from the code under test."""

from __future__ import annotations

import json

import pytest
import streamlit as st

from dashboard.filters import Filters
from dashboard.ingest.election import whole_2019_units
from dashboard.reports import tables
from tests.test_participation_channels import (  # noqa: F401 (fixtures)
    campaign,
    open_page,
    sms_only_db,
)


@pytest.mark.parametrize(("provinces", "whole", "partial"), [
    ((), (), ()),
    ((32,), (32,), ()),
    ((32, 11), (11, 32), ()),
    ((91,), (), (91,)),                        # Papua without its 2022 parts
    ((94,), (), (91,)),                        # Papua Tengah alone
    ((91, 93, 94, 95), (91,), ()),             # the whole 2019 unit
    ((32, 93, 94, 95), (32,), (91,)),
    ((96,), (), (92,)),                        # Papua Barat Daya without Papua Barat
    ((92, 96, 91), (92,), (91,)),
])
def test_whole_2019_units(provinces, whole, partial):
    assert whole_2019_units(provinces) == (whole, partial)


# (case, filters, units in the frame, partly chosen units, tests' n or the refusal)
FILTER_CASES = [
    ("no choice", Filters(), [11, 32, 91], [], 3),
    ("one province", Filters(provinces=(32,)), [32], [], "1 provinces left"),
    ("two provinces", Filters(provinces=(11, 32)), [11, 32], [], "2 provinces left"),
    ("all three units", Filters(provinces=(11, 32, 91, 93, 94, 95)), [11, 32, 91], [], 3),
    ("Papua without one part", Filters(provinces=(11, 32, 91, 93, 94)), [11, 32], [91],
     "2 provinces left"),
    ("only part of Papua", Filters(provinces=(94,)), [], [91], "0 provinces left"),
    ("scope", Filters().within((11, 32)), [11, 32], [], "2 provinces left"),
    ("scope with all of Papua", Filters().within((11, 32, 91, 93, 94, 95)), [11, 32, 91],
     [], 3),
    ("scope with part of Papua", Filters().within((11, 32, 94)), [11, 32], [91],
     "2 provinces left"),
    ("a choice inside the scope", Filters(provinces=(32,)).within((11, 32)), [32], [],
     "1 provinces left"),
    ("a choice outside the scope", Filters(provinces=(11,)).within((32,)), [], [],
     "0 provinces left"),
]


@pytest.mark.parametrize(("filters", "units", "partial", "outcome"),
                         [case[1:] for case in FILTER_CASES], ids=[c[0] for c in FILTER_CASES])
def test_the_tests_cover_only_the_chosen_units(campaign, filters, units,  # noqa: F811
                                               partial, outcome):
    frame = tables.participation_provinces(campaign, filters)
    assert list(frame["province_code"]) == units
    assert list(frame.attrs["partial_units"]) == partial
    results = tables.participation_tests(campaign, filters)
    if isinstance(outcome, int):
        assert set(results["n"]) == {outcome}
    else:
        assert results.empty and outcome in results.attrs["reason"]


def test_a_chosen_province_keeps_its_own_exposure(campaign):  # noqa: F811
    frame = tables.participation_provinces(
        campaign, Filters(provinces=(32, 11, 94))).set_index("province_code")
    # 2 delivered in 32 (DPT 2000); 11 had nothing; Papua (91) only partly chosen: left out
    assert frame["delivered_per_voter"].to_dict() == pytest.approx({11: 0, 32: 2 / 2000})


def test_the_page_with_one_province_refuses_the_tests_and_says_what_it_covers(
        sms_only_db, monkeypatch):  # noqa: F811
    at = open_page(sms_only_db, monkeypatch, "id")
    at.query_params["provinsi"] = "32"
    at.run()
    assert not at.exception, at.exception
    scatter = json.loads(at.get("plotly_chart")[0].proto.spec)  # the first chart
    points = sum(len(trace["hovertemplate"]) for trace in scatter["data"]  # one per point
                 if trace.get("mode", "").startswith("markers"))
    assert points == 1  # Jawa Barat alone, not 33 other provinces at exposure 0
    warnings = " ".join(w.value for w in at.warning)
    assert "Uji tidak dapat dihitung" in warnings and "1 provinces left" in warnings
    captions = " ".join(c.value for c in at.caption)
    assert "1 provinsi yang dipilih: Jawa Barat" in captions
    assert not [t for t in at.table if "Jumlah uji" in {*t.value.columns}]  # no BH family
    st.cache_resource.clear()


def test_the_page_names_a_partly_chosen_unit(sms_only_db, monkeypatch):  # noqa: F811
    at = open_page(sms_only_db, monkeypatch, "en")
    at.query_params["provinsi"] = ["31", "32", "33", "94"]
    at.run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Papua" in captions and "left out" in captions
    st.cache_resource.clear()
