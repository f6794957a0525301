"""Tables as downloadable bytes, one writer per format for the app and the CLI alike: CSV
(UTF-8 with BOM, the machine format), CSV for Excel with Indonesian settings, XLSX (openpyxl)
and JSON (row objects).

Column names: the machine CSV and JSON always carry the export contract's snake_case English
names (scripts read them). The files people open, XLSX and the CSV for Excel, carry the
reader's labels when written in Indonesian (header_labels: the pages' own column labels), the
contract's names in English; their number formats are chosen by the contract's names before
the header is written. The machine CSV, XLSX and JSON carry the values unrounded, with `.`
decimals in CSV; the Excel CSV writes them as the pages show them (rounded, `1.234,5`),
separated by `;`.
Text that a spreadsheet would read as a formula is made inert (OWASP "CSV injection"): in CSV
every text cell is quoted and gets a ' where a cell could start with = + - @ (or a tab or
carriage return) whatever separator the spreadsheet splits on; numbers are never quoted or
touched, so -5 stays the number -5.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard.export.files import write_atomically
from dashboard.i18n import format_number, format_percent, normalize_lang, percent_decimals, t

TableFormat = Literal["csv", "json", "xlsx", "csv-excel-id"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a cell inside our text: Excel splits a CSV on the system's
# list separator, which is ';' with Indonesian settings, not our ','; other tools split on tabs
# or on line breaks regardless of quotes. Spaces and double quotes before the trigger do not
# make it safe (importers trim them, or read them as the opening of a quoted cell).
_GAP = r'(?:[^\S\r\n]|")*'  # spaces, tabs and quotes; a line break is a separator itself
_FORMULA_AT_START = re.compile(rf"^(?:[\t\r]|{_GAP}[=+\-@])")
_FORMULA_AFTER_SEPARATOR = re.compile(rf"(?<=[,;\t\r\n])(?={_GAP}[=+\-@])")
CSV_BOM = b"\xef\xbb\xbf"
# Spreadsheets have no time zones; timestamps are shown in WIB as the pages show them.
DISPLAY_TZ = "Asia/Jakarta"

INTEGER_FORMAT = "#,##0"
IDENTIFIER_FORMAT = "0"  # years and codes: 2024, not 2,024
RATE_FORMAT = "0.0%"
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9E2F3", end_color="FFD9E2F3")
HEADER_FONT = Font(bold=True)
# Excel with Indonesian settings (id-ID) splits a CSV on ';' and reads '1.234,5' as 1234.5,
# 'BENAR'/'SALAH' as true/false and '12,5%' as 0.125; an ISO date reads as a date anywhere.
EXCEL_CSV_SEPARATOR = ";"
EXCEL_CSV_LANG = "id"
EXCEL_BOOLEANS = {True: "BENAR", False: "SALAH"}
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 8


def guard_text(text: str) -> str:
    """A CSV text cell no spreadsheet evaluates: a ' before every place where a cell could
    start with a formula, at the start ('=1+1) and after any separator a spreadsheet may split
    on ('Hoaks;=1+1' -> "Hoaks;'=1+1", so Excel with ';' as list separator sees '=1+1)."""
    guarded = _FORMULA_AFTER_SEPARATOR.sub("'", text)
    return "'" + guarded if _FORMULA_AT_START.match(guarded) else guarded


def is_rate_column(name: str) -> bool:
    """A proportion stored as a fraction (0.125), shown as 12.5%."""
    lowered = name.lower()
    return (
        lowered.endswith(("_rate", "_share"))
        or lowered.startswith("share_")
        or lowered in ("rate", "share")
    )


def is_identifier_column(name: str) -> bool:
    lowered = name.lower()
    return lowered in ("year", "code", "id") or lowered.endswith(("_year", "_code", "_id"))


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel picks the encoding), no index; every text cell
    quoted and guarded (guard_text), numbers unquoted so they stay numbers. The header is
    quoted only where needed: the column names are the export contract's snake_case."""
    guarded = df.copy()
    guarded.columns = [guard_text(str(name)) for name in df.columns]
    for position in range(guarded.shape[1]):
        column = guarded.iloc[:, position]
        if _is_text_like(column):
            guarded.isetitem(position, _guard_series(column))
    # CRLF as RFC 4180 has it; it also makes the csv writer quote a field holding a lone CR.
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(guarded.columns)
    rows = guarded.to_csv(index=False, header=False, lineterminator="\r\n",
                          quoting=csv.QUOTE_NONNUMERIC)
    return CSV_BOM + (header.getvalue() + rows).encode("utf-8")


def to_json_bytes(df: pd.DataFrame) -> bytes:
    """A JSON list of row objects; NaN, NA and NaT become null, timestamps ISO 8601."""
    names = [str(name) for name in df.columns]
    if not names:
        records: list[dict[str, Any]] = [{} for _ in range(len(df))]
    else:
        columns = [[_json_value(v) for v in df.iloc[:, i].tolist()] for i in range(len(names))]
        records = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    return json.dumps(records, ensure_ascii=False, allow_nan=False).encode("utf-8")


def to_xlsx_bytes(
    df: pd.DataFrame,
    sheet_name: str = "data",
    number_formats: dict[str, str] | None = None,
    notes: Sequence[str] = (),
    notes_title: str = "notes",
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """One sheet: bold filled frozen header, fitted widths, number and date formats; and,
    when `notes` are given (the table's provenance), a second sheet with one per row.

    Default formats: integers `#,##0` (years, codes and ids `0`), columns ending in `_rate`
    or `_share` `0.0%`, dates `d mmm yyyy` (Excel shows month names in its own language).
    `number_formats` maps a column name to an Excel format and wins over the defaults.
    `labels` maps a column name to the header written (header_labels); formats are chosen
    by the column's name all the same.
    Text is always stored as a string cell (never a formula); text a spreadsheet would read
    as a formula also gets Excel's quote prefix, so editing the cell keeps it text.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _safe_sheet_name(sheet_name)
    names = [str(name) for name in df.columns]

    for col_idx, name in enumerate(names, start=1):
        header = sheet.cell(row=1, column=col_idx)
        label = (labels or {}).get(name, name)
        _write_text(header, label)
        header.font = HEADER_FONT
        header.fill = HEADER_FILL
        header.alignment = Alignment(vertical="center")

        values = _excel_values(df.iloc[:, col_idx - 1])
        number_format = (number_formats or {}).get(name) or _default_format(name, values)
        width = len(label) * 1.1 + 2
        for row_idx, value in enumerate(values, start=2):
            cell = sheet.cell(row=row_idx, column=col_idx)
            if isinstance(value, str):
                _write_text(cell, value)
            else:
                cell.value = value
                if value is not None and not isinstance(value, bool) and number_format:
                    cell.number_format = _cell_format(value, number_format)
            width = max(width, _display_width(value, _cell_format(value, number_format)) + 2)
        sheet.column_dimensions[get_column_letter(col_idx)].width = min(
            max(width, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH
        )

    sheet.freeze_panes = "A2"
    if names:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(df) + 1}"
    if notes:  # where the numbers come from (dashboard/export/provenance.py), one per row
        notes_sheet = workbook.create_sheet(_safe_sheet_name(notes_title))
        for row_idx, line in enumerate(notes, start=1):
            _write_text(notes_sheet.cell(row=row_idx, column=1), line)
        notes_sheet.column_dimensions["A"].width = MAX_COLUMN_WIDTH * 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_excel_csv_bytes(df: pd.DataFrame, notes: Sequence[str] = (),
                       labels: Mapping[str, str] | None = None) -> bytes:
    """CSV for Excel with Indonesian settings: UTF-8 with a BOM, `;` between cells, CRLF, and
    every number written as the pages write it (display.value_formats in Indonesian: counts
    `1.234.567`, rates `12,5%`, estimates `0,123`, p-values `0,042` or `< 0,001`), so the
    sheet shows what the page showed. Durations (`*_s`) stay in seconds, whole from 10 s up
    (the page's "3,4 mnt" is 204 s give or take 3). Text cells are quoted and guarded as in
    to_csv_bytes; numbers are bare and never guarded (-5 stays the number -5); missing values
    are empty cells; aware times are in WIB. Ids are the export contract's; the header is
    `labels` (column name -> label, header_labels) where given, else the column names, and
    the formats are chosen by the column names either way.
    `notes` (the table's provenance) follow the table after an empty row, one per row in the
    first column: the header stays the first row, and who opens the file sees them."""
    from dashboard.reports.display import value_formats  # display -> charts -> plotly: only here

    formats = value_formats(df, EXCEL_CSV_LANG)
    columns = []
    for position in range(df.shape[1]):
        name = str(df.columns[position])
        column = df.iloc[:, position]
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            column = column.dt.tz_convert(DISPLAY_TZ).dt.tz_localize(None)
        formatter = _duration_seconds if name.endswith("_s") else formats.get(df.columns[position])
        columns.append([_excel_csv_cell(v, formatter) for v in column.tolist()])
    named = [(labels or {}).get(str(name), str(name)) for name in df.columns]
    header = EXCEL_CSV_SEPARATOR.join(_quoted(guard_text(label)) for label in named)
    lines = [header] + [EXCEL_CSV_SEPARATOR.join(row) for row in zip(*columns, strict=True)]
    if notes:
        lines += ["", *(_quoted(guard_text(note)) for note in notes)]
    return CSV_BOM + "".join(line + "\r\n" for line in lines).encode("utf-8")


WRITERS: dict[str, Callable[[pd.DataFrame], bytes]] = {
    "csv": to_csv_bytes,
    "json": to_json_bytes,
    "xlsx": to_xlsx_bytes,
    "csv-excel-id": to_excel_csv_bytes,
}
# format -> (file name ending, MIME type), for the app's downloads and the CLI alike
FILE_TYPES: dict[str, tuple[str, str]] = {
    "csv": (".csv", "text/csv"),
    "json": (".json", "application/json"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv-excel-id": ("_excel_id.csv", "text/csv"),
}


# the formats that carry a table's notes inside: an XLSX on a sheet of their own, the CSV for
# Excel under the table (people open it). The machine CSV and JSON are the rows alone, as the
# export contract says: their notes go into a file beside (notes_path, notes_bytes).
NOTES_INSIDE = ("xlsx", "csv-excel-id")


# the format whose header is in the reader's language (header_labels): the CSV for Excel with
# Indonesian settings, our own format. csv, json and xlsx are the export contract's
# (DESIGN.md: snake_case English column names whatever the UI language), so they keep them.
LABELLED = ("csv-excel-id",)
SECONDS_SUFFIX = "_s"


def header_labels(columns: Iterable[object], fmt: TableFormat | str,
                  lang: str = "en") -> dict[str, str]:
    """column name -> the header a file of this format carries in this language: in
    Indonesian, for the CSV for Excel (LABELLED), the label the pages show
    (display.column_labels: one definition per label, in i18n; a *_per_voter column is
    written per 1,000 voters there, as the pages write it, and its label says so); else the
    name itself (the export contract's). A duration (*_s) says it is in seconds."""
    columns = [str(column) for column in columns]
    if fmt not in LABELLED or normalize_lang(lang) == "en":
        return {column: column for column in columns}
    from dashboard.reports.display import column_labels  # -> plotly: only here

    labels = column_labels(columns, lang)
    for column in columns:
        if column.endswith(SECONDS_SUFFIX):  # both write seconds: 'Latensi p90 (detik)'
            labels[column] = t("col.in_seconds", lang, what=labels[column])
    return labels


def table_bytes(df: pd.DataFrame, fmt: TableFormat | str, notes: Sequence[str] = (),
                notes_title: str = "notes", lang: str = "en") -> bytes:
    """`df` in one of WRITERS' formats, with `notes` (the table's provenance) inside when the
    format has room for them (NOTES_INSIDE), and the header in `lang` (header_labels)."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(WRITERS)}")
    labels = header_labels(df.columns, fmt, lang)
    if fmt == "xlsx":
        return to_xlsx_bytes(df, notes=notes, notes_title=notes_title, labels=labels)
    if fmt == "csv-excel-id":
        return to_excel_csv_bytes(df, notes, labels)
    return WRITERS[fmt](df)


def file_name(name: str, fmt: TableFormat | str) -> str:
    """The download's file name: reach_operator.csv, reach_operator_excel_id.csv, ..."""
    return name + FILE_TYPES[fmt][0]


def write_table(df: pd.DataFrame, path: str | Path, fmt: TableFormat,
                notes: Sequence[str] = (), notes_title: str = "notes",
                lang: str = "en") -> Path:
    """Write `df` to `path` in one of WRITERS' formats; the file appears whole or not at all,
    with the mode the umask gives a new file. `notes` (the table's provenance) go inside the
    file when its format has room for them (NOTES_INSIDE), else into `<path>.txt` beside it;
    the header in `lang` (header_labels)."""
    path = Path(path)
    if notes and fmt not in NOTES_INSIDE:
        write_atomically(notes_path(path), notes_bytes(notes))
    return write_atomically(path, table_bytes(df, fmt, notes, notes_title, lang))


def notes_path(path: Path) -> Path:
    """Where a table's notes go beside a file that has no room for them: reach.csv.txt."""
    return path.with_name(path.name + ".txt")


def notes_bytes(notes: Sequence[str]) -> bytes:
    """The notes file beside a table (notes_path): one line each, UTF-8."""
    return ("\n".join(notes) + "\n").encode("utf-8")


# --- helpers ---------------------------------------------------------------------------


def _is_text_like(column: pd.Series) -> bool:
    dtype = column.dtype
    return not (
        pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
    )


def _guard_series(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object)
    return column.map(lambda v: guard_text(v) if isinstance(v, str) else v)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _duration_seconds(value: Any) -> str:
    seconds = float(value)
    decimals = 1 if abs(seconds) < 9.95 else 0
    return format_number(seconds, decimals=decimals, lang=EXCEL_CSV_LANG)


def _plain_number(value: float | int) -> str:
    """A number the page writes as it is (years, codes, line numbers): no thousands mark."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value)).replace(".", ",")


def _excel_csv_cell(value: Any, formatter: Callable[[Any], str] | None) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return EXCEL_BOOLEANS[value]
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return _quoted("∞" if value > 0 else "-∞")
        return formatter(value) if formatter is not None else _plain_number(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = pd.Timestamp(value).tz_convert(DISPLAY_TZ).tz_localize(None).to_pydatetime()
        text = value.date().isoformat() if value.time() == dt.time(0) else (
            value.isoformat(sep=" ", timespec="seconds"))
        return text
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta | pd.Timedelta):
        return _quoted(str(pd.Timedelta(value)))
    return _quoted(guard_text(str(value)))


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return isinstance(value, np.datetime64 | np.timedelta64) and np.isnat(value)


def _json_value(value: Any) -> Any:
    if _is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time | pd.Timedelta):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return pd.Timedelta(value).isoformat()
    return str(value)


def _excel_values(column: pd.Series) -> list[Any]:
    """Python values openpyxl can store: naive datetimes in WIB, no NaN, no numpy scalars."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        column = column.dt.tz_convert(DISPLAY_TZ).dt.tz_localize(None)
    return [_excel_value(v) for v in column.tolist()]


def _excel_value(value: Any) -> Any:
    if _is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = pd.Timestamp(value).tz_convert(DISPLAY_TZ).tz_localize(None).to_pydatetime()
        return value
    if isinstance(value, dt.date | dt.time):
        return value
    if isinstance(value, dt.timedelta | pd.Timedelta):
        return str(pd.Timedelta(value))
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _write_text(cell: Any, text: str) -> None:
    cell.value = text
    # openpyxl turns any string starting with "=" into a formula; a string cell never runs.
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def _default_format(name: str, values: list[Any]) -> str | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, dt.datetime) for v in present):
        midnight = all(v.time() == dt.time(0) for v in present)
        return DATE_FORMAT if midnight else DATETIME_FORMAT
    if all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in present):
        return DATE_FORMAT
    numbers = [v for v in present if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) != len(present):
        return None
    if is_rate_column(name):
        return RATE_FORMAT
    # DuckDB sums arrive as floats; whole-number columns are counts all the same.
    if all(float(v).is_integer() for v in numbers):
        return IDENTIFIER_FORMAT if is_identifier_column(name) else INTEGER_FORMAT
    return None


def _cell_format(value: Any, number_format: str | None) -> str | None:
    """The column's format, with a rate given the decimals format_percent writes it with: Excel
    would show 2000 of 2001 as 100,0% in `0.0%` (i18n.percent_decimals)."""
    if number_format != RATE_FORMAT or not isinstance(value, int | float):
        return number_format
    return "0." + "0" * percent_decimals(value, 1) + "%"


def _display_width(value: Any, number_format: str | None) -> float:
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, bool):
        return 5
    if isinstance(value, dt.datetime):
        return 17 if number_format == DATETIME_FORMAT else 11
    if isinstance(value, dt.date):
        return 11
    if isinstance(value, int | float):
        if number_format is not None and number_format.endswith("%"):
            return len(format_percent(value, percent_decimals(value, 1)))
        if number_format == INTEGER_FORMAT:
            return len(f"{value:,.0f}")
        return min(len(repr(value)), 12)
    return len(str(value))


def _safe_sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return cleaned[:31] or "data"
