"""The status-bar exposures of the participation analysis (issue 17): status-bar impressions
per voter and contacts per 1,000 voters (SMS delivered + impressions) per province, harmonised to
the 34 units of 2019; the Benjamini-Hochberg family they join; when they are not run; and
the Partisipasi page with them. Expected values are written out from the rows inserted here
(or come from scipy/statsmodels), never from the code under test."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from statsmodels.stats.multitest import multipletests
from streamlit.testing.v1 import AppTest

from dashboard import config
from dashboard.analysis import participation as pa
from dashboard.analysis.province_stats import NotEnoughData
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reference import provinces as reference_provinces
from dashboard.reports import tables
from dashboard.store import db
from tests.conftest import HEADER, receipt, write
from tests.test_app import APP

# --- the province exposure from rows inserted by hand -------------------------------------

# DPT 2024: Papua (91) and its 2022 parts 93, 94, 95 add up to 1,000 in the 2019 unit 91
ELECTION = [  # year, province, dpt, ballots_cast, valid, invalid
    (2019, 11, 900, 700, 690, 10), (2019, 32, 1900, 1500, 1470, 30),
    (2019, 91, 950, 900, 890, 10),
    (2024, 11, 1000, 800, 790, 10), (2024, 32, 2000, 1700, 1660, 40),
    (2024, 91, 100, 90, 89, 1), (2024, 93, 200, 180, 178, 2), (2024, 94, 300, 290, 287, 3),
    (2024, 95, 400, 399, 396, 3),
]
STATUS_BAR = [  # operator, wave, day, province (None: unknown), impressions
    ("telkomsel", "SB01", "2024-01-05", 32, 500),
    ("xl", "SB01", "2024-01-05", 32, 300),
    ("telkomsel", "SB01", "2024-01-05", 94, 250),   # Papua Tengah -> Papua (91)
    ("telkomsel", "SB02", "2024-01-07", 95, 150),   # Papua Pegunungan -> Papua (91)
    ("telkomsel", "SB02", "2024-01-06", 91, 100),
    ("xl", "SB02", "2024-01-06", None, 999),        # no province: counts nowhere
]
# SMS (sent 5 Dec 2023, wave SMS01): telkomsel 2 delivered in 32 and 1 failed in 91, xl 1
# delivered in 94 (Papua)
RECEIPTS = [receipt("A1", msisdn="081200000001", province="32"),
            receipt("A2", msisdn="081200000002", province="32"),
            receipt("A3", msisdn="081200000003", province="91", status="UNDELIV",
                    error="027"),
            receipt("A4", msisdn="081700000004", province="94", operator="xl")]


def insert_election(conn, rows=ELECTION) -> None:
    conn.executemany("INSERT INTO election_results VALUES (?, ?, ?, ?, ?, ?, 'test', 1)",
                     [list(row) for row in rows])


def insert_status_bar(conn, rows=STATUS_BAR) -> None:
    if not rows:
        return
    conn.executemany("INSERT INTO status_bar_impressions VALUES (?, ?, ?, ?, ?, ?, NULL, 2)",
                     [[op, wave, day, prov, n, n // 2] for op, wave, day, prov, n in rows])


@pytest.fixture
def campaign(conn, tmp_path):
    """A fresh database: the election rows, four receipts and the status-bar rows above."""
    insert_election(conn)
    assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *RECEIPTS])).ok
    insert_status_bar(conn)
    return conn


@pytest.mark.parametrize(("filters", "expected", "unplaced"), [
    # province: (status-bar impressions per 1,000 voters, contacts per 1,000 voters)
    (Filters(), {11: (0, 0), 32: (800 / 2000, 802 / 2000), 91: (500 / 1000, 501 / 1000)},
     999),
    (Filters(operators=("telkomsel",)),
     {11: (0, 0), 32: (500 / 2000, 502 / 2000), 91: (500 / 1000, 500 / 1000)}, 0),
    (Filters(waves=("SB02",)), {11: (0, 0), 32: (0, 0), 91: (250 / 1000, 250 / 1000)}, 999),
    (Filters(date_from=datetime.date(2024, 1, 6), date_to=datetime.date(2024, 1, 6)),
     {11: (0, 0), 32: (0, 0), 91: (100 / 1000, 100 / 1000)}, 999),
    (Filters(waves=("SMS01", "SB01")),
     {11: (0, 0), 32: (800 / 2000, 802 / 2000), 91: (250 / 1000, 251 / 1000)}, 0),
])
def test_status_bar_exposure_per_province_by_hand(campaign, filters, expected, unplaced):
    # (a province choice leaves the other units out: tests/test_participation_filters.py)
    frame = tables.participation_provinces(campaign, filters).set_index("province_code")
    assert list(frame.index) == [11, 32, 91]  # Papua's parts are in 91, never rows of their own
    assert frame.attrs["status_bar"] == pa.STATUS_BAR_PRESENT
    assert frame.attrs["status_bar_unplaced"] == unplaced
    for code, (status_bar, contacts) in expected.items():
        assert frame.loc[code, "status_bar_per_voter"] == pytest.approx(status_bar, abs=1e-12)
        assert frame.loc[code, "contacts_per_voter"] == pytest.approx(contacts, abs=1e-12)


def test_sms_exposure_is_unchanged_beside_the_status_bar(campaign):
    frame = tables.participation_provinces(campaign, Filters()).set_index("province_code")
    assert frame["delivered_per_voter"].to_dict() == pytest.approx(
        {11: 0, 32: 2 / 2000, 91: 1 / 1000})
    assert frame.loc[91, "dpt_2024"] == 1000  # 100 + 200 + 300 + 400


def test_exposure_mart_rows(campaign):
    mart = db.run(campaign, "marts/exposure_province", **Filters().params())
    rows = {(None if pd.isna(code) else int(code)): (delivered, impressions)
            for code, delivered, impressions in mart[["province_code", "delivered",
                                                       "status_bar_impressions"]].itertuples(
                                                           index=False)}
    # 91 had a failed SMS and 100 impressions; 95 and NULL only status-bar rows
    assert rows == {32: (2, 800), 91: (0, 100), 94: (1, 250), 95: (0, 150), None: (0, 999)}
    assert mart["status_bar_loaded"].all()
    assert list(mart["province_code"].iloc[:-1]) == [32, 91, 94, 95]  # unknown last


@pytest.mark.parametrize(("status_bar", "filters", "state"), [
    ([], Filters(), pa.STATUS_BAR_NOT_LOADED),
    (STATUS_BAR, Filters(waves=("SMS01",)), pa.STATUS_BAR_OUTSIDE_FILTERS),
    (STATUS_BAR, Filters(date_to=datetime.date(2023, 12, 31)), pa.STATUS_BAR_OUTSIDE_FILTERS),
])
def test_no_status_bar_rows_in_the_filters(conn, tmp_path, status_bar, filters, state):
    insert_election(conn)
    assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *RECEIPTS])).ok
    insert_status_bar(conn, status_bar)
    mart = db.run(conn, "marts/exposure_province", **filters.params())
    assert mart["status_bar_impressions"].isna().all() and len(mart) == 3  # 32, 91, 94
    assert bool(mart["status_bar_loaded"].all()) is bool(status_bar)
    frame = tables.participation_provinces(conn, filters)
    assert frame.attrs["status_bar"] == state
    assert "status_bar_per_voter" not in frame and "contacts_per_voter" not in frame
    assert pa.available_exposures(frame) == ("delivered_per_voter", "reach_per_voter")
    assert tables.participation_tests(conn, filters).attrs["status_bar"] == state


@pytest.mark.parametrize(("rows", "unplaced"), [
    ([("xl", "SB01", "2024-01-05", None, 40)], 40),              # only an unknown province
    ([("xl", "SB01", "2024-01-05", 32, 0), ("xl", "SB01", "2024-01-06", 94, 0)], 0),  # zeros
])
def test_status_bar_rows_without_placed_impressions(conn, tmp_path, rows, unplaced):
    insert_election(conn)
    assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *RECEIPTS])).ok
    insert_status_bar(conn, rows)
    frame = tables.participation_provinces(conn, Filters())
    assert frame.attrs["status_bar"] == pa.STATUS_BAR_NONE_PLACED
    assert frame.attrs["status_bar_unplaced"] == unplaced
    assert (frame["status_bar_per_voter"] == 0).all()  # all zero, not missing
    assert (frame["contacts_per_voter"] == frame["delivered_per_voter"]).all()
    assert pa.available_exposures(frame) == ("delivered_per_voter", "reach_per_voter")


def test_one_province_is_not_enough(conn, tmp_path):
    insert_election(conn, [row for row in ELECTION if row[1] == 32])
    assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *RECEIPTS])).ok
    insert_status_bar(conn)
    frame = tables.participation_provinces(conn, Filters())
    assert len(frame) == 1 and frame["status_bar_per_voter"].item() == pytest.approx(0.4)
    results = tables.participation_tests(conn, Filters())
    assert results.empty and "at least 3" in results.attrs["reason"]
    assert results.attrs["status_bar"] == pa.STATUS_BAR_PRESENT
    assert pa.adjusted_family(results).empty


# --- the Benjamini-Hochberg family ---------------------------------------------------------

CODES_2019 = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61,
              62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92]
LEVEL = ("pearson", "spearman", "pearson_permutation", "pearson_dpt_weighted")
CHANGE = LEVEL + ("ols_change_hc3",)


def province_table(status_bar: str | None = "varied", seed: int = 3) -> pd.DataFrame:
    """34 provinces; status_bar: 'varied', 'zero', 'one' (one province only) or None."""
    rng = np.random.default_rng(seed)
    n = len(CODES_2019)
    delivered = rng.uniform(0.5, 3.0, n)
    turnout_2019 = rng.uniform(0.75, 0.88, n)
    frame = pd.DataFrame({
        "province_code": CODES_2019, "name": [str(c) for c in CODES_2019],
        "dpt_2024": rng.integers(400_000, 36_000_000, n).astype(float),
        "delivered_per_voter": delivered, "reach_per_voter": delivered / 2,
        "turnout_2019": turnout_2019,
        "turnout_2024": turnout_2019 + 0.01 * delivered + rng.normal(0, 0.01, n),
        "invalid_rate_2019": rng.uniform(0.015, 0.035, n),
        "invalid_rate_2024": rng.uniform(0.015, 0.035, n),
        "noken": [c == 91 for c in CODES_2019]})
    if status_bar is not None:
        impressions = {"varied": rng.uniform(0, 6, n), "zero": np.zeros(n),
                       "one": np.where(np.arange(n) == 5, 2.5, 0.0)}[status_bar]
        frame["status_bar_per_voter"] = impressions
        frame["contacts_per_voter"] = delivered + impressions
    return frame


@pytest.mark.parametrize(("status_bar", "exclude_noken", "exposures", "size"), [
    # per exposure: 2 outcomes x (4 correlations on the 2024 level + 5 tests on the change)
    (None, False, ["delivered_per_voter", "reach_per_voter"], 2 * 2 * (4 + 5)),
    (None, True, ["delivered_per_voter", "reach_per_voter"], 2 * 2 * (4 + 5)),
    ("varied", False, ["delivered_per_voter", "reach_per_voter", "status_bar_per_voter",
                       "contacts_per_voter"], 4 * 2 * (4 + 5)),
    ("varied", True, ["delivered_per_voter", "reach_per_voter", "status_bar_per_voter",
                      "contacts_per_voter"], 4 * 2 * (4 + 5)),
    # all zero: nothing to correlate, and contacts would repeat delivered: not run
    ("zero", False, ["delivered_per_voter", "reach_per_voter"], 2 * 2 * (4 + 5)),
])
def test_family_size(status_bar, exclude_noken, exposures, size):
    results = pa.participation_tests(province_table(status_bar), exclude_noken=exclude_noken,
                                     n_resamples=199)
    assert len(results) == size
    assert list(dict.fromkeys(results["exposure"])) == exposures
    assert results["p_value"].notna().all() and results["p_adjusted"].notna().all()
    family = pa.adjusted_family(results)
    assert family["n_tests"].sum() == size
    assert list(family["exposure"]) == [e for e in exposures for _ in range(4)]
    for _, row in family.iterrows():
        assert row["methods"] == (CHANGE if row["outcome"].endswith("_change") else LEVEL)


def test_one_province_with_impressions_runs_but_its_ols_is_skipped():
    """Impressions in one province only: the correlations run (there is variation), the
    OLS on the change does not (that province alone fixes the fit: HC3 undefined); the
    skipped pair is named and is not in the family as a NaN."""
    results = pa.participation_tests(province_table("one"), n_resamples=199)
    assert len(results) == 4 * 2 * (4 + 5) - 2
    assert results["p_value"].notna().all()
    assert sorted(results.attrs["skipped"]) == [
        "ols_change_hc3 status_bar_per_voter x invalid_rate_change: one province alone "
        "determines the fit (leverage 1): the HC3 standard error is undefined",
        "ols_change_hc3 status_bar_per_voter x turnout_change: one province alone "
        "determines the fit (leverage 1): the HC3 standard error is undefined"]
    family = pa.adjusted_family(results).set_index(["exposure", "outcome"])
    assert family.loc[("status_bar_per_voter", "turnout_change"), "methods"] == LEVEL
    assert family.loc[("contacts_per_voter", "turnout_change"), "methods"] == CHANGE
    assert family["n_tests"].sum() == len(results)


def test_family_leaves_out_a_pair_without_data():
    frame = province_table("varied")
    frame.loc[2:, "invalid_rate_2019"] = np.nan  # 2 provinces left: no change test
    results = pa.participation_tests(frame, n_resamples=199)
    assert len(results) == 4 * (4 + 5 + 4)  # turnout level + change, invalid level only
    assert sum("invalid_rate_change" in s for s in results.attrs["skipped"]) == 4 * 5
    assert pa.adjusted_family(results)["n_tests"].sum() == len(results)


def test_family_counts_only_rows_with_a_p_value():
    results = pd.DataFrame({
        "test": ["pearson", "spearman", "pearson", "ols_change_hc3"],
        "exposure": ["status_bar_per_voter"] * 2 + ["contacts_per_voter"] * 2,
        "outcome": ["turnout_2024", "turnout_2024", "turnout_change", "turnout_change"],
        "p_value": [0.2, np.nan, 0.01, 0.03]})
    family = pa.adjusted_family(results)
    assert family.to_dict("records") == [
        {"exposure": "status_bar_per_voter", "outcome": "turnout_2024",
         "methods": ("pearson",), "n_tests": 1},
        {"exposure": "contacts_per_voter", "outcome": "turnout_change",
         "methods": ("pearson", "ols_change_hc3"), "n_tests": 2}]
    assert list(pa.adjusted_family(pd.DataFrame(columns=list(pa.RESULT_COLUMNS))).columns) == [
        "exposure", "outcome", "methods", "n_tests"]
    # no results at all (the tests were not run) is an empty family too, not an error
    assert list(pa.adjusted_family(None).columns) == ["exposure", "outcome", "methods",
                                                      "n_tests"]


def test_bh_over_the_grown_family_matches_statsmodels():
    results = pa.participation_tests(province_table("varied"), n_resamples=199)
    assert len(results) == 72
    expected = multipletests(results["p_value"].to_numpy(), method="fdr_bh")[1]
    np.testing.assert_allclose(results["p_adjusted"], expected, rtol=1e-12)
    # the SMS rows are adjusted over all 72 tests, not over their own 36
    sms = results["exposure"].isin(pa.EXPOSURES)
    alone = multipletests(results.loc[sms, "p_value"].to_numpy(), method="fdr_bh")[1]
    assert not np.allclose(results.loc[sms, "p_adjusted"], alone)


def test_bh_on_quoted_p_values_matches_statsmodels():
    """The same adjustment on raw p-values written out here: a family of 12 as two exposures
    x one outcome x six tests would give; statsmodels' fdr_bh is the reference."""
    raw = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251]
    frame = pd.DataFrame({"p_value": raw})
    from dashboard.analysis.multiple_testing import benjamini_hochberg

    np.testing.assert_allclose(benjamini_hochberg(frame["p_value"]),
                               multipletests(raw, method="fdr_bh")[1], rtol=1e-12)
    # written out: p_(1) = 0.001 * 12 / 1; p_(3), p_(4), p_(5) take the smaller 0.042 * 12 / 5
    # of rank 5; p_(8) takes 0.222 * 12 / 11 of rank 11; p_(12) stays 0.251
    adjusted = benjamini_hochberg(raw)
    assert adjusted[0] == pytest.approx(0.012)
    assert adjusted[2:5] == pytest.approx([0.042 * 12 / 5] * 3)
    assert adjusted[7] == pytest.approx(0.222 * 12 / 11)
    assert adjusted[11] == pytest.approx(0.251)


