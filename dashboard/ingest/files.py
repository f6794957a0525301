"""What a file is before we parse it: compression, text or binary, header line, fingerprint."""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import re
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard import config
from dashboard.ingest import records
from dashboard.ingest.privacy import FILE_NAME_MASK, mask_phone_numbers

BINARY_MAGIC = {  # first bytes -> (what it is, its i18n key: problem.binary_<key>)
    b"PK\x03\x04": ("a ZIP archive (an Excel .xlsx file?)", "zip"),
    b"%PDF": ("a PDF document", "pdf"),
    b"\x89PNG": ("a PNG image", "png"),
    b"\xff\xd8\xff": ("a JPEG image", "jpeg"),
    b"\xd0\xcf\x11\xe0": ("an old Excel/Word file", "ole"),
    b"DUCK": ("a DuckDB database", "duckdb"),
}
HEAD_BYTES = 1 << 16
# Gzip bombs: receipts text compresses 4-13x (the sample); more than 100x, beyond a floor
# that small test files may reach, is refused before anything reads the whole stream.
MAX_GZIP_RATIO = 100
GZIP_RATIO_FLOOR = 64 << 20


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message names the file and says why (in
    English: logs and the CLI). key and values: the same said in the app's language,
    i18n's problem.<key> filled with the values (and the file's name)."""

    def __init__(self, message: str, key: str = "not_loaded", **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class FileInfo:
    path: Path
    compression: str  # "gzip" | "none"
    sha256: str | None  # None until computed (inspect(digest=False))
    size: int
    first_line: str  # header line, BOM stripped
    looks_like_json: bool


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def inspect(path: Path, digest: bool = True, name: str | None = None) -> FileInfo:
    """Read the head of a file and refuse what is not a text table; gzip is transparent.
    digest False leaves sha256 to the caller (ingest hashes large files while loading).
    name: the file's name in messages (default: its base name, cleaned and numbers masked)."""
    name = name or safe_file_name(path.name)
    if not path.is_file():
        raise FileProblem(f"{name}: file not found", "not_found")
    size = path.stat().st_size
    if size == 0:
        raise FileProblem(f"{name}: the file is empty", "empty")
    with path.open("rb") as handle:
        magic = handle.read(4)
    compression = "gzip" if magic[:2] == b"\x1f\x8b" else "none"
    try:
        opener = gzip.open if compression == "gzip" else open
        with opener(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except (OSError, EOFError, zlib.error) as exc:
        raise FileProblem(f"{name}: damaged gzip file ({exc})", "damaged_gzip") from exc
    if not head.strip():
        raise FileProblem(f"{name}: the file is empty", "empty")
    if compression == "gzip":
        check_gzip_size(path, size, name)
    for prefix, (what, key) in BINARY_MAGIC.items():
        if head.startswith(prefix):
            raise FileProblem(f"{name}: this is {what}, not a CSV or JSON Lines file",
                              f"binary_{key}")
    if head.startswith(UTF16_BOMS):  # Excel's 'Unicode Text': NUL bytes, yet text
        raise FileProblem(f"{name}: saved as UTF-16 text (Excel's 'Unicode Text'); save it as "
                          "'CSV UTF-8' and load it again", "utf16")
    if b"\x00" in head:
        raise FileProblem(f"{name}: binary content (NUL bytes), not a CSV or JSON Lines file",
                          "nul_bytes")
    raw_first = head.split(b"\n", 1)[0].rstrip(b"\r")
    # no reader ends a line at a CR that no LF follows: every record would join the line
    # before (cr_line_ends; the rest of the file is checked as it is read)
    lone_crs = len(LONE_CR.findall(head.rstrip(b"\r")))  # the head may cut a CRLF in two
    if cr_line_ends(lone_crs, head.count(b"\n")):
        raise FileProblem(f"{name}: its lines end in a carriage return that no reader takes "
                          "as a line end (CR only, the old Mac 'CSV (Macintosh)' format, or "
                          "CR CR LF), so its records cannot be told apart; save it as 'CSV "
                          "UTF-8' (line ends LF or CRLF) and load it again", "cr_only")
    # as every record: Windows-1252 is read too; a UTF-8 byte order mark before a header in
    # Windows-1252 is not text of it
    first_line, _ = records.decoded(raw_first.removeprefix(codecs.BOM_UTF8))
    if first_line is None:
        raise FileProblem(f"{name}: line 1 is neither UTF-8 nor Windows-1252 text",
                          "header_not_utf8")
    first_line = first_line.lstrip("\ufeff")
    return FileInfo(
        path=path,
        compression=compression,
        sha256=sha256_of(path) if digest else None,
        size=size,
        first_line=first_line,
        looks_like_json=first_line.lstrip().startswith("{"),
    )


LONE_CR = re.compile(rb"\r(?!\n)")


def cr_line_ends(lone_crs: int, line_feeds: int) -> bool:
    """Whether a file's CRs that no LF follows are its line ends (a CR-only file, CR-only
    lines among LF ones, CR CR LF): two or more of them, or one in a file without an LF. One
    alone among LF lines is a stray: its record is rejected (bad_line_break)."""
    return lone_crs >= 2 or (lone_crs > 0 and line_feeds == 0)


def lone_crs_in(path: Path, compression: str) -> tuple[int, int]:
    """The CRs no LF follows, and the LFs, in the whole file (unpacked): what cr_line_ends
    decides on, for a file read whole by Python (the tabular kinds: small files)."""
    lone = feeds = 0
    held = b""
    with (gzip.open(path, "rb") if compression == "gzip" else path.open("rb")) as source:
        while block := source.read(COPY_BLOCK):
            block = held + block
            held = block[len(block.rstrip(b"\r")):]  # an LF may open the next block
            body = block[:len(block) - len(held)]
            lone += body.count(b"\r") - body.count(b"\r\n")
            feeds += body.count(b"\n")
    return lone + len(held), feeds
LINE_END = re.compile(rb"\r*\n|\r")  # as with_lf_line_ends reads a line end
COPY_BLOCK = 1 << 22
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # little-endian (Excel, Windows), big-endian


@contextmanager
def with_lf_line_ends(path: Path) -> Iterator[Path]:
    """A temporary copy of a file whose lines end in carriage returns no reader takes as line
    ends (inspect's cr_only: Excel for Mac's 'CSV (Macintosh)' writes CR only; Python's
    csv.writer on Windows, without newline='', writes CR CR LF), with LF line ends: a run of
    CRs before an LF is one line end, any other CR is one, so line n stays line n; a gzip
    file is unpacked. Removed on leaving."""
    with path.open("rb") as handle:
        packed = handle.read(2) == b"\x1f\x8b"
    with tempfile.TemporaryDirectory(dir=config.temp_dir()) as folder:
        copy = Path(folder) / "lf_line_ends.txt"
        with (gzip.open(path, "rb") if packed else path.open("rb")) as source, \
                copy.open("wb") as target:
            held = b""  # the CRs at a block's end: an LF may follow them in the next block
            while block := source.read(COPY_BLOCK):
                block = held + block
                held = block[len(block.rstrip(b"\r")):]
                target.write(LINE_END.sub(b"\n", block[:len(block) - len(held)]))
            target.write(LINE_END.sub(b"\n", held))
        yield copy


@contextmanager
def with_utf8_text(path: Path, name: str) -> Iterator[Path]:
    """A temporary UTF-8 copy of a file saved as UTF-16 with its byte order mark (Excel's
    'Unicode Text', which inspect refuses as utf16): the same characters and lines, a gzip file
    unpacked. FileProblem (utf16_damaged) when the file is not valid UTF-16. Removed on
    leaving."""
    with path.open("rb") as handle:
        packed = handle.read(2) == b"\x1f\x8b"
    decoder = codecs.getincrementaldecoder("utf-16")()  # reads the BOM, then its byte order
    with tempfile.TemporaryDirectory(dir=config.temp_dir()) as folder:
        copy = Path(folder) / "utf8.txt"
        try:
            with (gzip.open(path, "rb") if packed else path.open("rb")) as source, \
                    copy.open("wb") as target:
                while block := source.read(COPY_BLOCK):
                    target.write(decoder.decode(block).encode("utf-8"))
                target.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError as exc:
            raise FileProblem(f"{name}: starts as UTF-16 text but is not valid UTF-16 "
                              f"({exc.reason}); save it as 'CSV UTF-8' and load it again",
                              "utf16_damaged") from exc
        yield copy


def check_gzip_size(path: Path, size: int, name: str | None = None) -> None:
    """Decompress the whole stream once, counting, with memory bounded by one chunk: refuse a
    stream that would unpack past the ratio or the configured ceiling, or that is damaged."""
    name = name or safe_file_name(path.name)
    limit = min(max(MAX_GZIP_RATIO * size, GZIP_RATIO_FLOOR), config.max_uncompressed_bytes())
    total = 0
    try:
        with gzip.open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise FileProblem(
                        f"{name}: unpacks to more than {limit / 1e6:,.0f} MB from "
                        f"{size / 1e6:,.1f} MB compressed; refused as a possible gzip bomb "
                        f"(limit: {MAX_GZIP_RATIO}x, or ${config.MAX_UNCOMPRESSED_ENV})",
                        "gzip_bomb", mb=f"{limit / 1e6:,.0f}")
    except (OSError, EOFError, zlib.error) as exc:
        raise FileProblem(f"{name}: damaged gzip file ({exc})", "damaged_gzip") from exc


def safe_file_name(name: str, limit: int = 120) -> str:
    """A file name fit to store and show: the base name only (a browser may send a path),
    any phone number in it, however written, as FILE_NAME_MASK (names go to ingest_log,
    rejects, data_quality, messages and logs), letters, digits, '.', '-', '_' and spaces
    kept, anything else (markup, control and path characters) replaced by '_', at most
    `limit` characters."""
    base = re.split(r"[\\/]", name)[-1]
    # masked before cleaning, which would turn full-width digits and odd spaces into '_',
    # and after it: cleaning turns other characters between digits into '_', a separator
    # ('r#0812#3456#7890.csv' is masked only then)
    base = mask_phone_numbers(base, FILE_NAME_MASK) or ""
    cleaned = re.sub(r"[^\w.\- ]", "_", base, flags=re.ASCII).strip(" .")
    cleaned = mask_phone_numbers(cleaned, FILE_NAME_MASK) or ""
    return cleaned[-limit:] or "file"


def split_header(first_line: str, delimiter: str, quote: str = '"') -> list[str]:
    """Header cells, unquoted and trimmed, lower-cased for case-insensitive matching. Split
    as the CSV reader splits a record (src_receipts_delimited.sql: quote, and the quote
    doubled as its escape; '' no quoting): a quoted header may hold the delimiter
    ('"note, free text"' is one cell, not two that would make every record one short). As in
    the reader, a quote opens a quoted cell only at the start of a cell."""
    reader = csv.reader([first_line], delimiter=delimiter, quotechar=quote or None,
                        doublequote=True,
                        quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
    cells = next(reader, None) or [""]  # an empty line: one empty cell, as before
    return [c.strip().strip('"').strip().lower() for c in cells]
