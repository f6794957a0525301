"""Records of a text file counted without the file's reader, so a reader that loses rows is
caught: the load's outcomes must add up to this count or nothing is stored.

A record is what an RFC 4180 reader returns: a line, or several when a quoted cell holds line
breaks. As in DuckDB's reader and Python's csv module, a quote opens a quoted cell only at the
start of a cell; one inside an unquoted cell ('Jawa "Barat', a title with one curly and one
straight quote) is text and ends nothing. Only '\n' ends a line; a CR before it belongs to the
line ending. Blank lines are not records. Two passes exist:
- count(): the fast pass, run on every file beside the load (bytes.count on whole blocks; a
  block with quotes or blank lines is walked line by line);
- census(): the slow pass, run only when a file has structurally broken records or its lines
  and records differ: it walks every record, names what is wrong with each broken one, and
  gives the physical line of the records asked for.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

CHUNK = 1 << 22
# DuckDB's read_csv max_line_size, set explicitly in the readers so census() agrees with them
MAX_LINE_BYTES = 2_097_152
# rejects stored per file with line and reason; the rest are counted by reason only
STORED_REJECTS = 10_000
# A line that is not UTF-8 is read as Windows-1252: Excel on Windows saves 'CSV (Comma
# delimited)' so, and a curly quote or dash is then a byte 0x91-0x97 that UTF-8 refuses.
# Five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are not Windows-1252 either: such a line is no text.
NOT_TEXT = "invalid_utf8: the line is neither UTF-8 nor Windows-1252 text"
# the warning (kind, field, value) of each record read as Windows-1252: its text may differ
# from what the writer meant (a Mac Roman letter, say, is read as another letter)
WINDOWS_1252_WARNING = {"kind": "windows_1252", "field": "line",
                        "value": "not UTF-8: read as Windows-1252"}


def decoded(record: bytes) -> tuple[str | None, str | None]:
    """The record's text and its encoding: UTF-8, else Windows-1252, else (None, None)."""
    for encoding in ("utf-8", "cp1252"):
        try:
            return record.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None, None


def readable(record: bytes) -> str:
    """A rejected record's text as a person reads it: decoded(), and a line that is neither
    UTF-8 nor Windows-1252 as Windows-1252 with U+FFFD for its unassigned bytes (read as
    UTF-8, a no-break space or dash between a number's digits would be U+FFFD too, which
    privacy.mask_raw_line takes as a separator)."""
    text, _ = decoded(record)
    return record.decode("cp1252", "replace") if text is None else text


@dataclass
class LegacyLines:
    """The records read as Windows-1252: all counted, the first STORED_REJECTS lines kept."""

    count: int = 0
    lines: list[int] = field(default_factory=list)

    def add(self, line: int) -> None:
        self.count += 1
        if len(self.lines) < STORED_REJECTS:
            self.lines.append(line)


@dataclass(frozen=True)
class Layout:
    """How records are written. quote None: no quoting. json_lines: one record per line, no
    header. blank: the characters a blank line may hold besides its line ending (the CSV
    reader skips only empty lines; the JSON Lines reader trims spaces; the tabular readers
    strip all ASCII white space)."""

    quote: bytes | None
    header_lines: int
    json_lines: bool = False
    blank: bytes = b""
    delimiter: bytes = b","

    @cached_property
    def unquoted_cell_with_quote(self) -> re.Pattern[bytes]:
        """A cell that does not start with the quote but holds one (records.quoted_after).
        It may also match inside a quoted cell (a delimiter in quoted text): then the line is
        only walked, not misread."""
        quote, delimiter = re.escape(self.quote or b'"'), re.escape(self.delimiter)
        return re.compile(rb"(?:^|" + delimiter + rb")(?!" + quote + rb")(?:(?!" + delimiter
                          + rb").)*?" + quote, re.DOTALL)

    @staticmethod
    def delimited(quote: str, delimiter: str = ",") -> Layout:
        return Layout(quote.encode() or None, 1, delimiter=delimiter.encode())

    @staticmethod
    def smpp() -> Layout:
        return Layout(None, 0, json_lines=True, blank=b" ")

    @staticmethod
    def tabular() -> Layout:
        return Layout(b'"', 1, blank=b" \t\r\x0b\x0c")


@dataclass(frozen=True)
class RecordCount:
    records: int  # data records (header and blank lines excluded)
    blank_lines: int
    lines: int  # physical lines after the header
    lone_crs: int = 0  # CRs no LF follows after the header (files.cr_line_ends)
    not_utf8: bool = False  # a byte of the file is not UTF-8 (a load reads accepted_copy)
    # SHA-256 of the bytes counted, the file unpacked (sample.manifest.content_sha256): set
    # by fingerprint, so the shipped sample is known packed or not; not part of the count
    content_sha256: str = field(default="", compare=False)

    @property
    def one_line_each(self) -> bool:
        """Every line after the header is one record or blank and no record spans lines."""
        return self.lines == self.records + self.blank_lines


