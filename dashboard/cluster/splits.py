"""One large receipts file read by several Spark tasks: where it can be cut, what each piece
hands the native staging, and how the pieces' accounting becomes the file's.

A file is cut only at line breaks and only when no record spans lines (records.RecordCount
.one_line_each, counted over the whole file with its own quoting rules): then every line break
ends a record, and each piece is a file of whole records. A delimited file's later pieces get
the file's header in front, so each is read as the file is. Gzip files are not cut (a stream
cannot be entered in the middle), nor files up to the piece size. The file is UTF-8 (files
.inspect refuses other text), so a line-break byte is always a line break.

A piece's records keep their place in the file: its index in the high bits of row_index
(PIECE_SHIFT), so the replay of a key's records (spark_ingest._replay) still sees one file in
file order, and the outcome rule is the native one across pieces. Its rejects' and warnings'
lines are moved by the lines before it, which each piece counts as it copies its bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from dashboard.ingest import FilePlan, counted_cr_line_ends, plan_file
from dashboard.ingest.files import FileProblem
from dashboard.ingest.records import CHUNK, STORED_REJECTS, fingerprint

# a record's place in its file: (piece << PIECE_SHIFT) + its index in the piece (2^40 records
# a piece is far beyond any file)
PIECE_SHIFT = 40
# the accounting that adds up over a file's pieces
SUMMED = ("rows_read", "rejected", "warnings")
BY_CODE = ("reject_reasons", "warning_kinds")
SAMPLES = ("rejects", "load_warnings")
# what every piece of a file says alike: the whole file's (notes: on the copy a file is read
# from, ingest.planned; a file read from a copy is never cut)
SAME_IN_EVERY_PIECE = ("file_name", "kind", "sha256", "content_sha256", "format", "outcome",
                       "notes")
# what a task adds to its piece's accounting: the piece's index, the line breaks of its own
# bytes, the header lines in front of them, and the whole file's records as the driver
# counted them (the pieces' records must add up to them)
PIECE_KEYS = ("piece", "line_breaks", "header_lines", "file_records")


@dataclass(frozen=True)
class Piece:
    """Bytes [start, end) of a file, with its first header_end bytes (the header line, or
    nothing) in front when it is not the first piece; sha256 and records: the whole file's,
    as the driver read them. end None: the whole file, unread by the driver (WHOLE; the task
    hashes and counts it)."""

    index: int = 0
    start: int = 0
    end: int | None = None
    header_end: int = 0
    sha256: str | None = None
    records: int | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @staticmethod
    def from_json(text: str) -> Piece:
        return Piece(**json.loads(text))

    def copy(self, path: Path, to: Path) -> int:
        """Write this piece of path as a file of its own at `to`; return the line breaks of
        its own bytes (the lines it moves the next pieces' lines by)."""
        assert self.end is not None
        breaks = 0
        with path.open("rb") as source, to.open("wb") as target:
            if self.index and self.header_end:
                target.write(source.read(self.header_end))
            source.seek(self.start)
            left = self.end - self.start
            while left and (chunk := source.read(min(CHUNK, left))):
                target.write(chunk)
                breaks += chunk.count(b"\n")
                left -= len(chunk)
        return breaks


WHOLE = Piece()


def requested_kind(profile: str | None) -> str | None:
    """The kind the cluster asks the native planning for: every file it is given is meant as
    receipts, so a profile given (--profile) reads it as receipts of that layout, as `ingest
    --kind receipts --profile` does; without one the header tells, as `ingest` does."""
    return "receipts" if profile else None


def receipts_plan(path: Path, name: str, profile: str | None) -> FilePlan:
    """How the cluster reads a file (requested_kind; FileProblem when it cannot)."""
    return plan_file(path, requested_kind(profile), profile, name)


def pieces(path: Path, name: str, profile: str | None, piece_bytes: int) -> list[Piece]:
    """Where a receipts file is cut for tasks of about piece_bytes each: [Piece()] (the whole
    file, one task) unless it is a plain receipts file larger than that whose records are one
    line each and end in LF (read once here, for that and its SHA-256; CR line ends that only
    the count sees are the native ingest's LineEndsSeenLate: the task reads the file whole,
    from its LF copy)."""
    try:
        plan = receipts_plan(path, name, profile)
    except FileProblem:
        return [WHOLE]  # the task says why, as the native ingest does
    info = plan.info
    if plan.kind != "receipts" or info.compression != "none" or info.size <= piece_bytes:
        return [WHOLE]  # not read here: the task hashes and counts it
    sha256, counted = fingerprint(path, info.compression, plan.layout)
    if not counted.one_line_each or counted_cr_line_ends(counted):
        return [WHOLE]  # CR line ends: read whole from the LF copy the native ingest reads
    with path.open("rb") as stored:
        header_end = _after_line_breaks(stored, 0, plan.layout.header_lines)
        cuts = [0]
        while (target := max(cuts[-1] + piece_bytes, header_end)) < info.size:
            cut = _after_line_breaks(stored, target, 1)
            if cut >= info.size:
                break
            cuts.append(cut)
    if len(cuts) == 1:  # the last line reaches past the first piece: nothing to cut
        return [WHOLE]
    ends = [*cuts[1:], info.size]
    return [Piece(index, start, end, header_end, sha256, counted.records)
            for index, (start, end) in enumerate(zip(cuts, ends, strict=True))]


def _after_line_breaks(stored, offset: int, breaks: int) -> int:
    """The offset just after the breaks-th line break at or after offset (the file's end when
    there are fewer)."""
    stored.seek(offset)
    position = offset
    while breaks and (chunk := stored.read(CHUNK)):
        at = -1
        while breaks and (at := chunk.find(b"\n", at + 1)) >= 0:
            breaks -= 1
        if not breaks:
            return position + at + 1
        position += len(chunk)
    return position


def merged(found: list[dict]) -> dict:
    """One file's accounting from its pieces' (each as the task wrote it, with its piece's
    index and line breaks): the counts added, each sample's line moved by the lines before its
    piece, the first STORED_REJECTS samples by line kept. A failed piece fails the file (the
    first failed piece's reason), and so do pieces whose records do not add up to the records
    the driver counted in the whole file (a cut that lost or repeated a record)."""
    found = sorted(found, key=lambda a: a["piece"])
    failed = [a for a in found if a["outcome"] != "staged"]
    if len(found) == 1 or failed:
        first = (failed or found)[0]
        return {k: v for k, v in first.items() if k not in PIECE_KEYS} | {"pieces": len(found)}
    whole = {k: found[0][k] for k in SAME_IN_EVERY_PIECE}
    whole["pieces"] = len(found)
    whole |= {k: sum(a[k] for a in found) for k in SUMMED}
    if whole["rows_read"] != found[0]["file_records"]:
        return {k: whole[k] for k in ("file_name", "kind", "sha256", "format", "pieces")} | {
            "outcome": "failed",
            "message": f"{whole['file_name']}: could not be loaded: its {len(found)} pieces "
                       f"hold {whole['rows_read']:,} records, the file "
                       f"{found[0]['file_records']:,}; nothing was stored"}
    for key in BY_CODE:
        codes: dict[str, int] = {}
        for a in found:
            for code, count in a[key].items():
                codes[code] = codes.get(code, 0) + count
        whole[key] = codes
    lines_before = 0
    moved: dict[str, list[dict]] = {key: [] for key in SAMPLES}
    for a in found:
        shift = lines_before - a["header_lines"]  # a later piece's lines count its header
        for key in SAMPLES:
            moved[key] += [{**s, "line": s["line"] + shift} for s in a[key]]
        lines_before += a["line_breaks"]
    for key in SAMPLES:  # stable: a line's several findings keep their order
        whole[key] = sorted(moved[key], key=lambda s: s["line"])[:STORED_REJECTS]
    return whole

