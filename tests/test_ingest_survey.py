"""Survey validation and normalisation (pure pandas): what is rejected, what loads with a
warning, and the committed sample's odd-but-valid variants (issue 14, point 4)."""

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import config, reference
from dashboard.ingest.survey import (
    CLEAN_COLUMNS,
    SURVEY_COLUMNS,
    WARNING_COLUMNS,
    validate_survey,
)
from dashboard.sample import survey as sample_survey
from dashboard.sample.survey import survey_responses

CODES = {"aceh": 11, "jawa barat": 32, "32": 32, "11": 11}
OUTCOMES = ("voted", "knows_valid_ballot", "saw_hoax", "believed_hoax")


def lookup(text: str) -> int | None:
    """A tiny stand-in for dashboard.reference.province_code."""
    return CODES.get(str(text).strip().lower())


BASE = {"respondent_id": "R1", "interview_date": "2024-02-20", "province": "Aceh",
        "age_group": "25-34", "gender": "female", "urban_rural": "urban",
        "operator": "telkomsel", "received_sms": "yes", "recalled_theme": "anti_hoax",
        "voted": "yes", "knows_valid_ballot": "no", "saw_hoax": "yes", "believed_hoax": "no",
        "weight": "1.25"}


def frame(*changes: dict, columns: tuple[str, ...] = SURVEY_COLUMNS) -> pd.DataFrame:
    rows = [{**BASE, "respondent_id": f"R{i}", **c} for i, c in enumerate(changes, start=1)]
    return pd.DataFrame(rows, columns=list(columns), dtype="string")


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("received_sms", "yes", "yes"), ("received_sms", "YA", "yes"),
        ("received_sms", "1", "yes"), ("received_sms", "tidak", "no"),
        ("received_sms", "", None),
        ("voted", "0", "no"), ("voted", "No", "no"), ("voted", "dont_know", "dont_know"),
        ("voted", "tidak_tahu", "dont_know"), ("voted", "Tidak Tahu", "dont_know"),
        ("knows_valid_ballot", "Don't know", "dont_know"), ("saw_hoax", "", None),
        ("operator", "Tri", "indosat"), ("operator", "axis", "xl"), ("operator", "", None),
        ("recalled_theme", " Anti Hoax ", "anti_hoax"),
        # controls are kept as the vendor wrote them (trimmed), known spelling or not
        ("gender", "Perempuan", "Perempuan"), ("gender", "2", "2"), ("gender", " L ", "L"),
        ("urban_rural", "kota", "kota"), ("age_group", "17 - 24", "17 - 24"),
        ("age_group", "25-39", "25-39"), ("age_group", "", None),
    ],
)
def test_answers_are_normalised_and_controls_kept_as_written(column, text, expected):
    clean, rejects, _ = validate_survey(frame({column: text}), lookup)
    assert rejects.empty
    value = clean.loc[0, column]
    assert (pd.isna(value) if expected is None else value == expected)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"weight": ""}, "bad_weight: weight is empty"),
        ({"weight": "abc"}, "bad_weight: weight is not a number"),
        ({"weight": "1.2.3"}, "bad_weight: weight is not a number"),
        ({"weight": "nan"}, "bad_weight: weight is not a number"),
        ({"weight": "inf"}, "bad_weight: weight is not a finite number"),
        ({"weight": "-inf"}, "bad_weight: weight is not a finite number"),
        ({"weight": "0"}, "bad_weight: weight is not above 0"),
        ({"weight": "-1,5"}, "bad_weight: weight is not above 0"),
        ({"received_sms": "maybe"}, "bad_answer: received_sms is none of yes, no, dont_know "
                                    "(or their spellings)"),
        ({"voted": "?", "knows_valid_ballot": "??", "saw_hoax": "x", "believed_hoax": ""},
         "bad_answer: voted, knows_valid_ballot, saw_hoax, believed_hoax hold no known "
         "answer, only answers outside yes, no, dont_know"),
        ({"respondent_id": ""}, "missing_respondent_id: respondent_id is empty"),
        ({"respondent_id": "R1"}, "duplicate_respondent_id: respondent_id already given on "
                                  "line 2"),
        # a total row is no respondent: often only its weight is filled in
        ({"respondent_id": "Jumlah", **{c: "" for c in SURVEY_COLUMNS[1:-1]},
          "weight": "1.234,5"}, "total_row: a total of other rows, not counted twice"),
        ({"respondent_id": " TOTAL "}, "total_row: a total of other rows, not counted twice"),
        ({"respondent_id": "Grand Total", "weight": ""},
         "total_row: a total of other rows, not counted twice"),
        # the first failing check wins
        ({"respondent_id": "", "weight": "0"}, "missing_respondent_id: respondent_id is empty"),
        ({"weight": "", "received_sms": "maybe"}, "bad_weight: weight is empty"),
    ],
)
def test_rejects_name_the_field_and_problem_never_the_value(change, reason):
    clean, rejects, _ = validate_survey(frame({}, change), lookup)
    assert len(clean) == 1 and len(rejects) == 1
    assert rejects.loc[0, "reason"] == reason
    assert rejects.loc[0, "line"] == 3
    assert list(rejects.columns) == ["line", "reason", "raw"]