class _Counter:
    """Feed bytes in order; counts records, blank lines and lines after the header, and
    tells whether every byte is UTF-8."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.carry = b""
        self.in_quote = False
        self.header_left = layout.header_lines
        self.records = self.blank = self.lines = self.lone_crs = 0
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.not_utf8 = False

    def feed(self, chunk: bytes) -> None:
        if not self.not_utf8:
            self._check_utf8(chunk, final=False)
        block = self.carry + chunk
        cut = block.rfind(b"\n") + 1
        self.carry = block[cut:]
        if cut:
            self._block(block, cut)

    def finish(self) -> RecordCount:
        if self.carry:  # a last line without '\n'
            tail = self.carry + b"\n"
            self._block(tail, len(tail))
            self.carry = b""
        if not self.not_utf8:
            self._check_utf8(b"", final=True)
        return RecordCount(self.records, self.blank, self.lines, self.lone_crs, self.not_utf8)

    def _check_utf8(self, chunk: bytes, final: bool) -> None:
        """DuckDB's reader checks only the columns a load reads, census() whole lines: a file
        with any byte that is not UTF-8 is read from accepted_copy, where they agree. Most
        chunks are ASCII: one fast test, then only a sequence the last chunk cut is checked."""
        try:
            if chunk.isascii():
                self.utf8.decode(b"", final=True)
            else:
                self.utf8.decode(chunk, final=final)
        except UnicodeDecodeError:
            self.not_utf8 = True

    def _block(self, block: bytes, end: int) -> None:
        """Count the whole lines block[:end] (it ends with '\n'). Searched in place, with
        bounds, rather than sliced: a copy of each 4 MB block cost as much as counting it."""
        start = self._skip_header(block, end) if self.header_left else 0
        # CRs no LF follows (files.cr_line_ends): a file without CRs pays a one-byte count,
        # one with CRs a two-byte one too (1.2 ms per MB, measured 7 Dec 2026)
        if crs := block.count(b"\r", start, end):
            self.lone_crs += crs - block.count(b"\r\n", start, end)
        quote = self.layout.quote
        if (not self.in_quote and not (quote and block.find(quote, start, end) >= 0)
                and not self._may_blank(block, start, end)):
            n = block.count(b"\n", start, end)
            self.records += n
            self.lines += n
            return
        for line in block[start:end].split(b"\n")[:-1]:
            self.lines += 1
            if not self.in_quote:
                if self._is_blank(line):
                    self.blank += 1
                    continue
                self.records += 1
            if quote and quote in line:
                self.in_quote = quoted_after(line, self.in_quote, self.layout)

    def _skip_header(self, block: bytes, end: int) -> int:
        """Where block[:end] starts after the header lines still to skip."""
        start = 0
        while self.header_left and start < end:  # whole lines: each has a "\n"
            self.header_left -= 1
            start = block.find(b"\n", start, end) + 1
        return start

    def _may_blank(self, block: bytes, start: int, end: int) -> bool:
        first = block[start:start + 1]
        # "\r" first: one byte is found by memchr, twenty times faster than a two-byte search,
        # and most files have no "\r" (the count runs beside every load)
        if (first in (b"\n", b"\r") or block.find(b"\n\n", start, end) >= 0
                or (block.find(b"\r", start, end) >= 0
                    and block.find(b"\n\r", start, end) >= 0)):
            return True
        return any(first == char or block.find(b"\n" + char, start, end) >= 0
                   for char in (bytes([c]) for c in self.layout.blank))

    def _is_blank(self, line: bytes) -> bool:
        body = line[:-1] if line.endswith(b"\r") else line
        return not body.strip(self.layout.blank)  # strip(b"") strips nothing


def quoted_after(line: bytes, in_quote: bool, layout: Layout) -> bool:
    """Whether a quoted cell is still open at the end of this line (in_quote: open at its
    start). Most lines with quotes quote whole cells ('"a","b"'): there the quotes' parity
    decides. Only a line that continues a quoted cell, or has a quote inside an unquoted cell,
    is walked cell by cell."""
    if not in_quote and not layout.unquoted_cell_with_quote.search(line):
        return line.count(layout.quote) % 2 == 1
    quote, delimiter = layout.quote, layout.delimiter
    at, end = 0, len(line)
    while at <= end:
        if in_quote:  # inside a quoted cell: it ends at a quote that is not doubled
            close = line.find(quote, at)
            if close < 0:
                return True
            if line.startswith(quote, close + 1):  # "" is an escaped quote
                at = close + 2
                continue
            in_quote, at = False, close + 1
        elif line.startswith(quote, at):  # a cell that starts with a quote is quoted
            in_quote, at = True, at + 1
            continue
        # the rest of the cell is text, whatever quotes it holds: on to the next cell
        cut = line.find(delimiter, at)
        if cut < 0:
            return False
        at = cut + len(delimiter)
    return in_quote


def chunks(path: Path, compression: str) -> Iterator[bytes]:
    """The file's bytes (unpacked), a few MB at a time."""
    opener = gzip.open if compression == "gzip" else open
    with opener(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def count(chunks: Iterable[bytes], layout: Layout) -> RecordCount:
    counter = _Counter(layout)
    for chunk in chunks:
        counter.feed(chunk)
    return counter.finish()


def fingerprint(path: Path, compression: str, layout: Layout) -> tuple[str, RecordCount]:
    """SHA-256 of the file as stored and its records (with the content's SHA-256), in one
    read of a plain file. How far it is stays readable from other threads meanwhile
    (tally_of: a load's progress)."""
    digest, counter, tally = hashlib.sha256(), _Counter(layout), _start_tally(path)
    content = hashlib.sha256() if compression == "gzip" else digest  # plain: the same bytes
    with path.open("rb") as stored:
        if compression == "gzip":  # the stored bytes hashed first, then unpacked and counted
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
            stored.seek(0)
        source = gzip.GzipFile(fileobj=stored) if compression == "gzip" else stored
        while chunk := source.read(CHUNK):
            content.update(chunk)
            counter.feed(chunk)
            tally.read = (stored.tell(), counter.records)
    counted = replace(counter.finish(), content_sha256=content.hexdigest())
    tally.read, tally.total = (tally.size, counted.records), counted.records
    return digest.hexdigest(), counted


@dataclass
class Tally:
    """How far a running fingerprint() is: the stored bytes it has read and the records
    counted in them (one tuple, so a reader on another thread sees a consistent pair), and
    the file's records once all are counted."""

    size: int
    read: tuple[int, int] = (0, 0)
    total: int | None = None


_TALLIES: dict[tuple[str, int, int], Tally] = {}  # the latest few, by file and version
_KEEP_TALLIES = 4


def _tally_key(path: Path) -> tuple[str, int, int]:
    status = path.stat()
    return str(path), status.st_size, status.st_mtime_ns


def _start_tally(path: Path) -> Tally:
    key = _tally_key(path)
    _TALLIES.pop(key, None)  # the newest last
    tally = _TALLIES[key] = Tally(key[1])
    while len(_TALLIES) > _KEEP_TALLIES:
        del _TALLIES[next(iter(_TALLIES))]
    return tally


def tally_of(path: Path) -> Tally | None:
    """The tally of the latest fingerprint() of this file as it is now, if one started."""
    try:
        return _TALLIES.get(_tally_key(path))
    except OSError:
        return None


def count_file(path: Path, compression: str, layout: Layout) -> RecordCount:
    return count(chunks(path, compression), layout)


def iter_records(chunks: Iterable[bytes], layout: Layout,
                 keep_blank: bool = False) -> Iterator[tuple[int, bytes]]:
    """(first physical line, record bytes without its final line ending) of every record;
    the header is skipped, and so are blank lines unless keep_blank. The same rules as
    count(), one record at a time."""
    line_no, pending, start, in_quote = 0, [], 0, False
    quote = layout.quote
    blank = _Counter(layout)._is_blank
    carry = b""
    for chunk in _with_final_newline(chunks):
        block = carry + chunk
        cut = block.rfind(b"\n") + 1
        carry = block[cut:]
        for line in block[:cut].split(b"\n")[:-1]:
            line_no += 1
            if line_no <= layout.header_lines:
                continue
            if not in_quote:
                if blank(line):
                    if keep_blank:
                        yield line_no, b""
                    continue
                pending, start = [], line_no
            pending.append(line)
            if quote and quote in line:
                in_quote = quoted_after(line, in_quote, layout)
            if not in_quote:
                record = b"\n".join(pending)
                yield start, record[:-1] if record.endswith(b"\r") else record
    if in_quote and pending:  # a quote never closed: the rest of the file is one record
        yield start, b"\n".join(pending)


def _with_final_newline(chunks: Iterable[bytes]) -> Iterator[bytes]:
    last = b""
    for chunk in chunks:
        if chunk:
            last = chunk
            yield chunk
    if last and not last.endswith(b"\n"):
        yield b"\n"


@dataclass
class Census:
    """Every structurally broken record of a file (counted by reason, the first
    STORED_REJECTS kept with line and text) and the line of each accepted record asked for."""

    broken: int = 0
    by_reason: Counter = field(default_factory=Counter)
    samples: list[tuple[int, str, str]] = field(default_factory=list)
    lines_of: dict[int, int] = field(default_factory=dict)


def census(path: Path, compression: str, layout: Layout, delimiter: str | None,
           columns: int, wanted: Iterable[int] = ()) -> Census:
    """Walk every record; a record no reader can take (not text, too long, a wrong number of
    cells, bad quoting) is broken. Accepted records are numbered from 0 in file order, as the
    reader of accepted_copy returns them (the JSON Lines reader returns blank lines too);
    wanted: the indices whose line to give. Records in Windows-1252 are accepted (DuckDB's
    reader skips them: they are read from accepted_copy, which names them)."""
    result = Census()
    want = set(wanted)
    accepted = 0
    records = iter_records(chunks(path, compression), layout, keep_blank=layout.json_lines)
    for line, record in records:
        reason, _ = _read(record, layout, delimiter, columns)  # a blank JSON line passes
        if reason is None:
            if accepted in want:
                result.lines_of[accepted] = line
            accepted += 1
            continue
        result.broken += 1
        result.by_reason[reason.split(":", 1)[0]] += 1
        if len(result.samples) < STORED_REJECTS:
            result.samples.append((line, reason, readable(record)[:2000]))
    return result


def _read(record: bytes, layout: Layout, delimiter: str | None,
          columns: int) -> tuple[str | None, str | None]:
    """What makes the record unreadable (None: nothing) and its encoding (decoded())."""
    too_long = "line_too_long: the line exceeds the maximum line size", None
    # DuckDB's reader counts the line's end in the limit: the LF of accepted_copy's lines
    if len(record) >= MAX_LINE_BYTES:
        return too_long
    if _stray_cr(record, layout.quote):
        return "bad_line_break: a carriage return (CR) inside an unquoted cell", None
    text, encoding = decoded(record)
    if text is None:
        return NOT_TEXT, None
    # read from accepted_copy as UTF-8, where a byte 0x80-0x9F takes three
    if encoding == "cp1252" and len(text.encode()) >= MAX_LINE_BYTES:
        return too_long
    if layout.json_lines:  # one cell per line, cut at the unit separator
        return ("wrong_column_count: more columns than the header" if "\x1f" in text
                else None), encoding
    if layout.quote is None or layout.quote not in record:  # most records: no csv module
        return _column_problem(text.split(delimiter), columns), encoding
    quoting = {"quotechar": layout.quote.decode(), "doublequote": True}
    try:
        cells = next(csv.reader([text], delimiter=delimiter, strict=True, **quoting))
    except csv.Error:
        return "bad_quoting: a quote is not closed or not escaped", None
    return _column_problem(cells, columns), encoding


def _stray_cr(record: bytes, quote: bytes | None) -> bool:
    """A CR that ends no line (the record's own line ending is already cut off), outside
    quoted cells: DuckDB's reader refuses the whole file for one."""
    if b"\r" not in record:
        return False
    if quote is None or quote not in record:
        return True
    return any(b"\r" in part for part in record.split(quote)[::2])


def accepted_copy(path: Path, compression: str, layout: Layout, columns: int,
                  target: Path) -> LegacyLines:
    """Write target: a copy of the file with only the records census() accepts, each on its
    own LF line without a CR before it, in UTF-8, in their order (the JSON Lines reader's
    blank lines kept); return the records it read as Windows-1252. DuckDB's reader reads it
    when it refused the file (mixed line endings, a stray CR), skipped records that are not
    UTF-8, or lost records after a broken one (it drops every record after a cell like
    '"q"z'; DuckDB 2.0.1), so the reader's record i is census()'s accepted record i."""
    delimiter = None if layout.json_lines else layout.delimiter.decode()
    legacy = LegacyLines()
    with target.open("wb") as out:
        if layout.header_lines:
            with (gzip.open if compression == "gzip" else open)(path, "rb") as handle:
                out.write(handle.readline().rstrip(b"\r\n") + b"\n")
        records = iter_records(chunks(path, compression), layout, keep_blank=layout.json_lines)
        for line, record in records:
            reason, encoding = _read(record, layout, delimiter, columns)
            if reason is None:
                if encoding == "cp1252":
                    legacy.add(line)
                    record = record.decode("cp1252").encode()
                out.write(record + b"\n")
    return legacy


def _column_problem(cells: list[str], columns: int) -> str | None:
    if len(cells) < columns:
        return "wrong_column_count: fewer columns than the header (truncated line?)"
    # DuckDB's reader takes a record whose cells beyond the header are all empty (trailing
    # delimiters: 'a,b,c,,'); nothing in them is lost
    if any(cells[columns:]):
        return "wrong_column_count: more columns than the header"
    return None

