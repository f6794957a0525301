"""Election results validation (pure pandas) and harmonisation to the 34 units of 2019."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.ingest.election import (
    CLEAN_COLUMNS,
    ELECTION_COLUMNS,
    harmonise_to_2019_units,
    parse_counts,
    validate_election,
)
from dashboard.sample.election import election_results

NAMES = {"aceh": 11, "jawa barat": 32, "jabar": 32, "papua": 91, "papua barat": 92,
         "papua selatan": 93, "papua tengah": 94, "papua pegunungan": 95,
         "papua barat daya": 96}


def lookup(text: str) -> int | None:
    """A tiny stand-in for dashboard.reference.province_code."""
    key = str(text).strip().lower()
    return int(key) if key.isdigit() and int(key) in NAMES.values() else NAMES.get(key)


def frame(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([[str(v) for v in r] for r in rows], columns=list(ELECTION_COLUMNS),
                        dtype="string")


GOOD = (2024, "Jawa Barat", 35714901, 29438041, 28726523, 711518, "KPU")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ((" x", "Aceh", 100, 90, 88, 2, "KPU"), "bad_year"),
        ((1900, "Aceh", 100, 90, 88, 2, "KPU"), "bad_year"),
        ((2024, "Atlantis", 100, 90, 88, 2, "KPU"), "unknown_province"),
        ((2024, "", 100, 90, 88, 2, "KPU"), "unknown_province"),
        ((2019, "Papua Tengah", 100, 90, 88, 2, "KPU"), "province_not_in_year"),
        ((2024, "Aceh", "", 90, 88, 2, "KPU"), "bad_dpt"),
        ((2024, "Aceh", 0, 90, 88, 2, "KPU"), "bad_dpt"),
        ((2024, "Aceh", "1e5", 90, 88, 2, "KPU"), "bad_dpt"),
        ((2024, "Aceh", 100, "9o", 88, 2, "KPU"), "bad_count: ballots_cast"),
        ((2024, "Aceh", 100, 90, -88, 2, "KPU"), "bad_count: valid_votes"),
        ((2024, "Aceh", 100, 90, 88, "2.5", "KPU"), "bad_count: invalid_votes"),
        # a total of the other rows, said so whatever else is wrong with it
        ((2024, "Jumlah", 100, 90, 88, 2, "KPU"), "total_row: a total of other rows"),
        ((2024, " TOTAL NASIONAL ", 100, 90, 88, 2, "KPU"), "total_row"),
        (("", "Indonesia", 100, 90, 88, 2, "KPU"), "total_row"),
        ((2024, "Grand Total", 0, "x", 88, 2, "KPU"), "total_row"),
    ],
)
def test_rejects_with_reason_and_physical_line(row, reason):
    clean, rejects, _ = validate_election(frame(GOOD, row), lookup)
    assert len(clean) == 1 and len(rejects) == 1
    assert rejects.loc[0, "reason"].startswith(reason)
    assert rejects.loc[0, "line"] == 3  # header is line 1, GOOD is line 2
    assert rejects.loc[0, "raw"].split(",")[1] == str(row[1])
    assert list(rejects.columns) == ["line", "reason", "raw"]


REGENCIES = {"kota bandung": 3273, "3273": 3273}


@pytest.mark.parametrize(("regency", "province", "reason"), [
    ("Jumlah", "Jawa Barat", "total_row: a total of other rows, not counted twice"),
    ("Total", "", "total_row: a total of other rows, not counted twice"),
    ("Kota Bandung", "Jawa Barat", None),
])
def test_a_regency_file_total_row_is_rejected_as_a_total(regency, province, reason):
    from dashboard.ingest.election import validate_election_file

    df = frame((2024, province, 100, 90, 88, 2, "KPU")).assign(regency=regency)
    checked = validate_election_file(df, lookup, lambda t: REGENCIES.get(t.strip().lower()),
                                     {3273: 32})
    assert checked.rejects["reason"].tolist() == ([reason] if reason else [])
    assert len(checked.clean_regency) == (0 if reason else 1) and checked.clean.empty


def test_first_failing_check_wins():
    _, rejects, _ = validate_election(frame((2024, "Atlantis", 0, "x", 1, 1, "")), lookup)
    assert rejects.loc[0, "reason"].startswith("unknown_province")


def test_duplicate_year_province_is_rejected_with_the_first_line():
    clean, rejects, _ = validate_election(frame(GOOD, GOOD[:1] + ("32",) + GOOD[2:]), lookup)
    assert len(clean) == 1
    assert rejects.loc[0, "reason"] == "duplicate: year 2024, province 32 already given on line 2"


def test_reader_line_column_is_used():
    df = frame(GOOD, (2024, "Atlantis", 1, 1, 1, 0, ""))
    df.insert(0, "line", [7, 9])
    clean, rejects, _ = validate_election(df, lookup)
    assert clean.loc[0, "line"] == 7 and rejects.loc[0, "line"] == 9


def test_counts_written_as_floats_load():
    # pandas/R write a count column with a blank as floats; a code column too ('32.0')
    row = (2024, "Jawa Barat", "35714901.0", "29438041.0", "28726523.00", "711518.0", "KPU")
    clean, rejects, _ = validate_election(frame(row), lookup)
    assert rejects.empty
    assert clean.loc[0, ["dpt", "ballots_cast", "valid_votes", "invalid_votes"]].tolist() == [
        35714901, 29438041, 28726523, 711518]


def test_clean_rows_are_typed():
    clean, _, _ = validate_election(frame(GOOD, (2019, "aceh", "3.523.774", "", "2,804,934",
                                                 "", "")), lookup)
    assert tuple(clean.columns) == CLEAN_COLUMNS
    assert clean["province_code"].tolist() == [32, 11]
    assert clean.loc[1, "dpt"] == 3523774 and clean.loc[1, "valid_votes"] == 2804934
    assert pd.isna(clean.loc[1, "ballots_cast"]) and pd.isna(clean.loc[1, "source"])


@pytest.mark.parametrize(
    ("text", "value", "bad"),
    [("3742037", 3742037, False), ("3.742.037", 3742037, False), ("3,742,037", 3742037, False),
     (" 12 ", 12, False), ("", None, False), ("3.74", None, True), ("-1", None, True),
     ("1.234,567", None, True), ("12a", None, True),
     # the widest count a BIGINT holds, and one digit more (it used to wrap to a negative)
     ("999999999999999999", 999999999999999999, False),
     ("99999999999999999999", None, True), ("9.999.999.999.999.999.999", None, True),
     # other scripts' digits are not a count (they used to be read as "not given")
     ("\uff11\uff12\uff13", None, True), ("\u0663", None, True),
     # a whole number written as a float: pandas/R write a count column holding one blank
     # as floats ('28289413.0'); spreadsheets with two decimals write '12.00' or '1,234.00'
     ("28289413.0", 28289413, False), ("12.00", 12, False), ("0.0", 0, False),
     ("3,742,037.00", 3742037, False), (" 1.0 ", 1, False),
     # three zeros are Indonesian grouping, not a fraction: '1.000' is a thousand
     ("1.000", 1000, False), ("12.000", 12000, False),
     # a fraction that is not zero, or a zero fraction where it cannot be one, is no count
     ("12.5", None, True), ("12.50", None, True), ("12.05", None, True), ("12.", None, True),
     (".0", None, True), ("1.000.0", None, True), ("1,234,00", None, True),
     # the Indonesian decimal comma after dot grouping: the same count as '1,234.00'
     ("1.234,00", 1234, False), ("1234,0", 1234, False),
     ("12.0.0", None, True), ("\u0663.0", None, True), ("9" * 19 + ".0", None, True)],
)
def test_parse_counts(text, value, bad):
    values, flags = parse_counts(pd.Series([text], dtype="string"))
    assert (pd.isna(values[0]) if value is None else values[0] == value)
    assert bool(flags[0]) is bad


@pytest.mark.parametrize(
    ("row", "warning"),
    [
        ((2024, "Aceh", 1000, 800, 700, 900, ""), "invalid_exceeds_ballots"),
        ((2024, "Aceh", 1000, 800, 780, 11, ""), "sum_mismatch"),  # 1.125% off
        ((2024, "Papua Tengah", 1000, 1004, 990, 14, ""), "turnout_above_100: turnout 100.4% "
         "(expected in the Papua highlands"),
        ((2024, "Aceh", 1000, 1010, 1000, 10, ""), "turnout_above_100: turnout 101.0% (check"),
        ((2024, "Aceh", 1000, "", 780, "", ""), "missing_value: ballots_cast, invalid_votes"),
        # a count not yet in, written as 0: kept, never silent
        ((2024, "Aceh", 1000, 0, 0, 0, ""), "turnout_zero: no ballots cast, turnout 0%"),
        ((2024, "Aceh", 1000, 0, 780, 20, ""),
         "sum_mismatch: valid + invalid is 800 with no ballots cast"),
    ],
)
def test_warnings_keep_the_row(row, warning):
    clean, rejects, warnings = validate_election(frame(row), lookup)
    assert len(clean) == 1 and rejects.empty
    assert any(w.startswith(warning) for w in warnings["warning"]), warnings["warning"].tolist()
    assert warnings.loc[0, "line"] == 2 and list(warnings.columns) == ["line", "province_code",
                                                                       "year", "warning"]


def test_sum_off_by_exactly_one_percent_is_not_a_warning():
    _, _, warnings = validate_election(frame((2024, "Aceh", 1000, 800, 784, 8, "")), lookup)
    assert warnings.empty  # 784 + 8 = 792 against 800: exactly 1%, the limit


def test_missing_year_warning_skips_provinces_that_did_not_exist():
    rows = [(2019, "Aceh", 10, 9, 8, 1, ""), (2024, "Papua Tengah", 10, 9, 8, 1, ""),
            (2019, "Jawa Barat", 10, 9, 8, 1, ""), (2024, "Jawa Barat", 10, 9, 8, 1, "")]
    _, _, warnings = validate_election(frame(*rows), lookup)
    missing = warnings[warnings["warning"].str.startswith("missing_year")]
    assert missing[["province_code", "year"]].values.tolist() == [[11, 2024]]
    assert missing["line"].isna().all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    GOOD, (2019, "Aceh", 10, 9, 8, 1, ""), (2024, "Atlantis", 1, 1, 1, 0, ""),
    ("x", "Aceh", 1, 1, 1, 0, ""), (2024, "Aceh", "", 1, 1, 0, ""),
    (2024, "Papua", 10, 12, 11, 1, "KPU")]), min_size=1, max_size=25))
def test_every_row_is_clean_or_rejected(rows):
    clean, rejects, _ = validate_election(frame(*rows), lookup)
    assert len(clean) + len(rejects) == len(rows)
    assert sorted([*clean["line"], *rejects["line"]]) == list(range(2, len(rows) + 2))


def _units_2024() -> pd.DataFrame:
    codes = [11, 91, 92, 93, 94, 95, 96]
    return pd.DataFrame({
        "year": 2024, "province_code": codes, "dpt": [100, 10, 20, 30, 40, 50, 60],
        "ballots_cast": [80, 9, 18, 27, 41, 50, 55], "invalid_votes": [2, 1, 1, 1, 1, 1, 1],
        "source": ["KPU", "KPU", "KPU", "synthetic", "KPU", "KPU", "KPU"],
    })


def test_harmonise_adds_the_papua_split_back():
    out = harmonise_to_2019_units(_units_2024())
    assert out["province_code"].tolist() == [11, 91, 92]
    assert out.set_index("province_code")["dpt"].to_dict() == {11: 100, 91: 130, 92: 80}
    assert out.set_index("province_code")["source"].to_dict() == {
        11: "KPU", 91: "KPU+synthetic", 92: "KPU"}
    assert out["dpt"].sum() == _units_2024()["dpt"].sum()


def test_harmonise_leaves_a_partial_sum_missing():
    df = _units_2024()
    df.loc[df.province_code == 94, "ballots_cast"] = None
    out = harmonise_to_2019_units(df.astype({"ballots_cast": "Int64"})).set_index(
        "province_code")
    assert pd.isna(out.loc[91, "ballots_cast"]) and out.loc[91, "dpt"] == 130
    incomplete = harmonise_to_2019_units(_units_2024()[lambda d: d.province_code != 95])
    assert incomplete.set_index("province_code")["dpt"].isna().tolist() == [False, True, False]


def test_harmonise_sample_gives_34_units_per_year():
    clean, rejects, _ = validate_election(election_results().astype("string"),
                                          lambda t: _sample_lookup(t))
    assert rejects.empty
    out = harmonise_to_2019_units(clean)
    assert out.groupby("year").size().to_dict() == {2019: 34, 2024: 34}
    totals = out.groupby("year")["dpt"].sum()
    assert totals[2024] == 203_056_748  # KPU domestic DPT 2024 is kept


def _sample_lookup(text: str) -> int | None:
    from dashboard import reference

    return reference.province_code(text)


def test_sample_file_validates_with_only_noken_warnings():
    sample = election_results().astype("string")
    assert len(sample) == 72
    clean, rejects, warnings = validate_election(sample, _sample_lookup)
    assert rejects.empty and clean.groupby("year").size().to_dict() == {2019: 34, 2024: 38}
    assert set(warnings["province_code"]) == {94, 95}  # real KPU turnout above 100% (noken)
    real = clean[clean["source"] == "KPU"]
    assert len(real[real["year"] == 2024]) == 19 and len(real[real["year"] == 2019]) == 3
    synthetic = clean[clean["source"] == "KPU+synthetic"]
    assert ((synthetic["valid_votes"] + synthetic["invalid_votes"])
            == synthetic["ballots_cast"]).all()  # real KPU rows may differ (Jatim 2019: 47)
    rate = synthetic["invalid_votes"] / synthetic["ballots_cast"]
    assert rate.between(0.005, 0.05).all()
