"""What a total row is (ingest/totals.py): one definition for every tabular kind."""

import pandas as pd
import pytest

from dashboard.ingest.totals import is_total_label, total_labels


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
# 'Total ...', and a hoax register has no total rows of its own
UNIT_OR_TEXT = [
    ("election", "province", True), ("election", "source", False),
    ("survey", "respondent_id", True), ("survey", "age_group", False),
    ("survey", "gender", False), ("survey", "urban_rural", False),
    ("hoax", "title", False), ("hoax", "category", False), ("hoax", "theme", False),
    ("hoax", "province", False), ("hoax", "hoax_id", False),
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
