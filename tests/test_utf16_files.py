"""A file saved as UTF-16 text with its byte order mark is read as the same text in UTF-8.
Excel's 'Unicode Text (*.txt)' writes UTF-16 little-endian with a BOM, tab-separated, CRLF
line ends (Microsoft, "File formats that are supported in Excel": "Unicode Text: Saves a
workbook as Unicode text, a character encoding standard"), and Excel for Mac offers 'UTF-16
Unicode Text'. Until 7 Dec 2026 such a file was refused as binary (its NUL bytes)."""

from __future__ import annotations

import gzip

import pytest

from dashboard import config
from dashboard.i18n import t
from dashboard.ingest import CR_ONLY_NOTE, UTF16_NOTE, files, ingest_file
from dashboard.ingest.verify import verify_file
from dashboard.store import db
from tests.conftest import HEADER, receipt, write
from tests.test_cr_only_files import COMPARED, table_rows

# sample files of every kind whose layout survives a change of encoding (tab or comma)
SAMPLES = ["receipts_indosat_sms01-10.tsv.gz", "receipts_smartfren_sms06-10.csv.gz",
           "receipts_z_late_canonical.csv", "survey_responses.csv", "hoax_register.csv",
           "waves.csv", "election_results.csv", "status_bar_xl_sb01-03.csv"]
ENCODINGS = [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")]


def as_utf16(text: str, encoding: str, bom: bytes) -> bytes:
    return bom + text.encode(encoding)


@pytest.mark.parametrize(("encoding", "bom"), ENCODINGS)
@pytest.mark.parametrize("sample", SAMPLES)
def test_a_sample_file_saved_as_utf16_loads_as_it_does_in_utf8(tmp_path, sample, encoding,
                                                                bom):
    original = config.SAMPLE_DIR / sample
    data = original.read_bytes()
    packed = sample.endswith(".gz")
    text = (gzip.decompress(data) if packed else data).decode("utf-8-sig")
    utf16 = tmp_path / sample
    encoded = as_utf16(text, encoding, bom)
    utf16.write_bytes(gzip.compress(encoded) if packed else encoded)
    loaded = {}
    for path in (original, utf16):
        with db.memory_connection() as conn:
            result = ingest_file(conn, path)
            assert result.outcome == "loaded", result.summary()
            loaded[path] = (result.counts, {t: table_rows(conn, t) for t in COMPARED},
                            result.notes)
    counts, tables, notes = loaded[original]
    assert counts.rows_read > 0 and any(tables.values())
    assert loaded[utf16][:2] == (counts, tables)
    assert notes == [] and loaded[utf16][2] == [UTF16_NOTE]


def test_utf16_with_cr_only_line_ends_is_read_through_both_copies(conn, tmp_path):
    # a character beyond the BMP (a surrogate pair in UTF-16) in a kept value
    lines = [HEADER, receipt("M1"), receipt("M2", msisdn="12"),
             receipt("M3", province="Jawa Tengah", error="E\U0001f642")]
    text = "\r".join(lines) + "\r"
    path = write(tmp_path, "mac16.csv", as_utf16(text, "utf-16-le", b"\xff\xfe"))
    result = ingest_file(conn, path)
    assert (result.counts.loaded, result.counts.rejected) == (2, 1)
    assert result.notes == [UTF16_NOTE, CR_ONLY_NOTE]
    assert conn.execute("SELECT line FROM rejects").fetchall() == [(3,)]
    assert conn.execute("SELECT message_id, province_code, error_code FROM receipts ORDER BY 1"
                        ).fetchall() == [("M1", 32, "000"), ("M3", 33, "E\U0001f642")]
    twin = write(tmp_path, "twin.csv", lines)  # the same records in UTF-8 with LF line ends
    assert ingest_file(conn, twin).outcome == "already_loaded"
    checked = verify_file(conn, path)
    assert checked.ok and checked.records == 3, checked.summary()


# (case, bytes after the BOM): not valid UTF-16, so refused as a whole, saying why
DAMAGED = [
    ("odd byte count", "operator".encode("utf-16-le") + b"\x00"),
    ("a lone high surrogate", "op".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le")),
]


@pytest.mark.parametrize(("case", "rest"), DAMAGED, ids=[c[0] for c in DAMAGED])
def test_damaged_utf16_is_refused_with_a_reason(conn, tmp_path, case, rest):
    path = write(tmp_path, "bad16.csv", b"\xff\xfe" + rest)
    result = ingest_file(conn, path)
    assert (result.outcome, result.problem) == ("failed", "utf16_damaged")
    for language in ("id", "en"):
        assert t("problem.utf16_damaged", language, name="bad16.csv").startswith("bad16.csv: ")
    assert verify_file(conn, path).problems[0].startswith("starts as UTF-16 text but is not")


def test_inspect_names_utf16_rather_than_binary(tmp_path):
    path = write(tmp_path, "u.txt", as_utf16(HEADER + "\n", "utf-16-le", b"\xff\xfe"))
    with pytest.raises(files.FileProblem) as raised:
        files.inspect(path)
    assert raised.value.key == "utf16"