def test_explicit_status_bar_exposure_without_variation_is_skipped_not_nan():
    results = pa.participation_tests(province_table("zero"),
                                     exposures=["delivered_per_voter", "status_bar_per_voter"],
                                     tests=["pearson"])
    assert set(results["exposure"]) == {"delivered_per_voter"}
    assert any("status_bar_per_voter" in s and "same value" in s
               for s in results.attrs["skipped"])


def test_only_status_bar_without_variation_raises():
    with pytest.raises(NotEnoughData):
        pa.participation_tests(province_table("zero"), exposures=["status_bar_per_voter"])


def test_the_tests_export_names_the_status_bar_as_a_source(conn, tmp_path):
    """A loaded status-bar file is a source of participation_tests (its rows hold the
    status-bar exposures), beside the receipts and the election results."""
    from dashboard.export.provenance import data_of_table, provenance

    assert data_of_table("participation_tests") == ("receipts", "status_bar", "election")
    assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *RECEIPTS])).ok
    assert ingest_file(conn, write(tmp_path, "status_bar_xl.csv", [
        "operator,wave_id,date,province,impressions,unique_devices,clicks",
        "xl,SB01,2024-01-05,32,300,150,"]), kind="status_bar").ok
    origin = provenance(conn, data_of_table("participation_tests"), Filters(), "en")
    assert any(s.startswith("Source: status-bar impression reports of XL") for s in
               origin.sources), origin.sources
    assert any(s.startswith("Source: delivery reports of") for s in origin.sources)