@pytest.mark.parametrize(
    ("change", "column", "stored", "kind", "field", "value"),
    [
        # controls: any label loads, kept as written; a label we do not know is a warning
        ({"age_group": "25-39"}, "age_group", "25-39", "unfamiliar_category", "age_group",
         "25-39"),
        ({"gender": "2"}, "gender", "2", "unfamiliar_category", "gender", "2"),
        ({"urban_rural": "semi-urban"}, "urban_rural", "semi-urban", "unfamiliar_category",
         "urban_rural", "semi-urban"),
        ({"operator": "Net1"}, "operator", "Net1", "unfamiliar_operator", "operator", "Net1"),
        # an unknown outcome answer: blank for that question only
        ({"voted": "2"}, "voted", None, "unknown_answer", "voted", "2"),
        ({"knows_valid_ballot": "ragu-ragu"}, "knows_valid_ballot", None, "unknown_answer",
         "knows_valid_ballot", "ragu-ragu"),
        ({"saw_hoax": "lupa"}, "saw_hoax", None, "unknown_answer", "saw_hoax", "lupa"),
        ({"believed_hoax": "mungkin"}, "believed_hoax", None, "unknown_answer",
         "believed_hoax", "mungkin"),
        # a province we cannot place: loaded without one
        ({"province": "Atlantis"}, "province_code", None, "unknown_province", "province",
         "Atlantis"),
        ({"province": ""}, "province_code", None, "unknown_province", "province", None),
        # dates: kept where readable; voted cannot be placed after the vote otherwise
        ({"interview_date": "20/20/2024"}, "voted", None, "bad_interview_date",
         "interview_date", "20/20/2024"),  # no 20th month in either order
        ({"interview_date": ""}, "interview_date", None, "bad_interview_date",
         "interview_date", None),
        ({"interview_date": "2034-02-20"}, "voted", "yes", "interview_date_out_of_range",
         "interview_date", "2034-02-20"),
        ({"interview_date": "2024-02-13"}, "voted", None, "voted_before_election", "voted",
         None),
    ],
)
def test_odd_values_load_with_a_warning(change, column, stored, kind, field, value):
    clean, rejects, warnings = validate_survey(frame({}, change), lookup)
    assert rejects.empty and len(clean) == 2
    got = clean.loc[1, column]
    assert (pd.isna(got) if stored is None else got == stored)
    assert len(warnings) == 1, warnings
    row = warnings.iloc[0]
    assert (row["line"], row["kind"], row["field"], row["count"]) == (3, kind, field, 1)
    assert (pd.isna(row["value"]) if value is None else row["value"] == value)
    assert row["message"].startswith(f"{field}: ")
    changed = {column, "line", "respondent_id", *change, "province_code"
               if "province" in change else "", "voted" if "interview_date" in change else ""}
    untouched = [c for c in CLEAN_COLUMNS if c not in changed]
    assert clean.loc[1, untouched].equals(clean.loc[0, untouched])  # nothing else changed


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_an_unknown_answer_leaves_the_respondent_out_of_that_question_only(outcome):
    from dashboard.analysis.hoax import survey_hoax_comparison
    from dashboard.analysis.participation import survey_tests

    people = [{"received_sms": g, "voted": a, "knows_valid_ballot": a, "saw_hoax": a,
               "believed_hoax": a} for g in ("yes", "no") for a in ("yes", "no", "yes")]
    clean, _, _ = validate_survey(frame(*people, {outcome: "lupa"}), lookup)
    n = pd.concat([survey_tests(clean).query("test == 'difference'")[["outcome", "n"]],
                   survey_hoax_comparison(clean).query("group == 'difference'")[
                       ["outcome", "n"]]]).set_index("outcome")["n"]
    assert n.to_dict() == {o: 6 if o == outcome else 7 for o in OUTCOMES}


