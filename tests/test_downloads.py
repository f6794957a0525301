"""Downloads that open right (issue 15, point 7): every table as the machine CSV, as XLSX and as
a CSV for Excel with Indonesian settings, from one writer per format for the app and the CLI;
exported files readable as the user's umask says."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.proto.Block_pb2 import Block as BlockProto

from dashboard import cli, config, reference
from dashboard.export.files import write_atomically
from dashboard.export.tables import (
    CSV_BOM,
    FILE_TYPES,
    WRITERS,
    file_name,
    guard_text,
    header_labels,
    table_bytes,
    to_csv_bytes,
    to_excel_csv_bytes,
    write_table,
)
from dashboard.filters import Filters
from dashboard.i18n import format_percent
from dashboard.ingest import ingest_file
from dashboard.reports import tables
from dashboard.reports.display import value_formats
from dashboard.store import db
from tests.conftest import HEADER, receipt, write


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- file modes ----------------------------------------------------------------------------


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600),
                                                (0o027, 0o640)])
def test_a_written_file_has_the_mode_the_umask_gives(tmp_path, mask, expected):
    with umask(mask):
        target = write_atomically(tmp_path / "out" / "table.csv", b"a\r\n1\r\n")
    assert mode(target) == expected
    assert target.read_bytes() == b"a\r\n1\r\n"
    assert [p.name for p in target.parent.iterdir()] == ["table.csv"]  # no temp file left


def test_replacing_a_file_gives_it_the_umask_mode_too(tmp_path):
    target = tmp_path / "table.csv"
    target.write_bytes(b"old")
    target.chmod(0o600)  # written by an earlier version
    with umask(0o022):
        write_atomically(target, b"new")
    assert (mode(target), target.read_bytes()) == (0o644, b"new")


def test_a_failed_write_leaves_no_temp_file(tmp_path, monkeypatch):
    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        write_atomically(tmp_path / "table.csv", b"data")
    assert list(tmp_path.iterdir()) == []


# --- the writers -----------------------------------------------------------------------------

def page_frame() -> pd.DataFrame:
    """One column of each kind a page shows, two rows (the second mostly missing or odd)."""
    return pd.DataFrame({
        "operator": ["telkomsel", "=1+1"],
        "theme": ["Jawa Barat; Banten", "Hoaks;=1+1"],
        "sent": [1_234_567, -5],
        "unique_reach": [1234.0, None],
        "delivery_rate": [0.97254, None],
        "estimate": [0.12345, -1.5],
        "p_value": [0.0004, 0.04234],
        "latency_p50_s": [204.4, 3.21],
        "province_code": [32, None],
        "year": [2024, 2019],
        "in_catalogue": [True, False],
        "send_date": pd.to_datetime(["2024-02-14", "2024-02-15"]),
        "done_at": pd.to_datetime(["2024-02-14 03:00:00+00:00", None], utc=True),
    })


# the cells as Excel with Indonesian settings reads them: '1.234.567' is 1234567, '97,3%' 0.973
EXCEL_ROWS = [
    ["telkomsel", "Jawa Barat; Banten", "1.234.567", "1.234", "97,3%", "0,123", "< 0,001", "204",
     "32", "2024", "BENAR", "2024-02-14", "2024-02-14 10:00:00"],
    ["'=1+1", "Hoaks;'=1+1", "-5", "", "", "-1,500", "0,042", "3,2", "", "2019", "SALAH",
     "2024-02-15", ""],
]


def excel_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(CSV_BOM)  # so Excel reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def excel_table_and_notes(data: bytes) -> tuple[list[list[str]], list[str]]:
    """The Excel CSV's table (header first) and the notes under it, after its empty row."""
    rows = excel_rows(data)
    end = rows.index([]) if [] in rows else len(rows)
    assert all(len(row) == 1 for row in rows[end + 1:])  # one note a row, in column A
    return rows[:end], [row[0] for row in rows[end + 1:]]


