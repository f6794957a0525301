"""Ingest: one file is one transaction; every row ends loaded, duplicate, superseded or
rejected with a reason, and the counts are written to ingest_log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import duckdb

from dashboard.i18n import t
from dashboard.ingest import reach_slots, records, tabular
from dashboard.ingest.files import (
    FileInfo,
    FileProblem,
    cr_line_ends,
    inspect,
    lone_crs_in,
    safe_file_name,
    sha256_of,
    split_header,
    with_lf_line_ends,
    with_utf8_text,
)
from dashboard.ingest.privacy import check_pseudonym_key, mask_phone_numbers
from dashboard.ingest.profiles import Profile, ProfileError, load_profile, match_profile
from dashboard.ingest.receipts import (
    WARNING_COLUMNS,
    Findings,
    Progress,
    ReceiptCounts,
    RowsUnaccounted,
    drop_staging,
    load_receipts,
    stage_accounted,
    stage_receipts,
)
from dashboard.ingest.stand_ins import settle_message_id_stand_ins
from dashboard.sample.manifest import content_sha256, is_sample_file
from dashboard.store import db, large_campaign

log = logging.getLogger(__name__)
KINDS = ("receipts", "waves", "election", "survey", "hoax", *tabular.CHANNEL_KINDS)
# hashes and counts a receipts file's records while DuckDB reads it
_FINGERPRINTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-fingerprint")


@dataclass
class IngestResult:
    file_name: str
    kind: str | None
    outcome: str  # loaded | already_loaded | failed
    message: str
    ingest_id: int | None = None
    counts: ReceiptCounts = field(default_factory=ReceiptCounts)
    notes: list[str] = field(default_factory=list)  # what a loaded file's counts do not say
    # a file not loaded: why, in the app's language (i18n problem.<key> with these values)
    problem: str | None = None
    problem_values: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome in ("loaded", "already_loaded")

    def summary(self) -> str:
        c = self.counts
        if self.outcome != "loaded":  # messages name their file already
            return (self.message if self.message.startswith(f"{self.file_name}:")
                    else f"{self.file_name}: {self.message}")
        return "; ".join([
            f"{self.file_name}: {c.rows_read} rows read: {c.loaded} loaded, {c.duplicate} "
            f"duplicate, {c.superseded} superseded, {c.rejected} rejected", *self.notes])


def detect_kind(info: FileInfo) -> str | None:
    """Guess the input kind from the header line."""
    if info.looks_like_json:
        return "receipts"
    if match_profile(info.first_line) is not None:
        return "receipts"
    header = set(split_header(info.first_line, ","))
    for kind, columns in tabular.KIND_COLUMNS.items():
        if {c for c in columns if c in tabular.KEY_COLUMNS[kind]} <= header:
            return kind
    return None


@dataclass(frozen=True)
class FilePlan:
    """How a file is read: its kind, the receipts profile (None: canonical CSV, or SMPP JSON
    Lines when fmt says so), the format logged and the layout of its records."""

    info: FileInfo
    kind: str
    profile: Profile | None
    fmt: str
    layout: records.Layout


def plan_file(path: Path, kind: str | None, profile: str | None, name: str) -> FilePlan:
    """Inspect a file and decide how to read it; FileProblem says why it cannot be read."""
    info = inspect(path, digest=False, name=name)
    kind = kind or detect_kind(info)
    if kind not in KINDS:
        header = mask_phone_numbers(info.first_line[:120])
        raise FileProblem(f"{name}: cannot tell what this file is from its header "
                          f"{header!r}; pass --kind and --profile", "unknown_kind",
                          header=header)
    try:
        chosen = load_profile(profile) if profile else None
    except ProfileError as exc:
        raise FileProblem(f"{name}: {exc}", "profile", detail=str(exc)) from exc
    if kind == "receipts" and not info.looks_like_json:
        chosen = chosen or match_profile(info.first_line)
        if chosen is None:
            raise FileProblem(f"{name}: the header matches no receipts layout (canonical CSV "
                              "or an operator profile); pass --profile", "no_receipts_layout")
    if kind != "receipts":
        return FilePlan(info, kind, None, "csv", records.Layout.tabular())
    if info.looks_like_json:  # a profile given for an SMPP log sets its message id form
        return FilePlan(info, kind, chosen, "smpp_jsonl", records.Layout.smpp())
    return FilePlan(info, kind, chosen, f"profile:{chosen.name}",
                    records.Layout.delimited(chosen.quote, chosen.delimiter))


def ingest_file(
    conn: duckdb.DuckDBPyConnection,
    path: str | Path,
    kind: str | None = None,
    profile: str | None = None,
    progress: Progress | None = None,
    display_name: str | None = None,
    reload: bool = False,
    sample: bool = False,
) -> IngestResult:
    """Load one file in one transaction. Never raises for bad input: the result says why.
    reload: a file already loaded is loaded again, its earlier receipts replaced in the same
    transaction (repairs a load that lost rows; see `verify`).
    sample: the file is sample data (so is any file whose hash the sample's manifest lists);
    every output that shows its numbers says so."""
    path = Path(path)
    name = safe_file_name(display_name or path.name)
    mend: tuple[str, ...] = ()
    while True:
        try:
            with planned(path, kind, profile, name, mend) as (plan, notes):
                return _ingest_planned(conn, plan, name, progress, reload, sample, notes)
        except LineEndsSeenLate:  # past the head, while counting: once more from a copy
            mend = ("cr_only",)
        except FileProblem as exc:
            return _failed(conn, name, failed_kind(kind), str(exc), exc.key, **exc.values)


def failed_kind(kind: str | None) -> str:
    """The kind the load log gives a file that cannot be read as a whole (FileProblem): the
    kind asked for, else unknown (its header told none); also the cluster's (its tasks ask
    for receipts with --profile, else for none: cluster/splits.requested_kind)."""
    return kind or "unknown"


class LineEndsSeenLate(Exception):  # noqa: N818 - a signal, not an error
    """A receipts file's CRs past its head are its line ends (files.cr_line_ends), seen by
    the record count beside the load, before anything is stored: read it from a copy."""


# what the log says of a file read from a copy (planned): its fingerprint (sha256 in
# ingest_log) is the copy's, the same as the file saved as UTF-8 with LF line ends
CR_ONLY_NOTE = ("its lines end in carriage returns no reader takes as line ends (CR only: "
                "the old Mac 'CSV (Macintosh)' format; or CR CR LF): each read as one line end")
UTF16_NOTE = "saved as UTF-16 text (Excel's 'Unicode Text'): read as the same text in UTF-8"
# a FileProblem a copy of the file mends: the copy, and what the log says of it
MENDED_BY_COPY = {"utf16": (lambda path, name: with_utf8_text(path, name), UTF16_NOTE),
                  "cr_only": (lambda path, name: with_lf_line_ends(path), CR_ONLY_NOTE)}


@contextmanager
def planned(path: Path, kind: str | None, profile: str | None, name: str,
            mend: tuple[str, ...] = ()) -> Iterator[tuple[FilePlan, list[str]]]:
    """plan_file, except that a file saved as UTF-16 or with CR line ends is planned, and
    read, from a temporary copy it means (MENDED_BY_COPY), kept until the block ends; yields
    the plan and the notes on the copies. mend: problems known to need a copy (a receipts
    file's line ends seen late). A tabular file (small) is checked whole for CR line ends
    here; a receipts file while it is counted (LineEndsSeenLate). FileProblem: why it
    cannot be read."""
    with ExitStack() as copies:
        notes: list[str] = []

        def copy_for(key: str) -> None:
            nonlocal path
            make, note = MENDED_BY_COPY[key]
            path = copies.enter_context(make(path, name))
            notes.append(note)

        for key in mend:
            copy_for(key)
        while True:
            try:
                plan = plan_file(path, kind, profile, name)
            except FileProblem as exc:
                if exc.key not in MENDED_BY_COPY or MENDED_BY_COPY[exc.key][1] in notes:
                    raise  # each copy once: no loop
                copy_for(exc.key)
                continue
            if (plan.kind == "receipts" or CR_ONLY_NOTE in notes
                    or not cr_line_ends(*lone_crs_in(plan.info.path, plan.info.compression))):
                break
            copy_for("cr_only")
        yield plan, notes


@contextmanager
def planned_and_counted(path: Path, kind: str | None, profile: str | None, name: str
                        ) -> Iterator[tuple[FilePlan, list[str],
                                            tuple[str, records.RecordCount] | None]]:
    """planned, with a receipts file hashed and its records counted (records.fingerprint)
    before it is staged, and read again from its LF copy when the count sees CR line ends
    its head did not show (counted_cr_line_ends): what ingest_file does while it loads (its
    count runs beside the staging, LineEndsSeenLate), for a reader that counts first (the
    cluster's tasks). Yields the plan, the notes on the copies, and the SHA-256 and count of
    what is read (None for other kinds). FileProblem: why the file cannot be read."""
    with ExitStack() as copies:
        plan, notes = copies.enter_context(planned(path, kind, profile, name))
        counted = None
        if plan.kind == "receipts":
            counted = records.fingerprint(plan.info.path, plan.info.compression, plan.layout)
            if counted_cr_line_ends(counted[1]) and CR_ONLY_NOTE not in notes:
                copies.close()  # the copies of the first reading, if any
                plan, notes = copies.enter_context(planned(path, kind, profile, name,
                                                           ("cr_only",)))
                counted = records.fingerprint(plan.info.path, plan.info.compression,
                                              plan.layout)
        yield plan, notes, counted


def _ingest_planned(conn: duckdb.DuckDBPyConnection, plan: FilePlan, name: str,
                    progress: Progress | None, reload: bool, sample: bool,
                    notes: list[str]) -> IngestResult:
    """ingest_file after the file is planned; notes: what the logged message adds."""
    info, kind, chosen, fmt, layout = plan.info, plan.kind, plan.profile, plan.fmt, plan.layout
    if kind == "receipts" and large_campaign.is_large(conn):  # cluster rollups, no receipts
        return _failed(conn, name, kind, t("cluster.receipts_refused", "en"),
                       "large_campaign")
    # a receipts file is hashed and its records counted while DuckDB reads it (a large load
    # spends 5-10 % there); whether it was loaded under another name is checked before
    # anything is stored. A name seen before is hashed first, so a re-run skips it at once.
    fingerprint: Future[tuple[str, records.RecordCount]] | None = None
    if kind == "receipts":
        settle_message_id_stand_ins(conn)  # before any stored receipt is compared
        fingerprint = _FINGERPRINTER.submit(records.fingerprint, info.path, info.compression,
                                      layout)
        if _name_loaded_before(conn, name):
            info = replace(info, sha256=fingerprint.result()[0])
    else:
        info = replace(info, sha256=sha256_of(info.path))
    # the content's hash tells the sample packed or not (a receipts file's: while counted)
    content = (content_sha256(info.path) if kind != "receipts" and info.compression == "gzip"
               else info.sha256)
    replaces = _logged_load(conn, info.sha256) if info.sha256 else None
    if replaces is not None and not reload:
        return _already_loaded(name, kind, replaces)

    try:
        if kind == "receipts":  # staged before the transaction: temp tables only
            try:
                staged = stage_receipts(conn, info, chosen, progress)
            except duckdb.Error:  # a very long "line" of CR-ended records, for one
                _check_line_ends(fingerprint.result()[1], notes)
                raise
            sha256, counted = fingerprint.result()
            _check_line_ends(counted, notes)
            info, content = replace(info, sha256=sha256), counted.content_sha256
            replaces = _logged_load(conn, sha256)
            if replaces is not None and not reload:
                return _already_loaded(name, kind, replaces)
            staged, rejects, warnings = stage_accounted(conn, info, chosen, counted, staged,
                                                        progress)
        with db.transaction(conn):
            ingest_id = conn.execute("SELECT nextval('ingest_id_seq')").fetchall()[0][0]
            if kind == "receipts":
                check_pseudonym_key(conn)
                counts, left_out = load_receipts(conn, counted.records, rejects.total,
                                                 ingest_id, progress, replaces)
            else:
                counts, rejects, warnings = tabular.load(conn, info, kind, ingest_id)
            counts.warnings = warnings.total
            message = load_message(name, counts)
            if kind != "receipts" and counts.replaced:
                notes.append(f"replaced {counts.replaced:,} stored rows of earlier files "
                             "(a later file's rows replace the stored rows of the same key)")
            if kind == "receipts" and left_out:
                notes.append("unique reach leaves out the delivered receipts of waves missing "
                             f"from the catalogue (beyond the {reach_slots.UNCATALOGUED_PAIRS} "
                             "(wave, send day) pairs the exact-reach rollup keeps for such "
                             "waves; to count them, load a wave catalogue that lists them, "
                             "then this file again with ingest --reload): "
                             + ", ".join(left_out))
            if replaces is not None:
                conn.execute(
                    "UPDATE ingest_log SET outcome = 'reloaded', message = $message "
                    "WHERE ingest_id = $old",
                    {"old": replaces, "message": f"replaced by the reload ingest {ingest_id}"})
                notes.append(f"reloaded, replacing ingest {replaces}")
            message = "; ".join([message, *notes])
            write_log(conn, ingest_id, name, info.sha256, kind, fmt, counts, "loaded", message,
                       sample=sample or is_sample_file(info.sha256, content))
            write_findings(conn, ingest_id, name, rejects, warnings)
    except (duckdb.Error, ValueError) as exc:  # DuckDB's text may quote a value: masked
        log.warning("ingest of %s failed: %s", name, mask_phone_numbers(str(exc)))
        return _failed(conn, name, kind, f"{name}: could not be loaded: {_short(exc)}",
                       "unaccounted" if isinstance(exc, RowsUnaccounted) else "not_loaded",
                       detail=mask_phone_numbers(_short(exc)))
    finally:
        if kind == "receipts":
            drop_staging(conn)
    return IngestResult(name, kind, "loaded", message, ingest_id, counts, notes)


def _check_line_ends(counted: records.RecordCount, notes: list[str]) -> None:
    """LineEndsSeenLate when the count saw CR line ends a file read as it is has."""
    if counted_cr_line_ends(counted) and CR_ONLY_NOTE not in notes:
        raise LineEndsSeenLate


def counted_cr_line_ends(counted: records.RecordCount) -> bool:
    """Whether a receipts file's record count saw CR line ends (files.cr_line_ends): read
    as it is, its CR-ended records would join into one line; it is read from an LF copy
    (also the cluster's rule: cluster/splits.py never cuts such a file)."""
    return cr_line_ends(counted.lone_crs, counted.lines)


def _name_loaded_before(conn: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(conn.execute(
        "SELECT 1 FROM ingest_log WHERE file_name = $name AND outcome = 'loaded' LIMIT 1",
        {"name": name}).fetchall())


def _logged_load(conn: duckdb.DuckDBPyConnection, sha256: str) -> int | None:
    """The ingest that loaded this content (under any name), else None."""
    found = conn.execute(
        "SELECT max(ingest_id) FROM ingest_log WHERE sha256 = $sha AND outcome = 'loaded'",
        {"sha": sha256},
    ).fetchall()
    return found[0][0]


def _already_loaded(name: str, kind: str | None, ingest_id: int) -> IngestResult:
    return IngestResult(name, kind, "already_loaded",
                        f"{name}: already loaded (ingest {ingest_id}); nothing changed",
                        ingest_id=ingest_id, problem="already_loaded",
                        problem_values={"ingest_id": ingest_id})


def load_message(name: str, counts: ReceiptCounts) -> str:
    """The log's message of a loaded file's counts (its notes follow it, '; '-joined): one
    wording for the native ingest and the cluster's (cluster/spark_ingest.py)."""
    if counts.rows_read == 0:
        return f"{name}: header only, no rows"
    return (f"{counts.rows_read} rows: {counts.loaded} loaded, {counts.duplicate} duplicate, "
            f"{counts.superseded} superseded, {counts.rejected} rejected")


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300]


def write_log(conn: duckdb.DuckDBPyConnection, ingest_id: int, name: str, sha256: str | None,
              kind: str, fmt: str | None, counts: ReceiptCounts, outcome: str, message: str,
              sample: bool = False) -> None:
    """One file's row of ingest_log (also written for the files a cluster read, when their
    accounting is attached: cluster/attach.py)."""
    values = asdict(counts)
    message = mask_phone_numbers(message)  # it may quote what the file holds
    conn.execute(
        """
        INSERT INTO ingest_log (ingest_id, file_name, sha256, kind, format, started_at,
            finished_at, rows_read, loaded, duplicate, superseded, rejected, replaced,
            unknown_province, operator_mismatch, warnings, outcome, message, sample)
        VALUES ($id, $name, $sha, $kind, $fmt, now(), now(), $rows_read, $loaded, $duplicate,
            $superseded, $rejected, $replaced, $unknown_province, $operator_mismatch,
            $warnings, $outcome, $message, $sample)
        """,
        {"id": ingest_id, "name": name, "sha": sha256, "kind": kind,
         "fmt": fmt, "outcome": outcome, "message": message, "sample": sample, **values},
    )


def write_findings(conn: duckdb.DuckDBPyConnection, ingest_id: int, name: str,
                   rejects: Findings, warnings: Findings) -> None:
    """The first rejects and warnings with their line, and all of them counted by code."""
    for table, findings in (("reject_tally", rejects), ("warning_tally", warnings)):
        if findings.counts:
            conn.execute(f"INSERT INTO {table} SELECT $id, unnest($codes), unnest($rows)",  # noqa: S608
                         {"id": ingest_id, "codes": list(findings.counts),
                          "rows": list(findings.counts.values())})
    if not rejects.samples.empty:
        _insert_frame(conn, "INSERT INTO rejects SELECT $id, $name, line, reason, raw_line "
                      "FROM frame", rejects.samples, {"id": ingest_id, "name": name})
    if not warnings.samples.empty:
        _insert_frame(conn, "INSERT INTO load_warnings SELECT $id, line, kind, field, value "
                      "FROM frame", warnings.samples[WARNING_COLUMNS], {"id": ingest_id})


def _insert_frame(conn: duckdb.DuckDBPyConnection, statement: str, frame: object,
                  params: dict) -> None:
    conn.register("frame", frame)
    try:
        conn.execute(statement, params)
    finally:
        conn.unregister("frame")


def _failed(conn: duckdb.DuckDBPyConnection, name: str, kind: str, message: str,
            problem: str, **values: object) -> IngestResult:
    message = mask_phone_numbers(message)  # shown and logged: it may quote the file
    ingest_id = conn.execute("SELECT nextval('ingest_id_seq')").fetchall()[0][0]
    write_log(conn, ingest_id, name, None, kind, None, ReceiptCounts(), "failed", message)
    return IngestResult(name, kind, "failed", message, ingest_id, problem=problem,
                        problem_values=values)
