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
total ('Indonesia' is a national hoax's province; a title may read 'Total ...'), and the
hoax register asks no column at all (tests/test_ingest_totals.py holds the table by kind).
"""

from __future__ import annotations

import re

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
    # strings was not at hand); a group's '<group> Sum' row is not matched here (its key
    # cells are empty, so it is rejected for those). 'Sum' alone is invented: a sheet that
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