def test_the_excel_csv_opens_with_semicolons_and_the_page_numbers():
    frame = page_frame()
    rows = excel_rows(to_excel_csv_bytes(frame))
    assert rows[0] == list(frame.columns)  # the export contract's names
    assert rows[1:] == EXCEL_ROWS


def test_the_excel_csv_writes_numbers_as_the_page_does():
    """Every number the page formats is written with the page's own formatter (Indonesian)."""
    frame = page_frame()
    rows = excel_rows(to_excel_csv_bytes(frame))
    formats = value_formats(frame, "id")
    checked = 0
    for position, column in enumerate(frame.columns):
        if column not in formats or column.endswith("_s"):
            continue
        for row, value in zip(rows[1:], frame[column], strict=True):
            if pd.notna(value):
                assert row[position] == formats[column](value), column
                checked += 1
    assert checked >= 8


def test_the_excel_csv_quotes_text_and_leaves_numbers_bare():
    lines = to_excel_csv_bytes(page_frame()).decode("utf-8-sig").split("\r\n")
    assert lines[1].startswith('"telkomsel";"Jawa Barat; Banten";1.234.567;1.234;97,3%;')
    assert lines[2].startswith('"\'=1+1";"Hoaks;\'=1+1";-5;;;-1,500;')
    assert lines[-1] == ""  # CRLF after the last row too


def test_the_machine_csv_stays_unrounded_with_points():
    back = pd.read_csv(io.BytesIO(to_csv_bytes(page_frame())), encoding="utf-8-sig")
    assert back["delivery_rate"][0] == 0.97254
    assert back["estimate"][0] == 0.12345
    assert back["p_value"][0] == 0.0004
    assert back["sent"].tolist() == [1_234_567, -5]


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_write_table_and_table_bytes_share_one_writer_per_format(tmp_path, fmt):
    frame = page_frame()
    target = write_table(frame, tmp_path / file_name("t", fmt), fmt)
    assert target.read_bytes() == table_bytes(frame, fmt) == WRITERS[fmt](frame) or fmt == "xlsx"
    if fmt == "xlsx":  # openpyxl stamps the creation time: compare the cells
        assert xlsx_rows(target.read_bytes()) == xlsx_rows(table_bytes(frame, fmt))


def test_file_names_and_types():
    assert [file_name("reach_operator", f) for f in WRITERS] == [
        "reach_operator.csv", "reach_operator.json", "reach_operator.xlsx",
        "reach_operator_excel_id.csv"]
    assert set(FILE_TYPES) == set(WRITERS)


