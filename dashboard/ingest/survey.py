"""Survey responses: validation and normalisation, pure pandas.

Input columns: respondent_id,interview_date,province,age_group,gender,urban_rural,operator,
received_sms,recalled_theme,voted,knows_valid_ballot,saw_hoax,believed_hoax[,weight].
Yes/no answers arrive as yes/no/dont_know, ya/tidak/tidak_tahu or 1/0 (any case; spaces,
hyphens and apostrophes folded) and leave as 'yes'/'no'/'dont_know'; blank means not asked.

What is rejected, and why (issue 14: reject only what makes a number impossible):
- a respondent without respondent_id, or with one given earlier in the file (the first one
  wins): each respondent must be counted once;
- a total row, whose respondent_id is a total label ('Jumlah', 'Total': ingest/totals.py)
  or a group's subtotal label (totals.group_subtotals), often with only a weight filled in,
  or a row without a respondent_id whose province is either ('Jawa Barat Sum' under Jawa
  Barat's respondents, 'Grand Sum' after them: a survey subtotalled by province)
  (`total_row`): it is no respondent, and would inflate the respondent count and the
  weights' sum. A row with a respondent_id is a respondent whatever its province reads;
- a weight that is empty, not a number, not finite or not above 0 (`bad_weight`): every
  estimate needs it. A file without a weight column loads unweighted: every respondent has
  weight 1.0, the load says so (warning `no_weight_column`, and `clean.attrs['weighted']`
  is False for the caller to store), and the pages and exports say the survey is unweighted;
- a received_sms answer outside the vocabulary (`bad_answer`): every test compares
  recipients with non-recipients, so such a respondent is of use to none of them;
- a respondent none of whose outcome answers (voted, knows_valid_ballot, saw_hoax,
  believed_hoax) is yes, no or dont_know because those given are outside the vocabulary
  (`bad_answer`): no test can use them (a row shifted by a column looks like this).
A reason names the field and the problem, never the value (the warnings name the value).
recalled_theme is free text (no test uses it): folded to lower case, never a reason.

What loads with a warning (one per file and kind, field and value, with the count of
respondents and the first line; values masked for phone numbers):
- an outcome answer outside the vocabulary (`unknown_answer`): that answer is left blank, so
  the respondent is left out of that question's tests only and still counts in the others'
  (rejecting them would shrink every test for a fault in one question, and a dont_know is
  treated the same way). The answers of rejected respondents are reported too
  (`rejected_answer`), as a reject reason never names a value;
- age_group, gender, urban_rural in any coding (`unfamiliar_category` when not a spelling we
  know): they are the regression's controls, kept as the vendor wrote them (trimmed), each
  label a level of its own. `operator` is not a control: a known spelling becomes the
  project's operator id, any other is kept as written;
- a province that is not a known name or code (`unknown_province`): loaded without one, like
  receipts; such respondents are left out when a province filter is set and out of the
  regression, whose controls include the province;
- an interview date not written in a form ingest/dates.py reads (`bad_interview_date`; loaded
  without a date) or
  lies outside [first_interview, last_interview] (`interview_date_out_of_range`; kept);
- `voted` given in an interview before election day (`voted_before_election`), or when the
  date cannot be read: the answer is left blank, as it cannot be placed after the vote;
- a weight whose reading depends on the file's separators ('2,100' is 2.1 or 2100;
  parse_weight decides per file): the kind says how it was read
  (`ambiguous_number_thousands`, `ambiguous_number_decimal`), the value is as written;
- an `msisdn` (optional column, issue 18: the respondent's number, to match them to the
  receipts and the hold-out of an individual experiment) that is not an Indonesian mobile
  number (`bad_msisdn`): loaded without one, and still counted in every survey test. Its
  warning carries no value: a mistyped number is still someone's number.

The number leaves this module in 62 form (clean column msisdn62) only to be pseudonymised by
the insert (ingest/tabular.py, the SQL macro recipient_key, as receipts are) and bucketed for
a frozen individual experiment; it is never stored, nor in a reject's raw line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from dashboard.ingest import totals
from dashboard.ingest.dates import FORMS, parse_days
from dashboard.ingest.election import line_numbers, raw_lines, text_column
from dashboard.ingest.privacy import mask_phone_numbers, normalise_msisdn

SURVEY_COLUMNS = ("respondent_id", "interview_date", "province", "age_group", "gender",
                  "urban_rural", "operator", "received_sms", "recalled_theme", "voted",
                  "knows_valid_ballot", "saw_hoax", "believed_hoax", "weight")
YES_NO_COLUMNS = ("received_sms", "voted", "knows_valid_ballot", "saw_hoax", "believed_hoax")
GROUP_COLUMN = "received_sms"
OUTCOME_COLUMNS = YES_NO_COLUMNS[1:]
CONTROL_COLUMNS = ("age_group", "gender", "urban_rural")
CLEAN_COLUMNS = ("line", "respondent_id", "interview_date", "province_code", "age_group",
                 "gender", "urban_rural", "operator", "received_sms", "recalled_theme", "voted",
                 "knows_valid_ballot", "saw_hoax", "believed_hoax", "weight", "msisdn62")
REJECT_COLUMNS = ("line", "reason", "raw")
# One row per (kind, field, value) of a file: the first line it was seen on and how many
# respondents it concerns. value is as written (phone numbers masked), <NA> when the warning
# is about a whole column or a rule rather than a value.
WARNING_COLUMNS = ("line", "kind", "field", "value", "count", "message")
# the warning kinds of a weight read one way where the other was possible: the kind says how
AS_THOUSANDS, AS_DECIMAL = "ambiguous_number_thousands", "ambiguous_number_decimal"
ELECTION_DAY = dt.date(2024, 2, 14)
# Interviews outside this window are likely typing errors (the blast was announced in Sep 2023).
FIRST_INTERVIEW, LAST_INTERVIEW = dt.date(2023, 9, 1), dt.date(2024, 12, 31)

ANSWERS = {
    "yes": "yes", "ya": "yes", "1": "yes", "true": "yes",
    "no": "no", "tidak": "no", "0": "no", "false": "no",
    "dont_know": "dont_know", "tidak_tahu": "dont_know", "do_not_know": "dont_know",
}
# Spellings we know for the controls (answer_key() form). Any other label loads too, as
# written, with a warning; these lists only decide whether a label is worth a warning.
AGE_GROUPS = {"17_24": "17-24", "25_34": "25-34", "35_44": "35-44", "45_54": "45-54",
              "55+": "55+"}
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
    "operator": OPERATORS,
}

MESSAGES = {
    "unknown_answer": "{field}: an answer outside yes, no, dont_know (or their spellings), "
                      "given by {respondents}; left blank, so they are left out of the "
                      "{field} tests only",
    "rejected_answer": "{field}: an answer outside yes, no, dont_know (or their spellings), "
                       "given by {respondents}, rejected (bad_answer: {why})",
    "unfamiliar_category": "{field}: a category not in our list, given by {respondents}; "
                           "kept as written, a level of its own among the regression's "
                           "controls",
    "unfamiliar_operator": "{field}: an operator not in our list, given by {respondents}; "
                           "kept as written",
    "unknown_province": "{field}: not a known province name or code, given by "
                        "{respondents}; loaded without a province (left out when a province "
                        "filter is set, and out of the regression, whose controls include "
                        "the province)",
    "bad_interview_date": "{field}: not a date written " + FORMS + ", given by {respondents}; "
                          "loaded without a date, and 'voted' left blank (it cannot be placed "
                          "after election day)",
    "interview_date_out_of_range": "{field}: outside {first}..{last}, given by "
                                   "{respondents}; kept as written",
    "voted_before_election": "{field}: answered by {respondents} interviewed before 14 Feb "
                             "2024, so it cannot be known; left blank",
    "bad_msisdn": "{field}: not an Indonesian mobile number, given by {respondents}; loaded "
                  "without a respondent key (not matched to receipts or a hold-out), counted "
                  "in every survey test",
    AS_THOUSANDS: "{field}: a '.' or ',' followed by three digits, given by {respondents}, "
                  "read as a thousands separator ('2,100' = 2100): the file's other weights "
                  "are whole numbers",
    AS_DECIMAL: "{field}: a '.' or ',' that may group thousands, given by {respondents}, "
                "read as a decimal mark ('2,100' = 2.1): the file's other weights are not "
                "all whole numbers, or group thousands with the other mark",
    "no_weight_column": "{field}: the file has no weight column; weight 1 for every "
                        "respondent ({respondents}): the survey is analysed unweighted",
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


# Weight separators are decided per file (a column), not per cell. A '.' or ',' followed by
# exactly three digits ('2,100', '1.234') is a decimal mark or a thousands separator;
# expansion weights (the people a respondent stands for) are written with either grouping.
_MARKS = (".", ",")
AMBIGUOUS_WEIGHT = r"[1-9][0-9]{0,2}([.,])[0-9]{3}"
# grouping shown beyond doubt: the mark twice ('1.234.567'), or before the other mark
# ('1.234,5', '1,234.5'); the cell's own reading, and the file's convention
_GROUPED = {g: rf"[1-9][0-9]{{0,2}}(?:\{g}[0-9]{{3}}){{2,}}(?:\{d}[0-9]+)?"
               rf"|[1-9][0-9]{{0,2}}(?:\{g}[0-9]{{3}})+\{d}[0-9]+"
            for g, d in (_MARKS, _MARKS[::-1])}
# one mark that can only be a decimal one ('0,85', '1.5', '1234.567')
_DECIMAL = {m: rf"[0-9]*\{m}[0-9]+" for m in _MARKS}


def parse_weight(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(weights as float64, the bad_weight reason where a weight is unusable, else <NA>, and
    the warning kind where how a weight was read deserves one: AS_THOUSANDS, AS_DECIMAL).

    One mark that can only be decimal is decimal ('1,25' = 1.25, '0.85'); a grouped weight
    ('1.234.567', '1.234,5', '1,234.5') is read as grouped and, when the file's grouped
    weights agree, fixes the file's marks. A weight like '2,100' then follows them; without
    them, it is decimal where the file writes that mark as a decimal elsewhere, else the
    reading matters only beside other weights (alone, either reading scales every weight
    alike): thousands when the file's other weights are whole numbers ('900'), else decimal,
    with a warning either way. A decimal written with the file's grouping mark ('1.5' beside
    '1.234.567') is read as a decimal, with a warning."""
    cells = text.astype("string").str.strip()
    ambiguous = cells.str.fullmatch(AMBIGUOUS_WEIGHT).fillna(False).astype(bool)
    mark = cells.str.extract(f"^{AMBIGUOUS_WEIGHT}$", expand=False).where(ambiguous)
    grouped = {g: cells.str.fullmatch(p).fillna(False).astype(bool)
               for g, p in _GROUPED.items()}
    decimal = {m: cells.str.fullmatch(p).fillna(False).astype(bool) & ~ambiguous
               for m, p in _DECIMAL.items()}
    groupings = [g for g in _MARKS if grouped[g].any()]
    convention = groupings[0] if len(groupings) == 1 else None  # disagreeing: none
    whole = (cells.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)
             | pd.concat([grouped[g] & ~cells.str.contains(_other(g), regex=False)
                          .fillna(False) for g in _MARKS], axis=1).any(axis=1))
    any_decimal = pd.concat([*decimal.values(), *(grouped[g] & cells.str.contains(
        _other(g), regex=False).fillna(False) for g in _MARKS)], axis=1).any(axis=1)

    as_thousands = pd.Series(False, index=text.index)
    reading = pd.Series(pd.NA, index=text.index, dtype="string")
    for m in _MARKS:
        these = ambiguous & mark.eq(m).fillna(False)
        if not these.any():
            continue
        if convention is not None:  # the file's grouped weights decide, no doubt left
            as_thousands |= these & (m == convention)
            continue
        if decimal[m].any():  # the file writes this mark as a decimal elsewhere
            continue
        others = cells.notna() & ~these
        if not others.any():  # every weight the same shape: any reading scales them alike
            continue
        thousands = bool(whole.any() and not any_decimal.any())
        as_thousands |= these & thousands
        reading = reading.mask(these, AS_THOUSANDS if thousands else AS_DECIMAL)
    if convention is not None:  # '1.5' beside '1.234.567': only a decimal reading fits
        reading = reading.mask(decimal[convention], AS_DECIMAL)

    numeric = cells.str.replace(",", ".", regex=False)  # one decimal mark: a point
    for g in _MARKS:
        numeric = numeric.mask(grouped[g], cells.str.replace(g, "", regex=False)
                               .str.replace(_other(g), ".", regex=False))
    numeric = numeric.mask(as_thousands, cells.str.replace(r"[.,]", "", regex=True))
    value = pd.to_numeric(numeric, errors="coerce").astype("float64")
    reason = pd.Series(pd.NA, index=text.index, dtype="string")
    problems = [  # the first that applies wins
        (text.isna(), "bad_weight: weight is empty"),
        (value.isna(), "bad_weight: weight is not a number"),
        (~np.isfinite(value), "bad_weight: weight is not a finite number"),
        (value <= 0, "bad_weight: weight is not above 0"),
    ]
    for failed, message in reversed(problems):
        reason = reason.mask(failed.to_numpy(dtype=bool), message)
    return value, reason, reading


