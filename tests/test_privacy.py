"""No raw phone number survives ingest: every text value of every table, the rejects and every
export of the loaded sample is scanned for anything shaped like an Indonesian mobile number."""

from __future__ import annotations

import pytest

from dashboard import config, db, tables
from dashboard.cli import sample_files
from dashboard.export.tables import to_csv_bytes
from dashboard.ingest import ingest_file
from dashboard.ingest.privacy import PHONE_IN_TEXT


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("privacy") / "sample.duckdb"
    with db.connect(path) as conn:
        for file in sample_files(config.SAMPLE_DIR):
            assert ingest_file(conn, file).ok
    return path


def text_values(conn) -> list[tuple[str, str, str]]:
    columns = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall()
    found = []
    for table, column in columns:
        quoted_table, quoted_column = f'"{table}"', f'"{column}"'  # names from the catalogue
        for (value,) in conn.execute(
                f"SELECT DISTINCT {quoted_column} FROM {quoted_table} "  # noqa: S608
                f"WHERE {quoted_column} IS NOT NULL").fetchall():
            found.append((table, column, value))
    return found


@pytest.mark.parametrize("text", ["x,081234567890,y", "+62 812-3456-7890", "6281234567890",
                                  '"msisdn": "0812 3456 7890"'])
def test_the_scan_finds_a_number(text):
    assert PHONE_IN_TEXT.search(text)


def test_no_phone_number_in_any_stored_text(sample_db):
    with db.connect(sample_db, read_only=True) as conn:
        values = text_values(conn)
    assert len(values) > 1000  # the scan saw the data, rejects included
    # Indosat's message ids are 12 hex digits, a few of them all digits starting with 08:
    # an operator's id is not a subscriber's number, so that column is not scanned
    leaks = [(t, c, v) for t, c, v in values
             if c != "message_id" and PHONE_IN_TEXT.search(str(v))]
    assert leaks == []


@pytest.mark.parametrize("name", sorted(tables.TABLES))
def test_no_phone_number_in_any_export(sample_db, name):
    with db.connect(sample_db, read_only=True) as conn:
        data = to_csv_bytes(tables.table(conn, name)).decode("utf-8-sig")
    assert PHONE_IN_TEXT.search(data) is None