# --- plain language --------------------------------------------------------------------------

ROW = {"test": "pearson", "exposure": "status_bar_per_voter", "outcome": "turnout_change",
       "estimate": 0.32, "ci_low": 0.01, "ci_high": 0.58, "p_value": 0.04, "p_adjusted": 0.21,
       "n": 34}
OLS = {**ROW, "test": "ols_change_hc3", "exposure": "contacts_per_voter", "estimate": 0.8,
       "ci_low": -0.4, "ci_high": 2.0, "p_value": 0.0004, "p_adjusted": 0.002}


@pytest.mark.parametrize(("row", "lang", "expected"), [
    (ROW, "id", "Korelasi Pearson, tayangan status bar per 1.000 pemilih dan perubahan partisipasi "
                "pemilih 2019-2024: r = 0,32 (IK 95%: 0,01 sampai 0,58; n = 34 provinsi): "
                "hubungan positif yang sedang. p = 0,040; p terkoreksi = 0,210."),
    (ROW, "en", "Pearson correlation, status-bar impressions per 1,000 voters and the change in "
                "turnout 2019-2024: r = 0.32 (95% CI: 0.01 to 0.58; n = 34 provinces): a "
                "moderate positive association. p = 0.040; adjusted p = 0.210."),
    (OLS, "id", "Regresi OLS (galat HC3): setiap tambahan 1 kontak (pesan diterima atau "
                "tayangan status bar) per 1.000 pemilih sejalan dengan perubahan partisipasi "
                "pemilih 2019-2024 sebesar +0,80 poin persentase (IK 95%: -0,40 sampai +2,00; "
                "n = 34 provinsi), pada provinsi dengan tingkat 2019 yang sama. p < 0,001; "
                "p terkoreksi = 0,002."),
    (OLS, "en", "OLS regression (HC3 errors): each additional contact (a message delivered or "
                "a status-bar impression) per 1,000 voters goes with a change in turnout "
                "2019-2024 of +0.80 percentage points (95% CI: -0.40 to +2.00; n = 34 "
                "provinces), among provinces with the same 2019 level. p < 0.001; adjusted p = "
                "0.002."),
    ({**ROW, "exposure": "contacts_per_voter", "test": "spearman"}, "en",
     "Spearman correlation, contacts per 1,000 voters (SMS delivered + status bar) and the change "
     "in turnout 2019-2024: rho = 0.32 (95% CI: 0.01 to 0.58; n = 34 provinces): a moderate "
     "positive association. p = 0.040; adjusted p = 0.210."),
])
def test_status_bar_sentences(row, lang, expected):
    assert pa.interpret_participation_row(row, lang) == expected


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("exposure", pa.STATUS_BAR_EXPOSURES)
def test_sentences_name_the_exposure_as_the_chart_does(exposure, lang):
    """The chart's axis label, per 1,000 voters, never a share of voters reached."""
    from dashboard.charts.style import exposure_label

    sentence = pa.interpret_participation_row({**ROW, "exposure": exposure}, lang)
    label = exposure_label(exposure, lang)
    assert label.lower() in sentence.lower()
    assert ("per 1.000 pemilih" if lang == "id" else "per 1,000 voters") in label
    assert "%" not in label and "reached" not in label and "terjangkau" not in label


