"""What a total row is (ingest/totals.py): one definition for every tabular kind."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from dashboard.ingest.totals import (
    TOTAL_ROW,
    group_subtotals,
    is_total_label,
    subtotal_groups,
    subtotal_rows,
    total_labels,
)


@pytest.mark.parametrize(("text", "total"), [
    ("Jumlah", True), ("Total", True), ("Nasional", True), ("Indonesia", True),
    ("Grand Total", True), ("Jumlah Total", True), ("JUMLAH", True), ("  total  ", True),
    ("GRAND   TOTAL", True), ("grand_total", True), ("Sub-Total", True), ("Total:", True),
    ("TOTAL NASIONAL", True), ("National", True),
    # LibreOffice Calc: Data > Subtotals' grand row, the pivot table's (totals.py cites them)
    ("Grand Sum", True), ("GRAND_SUM", True), ("Sum", True), ("Total Result", True),
    ("Total Indonesia", True),
    # units, not totals
    ("Jawa Barat", False), ("32", False), ("Jumlahan", False), ("Totalitas", False),
    ("Total Jawa Barat", False), ("R1", False), ("", False), (None, False),
    # 'Sum' is a whole label, never a prefix: Sumatera's provinces and their short names
    ("Sumatera Utara", False), ("Sumbar", False), ("Sumsel", False), ("Summary", False),
    # a group's subtotal row ('<group> Sum') is not a label here (totals.py)
    ("Jawa Barat Sum", False),
])
def test_a_total_label_in_any_case_or_spacing(text, total):
    assert is_total_label(text) is total
    assert total_labels(pd.Series([text], dtype="string")).tolist() == [total]


def test_total_labels_keeps_the_index_and_is_bool():
    flags = total_labels(pd.Series(["Jumlah", pd.NA, "Aceh"], index=[7, 9, 11],
                                   dtype="string"))
    assert flags.index.tolist() == [7, 9, 11] and flags.dtype == bool
    assert flags.tolist() == [True, False, False]


# --- a total label is read only in a column that names the unit ----------------------------

PROVINCES = {"aceh": 11, "jawa barat": 32, "32": 32, "11": 11}
TOTAL_WORDS = ("Total", "Total Indonesia", "Jumlah", "Nasional", "Indonesia", "Sum",
               "Grand Sum", "Grand Total", "Total Result")


def _province(text: str) -> int | None:
    return PROVINCES.get(str(text).strip().lower())


def _election(column: str, text: str) -> bool:
    """True when the row is set aside as a total."""
    from dashboard.ingest.election import ELECTION_COLUMNS, validate_election

    cells = dict(zip(ELECTION_COLUMNS, ["2024", "Aceh", "100", "90", "88", "2", "KPU"],
                     strict=True)) | {column: text}
    _, rejects, _ = validate_election(pd.DataFrame([cells], dtype="string"), _province)
    return bool(rejects["reason"].str.startswith("total_row").any())


def _survey(column: str, text: str) -> bool:
    from dashboard.ingest.survey import SURVEY_COLUMNS, validate_survey

    cells = {"respondent_id": "R1", "interview_date": "2024-02-20", "province": "Aceh",
             "age_group": "25-34", "gender": "female", "urban_rural": "urban",
             "operator": "telkomsel", "received_sms": "yes", "recalled_theme": "anti_hoax",
             "voted": "yes", "knows_valid_ballot": "no", "saw_hoax": "yes",
             "believed_hoax": "no", "weight": "1.25"} | {column: text}
    _, rejects, _ = validate_survey(pd.DataFrame([cells], columns=list(SURVEY_COLUMNS),
                                                 dtype="string"), _province)
    return bool(rejects["reason"].str.startswith("total_row").any())


def _hoax(column: str, text: str) -> bool:
    from dashboard.ingest.hoax import HOAX_COLUMNS, validate_hoax_register

    cells = dict(zip(HOAX_COLUMNS, ["H1", "2024-02-14", "[HOAKS] Video A", "Politik", "yes",
                                    "sara", "Facebook", "10", "4", "", "https://x.test/1"],
                     strict=True)) | {column: text}
    clean, set_aside = validate_hoax_register(pd.DataFrame([cells], dtype="string"),
                                              _province)
    assert len(clean) == 1 or set_aside["reason"].notna().all()
    return bool(set_aside["reason"].fillna("").str.startswith("total_row").any())


# (kind, column, read as a total): the unit columns set the row aside; free text (a hoax's
# title, category, theme or province, an election file's source, a survey's controls and
# answers) keeps what it says: 'Indonesia' is a national hoax's province, a title may read
# 'Total ...'; a hoax's id is its unit ('Jumlah' under a register summed by hand would count
# every issue's content items a second time)
UNIT_OR_TEXT = [
    ("election", "province", True), ("election", "source", False),
    ("survey", "respondent_id", True), ("survey", "age_group", False),
    ("survey", "gender", False), ("survey", "urban_rural", False),
    ("hoax", "title", False), ("hoax", "category", False), ("hoax", "theme", False),
    ("hoax", "province", False), ("hoax", "hoax_id", True),
]
CHECK = {"election": _election, "survey": _survey, "hoax": _hoax}


@pytest.mark.parametrize("text", TOTAL_WORDS)
@pytest.mark.parametrize(("kind", "column", "total"), UNIT_OR_TEXT)
def test_a_total_label_is_a_total_only_in_a_column_naming_the_unit(kind, column, total, text):
    assert CHECK[kind](column, text) is total
    assert CHECK[kind](column, text.lower() + " ") is total  # any case or spacing


@pytest.mark.parametrize(("kind", "column"), [(k, c) for k, c, _ in UNIT_OR_TEXT])
def test_an_ordinary_value_is_no_total_in_any_column(kind, column):
    ordinary = {"province": "Aceh", "respondent_id": "R7", "hoax_id": "H7"}.get(
        column, "Sumatera Total Damai")
    assert CHECK[kind](column, ordinary) is False


# --- a group's subtotal row: '<group> Total', 'Jumlah <group>', '(empty) Sum' ---------------

# (case, the cells of one column, which of them label a subtotal of a group the column gives)
GROUP_SUBTOTALS = [
    # LibreOffice Calc's Data > Subtotals: 'Result' for several columns, 'Sum' for one
    ("LibreOffice, several columns", ["ACEH", "ACEH", "ACEH Result", "BALI", "BALI Result"],
     [False, False, True, False, True]),
    ("LibreOffice, one column", ["Jawa Barat", "Jawa Barat Sum"], [False, True]),
    ("LibreOffice, a blank group", [None, "(empty) Result"], [False, True]),
    ("a blank group as an empty cell", ["", "(empty) Sum"], [False, True]),
    ("a blank group in Indonesian", [None, "(kosong) Jumlah"], [False, True]),
    # Excel's Data > Subtotal
    ("Excel", ["Jawa Barat", "Jawa Barat Total"], [False, True]),
    ("Excel, a year", ["2019", "2019", "2019 Total", "2024", "2024 Total"],
     [False, False, True, False, True]),
    # by hand, the word first (the form totals.py calls invented)
    ("Jumlah first", ["Jawa Barat", "Jumlah Jawa Barat"], [False, True]),
    ("Total first", ["Jawa Barat", "Total Jawa Barat"], [False, True]),
    ("Subtotal either side", ["Aceh", "Subtotal Aceh", "Aceh Sub-Total", "Aceh subtotal"],
     [False, True, True, True]),
    ("'Jumlah' after the group", ["Aceh", "Aceh Jumlah"], [False, True]),
    # total_key's folding: any case, runs of spaces, '_', '-', '.', ':' and '*'
    ("any case or spacing", ["Jawa Barat", "JAWA   BARAT  SUM", "jawa_barat:total"],
     [False, True, True]),
    ("the group in another case", ["JAWA BARAT", "Jawa Barat Total"], [False, True]),
    # not subtotals: the group is not in the column, or the word is no whole word
    ("a unit named with the word, alone", ["Kepulauan Total", "Aceh"], [False, False]),
    ("a group not in the column", ["Aceh", "Bali Total", "Jumlah Bali"], [False, False, False]),
    ("a blank group's label without a blank cell", ["Aceh", "(empty) Sum"], [False, False]),
    ("no whole word", ["Aceh", "Aceh Totalitas", "Aceh Summary", "Jumlahan Aceh"],
     [False, False, False, False]),
    ("a prefix of another name", ["Sumatera", "Sumatera Utara", "Sum"], [False, False, False]),
    ("a total label alone is no group's", ["Total", "Jumlah", "Grand Total"],
     [False, False, False]),
    ("the word before and after is the group's only", ["Aceh", "Aceh Total Result"],
     [False, False]),
    ("another function's caption", ["Aceh", "Aceh Count", "Aceh Average"],
     [False, False, False]),
]


@pytest.mark.parametrize(("case", "cells", "expected"), GROUP_SUBTOTALS,
                         ids=[c[0] for c in GROUP_SUBTOTALS])
def test_a_group_subtotal_names_a_group_of_its_column(case, cells, expected):
    column = pd.Series(cells, index=range(10, 10 + len(cells)), dtype="string")
    found = group_subtotals(column)
    assert found.tolist() == expected
    assert found.index.tolist() == column.index.tolist() and found.dtype == bool
    # the unit alone is never a subtotal of anything
    assert not group_subtotals(column.head(1)).any()


@pytest.mark.parametrize(("key", "groups"), [
    ("aceh result", ["aceh"]), ("aceh sum", ["aceh"]), ("aceh total", ["aceh"]),
    ("jumlah jawa barat", ["jawa barat"]), ("total 2019", ["2019"]),
    ("(empty) sum", [""]), ("(kosong) jumlah", [""]),
    ("aceh sub total", ["aceh sub", "aceh"]), ("sub total aceh", ["aceh"]),
    ("jumlah total", ["jumlah", "total"]),
    ("aceh", []), ("total", []), ("sum", []), ("", []), ("acehsum", []), ("totalaceh", []),
])
def test_the_groups_a_label_names(key, groups):
    assert sorted(subtotal_groups(key)) == sorted(groups)


def test_a_column_without_cells_has_no_subtotal():  # a file of its header alone
    empty = pd.Series([], index=pd.RangeIndex(0), dtype="string")
    assert group_subtotals(empty).dtype == bool and group_subtotals(empty).empty
    assert total_labels(empty).dtype == bool and total_labels(empty).empty
    rows = subtotal_rows(pd.DataFrame({"province": empty}), ("province",))
    assert rows.dtype == bool and rows.empty


def test_subtotal_rows_reads_the_columns_the_frame_has():
    frame = pd.DataFrame({"province": ["Aceh", "Aceh Sum", "", "Aceh"],
                          "year": ["2019", "", "2019 Total", "2019"],
                          "source": ["KPU", "", "", "KPU Total"]},
                         index=[4, 5, 6, 7], dtype="string")
    rows = subtotal_rows(frame, ("province", "year", "regency"))
    assert rows.tolist() == [False, True, True, False] and rows.dtype == bool
    assert rows.index.tolist() == [4, 5, 6, 7]
    assert not subtotal_rows(frame, ("regency",)).any()
    assert subtotal_rows(frame, ("source",)).tolist() == [False, False, False, True]


# A two-row file of each kind: a unit row, then a row whose `column` labels the subtotal of the
# unit's group there. "filled": the row repeats the unit's other cells (an export that repeats
# the key: without the rule a status-bar row loads as a province it cannot place and counts
# the group twice, an update's wave subtotal supersedes the update with the wave's sum);
# "blank": its other cells empty, as LibreOffice and Excel write it (without the rule it was
# rejected for a missing field, read as a lost row).
UNIT_ROWS = {
    "election": {"year": "2024", "province": "Aceh", "dpt": "100", "ballots_cast": "90",
                 "valid_votes": "88", "invalid_votes": "2", "source": "KPU"},
    "election_regency": {"year": "2024", "province": "Aceh", "regency": "Kab. Aceh Selatan",
                         "dpt": "100", "ballots_cast": "90", "valid_votes": "88",
                         "invalid_votes": "2", "source": "KPU"},
    "survey": {"respondent_id": "R1", "interview_date": "2024-02-20", "province": "Aceh",
               "age_group": "25-34", "gender": "female", "urban_rural": "urban",
               "operator": "telkomsel", "received_sms": "yes", "recalled_theme": "anti_hoax",
               "voted": "yes", "knows_valid_ballot": "no", "saw_hoax": "yes",
               "believed_hoax": "no", "weight": "1.25"},
    "hoax": {"hoax_id": "H1", "identified_date": "2024-02-14", "title": "[HOAKS] Video A",
             "category": "Politik", "election_related": "yes", "theme": "sara",
             "platforms": "Facebook", "content_items": "10", "taken_down": "4",
             "province": "Aceh", "source_url": "https://x.test/1"},
    "status_bar": {"operator": "xl", "wave_id": "SB01", "date": "2024-01-12",
                   "province": "Aceh", "impressions": "10", "unique_devices": "5",
                   "clicks": "1"},
    "wa_updates": {"update_id": "U1", "wave_id": "WA01", "posted_at": "2024-01-15T10:00:00",
                   "views": "900", "reactions": "40", "forwards": "12"},
    "wa_daily": {"date": "2024-01-15", "followers": "5000", "gained": "120", "lost": "7",
                 "accounts_reached_30d": "20000"},
}
# the counts a subtotal row sums (kept in the "blank" shape)
COUNTS = {"election": ("dpt", "ballots_cast", "valid_votes", "invalid_votes"),
          "election_regency": ("dpt", "ballots_cast", "valid_votes", "invalid_votes"),
          "survey": ("weight",), "hoax": ("content_items", "taken_down"),
          "status_bar": ("impressions", "unique_devices", "clicks"),
          "wa_updates": ("views", "reactions", "forwards"),
          "wa_daily": ("followers", "gained", "lost", "accounts_reached_30d")}
REGENCIES = {"kab. aceh selatan": 1103, "pulau jumlah": 1199}


def _regency(text: str) -> int | None:
    return REGENCIES.get(str(text).strip().lower())


def _outcomes(kind: str, rows: list[dict[str, str]]) -> tuple[list[int], dict[int, str]]:
    """The lines that load and the reason of each line set aside (header = line 1)."""
    from dashboard.ingest.channels import (
        Catalogue,
        validate_status_bar,
        validate_wa_daily,
        validate_wa_updates,
    )
    from dashboard.ingest.election import validate_election_file
    from dashboard.ingest.hoax import validate_hoax_register
    from dashboard.ingest.survey import validate_survey

    frame = pd.DataFrame(rows, dtype="string")
    frame.insert(0, "line", range(2, len(rows) + 2))
    if kind.startswith("election"):
        checked = validate_election_file(frame, _province, _regency, {1103: 11, 1199: 11})
        loaded = [*checked.clean["line"], *checked.clean_regency["line"]]
        rejects = checked.rejects
    elif kind == "survey":
        clean, rejects, _ = validate_survey(frame, _province)
        loaded = list(clean["line"])
    elif kind == "hoax":
        clean, rejects = validate_hoax_register(frame, _province)
        loaded = list(clean["line"])
    else:
        validate = {"status_bar": lambda f: validate_status_bar(f, Catalogue({}),
                                                               {"xl": "xl"}, _province),
                    "wa_updates": lambda f: validate_wa_updates(f, Catalogue({})),
                    "wa_daily": lambda f: validate_wa_daily(f, Catalogue({}))}[kind]
        checked = validate(frame)
        loaded, rejects = list(checked.clean["line"]), checked.rejects
    return (sorted(int(n) for n in loaded),
            dict(zip(rejects["line"].astype(int), rejects["reason"], strict=True)))


# (kind, column, the shapes in which a subtotal there is set aside): the unit's columns and
# those the rows are grouped by are read; a survey's province only on a row without a
# respondent_id (with one it is a respondent, or a repeated one); free text (an election
# file's source, a survey's controls and operator, the hoax register's columns but its id)
# keeps what it says
BOTH, BLANK, NEVER = ("filled", "blank"), ("blank",), ()
SUBTOTAL_COLUMNS = [
    ("election", "year", BOTH), ("election", "province", BOTH),
    ("election", "source", NEVER),
    ("election_regency", "year", BOTH), ("election_regency", "province", BOTH),
    ("election_regency", "regency", BOTH),
    ("survey", "respondent_id", BOTH), ("survey", "province", BLANK),
    ("survey", "age_group", NEVER), ("survey", "gender", NEVER),
    ("survey", "urban_rural", NEVER), ("survey", "operator", NEVER),
    ("hoax", "hoax_id", BOTH), ("hoax", "title", NEVER), ("hoax", "category", NEVER),
    ("hoax", "theme", NEVER), ("hoax", "province", NEVER),
    ("status_bar", "operator", BOTH), ("status_bar", "wave_id", BOTH),
    ("status_bar", "date", BOTH), ("status_bar", "province", BOTH),
    ("wa_updates", "update_id", BOTH), ("wa_updates", "wave_id", BOTH),
    ("wa_daily", "date", BOTH),
]
LABELS = ("{} Total", "{} Result", "Jumlah {}", "{}  SUM")


@pytest.mark.parametrize("shape", ["filled", "blank"])
@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize(("kind", "column", "shapes"), SUBTOTAL_COLUMNS)
def test_a_group_subtotal_is_set_aside_in_a_column_the_validator_reads(kind, column, shapes,
                                                                       label, shape):
    unit = UNIT_ROWS[kind]
    row = dict(unit) if shape == "filled" else {
        c: (v if c in COUNTS[kind] else "") for c, v in unit.items()}
    row[column] = label.format(unit[column])
    loaded, set_aside = _outcomes(kind, [unit, row])
    assert 2 in loaded  # the unit itself is never taken for a total
    if shape in shapes:
        assert (loaded, set_aside) == ([2], {3: TOTAL_ROW})
    else:
        assert set_aside.get(3, "") != TOTAL_ROW


# (case, kind, rows as (column: value) changes to the kind's unit row, lines loaded, lines
# set aside as totals)
WHICH_ROWS = [
    # a unit whose name ends with the word, with no unit of the shorter name in the file
    ("a regency named with the word", "election_regency",
     [{"regency": "Pulau Jumlah"}], [2], []),
    ("beside another regency", "election_regency",
     [{}, {"regency": "Pulau Jumlah", "year": "2019"}], [2, 3], []),
    # free text: a hoax's title that reads like a subtotal of another title
    ("a free-text title 'Jawa Barat Total'", "hoax",
     [{"title": "Jawa Barat"}, {"hoax_id": "H2", "title": "Jawa Barat Total"}], [2, 3], []),
    # a group no other row gives: an operator's figure for a province it cannot place, kept
    # (warned unknown_province), as any unknown spelling is
    ("a group not in the file", "status_bar",
     [{}, {"province": "Bali Total"}], [2, 3], []),
    ("a survey's free-text operator", "survey",
     [{}, {"respondent_id": "R2", "operator": "telkomsel Total"}], [2, 3], []),
    # and the rule's own case beside them: the group is in the file
    ("a group in the file", "status_bar", [{}, {"province": "Aceh Total"}], [2], [3]),
    # an election file's groups are the whole file's, whichever part (province rows, regency
    # rows) a row falls in: a regency row repeating a year only a province row gives
    ("a year's subtotal beside its province row", "election_regency",
     [{"regency": "", "year": "2019"}, {"year": "2019 Total"}], [2], [3]),
    # the grand row under a subtotal by a column no unit is named by: a total label there
    ("Excel's grand row under a subtotal by year", "election",
     [{}, {"year": "Grand Total", "province": "", "source": ""}], [2], [3]),
    ("LibreOffice's grand row under a subtotal by day", "status_bar",
     [{}, {"date": "Grand Sum", "operator": "", "wave_id": "", "province": ""}], [2], [3]),
    ("a survey's grand row under a subtotal by province", "survey",
     [{}, {"respondent_id": "", "province": "Grand Sum"}], [2], [3]),
    # a respondent is a respondent whatever its province reads
    ("a respondent whose province reads 'Indonesia'", "survey",
     [{}, {"respondent_id": "R2", "province": "Indonesia"}], [2, 3], []),
    ("a respondent whose province reads like a subtotal", "survey",
     [{}, {"respondent_id": "R2", "province": "Aceh Total"}], [2, 3], []),
]


@pytest.mark.parametrize(("case", "kind", "changes", "loaded", "totals"), WHICH_ROWS,
                         ids=[c[0] for c in WHICH_ROWS])
def test_a_row_is_a_total_only_where_its_file_says_so(case, kind, changes, loaded, totals):
    rows = [UNIT_ROWS[kind] | change for change in changes]
    found_loaded, set_aside = _outcomes(kind, rows)
    assert found_loaded == loaded
    assert sorted(n for n, reason in set_aside.items() if reason == TOTAL_ROW) == totals


# --- files as the tools leave them (tests/corpus/subtotals/README.md says how each was made) ---

CORPUS = Path(__file__).parent / "corpus" / "subtotals"
# (file, kind, the labels set aside in file order, the stored counts' table, what the file's
# grand row sums: (dpt, ballots) for an election file, the weights for a survey)
SUBTOTALLED = [
    ("election_regency_libreoffice.csv", "election",
     ["ACEH Result", "BALI Result", "(empty) Result", "Grand Sum"],
     "SELECT sum(dpt), sum(ballots_cast) FROM election_results_regency"),
    ("election_province_excel.csv", "election", ["2019 Total", "2024 Total", "Grand Total"],
     "SELECT sum(dpt), sum(ballots_cast) FROM election_results"),
    ("survey_libreoffice.csv", "survey", ["Aceh Sum", "Bali Sum", "Grand Sum"],
     "SELECT round(sum(weight), 4) FROM survey_responses"),
]


def _cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


@pytest.mark.parametrize(("name", "kind", "labels", "sums"), SUBTOTALLED,
                         ids=[c[0] for c in SUBTOTALLED])
def test_a_subtotalled_file_counts_each_row_once(conn, name, kind, labels, sums):
    from dashboard.ingest import ingest_file

    path = CORPUS / name
    rows = _cells(path)
    result = ingest_file(conn, path, kind=kind)
    counts = result.counts
    found = conn.execute("SELECT line, reason, raw_line FROM rejects WHERE ingest_id = $id "
                         "ORDER BY line", {"id": result.ingest_id}).fetchall()
    # every subtotal and the grand row set aside as totals, with their line and label
    assert [reason for _, reason, _ in found] == [TOTAL_ROW] * len(labels)
    assert [next(c for c in rows[line - 2] if c) for line, _, _ in found] == labels
    assert all(label in raw for (_, _, raw), label in zip(found, labels, strict=True))
    # every other row loads; the file's accounting adds up
    assert (counts.rows_read, counts.loaded, counts.rejected, counts.duplicate) == (
        len(rows), len(rows) - len(labels), len(labels), 0)
    # and what loads is what the file's own grand row sums: nothing twice, nothing lost
    grand = rows[-1]
    columns = ([grand[-1]] if kind == "survey" else
               [grand[c] for c, head in enumerate(_header(path)) if head in ("dpt",
                                                                           "ballots_cast")])
    expected = tuple(float(v) if kind == "survey" else int(v) for v in columns)
    assert tuple(conn.execute(sums).fetchone()) == expected


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))