def test_warnings_are_counted_per_value_with_their_first_line_and_masked():
    clean, rejects, warnings = validate_survey(frame(
        {}, {"age_group": "25-39"}, {"age_group": "40-54"}, {"age_group": "25-39"},
        {"age_group": "0812 3456 7890"}, {"received_sms": "lupa"}, {"received_sms": "lupa"},
        {"age_group": "25-39", "weight": "0"}), lookup)
    assert len(clean) == 5 and len(rejects) == 3
    got = warnings[["line", "kind", "field", "value", "count"]].to_dict("records")
    assert got == [
        {"line": 3, "kind": "unfamiliar_category", "field": "age_group", "value": "25-39",
         "count": 2},  # the rejected row (bad weight) is not counted
        {"line": 4, "kind": "unfamiliar_category", "field": "age_group", "value": "40-54",
         "count": 1},
        {"line": 6, "kind": "unfamiliar_category", "field": "age_group",
         "value": "[nomor disamarkan]", "count": 1},
        {"line": 7, "kind": "rejected_answer", "field": "received_sms", "value": "lupa",
         "count": 2},
    ]
    assert "0812" not in " ".join(warnings["message"])


def test_warnings_frame_shape():
    _, _, warnings = validate_survey(frame({}, {"age_group": "25-39"}), lookup)
    _, _, none = validate_survey(frame({}), lookup)
    for found in (warnings, none):
        assert tuple(found.columns) == WARNING_COLUMNS
        assert WARNING_COLUMNS == ("line", "kind", "field", "value", "count", "message")
        assert found.dtypes.astype(str).to_dict() == {
            "line": "int64", "kind": "string", "field": "string", "value": "string",
            "count": "int64", "message": "string"}
    assert none.empty
    assert tuple(warnings.loc[0, ["kind", "field", "value"]]) == (
        "unfamiliar_category", "age_group", "25-39")


@pytest.mark.parametrize("rows", [0, 1, 3])
def test_a_file_without_a_weight_column_loads_unweighted_and_says_so(rows):
    no_weight = tuple(c for c in SURVEY_COLUMNS if c != "weight")
    clean, rejects, warnings = validate_survey(frame(*[{}] * rows, columns=no_weight), lookup)
    assert rejects.empty and len(clean) == rows
    assert clean.attrs["weighted"] is False
    assert (clean["weight"] == 1.0).all() and clean["weight"].dtype == "float64"
    assert warnings[["line", "kind", "field", "count"]].to_dict("records") == [
        {"line": 1, "kind": "no_weight_column", "field": "weight", "count": rows}]
    weighted, _, _ = validate_survey(frame({}), lookup)
    assert weighted.attrs["weighted"] is True