@pytest.mark.parametrize(("exposure", "lang", "caveats"), [
    ("status_bar_per_voter", "id", [
        "Ini asosiasi, bukan sebab-akibat: provinsi yang lebih banyak menerima SMS atau "
        "tayangan status bar bisa berbeda dalam banyak hal lain (kota/desa, jaringan seluler, "
        "jumlah ponsel pintar, kegiatan kampanye lain).",
        "Hasil ini dihitung antar-provinsi (n = 34). Hubungan antar-provinsi tidak berlaku "
        "otomatis bagi tiap pemilih (kekeliruan ekologis): data ini tidak dapat menunjukkan "
        "apakah orang yang menerima SMS atau melihat status bar sendiri lebih banyak memilih "
        "atau lebih jarang membuat suara tidak sah.",
        "Tayangan status bar adalah hitungan operator atas tampilan teks di layar, bukan "
        "orang: satu orang bisa melihatnya berkali-kali, jadi angka per pemilih bisa lebih "
        "dari 1."]),
    ("contacts_per_voter", "en", [
        "This is an association, not causation: provinces with more SMS or status-bar "
        "impressions can differ in many other ways (urbanisation, mobile networks, smartphone "
        "ownership, other campaign activity).",
        "These results compare provinces (n = 34). A relation between provinces need not hold "
        "for individual voters (the ecological fallacy): these data cannot show whether the "
        "people who received the SMS or saw the status bar themselves voted more or cast fewer "
        "invalid ballots.",
        "Status-bar impressions are the operators' counts of the text shown on screens, not "
        "people: one person can see it many times, so per-voter figures can exceed 1."]),
    # SMS alone: the SMS wording, no status-bar note
    ("delivered_per_voter", "en", [
        "This is an association, not causation: provinces that received more SMS can differ in "
        "many other ways (urbanisation, mobile networks, other campaign activity).",
        "These results compare provinces (n = 34). A relation between provinces need not hold "
        "for individual voters (the ecological fallacy): these data cannot show whether the "
        "recipients themselves voted more or cast fewer invalid ballots."]),
])
def test_status_bar_caveats(exposure, lang, caveats):
    sentences = pa.interpret_participation(pd.DataFrame([{**ROW, "exposure": exposure}]), lang,
                                           noken_excluded=False)
    assert sentences[1:1 + len(caveats)] == caveats
    assert len(sentences) == 1 + len(caveats) + 2  # the row, caveats, noken, p-values