def _total_rows(df: pd.DataFrame, text: dict[str, pd.Series]) -> pd.Series:
    """A total or subtotal label as the respondent_id, or as the province of a row without
    one."""
    def labelled(column: str) -> pd.Series:
        return totals.total_labels(text[column]) | totals.subtotal_rows(df, (column,))

    return labelled("respondent_id") | (text["respondent_id"].isna() & labelled("province"))


def _other(mark: str) -> str:
    return _MARKS[1] if mark == _MARKS[0] else _MARKS[0]


def validate_survey(df: pd.DataFrame, province_lookup: Callable[[str], int | None],
                    first_interview: dt.date = FIRST_INTERVIEW,
                    last_interview: dt.date = LAST_INTERVIEW
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean rows (CLEAN_COLUMNS; attrs['weighted']: False when the file has no weight
    column), rejects (line, reason, raw) and warnings (WARNING_COLUMNS, one per kind, field
    and value). Every input row is either clean or rejected; see the module docstring."""
    lines = line_numbers(df)
    text = {c: text_column(df, c) for c in SURVEY_COLUMNS}
    weighted = "weight" in df.columns
    weight_read = pd.Series(pd.NA, index=df.index, dtype="string")
    if weighted:
        weight, weight_reason, weight_read = parse_weight(text["weight"])
    else:
        weight = pd.Series(1.0, index=df.index, dtype="float64")
        weight_reason = pd.Series(pd.NA, index=df.index, dtype="string")
    answers = {c: normalise_category(text[c], ANSWERS) for c in YES_NO_COLUMNS}
    unknown = {c: answers[c][1].fillna(False).astype(bool) for c in YES_NO_COLUMNS}
    known_outcome = pd.concat([answers[c][0].notna() for c in OUTCOME_COLUMNS], axis=1).any(
        axis=1)
    no_usable_outcome = ~known_outcome & pd.concat(
        [unknown[c] for c in OUTCOME_COLUMNS], axis=1).any(axis=1)

    checks: list[tuple[pd.Series, pd.Series | str]] = [
        # first: a subtotal by province leaves the respondent_id empty (the module docstring;
        # the controls, answers and operator are free text: ingest/totals.py)
        (_total_rows(df, text), totals.TOTAL_ROW),
        (text["respondent_id"].isna(), "missing_respondent_id: respondent_id is empty"),
        (weight_reason.notna(), weight_reason),
        (unknown[GROUP_COLUMN], f"bad_answer: {GROUP_COLUMN} is none of yes, no, dont_know "
                                "(or their spellings)"),
        (no_usable_outcome, "bad_answer: " + ", ".join(OUTCOME_COLUMNS) + " hold no known "
                            "answer, only answers outside yes, no, dont_know"),
    ]
    reason = pd.Series(pd.NA, index=df.index, dtype="string")
    for failed, message in reversed(checks):  # the first failing check wins
        reason = reason.mask(failed.to_numpy(dtype=bool), message)
    ids = text["respondent_id"]
    repeated = reason.isna() & ids.where(reason.isna()).duplicated(keep="first") & ids.notna()
    first_line = lines[reason.isna()].groupby(ids[reason.isna()]).min()
    reason = reason.mask(repeated, "duplicate_respondent_id: respondent_id already given on "
                         "line " + ids.map(first_line).astype("Int64").astype("string")
                         .fillna(""))
    bad = reason.notna()

    date_text = text["interview_date"]
    # dates or None, as objects: .dt.date of a column without one readable date stays
    # datetime64 (NaT), which the comparisons below refuse
    dates = pd.Series([None if pd.isna(d) else d.date() for d in
                       parse_days(date_text)],
                      index=df.index, dtype=object)
    unreadable_date = dates.isna()
    out_of_range = dates.map(lambda d: d is not None and not first_interview <= d
                             <= last_interview).astype(bool)
    before_election = dates.map(lambda d: d is not None and d < ELECTION_DAY).astype(bool)
    codes = {t: province_lookup(t) for t in text["province"].dropna().unique()}
    province_code = pd.Series([codes.get(t) if not pd.isna(t) else None
                               for t in text["province"]], index=df.index, dtype="Int64")
    operator, unfamiliar_operator = normalise_category(text["operator"], OPERATORS)
    number = text_column(df, "msisdn")
    msisdn62 = pd.Series([None if pd.isna(n) else normalise_msisdn(n) for n in number],
                         index=df.index, dtype="string")
    outcome = {c: answers[c][0] for c in OUTCOME_COLUMNS}
    has_vote = outcome["voted"].notna()
    outcome["voted"] = outcome["voted"].mask(unreadable_date | before_election, pd.NA)

    clean = pd.DataFrame({
        "line": lines, "respondent_id": ids, "interview_date": dates,
        "province_code": province_code,
        **{c: text[c] for c in CONTROL_COLUMNS},
        "operator": operator.fillna(text["operator"]),
        "received_sms": answers[GROUP_COLUMN][0],
        "recalled_theme": answer_key(text["recalled_theme"]),
        **outcome,
        "weight": weight,
        "msisdn62": msisdn62,
    })[~bad].reset_index(drop=True)
    clean.attrs["weighted"] = weighted

    for_answers = bad & reason.str.startswith("bad_answer").fillna(False)
    group_rejected = for_answers & unknown[GROUP_COLUMN]
    found = [
        _warning("rejected_answer", GROUP_COLUMN, group_rejected, lines, text[GROUP_COLUMN],
                 why="every test compares recipients with non-recipients"),
        *(_warning("rejected_answer", c, unknown[c] & for_answers & ~group_rejected, lines,
                   text[c], why="none of the questions holds a known answer")
          for c in OUTCOME_COLUMNS),
        *(_warning("unknown_answer", c, unknown[c] & ~bad, lines, text[c])
          for c in OUTCOME_COLUMNS),
        *(_warning("unfamiliar_category", c, normalise_category(text[c], CATEGORIES[c])[1]
                   & ~bad, lines, text[c]) for c in CONTROL_COLUMNS),
        _warning("unfamiliar_operator", "operator", unfamiliar_operator & ~bad, lines,
                 text["operator"]),
        _warning("unknown_province", "province", province_code.isna() & ~bad, lines,
                 text["province"]),
        _warning("bad_interview_date", "interview_date", unreadable_date & ~bad, lines,
                 date_text),
        _warning("interview_date_out_of_range", "interview_date", out_of_range & ~bad, lines,
                 date_text, first=first_interview.isoformat(), last=last_interview.isoformat()),
        _warning("voted_before_election", "voted", before_election & has_vote & ~bad, lines),
        *(_warning(kind, "weight", weight_read.eq(kind).fillna(False) & ~bad, lines,
                   text["weight"]) for kind in (AS_THOUSANDS, AS_DECIMAL)),
        # no value: the cell is a number someone mistyped, personal data all the same
        _warning("bad_msisdn", "msisdn", number.notna() & msisdn62.isna() & ~bad, lines),
    ]
    if not weighted:
        found.append(pd.DataFrame({"line": [1], "kind": ["no_weight_column"],
                                   "field": ["weight"], "value": [pd.NA],
                                   "count": [int((~bad).sum())],
                                   "message": [MESSAGES["no_weight_column"].format(
                                       field="weight", respondents=_respondents((~bad).sum()))
                                   ]}))
    warnings = pd.concat([f for f in found if not f.empty] or [empty_warnings()],
                         ignore_index=True)
    warnings = (warnings.astype(_WARNING_TYPES)
                .sort_values(["line", "kind", "field", "value"], kind="stable",
                             na_position="first").reset_index(drop=True))
    rejects = pd.DataFrame({"line": lines[bad], "reason": reason[bad],
                            "raw": raw_lines(df[bad], SURVEY_COLUMNS)})
    return clean, rejects.reset_index(drop=True), warnings


_WARNING_TYPES = {"line": "int64", "kind": "string", "field": "string", "value": "string",
                  "count": "int64", "message": "string"}


def _respondents(n: object) -> str:
    return f"{int(n)} respondent" + ("" if int(n) == 1 else "s")


def empty_warnings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _WARNING_TYPES.items()})


def _warning(kind: str, field: str, mask: pd.Series, lines: pd.Series,
             values: pd.Series | None = None, **details: str) -> pd.DataFrame:
    """One warning per distinct value (one per rule when values is None) among the rows in
    mask: its first line, the number of rows, the value with phone numbers masked."""
    mask = mask.fillna(False).astype(bool).to_numpy()
    if not mask.any():
        return empty_warnings()
    if values is None:
        values = pd.Series(pd.NA, index=lines.index, dtype="string")
    rows = pd.DataFrame({"line": lines.to_numpy(), "value": values.to_numpy()})[mask]
    grouped = rows.groupby("value", dropna=False, sort=False)["line"].agg(["min", "size"])
    return pd.DataFrame({
        "line": grouped["min"].to_numpy(),
        "kind": kind,
        "field": field,
        "value": [None if pd.isna(v) else mask_phone_numbers(str(v)) for v in grouped.index],
        "count": grouped["size"].to_numpy(),
        "message": [MESSAGES[kind].format(field=field, respondents=_respondents(n), **details)
                    for n in grouped["size"]],
    })