def xlsx_rows(data: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def csv_fields(text: str) -> list[list[tuple[str, bool]]]:
    """RFC 4180 records of (field, was it quoted): the machine CSV quotes every text cell."""
    records, record, field, quoted, inside, at = [], [], [], False, False, 0
    while at < len(text):
        char = text[at]
        if inside:
            if char == '"' and text[at + 1:at + 2] == '"':
                field.append('"')
                at += 1
            elif char == '"':
                inside = False
            else:
                field.append(char)
        elif char == '"':
            inside = quoted = True
        elif char in ",\r":
            record.append(("".join(field), quoted))
            field, quoted = [], False
            if char == "\r":  # CRLF ends the record
                records.append(record)
                record = []
                at += 1
        else:
            field.append(char)
        at += 1
    return records


def machine_csv_rows(data: bytes) -> list[list[object]]:
    """The machine CSV as values: a quoted cell is text, an empty one missing, True/False
    booleans, any other bare cell a number."""
    header, *records = csv_fields(data.decode("utf-8-sig"))

    def value(field: str, quoted: bool) -> object:
        if quoted:
            return field
        if field == "":
            return None
        return {"True": True, "False": False}.get(field, None) if field in (
            "True", "False") else float(field)

    return [[name for name, _ in header], *[[value(*cell) for cell in record]
                                            for record in records]]


def same_values(xlsx: list[list[object]], machine: list[list[object]]) -> None:
    """The XLSX holds the machine CSV's values under the same contract names (any language)."""
    assert xlsx[0] == machine[0]
    assert len(xlsx) == len(machine)

    times = {i for row in xlsx[1:] for i, v in enumerate(row) if isinstance(v, dt.datetime)}

    def key(position: int, value: object) -> str:  # the same for a value in either file
        if value is None:
            return ""
        if position in times:
            when = pd.Timestamp(value)
            if when.tzinfo is not None:
                when = when.tz_convert("Asia/Jakarta").tz_localize(None)
            return when.floor("s").isoformat()
        if isinstance(value, str):
            return value.removeprefix("'")
        return f"{float(value):.12g}"

    def in_order(rows: list[list[object]]) -> list[list[object]]:  # two exports may break
        return sorted(rows, key=lambda row: [key(i, v) for i, v in enumerate(row)])  # ties

    for got_row, want_row in zip(in_order(xlsx[1:]), in_order(machine[1:]), strict=True):
        for got, want in zip(got_row, want_row, strict=True):
            if isinstance(want, float) and isinstance(got, int | float):
                assert got == pytest.approx(want, rel=1e-15, abs=0)
            elif isinstance(got, str):  # the XLSX holds text as written, in a string cell;
                assert guard_text(got) == want  # the CSV adds its ' before a formula
            elif isinstance(got, dt.datetime):  # ISO text in the CSV, UTC when aware; the
                when = pd.Timestamp(want)  # XLSX has no zones and shows WIB, as pages do
                if when.tzinfo is not None:
                    when = when.tz_convert("Asia/Jakarta").tz_localize(None)
                # Excel keeps times to the millisecond
                assert abs(got - when.to_pydatetime()) <= dt.timedelta(milliseconds=1)
            else:
                assert got == want


PHONE = "081299887766"
PHONE_CORE = "1299887766"  # what must not appear, however the number is written


# --- the command line -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Path:
    """Receipts of four operators over three waves, with a catalogue and every other kind."""
    folder = tmp_path_factory.mktemp("downloads")
    path = folder / "downloads.duckdb"
    operators = {"telkomsel": "0812", "indosat": "0815", "xl": "0817", "smartfren": "0881"}
    codes = [c for c in reference.provinces()["province_code"] if c != 96]
    lines = [HEADER]
    for n in range(300):
        operator = list(operators)[n % 4]
        status = "UNDELIV" if n % 7 == 0 else "DELIVRD"
        lines.append(receipt(f"M{n}", msisdn=f"{operators[operator]}{n % 150:08d}",
                             operator=operator, province=str(codes[n % len(codes)]),
                             status=status, wave=f"SMS0{n % 3 + 1}",
                             submitted=f"2024-01-0{n % 3 + 1} 10:00:00",
                             done=f"2024-01-0{n % 3 + 1} 10:0{n % 10}:1{n % 7}",
                             error="027" if status == "UNDELIV" else "000"))
    lines.append(receipt("BAD", msisdn="08ABC"))
    # rejected (unknown state) with a number in it: its line is kept, the number masked
    lines.append(receipt("BAD2", msisdn=PHONE, status="NOPE"))
    with db.connect(path) as conn:
        assert ingest_file(conn, write(folder, "receipts.csv", lines)).ok
        assert ingest_file(conn, write(folder, "waves.csv", [
            "wave_id,channel,sent_date,theme,message_text",
            "SMS01,sms,2024-01-01,turnout,Ayo ke TPS 14 Februari",
            "SMS02,sms,2024-01-02,anti_hoax,=HYPERLINK(\"http://x\")",
            "SMS03,sms,2024-01-03,valid_ballot,Coblos dengan benar"])).ok
        for name in ("hoax_register.csv", "election_results.csv", "survey_responses.csv"):
            assert ingest_file(conn, config.SAMPLE_DIR / name).ok
    return path


def export(db_path: Path, out: Path, table: str, fmt: str) -> None:
    assert cli.main(["export", table, "--db", str(db_path), "--format", fmt,
                     "--out", str(out)]) == 0


def the_table(db_path: Path, name: str) -> pd.DataFrame:
    with db.connect(db_path, read_only=True) as conn:
        return tables.table(conn, name, Filters(), **(
            {"approximate": False} if name in tables.EXACT_OPTION else {}))


def test_the_cli_offers_the_app_formats():
    parser = cli.build_parser()
    args = parser.parse_args(["export", "reach_operator", "--format", "csv-excel-id",
                              "--out", "x.csv"])
    assert args.format == "csv-excel-id"
    export_parser = parser._subparsers._group_actions[0].choices["export"]
    choices = next(a.choices for a in export_parser._actions if a.dest == "format")
    assert tuple(choices) == tuple(WRITERS)


@pytest.mark.parametrize("table", ["reach_operator", "reach_province", "reach_wave",
                                   "reach_daily", "error_codes", "data_quality",
                                   "participation_tests", "hoax_weekly"])
def test_cli_xlsx_holds_the_machine_csv_values(campaign, tmp_path, table):
    export(campaign, tmp_path / "t.csv", table, "csv")
    export(campaign, tmp_path / "t.xlsx", table, "xlsx")
    machine = machine_csv_rows((tmp_path / "t.csv").read_bytes())
    assert len(machine) > 1, table  # rows, not only a header
    same_values(xlsx_rows((tmp_path / "t.xlsx").read_bytes()), machine)


@pytest.mark.parametrize("table", ["reach_operator", "reach_wave", "participation_tests"])
def test_cli_excel_csv_is_the_app_writer(campaign, tmp_path, table):
    out = tmp_path / "t.csv"
    export(campaign, out, table, "csv-excel-id")
    frame = the_table(campaign, table)
    labels = header_labels(frame.columns, "csv-excel-id", "id")  # the CLI's default --lang
    want = to_excel_csv_bytes(frame, labels=labels).split(b"\r\n")[:-1]  # the table's lines
    got = out.read_bytes().split(b"\r\n")[:len(want)]  # the notes follow them
    assert got[0] == want[0]
    assert sorted(got[1:]) == sorted(want[1:])  # rows in any order: ties may break either way
    rows, _ = excel_table_and_notes(out.read_bytes())
    assert rows[0] == list(labels.values())
    assert len(rows) == len(frame) + 1


# (table, language, first note, a source it names): the campaign's receipts are its own, its
# election results the sample's (synthetic in part), so only the participation tables are
# sample data (attack 5, finding 10)
EXCEL_NOTES_CASES = [
    ("reach_operator", "id", "Sumber: laporan pengiriman", "Sumber: laporan pengiriman"),
    ("participation_tests", "id", "DATA CONTOH",
     "Sumber: DATA CONTOH SINTETIS (hasil pemilu presiden 2019 dan 2024"),
    ("participation_tests", "en", "SAMPLE DATA",
     "Source: SYNTHETIC SAMPLE DATA (presidential election results 2019 and 2024"),
]


@pytest.mark.parametrize(("table", "lang", "first", "source"), EXCEL_NOTES_CASES)
def test_the_excel_csv_carries_its_notes_under_the_table(campaign, tmp_path, table, lang,
                                                          first, source):
    out = tmp_path / "t.csv"
    assert cli.main(["export", table, "--db", str(campaign), "--format", "csv-excel-id",
                     "--lang", lang, "--out", str(out)]) == 0
    rows, notes = excel_table_and_notes(out.read_bytes())
    assert len(rows) == len(the_table(campaign, table)) + 1
    assert notes[0].startswith(first)
    assert any(note.startswith(source) for note in notes), notes
    assert not (tmp_path / "t.csv.txt").exists()  # inside, not beside


def test_cli_excel_csv_numbers_read_back_as_the_rounded_page_numbers(campaign, tmp_path):
    out = tmp_path / "reach_operator.csv"
    export(campaign, out, "reach_operator", "csv-excel-id")
    frame = the_table(campaign, "reach_operator")
    rows, _ = excel_table_and_notes(out.read_bytes())
    labels = header_labels(frame.columns, "csv-excel-id", "id")  # the CLI's default --lang
    header = [next(name for name, label in labels.items() if label == cell) for cell in rows[0]]
    for row, (_, want) in zip(rows[1:], frame.iterrows(), strict=True):
        rate = row[header.index("delivery_rate")]
        assert rate.endswith("%") and "," in rate
        # what Excel (id-ID) makes of '85,7%': the rate rounded to 0.1 percentage points
        assert float(rate[:-1].replace(".", "").replace(",", ".")) == round(
            want["delivery_rate"] * 100, 1)
        assert int(row[header.index("sent")].replace(".", "")) == want["sent"]


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_cli_export_files_follow_the_umask(campaign, tmp_path, fmt):
    out = tmp_path / file_name("reach_operator", fmt)
    with umask(0o022):
        export(campaign, out, "reach_operator", fmt)
    assert mode(out) == 0o644


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def readable_text(data: bytes, fmt: str) -> str:
    if fmt == "xlsx":
        return "\n".join(repr(row) for row in xlsx_rows(data))
    return data.decode("utf-8-sig")


def test_no_phone_number_in_any_table_in_any_format(campaign):
    with db.connect(campaign, read_only=True) as conn:
        rejects = conn.execute("SELECT raw_line FROM rejects").fetchall()
        frames = {name: tables.table(conn, name, Filters()) for name in sorted(tables.TABLES)}
    assert any("BAD2" in line for (line,) in rejects)  # the scan has something to find
    assert any(PHONE_CORE in digits(line) for (line,) in [(receipt("x", msisdn=PHONE),)])
    for name, frame in frames.items():
        for fmt in WRITERS:
            assert PHONE_CORE not in digits(readable_text(table_bytes(frame, fmt), fmt)), (
                name, fmt)


# --- the app ---------------------------------------------------------------------------------

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py")


@pytest.fixture
def app_files(campaign, monkeypatch):
    """An AppTest on the campaign database, and a function giving a download button's file
    (its name and bytes) as the browser would get it, eager or built on click."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import app_test as app_test_module

    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    monkeypatch.setenv("PEMILU_DB", str(campaign))
    st.cache_resource.clear()
    st.cache_data.clear()

    def file_of(button: object) -> tuple[str, bytes]:
        manager = managers[-1]  # the last run's
        if button.proto.deferred_file_id:
            entry = manager._deferred_callables[button.proto.deferred_file_id]
            return entry["filename"], entry["callable"]()
        stored = manager._storage.get_file(button.proto.url.rsplit("/", 1)[1])
        return stored.filename, stored.content

    yield AppTest.from_file(APP, default_timeout=60), file_of
    st.cache_resource.clear()
    st.cache_data.clear()


def download_buttons(at: object) -> dict[str, object]:
    return {b.key: b for b in at.get("download_button") if b.key.startswith("download_")}


def popover_labels(at: object) -> list[str]:
    found = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, BlockProto) and proto.WhichOneof("type") == "popover":
            found.append(proto.popover.label)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


@pytest.mark.parametrize(("page", "names"), [
    ("app_pages/ringkasan.py", ["reach_wave", "reach_daily"]),
    ("app_pages/kualitas_data.py", ["data_quality", "rejects"]),
])
def test_every_table_downloads_in_three_formats(app_files, page, names):
    at, file_of = app_files
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    buttons = download_buttons(at)
    for name in names:
        assert {f"download_{name}", f"download_{name}_xlsx",
                f"download_{name}_csv-excel-id"} <= set(buttons), sorted(buttons)
        csv_name, machine = file_of(buttons[f"download_{name}"])
        xlsx_name, xlsx = file_of(buttons[f"download_{name}_xlsx"])
        excel_name, excel = file_of(buttons[f"download_{name}_csv-excel-id"])
        assert (csv_name, xlsx_name, excel_name) == (
            f"{name}.csv", f"{name}.xlsx", f"{name}_excel_id.csv")
        machine_rows = machine_csv_rows(machine)
        assert len(machine_rows) > 1, name  # rows, not only a header
        same_values(xlsx_rows(xlsx), machine_rows)
        excel, _ = excel_table_and_notes(excel)  # the page in Indonesian: its labels
        assert excel[0] == list(header_labels(machine_rows[0], "csv-excel-id", "id").values())
        assert len(excel) == len(machine_rows)
        for text in (machine.decode("utf-8-sig"), excel_name, readable_text(xlsx, "xlsx")):
            assert PHONE_CORE not in digits(text)
    # one popover per table for the Excel formats, beside the CSV button: not three buttons
    assert popover_labels(at).count("Untuk Excel") == len(
        [k for k in buttons if k.endswith("_xlsx")])


def test_the_excel_csv_of_a_page_has_the_page_numbers(app_files):
    at, file_of = app_files
    at.run()
    buttons = download_buttons(at)
    _, excel = file_of(buttons["download_reach_wave_csv-excel-id"])
    _, machine = file_of(buttons["download_reach_wave"])
    machine_frame = pd.read_csv(io.BytesIO(machine), encoding="utf-8-sig")
    rows, _ = excel_table_and_notes(excel)
    rate = rows[0].index(header_labels(["delivery_rate"], "csv-excel-id", "id")["delivery_rate"])
    assert [row[rate] for row in rows[1:]] == [
        format_percent(v, lang="id") for v in machine_frame["delivery_rate"]]
    assert all("," in row[rate] and row[rate].endswith("%") for row in rows[1:])


@pytest.mark.parametrize(("page", "name", "first", "source"), [
    ("partisipasi", "participation_provinces", "DATA CONTOH",
     "Sumber: DATA CONTOH SINTETIS (hasil pemilu presiden 2019 dan 2024"),
    ("partisipasi", "participation_tests", "DATA CONTOH",
     "Sumber: DATA CONTOH SINTETIS (hasil pemilu presiden 2019 dan 2024"),
    # latency columns: the notes file says they are histogram bucket middles, as the Excel
    # files and the CLI do (it had the provenance lines only)
    ("jangkauan", "reach_operator", "Sumber: laporan pengiriman", "Persentil dari histogram"),
])
def test_the_app_s_csv_downloads_say_where_their_numbers_come_from(app_files, page, name,
                                                                      first, source):
    """The Excel CSV holds the notes under its table; the machine CSV, rows alone, has them
    in the notes file beside it, named as the CLI names it."""
    at, file_of = app_files
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    buttons = download_buttons(at)
    _, excel = file_of(buttons[f"download_{name}_csv-excel-id"])
    _, excel_notes = excel_table_and_notes(excel)
    notes_name, notes = file_of(buttons[f"download_{name}_notes"])
    _, machine = file_of(buttons[f"download_{name}"])
    assert notes_name == f"{name}.csv.txt"
    lines = notes.decode("utf-8").splitlines()
    assert lines == excel_notes
    assert lines[0].startswith(first)
    assert any(line.startswith(source) for line in lines), lines
    assert first not in machine.decode("utf-8-sig")  # the export contract: rows alone


@pytest.mark.parametrize(("lang", "labels"), [
    ("id", ("Unduh CSV", "Untuk Excel", "Unduh XLSX")),
    ("en", ("Download CSV", "For Excel", "Download XLSX")),
])
def test_download_labels_follow_the_language(app_files, lang, labels):
    at, _ = app_files
    at.run()
    at.button_group(key="lang").set_value(lang).run()
    assert not at.exception, at.exception
    buttons = download_buttons(at)
    assert buttons["download_reach_wave"].proto.label == labels[0]
    assert labels[1] in popover_labels(at)
    assert buttons["download_reach_wave_xlsx"].proto.label == labels[2]