# --- the page ------------------------------------------------------------------------------

OPERATORS = {"telkomsel": "0812", "indosat": "0815", "xl": "0817", "smartfren": "0881"}


def page_database(folder, status_bar: bool):
    """Receipts in every province but 96, the sample's election results, and (optionally)
    status-bar rows that vary by province, one of them without a province."""
    path = folder / "app.duckdb"
    codes = [c for c in reference_provinces()["province_code"] if c != 96]
    lines = [HEADER] + [
        receipt(f"M{n}", msisdn=f"{OPERATORS[op]}{n % 170:08d}", operator=op,
                province=str(codes[n % len(codes)]), wave=f"SMS0{n % 3 + 1}",
                submitted=f"2024-01-0{n % 3 + 1} 10:00:00", done=f"2024-01-0{n % 3 + 1} 10:01:00")
        for n, op in ((n, list(OPERATORS)[n % 4]) for n in range(300))]
    with db.connect(path) as conn:
        assert ingest_file(conn, write(folder, "receipts.csv", lines)).ok
        assert ingest_file(conn, config.SAMPLE_DIR / "election_results.csv").ok
        if status_bar:
            rows = [("telkomsel", "SB01", "2024-01-02", int(code), 1000 * (i % 7 + 1))
                    for i, code in enumerate(codes)]
            insert_status_bar(conn, rows + [("xl", "SB01", "2024-01-02", None, 1234)])
    return path


