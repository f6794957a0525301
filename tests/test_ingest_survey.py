"""Survey validation and normalisation (pure pandas)."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import reference
from dashboard.ingest.survey import CLEAN_COLUMNS, SURVEY_COLUMNS, validate_survey
from dashboard.sample.survey import survey_responses

CODES = {"aceh": 11, "jawa barat": 32, "32": 32, "11": 11}


def lookup(text: str) -> int | None:
    """A tiny stand-in for dashboard.reference.province_code."""
    return CODES.get(str(text).strip().lower())


BASE = {"respondent_id": "R1", "interview_date": "2024-02-20", "province": "Aceh",
        "age_group": "25-34", "gender": "female", "urban_rural": "urban",
        "operator": "telkomsel", "received_sms": "yes", "recalled_theme": "anti_hoax",
        "voted": "yes", "knows_valid_ballot": "no", "saw_hoax": "yes", "believed_hoax": "no",
        "weight": "1.25"}


def frame(*changes: dict) -> pd.DataFrame:
    rows = [{**BASE, "respondent_id": f"R{i}", **c} for i, c in enumerate(changes, start=1)]
    return pd.DataFrame(rows, columns=list(SURVEY_COLUMNS), dtype="string")


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("received_sms", "yes", "yes"), ("received_sms", "YA", "yes"),
        ("received_sms", "1", "yes"), ("received_sms", "tidak", "no"),
        ("voted", "0", "no"), ("voted", "No", "no"), ("voted", "dont_know", "dont_know"),
        ("voted", "tidak_tahu", "dont_know"), ("voted", "Tidak Tahu", "dont_know"),
        ("knows_valid_ballot", "Don't know", "dont_know"), ("saw_hoax", "", None),
        ("gender", "Perempuan", "female"), ("gender", "laki-laki", "male"),
        ("urban_rural", "perdesaan", "rural"), ("operator", "Tri", "indosat"),
        ("operator", "axis", "xl"), ("operator", "", None), ("age_group", "55+", "55+"),
        ("age_group", "17 - 24", "17-24"), ("recalled_theme", " Anti Hoax ", "anti_hoax"),
    ],
)
def test_answers_are_normalised(column, text, expected):
    clean, rejects, _ = validate_survey(frame({column: text}), lookup)
    assert rejects.empty
    value = clean.loc[0, column]
    assert (pd.isna(value) if expected is None else value == expected)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"province": "Atlantis"}, "unknown_province"),
        ({"province": ""}, "unknown_province"),
        ({"weight": "0"}, "bad_weight"),
        ({"weight": "-1"}, "bad_weight"),
        ({"weight": ""}, "bad_weight"),
        ({"weight": "abc"}, "bad_weight"),
        ({"weight": "inf"}, "bad_weight"),
        ({"received_sms": "maybe"}, "bad_answer: received_sms"),
        ({"voted": "2"}, "bad_answer: voted"),
        ({"age_group": "16-20"}, "bad_answer: age_group"),
        ({"operator": "mars telecom"}, "bad_answer: operator"),
        ({"interview_date": "2024-02-30"}, "bad_interview_date"),
        ({"interview_date": "20/02/2024"}, "bad_interview_date"),
        ({"interview_date": ""}, "bad_interview_date"),
        ({"interview_date": "2034-02-20"}, "interview_date_out_of_range"),
        ({"respondent_id": ""}, "missing_respondent_id"),
    ],
)
def test_rejects_with_reason_and_line(change, reason):
    clean, rejects, _ = validate_survey(frame({}, change), lookup)
    assert len(clean) == 1 and len(rejects) == 1
    assert rejects.loc[0, "reason"].startswith(reason), rejects.loc[0, "reason"]
    assert rejects.loc[0, "line"] == 3
    assert list(rejects.columns) == ["line", "reason", "raw"]


def test_duplicate_respondent_is_rejected():
    clean, rejects, _ = validate_survey(frame({}, {"respondent_id": "R1"}), lookup)
    assert len(clean) == 1
    assert rejects.loc[0, "reason"] == "duplicate_respondent_id: 'R1' already given on line 2"


def test_decimal_comma_weight_is_read():
    clean, _, _ = validate_survey(frame({"weight": "1,5"}), lookup)
    assert clean.loc[0, "weight"] == 1.5


def test_voted_before_election_day_is_blanked_with_a_warning():
    clean, rejects, warnings = validate_survey(
        frame({"interview_date": "2024-02-13"}, {"interview_date": "2024-02-14"}), lookup)
    assert rejects.empty
    assert pd.isna(clean.loc[0, "voted"]) and clean.loc[1, "voted"] == "yes"
    assert warnings["line"].tolist() == [2]
    assert warnings.loc[0, "warning"].startswith("voted_before_election")


def test_clean_columns_and_types():
    clean, _, _ = validate_survey(frame({}), lookup)
    assert tuple(clean.columns) == CLEAN_COLUMNS
    assert clean.loc[0, "province_code"] == 11
    assert str(clean.loc[0, "interview_date"]) == "2024-02-20"
    assert clean["weight"].dtype == "float64"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([{}, {"province": "x"}, {"weight": "0"}, {"voted": "?"},
                                 {"interview_date": "2024-01-02"}, {"received_sms": "ya"}]),
                min_size=1, max_size=25))
def test_every_row_is_clean_or_rejected(changes):
    clean, rejects, _ = validate_survey(frame(*changes), lookup)
    assert len(clean) + len(rejects) == len(changes)
    assert sorted([*clean["line"], *rejects["line"]]) == list(range(2, len(changes) + 2))


def test_sample_survey_validates_and_uses_every_spelling():
    sample = survey_responses(n=1_500).astype("string")
    assert sample["received_sms"].isin(["ya", "tidak"]).any()
    assert sample["voted"].isin(["1", "0"]).any()
    clean, rejects, warnings = validate_survey(sample, reference.province_code)
    assert rejects.empty and warnings.empty and len(clean) == 1_500
    assert set(clean["received_sms"].dropna()) == {"yes", "no", "dont_know"}
    assert clean["province_code"].nunique() == 38
    assert clean["weight"].std() > 0.1  # unequal weights
    assert set(clean["operator"]) <= {"telkomsel", "indosat", "xl", "smartfren", "other"}


def test_sample_survey_is_deterministic():
    pd.testing.assert_frame_equal(survey_responses(n=300), survey_responses(n=300))
