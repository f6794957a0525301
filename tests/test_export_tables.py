"""Table exports: CSV with BOM, XLSX via openpyxl, JSON row objects; formula injection inert."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dashboard.export.tables import (
    CSV_BOM,
    guard_text,
    to_csv_bytes,
    to_json_bytes,
    to_xlsx_bytes,
    write_table,
)

# OWASP "CSV injection" payloads: each would run as a formula in a spreadsheet.
INJECTIONS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def reach_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "operator": ["telkomsel", "indosat", "xl", "smartfren"],
            "sent": [1_234_567, 890_123, 456_789, 12_345],
            "delivered": [1_200_000, 850_000, 400_000, 0],
            "delivery_rate": [0.972, 0.955, 0.876, np.nan],
            "turnout_change": [-0.0125, 0.003, -2.5, 1e-9],
        }
    )


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def injection_frame() -> pd.DataFrame:
    return pd.DataFrame({"theme": INJECTIONS, "delta": [-5, -1, 0, 2, -3, 7]})


# --- CSV -------------------------------------------------------------------------------


def test_csv_starts_with_bom_and_keeps_column_names() -> None:
    data = to_csv_bytes(reach_frame())
    assert data.startswith(CSV_BOM)
    assert csv_rows(data)[0] == list(reach_frame().columns)


@pytest.mark.parametrize(
    "frame",
    [
        reach_frame(),
        pd.DataFrame({"province_code": [11, 32, 96], "unique_reach": [0.5, 1.25, 2.0]}),
        pd.DataFrame({"wave_id": ["SMS01", "SMS02"], "pending": [0, 3]}),
        pd.DataFrame({"province": ["Daerah Istimewa Yogyakarta", "Papua Barat Daya"],
                      "note": ["kutipan \"langsung\", dengan koma", "baris\nbaru"]}),
    ],
)
def test_csv_round_trips_through_pandas(frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(read_csv(to_csv_bytes(frame)), frame)


@pytest.mark.parametrize("payload", INJECTIONS)
def test_csv_injection_is_inert(payload: str) -> None:
    frame = pd.DataFrame({"theme": [payload], "delta": [-5]})
    header, row = csv_rows(to_csv_bytes(frame))
    assert row[0] == guard_text(payload) and row[0].startswith("'")
    assert row[0].replace("'", "") == payload  # only the quote marks were added
    assert row[1] == "-5"  # a real negative number is not a formula and stays a number


def test_csv_negative_numbers_stay_numeric() -> None:
    back = read_csv(to_csv_bytes(injection_frame()))
    assert back["delta"].tolist() == [-5, -1, 0, 2, -3, 7]
    assert pd.api.types.is_integer_dtype(back["delta"])


def test_csv_does_not_change_the_input_frame() -> None:
    frame = injection_frame()
    to_csv_bytes(frame)
    assert frame["theme"].tolist() == INJECTIONS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-", "'-"),
        ("@user", "'@user"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\t=1", "'\t'=1"),  # split on the tab, the second cell would start with =
        ("a=b", "a=b"),
        ("", ""),
        ("Jawa Barat", "Jawa Barat"),
        # a cell can also start after a separator the spreadsheet splits on (issue 13, #9):
        # Excel with Indonesian settings splits on ';', other tools on tabs or line breaks
        ("Hoaks;=1+1", "Hoaks;'=1+1"),
        ("Hoaks,=1+1", "Hoaks,'=1+1"),
        ("Hoaks\t@SUM(A1)", "Hoaks\t'@SUM(A1)"),
        ("Hoaks\n+1+1", "Hoaks\n'+1+1"),
        ("Hoaks\r\n-2+3", "Hoaks\r\n'-2+3"),
        ("Hoaks; =1+1", "Hoaks;' =1+1"),  # importers may trim the space
        ('Hoaks;"=1+1"', 'Hoaks;\'"=1+1"'),  # or read the quote as a quoted cell's start
        ("=1;=2", "'=1;'=2"),
        (' "=1+1', '\' "=1+1'),
        ("Jawa Barat; Banten", "Jawa Barat; Banten"),
        ("a;b,c\td", "a;b,c\td"),
        ("skor 1-2 @ TPS 5", "skor 1-2 @ TPS 5"),  # a trigger inside a cell is harmless
    ],
)
def test_guard_text(text: str, expected: str) -> None:
    assert guard_text(text) == expected


HOSTILE_TITLES = ["Hoaks;=1+1", 'Hoaks,=HYPERLINK("http://evil.example";"klik")',
                  "Hoaks\t@SUM(A1)", "Hoaks; -2+3", 'Hoaks;"=1+1"', "=1+1", "+1 Hoaks",
                  "Hoaks\n=1+1"]


@pytest.fixture
def hostile_register(conn, tmp_path) -> pd.DataFrame:
    """The sample hoax register plus titles and a category built to start a formula cell."""
    from dashboard import config
    from dashboard.filters import Filters
    from dashboard.ingest import ingest_file
    from dashboard.reports import tables

    path = tmp_path / "hoax_register.csv"
    path.write_text((config.SAMPLE_DIR / "hoax_register.csv").read_text(encoding="utf-8"),
                    encoding="utf-8")
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for number, title in enumerate(HOSTILE_TITLES):
            writer.writerow([f"HX2024-9{number:03d}", "2024-02-01", title, "Politik;@cmd",
                             "yes", "", "Facebook", "3", "1", "", ""])
    assert ingest_file(conn, path).outcome == "loaded"
    register = tables.hoax_register(conn, Filters())
    assert set(HOSTILE_TITLES) <= set(register["title"])
    return register


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_a_hoax_register_csv_has_no_formula_cell_whatever_the_separator(
        hostile_register: pd.DataFrame, delimiter: str) -> None:
    """Read back the way a spreadsheet with that list separator splits it: no cell starts a
    formula (a spreadsheet may trim spaces and read a leading quote as a quoted cell)."""
    data = to_csv_bytes(hostile_register).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(data, newline=""), delimiter=delimiter)
             for cell in row]
    formulas = [c for c in cells if c.lstrip(' \t\r\n"').startswith(("=", "+", "-", "@"))]
    assert formulas == []


def test_a_hoax_register_csv_keeps_its_rows_and_numbers(hostile_register: pd.DataFrame
                                                         ) -> None:
    back = read_csv(to_csv_bytes(hostile_register))
    assert len(back) == len(hostile_register)
    assert back["content_items"].tolist() == hostile_register["content_items"].tolist()
    assert pd.api.types.is_integer_dtype(back["content_items"])
    assert "Hoaks;'=1+1" in set(back["title"])


def test_csv_quotes_text_and_leaves_numbers_bare() -> None:
    data = to_csv_bytes(pd.DataFrame({"title": ["a", None], "delta": [-5, 7],
                                      "rate": [-0.25, np.nan]})).decode("utf-8-sig")
    assert data.splitlines() == ["title,delta,rate", '"a",-5,-0.25', '"",7,""']


def test_csv_guards_categorical_text() -> None:
    frame = pd.DataFrame({"theme": pd.Categorical(["=1", "ok"])})
    assert [row[0] for row in csv_rows(to_csv_bytes(frame))[1:]] == ["'=1", "ok"]


# --- XLSX ------------------------------------------------------------------------------


def test_xlsx_header_is_bold_filled_and_frozen() -> None:
    sheet = xlsx_sheet(to_xlsx_bytes(reach_frame(), sheet_name="reach_operator"))
    assert sheet.title == "reach_operator"
    assert sheet.freeze_panes == "A2"
    header = list(sheet[1])
    assert [cell.value for cell in header] == list(reach_frame().columns)
    assert all(cell.font.b for cell in header)
    assert all(cell.fill.fill_type == "solid" for cell in header)
    assert not sheet["A2"].font.b


def test_xlsx_values_equal_the_frame() -> None:
    frame = reach_frame()
    back = pd.read_excel(io.BytesIO(to_xlsx_bytes(frame)), engine="openpyxl")
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)


@pytest.mark.parametrize("payload", INJECTIONS)
def test_xlsx_injection_is_a_string_never_a_formula(payload: str) -> None:
    data = to_xlsx_bytes(pd.DataFrame({"theme": [payload], "delta": [-5]}))
    cell = xlsx_sheet(data)["A2"]
    assert cell.data_type == "s"
    # XML parsers read a stored carriage return back as a line feed
    assert cell.value == payload.replace("\r", "\n")
    assert cell.quotePrefix  # Excel keeps it text even when someone edits the cell
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_negative_numbers_stay_numeric() -> None:
    sheet = xlsx_sheet(to_xlsx_bytes(injection_frame()))
    cells = [row[0] for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2)]
    assert [cell.value for cell in cells] == [-5, -1, 0, 2, -3, 7]
    assert {cell.data_type for cell in cells} == {"n"}


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        ("sent", [1_234_567, 2], "#,##0"),
        ("sent", [1_234_567.0, 2.0], "#,##0"),  # DuckDB sums arrive as floats
        ("delivery_rate", [0.5, 0.125], "0.0%"),
        ("recipient_share", [0.5, 0.125], "0.0%"),
        ("share_of_voters", [0.5, 0.125], "0.0%"),
        ("delivery_rate", [2000 / 2001], "0.00%"),  # 99,95%: "0.0%" would show 100,0%
        ("share_of_failures", [1 / 3000], "0.00%"),  # 0,03%, not 0,0%
        ("year", [2019, 2024], "0"),
        ("province_code", [11, 96], "0"),
        ("estimate", [0.31, -0.2], "General"),
        ("p_value", [0.0001, 0.5], "General"),
    ],
)
def test_xlsx_number_formats(column: str, values: list, expected: str) -> None:
    sheet = xlsx_sheet(to_xlsx_bytes(pd.DataFrame({column: values})))
    assert sheet["A2"].number_format == expected
    assert sheet["A2"].value == values[0]


def test_xlsx_number_formats_override_the_defaults() -> None:
    frame = pd.DataFrame({"exposure_per_voter": [1.2345], "sent": [10]})
    sheet = xlsx_sheet(to_xlsx_bytes(frame, number_formats={"exposure_per_voter": "0.00"}))
    assert sheet["A2"].number_format == "0.00"
    assert sheet["B2"].number_format == "#,##0"


@pytest.mark.parametrize(
    ("values", "expected_value", "expected_format"),
    [
        (pd.to_datetime(["2024-02-12", "2024-02-19"]), dt.datetime(2024, 2, 12), "d mmm yyyy"),
        ([dt.date(2024, 2, 14), None], dt.datetime(2024, 2, 14), "d mmm yyyy"),
        # stored UTC, shown in WIB (UTC+7) as the pages show it
        (pd.to_datetime(["2024-02-14T03:30:00Z", None], utc=True),
         dt.datetime(2024, 2, 14, 10, 30), "d mmm yyyy hh:mm"),
    ],
)
def test_xlsx_dates_are_dates(values, expected_value, expected_format: str) -> None:
    sheet = xlsx_sheet(to_xlsx_bytes(pd.DataFrame({"week_start": values})))
    assert sheet["A2"].is_date
    assert sheet["A2"].value == expected_value
    assert sheet["A2"].number_format == expected_format
    assert sheet["A3"].value in (None, dt.datetime(2024, 2, 19))


def test_xlsx_missing_values_are_empty_cells() -> None:
    frame = pd.DataFrame({"delivery_rate": [np.nan, 0.5], "note": [None, "x"]})
    sheet = xlsx_sheet(to_xlsx_bytes(frame))
    assert sheet["A2"].value is None and sheet["B2"].value is None


def test_xlsx_column_widths_fit_the_content() -> None:
    frame = pd.DataFrame({"n": [1], "province": ["Kepulauan Bangka Belitung"]})
    sheet = xlsx_sheet(to_xlsx_bytes(frame))
    narrow, wide = sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width
    assert wide >= len("Kepulauan Bangka Belitung") > narrow


@pytest.mark.parametrize(("asked", "expected"), [("data", "data"), ("a/b:c", "a_b_c"),
                                                 ("x" * 40, "x" * 31)])
def test_xlsx_sheet_names_are_made_valid(asked: str, expected: str) -> None:
    assert xlsx_sheet(to_xlsx_bytes(reach_frame(), sheet_name=asked)).title == expected


# --- JSON ------------------------------------------------------------------------------


def test_json_is_a_list_of_row_objects() -> None:
    rows = json.loads(to_json_bytes(reach_frame()))
    assert isinstance(rows, list) and len(rows) == 4
    assert rows[0] == {
        "operator": "telkomsel",
        "sent": 1_234_567,
        "delivered": 1_200_000,
        "delivery_rate": 0.972,
        "turnout_change": -0.0125,
    }
    assert rows[3]["delivery_rate"] is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.5, np.nan], [1.5, None]),
        ([1.5, math.inf], [1.5, None]),
        (pd.array([1, None], dtype="Int64"), [1, None]),
        (["a", None], ["a", None]),
        (pd.to_datetime(["2024-02-14T03:00:00Z", None], utc=True),
         ["2024-02-14T03:00:00+00:00", None]),
        (pd.to_datetime(["2024-02-12", None]), ["2024-02-12T00:00:00", None]),
        ([dt.date(2024, 2, 14), None], ["2024-02-14", None]),
        ([True, False], [True, False]),
    ],
)
def test_json_values(values, expected: list) -> None:
    rows = json.loads(to_json_bytes(pd.DataFrame({"value": values})))
    assert [row["value"] for row in rows] == expected


def test_json_keeps_text_as_given() -> None:
    rows = json.loads(to_json_bytes(injection_frame()))
    assert [row["theme"] for row in rows] == INJECTIONS


# --- write_table -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "writer"), [("csv", to_csv_bytes), ("json", to_json_bytes), ("xlsx", None)]
)
def test_write_table_writes_the_same_bytes(tmp_path, fmt: str, writer) -> None:
    target = write_table(reach_frame(), tmp_path / "out" / f"reach.{fmt}", fmt)
    assert target.is_file()
    if writer is not None:
        assert target.read_bytes() == writer(reach_frame())
    else:
        assert xlsx_sheet(target.read_bytes())["A2"].value == "telkomsel"
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left


def test_write_table_refuses_an_unknown_format(tmp_path) -> None:
    with pytest.raises(ValueError, match="csv, json, xlsx"):
        write_table(reach_frame(), tmp_path / "x.parquet", "parquet")  # type: ignore[arg-type]