@pytest.fixture(scope="module")
def status_bar_db(tmp_path_factory):
    return page_database(tmp_path_factory.mktemp("sb_page"), status_bar=True)


@pytest.fixture(scope="module")
def sms_only_db(tmp_path_factory):
    return page_database(tmp_path_factory.mktemp("sms_page"), status_bar=False)


def open_page(path, monkeypatch, lang: str) -> AppTest:
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.button_group(key="lang").set_value(lang).run()
    at.switch_page("app_pages/partisipasi.py").run()
    assert not at.exception, at.exception
    return at


PAGE_TEXT = {
    "id": {"label": "Tayangan status bar per 1.000 pemilih", "sentence": "tayangan status bar per "
           "1.000 pemilih dan", "whatsapp": "Saluran WhatsApp tidak ikut uji per provinsi",
           "unplaced": "1.234 tayangan status bar tanpa provinsi", "family": "72 uji",
           "caveat": "bukan sebab-akibat", "columns": {"Paparan", "Hasil", "Metode",
                                                        "Jumlah uji"}},
    "en": {"label": "Status-bar impressions per 1,000 voters", "sentence": "status-bar impressions "
           "per 1,000 voters and", "whatsapp": "The WhatsApp Channel is not in the province tests",
           "unplaced": "1,234 status-bar impressions without a known province",
           "family": "72 tests", "caveat": "not causation",
           "columns": {"Exposure", "Outcome", "Methods", "Tests"}},
}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_page_with_status_bar_data(status_bar_db, monkeypatch, lang):
    text = PAGE_TEXT[lang]
    at = open_page(status_bar_db, monkeypatch, lang)
    picker = at.selectbox(key="paparan")
    assert list(picker.options) == [
        {"id": "Pesan diterima per 1.000 pemilih", "en": "Messages delivered per 1,000 "
         "voters"}[lang],
        {"id": "Jangkauan unik per 1.000 pemilih", "en": "Unique reach per 1,000 voters"}[lang],
        text["label"],
        {"id": "Kontak per 1.000 pemilih (SMS diterima + status bar)",
         "en": "Contacts per 1,000 voters (SMS delivered + status bar)"}[lang]]
    picker.set_value("status_bar_per_voter").run()
    assert not at.exception, at.exception
    markdown = " ".join(m.value for m in at.markdown)
    captions = " ".join(c.value for c in at.caption)
    assert text["sentence"] in markdown and text["caveat"] in markdown
    assert "nan" not in markdown.lower().replace("nanggroe", "")
    assert text["whatsapp"] in captions and text["unplaced"] in captions
    assert text["family"] in captions
    assert not [i for i in at.info if "status" in i.value]  # they ran: no "not run" note
    family = next(table.value for table in at.table
                  if text["columns"] <= {table.value.index.name, *table.value.columns})
    assert len(family) == 16 and list(family.iloc[:, 1]) == ["4", "5"] * 8  # level, change
    exposures = {label.replace("\\", "") for label in family.index}  # Markdown-escaped
    assert text["label"] in exposures and len(exposures) == 4


def test_page_without_status_bar_data_says_the_tests_are_not_run(sms_only_db, monkeypatch):
    at = open_page(sms_only_db, monkeypatch, "id")
    assert len(at.selectbox(key="paparan").options) == 2
    assert any("Belum ada data status bar yang dimuat" in i.value for i in at.info)
    captions = " ".join(c.value for c in at.caption)
    assert "36 uji" in captions and "Saluran WhatsApp tidak ikut" in captions
    st.cache_resource.clear()
