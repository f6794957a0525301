"""Survey responses: validation and normalisation, pure pandas.

Input columns: respondent_id,interview_date,province,age_group,gender,urban_rural,operator,
received_sms,recalled_theme,voted,knows_valid_ballot,saw_hoax,believed_hoax,weight.
Yes/no answers arrive as yes/no/dont_know, ya/tidak/tidak_tahu or 1/0 and leave as
'yes'/'no'/'dont_know'; blank means not asked (missing). A row is either clean or rejected
(the first failing check wins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from dashboard.ingest.election import line_numbers, raw_lines, text_column

SURVEY_COLUMNS = ("respondent_id", "interview_date", "province", "age_group", "gender",
                  "urban_rural", "operator", "received_sms", "recalled_theme", "voted",
                  "knows_valid_ballot", "saw_hoax", "believed_hoax", "weight")
YES_NO_COLUMNS = ("received_sms", "voted", "knows_valid_ballot", "saw_hoax", "believed_hoax")
CLEAN_COLUMNS = ("line", "respondent_id", "interview_date", "province_code", "age_group",
                 "gender", "urban_rural", "operator", "received_sms", "recalled_theme", "voted",
                 "knows_valid_ballot", "saw_hoax", "believed_hoax", "weight")
REJECT_COLUMNS = ("line", "reason", "raw")
WARNING_COLUMNS = ("line", "respondent_id", "warning")
ELECTION_DAY = dt.date(2024, 2, 14)
# Interviews outside this window are typing errors (the blast was announced in Sep 2023).
FIRST_INTERVIEW, LAST_INTERVIEW = dt.date(2023, 9, 1), dt.date(2024, 12, 31)

ANSWERS = {
    "yes": "yes", "ya": "yes", "1": "yes", "true": "yes",
    "no": "no", "tidak": "no", "0": "no", "false": "no",
    "dont_know": "dont_know", "tidak_tahu": "dont_know", "do_not_know": "dont_know",
}
AGE_GROUPS = {"17_24": "17-24", "25_34": "25-34", "35_44": "35-44", "45_54": "45-54",
              "55+": "55+"}  # keys in answer_key() form
GENDERS = {"female": "female", "perempuan": "female", "f": "female", "p": "female",
           "male": "male", "laki_laki": "male", "lakilaki": "male", "m": "male", "l": "male"}
URBAN_RURAL = {"urban": "urban", "perkotaan": "urban", "kota": "urban",
               "rural": "rural", "perdesaan": "rural", "pedesaan": "rural", "desa": "rural"}
# Operator groups of the project; Tri belongs to Indosat Ooredoo Hutchison, Axis to XL Axiata.
OPERATORS = {"telkomsel": "telkomsel", "indosat": "indosat", "im3": "indosat",
             "tri": "indosat", "three": "indosat", "3": "indosat", "xl": "xl", "axis": "xl",
             "smartfren": "smartfren", "other": "other", "lainnya": "other"}
CATEGORIES: dict[str, dict[str, str]] = {
    "age_group": AGE_GROUPS, "gender": GENDERS, "urban_rural": URBAN_RURAL,
    "operator": OPERATORS, **{c: ANSWERS for c in YES_NO_COLUMNS},
}


def answer_key(text: pd.Series) -> pd.Series:
    """Lower case, spaces, hyphens and apostrophes folded: "Don't know" -> 'dont_know'."""
    return (text.astype("string").str.strip().str.lower().str.replace("'", "", regex=False)
            .str.replace(r"[\s\-]+", "_", regex=True))


def normalise_category(text: pd.Series, spellings: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """(canonical values, True where a non-blank value is not an allowed spelling)."""
    mapped = answer_key(text).map(spellings).astype("string")
    bad = text.notna() & mapped.isna()
    return mapped, bad


def validate_survey(df: pd.DataFrame, province_lookup: Callable[[str], int | None],
                    first_interview: dt.date = FIRST_INTERVIEW,
                    last_interview: dt.date = LAST_INTERVIEW
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean rows, rejects (line, reason, raw) and warnings (line, respondent_id, warning).

    Rejected: missing or repeated respondent_id, a date that is not YYYY-MM-DD or lies outside
    [first_interview, last_interview], an unknown province, a weight that is missing, not a
    number or <= 0, and an answer outside the allowed values. Kept with a warning: `voted`
    answered in an interview before election day (the answer is blanked).
    """
    lines = line_numbers(df)
    text = {c: text_column(df, c) for c in SURVEY_COLUMNS}
    date_text = text["interview_date"]
    dates = pd.to_datetime(date_text, format="%Y-%m-%d", errors="coerce").dt.date
    codes = {t: province_lookup(t) for t in text["province"].dropna().unique()}
    province_code = pd.Series([codes.get(t) if not pd.isna(t) else None
                               for t in text["province"]], index=df.index, dtype="Int64")
    weight = pd.to_numeric(text["weight"].str.replace(",", ".", regex=False), errors="coerce")
    weight = weight.astype("Float64")
    normalised = {c: normalise_category(text[c], s) for c, s in CATEGORIES.items()}

    in_window = dates.map(lambda d: first_interview <= d <= last_interview if not pd.isna(d)
                          else False).astype(bool)
    checks: list[tuple[pd.Series, pd.Series | str]] = [
        (text["respondent_id"].isna(), "missing_respondent_id: respondent_id is empty"),
        (dates.isna(), "bad_interview_date: '" + date_text.fillna("")
         + "' is not a date YYYY-MM-DD"),
        (~in_window, "interview_date_out_of_range: " + date_text.fillna("")
         + f" is outside {first_interview.isoformat()}..{last_interview.isoformat()}"),
        (province_code.isna(), "unknown_province: '" + text["province"].fillna("")
         + "' is not a known province name or code"),
        (weight.isna() | ~np.isfinite(weight.astype("float64").fillna(np.nan)) | (weight <= 0),
         "bad_weight: weight '" + text["weight"].fillna("") + "' must be a number above 0"),
    ]
    for column, (_, bad) in normalised.items():
        allowed = ", ".join(sorted(set(CATEGORIES[column].values())))
        checks.append((bad, f"bad_answer: {column} '" + text[column].fillna("")
                       + f"' is not one of {allowed}"))
    reason = pd.Series(pd.NA, index=df.index, dtype="string")
    for failed, message in reversed(checks):  # the first failing check wins
        reason = reason.mask(failed.fillna(True).astype(bool), message)
    ids = text["respondent_id"]
    repeated = reason.isna() & ids.where(reason.isna()).duplicated(keep="first") & ids.notna()
    first_line = lines[reason.isna()].groupby(ids[reason.isna()]).min()
    reason = reason.mask(repeated, "duplicate_respondent_id: '" + ids.fillna("")
                         + "' already given on line " + ids.map(first_line).astype("Int64")
                         .astype("string").fillna(""))
    bad = reason.notna()

    clean = pd.DataFrame({
        "line": lines, "respondent_id": ids, "interview_date": dates,
        "province_code": province_code,
        **{c: normalised[c][0] for c in ("age_group", "gender", "urban_rural", "operator")},
        "received_sms": normalised["received_sms"][0],
        "recalled_theme": answer_key(text["recalled_theme"]),
        **{c: normalised[c][0] for c in YES_NO_COLUMNS[1:]},
        "weight": weight.astype("float64"),
    })[~bad]
    before_election = clean["interview_date"].map(lambda d: d < ELECTION_DAY).astype(bool)
    early_vote = before_election & clean["voted"].notna()
    warnings = pd.DataFrame({
        "line": clean.loc[early_vote, "line"], "respondent_id": clean.loc[early_vote,
                                                                          "respondent_id"],
        "warning": "voted_before_election: interviewed before 14 Feb 2024, so 'voted' cannot "
                   "be known; the answer is left blank",
    }).astype({"line": "int64", "respondent_id": "string", "warning": "string"})
    clean.loc[early_vote, "voted"] = pd.NA
    rejects = pd.DataFrame({"line": lines[bad], "reason": reason[bad],
                            "raw": raw_lines(df[bad], SURVEY_COLUMNS)})
    return (clean.reset_index(drop=True), rejects.reset_index(drop=True),
            warnings.reset_index(drop=True))
