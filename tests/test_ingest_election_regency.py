"""Election results per regency (issue 18): the optional `regency` column, its rows checked and
accounted as province rows are, stored apart (election_results_regency) so that no province
table or view changes when a regency file is loaded."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import reference
from dashboard.ingest import ingest_file
from dashboard.ingest.election import (
    REGENCY_CLEAN_COLUMNS,
    validate_election_file,
    validate_election_regency,
)
from dashboard.sample.election import election_results
from dashboard.store import db
from tests.conftest import write

COLUMNS = ("year", "province", "regency", "dpt", "ballots_cast", "valid_votes", "invalid_votes",
           "source")
HEADER = ",".join(COLUMNS)
REGENCY_PROVINCE = dict(reference.regencies()[["regency_code", "province_code"]].itertuples(
    index=False))


def frame(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([[str(v) for v in r] for r in rows], columns=list(COLUMNS),
                        dtype="string")


def check(*rows: tuple):
    return validate_election_regency(frame(*rows), reference.regency_code, REGENCY_PROVINCE,
                                     reference.province_code)


GOOD = (2024, "", "Kab. Bandung", 2_500_000, 2_000_000, 1_960_000, 40_000, "KPU")


# (row, year, regency_code, province_code stored): the province is the year's own unit
@pytest.mark.parametrize(("row", "regency", "province"), [
    ((2024, "", "32.04", 10, 9, 8, 1, ""), 3204, 32),
    ((2024, "Jawa Barat", "Kabupaten Bandung", 10, 9, 8, 1, ""), 3204, 32),
    ((2024, "jabar", "3273", 10, 9, 8, 1, ""), 3273, 32),
    ((2024, "", "Kodya Bandung", 10, 9, 8, 1, ""), 3273, 32),
    # Nabire: Papua Tengah (94) since 2022, Papua (91) in 2019; one regency code in both
    ((2024, "Papua Tengah", "Nabire", 10, 9, 8, 1, ""), 9401, 94),
    ((2019, "Papua", "Nabire", 10, 9, 8, 1, ""), 9401, 91),
    ((2019, "Papua Tengah", "Kabupaten Nabire", 10, 9, 8, 1, ""), 9401, 91),
    ((2019, "", "91.04", 10, 9, 8, 1, ""), 9401, 91),  # the pre-split code of a 2019 file
    ((2019, "Papua Barat", "Kota Sorong", 10, 9, 8, 1, ""), 9671, 92),
    ((2024, "Papua Barat Daya", "Kota Sorong", 10, 9, 8, 1, ""), 9671, 96),
])
def test_regency_rows_get_their_code_and_the_years_province(row, regency, province):
    clean, rejects, _ = check(row)
    assert rejects.empty
    assert tuple(clean.columns) == REGENCY_CLEAN_COLUMNS
    assert (clean.loc[0, "regency_code"], clean.loc[0, "province_code"]) == (regency, province)
    assert (clean.loc[0, "dpt"], clean.loc[0, "invalid_votes"]) == (10, 1)


@pytest.mark.parametrize(("row", "reason"), [
    ((" x", "", "3204", 10, 9, 8, 1, ""), "bad_year: year is not an election year"),
    ((2024, "", "Atlantis", 10, 9, 8, 1, ""), "unknown_regency: regency is not a known"),
    # a name a kabupaten and a kota share: its count needs its unit, so it is not guessed
    ((2024, "", "Bandung", 10, 9, 8, 1, ""), "unknown_regency: regency is not a known"),
    ((2024, "", "3299", 10, 9, 8, 1, ""), "unknown_regency: regency is not a known"),
    ((2024, "Jawa Tengah", "Kab. Bandung", 10, 9, 8, 1, ""),
     "province_mismatch: province is not the province of regency 3204 (32)"),
    ((2024, "Papua", "Nabire", 10, 9, 8, 1, ""),
     "province_mismatch: province is not the province of regency 9401 (94)"),
    ((2024, "Atlantis", "Kab. Bandung", 10, 9, 8, 1, ""), "province_mismatch"),
    ((2024, "", "3204", 0, 9, 8, 1, ""), "bad_dpt: dpt must be a whole number above 0"),
    ((2024, "", "3204", 10, "9o", 8, 1, ""), "bad_count: ballots_cast is not a whole number >= 0"),
    ((2024, "", "3204", 10, 9, 8, "2.5", ""),
     "bad_count: invalid_votes is not a whole number >= 0"),
    ((2024, "", "32.04", 10, 9, 8, 1, ""),
     "duplicate: year 2024, regency 3204 already given on line 2"),
])
def test_regency_rows_rejected_with_reason_and_line(row, reason):
    clean, rejects, _ = check(GOOD, row)
    assert len(clean) == 1 and len(rejects) == 1
    assert rejects.loc[0, "line"] == 3 and rejects.loc[0, "reason"].startswith(reason)
    # the record as read, for the Kualitas data page: the regency cell as written comes last
    assert rejects.loc[0, "raw"].split(",")[-1] == str(row[2])


@pytest.mark.parametrize(("row", "warning"), [
    ((2024, "", "Kab. Bandung", 1000, 1010, 1000, 10, ""), "turnout_above_100: turnout 101.0% "
     "(check"),
    ((2024, "", "Kab. Jayawijaya", 1000, 1010, 1000, 10, ""), "turnout_above_100: turnout 101.0%"
     " (expected in the Papua highlands"),
    ((2019, "", "Kab. Jayawijaya", 1000, 1010, 1000, 10, ""), "turnout_above_100: turnout 101.0%"
     " (expected in the Papua highlands"),
    ((2024, "", "Kab. Bandung", 1000, 800, 780, 11, ""), "sum_mismatch"),
])
def test_regency_warnings_keep_the_row_and_name_the_regency(row, warning):
    clean, rejects, warnings = check(row)
    assert len(clean) == 1 and rejects.empty
    assert list(warnings.columns) == ["line", "regency_code", "year", "warning"]
    assert warnings.loc[0, "warning"].startswith(warning)


def test_a_regency_missing_a_year_the_file_covers_is_warned():
    _, _, warnings = check((2019, "", "3204", 10, 9, 8, 1, ""), (2024, "", "3204", 10, 9, 8, 1, ""),
                           (2024, "", "3273", 10, 9, 8, 1, ""))
    assert warnings[["regency_code", "year", "warning"]].values.tolist() == [
        [3273, 2019, "missing_year: no row for 2019"]]


def test_a_file_splits_into_province_and_regency_rows_and_accounts_for_each():
    rows = frame((2024, "Jawa Barat", "", 10, 9, 8, 1, ""), GOOD,
                 (2024, "Atlantis", "", 10, 9, 8, 1, ""), (2024, "", "Bandung", 10, 9, 8, 1, ""),
                 (2024, "Aceh", "  ", 10, 9, 8, 1, ""))
    checked = validate_election_file(rows, reference.province_code, reference.regency_code,
                                     REGENCY_PROVINCE)
    assert checked.clean["province_code"].tolist() == [32, 11]
    assert checked.clean_regency["regency_code"].tolist() == [3204]
    assert checked.rejects["line"].tolist() == [4, 5]
    assert [r.split(":")[0] for r in checked.rejects["reason"]] == ["unknown_province",
                                                                    "unknown_regency"]


def test_a_file_without_province_or_regency_column_is_refused():
    with pytest.raises(ValueError, match="missing columns"):
        validate_election_file(frame(GOOD).drop(columns=["province", "regency"]),
                               reference.province_code, reference.regency_code, REGENCY_PROVINCE)


def csv_lines(*rows: tuple, header: str = HEADER) -> list[str]:
    return [header, *(",".join(str(v) for v in row) for row in rows)]


MIXED = csv_lines(
    (2024, "Jawa Barat", "", 35714901, 29438041, 28726523, 711518, "KPU"),   # province row
    (2024, "", "Kab. Bandung", 2_500_000, 2_000_000, 1_960_000, 40_000, "KPU"),
    (2024, "Jawa Barat", "Kota Bandung", 1_800_000, 1_400_000, 1_380_000, 20_000, "KPU"),
    (2019, "Papua", "91.04", 120_000, 110_000, 108_000, 2_000, "KPU"),
    (2024, "", "Bandung", 10, 9, 8, 1, "KPU"),                       # unknown_regency
    (2024, "", "32.04", 10, 9, 8, 1, "KPU"),                         # duplicate
    (2024, "Atlantis", "", 10, 9, 8, 1, "KPU"),                      # unknown_province
)


def table(conn, name: str) -> list[tuple]:
    columns = {"election_results_regency": "year, regency_code, province_code, dpt, "
               "ballots_cast, valid_votes, invalid_votes, source",
               "election_results": "year, province_code, dpt, ballots_cast, valid_votes, "
               "invalid_votes, source"}[name]
    return conn.execute(f"SELECT {columns} FROM {name} ORDER BY ALL").fetchall()  # noqa: S608


def test_a_mixed_file_loads_both_kinds_and_every_row_is_accounted(conn, tmp_path):
    result = ingest_file(conn, write(tmp_path, "election_mixed.csv", MIXED))
    assert result.outcome == "loaded", result.message
    c = result.counts
    assert (c.rows_read, c.loaded, c.duplicate, c.rejected) == (7, 4, 0, 3)
    assert c.loaded + c.duplicate + c.superseded + c.rejected == c.rows_read
    assert table(conn, "election_results") == [
        (2024, 32, 35714901, 29438041, 28726523, 711518, "KPU")]
    assert table(conn, "election_results_regency") == [
        (2019, 9401, 91, 120_000, 110_000, 108_000, 2_000, "KPU"),
        (2024, 3204, 32, 2_500_000, 2_000_000, 1_960_000, 40_000, "KPU"),
        (2024, 3273, 32, 1_800_000, 1_400_000, 1_380_000, 20_000, "KPU")]
    tally = dict(conn.execute("SELECT reason, rows FROM reject_tally WHERE ingest_id = $id",
                              {"id": result.ingest_id}).fetchall())
    assert tally == {"unknown_regency": 1, "duplicate": 1, "unknown_province": 1}
    lines = conn.execute("SELECT line, reason FROM rejects WHERE ingest_id = $id ORDER BY line",
                         {"id": result.ingest_id}).fetchall()
    assert [line for line, _ in lines] == [6, 7, 8]
    assert lines[1][1] == "duplicate: year 2024, regency 3204 already given on line 3"


def test_loading_the_same_file_again_changes_nothing(conn, tmp_path):
    path = write(tmp_path, "election_mixed.csv", MIXED)
    assert ingest_file(conn, path).outcome == "loaded"
    before = table(conn, "election_results_regency"), table(conn, "election_results")
    again = ingest_file(conn, path)
    assert again.outcome == "already_loaded"
    assert (table(conn, "election_results_regency"), table(conn, "election_results")) == before


def test_a_later_file_replaces_the_year_and_regency_it_gives(conn, tmp_path):
    assert ingest_file(conn, write(tmp_path, "a.csv", MIXED)).outcome == "loaded"
    later = ["year,regency,dpt,ballots_cast,valid_votes,invalid_votes,source",  # no province
             "2024,3204,2600000,2100000,2050000,50000,KPU rev"]
    result = ingest_file(conn, write(tmp_path, "b.csv", later))
    assert result.outcome == "loaded" and result.counts.loaded == 1, result.message
    assert table(conn, "election_results_regency") == [
        (2019, 9401, 91, 120_000, 110_000, 108_000, 2_000, "KPU"),
        (2024, 3204, 32, 2_600_000, 2_100_000, 2_050_000, 50_000, "KPU rev"),
        (2024, 3273, 32, 1_800_000, 1_400_000, 1_380_000, 20_000, "KPU")]
    assert table(conn, "election_results") == [
        (2024, 32, 35714901, 29438041, 28726523, 711518, "KPU")]


def test_a_file_with_neither_province_nor_regency_fails_whole(conn, tmp_path):
    lines = ["year,dpt,ballots_cast,valid_votes,invalid_votes,source", "2024,10,9,8,1,KPU"]
    result = ingest_file(conn, write(tmp_path, "no_unit.csv", lines), kind="election")
    assert result.outcome == "failed" and "missing columns ['province']" in result.message
    assert table(conn, "election_results_regency") == [] == table(conn, "election_results")


PROVINCE_VIEWS = ("marts/election_results", "marts/election_warnings",
                  "marts/provenance_election")


def test_province_tables_and_views_do_not_change_when_a_regency_file_is_loaded(conn, tmp_path):
    provinces = election_results()  # the sample's 72 province rows (2019 and 2024)
    path = tmp_path / "election_results.csv"
    provinces.to_csv(path, index=False)
    assert ingest_file(conn, path).outcome == "loaded"
    before = {name: db.run(conn, name) for name in PROVINCE_VIEWS}
    stored = table(conn, "election_results")
    warned = conn.execute("SELECT * FROM election_warnings ORDER BY ALL").fetchall()
    # regency rows of another source, with warnings of their own (turnout above 100 %, a
    # sum that does not add up, a regency missing a year)
    regency = csv_lines(
        (2024, "Jawa Barat", "Kab. Bandung", 1000, 1010, 1000, 10, "other source"),
        (2024, "", "Kab. Jayawijaya", 1000, 1100, 1000, 100, "other source"),
        (2019, "", "Kab. Jayawijaya", 1000, 800, 780, 11, "other source"))
    result = ingest_file(conn, write(tmp_path, "regency.csv", regency))
    assert result.outcome == "loaded" and result.counts.loaded == 3, result.message
    assert result.counts.warnings > 0  # reported with the load
    assert table(conn, "election_results") == stored
    assert conn.execute("SELECT * FROM election_warnings ORDER BY ALL").fetchall() == warned
    for name in PROVINCE_VIEWS:
        pd.testing.assert_frame_equal(db.run(conn, name), before[name])
    assert len(table(conn, "election_results_regency")) == 3


@pytest.mark.parametrize(("row", "line"), [
    (",Jawa Barat,,35714901,29438041,28726523,711518,KPU", 2),  # a province row
    (",,Kab. Bandung,2500000,2000000,1960000,40000,KPU", 2),  # a regency row
    ('" ",,3273,1800000,1400000,1380000,20000,KPU', 2),  # blank, not empty
])
def test_an_empty_year_cell_rejects_its_row_with_the_reason(conn, tmp_path, row, line):
    """The year places a row in its election: an empty cell is read as missing (NA), and the
    reason must still say so rather than come out empty and let the row through."""
    result = ingest_file(conn, write(tmp_path, "election_no_year.csv", [HEADER, row]))
    c = result.counts
    assert (c.rows_read, c.loaded, c.rejected) == (1, 0, 1), result.message
    reasons = conn.execute("SELECT line, reason FROM rejects WHERE ingest_id = $id",
                           {"id": result.ingest_id}).fetchall()
    assert len(reasons) == 1 and reasons[0][0] == line
    assert reasons[0][1] == "bad_year: year is not an election year"
    assert table(conn, "election_results_regency") == [] == table(conn, "election_results")


@pytest.mark.parametrize("rows", [
    [(2024, "", "3204", 10, 9, 8, 1, "")],  # one year: nothing can be missing
    [(2019, "", "3204", 10, 9, 8, 1, ""), (2024, "", "3204", 10, 9, 8, 1, "")],
])
def test_no_missing_year_leaves_an_empty_warning_table_with_the_regency_column(rows):
    _, _, warnings = check(*rows)
    assert warnings.empty and list(warnings.columns) == ["line", "regency_code", "year", "warning"]
