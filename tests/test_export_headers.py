"""Headers of the export files (visual review item 14): the CSV for Excel with Indonesian
settings carries the pages' labels in Indonesian and the contract's names in English; csv,
json and xlsx keep the contract's snake_case names in every language (DESIGN.md: "snake_case
English column names whatever the UI language"); number formats are chosen by the names."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.export.tables import header_labels, table_bytes
from dashboard.filters import Filters
from dashboard.i18n import TRANSLATIONS
from dashboard.reports import tables
from dashboard.store import db

NOTES = ["DATA CONTOH: angka contoh.", "Sumber: laporan operator."]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "province_code": [11, 12], "province_name": ["Aceh", "Sumatera Utara"],
        "sent": [3886, 11305], "delivery_rate": [0.9451, 0.95],
        "delivered_per_voter": [0.00098, 0.00099], "latency_p50_s": [5.19, 5.2],
    })


def xlsx_columns(data: bytes) -> dict[str, tuple[object, str]]:
    """header -> (first value, its number format)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return {head.value: (cell.value, cell.number_format)
            for head, cell in zip(sheet[1], sheet[2], strict=True)}


def excel_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


# (lang, header, first value, number format): the contract's names in both languages, formats
# by the column's name
@pytest.mark.parametrize(("lang", "header", "value", "number_format"), [
    ("id", "delivery_rate", 0.9451, "0.0%"),
    ("id", "sent", 3886, "#,##0"),
    ("id", "province_code", 11, "0"),  # a code: 11, not 11,0 or a thousands mark
    ("id", "province_name", "Aceh", "General"),
    ("id", "delivered_per_voter", 0.00098, "General"),  # the ratio per one voter, as stored
    ("id", "latency_p50_s", 5.19, "General"),
    ("en", "delivery_rate", 0.9451, "0.0%"),
    ("en", "sent", 3886, "#,##0"),
    ("en", "province_code", 11, "0"),
    ("en", "delivered_per_voter", 0.00098, "General"),
])
def test_xlsx_keeps_the_contract_names_and_formats_by_the_column(lang, header, value,
                                                                  number_format):
    columns = xlsx_columns(table_bytes(frame(), "xlsx", NOTES, "sumber", lang))
    assert list(columns) == list(frame().columns)
    assert columns[header] == (value, number_format)


# (lang, header, its first cell): the CSV for Excel writes per voter per 1,000, as pages do
@pytest.mark.parametrize(("lang", "header", "cell"), [
    ("id", "Tingkat keberhasilan", "94,5%"),
    ("id", "Diterima per 1.000 pemilih", "0,98"),
    ("id", "Kode provinsi", "11"),
    ("id", "Latensi p50 (median) (detik)", "5,2"),
    ("en", "delivery_rate", "94,5%"),
    ("en", "delivered_per_voter", "0,98"),
])
def test_excel_csv_header_in_the_language(lang, header, cell):
    rows = excel_csv(table_bytes(frame(), "csv-excel-id", NOTES, "sumber", lang))
    assert header in rows[0], rows[0]
    assert rows[1][rows[0].index(header)] == cell
    assert [row[0] for row in rows[-len(NOTES):]] == NOTES  # the notes stay under the table


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_contract_formats_keep_the_contract_names(fmt, lang):
    data = table_bytes(frame(), fmt, NOTES, "sumber", lang)
    if fmt == "xlsx":
        names = list(xlsx_columns(data))
    elif fmt == "csv":
        names = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    else:
        names = list(json.loads(data)[0])
    assert names == list(frame().columns)


def test_labels_stay_unique_and_cover_every_column():
    labels = header_labels(frame().columns, "csv-excel-id", "id")
    assert list(labels) == list(frame().columns)
    assert len(set(labels.values())) == len(labels)


def test_every_export_table_column_has_an_indonesian_label(sample_db):
    """No export column falls back to its snake_case name made readable (English words in an
    Indonesian file): each has a label in i18n (col.* or metric.*)."""
    with db.connect(sample_db, read_only=True) as conn:
        columns = {str(c) for name in tables.TABLES
                   for c in tables.table(conn, name, Filters()).columns}
    missing = sorted(c for c in columns
                     if f"col.{c}" not in TRANSLATIONS and f"metric.{c}" not in TRANSLATIONS)
    assert not missing


# (format, lang, header of delivery_rate, notes' title, notes' first words): the CLI's files
@pytest.mark.parametrize(("fmt", "lang", "header", "title", "first_note"), [
    ("xlsx", "id", "delivery_rate", "sumber", "DATA CONTOH"),
    ("xlsx", "en", "delivery_rate", "source", "SAMPLE DATA"),
    ("csv-excel-id", "id", "Tingkat keberhasilan", None, "DATA CONTOH"),
    ("csv-excel-id", "en", "delivery_rate", None, "SAMPLE DATA"),
    ("csv", "id", "delivery_rate", None, "DATA CONTOH"),
])
def test_cli_export_headers_and_notes(sample_db, tmp_path, fmt, lang, header, title,
                                      first_note):
    out = tmp_path / f"reach_province.{fmt}"
    assert main(["export", "reach_province", "--format", fmt, "--out", str(out),
                 "--db", str(sample_db), "--lang", lang]) == 0
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        columns = xlsx_columns(out.read_bytes())
        assert columns[header][1] == "0.0%"
        assert book.sheetnames == ["data", title]
        notes = [cell.value for cell in book[title]["A"]]
    elif fmt == "csv-excel-id":
        rows = excel_csv(out.read_bytes())
        assert header in rows[0]
        assert rows[1][rows[0].index(header)].endswith("%")
        notes = [row[0] for row in rows[rows.index([]) + 1:]]
    else:
        assert header in out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        notes = out.with_name(out.name + ".txt").read_text(encoding="utf-8").splitlines()
    assert notes[0].startswith(first_note)
    assert any(note.startswith("Sumber" if lang == "id" else "Source") for note in notes)


# (arguments beyond the frame and format, xlsx header of delivery_rate, sheets, notes sheet's
# rows): without a language the contract's names (as before), the notes on their own sheet
@pytest.mark.parametrize(("kwargs", "header", "sheets", "notes"), [
    ({}, "delivery_rate", ["data"], None),
    ({"notes": NOTES}, "delivery_rate", ["data", "notes"], NOTES),
    ({"notes": NOTES, "notes_title": "sumber", "lang": "id"}, "delivery_rate",
     ["data", "sumber"], NOTES),
    ({"notes": NOTES, "notes_title": "source", "lang": "en"}, "delivery_rate",
     ["data", "source"], NOTES),
])
def test_table_bytes_xlsx_header_and_notes(kwargs, header, sheets, notes):
    data = table_bytes(frame(), "xlsx", **kwargs)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == sheets
    assert header in xlsx_columns(data)
    if notes is not None:
        assert [cell.value for cell in book[sheets[1]]["A"]] == notes


@pytest.mark.parametrize("fmt", ["xlsx", "csv-excel-id"])
def test_header_labels_without_a_language_are_the_contract_names(fmt):
    assert header_labels(["delivery_rate", "latency_p50_s"], fmt) == {
        "delivery_rate": "delivery_rate", "latency_p50_s": "latency_p50_s"}
