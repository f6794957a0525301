"""Unit tests of ingest/records.py, the count of a file's records made without its reader:
tables of small files whose answer is read off the bytes by eye. (The reader-level tests are
in tests/test_attack_row_accounting.py.)"""

from __future__ import annotations

import gzip
import hashlib

import pytest

from dashboard.ingest import identifiers, records

# layouts by name, built inside each test (mutation testing changes a function only for the
# test that calls it, not for a constant made when the module was imported)
LAYOUTS = {
    "csv": lambda: records.Layout.delimited('"'),
    "apostrophe": lambda: records.Layout.delimited("'"),
    "no quotes": lambda: records.Layout.delimited(""),
    "smpp": records.Layout.smpp,
    "tabular": records.Layout.tabular,
    "tab": lambda: records.Layout.delimited('"', "\t"),
}
CSV, QUOTE2, NO_QUOTES, SMPP, TABULAR, TAB = LAYOUTS  # their names, for the tables below


def put(tmp_path, data: bytes, compress: bool = False):
    path = tmp_path / ("f.csv.gz" if compress else "f.csv")
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path


COUNTS = [  # (case, bytes, layout, (records, blank lines, lines after the header))
    ("two lines", b"h\na\nb\n", CSV, (2, 0, 2)),
    ("no final newline", b"h\na\nb", CSV, (2, 0, 2)),
    ("CRLF and a blank line", b"h\r\na\r\n\r\nb\r\n", CSV, (2, 1, 3)),
    ("blank line first", b"h\n\na\n", CSV, (1, 1, 2)),
    ("two blank lines together", b"h\na\n\n\nb\n", CSV, (2, 2, 4)),
    ("quoted line break", b'h\n"a\nb",c\nd\n', CSV, (2, 0, 3)),
    ("escaped quote", b'h\n"a""\nb",c\n', CSV, (1, 0, 2)),
    ("blank inside quotes", b'h\n"a\n\nb"\n', CSV, (1, 0, 3)),
    ("spaces are a record", b"h\n  \n", CSV, (1, 0, 1)),
    ("tabular: white space is blank", b"h\n  \n\t\n", TABULAR, (0, 2, 2)),
    ("tabular: a record", b"h\n a\n", TABULAR, (1, 0, 1)),
    ("tabular: a letter is a record", b"h\nX\n", TABULAR, (1, 0, 1)),
    ("tabular: quoted line break", b'h\n"a\nb",c\n', TABULAR, (1, 0, 2)),
    ("json lines: a letter is a record", b"X\n", SMPP, (1, 0, 1)),
    ("no quoting", b'h\n"a\nb\n', NO_QUOTES, (2, 0, 2)),
    ("json lines: no header", b"{}\n   \n{}\n\n", SMPP, (2, 2, 4)),
    ("json lines: a tab is not blank", b"{}\n\t\n", SMPP, (2, 0, 2)),
    ("json lines: blank first", b"\n{}\n", SMPP, (1, 1, 2)),
    ("quoted cell on one line", b'h\n"a",b\nc\n', CSV, (2, 0, 2)),
    ("apostrophe quotes", b"h\n'a\nb',c\nd\n", QUOTE2, (2, 0, 3)),
    ("tabular: blank last line without newline", b"h\na\n  ", TABULAR, (1, 1, 2)),
    ("two header lines' worth in one chunk", b"h\n\n", CSV, (0, 1, 1)),
    ("empty", b"", CSV, (0, 0, 0)),
    ("header only", b"h\n", CSV, (0, 0, 0)),
    ("header without newline", b"h", CSV, (0, 0, 0)),
    # a quote inside an unquoted cell is text (DuckDB's reader and Python's csv module read
    # 'x "y' as it is): it opens nothing, so the next lines are records of their own
    ("quote inside an unquoted cell", b'h\n1,x "y,3\n2,ok,4\n3,ok,5\n', CSV, (3, 0, 3)),
    ("tabular: one curly, one straight quote", 'h\nH1,\u201cDitunda" kata KPU,u\nH2,b,u\n'
     .encode(), TABULAR, (2, 0, 2)),
    ("a quote ending an unquoted cell", b'h\n1,ab",3\n2,ok,3\n', CSV, (2, 0, 2)),
    ("text quote, then a quoted line break", b'h\n1,x "y,"multi\nline"\n2,ok,3\n', CSV,
     (2, 0, 3)),
    ("quoted line break, then a text quote", b'h\n1,"multi\nline",x "y\n2,ok\n', CSV,
     (2, 0, 3)),
    ("a quote after a closed quoted cell", b'h\n1,"q"z,3\n2,ok,3\n', CSV, (2, 0, 2)),
    ("a delimiter inside a quoted cell, then text", b'h\n"a,b"c,"d\ne"\nf\n', CSV,
     (2, 0, 3)),
    ("tab-delimited text quote", b'h\n1\tx "y\t3\n2\tok\t4\n', TAB, (2, 0, 2)),
    # a text quote in the line's first cell, then a quoted cell that breaks the line
    ("text quote first, then a quoted line break", b'h\na"a,,"x\ny"\nz\n', CSV, (2, 0, 3)),
]