THOUSANDS, DECIMAL = "ambiguous_number_thousands", "ambiguous_number_decimal"
# (case, a file's weights as written, as read, the warnings (kind, value as written)): the
# separators are decided per file; a '.' or ',' before exactly three digits is ambiguous
WEIGHT_FILES = [
    ("decimals as before", ["0,85", "1.5", "2", "1,25"], [0.85, 1.5, 2, 1.25], []),
    ("decimal comma and point in one file", ["1,5436", "1.5436"], [1.5436, 1.5436], []),
    ("thousands beside whole numbers", ["850", "2,100", "1.234", "900"],
     [850, 2100, 1234, 900], [(THOUSANDS, "2,100"), (THOUSANDS, "1.234")]),
    ("Indonesian grouping decides", ["1.234.567", "1.234", "900"], [1234567, 1234, 900], []),
    ("English grouping decides", ["1,234,567", "2,100", "1.234"], [1234567, 2100, 1.234], []),
    ("Indonesian grouping and decimal", ["1.234,5", "2,100", "1.234"], [1234.5, 2.1, 1234],
     []),
    ("English grouping and decimal", ["1,234.5", "2,100", "1.234"], [1234.5, 2100, 1.234],
     []),
    ("a decimal with the file's grouping mark", ["1.234.567", "1.5"], [1234567, 1.5],
     [(DECIMAL, "1.5")]),
    ("the mark is a decimal elsewhere in the file", ["0,85", "1,250", "900"],
     [0.85, 1.25, 900], []),
    ("ambiguous beside decimals", ["1.5", "2,100"], [1.5, 2.1], [(DECIMAL, "2,100")]),
    # every weight read alike: either reading gives the same shares, nothing to warn
    ("ambiguous weights only, one mark", ["1.234", "2.500"], [1.234, 2.5], []),
    ("ambiguous weights of both marks", ["1.234", "2,500"], [1.234, 2.5],
     [(DECIMAL, "1.234"), (DECIMAL, "2,500")]),
    ("groupings that disagree decide nothing", ["1.234.567", "1,234,567", "2,100"],
     [1234567, 1234567, 2100], [(THOUSANDS, "2,100")]),
    ("a leading zero is no grouping", ["0.850", "900"], [0.85, 900], []),
    ("four digits before the mark are no grouping", ["1234.567", "900"], [1234.567, 900], []),
    ("one ambiguous weight twice", ["900", "2,100", "2,100"], [900, 2100, 2100],
     [(THOUSANDS, "2,100")]),
]


@pytest.mark.parametrize(("case", "weights", "read", "expected"), WEIGHT_FILES,
                         ids=[c[0] for c in WEIGHT_FILES])
def test_weight_separators_are_decided_per_file(case, weights, read, expected):
    clean, rejects, warnings = validate_survey(frame(*[{"weight": w} for w in weights]),
                                               lookup)
    assert rejects.empty
    assert clean["weight"].tolist() == pytest.approx(read)
    found = warnings[warnings["kind"].str.startswith("ambiguous_number")]
    assert list(zip(found["kind"], found["value"], strict=True)) == expected
    assert found["count"].tolist() == [weights.count(v) for _, v in expected]
    assert found["line"].tolist() == [weights.index(v) + 2 for _, v in expected]


@pytest.mark.parametrize(("weights", "read", "expected"), [
    (["1.234.567", "1.234", ""], [1234567, 1234], []),
    (["900", "2,100", ""], [900, 2100], [(THOUSANDS, "2,100")]),
    (["2,100", "1.234", ""], [2.1, 1.234], [(DECIMAL, "2,100"), (DECIMAL, "1.234")]),
    (["2,100", ""], [2.1], []),
])
def test_an_empty_weight_decides_nothing_about_the_others(weights, read, expected):
    clean, rejects, warnings = validate_survey(frame(*[{"weight": w} for w in weights]),
                                               lookup)
    assert rejects["reason"].tolist() == ["bad_weight: weight is empty"]
    assert clean["weight"].tolist() == pytest.approx(read)
    found = warnings[warnings["kind"].str.startswith("ambiguous_number")]
    assert sorted(zip(found["kind"], found["value"], strict=True)) == sorted(expected)


@pytest.mark.parametrize(("weights", "reasons"), [
    (["1.2.3", "900"], ["bad_weight: weight is not a number"]),  # no grouping of 3 digits
    (["1.234,5,6", "900"], ["bad_weight: weight is not a number"]),
    (["-1.234", "900"], ["bad_weight: weight is not above 0"]),
])
def test_a_weight_that_is_no_number_in_any_convention_is_rejected(weights, reasons):
    _, rejects, _ = validate_survey(frame(*[{"weight": w} for w in weights]), lookup)
    assert rejects["reason"].tolist() == reasons


def test_decimal_comma_weight_is_read():
    clean, _, _ = validate_survey(frame({"weight": "1,5"}), lookup)
    assert clean.loc[0, "weight"] == 1.5


