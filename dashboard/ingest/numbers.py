"""Counts as the input files write them: the one rule every tabular kind (election results,
status-bar and WhatsApp Channel counts, the hoax register) reads a count by.

A count is a whole number >= 0 in ASCII digits, at most MAX_DIGITS of them: plain
('3742037') or grouped by thousands with dots or commas ('3.742.037', '3,742,037'). A plain
or comma-grouped number may end in a zero fraction of one or two digits ('28289413.0',
'12.00', '3,742,037.00'): pandas and R write a count column that holds one blank as
floats, and spreadsheets write number cells with decimals. So may a plain or dot-grouped
number after the Indonesian decimal comma ('1234,0', '3.742.037,00'): what a spreadsheet with
Indonesian settings shows for the same cell; no English reading of it is a number. Three
zeros are grouping, not a fraction: '1.000' is 1000, as Indonesian writes it, and '1,000'
1000 as English does. The marks of the two styles mixed ('1,234.567,00') are not a count,
nor is a fraction that is not zero ('12.5', '12,5'). Blank is missing, not zero. Other
scripts' digits ('١٢') are not a count: int() and pandas read them differently, and no input
we know of writes them.
"""

from __future__ import annotations

import pandas as pd

MAX_DIGITS = 18  # a BIGINT holds every 18-digit number; a longer one would wrap
COUNT = rf"^[0-9]{{1,{MAX_DIGITS}}}$"
GROUPED_INTEGER = r"^[0-9]{1,3}(?:\.[0-9]{3})+$|^[0-9]{1,3}(?:,[0-9]{3})+$"  # 3.742.037
# a whole number written with a zero fraction of one or two digits, in English style
# (digits or comma-grouped digits, then '.0' or '.00') or Indonesian style (digits or
# dot-grouped digits, then ',0' or ',00'); the integer part is group 1 or group 2
ZERO_FRACTION = (r"^(?:([0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)\.|([0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+),)"
                 r"0{1,2}$")
NEGATIVE = r"^-\s*[0-9][0-9.,]*$"  # '-5', '-1.234': a count below 0, not an unreadable one
# A lone dash is a zero where a caller allows reading it so (an optional channel count,
# warned): Excel's Accounting and Comma styles show a 0 as '-' (a CSV saved from Excel holds
# the cell as shown), and Indonesian statistical tables (BPS) write '-' for nil, never for
# "not known". A needed count is not read from a mark: count_problems calls it NOT_WHOLE.
NIL_DASH = r"^[-\u2013\u2014]$"  # hyphen-minus, en dash, em dash (a word processor's autocorrect)
# What count_problems says is wrong with a cell (NA: a usable count).
MISSING, NEGATIVE_COUNT, TOO_LARGE, NOT_WHOLE = "missing", "negative", "too_large", "not_whole"


def parse_counts(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers >= 0 from text ('3742037', '3.742.037', '3,742,037', '3742037.0',
    '3.742.037,00');
    blank is missing. Returns (values as Int64, True where the text is present but not a
    count: other scripts' digits, a fraction, more than 18 digits)."""
    cleaned = text.astype("string").str.strip().str.replace(r"\s", "", regex=True)
    cleaned = cleaned.replace("", pd.NA)
    cleaned = cleaned.str.replace(ZERO_FRACTION, r"\1\2", regex=True)  # before the grouping
    grouped = cleaned.str.fullmatch(GROUPED_INTEGER).fillna(False)
    cleaned = cleaned.mask(grouped, cleaned.str.replace(r"[.,]", "", regex=True))
    ok = cleaned.str.fullmatch(COUNT).fillna(False)
    bad = cleaned.notna() & ~ok
    values = pd.to_numeric(cleaned.where(ok), errors="coerce").astype("Int64")
    return values, bad


def count_problems(text: pd.Series, largest: int | None = None
                   ) -> tuple[pd.Series, pd.Series]:
    """Each cell read by parse_counts, and what makes it unusable (NA: a count): MISSING
    (blank; the caller decides whether that is allowed), NEGATIVE_COUNT, TOO_LARGE (more than
    MAX_DIGITS digits, or above `largest`: the column's type) or NOT_WHOLE. The values are NA
    wherever there is a problem."""
    stripped = text.astype("string").str.strip().fillna("")
    values, bad = parse_counts(stripped)
    digits = stripped.str.replace(r"[.,\s]", "", regex=True)
    above = (values > largest) if largest is not None else pd.Series(False, index=text.index)
    checks = [  # the first that applies names the problem
        (stripped.eq(""), MISSING),
        (stripped.str.match(NEGATIVE), NEGATIVE_COUNT),
        ((bad & digits.str.len().gt(MAX_DIGITS)) | above.fillna(False), TOO_LARGE),
        (bad, NOT_WHOLE),
    ]
    problem = pd.Series(pd.NA, index=text.index, dtype="string")
    for failed, name in reversed(checks):
        problem = problem.mask(failed.fillna(False).astype(bool), name)
    return values.where(problem.isna()).astype("Int64"), problem


def nil_dashes(text: pd.Series) -> pd.Series:
    """True where the cell is a lone dash (NIL_DASH, spaces around it ignored): a zero."""
    return text.astype("string").str.strip().str.fullmatch(NIL_DASH).fillna(False).astype(bool)