@pytest.mark.parametrize(("case", "data", "layout", "expected"), COUNTS,
                         ids=[c[0] for c in COUNTS])
def test_count_and_records_agree_for_any_chunking(case, data, layout, expected):
    layout = LAYOUTS[layout]()
    for size in (1, 2, 3, 7, len(data) or 1):
        chunks = [data[i:i + size] for i in range(0, len(data), size)]
        counted = records.count(chunks, layout)
        assert (counted.records, counted.blank_lines, counted.lines) == expected, size
        assert len(list(records.iter_records(chunks, layout))) == expected[0], size
    assert counted.one_line_each == (expected[2] == expected[0] + expected[1])


# (case, bytes, every byte UTF-8): DuckDB checks only the columns a load reads, so a file with
# any other byte is read from accepted_copy (records.RecordCount.not_utf8)
TEXTS = [
    ("ASCII", b"h\na,b\n", True), ("empty", b"", True),
    ("UTF-8 en dash", "h\nJawa \u2013 Barat\n".encode(), True),
    ("UTF-8 byte order mark", b"\xef\xbb\xbfh\na\n", True),
    ("a four-byte character", "h\n\U0001f600\n".encode(), True),
    ("Windows-1252 en dash", b"h\nJawa \x96 Barat\n", False),
    ("a byte in no table", b"h\na\x81\n", False),
    ("a header in Windows-1252", b"ket\xe9rangan\na\n", False),
    ("a sequence cut at the end", b"h\na\xe2\x80", False),
    ("a sequence cut, then ASCII", b"h\na\xe2\x80b\n", False),
    ("an overlong form", b"h\n\xc0\xaf\n", False),
]


@pytest.mark.parametrize(("case", "data", "utf8"), TEXTS, ids=[c[0] for c in TEXTS])
def test_the_count_tells_whether_every_byte_is_utf8_for_any_chunking(case, data, utf8):
    for size in (1, 2, 3, 5, len(data) or 1):
        chunks = [data[i:i + size] for i in range(0, len(data), size)]
        assert records.count(chunks, LAYOUTS[CSV]()).not_utf8 is not utf8, size


def test_iter_records_gives_the_first_line_and_the_record_without_its_line_end():
    data = b'h\r\na\r\n\r\n"b\nc",d\r\ne'
    csv_layout = LAYOUTS[CSV]()
    assert list(records.iter_records([data], csv_layout)) == [
        (2, b"a"), (4, b'"b\nc",d'), (6, b"e")]
    assert list(records.iter_records([data], csv_layout, keep_blank=True)) == [
        (2, b"a"), (3, b""), (4, b'"b\nc",d'), (6, b"e")]
    assert list(records.iter_records([], LAYOUTS[SMPP](), keep_blank=True)) == []


def test_an_unclosed_quote_makes_the_rest_one_record():
    assert list(records.iter_records([b'h\na\n"b\nc\n'], LAYOUTS[CSV]())) == [
        (2, b"a"), (3, b'"b\nc')]


@pytest.mark.parametrize("compress", [False, True])
def test_fingerprint_hashes_the_file_as_stored_and_counts_it_unpacked(tmp_path, compress):
    data = b"h\na\n\nb\n"
    path = put(tmp_path, data, compress)
    sha, counted = records.fingerprint(path, "gzip" if compress else "none", LAYOUTS[CSV]())
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
    assert counted.content_sha256 == hashlib.sha256(data).hexdigest()  # packed or not
    assert (counted.records, counted.blank_lines) == (2, 1)
    assert records.count_file(path, "gzip" if compress else "none", LAYOUTS[CSV]()) == counted