def test_voted_before_election_day_is_blanked_with_a_warning():
    clean, rejects, warnings = validate_survey(
        frame({"interview_date": "2024-02-13"}, {"interview_date": "2024-02-14"},
              {"interview_date": "2024-02-01"}), lookup)
    assert rejects.empty
    assert clean["voted"].isna().tolist() == [True, False, True]
    assert warnings[["line", "kind", "count"]].to_dict("records") == [
        {"line": 2, "kind": "voted_before_election", "count": 2}]


def test_clean_columns_and_types():
    clean, _, _ = validate_survey(frame({}), lookup)
    assert tuple(clean.columns) == CLEAN_COLUMNS
    assert clean.loc[0, "province_code"] == 11
    assert str(clean.loc[0, "interview_date"]) == "2024-02-20"
    assert clean["weight"].dtype == "float64"


CHANGES = [{}, {"province": "x"}, {"weight": "0"}, {"voted": "?"}, {"age_group": "?"},
           {"interview_date": "2024-01-02"}, {"received_sms": "ya"}, {"received_sms": "?"},
           {"respondent_id": ""}, {"respondent_id": "R1"},
           {"voted": "?", "knows_valid_ballot": "?", "saw_hoax": "?", "believed_hoax": "?"}]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(CHANGES), min_size=1, max_size=25))
def test_every_row_is_clean_or_rejected(changes):
    clean, rejects, warnings = validate_survey(frame(*changes), lookup)
    assert len(clean) + len(rejects) == len(changes)
    assert sorted([*clean["line"], *rejects["line"]]) == list(range(2, len(changes) + 2))
    loaded_warnings = warnings[warnings["kind"] != "rejected_answer"]
    assert set(loaded_warnings["line"]) <= set(clean["line"])
    assert not warnings.duplicated(["kind", "field", "value"]).any()  # one per value


# --- the committed sample --------------------------------------------------------------------

def _sample_file() -> pd.DataFrame:
    data = pd.read_csv(config.SAMPLE_DIR / "survey_responses.csv", dtype="string",
                       keep_default_na=False)
    data.insert(0, "line", range(2, len(data) + 2))
    return data


def test_the_sample_gives_exactly_the_warnings_its_manifest_lists():
    manifest = json.loads((config.SAMPLE_DIR / "MANIFEST.json").read_text())["survey"]
    clean, rejects, warnings = validate_survey(_sample_file(), reference.province_code)
    assert {"loaded": len(clean), "rejected": len(rejects)} == {
        k: v for k, v in manifest["expected"].items() if k != "rows_read"}
    assert warnings[["line", "kind", "field", "value", "count"]].to_dict("records") == (
        manifest["warnings"])
    kinds = {w["kind"] for w in manifest["warnings"]}
    assert {"unfamiliar_category", "unfamiliar_operator", "unknown_answer"} <= kinds


def test_the_sample_carries_odd_but_valid_variants():
    sample = _sample_file()
    assert sample["received_sms"].isin(["ya", "tidak"]).any()
    assert sample["voted"].isin(["1", "0"]).any()
    assert sample["gender"].isin(["P", "L"]).any() and sample["urban_rural"].isin(
        ["kota", "desa"]).any()
    assert sample["weight"].str.contains(",").any()
    clean, _, _ = validate_survey(sample, reference.province_code)
    assert set(clean["received_sms"].dropna()) == {"yes", "no", "dont_know"}
    assert clean["province_code"].nunique() == 38
    assert clean["weight"].std() > 0.1  # unequal weights
    assert set(clean["operator"]) <= {"telkomsel", "indosat", "xl", "smartfren", "other", "Net1"}
    assert clean["age_group"].nunique() == 10  # two spellings of five bands, kept as written


def test_the_committed_sample_is_what_the_generator_writes(tmp_path):
    (tmp_path / "MANIFEST.json").write_text('{"files": []}\n')
    sample_survey.generate_survey(tmp_path)
    written = tmp_path / sample_survey.FILE_NAME
    assert written.read_bytes() == (config.SAMPLE_DIR / sample_survey.FILE_NAME).read_bytes()
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())
    committed = json.loads((config.SAMPLE_DIR / "MANIFEST.json").read_text())
    assert manifest["files"] == []  # the receipts' sections are kept
    assert manifest["survey"] == committed["survey"]


def test_sample_survey_is_deterministic():
    pd.testing.assert_frame_equal(survey_responses(n=300), survey_responses(n=300))
