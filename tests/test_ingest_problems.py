"""Why a file was not loaded, in the app's language: every FileProblem and failed load carries
an i18n key (problem.<key>) with its values, and the upload page shows that text. The table
holds one file for each way a file can be refused."""

from __future__ import annotations

import re

import pytest

from dashboard.i18n import TRANSLATIONS, t
from dashboard.ingest import ingest_file
from tests.conftest import HEADER, receipt

CASES = [  # (case, file name, bytes, kind given, problem key)
    ("empty", "a.csv", b"", None, "empty"),
    ("blank", "a.csv", b" \n\n", None, "empty"),
    ("damaged gzip", "a.csv.gz", b"\x1f\x8b\x08\x00garbage", None, "damaged_gzip"),
    ("xlsx", "a.xlsx", b"PK\x03\x04rest", None, "binary_zip"),
    ("pdf", "a.pdf", b"%PDF-1.4", None, "binary_pdf"),
    ("png", "a.png", b"\x89PNG\r\n", None, "binary_png"),
    ("jpeg", "a.jpg", b"\xff\xd8\xff\xe0", None, "binary_jpeg"),
    ("old excel", "a.xls", b"\xd0\xcf\x11\xe0xx", None, "binary_ole"),
    ("duckdb", "a.duckdb", b"DUCKxx", None, "binary_duckdb"),
    ("nul bytes", "a.csv", b"a,b\x00c\n", None, "nul_bytes"),
    # 0x81 is in no Windows-1252 table; a header in Windows-1252 is read (test_records.py)
    ("header no text", "a.csv", b"a\x81b\nx\n", None, "header_not_utf8"),
    ("damaged utf-16", "a.csv", b"\xff\xfea\x00b", None, "utf16_damaged"),
    ("unknown header", "a.csv", b"foo,bar\n1,2\n", None, "unknown_kind"),
    ("no receipts layout", "a.csv", b"foo,bar\n1,2\n", "receipts", "no_receipts_layout"),
]


@pytest.mark.parametrize(("case", "name", "data", "kind", "problem"), CASES,
                         ids=[c[0] for c in CASES])
def test_a_refused_file_says_why_in_both_languages(conn, tmp_path, case, name, data, kind,
                                                   problem):
    path = tmp_path / name
    path.write_bytes(data)
    result = ingest_file(conn, path, kind=kind)
    assert (result.outcome, result.problem) == ("failed", problem)
    for lang in ("id", "en"):
        text = t(f"problem.{problem}", lang, name=name, **result.problem_values)
        assert text.startswith(f"{name}: ") and not re.search(r"\{\w+\}", text), text
    assert conn.execute("SELECT outcome FROM ingest_log").fetchall() == [("failed",)]


def test_a_file_loaded_before_says_so(conn, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("\n".join([HEADER, receipt("M1")]) + "\n")
    assert ingest_file(conn, path).outcome == "loaded"
    again = ingest_file(conn, path)
    assert (again.outcome, again.problem, again.problem_values) == (
        "already_loaded", "already_loaded", {"ingest_id": 1})


def test_every_problem_the_code_names_has_a_text():
    """Keys given to FileProblem or _failed in the code (a literal, or binary_<key> of
    files.BINARY_MAGIC) exist in i18n."""
    from dashboard.config import REPO_ROOT
    from dashboard.ingest.files import BINARY_MAGIC

    source = "\n".join(p.read_text() for p in (REPO_ROOT / "dashboard").rglob("*.py"))
    named = set(re.findall(r'FileProblem\([^)]*?"[^"]*",\s*\n?\s*"(\w+)"', source, re.S))
    named |= {f"binary_{key}" for _, key in BINARY_MAGIC.values()}
    named |= {"already_loaded", "unaccounted", "not_loaded", "large_campaign"}
    assert len(named) > 10  # the pattern finds the keys
    assert named <= {k.removeprefix("problem.") for k in TRANSLATIONS
                     if k.startswith("problem.")}

