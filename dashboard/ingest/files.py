"""What a file is before we parse it: compression, text or binary, header line, fingerprint."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

BINARY_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an Excel .xlsx file?)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\xd0\xcf\x11\xe0": "an old Excel/Word file",
    b"DUCK": "a DuckDB database",
}
HEAD_BYTES = 1 << 16


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message names the file and says why."""


@dataclass(frozen=True)
class FileInfo:
    path: Path
    compression: str  # "gzip" | "none"
    sha256: str
    size: int
    first_line: str  # header line, BOM stripped
    looks_like_json: bool


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def inspect(path: Path) -> FileInfo:
    """Read the head of a file and refuse what is not a text table; gzip is transparent."""
    if not path.is_file():
        raise FileProblem(f"{path.name}: file not found")
    size = path.stat().st_size
    if size == 0:
        raise FileProblem(f"{path.name}: the file is empty")
    with path.open("rb") as handle:
        magic = handle.read(4)
    compression = "gzip" if magic[:2] == b"\x1f\x8b" else "none"
    try:
        opener = gzip.open if compression == "gzip" else open
        with opener(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except (OSError, EOFError, zlib.error) as exc:
        raise FileProblem(f"{path.name}: damaged gzip file ({exc})") from exc
    if not head.strip():
        raise FileProblem(f"{path.name}: the file is empty")
    for prefix, what in BINARY_MAGIC.items():
        if head.startswith(prefix):
            raise FileProblem(f"{path.name}: this is {what}, not a CSV or JSON Lines file")
    if b"\x00" in head:
        raise FileProblem(f"{path.name}: binary content (NUL bytes), not a CSV or JSON Lines file")
    raw_first = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        first_line = raw_first.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise FileProblem(f"{path.name}: line 1 is not UTF-8 text ({exc.reason})") from exc
    return FileInfo(
        path=path,
        compression=compression,
        sha256=sha256_of(path),
        size=size,
        first_line=first_line,
        looks_like_json=first_line.lstrip().startswith("{"),
    )


def split_header(first_line: str, delimiter: str) -> list[str]:
    """Header cells, unquoted and trimmed, lower-cased for case-insensitive matching."""
    cells = first_line.split(delimiter)
    return [c.strip().strip('"').strip().lower() for c in cells]