PROBLEMS = [  # (case, record, layout, reason or None; ';' is the delimiter of "semicolon")
    ("three cells", b"a,b,c", CSV, None),
    ("too few", b"a,b", CSV, "wrong_column_count"),
    ("too many", b"a,b,c,d", CSV, "wrong_column_count"),
    # DuckDB's reader takes empty cells beyond the header (trailing delimiters), not others
    ("trailing delimiters", b"a,b,c,,", CSV, None),
    ("trailing delimiter, quoted cells", b'"a",b,"c",', CSV, None),
    ("a space beyond the header", b"a,b,c, ", CSV, "wrong_column_count"),
    ("quoted delimiter", b'a,"b,c",d', CSV, None),
    ("quoted delimiter, too few", b'a,"b,c"', CSV, "wrong_column_count"),
    ("quote not closed", b'a,"b,c', CSV, "bad_quoting"),
    ("text after a closing quote", b'a,"b"x,c', CSV, "bad_quoting"),
    # a byte neither UTF-8 nor Windows-1252 (0x81: unassigned in Microsoft's cp1252 table,
    # https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT)
    ("neither UTF-8 nor Windows-1252", b"a,\x81,c", CSV, "invalid_utf8"),
    # Windows-1252 (Excel on Windows): curly quotes 0x93 0x94 and a dash 0x96 are read
    ("Windows-1252 quotes and dash", b"a,\x93J\x96B\x94,c", CSV, None),
    ("Windows-1252 y with diaeresis", b"a,\xff,c", CSV, None),
    # 0x80 is the euro sign, three bytes in UTF-8: the copy DuckDB reads would exceed the limit
    ("Windows-1252, too long once in UTF-8",
     b"\x80" * (records.MAX_LINE_BYTES // 3 + 1) + b",b,c", CSV, "line_too_long"),
    # DuckDB's reader counts the line's LF in max_line_size (measured, DuckDB 2.0.1): a
    # record of the limit less one byte is read, one of the limit is not
    ("Windows-1252, the limit once in UTF-8",  # 3 x 699,049 + 5 bytes
     b"\x80" * ((records.MAX_LINE_BYTES - 5) // 3) + b"x,b,c", CSV, "line_too_long"),
    ("Windows-1252, under the limit once in UTF-8",  # 3 x 699,048 + 7 bytes
     b"\x80" * ((records.MAX_LINE_BYTES - 5) // 3 - 1) + b"xyz,b,c", CSV, None),
    ("stray CR", b"a,b\rx,c", CSV, "bad_line_break"),
    ("CR inside quotes", b'a,"b\rx",c', CSV, None),
    ("CR outside quotes of a quoted record", b'a,"b",c\rx', CSV, "bad_line_break"),
    ("too long", b"a," + b"x" * records.MAX_LINE_BYTES + b",c", CSV, "line_too_long"),
    ("the limit with its LF", b"x" * (records.MAX_LINE_BYTES - 5) + b",b,c", CSV, None),
    ("one more", b"x" * (records.MAX_LINE_BYTES - 4) + b",b,c", CSV, "line_too_long"),
    ("json line", b'{"a": 1}', SMPP, None),
    ("json line with the unit separator", b'{"a": "\x1f"}', SMPP, "wrong_column_count"),
    ("json line, no text", b'{"a": "\x8d"}', SMPP, "invalid_utf8"),
    ("json line, Windows-1252", b'{"a": "\xe9"}', SMPP, None),
    ("no quoting: a quote is text", b'a,"b,c', NO_QUOTES, None),
    ("apostrophe quotes a delimiter", b"a,'b,c',d", QUOTE2, None),
    ("semicolons", b"a;b,x;c", "semicolon", None),
    ("semicolons, quoted", b'a;"b;x";c', "semicolon", None),
    ("semicolons, too few", b"a,b,c", "semicolon", "wrong_column_count"),
]
REASONS = {  # the whole text of each reason: what Kualitas data and the rejects table say
    "wrong_column_count": ("wrong_column_count: fewer columns than the header (truncated "
                           "line?)", "wrong_column_count: more columns than the header"),
    "bad_quoting": ("bad_quoting: a quote is not closed or not escaped",),
    "invalid_utf8": ("invalid_utf8: the line is neither UTF-8 nor Windows-1252 text",),
    "bad_line_break": ("bad_line_break: a carriage return (CR) inside an unquoted cell",),
    "line_too_long": ("line_too_long: the line exceeds the maximum line size",),
}


@pytest.mark.parametrize(("case", "record", "layout", "expected"), PROBLEMS,
                         ids=[c[0] for c in PROBLEMS])
def test_what_makes_a_record_unreadable(case, record, layout, expected):
    delimiter = ";" if layout == "semicolon" else ","
    layout = LAYOUTS[CSV if layout == "semicolon" else layout]()
    found, _ = records._read(record, layout, delimiter, 1 if layout.json_lines else 3)
    assert (found.split(":")[0] if found else None) == expected
    assert found is None or found in REASONS[expected]


@pytest.mark.parametrize("compress", [False, True])
def test_census_names_broken_records_and_gives_lines_of_accepted_ones(tmp_path, compress):
    data = b'h1;h2;h3\na;b;c\n\nab\n"x\ny";b;c\n\x81;b;c\nd;e;f\n\xe9;b;c\n'
    # records: line 2 (accepted 0), 4 (broken), 5-6 (accepted 1), 7 (broken), 8 (accepted 2),
    # 9 (accepted 3, Windows-1252)
    found = records.census(put(tmp_path, data, compress), "gzip" if compress else "none",
                           LAYOUTS[CSV](), ";", 3, wanted=[0, 1, 2, 3, 9])
    assert found.broken == 2
    assert dict(found.by_reason) == {"wrong_column_count": 1, "invalid_utf8": 1}
    assert [(line, reason, text) for line, reason, text in found.samples] == [
        (4, REASONS["wrong_column_count"][0], "ab"),
        (7, REASONS["invalid_utf8"][0], "\ufffd;b;c")]
    assert found.lines_of == {0: 2, 1: 5, 2: 8, 3: 9}


def test_census_keeps_2000_characters_of_a_broken_record(tmp_path):
    found = records.census(put(tmp_path, b"h1,h2\n" + b"x" * 5000 + b"\n"), "none",
                           LAYOUTS[CSV](), ",", 2)
    assert len(found.samples[0][2]) == 2000


def test_census_keeps_the_first_rejects_and_counts_them_all(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "STORED_REJECTS", 3)
    found = records.census(put(tmp_path, b"h1,h2\n" + b"x\n" * 5 + b"a,b\n"), "none",
                           LAYOUTS[CSV](), ",", 2, wanted=[0])
    assert (found.broken, len(found.samples), found.lines_of) == (5, 3, {0: 7})
    assert dict(found.by_reason) == {"wrong_column_count": 5}
    assert [line for line, _, _ in found.samples] == [2, 3, 4]


def test_census_of_json_lines_numbers_blank_lines_as_the_reader_does(tmp_path):
    found = records.census(put(tmp_path, b'{"a":1}\n\n\x81\n{"b":2}\n'), "none",
                           LAYOUTS[SMPP](), None, 1, wanted=[0, 1, 2])
    assert (found.broken, found.lines_of) == (1, {0: 1, 1: 2, 2: 4})


@pytest.mark.parametrize("compress", [False, True])
def test_accepted_copy_has_one_lf_line_per_readable_record(tmp_path, compress):
    # a stray CR, a quote after a closed quoted cell and a short record are left out
    data = b'h1,h2\r\na,b\nc,"d\r\ne"\r\nf\rg,h\r\n\r\n"q"z,k\nl\ni,j'
    copy = tmp_path / "copy.txt"
    legacy = records.accepted_copy(put(tmp_path, data, compress),
                                   "gzip" if compress else "none", LAYOUTS[CSV](), 2, copy)
    assert copy.read_bytes() == b'h1,h2\na,b\nc,"d\r\ne"\ni,j\n'
    assert (legacy.count, legacy.lines) == (0, [])


def test_accepted_copy_of_json_lines_keeps_blank_lines_and_has_no_header(tmp_path):
    copy = tmp_path / "copy.txt"
    records.accepted_copy(put(tmp_path, b'{"a":1}\r\n\r\n{"b":\r2}\n{"c":3}'), "none",
                          LAYOUTS[SMPP](), 1, copy)
    assert copy.read_bytes() == b'{"a":1}\n\n{"c":3}\n'


@pytest.mark.parametrize("header", ["h1,h2", "h1,h2 ", "h1,hX"])
def test_accepted_copy_writes_windows_1252_records_as_utf8_and_names_them(tmp_path,
                                                                        monkeypatch, header):
    # 0x96 en dash, 0x93/0x94 curly quotes, 0xe9 e acute (Microsoft's cp1252 table); 0x81
    # is in no table: that record is left out. One kept line of two: all counted. The header
    # is copied as written but its line end.
    monkeypatch.setattr(records, "STORED_REJECTS", 1)
    data = (header.encode() + b'\r\nJawa \x96 Barat,b\n\x93q\x94,\x81\nCaf\xe9,d\n'
            b'ok,\xe2\x80\x93\n')
    copy = tmp_path / "copy.txt"
    legacy = records.accepted_copy(put(tmp_path, data), "none", LAYOUTS[CSV](), 2, copy)
    assert copy.read_text(encoding="utf-8") == (
        f"{header}\nJawa \u2013 Barat,b\nCaf\u00e9,d\nok,\u2013\n")
    assert (legacy.count, legacy.lines) == (2, [2])


WAVE_IDS = [  # (wave id, usable)
    ("SMS01", True), ("WA-04_b", True), ("W" * 32, True), ("W" * 33, False), ("", False),
    ("SMS 01", False), ("SMS01\n", False), ("081299887711", False), ("SMS081299887711", False),
    ("SMS8123456", True),  # 8 then 6 digits: too short to be a number
    ("SMS81234567", False),  # 8 then 7 digits: could be one
    ("0812_3456_7821", False), ("SMS_0812_3456_7821", False),  # '_' separates (finding 03)
    ("W_2024_01_15", True), ("SMS_08_10", True),
]


@pytest.mark.parametrize(("wave", "usable"), WAVE_IDS)
def test_usable_wave_id(wave, usable):
    assert identifiers.usable_wave_id(wave) is usable


@pytest.mark.parametrize(("wave", "usable"), WAVE_IDS)
def test_the_sql_wave_id_rule_is_the_python_one(wave, usable):
    import duckdb

    params = identifiers.sql_params()
    assert params["bad_wave_id"] == identifiers.BAD_WAVE_ID
    found = duckdb.connect().execute(
        "SELECT coalesce(regexp_full_match($w, $wave_id_shape) "
        "AND NOT regexp_matches($w, $phone_shape), false)",
        {"w": wave, "wave_id_shape": params["wave_id_shape"],
         "phone_shape": params["phone_shape"]}).fetchall()[0][0]
    assert found is usable


@pytest.mark.parametrize("layout", [CSV, TAB])
def test_record_boundaries_agree_with_the_csv_module(layout):
    """An independent reader: Python's csv module ends each record at the physical line its
    line_num gives. Random files mix quoted cells holding delimiters, line breaks and escaped
    quotes, unquoted cells holding quotes ('x "y', 'ab"'), and text after a closed quoted
    cell ('"q"z'): iter_records must end every record on the same line."""
    import csv
    import io
    import random

    chosen = LAYOUTS[layout]()
    delimiter = chosen.delimiter.decode()
    rng = random.Random(7)

    def cell() -> str:
        draw = rng.random()
        if draw < 0.35:  # quoted
            inner = "".join(rng.choice(["a", delimiter, '""', "\n", " "]) for _ in range(3))
            return f'"{inner}"' + (rng.choice(["", "z"]) if draw < 0.05 else "")
        text = "".join(rng.choice('ab "') for _ in range(rng.randint(0, 3)))
        return "a" + text if text.startswith('"') else text

    for _ in range(500):
        rows = [delimiter.join(cell() for _ in range(3)) for _ in range(rng.randint(1, 5))]
        data = "h\n" + "\n".join(rows) + "\n"
        reader = csv.reader(io.StringIO(data, newline=""), delimiter=delimiter)
        next(reader)
        ends = [reader.line_num for row in reader if row]
        found = [start + record.count(b"\n")
                 for start, record in records.iter_records([data.encode()], chosen)]
        assert found == ends, data
