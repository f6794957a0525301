"""What a total row is, once for every tabular kind.

Spreadsheet exports carry subtotal and grand-total rows ('Jumlah', 'Total', 'Nasional',
'Indonesia', ...) in the column that names the unit (a province, a regency, a respondent, an
operator, a wave, an update, a day). Loaded as another unit, such a row counts every row it
sums a second time, so each validator asks is_total_label / total_labels of every column
that names the unit and sets the row aside with TOTAL_ROW (or, where a total is the only
figure given, keeps it as a national row: channels.validate_status_bar, which also knows a
total whose label was left out by its sum).

Only those columns: a total label in free text (a hoax's title, category or province, an
election file's source, a survey's answers and controls) is what it says there, never a
total ('Indonesia' is a national hoax's province; a title may read 'Total ...'); the hoax
register asks its id alone (tests/test_ingest_totals.py holds the table by kind).

A group's subtotal row ('Jawa Barat Total', 'ACEH Result', '(empty) Sum': group_subtotals)
is a total too, but only of the file it is in: its label names a group, a value another row
of the same column gives. It is looked for in the columns that name the unit and in those a
spreadsheet groups the rows by (an election file's year, province and regency; a
respondent_id, and a survey row's province when it has none; a status-bar row's operator,
wave, day and province; an update's id and wave; a day of insights; a hoax's id), never in
free text, and set aside with the same TOTAL_ROW, as is a total label in a column no unit is
named by ('Grand Total' as an election file's year or a status-bar row's day: the grand row
under a subtotal by that column).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

# Labels compared after total_key: lower case, runs of spaces, '_', '-', '.', ':' and '*'
# as one space. 'Indonesia' is no province, and 'Nasional' no respondent's id.
TOTAL_LABELS = frozenset({
    "jumlah", "total", "nasional", "national", "indonesia", "grand total", "jumlah total",
    "total nasional", "jumlah nasional", "total keseluruhan", "jumlah keseluruhan",
    "sub total", "subtotal", "seluruh indonesia",
    # a national label with the country named; LibreOffice's pivot table grand total
    "total indonesia", "jumlah indonesia", "indonesia total", "total result",
    # LibreOffice Calc's Data > Subtotals labels its grand row with STR_TABLE_GRAND_SUM for a
    # sum (older versions: STR_TABLE_GRAND + " " + STR_FUN_TEXT_SUM), and each group's row
    # '<group> Sum' ('(empty) Sum' for a blank group): LibreOffice/core,
    # sc/source/core/data/table3.cxx, ScTable::DoSubTotals and lcl_GetGrandSubTotalStrId.
    # The English texts 'Grand Sum' and 'Sum' are read off those names (the .hrc holding the
    # strings was not at hand); a group's '<group> Sum' row is no label of its own: it names
    # a group of its file (group_subtotals, below). 'Sum' alone is invented: a sheet that
    # keeps the function's name as the label. Excel's Subtotal command adds a grand total row
    # (Microsoft, "About subtotals", office.microsoft.com/en-us/excel/HP052030921033.aspx),
    # labelled 'Grand Total' (listed above; that page does not quote the label).
    "grand sum", "sum",
})
TOTAL_ROW = "total_row: a total of other rows, not counted twice"
_FOLD = re.compile(r"[\s_.:*-]+")


def total_key(text: str) -> str:
    """The form TOTAL_LABELS are written in: 'GRAND  Total:' -> 'grand total'."""
    return _FOLD.sub(" ", text.lower()).strip()


def is_total_label(text: object) -> bool:
    """True when the cell names a total rather than a unit (any case or spacing)."""
    return isinstance(text, str) and total_key(text) in TOTAL_LABELS


def total_labels(text: pd.Series) -> pd.Series:
    """is_total_label of each cell, as a bool Series (a missing cell is no total)."""
    return pd.Series([is_total_label(v) for v in text.astype("object")], index=text.index,
                     dtype=bool)


# A group's subtotal row, as the spreadsheet tools write it (each form compared after
# total_key). LibreOffice Calc's Data > Subtotals (LibreOffice/core,
# sc/source/core/data/table3.cxx, ScTable::DoSubTotals) inserts a row under each group and
# writes one cell of it, in the grouped column: "aOutString = aSubString" (the group's text),
# "if (aOutString.isEmpty()) aOutString = ScResId( STR_EMPTYDATA )", then " " and
# STR_TABLE_ERGEBNIS, or, "if ( nResCount == 1 )" (one column subtotalled), the function's
# caption (lcl_GetSubTotalStrId: STR_FUN_TEXT_SUM for a sum). Every other cell of the row is
# empty but the SUBTOTAL formulas. In English (sc/source/ui/src/globstr.src) STR_EMPTYDATA
# is '(empty)', STR_TABLE_ERGEBNIS 'Result', STR_FUN_TEXT_SUM 'Sum': an election file with
# its four counts subtotalled by province gets 'ACEH Result', one count 'ACEH Sum', a blank
# group '(empty) Result'. Excel's Data > Subtotal writes '<group> Total' for a sum and a
# 'Grand Total' row (Microsoft, "About subtotals", office.microsoft.com/en-us/excel/
# HP052030921033.aspx, describes the rows; the label's wording is Excel's as seen in its
# sheets, that page does not quote it). A blank group in Excel is ' Total': TOTAL_LABELS'
# 'total'. Not a tool's (invented, from sheets summed by hand): 'Jumlah' and 'Subtotal' after
# the group, and 'Total', 'Jumlah', 'Subtotal' before it ('Jumlah Jawa Barat'); '(kosong)'
# as the blank group is a guess at LibreOffice's Indonesian STR_EMPTYDATA (its translation
# was not at hand), as 'Jumlah' is at its STR_FUN_TEXT_SUM.
SUBTOTAL_AFTER = ("total", "sum", "result", "jumlah", "subtotal", "sub total")
SUBTOTAL_BEFORE = ("total", "jumlah", "subtotal", "sub total")
BLANK_GROUP = ("(empty)", "(kosong)")


def subtotal_groups(key: str) -> list[str]:
    """The groups a folded label (total_key) may be the subtotal of: 'aceh result' ->
    ['aceh'], 'jumlah jawa barat' -> ['jawa barat'], '(empty) sum' -> [''] (a blank cell)."""
    named = [key.removesuffix(" " + word) for word in SUBTOTAL_AFTER
             if key.endswith(" " + word)]
    named += [key.removeprefix(word + " ") for word in SUBTOTAL_BEFORE
              if key.startswith(word + " ")]
    return ["" if group in BLANK_GROUP else group for group in named]


def group_subtotals(text: pd.Series) -> pd.Series:
    """True for each cell that labels a subtotal of a group another cell of the column gives
    (subtotal_groups; a missing or blank cell gives the blank group), as a bool Series.

    The group must be in the file: a unit whose name merely ends (or begins) with one of the
    words ('Kepulauan Total' with no 'Kepulauan' beside it) is a unit, not a subtotal."""
    keys = [total_key(v) if isinstance(v, str) else "" for v in text.astype("object")]
    present = set(keys)
    found = {key: any(group in present for group in subtotal_groups(key)) for key in present}
    return pd.Series([found[key] for key in keys], index=text.index, dtype=bool)


def subtotal_rows(frame: pd.DataFrame, columns: Iterable[str]) -> pd.Series:
    """True for a row that any of `columns` (those the frame has) labels as a group's
    subtotal (group_subtotals), as a bool Series."""
    rows = pd.Series(False, index=frame.index, dtype=bool)
    for column in columns:
        if column in frame.columns:
            rows |= group_subtotals(frame[column])
    return rows
